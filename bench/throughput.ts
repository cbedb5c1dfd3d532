/**
 * Throughput ceiling: the harness's default profile (every category, 100 cases each, every check,
 * concurrency 16) against the embedded reference server, next to autocannon (16 connections) on
 * the same server in the same process: valid PUTs, and the harness's own recorded requests
 * replayed with no harness work at all. Rounds alternate (autocannon, harness, replay) and
 * medians are compared, because this 2-core machine is shared and rates swing between rounds.
 *
 * The harness's rate is cases per second of its firing phase (generation, requests and checks,
 * interleaved: RunPhases); start-up, cleanup and reports are the end-to-end benchmark's business.
 */
import { createTransport } from '../harness/transport/createTransport.ts';
import { runDefaults } from '../harness/run/runConformance.ts';
import type { Contract } from '../spec/loadContract.ts';
import { replayLoad, validPutLoad } from './autocannonLoad.ts';
import { firingMs, runHarness } from './harnessRun.ts';
import { median } from './median.ts';
import { caseRequests, recordingTransport } from './recordingTransport.ts';
import type { OutgoingRequest } from '../harness/transport/types.ts';
import { startBenchServer } from './serverThread.ts';

export interface ThroughputFigures {
  rounds: number;
  harnessCasesPerSecond: number;
  harnessRequestsPerSecond: number;
  harnessCases: number;
  autocannonValidPutsPerSecond: number;
  autocannonReplayPerSecond: number;
  /** Share of wall time the server's thread was busy, per load (medians). */
  serverBusy: { harness: number; validPuts: number; replay: number };
  /** Valid PUTs autocannon got answered with something other than 2xx (should be 0). */
  validPutFailures: number;
  /** The cases' requests of one harness run, in the order sent (for the transport comparison). */
  recorded: OutgoingRequest[];
}

export async function measureThroughput(contract: Contract, options: { rounds: number; seconds: number }): Promise<ThroughputFigures> {
  const bench = await startBenchServer();
  const concurrency = runDefaults.concurrency;
  const load = { baseUrl: bench.server.url, connections: concurrency, durationSeconds: options.seconds };
  const token = bench.server.tokens[0];
  const harness: Array<{ casesPerSecond: number; requestsPerSecond: number; cases: number; busy: number }> = [];
  const validPuts: Array<{ perSecond: number; busy: number; failures: number }> = [];
  const replays: Array<{ perSecond: number; busy: number }> = [];
  let recorded: OutgoingRequest[] = [];
  try {
    // warm-up: JIT on both threads
    await runHarness({ server: bench.server, contract, seed: 99, runs: 10 });
    await validPutLoad({ ...load, durationSeconds: 1, token, namespace: 'conformance' });
    for (let round = 0; round < options.rounds; round += 1) {
      let since = bench.utilization();
      const puts = await validPutLoad({ ...load, token, namespace: 'conformance' });
      validPuts.push({ perSecond: puts.requestsPerSecond, busy: bench.busySince(since), failures: puts.non2xx + puts.errors });

      const transport = recordingTransport(
        createTransport({ timeoutMs: runDefaults.timeoutMs, maxBodyBytes: runDefaults.maxBodyBytes, connections: concurrency, tls: { insecure: false } }),
      );
      since = bench.utilization();
      let sent: OutgoingRequest[];
      try {
        const result = await runHarness({ server: bench.server, contract, seed: 1 + round, transport });
        const ms = firingMs(result);
        harness.push({
          casesPerSecond: (result.totals.cases / ms) * 1000,
          requestsPerSecond: (result.totals.requests / ms) * 1000,
          cases: result.totals.cases,
          busy: bench.busySince(since),
        });
        sent = caseRequests(transport.requests, result.totals.requests);
      } finally {
        await transport.close();
      }
      if (round === 0) recorded = sent;

      since = bench.utilization();
      const replay = await replayLoad(load, sent);
      replays.push({ perSecond: replay.requestsPerSecond, busy: bench.busySince(since) });
    }
  } finally {
    await bench.close();
  }
  return {
    rounds: options.rounds,
    harnessCasesPerSecond: median(harness.map((round) => round.casesPerSecond)),
    harnessRequestsPerSecond: median(harness.map((round) => round.requestsPerSecond)),
    harnessCases: median(harness.map((round) => round.cases)),
    autocannonValidPutsPerSecond: median(validPuts.map((round) => round.perSecond)),
    autocannonReplayPerSecond: median(replays.map((round) => round.perSecond)),
    serverBusy: {
      harness: median(harness.map((round) => round.busy)),
      validPuts: median(validPuts.map((round) => round.busy)),
      replay: median(replays.map((round) => round.busy)),
    },
    validPutFailures: validPuts.reduce((sum, round) => sum + round.failures, 0),
    recorded,
  };
}

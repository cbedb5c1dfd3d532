/**
 * Latency hiding: the default profile against the reference server delaying every answer by
 * 20 ms. With concurrency C, N requests cannot take less than N × 20 ms / C; the firing phase
 * (generation, requests and checks: everything between the first case and the last answer) is
 * compared with that ideal.
 */
import { runDefaults } from '../harness/run/runConformance.ts';
import type { Contract } from '../spec/loadContract.ts';
import type { RunVerdict } from '../harness/run/runResult.ts';
import { firingMs, runHarness } from './harnessRun.ts';
import { startBenchServer } from './serverThread.ts';

export interface LatencyFigures {
  latencyMs: number;
  concurrency: number;
  requests: number;
  cases: number;
  firingMs: number;
  idealMs: number;
  verdict: RunVerdict;
}

export async function measureLatencyHiding(contract: Contract, latencyMs = 20): Promise<LatencyFigures> {
  const bench = await startBenchServer({ latencyMs });
  try {
    const concurrency = runDefaults.concurrency;
    const result = await runHarness({ server: bench.server, contract, seed: 1, concurrency });
    return {
      latencyMs,
      concurrency,
      requests: result.totals.requests,
      cases: result.totals.cases,
      firingMs: firingMs(result),
      idealMs: (result.totals.requests * latencyMs) / concurrency,
      verdict: result.verdict,
    };
  } finally {
    await bench.close();
  }
}

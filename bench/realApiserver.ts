/**
 * Not the bottleneck against a real server: a real kube-apiserver + etcd (the project's test
 * helper, test/support/controlPlane.ts), the harness's default profile against it (in this
 * process, every request recorded in order with its headers and body, shrinking off so every
 * request belongs to the concurrent part of the run), then the same requests replayed, in the
 * same order, by a minimal load loop on undici — the load tool: one undici Agent with the same
 * number of keep-alive connections as the run's transport (its concurrency, 16, plus the
 * janitor's 4 for deletes during the run), as many loops, each answer read whole and dropped,
 * nothing judged.
 *
 * Rates compare like with like: every request the run sent (its cases' requests and what the
 * janitor sent meanwhile: preflight, deletes during the run, the final check), counted from the
 * first request sent to the last answer read, against the same list replayed.
 */
import type { RunVerdict } from '../harness/run/runResult.ts';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { eagerCleanupConcurrency, generatesOnWorkerByDefault, runDefaults } from '../harness/run/runDefaults.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { OutgoingRequest, Transport } from '../harness/transport/types.ts';
import type { Contract } from '../spec/loadContract.ts';
import { adminToken, conformanceNamespace, controlPlaneAssets, readerToken, startControlPlane } from '../test/support/controlPlane.ts';

export interface RealApiserverFigures {
  version: string;
  concurrency: number;
  /** Keep-alive connections of the run's transport, and of the replay (as many loops). */
  connections: number;
  cases: number;
  verdict: RunVerdict;
  failedChecks: string[];
  /** Every request the run sent, in order. */
  requests: number;
  /** Most requests the run had in flight at once (the transport queues beyond its connections). */
  mostInFlight: number;
  harnessPerSecond: number;
  replayPerSecond: number;
  /** Answers to the replay by status class, e.g. { '2xx': 3000, '4xx': 3400 }. */
  replayStatuses: Record<string, number>;
}

/** Why the part cannot run here, or undefined when it can. */
export function realApiserverUnavailable(): string | undefined {
  const assets = controlPlaneAssets();
  return assets.ok ? undefined : assets.reason;
}

interface Recorded {
  request: OutgoingRequest;
  sentAt: number;
  doneAt: number;
}

function recording(inner: Transport): Transport & { log: Recorded[]; mostInFlight: number } {
  const log: Recorded[] = [];
  let inFlight = 0;
  const transport = {
    log,
    mostInFlight: 0,
    async send(outgoing: OutgoingRequest) {
      const entry: Recorded = { request: outgoing, sentAt: performance.now(), doneAt: 0 };
      log.push(entry);
      inFlight += 1;
      transport.mostInFlight = Math.max(transport.mostInFlight, inFlight);
      try {
        return await inner.send(outgoing);
      } finally {
        inFlight -= 1;
        entry.doneAt = performance.now();
      }
    },
    close: () => inner.close(),
  };
  return transport;
}

/** The load tool: `concurrency` loops over the list in order, on one keep-alive Agent. */
async function replay(list: readonly OutgoingRequest[], concurrency: number, ca: string): Promise<{ perSecond: number; statuses: Record<string, number> }> {
  const agent = new Agent({ connections: concurrency, pipelining: 1, connect: { ca } });
  const statuses: Record<string, number> = {};
  let next = 0;
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < list.length) {
          const item = list[next];
          next += 1;
          try {
            const answer = await request(item.url, {
              method: item.method as 'GET',
              headers: item.headers,
              ...(item.body === undefined ? {} : { body: item.body }),
              dispatcher: agent,
            });
            await answer.body.text();
            const kind = `${String(answer.statusCode).charAt(0)}xx`;
            statuses[kind] = (statuses[kind] ?? 0) + 1;
          } catch {
            statuses.failed = (statuses.failed ?? 0) + 1;
          }
        }
      }),
    );
    return { perSecond: (list.length / (performance.now() - started)) * 1000, statuses };
  } finally {
    await agent.close();
  }
}

export async function measureRealApiserver(contract: Contract, options: { runs: number }): Promise<RealApiserverFigures> {
  const plane = await startControlPlane();
  try {
    const ca = await readFile(plane.caFile, 'utf8');
    const concurrency = runDefaults.concurrency;
    // as runConformance makes its own transport: the cases' connections and the janitor's
    const connections = concurrency + eagerCleanupConcurrency(concurrency, false);
    const connection: ResolvedConnection = {
      baseUrl: plane.url,
      namespace: conformanceNamespace,
      auth: { scheme: 'bearer', token: adminToken, readonlyToken: readerToken },
      tls: { insecure: false, caPem: ca },
      describedAs: `kube-apiserver ${plane.version} ${plane.url}`,
    };
    const selection = resolveSelection(caseCategories, checkRegistry, [], []);
    if (!selection.ok) throw new Error(selection.error);
    const transport = recording(
      createTransport({ timeoutMs: runDefaults.timeoutMs, maxBodyBytes: runDefaults.maxBodyBytes, connections, tls: connection.tls }),
    );
    let result;
    try {
      const outcome = await runConformance({
        connection,
        targetDescription: connection.describedAs,
        selection: selection.selection,
        runs: options.runs,
        seed: 1,
        concurrency,
        contract,
        maxShrinks: 0,
        transport,
        // as the command line runs
        generateOnWorker: generatesOnWorkerByDefault(),
      });
      if (!outcome.ok) throw new Error(outcome.error);
      result = outcome.result;
    } finally {
      await transport.close();
    }
    const log = transport.log;
    if (log.length === 0) throw new Error('the run sent nothing');
    const spanMs = Math.max(...log.map((entry) => entry.doneAt)) - log[0].sentAt;
    const replayed = await replay(log.map((entry) => entry.request), connections, ca);
    return {
      version: plane.version,
      concurrency,
      connections,
      cases: result.totals.cases,
      verdict: result.verdict,
      failedChecks: result.checks.filter((check) => check.failed > 0).map((check) => check.name),
      requests: log.length,
      mostInFlight: transport.mostInFlight,
      harnessPerSecond: (log.length / spanMs) * 1000,
      replayPerSecond: replayed.perSecond,
      replayStatuses: replayed.statuses,
    };
  } finally {
    await plane.stop();
  }
}

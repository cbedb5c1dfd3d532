/**
 * Child-process entry for the memory benchmark: one harness run of about `--cases` cases (every
 * category, every check, runs = cases / categories) against the reference server at `--target`
 * (started by the parent, so this process holds the harness alone) or, without it, an embedded
 * one on a worker thread of this process. Prints one JSON line: the cases run and this process's
 * peak resident set size.
 */
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { startReferenceServerInWorker } from '../reference-server/inWorker.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';

export interface MemoryProbeResult {
  cases: number;
  requests: number;
  verdict: 'pass' | 'fail';
  maxRssBytes: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const wanted = Number(argument('--cases') ?? '1000');
const target = argument('--target');
const token = argument('--token') ?? 'conformance-token';
const selection = resolveSelection(caseCategories, checkRegistry, [], []);
if (!selection.ok) throw new Error(selection.error);
const runs = Math.max(1, Math.round(wanted / selection.selection.categories.length));
const contract = await loadContract();
const embedded: RunningReferenceServer | undefined = target === undefined ? await startReferenceServerInWorker({}) : undefined;
try {
  const connection =
    embedded !== undefined
      ? embeddedConnection(embedded)
      : {
          baseUrl: target ?? '',
          namespace: 'conformance',
          auth: { scheme: 'x-auth-token' as const, token },
          tls: { insecure: false },
          describedAs: `reference server ${target ?? ''}`,
        };
  const outcome = await runConformance({
    connection,
    targetDescription: connection.describedAs,
    selection: selection.selection,
    runs,
    seed: 7,
    contract,
  });
  if (!outcome.ok) throw new Error(outcome.error);
  const result: MemoryProbeResult = {
    cases: outcome.result.totals.cases,
    requests: outcome.result.totals.requests,
    verdict: outcome.result.verdict,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await embedded?.close();
}

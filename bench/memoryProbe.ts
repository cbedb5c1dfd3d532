/**
 * Child-process entry for the memory benchmark: one harness run of about `--cases` cases (every
 * category, every check, runs = cases / categories) against the reference server at `--target`
 * (started by the parent, so this process holds the harness alone). Prints one JSON line: the
 * cases run and this process's peak resident set size.
 *   npx tsx bench/memoryProbe.ts --cases 1000 --target http://127.0.0.1:PORT --token T --readonly-token R
 */
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import { generatesOnWorkerByDefault } from '../harness/run/runDefaults.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { RunVerdict } from '../harness/run/runResult.ts';

export interface MemoryProbeResult {
  cases: number;
  requests: number;
  verdict: RunVerdict;
  maxRssBytes: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const target = argument('--target');
  const token = argument('--token');
  if (target === undefined || token === undefined) throw new Error('usage: memoryProbe.ts --cases N --target URL --token T [--readonly-token R]');
  const readonlyToken = argument('--readonly-token');
  const selection = resolveSelection(caseCategories, checkRegistry, [], []);
  if (!selection.ok) throw new Error(selection.error);
  const runs = Math.max(1, Math.round(Number(argument('--cases') ?? '1000') / selection.selection.categories.length));
  const connection: ResolvedConnection = {
    baseUrl: target,
    namespace: 'conformance',
    auth: { scheme: 'x-auth-token', token, ...(readonlyToken === undefined ? {} : { readonlyToken }) },
    tls: { insecure: false },
    describedAs: `reference server ${target}`,
  };
  const outcome = await runConformance({
    connection,
    targetDescription: connection.describedAs,
    selection: selection.selection,
    runs,
    seed: 7,
    contract: await loadContract(),
    // as the command line runs
    generateOnWorker: generatesOnWorkerByDefault(),
  });
  if (!outcome.ok) throw new Error(outcome.error);
  const result: MemoryProbeResult = {
    cases: outcome.result.totals.cases,
    requests: outcome.result.totals.requests,
    verdict: outcome.result.verdict,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`memory probe: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exitCode = 1;
});

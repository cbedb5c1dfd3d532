/** One conformance run of the harness's default profile (every category, every check) against
 * a running reference server, as the CLI makes it, minus the reports. */
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance, runDefaults } from '../harness/run/runConformance.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import type { Transport } from '../harness/transport/types.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import type { Contract } from '../spec/loadContract.ts';

export interface HarnessRunOptions {
  server: RunningReferenceServer;
  contract: Contract;
  seed: number;
  runs?: number;
  concurrency?: number;
  transport?: Transport;
}

export async function runHarness(options: HarnessRunOptions): Promise<RunResult> {
  const selection = resolveSelection(caseCategories, checkRegistry, [], []);
  if (!selection.ok) throw new Error(selection.error);
  const outcome = await runConformance({
    connection: embeddedConnection(options.server),
    targetDescription: 'embedded reference server (benchmark)',
    selection: selection.selection,
    runs: options.runs ?? runDefaults.runs,
    seed: options.seed,
    concurrency: options.concurrency ?? runDefaults.concurrency,
    contract: options.contract,
    ...(options.transport === undefined ? {} : { transport: options.transport }),
  });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.result;
}

/** The firing phase's wall time: generation, requests and checks, interleaved. */
export function firingMs(result: RunResult): number {
  const phases = result.phases;
  if (phases === undefined) throw new Error('the run did not report its phases');
  return phases.generationMs + phases.requestsMs + phases.checksMs;
}

/**
 * The fault proof: for every fault of the reference server's catalogue, a run against the
 * server with that fault on fails, and the check the catalogue says catches it is among the
 * failing checks. Every check of the registry catches at least one fault. The runs use every
 * category and the full check registry, few cases each, no shrinking.
 *
 * "Caught" is judged against a fault-free baseline with the same seed: the catcher must fail
 * in some category more often than it does without the fault, so a disagreement the server
 * and the generators may have elsewhere cannot make a fault look caught.
 */
import assert from 'node:assert/strict';
import { caseCategories } from '../generators/categories.ts';
import { checkNames, checkRegistry } from '../harness/checks/registry.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { faultCatalogue } from '../reference-server/faults.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';
import type { FaultName } from '../reference-server/faults.ts';
import type { RunResult } from '../harness/run/runResult.ts';

const runsPerCategory = 8;
const seed = 5150;

async function runWithFaults(contract: Contract, faults: FaultName[]): Promise<RunResult> {
  const server = await startReferenceServer({ faults });
  try {
    const selection = resolveSelection(caseCategories, checkRegistry, [], []);
    assert.ok(selection.ok);
    const outcome = await runConformance({
      connection: embeddedConnection(server),
      targetDescription: `reference server with ${faults.join(', ') || 'no fault'}`,
      selection: selection.selection,
      runs: runsPerCategory,
      seed,
      concurrency: 8,
      timeoutMs: 5000,
      maxShrinks: 0,
      contract,
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    return outcome.result;
  } finally {
    await server.close();
  }
}

/** Failures per "category check". */
function failureCounts(result: RunResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const category of result.categories) {
    for (const check of category.checks) counts.set(`${category.name} ${check.check}`, check.failed);
  }
  return counts;
}

describe('every fault of the reference server is caught by its check', function () {
  this.timeout(120_000);
  let contract: Contract;
  let baseline: Map<string, number>;
  before(async () => {
    contract = await loadContract();
    baseline = failureCounts(await runWithFaults(contract, []));
  });

  it('every check in the registry is the catcher of at least one fault, and every catcher is a check', () => {
    const catchers = new Set(faultCatalogue.map((fault) => fault.caughtBy));
    for (const name of checkNames) assert.ok(catchers.has(name), `no fault proves that ${name} can fail`);
    for (const catcher of catchers) assert.ok(checkNames.includes(catcher), `${catcher} is not a check`);
  });

  for (const fault of faultCatalogue) {
    it(`${fault.name} → ${fault.caughtBy}`, async () => {
      const result = await runWithFaults(contract, [fault.name]);
      assert.equal(result.verdict, 'fail', `the run passed with ${fault.name} on`);
      const catching = [...failureCounts(result)]
        .filter(([key, failed]) => key.endsWith(` ${fault.caughtBy}`) && failed > (baseline.get(key) ?? 0))
        .map(([key]) => key.split(' ')[0]);
      const failing = result.checks.filter((check) => check.failed > 0).map((check) => check.name);
      assert.ok(catching.length > 0, `${fault.caughtBy} failed no more than without the fault; failing checks: ${failing.join(', ')}`);
    });
  }
});

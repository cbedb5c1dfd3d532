/**
 * The differential suite: every category's cases (a fixed seed, 20 per category) fired at the
 * real kube-apiserver AND at the reference server set to the same release, compared case by case
 * on status, reason and causes (field and type). It is a run with `compareWith` (harness/compare):
 * the same case runner (fireCase) fires each case at both connections, each in its own names,
 * each cleaned up by its own janitor. A disagreement prints the case id and both answers.
 *
 * Why 20: with this seed, 20 cases per category give every expectation shape (method, credential,
 * status, reason, cause fields without indices and cause types, step by step) that 100 cases of
 * the category give; the last test here keeps that true when the generators change.
 */
import assert from 'node:assert/strict';
import { caseCategories } from '../generators/categories.ts';
import { categorySeed, generateCases } from '../generators/generateCases.ts';
import type { ConformanceCase } from '../generators/case.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { differenceLines } from '../harness/compare/comparisonReport.ts';
import type { ComparisonResult } from '../harness/compare/comparisonResult.ts';
import { resolveConnection } from '../harness/connection/resolveConnection.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';
import { conformanceNamespace, controlPlaneOrSkip } from './support/controlPlane.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';
import { referenceLikeTheControlPlane } from './support/referenceLikeControlPlane.ts';

const differentialSeed = 2020;
const differentialRuns = 20;


function oneLine(body: string | undefined): string {
  return body === undefined ? '(not fired)' : body.replace(/\s*\n\s*/g, ' ');
}

describe('differential: the real kube-apiserver and the reference server answer every case alike', function () {
  let plane: RunningControlPlane;
  let run: RunResult;
  let comparison: ComparisonResult;

  before(async function () {
    plane = await controlPlaneOrSkip(this);
    this.timeout(180_000);
    const real = await resolveConnection({ kubeconfig: plane.kubeconfigPath, readonlyTokenFile: plane.readerTokenFile, env: {} });
    assert.ok(real.ok, real.ok ? '' : real.error);
    const selection = resolveSelection(caseCategories, checkRegistry, [], []);
    assert.ok(selection.ok);
    const server = await startReferenceServer(referenceLikeTheControlPlane(plane.version));
    try {
      const outcome = await runConformance({
        connection: embeddedConnection(server),
        targetDescription: 'reference server',
        selection: selection.selection,
        runs: differentialRuns,
        seed: differentialSeed,
        maxShrinks: 0,
        contract: await loadContract(),
        compareWith: { connection: real.connection, description: `kube-apiserver ${plane.version}` },
      });
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      run = outcome.result;
    } finally {
      await server.close();
    }
    assert.ok(run.comparison);
    comparison = run.comparison;
  });

  for (const category of caseCategories) {
    it(`${category.name}: the same status, reason and causes on every case`, function () {
      const compared = comparison.categories.find((candidate) => candidate.name === category.name);
      assert.ok(compared, `${category.name} was not compared`);
      assert.deepEqual(compared.notComparedReasons, {}, 'every case is fired at both');
      assert.equal(compared.compared, differentialRuns);
      const lines = compared.differences.flatMap((difference) => [
        ...differenceLines(difference, { replayCommand: (id) => `--replay ${id} --seed ${differentialSeed}` }, 'reference', 'real'),
        `    reference answered: ${oneLine(difference.first?.bodyExcerpt)}`,
        `    real answered:      ${oneLine(difference.second?.bodyExcerpt)}`,
      ]);
      assert.equal(compared.differing, 0, `${compared.differing} of ${compared.compared} cases differ:\n${lines.join('\n')}`);
    });
  }

  it('each side cleaned up after itself: nothing of either run is left on the real server', async function () {
    assert.deepEqual(comparison.cleanup.leftOver, []);
    assert.deepEqual(comparison.cleanup.failed, []);
    assert.ok(comparison.cleanup.verified);
    assert.ok(comparison.cleanup.deleted.length > 0, 'the comparison created objects on the real server');
    const listed = await plane.api('GET', `/api/v1/namespaces/${conformanceNamespace}/endpoints`);
    assert.equal(listed.status, 200);
    const names = ((listed.body as { items?: Array<{ metadata: { name: string } }> }).items ?? []).map((item) => item.metadata.name);
    assert.deepEqual(names.filter((name) => name.startsWith(`ec-${comparison.runId}-`)), []);
  });
});

describe('differential: 20 cases per category cover the category\'s expectation shapes', function () {
  it(`every shape 100 cases give, ${differentialRuns} cases of seed ${differentialSeed} give too`, async function () {
    this.timeout(120_000);
    const contract = await loadContract();
    const shape = (conformanceCase: ConformanceCase): string =>
      JSON.stringify(
        conformanceCase.steps.map((step) => [
          step.request.method,
          step.request.auth,
          step.expect.status,
          step.expect.reason,
          (step.expect.causes ?? []).map((cause) => `${cause.field.replace(/\[\d+\]/g, '[]')} ${cause.type}`).sort(),
        ]),
      );
    const missing: string[] = [];
    for (const category of caseCategories) {
      const many = generateCases(category, contract, { seed: categorySeed(differentialSeed, category.name), runs: 100 });
      const few = new Set(many.slice(0, differentialRuns).map((generated) => shape(generated.case)));
      for (const seen of new Set(many.map((generated) => shape(generated.case)))) if (!few.has(seen)) missing.push(`${category.name}: ${seen}`);
    }
    assert.deepEqual(missing, []);
  });
});

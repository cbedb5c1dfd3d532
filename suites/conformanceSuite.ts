/**
 * The run's results as a mocha suite, for the HTML (mochawesome) and JUnit (xunit) reports:
 * first a verdict suite (one `it` per check over the whole run, so the verdict and where it
 * failed are the first thing a reader sees), then a run-level suite (target, seed, replay,
 * cleanup), then a describe per category with an `it` per check that applied there (pass/fail,
 * with each failing case as context) and pending tests for skipped cases. Built from results already judged: running it fires no request.
 */
import { releaseHeadline, releaseLines } from '../harness/release/releaseLines.ts';
import { createRequire } from 'node:module';
import Mocha from 'mocha';
import { curlCommand } from '../harness/report/curlCommand.ts';
import type { CategoryCheckResult, CategoryResult, FailureRecord, RunResult, ShrinkRecord } from '../harness/run/runResult.ts';
import { addComparisonSuite } from './comparisonSuite.ts';
import { runErrorTest, preflightTest } from './runErrorTests.ts';

type ContextValue = string | { title: string; value: unknown };
const require = createRequire(import.meta.url);
const addContext = require('mochawesome/addContext.js') as (test: Mocha.Context, context: ContextValue) => void;

export interface SuiteOptions {
  /** Masks every secret in text that goes into a report. */
  redact: (text: string) => string;
  /** The command that replays a case id on this run's target. */
  replayCommand: (caseId: string) => string;
  /** Failing cases shown in full per test (the rest are listed in one line each). */
  detailedFailures?: number;
  /** With --compare-with: the command that replays a case id on the comparison target. */
  comparisonReplayCommand?: (caseId: string) => string;
}

/** A failure thrown for a failing check: the message is the verdict, the "stack" lists the
 * failing cases (the JUnit report shows both; no code stack is useful here). */
function checkFailure(message: string, lines: string[]): Error {
  const error = new Error(message);
  error.stack = lines.join('\n');
  return error;
}

function failureLine(failure: FailureRecord): string {
  return `${failure.caseId} step ${failure.step}: expected ${failure.expected}; got ${failure.actual}`;
}

function failureContexts(failure: FailureRecord, shrink: ShrinkRecord | undefined, options: SuiteOptions): ContextValue[] {
  const redact = options.redact;
  const contexts: ContextValue[] = [
    {
      title: `failing case ${failure.caseId}`,
      value: redact(
        [
          failure.description,
          `step ${failure.step}: expected ${failure.expected}`,
          `actual: ${failure.actual}`,
          `fast-check seed ${failure.seed}, path ${failure.path}`,
          `replay: ${options.replayCommand(failure.caseId)}`,
        ].join('\n'),
      ),
    },
    { title: `requests and answers of ${failure.caseId}`, value: JSON.parse(redact(JSON.stringify(failure.exchanges))) as unknown },
    { title: `curl for ${failure.caseId} (set CONFORMANCE_TOKEN first)`, value: redact(failure.exchanges.map(curlCommand).join('\n\n')) },
  ];
  if (shrink !== undefined) {
    if (shrink.shrunk !== undefined) {
      const shrunk = shrink.shrunk;
      contexts.push({
        title: `shrunk counterexample ${shrunk.caseId} (${shrunk.numShrinks} shrinks${shrink.note === undefined ? '' : `; ${shrink.note}`})`,
        value: JSON.parse(
          redact(
            JSON.stringify({
              description: shrunk.description,
              step: shrunk.step,
              expected: shrunk.expected,
              actual: shrunk.actual,
              replay: options.replayCommand(shrunk.caseId),
              exchanges: shrunk.exchanges,
              curl: shrunk.exchanges.map(curlCommand),
            }),
          ),
        ) as unknown,
      });
    } else {
      contexts.push({ title: 'shrinking', value: shrink.note ?? 'no smaller failing case found' });
    }
  }
  return contexts;
}

function checkTest(category: CategoryResult, result: CategoryCheckResult, shrinks: readonly ShrinkRecord[], options: SuiteOptions): Mocha.Test {
  const upstream = result.upstream > 0 ? ` — upstream behaviour ×${result.upstream} (Kubernetes answers the same)` : '';
  const title = `${result.check}${upstream}`;
  const detailed = options.detailedFailures ?? 5;
  return new Mocha.Test(title, function (this: Mocha.Context) {
    addContext(this, {
      title: 'applicability',
      value: `${result.applicable} exchanges judged: ${result.passed} passed, ${result.failed} failed, ${result.upstream} upstream behaviour`,
    });
    if (result.upstream > 0) {
      addContext(this, { title: 'upstream behaviour', value: options.redact(result.upstreamNotes.join('\n')) });
    }
    if (result.failed === 0) return;
    addContext(this, { title: 'category', value: `${category.name}: ${category.description} (source: ${category.source})` });
    for (const failure of result.failures.slice(0, detailed)) {
      const shrink = shrinks.find((item) => item.check === result.check && item.originalCaseId === failure.caseId);
      for (const context of failureContexts(failure, shrink, options)) addContext(this, context);
    }
    const listed = result.failures.slice(detailed);
    if (listed.length > 0 || result.failuresOmitted > 0) {
      const more = result.failuresOmitted > 0 ? [`… and ${result.failuresOmitted} more failing exchanges not recorded`] : [];
      addContext(this, { title: 'more failing cases', value: options.redact([...listed.map(failureLine), ...more].join('\n')) });
    }
    throw checkFailure(
      options.redact(`${result.failed} of ${result.applicable} exchanges failed ${result.check}: expected ${result.failures[0]?.expected ?? '?'}; got ${result.failures[0]?.actual ?? '?'}`),
      result.failures.slice(0, 20).map((failure) => options.redact(failureLine(failure))),
    );
  });
}

function categorySuite(parent: Mocha.Suite, category: CategoryResult, run: RunResult, options: SuiteOptions): void {
  const suite = Mocha.Suite.create(parent, category.name);
  for (const [reason, count] of Object.entries(category.skipReasons)) {
    suite.addTest(new Mocha.Test(`skipped ${count} of ${category.planned} cases: ${reason}`));
  }
  for (const result of category.checks) suite.addTest(checkTest(category, result, run.shrinks, options));
  if (category.caseErrorCount > 0) {
    suite.addTest(
      new Mocha.Test('every step of every case fired', function () {
        throw checkFailure(`${category.caseErrorCount} cases stopped before their last step`, category.caseErrors.map(options.redact));
      }),
    );
  }
  if (category.notRun > 0) {
    suite.addTest(
      new Mocha.Test(`every planned case ran`, function () {
        throw checkFailure(`${category.notRun} of ${category.planned} cases were not run`, [run.stoppedEarly ?? 'the run stopped early']);
      }),
    );
  }
}

/** `totals: 280 cases, 100 failed, 0 skipped, 0 not run, 382 requests` (parsed back by totalsFromTitle). */
export function totalsTitle(totals: RunResult['totals']): string {
  return `totals: ${totals.cases} cases, ${totals.failed} failed, ${totals.skipped} skipped, ${totals.notRun} not run, ${totals.requests} requests`;
}

export function totalsFromTitle(title: string): RunResult['totals'] | undefined {
  const match = /^totals: (\d+) cases, (\d+) failed, (\d+) skipped, (\d+) not run, (\d+) requests$/.exec(title);
  if (match === null) return undefined;
  return { cases: Number(match[1]), failed: Number(match[2]), skipped: Number(match[3]), notRun: Number(match[4]), requests: Number(match[5]) };
}

function runSuite(parent: Mocha.Suite, run: RunResult, options: SuiteOptions): void {
  const suite = Mocha.Suite.create(parent, 'run');
  suite.addTest(
    new Mocha.Test('target, seed and replay', function (this: Mocha.Context) {
      addContext(this, {
        title: 'run',
        value: options.redact(
          [
            `target: ${run.target}`,
            `run id: ${run.runId}, seed: ${run.seed}, started ${run.startedAt}, ${run.durationMs} ms`,
            `cases: ${run.totals.cases} fired, ${run.totals.failed} failed, ${run.totals.skipped} skipped, ${run.totals.notRun} not run; ${run.totals.requests} requests`,
            `contract sha256: ${run.specSha256}; harness ${run.harnessVersion}`,
            `rerun the same cases: add --seed ${run.seed}; replay one case: ${options.replayCommand('<case id>')}`,
            ...run.notes,
          ].join('\n'),
        ),
      });
      addContext(this, { title: 'coverage', value: run.coverage });
      if (run.stoppedEarly !== undefined) throw checkFailure(run.stoppedEarly, []);
    }),
  );
  // the run's totals as a test title, so junit.xml and the HTML carry them too (verify-bundle compares them)
  suite.addTest(new Mocha.Test(totalsTitle(run.totals), function () {}));
  const release = run.targetRelease;
  if (release !== undefined) {
    suite.addTest(
      new Mocha.Test(releaseHeadline(release), function (this: Mocha.Context) {
        addContext(this, { title: 'which Kubernetes the target is, and what follows for the judgement', value: options.redact(releaseLines(release).join('\n')) });
      }),
    );
  }
  const cleanup = run.cleanup;
  const cleanupProblems = cleanup.failed.length + cleanup.leftOver.length;
  if (cleanupProblems === 0 && cleanup.verified) {
    suite.addTest(
      new Mocha.Test(`cleanup: ${cleanup.deleted.length} objects deleted, nothing left`, function (this: Mocha.Context) {
        addContext(this, { title: 'cleanup', value: cleanup });
      }),
    );
  } else {
    suite.addTest(new Mocha.Test(`cleanup incomplete: ${cleanupProblems} object(s) left or not deleted${cleanup.verified ? '' : ', not verified'} (see summary.json)`));
  }
}

/** The run's verdict and one test per check over every category: passed / applicable, the
 * categories where it failed, and how often it judged Kubernetes' own behaviour. */
function verdictSuite(parent: Mocha.Suite, run: RunResult, options: SuiteOptions): void {
  const verdict = run.verdict === 'pass' ? 'the target conforms' : run.verdict === 'error' ? 'error — the run could not be made or finished' : 'the target does not conform';
  const suite = Mocha.Suite.create(parent, `verdict: ${verdict}`);
  // an error verdict, then a failed preflight, come first: they say what the rest is worth
  if (run.error !== undefined) suite.addTest(runErrorTest(run.error, options.redact));
  if (run.preflight !== undefined && run.error === undefined) suite.addTest(preflightTest(run.preflight, options.redact));
  for (const check of run.checks) {
    const counts = check.applicable === 0 ? 'not applicable to any case' : `${check.passed} of ${check.applicable} exchanges passed`;
    const upstream = check.upstream > 0 ? `, ${check.upstream} upstream behaviour` : '';
    suite.addTest(
      new Mocha.Test(`${check.name}: ${counts}${upstream}`, function (this: Mocha.Context) {
        addContext(this, { title: 'what it checks', value: check.description });
        if (check.failed === 0) return;
        const failing = run.categories
          .map((category) => ({ category, result: category.checks.find((result) => result.check === check.name) }))
          .filter(({ result }) => result !== undefined && result.failed > 0)
          .map(({ category, result }) => `${category.name}: ${result?.failed ?? 0} of ${result?.applicable ?? 0} failed`);
        throw checkFailure(options.redact(`${check.failed} of ${check.applicable} exchanges failed ${check.name}`), failing.map(options.redact));
      }),
    );
  }
}

/** Adds the run's suites under `root`. */
export function addConformanceSuites(root: Mocha.Suite, run: RunResult, options: SuiteOptions): void {
  verdictSuite(root, run, options);
  runSuite(root, run, options);
  if (run.comparison !== undefined) addComparisonSuite(root, run.comparison, options);
  for (const category of run.categories) categorySuite(root, category, run, options);
}

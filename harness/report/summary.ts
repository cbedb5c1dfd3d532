/** summary.json: the run in numbers, for machines (CI gates, dashboards). */
import type { ComparisonSummary } from '../compare/comparisonReport.ts';
import type { CleanupSummary, RunResult, UpstreamBehaviourRecord } from '../run/runResult.ts';

/** The published shape of summary.json. Its head fields are the run's own (phases: where the
 * wall time went, see harness/run/runPhases.ts); the rest is condensed for machines. */
export interface RunSummary
  extends Pick<
    RunResult,
    'verdict' | 'target' | 'startedAt' | 'durationMs' | 'phases' | 'seed' | 'runId' | 'harnessVersion' | 'specSha256' | 'totals'
  > {
  checks: Array<{ name: string; applicable: number; passed: number; failed: number; upstream: number }>;
  categories: Array<{ name: string; cases: number; failed: number; skipped: number; notRun: number; skipReasons: Record<string, number> }>;
  coverage: RunResult['coverage'];
  cleanup: CleanupSummary;
  upstreamBehaviour: UpstreamBehaviourRecord[];
  /** Which Kubernetes the target is, its capabilities, and the categories adapted or skipped for it. */
  targetRelease?: RunResult['targetRelease'];
  /** The first failing case of each failing category×check, by id (replay with --replay). */
  failingCases: Array<{ category: string; check: string; caseId: string; expected: string; actual: string; shrunkCaseId?: string }>;
  stoppedEarly?: string;
  /** When the verdict is `error`: why, in words and as data (RunErrorRecord). */
  error?: RunResult['error'];
  /** When the preflight list failed: what came back and what the run did instead. */
  preflight?: RunResult['preflight'];
  notes: string[];
  /** The command line that made the run. */
  command?: string;
  /** The comparison with --baseline: known, new and fixed failures, and the CI gate. */
  baseline?: RunResult['baseline'];
  /** With --compare-with: the cases a second target answered differently (written by writeReports). */
  comparison?: ComparisonSummary;
}

export function buildSummary(result: RunResult): RunSummary {
  const shrunkByCase = new Map(result.shrinks.map((shrink) => [`${shrink.check} ${shrink.originalCaseId}`, shrink.shrunk?.caseId]));
  const failingCases: RunSummary['failingCases'] = [];
  for (const category of result.categories) {
    for (const check of category.checks) {
      const first = check.failures[0];
      if (first === undefined) continue;
      const shrunkCaseId = shrunkByCase.get(`${check.check} ${first.caseId}`);
      failingCases.push({
        category: category.name,
        check: check.check,
        caseId: first.caseId,
        expected: first.expected,
        actual: first.actual,
        ...(shrunkCaseId === undefined ? {} : { shrunkCaseId }),
      });
    }
  }
  return {
    verdict: result.verdict,
    target: result.target,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ...(result.phases === undefined ? {} : { phases: result.phases }),
    seed: result.seed,
    runId: result.runId,
    harnessVersion: result.harnessVersion,
    specSha256: result.specSha256,
    totals: result.totals,
    checks: result.checks.map(({ name, applicable, passed, failed, upstream }) => ({ name, applicable, passed, failed, upstream })),
    categories: result.categories.map(({ name, cases, failed, skipped, notRun, skipReasons }) => ({ name, cases, failed, skipped, notRun, skipReasons })),
    coverage: result.coverage,
    cleanup: result.cleanup,
    upstreamBehaviour: result.upstreamBehaviour,
    ...(result.targetRelease === undefined ? {} : { targetRelease: result.targetRelease }),
    failingCases,
    ...(result.stoppedEarly === undefined ? {} : { stoppedEarly: result.stoppedEarly }),
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.preflight === undefined ? {} : { preflight: result.preflight }),
    notes: result.notes,
    ...(result.command === undefined ? {} : { command: result.command }),
    ...(result.baseline === undefined ? {} : { baseline: result.baseline }),
  };
}

/** A run's failures against a baseline: which are known (accepted), which are new, and which
 * known failures no longer fail (fixed). The CI gate passes when nothing new failed and the run
 * itself completed (a run that stopped early or could not fire its cases is never excused). */
import { categorySeed } from '../../generators/generateCases.ts';
import { parseCaseId } from '../run/caseId.ts';
import type { RunResult } from '../run/runResult.ts';
import type { Baseline, BaselineEntry } from './baselineFile.ts';

export interface FailingPair {
  check: string;
  category: string;
  failed: number;
  firstCaseId?: string;
}

export interface BaselineOutcome {
  /** The file as given on the command line. */
  file: string;
  known: Array<FailingPair & { matchedBy: 'check and category' | 'case ids'; note?: string }>;
  new: FailingPair[];
  /** Known failures that this run exercised and that passed. */
  fixed: Array<BaselineEntry & { what: string }>;
  /** Known failures this run could not tell about (not selected, skipped, or details capped). */
  notExercised: Array<BaselineEntry & { what: string; why: string }>;
  gate: 'pass' | 'fail';
  /** One line: why the gate passed or failed. */
  gateReason: string;
}

function describe(entry: BaselineEntry): string {
  return entry.caseId !== undefined ? `case ${entry.caseId}${entry.check === undefined ? '' : ` (${entry.check})`}` : `${entry.check} in ${entry.category}`;
}

export function compareWithBaseline(result: RunResult, baseline: Baseline, file: string): BaselineOutcome {
  const entries = baseline.knownFailures;
  const used = new Set<BaselineEntry>();
  const known: BaselineOutcome['known'] = [];
  const fresh: FailingPair[] = [];
  for (const category of result.categories) {
    for (const check of category.checks) {
      if (check.failed === 0) continue;
      const pair: FailingPair = { check: check.check, category: category.name, failed: check.failed, ...(check.failures[0] === undefined ? {} : { firstCaseId: check.failures[0].caseId }) };
      const byPair = entries.find((entry) => entry.caseId === undefined && entry.check === check.check && entry.category === category.name);
      if (byPair !== undefined) {
        used.add(byPair);
        known.push({ ...pair, matchedBy: 'check and category', ...(byPair.note === undefined ? {} : { note: byPair.note }) });
        continue;
      }
      // by case ids: every failure of the pair recorded, and each one listed (for this check, or any check)
      const listed = check.failures.map((failure) =>
        entries.find((entry) => entry.caseId === failure.caseId && (entry.check === undefined || entry.check === check.check)),
      );
      if (check.failuresOmitted === 0 && listed.length === check.failed && listed.every((entry) => entry !== undefined)) {
        for (const entry of listed) if (entry !== undefined) used.add(entry);
        known.push({ ...pair, matchedBy: 'case ids' });
        continue;
      }
      fresh.push(pair);
    }
  }

  const fixed: BaselineOutcome['fixed'] = [];
  const notExercised: BaselineOutcome['notExercised'] = [];
  for (const entry of entries) {
    if (used.has(entry)) continue;
    const what = describe(entry);
    const categoryName = entry.caseId !== undefined ? parseCaseId(entry.caseId)?.category : entry.category;
    const category = result.categories.find((item) => item.name === categoryName);
    if (category === undefined || category.cases === 0) {
      notExercised.push({ ...entry, what, why: category === undefined ? 'category not in this run' : 'no case of the category ran' });
      continue;
    }
    if (entry.caseId === undefined) {
      const check = category.checks.find((item) => item.check === entry.check);
      if (check === undefined || check.applicable === 0) notExercised.push({ ...entry, what, why: 'the check did not apply in this run' });
      else fixed.push({ ...entry, what });
      continue;
    }
    const address = parseCaseId(entry.caseId);
    const generated =
      address !== undefined && address.seed === categorySeed(result.seed, category.name) && /^\d+$/.test(address.path) && Number(address.path) < result.options.runs;
    if (!generated) notExercised.push({ ...entry, what, why: 'this run (its seed and --runs) did not generate that case' });
    else if (category.skipped > 0 || category.notRun > 0) notExercised.push({ ...entry, what, why: 'some cases of the category were skipped or not run' });
    else if (category.checks.some((check) => check.failuresOmitted > 0)) notExercised.push({ ...entry, what, why: 'too many failures in the category to tell' });
    else fixed.push({ ...entry, what });
  }

  const incomplete = result.stoppedEarly ?? (result.totals.notRun > 0 ? `${result.totals.notRun} cases were not run` : undefined);
  const caseErrors = result.categories.reduce((sum, category) => sum + category.caseErrorCount, 0);
  let gate: 'pass' | 'fail' = 'pass';
  let gateReason: string;
  const verdict: string = result.verdict;
  if (verdict !== 'pass' && verdict !== 'fail') {
    gate = 'fail';
    gateReason = `the run ended in ${verdict}`;
  } else if (result.totals.cases === 0) {
    gate = 'fail';
    gateReason = 'no case could be tested';
  } else if (incomplete !== undefined) {
    gate = 'fail';
    gateReason = `the run did not complete: ${incomplete}`;
  } else if (fresh.length > 0) {
    gate = 'fail';
    gateReason = `${fresh.length} new failure${fresh.length === 1 ? '' : 's'} (check × category) not in the baseline`;
  } else if (caseErrors > 0) {
    gate = 'fail';
    gateReason = `${caseErrors} case(s) stopped before their last step`;
  } else {
    gateReason = known.length === 0 ? 'no failures' : `only known failures (${known.length} check × category, all in the baseline)`;
  }
  return { file, known, new: fresh, fixed, notExercised, gate, gateReason };
}

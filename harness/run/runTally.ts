/** Accumulates a run's results with memory that stays flat in the number of cases: counters
 * for everything, full records for at most `failuresPerCheck` failures per category×check. */
import type { CaseCategory } from '../../generators/categories.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { Check } from '../checks/exchange.ts';
import { formatCaseId } from './caseId.ts';
import { exchangeRecord } from './exchangeRecord.ts';
import type { CaseFiring } from './fireCase.ts';
import type { CategoryCheckResult, CategoryResult, CheckTally, ExchangeRecord, FailureRecord, UpstreamBehaviourRecord } from './runResult.ts';
import type { TransportOutcome } from '../transport/types.ts';

export interface TallyLimits {
  failuresPerCheck: number;
  upstreamRecords: number;
  caseErrors: number;
}

export const defaultTallyLimits: TallyLimits = { failuresPerCheck: 20, upstreamRecords: 50, caseErrors: 20 };

/** The first failing case of a check: what shrinking starts from. */
export interface FirstFailure {
  check: string;
  category: CaseCategory;
  generated: GeneratedCase;
  record: FailureRecord;
}

function emptyTally(): CheckTally {
  return { applicable: 0, passed: 0, failed: 0, upstream: 0 };
}

export class RunTally {
  readonly categories = new Map<string, CategoryResult>();
  readonly checkTotals = new Map<string, CheckTally>();
  readonly firstFailures = new Map<string, FirstFailure>();
  readonly upstream: UpstreamBehaviourRecord[] = [];
  readonly statusesElicited = new Map<number, number>();
  readonly validFields = new Set<string>();
  readonly invalidFields = new Set<string>();
  readonly queryParameters = new Map<string, number>();
  requests = 0;
  retries429 = 0;
  casesDone = 0;
  casesFailed = 0;
  private upstreamCount = 0;
  private readonly checkResults = new Map<string, Map<string, CategoryCheckResult>>();

  constructor(
    categories: readonly CaseCategory[],
    private readonly checks: readonly Check[],
    private readonly runs: number,
    private readonly limits: TallyLimits = defaultTallyLimits,
  ) {
    for (const check of checks) this.checkTotals.set(check.name, emptyTally());
    for (const category of categories) {
      this.categories.set(category.name, {
        name: category.name,
        description: category.description,
        source: category.source,
        group: category.group,
        planned: runs,
        cases: 0,
        failed: 0,
        skipped: 0,
        notRun: 0,
        skipReasons: {},
        checks: [],
        caseErrors: [],
        caseErrorCount: 0,
      });
      this.checkResults.set(category.name, new Map());
    }
  }

  private category(name: string): CategoryResult {
    const found = this.categories.get(name);
    if (found === undefined) throw new Error(`category ${name} is not part of this run`);
    return found;
  }

  /** Every request that went out, retries included. */
  recordRequest(outcome: TransportOutcome, url: string | undefined): void {
    this.requests += 1;
    if (outcome.ok) {
      const status = outcome.response.status;
      this.statusesElicited.set(status, (this.statusesElicited.get(status) ?? 0) + 1);
    }
    if (url !== undefined) {
      const queryStart = url.indexOf('?');
      if (queryStart >= 0) {
        for (const name of new URLSearchParams(url.slice(queryStart + 1)).keys()) {
          this.queryParameters.set(name, (this.queryParameters.get(name) ?? 0) + 1);
        }
      }
    }
  }

  recordSkipped(categoryName: string, reason: string): void {
    const category = this.category(categoryName);
    category.skipped += 1;
    category.skipReasons[reason] = (category.skipReasons[reason] ?? 0) + 1;
  }

  recordNotRun(categoryName: string, count: number): void {
    this.category(categoryName).notRun += count;
  }

  private checkResult(categoryName: string, checkName: string): CategoryCheckResult {
    const results = this.checkResults.get(categoryName) ?? new Map<string, CategoryCheckResult>();
    let result = results.get(checkName);
    if (result === undefined) {
      result = { check: checkName, ...emptyTally(), failures: [], failuresOmitted: 0, upstreamNotes: [] };
      results.set(checkName, result);
    }
    return result;
  }

  recordCase(categoryName: string, category: CaseCategory, generated: GeneratedCase, firing: CaseFiring): void {
    const categoryResult = this.category(categoryName);
    if (firing.stopped?.kind === 'not-ours' && firing.steps.length === 0) {
      this.recordSkipped(categoryName, 'its object name existed before the run');
      return;
    }
    this.casesDone += 1;
    categoryResult.cases += 1;
    for (const field of generated.case.exercises.valid) this.validFields.add(field);
    for (const field of generated.case.exercises.invalid) this.invalidFields.add(field);
    const caseId = formatCaseId({ category: categoryName, seed: generated.seed, path: generated.path });
    let records: ExchangeRecord[] | undefined;
    const exchanges = (): ExchangeRecord[] => (records ??= firing.steps.map(exchangeRecord));
    let caseFailed = false;
    for (const fired of firing.steps) {
      this.retries429 += fired.retries429;
      for (const { check, verdict } of fired.judgements) {
        const total = this.checkTotals.get(check.name) ?? emptyTally();
        const result = this.checkResult(categoryName, check.name);
        total.applicable += 1;
        result.applicable += 1;
        if (verdict.result === 'pass') {
          total.passed += 1;
          result.passed += 1;
        } else if (verdict.result === 'upstream') {
          total.upstream += 1;
          result.upstream += 1;
          this.upstreamCount += 1;
          if (result.upstreamNotes.length < 3 && !result.upstreamNotes.includes(verdict.note)) result.upstreamNotes.push(verdict.note);
          if (this.upstream.length < this.limits.upstreamRecords) {
            this.upstream.push({ category: categoryName, check: check.name, caseId, note: verdict.note });
          }
        } else {
          caseFailed = true;
          total.failed += 1;
          result.failed += 1;
          if (result.failures.length >= this.limits.failuresPerCheck) {
            result.failuresOmitted += 1;
            continue;
          }
          const record: FailureRecord = {
            check: check.name,
            category: categoryName,
            caseId,
            seed: generated.seed,
            path: generated.path,
            description: generated.case.description,
            step: fired.exchange.stepIndex,
            expected: verdict.expected,
            actual: verdict.actual,
            exchanges: exchanges(),
          };
          result.failures.push(record);
          if (!this.firstFailures.has(check.name)) {
            this.firstFailures.set(check.name, { check: check.name, category, generated, record });
          }
        }
      }
    }
    if (firing.stopped !== undefined && firing.stopped.kind !== 'no-answer') {
      // a step that could not be built or was not ours to write: the case is incomplete
      caseFailed = true;
      categoryResult.caseErrorCount += 1;
      if (categoryResult.caseErrors.length < this.limits.caseErrors) {
        categoryResult.caseErrors.push(`${caseId}: ${firing.stopped.reason}`);
      }
    }
    if (caseFailed) {
      this.casesFailed += 1;
      categoryResult.failed += 1;
    }
  }

  get upstreamTotal(): number {
    return this.upstreamCount;
  }

  /** Per-category results with their applicable checks in registry order. */
  categoryResults(): CategoryResult[] {
    return [...this.categories.values()].map((category) => {
      const results = this.checkResults.get(category.name) ?? new Map<string, CategoryCheckResult>();
      const checks = this.checks
        .map((check) => results.get(check.name))
        .filter((result): result is CategoryCheckResult => result !== undefined);
      return { ...category, checks };
    });
  }
}

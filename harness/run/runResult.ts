/** What a run produces: counts for everything, full details for a capped number of failures.
 * Plain data (JSON-serialisable), consumed by the reports and the console. Credentials are
 * masked in every recorded request. */
import type { ComparisonResult } from '../compare/comparisonResult.ts';
import type { TransportFailureKind } from '../transport/types.ts';
import type { BaselineOutcome } from '../baseline/compareWithBaseline.ts';
import type { RunPhases } from './runPhases.ts';
import type { TargetReleaseReport } from '../release/releaseJudgement.ts';

export type { RunPhases } from './runPhases.ts';

export interface ExchangeRecord {
  step: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string; bodyCut?: boolean };
  /** Which credential the request carried (the value is never recorded). */
  credential: 'valid' | 'none' | 'invalid' | 'readonly';
  response?: {
    status: number;
    headers: Record<string, string | string[]>;
    body: string;
    /** Cut for the report (or by the transport's cap). */
    bodyCut: boolean;
    durationMs: number;
  };
  failure?: { kind: TransportFailureKind; message: string };
  retries429: number;
}

export interface CounterexampleRecord {
  caseId: string;
  seed: number;
  path: string;
  description: string;
  step: number;
  expected: string;
  actual: string;
  exchanges: ExchangeRecord[];
}

export interface ShrinkRecord {
  check: string;
  category: string;
  originalCaseId: string;
  /** Present when fast-check found a (possibly smaller) failing case. */
  shrunk?: CounterexampleRecord & { numShrinks: number };
  /** Why there is no shrunk case, or what limited the search. */
  note?: string;
}

export interface FailureRecord extends CounterexampleRecord {
  check: string;
  category: string;
}

export interface CheckTally {
  applicable: number;
  passed: number;
  failed: number;
  /** Judged as upstream (Kubernetes') behaviour rather than a failure. */
  upstream: number;
}

export interface CategoryCheckResult extends CheckTally {
  check: string;
  failures: FailureRecord[];
  /** Failures beyond the cap: counted, not detailed. */
  failuresOmitted: number;
  upstreamNotes: string[];
}

export interface CategoryResult {
  name: string;
  description: string;
  source: string;
  group: string;
  planned: number;
  /** Cases fired (fully or until a step got no answer). */
  cases: number;
  failed: number;
  skipped: number;
  notRun: number;
  skipReasons: Record<string, number>;
  /** Checks that applied at least once, in registry order. */
  checks: CategoryCheckResult[];
  /** Steps that could not be built or fired (one line each, capped). */
  caseErrors: string[];
  caseErrorCount: number;
}

export interface UpstreamBehaviourRecord {
  category: string;
  check: string;
  caseId: string;
  note: string;
}

export interface CleanupSummary {
  deleted: string[];
  failed: Array<{ name: string; error: string }>;
  leftOver: string[];
  verified: boolean;
}

export interface RunResult {
  verdict: 'pass' | 'fail';
  target: string;
  startedAt: string;
  durationMs: number;
  /** Where the wall time went (see RunPhases); set on every run `runConformance` makes,
   * `reportsMs` filled in by `writeReports`. */
  phases?: RunPhases;
  seed: number;
  runId: string;
  harnessVersion: string;
  specSha256: string;
  documentedStatuses: number[];
  options: {
    runs: number; concurrency: number; timeoutMs: number; dryRunOnly: boolean; rateLimit?: number; only: string[]; skip: string[]; faults: string[];
    /** --shard I/N: this run is shard `index` of `count` (see harness/run/shardSelection.ts). */
    shard?: { index: number; count: number };
  };
  totals: { cases: number; requests: number; failed: number; skipped: number; notRun: number };
  checks: Array<CheckTally & { name: string; description: string }>;
  categories: CategoryResult[];
  coverage: {
    statusesElicited: Record<string, number>;
    statusesDocumentedNotElicited: number[];
    fields: { valid: string[]; invalid: string[] };
    queryParameters: Record<string, number>;
  };
  shrinks: ShrinkRecord[];
  cleanup: CleanupSummary;
  upstreamBehaviour: UpstreamBehaviourRecord[];
  /** Which Kubernetes the target is (detected or --kubernetes-version), what it can do, and the
   * categories adapted or skipped because of it. */
  targetRelease?: TargetReleaseReport;
  retries429: number;
  /** Set when the run stopped before firing every case (circuit breaker, interruption). */
  stoppedEarly?: string;
  notes: string[];
  /** The command line that made the run (credentials are never part of it; masked all the same). */
  command?: string;
  /** Set when the run was compared with a baseline (--baseline). */
  baseline?: BaselineOutcome;
  /** Set with --compare-with: where a second target answered the same cases differently. */
  comparison?: ComparisonResult;
}

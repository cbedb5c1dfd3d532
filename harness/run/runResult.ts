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

/** pass: the target conforms; fail: it answered, not as the contract says; error: the run could
 * not be made or finished (the target never answered, throttled past the retry budget, refused
 * the credentials or namespace; an interruption; a crash of the harness). */
export type RunVerdict = 'pass' | 'fail' | 'error';

/** What one request asked and what came back, or did not (for an `error` verdict and a failed
 * preflight). The body's first bytes only; credentials are masked when the reports are written. */
export interface AnswerProbe {
  request: { method: string; url: string };
  /** The HTTP status, when an answer arrived. */
  status?: number;
  contentType?: string;
  /** The first characters of the body (control characters escaped). */
  bodyStart?: string;
  /** Length of the body as read (cut at the transport's cap), in characters. */
  bodyChars?: number;
  bodyCut?: boolean;
  bodyNotUtf8?: boolean;
  /** Why no (complete) answer arrived. */
  failure?: { kind: TransportFailureKind; message: string };
  /** From sending the request to the answer's end (or the failure). */
  durationMs: number;
  /** 429 answers to this request (re-sent after Retry-After while the retry budget lasted), and
   * how long the harness waited in all. */
  throttled?: { answers: number; waitedMs: number };
}

export type RunErrorCause = 'no-answer' | 'access-denied' | 'credentials' | 'throttled' | 'interrupted' | 'crash';

/** Why a run's verdict is `error`: in words (`reason`, one line) and as data. */
export interface RunErrorRecord {
  cause: RunErrorCause;
  reason: string;
  /** The request that decided it, and what came back. */
  exchange?: AnswerProbe;
  /** What was not run, and why. */
  notRun: string;
  /** For a crash: the file holding the stack (set by the command line). */
  logFile?: string;
}

/** The preflight list of the namespace (what guards every write), when it did not succeed. */
export interface PreflightRecord {
  ok: boolean;
  /** Why it failed, one line. */
  reason: string;
  exchange?: AnswerProbe;
  /** What the run did instead. */
  consequence: string;
}

export interface RunResult {
  verdict: RunVerdict;
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
  /** Set when the verdict is `error`. */
  error?: RunErrorRecord;
  /** Set when the preflight list failed. */
  preflight?: PreflightRecord;
  notes: string[];
  /** The command line that made the run (credentials are never part of it; masked all the same). */
  command?: string;
  /** Set when the run was compared with a baseline (--baseline). */
  baseline?: BaselineOutcome;
  /** Set with --compare-with: where a second target answered the same cases differently. */
  comparison?: ComparisonResult;
}

/**
 * One conformance run against a resolved connection: generate the selected categories' cases
 * from the run seed, fire them through a bounded pool (steps of a case in order), judge every
 * exchange with the selected checks, shrink the first failure of each failing check, clean up
 * through the janitor, and return the run's results (the reports are written from them).
 */
import type { CaseCategory } from '../../generators/categories.ts';
import { contractValidator } from '../../spec/contractValidator.ts';
import { loadContract } from '../../spec/loadContract.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { createJanitor } from '../cleanup/janitor.ts';
import { openComparison } from '../compare/comparisonTarget.ts';
import type { ComparisonTargetOptions } from '../compare/comparisonTarget.ts';
import { detectTargetRelease } from '../release/detectTargetRelease.ts';
import { judgeByRelease } from '../release/releaseJudgement.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import { connectionTransport, withCredentials } from '../transport/connectionTransport.ts';
import type { Transport } from '../transport/types.ts';
import { openCaseFeed } from './caseFeed.ts';
import type { FedCase } from './caseFeed.ts';
import { createHugeCaseGate } from './hugeCaseGate.ts';
import { skipReason } from './caseNeeds.ts';
import { createCircuitBreaker } from './circuitBreaker.ts';
import { objectsWrittenByCase } from './caseObjects.ts';
import { fireCase } from './fireCase.ts';
import { watchFirstRequest } from './firstRequestClock.ts';
import type { FiringContext } from './fireCase.ts';
import { harnessVersion } from './harnessVersion.ts';
import { createRateLimiter } from './pacing.ts';
import { newRunId, newRunSeed, runLabel, uniqueName } from './runIdentity.ts';
import type { CleanupSummary, RunResult, ShrinkRecord } from './runResult.ts';
import { roundedPhases, TimeSpent } from './runPhases.ts';
import { RunTally } from './runTally.ts';
import type { Selection } from './selection.ts';
import { defaultShrinkBudget, shrinkFailure } from './shrinkFailure.ts';
import type { ShrinkBudget } from './shrinkFailure.ts';
import { runPool } from './workPool.ts';
import { eagerCleanupConcurrency, runDefaults } from './runDefaults.ts';

export interface RunProgress {
  done: number;
  planned: number;
  failed: number;
  requests: number;
}

export interface RunOptions {
  connection: ResolvedConnection;
  /** How the target is named in reports (never a secret). */
  targetDescription: string;
  selection: Selection;
  /** Cases per category. */
  runs: number;
  seed?: number;
  dryRunOnly?: boolean;
  concurrency?: number;
  /** Per request, whole response. */
  timeoutMs?: number;
  /** Requests per second, all workers together. */
  rateLimit?: number;
  /** Failing checks whose first failure is shrunk (0: none). */
  maxShrinks?: number;
  shrinkBudget?: ShrinkBudget;
  /** Consecutive transport failures that stop the run. */
  circuitThreshold?: number;
  maxBodyBytes?: number;
  contract?: Contract;
  /** `--kubernetes-version X.Y`: judge by that release instead of asking the target. */
  kubernetesVersion?: string;
  /** For the report only: faults switched on in an embedded target. */
  faults?: string[];
  /** For the report only: the --only/--skip lists as given. */
  only?: string[];
  skip?: string[];
  /** For the report only: this run is one shard of a sharded run (its selection is the shard's). */
  shard?: { index: number; count: number };
  signal?: AbortSignal;
  /** Called once the target answered the preflight, before the first case. */
  onStarted?: (run: { runId: string; seed: number; plannedCases: number }) => void;
  onProgress?: (progress: RunProgress) => void;
  /** A transport to use instead of creating one (closed by the caller). */
  transport?: Transport;
  /** When the run's start-up began, as a `performance.now()` reading (0: the process start, what
   * a command-line entry should pass); default: when `runConformance` is called. */
  startupBeganAt?: number;
  /** A second target every case is also fired at; the answers are compared (harness/compare). */
  compareWith?: ComparisonTargetOptions;
}

export type RunOutcome = { ok: true; result: RunResult } | { ok: false; error: string };

export { runDefaults };

const noCleanup: CleanupSummary = { deleted: [], failed: [], leftOver: [], verified: true };

export async function runConformance(options: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const startupBeganAt = Math.min(options.startupBeganAt ?? started, started);
  const startedAt = new Date().toISOString();
  const contract = options.contract ?? (await loadContract());
  const validator = contractValidator(contract);
  const runId = newRunId();
  const seed = options.seed ?? newRunSeed();
  const concurrency = options.concurrency ?? runDefaults.concurrency;
  const timeoutMs = options.timeoutMs ?? runDefaults.timeoutMs;
  const dryRunOnly = options.dryRunOnly ?? false;
  const { connection, selection } = options;
  const eagerConcurrency = eagerCleanupConcurrency(concurrency, options.rateLimit !== undefined);
  const transport =
    options.transport === undefined
      ? // the janitor's deletes during the run get connections of their own
        connectionTransport(connection, { timeoutMs, maxBodyBytes: options.maxBodyBytes ?? runDefaults.maxBodyBytes, connections: concurrency + eagerConcurrency })
      : withCredentials(options.transport, connection);
  const circuitThreshold = options.circuitThreshold ?? runDefaults.circuitThreshold;
  const comparison =
    options.compareWith === undefined
      ? undefined
      : openComparison(options.compareWith, {
          categories: selection.categories, contract, validator, dryRunOnly, concurrency, timeoutMs, circuitThreshold,
          maxBodyBytes: options.maxBodyBytes ?? runDefaults.maxBodyBytes,
          ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
  try {
    const firstRequest = watchFirstRequest(transport);
    const janitor = createJanitor({
      transport: firstRequest.transport,
      connection,
      runId,
      runLabel: runLabel(runId),
      // cleanup at the run's own parallelism (unless the run is rate-limited: then the janitor's default)
      ...(options.rateLimit === undefined ? { concurrency } : {}),
      eagerConcurrency,
    });
    const preflight = await janitor.preflight();
    if (!preflight.ok) return { ok: false, error: preflight.error };
    const comparisonReady = await comparison?.preflight();
    if (comparisonReady?.ok === false) return { ok: false, error: comparisonReady.error };
    // /version and the /openapi/v3 root are a few KB: asked under a small cap (a run's own transport only).
    const smallDocumentTransport = options.transport === undefined && options.kubernetesVersion === undefined
      ? connectionTransport(connection, { timeoutMs, maxBodyBytes: 256 * 1024, connections: 2 })
      : undefined;
    let releaseFacts;
    try {
      releaseFacts = await detectTargetRelease({
        connection,
        transport,
        ...(smallDocumentTransport === undefined ? {} : { smallDocumentTransport }),
        ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
      });
    } finally {
      await smallDocumentTransport?.close();
    }
    const byRelease = judgeByRelease(releaseFacts, selection.categories);

    options.onStarted?.({ runId, seed, plannedCases: selection.categories.length * options.runs });
    const tally = new RunTally(byRelease.categories, selection.checks, options.runs);
    const circuit = createCircuitBreaker(circuitThreshold);
    const notes: string[] = [];
    const feed = openCaseFeed({
      categories: byRelease.categories,
      contract,
      seed,
      runs: options.runs,
      onCategoryError: (category, error) => notes.push(`category ${category.name} could not be generated: ${error}`),
    });
    /** The run's requests, counted (with their query parameters) for the coverage report. */
    const countingTransport: Transport = {
      send: async (request) => {
        const outcome = await transport.send(request);
        tally.recordRequest(outcome, request.url);
        return outcome;
      },
      close: () => transport.close(),
    };
    const checkTime = new TimeSpent();
    const context: FiringContext = {
      transport: countingTransport,
      checkTime,
      connection,
      runId,
      dryRunOnly,
      limiter: createRateLimiter(options.rateLimit),
      checks: selection.checks,
      environment: { contract, validator },
      writeGuard: janitor,
      circuit,
      maxRetries429: 3,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    const planned = selection.categories.length * options.runs;
    let done = 0;
    const report = (): void =>
      options.onProgress?.({ done, planned, failed: tally.casesFailed, requests: tally.requests });
    const hugeCases = createHugeCaseGate();
    const firingBegan = performance.now();
    await runPool(
      () => feed.next(),
      concurrency,
      async ({ category, generated, number, bodyChars }: FedCase) => {
        const reason = byRelease.skipped.get(category.name) ?? skipReason(generated.case, connection, { dryRunOnly });
        if (reason !== undefined) tally.recordSkipped(category.name, reason);
        else {
          await hugeCases.enter(bodyChars);
          try {
            const compared = comparison?.fire(generated.case, number);
            const firing = await fireCase(generated.case, uniqueName(runId, number), context);
            tally.recordCase(category.name, category, generated, firing);
            for (const [name, observed] of objectsWrittenByCase(firing, connection.namespace)) janitor.release(name, observed);
            if (compared !== undefined) comparison?.record(category.name, generated, firing, await compared);
          } finally {
            hugeCases.leave(bodyChars);
          }
        }
        done += 1;
        report();
      },
      // a credential that can no longer be obtained (an exec plugin failed) stops the run at once
      () => circuit.open || options.signal?.aborted === true || connection.credentials?.failure !== undefined,
    );
    const firingEnded = performance.now();
    let stoppedEarly: string | undefined;
    const credentialFailure = connection.credentials?.failure;
    if (credentialFailure !== undefined) stoppedEarly = `stopped early: the run's credential could not be obtained (${credentialFailure})`;
    else if (circuit.open) stoppedEarly = `stopped early: ${circuit.reason ?? 'the target stopped answering'}`;
    else if (options.signal?.aborted === true) stoppedEarly = `interrupted${typeof options.signal.reason === 'string' ? ` (${options.signal.reason})` : ''}`;

    const shrinks: ShrinkRecord[] = [];
    const maxShrinks = options.maxShrinks ?? runDefaults.maxShrinks;
    if (stoppedEarly === undefined) {
      let shrinkNumber = 0;
      const failing = selection.checks.map((check) => tally.firstFailures.get(check.name)).filter((first) => first !== undefined);
      for (const first of failing.slice(0, maxShrinks)) {
        if (circuit.open || options.signal?.aborted === true) break;
        shrinks.push(
          await shrinkFailure(first, contract, context, () => uniqueName(runId, (shrinkNumber += 1), 's'), options.shrinkBudget ?? defaultShrinkBudget),
        );
      }
      if (failing.length > maxShrinks) notes.push(`${failing.length - maxShrinks} failing checks were not shrunk (at most ${maxShrinks} per run)`);
    }

    const shrinkingEnded = performance.now();
    let cleanup: CleanupSummary = noCleanup;
    try {
      cleanup = await janitor.cleanup();
    } catch (error) {
      cleanup = { ...noCleanup, verified: false };
      notes.push(`cleanup failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    if (cleanup.leftOver.length > 0) {
      notes.push(`cleanup left ${cleanup.leftOver.length} object(s) of this run on the target: ${cleanup.leftOver.join(', ')}`);
    }
    if (cleanup.failed.length > 0) {
      notes.push(`cleanup could not finish ${cleanup.failed.length} step(s): ${cleanup.failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
    }

    const compared = await comparison?.finish();
    const cleanupEnded = performance.now();
    const categories = tally.categoryResults();
    for (const category of categories) {
      category.notRun = Math.max(0, category.planned - category.cases - category.skipped);
    }
    if (tally.retries429 > 0) notes.push(`the target answered 429 Too Many Requests; ${tally.retries429} request(s) were re-sent after Retry-After`);
    const totals = {
      cases: tally.casesDone,
      requests: tally.requests,
      failed: tally.casesFailed,
      skipped: categories.reduce((sum, category) => sum + category.skipped, 0),
      notRun: categories.reduce((sum, category) => sum + category.notRun, 0),
    };
    const checks = selection.checks.map((check) => ({
      name: check.name,
      description: check.description,
      ...(tally.checkTotals.get(check.name) ?? { applicable: 0, passed: 0, failed: 0, upstream: 0 }),
    }));
    const elicited = [...tally.statusesElicited.entries()].sort(([a], [b]) => a - b);
    if (totals.cases === 0) notes.push('no case could be tested (every case was skipped or the run stopped before the first)');
    const verdict =
      totals.cases > 0 && totals.failed === 0 && totals.notRun === 0 && stoppedEarly === undefined && checks.every((check) => check.failed === 0)
        ? 'pass'
        : 'fail';
    const result: RunResult = {
      verdict,
      target: options.targetDescription,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      phases: roundedPhases({
        startupMs: firingBegan - startupBeganAt,
        generationMs: feed.generationMs,
        requestsMs: firingEnded - firingBegan - feed.generationMs - checkTime.totalMs,
        checksMs: checkTime.totalMs,
        shrinkingMs: shrinkingEnded - firingEnded,
        cleanupMs: cleanupEnded - shrinkingEnded,
        reportsMs: 0,
        ...(firstRequest.sentAt === undefined ? {} : { firstRequestAtMs: firstRequest.sentAt - startupBeganAt }),
      }),
      seed,
      runId,
      harnessVersion: harnessVersion(),
      specSha256: contract.sha256,
      documentedStatuses: [...contract.documentedStatuses],
      options: {
        runs: options.runs,
        concurrency,
        timeoutMs,
        dryRunOnly,
        ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
        only: options.only ?? [],
        skip: options.skip ?? [],
        faults: options.faults ?? [],
        ...(options.shard === undefined ? {} : { shard: options.shard }),
      },
      totals,
      checks,
      categories,
      coverage: {
        statusesElicited: Object.fromEntries(elicited.map(([status, count]) => [String(status), count])),
        statusesDocumentedNotElicited: contract.documentedStatuses.filter((status) => !tally.statusesElicited.has(status)),
        fields: { valid: [...tally.validFields].sort(), invalid: [...tally.invalidFields].sort() },
        queryParameters: Object.fromEntries([...tally.queryParameters.entries()].sort(([a], [b]) => a.localeCompare(b))),
      },
      shrinks,
      cleanup,
      upstreamBehaviour: tally.upstream,
      targetRelease: byRelease.report,
      retries429: tally.retries429,
      ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
      notes,
      ...(compared === undefined ? {} : { comparison: compared }),
    };
    return { ok: true, result };
  } finally {
    await comparison?.close();
    if (options.transport === undefined) await transport.close();
  }
}

/** 0 conforms, 1 does not (a case failed, or the run stopped early), 2 nothing could be tested
 * (no case was fired: all skipped, or stopped before the first). A case whose request got no
 * answer was tested, and failed. */
export function exitCodeFor(result: RunResult): 0 | 1 | 2 {
  if (result.totals.cases === 0) return 2;
  return result.verdict === 'pass' ? 0 : 1;
}

/**
 * One conformance run against a resolved connection: generate the selected categories' cases
 * from the run seed, fire them through a bounded pool (steps of a case in order), judge every
 * exchange with the selected checks, shrink the first failure of each failing check, clean up
 * through the janitor, and return the run's results (the reports are written from them).
 */
import { findCategory } from '../../generators/categories.ts';
import type { CaseCategory } from '../../generators/categories.ts';
import { contractValidator } from '../../spec/contractValidator.ts';
import { loadContract } from '../../spec/loadContract.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { createJanitor } from '../cleanup/janitor.ts';
import { openComparison } from '../compare/comparisonTarget.ts';
import type { ComparisonTargetOptions } from '../compare/comparisonTarget.ts';
import { detectTargetRelease } from '../release/detectTargetRelease.ts';
import type { TargetReleaseFacts } from '../release/detectTargetRelease.ts';
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
import { judgeCaseSteps, sendCaseSteps } from './fireCase.ts';
import { watchFirstRequest } from './firstRequestClock.ts';
import { createIdleTimeQueue } from './idleTimeQueue.ts';
import { startWorkerCaseFeed } from './workerCaseFeed.ts';
import type { FiringContext } from './fireCase.ts';
import { harnessVersion } from './harnessVersion.ts';
import { createRateLimiter } from './pacing.ts';
import { newRunId, newRunSeed, runLabel, uniqueName } from './runIdentity.ts';
import type { AnswerProbe, CleanupSummary, PreflightRecord, RunErrorRecord, RunResult, ShrinkRecord } from './runResult.ts';
import { answerProbe } from './answerProbe.ts';
import { noWriteConsequence, noWriteSkipReason } from './noWriteMode.ts';
import { probeNamespace } from './namespaceProbe.ts';
import { judgePreflight, watchedTransport } from './preflightProbe.ts';
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
  /** Stops the run: a string reason (a signal name) is an interruption, an Error a failure of
   * the harness (e.g. an uncaught exception the command line caught). Either way the verdict is
   * `error`, cleanup is done and the results so far are returned. */
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
  /** Generate the cases on a worker thread (workerCaseFeed.ts), started before the preflight so
   * that it loads and generates ahead while the target answers the first questions (the command
   * line's default: generatesOnWorkerByDefault). Only the stock categories and the project's
   * contract are generated there; otherwise (or when the worker failed to start) the runner's
   * thread generates. Default: false. */
  generateOnWorker?: boolean;
}

/** `crashStack`: the stack of a failure of the harness itself during the run (for a log file,
 * never the console). A run always ends in a result: `ok: false` is kept for callers' sake. */
export type RunOutcome = { ok: true; result: RunResult; crashStack?: string } | { ok: false; error: string };

export { runDefaults };

/** 429 answers re-sent after Retry-After, per request (the run's retry budget). */
const maxRetries429 = 3;

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
  const notes: string[] = [];
  let generationFailure: string | undefined;
  const generationWorker =
    options.generateOnWorker === true && (await generatesOnWorker(options, contract))
      ? startWorkerCaseFeed({
          categoryNames: selection.categories.map((category) => category.name),
          contractSha256: contract.sha256,
          seed,
          runs: options.runs,
          aheadCases: Math.max(64, 4 * concurrency),
        })
      : undefined;
  try {
    // the janitor's requests re-send a 429 after Retry-After, and the last one is kept as data
    const watched = watchedTransport(transport, { maxRetries429, ...(options.signal === undefined ? {} : { signal: options.signal }) });
    const firstRequest = watchFirstRequest(watched.transport);
    const janitor = createJanitor({
      transport: firstRequest.transport,
      connection,
      runId,
      runLabel: runLabel(runId),
      // cleanup at the run's own parallelism (unless the run is rate-limited: then the janitor's default)
      ...(options.rateLimit === undefined ? { concurrency } : {}),
      eagerConcurrency,
    });
    /** Set when the run cannot be made or finished: the verdict is then `error`. */
    let runError: RunErrorRecord | undefined;
    let preflightRecord: PreflightRecord | undefined;
    /** The preflight list was answered wrongly: nothing is written (noWriteMode.ts). */
    let noWrite = false;
    const preflight = await janitor.preflight();
    // a contract the build did not compile (spec/precompiledValidators.ts) has its schemas
    // compiled while the target answers the release questions, not on the run's first answers
    // (a schema that fails to compile fails its check, as before)
    if (preflight.ok) validator.compileInIdleTurns().catch(() => undefined);
    if (!preflight.ok) {
      const probe = watched.last();
      const judged = judgePreflight(preflight.error, probe);
      if (judged.kind === 'cannot-run') {
        runError = {
          cause: judged.cause,
          reason: judged.reason,
          ...(probe === undefined ? {} : { exchange: probe }),
          notRun: 'no case was fired: the harness writes nothing to a namespace it cannot list (it cannot prove which names are free), and nothing could be judged without an answer',
        };
        preflightRecord = {
          ok: false,
          reason: judged.reason,
          ...(probe === undefined ? {} : { exchange: probe }),
          consequence: 'the run stopped before its first case; only the preflight list was sent',
        };
      } else {
        noWrite = true;
        preflightRecord = { ok: false, reason: judged.reason, ...(probe === undefined ? {} : { exchange: probe }), consequence: noWriteConsequence };
      }
    }
    const sendsDryRunOnly = dryRunOnly || noWrite;
    if (runError === undefined) {
      const comparisonReady = await comparison?.preflight();
      if (comparisonReady?.ok === false) return { ok: false, error: comparisonReady.error };
    }
    // asked beside the release questions: a list in a namespace that does not exist answers 200
    const namespaceChecked = runError === undefined && !noWrite ? probeNamespace(firstRequest.transport, connection) : undefined;
    // /version and the /openapi/v3 root are a few KB: asked under a small cap (a run's own transport only).
    // Not asked when the run cannot be made: a silent target would cost a deadline per question.
    const smallDocumentTransport = runError === undefined && options.transport === undefined && options.kubernetesVersion === undefined
      ? connectionTransport(connection, { timeoutMs, maxBodyBytes: 256 * 1024, connections: 2 })
      : undefined;
    let releaseFacts: TargetReleaseFacts = { releaseSource: 'unknown', detection: ['not asked: the run could not be made (see the error)'] };
    if (runError === undefined) {
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
    }
    const namespace = await namespaceChecked;
    if (namespace?.missing === true) {
      runError = {
        cause: 'access-denied',
        reason: namespace.reason,
        exchange: namespace.exchange,
        notRun: 'no case was fired: every write would go to a namespace that does not exist, and a correct server would be judged failing for it',
      };
      preflightRecord = { ok: false, reason: namespace.reason, exchange: namespace.exchange, consequence: 'the run stopped before its first case; nothing was written' };
    }
    const byRelease = judgeByRelease(releaseFacts, selection.categories);

    const tally = new RunTally(byRelease.categories, selection.checks, options.runs);
    const circuit = createCircuitBreaker(circuitThreshold);
    /** A bug of ours inside the run: the first one stops it; the stack goes to the outcome. */
    let crash: { message: string; stack: string } | undefined;
    const recordCrash = (error: unknown): void => {
      if (crash !== undefined) return;
      crash = {
        message: error instanceof Error ? error.message.split('\n')[0] ?? 'unknown error' : String(error),
        stack: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
    };
    const signalCrash = (): boolean => options.signal?.aborted === true && options.signal.reason instanceof Error;
    const categoryFailed = (category: CaseCategory, error: string): void => {
      notes.push(`category ${category.name} could not be generated: ${error}`);
    };
    const feed =
      (runError === undefined
        ? generationWorker?.begin({
            categories: byRelease.categories,
            releaseFacts,
            onCategoryError: categoryFailed,
            onFailure: (message) => {
              generationFailure = message;
            },
          })
        : undefined) ??
      openCaseFeed({
        categories: byRelease.categories,
        contract,
        seed,
        runs: options.runs,
        onCategoryError: categoryFailed,
      });
    /** The 429 answers that ended a request's retries, for a run stopped by throttling. */
    let lastThrottled: AnswerProbe | undefined;
    let throttleWaitMs = 0;
    /** The run's requests, counted (with their query parameters) for the coverage report. */
    const countingTransport: Transport = {
      send: async (request) => {
        const outcome = await transport.send(request);
        tally.recordRequest(outcome, request.url);
        if (outcome.ok && outcome.response.status === 429) lastThrottled = answerProbe(request, outcome);
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
      dryRunOnly: sendsDryRunOnly,
      limiter: createRateLimiter(options.rateLimit),
      checks: selection.checks,
      environment: { contract, validator },
      writeGuard: janitor,
      circuit,
      maxRetries429,
      onRetryWait: (waitedMs) => {
        throttleWaitMs += waitedMs;
      },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    const planned = selection.categories.length * options.runs;
    let done = 0;
    const report = (): void =>
      options.onProgress?.({ done, planned, failed: tally.casesFailed, requests: tally.requests });
    const hugeCases = createHugeCaseGate();
    // answers are judged, and cases generated ahead, when no answer waits for the thread: the
    // next request goes out first (idleTimeQueue.ts)
    const afterAnswers = createIdleTimeQueue({
      sliceMs: 3,
      maxPending: concurrency,
      onIdle: () => runError === undefined && crash === undefined && feed.fillAhead(concurrency),
      onError: recordCrash,
    });
    const firingBegan = performance.now();
    if (runError === undefined) {
      options.onStarted?.({ runId, seed, plannedCases: planned });
      await runPool(
        () => {
          try {
            const fed = feed.next();
            afterAnswers.wake();
            return fed;
          } catch (error) {
            recordCrash(error);
            return undefined;
          }
        },
        concurrency,
        async ({ category, generated, number, bodyChars }: FedCase) => {
          try {
            // a no-write run names its own reason first (not --dry-run-only's, which the user did not ask for)
            const reason =
              byRelease.skipped.get(category.name) ??
              (noWrite ? noWriteSkipReason(generated.case) : undefined) ??
              skipReason(generated.case, connection, { dryRunOnly: sendsDryRunOnly });
            if (reason !== undefined) {
              tally.recordSkipped(category.name, reason);
              done += 1;
              report();
              return;
            }
            await hugeCases.enter(bodyChars);
            try {
              const compared = comparison?.fire(generated.case, number);
              const sent = await sendCaseSteps(generated.case, uniqueName(runId, number), context);
              const comparedFiring = compared === undefined ? undefined : await compared;
              afterAnswers.push(() => {
                const firing = judgeCaseSteps(sent, context);
                tally.recordCase(category.name, category, generated, firing);
                for (const [name, observed] of objectsWrittenByCase(firing, connection.namespace)) janitor.release(name, observed);
                if (comparedFiring !== undefined) comparison?.record(category.name, generated, firing, comparedFiring);
                done += 1;
                report();
              });
            } finally {
              hugeCases.leave(bodyChars);
            }
          } catch (error) {
            recordCrash(error);
          }
        },
        // a credential that can no longer be obtained (an exec plugin failed) stops the run at once
        () => circuit.open || options.signal?.aborted === true || crash !== undefined || connection.credentials?.failure !== undefined,
      );
      afterAnswers.flush();
      if (generationFailure !== undefined) recordCrash(new Error(generationFailure));
    }
    await generationWorker?.close();
    const firingEnded = performance.now();
    let stoppedEarly: string | undefined;
    const credentialFailure = connection.credentials?.failure;
    if (preflightRecord !== undefined && runError !== undefined) stoppedEarly = `not started: ${runError.reason}`;
    else if (crash !== undefined) stoppedEarly = `stopped: the harness failed (a bug of ours): ${crash.message}`;
    else if (credentialFailure !== undefined) stoppedEarly = `stopped early: the run's credential could not be obtained (${credentialFailure})`;
    else if (circuit.open) stoppedEarly = `stopped early: ${circuit.reason ?? 'the target stopped answering'}`;
    else if (options.signal?.aborted === true) {
      const why = options.signal.reason;
      stoppedEarly = why instanceof Error ? `stopped: the harness failed (a bug of ours): ${why.message.split('\n')[0]}` : `interrupted${typeof why === 'string' ? ` (${why})` : ''}`;
    }

    const shrinks: ShrinkRecord[] = [];
    const maxShrinks = options.maxShrinks ?? runDefaults.maxShrinks;
    if (stoppedEarly === undefined && runError === undefined) {
      try {
        let shrinkNumber = 0;
        const failing = selection.checks.map((check) => tally.firstFailures.get(check.name)).filter((first) => first !== undefined);
        for (const first of failing.slice(0, maxShrinks)) {
          if (circuit.open || options.signal?.aborted === true) break;
          shrinks.push(
            await shrinkFailure(first, contract, context, () => uniqueName(runId, (shrinkNumber += 1), 's'), options.shrinkBudget ?? defaultShrinkBudget),
          );
        }
        if (failing.length > maxShrinks) notes.push(`${failing.length - maxShrinks} failing checks were not shrunk (at most ${maxShrinks} per run)`);
      } catch (error) {
        recordCrash(error);
        notes.push('shrinking stopped: the harness failed (a bug of ours)');
      }
    }

    const shrinkingEnded = performance.now();
    let cleanup: CleanupSummary = noCleanup;
    if (runError !== undefined) {
      // only the preflight list went out: nothing of this run can be on the target
      notes.push(`cleanup: nothing to clean up (nothing was written; ${namespace?.missing === true ? 'only questions were sent: the preflight list, the namespace, the release' : 'only the preflight list was sent'})`);
    } else if (noWrite) {
      cleanup = {
        ...noCleanup,
        verified: false,
        failed: [{ name: '(verification)', error: 'the namespace cannot be listed (the preflight list failed): only dryRun=All writes were sent, so nothing should be stored, but that cannot be proven' }],
      };
    } else {
      try {
        cleanup = await janitor.cleanup();
      } catch (error) {
        cleanup = { ...noCleanup, verified: false };
        notes.push(`cleanup failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    if (cleanup.leftOver.length > 0) {
      notes.push(`cleanup left ${cleanup.leftOver.length} object(s) of this run on the target: ${cleanup.leftOver.join(', ')}`);
    }
    if (cleanup.failed.length > 0 && !noWrite) {
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
    if (totals.cases === 0 && runError === undefined) notes.push('no case could be tested (every case was skipped or the run stopped before the first)');

    const notRunText = `${totals.notRun} of ${planned} planned cases were not run`;
    if (runError === undefined && (crash !== undefined || signalCrash())) {
      runError = {
        cause: 'crash',
        reason: `the harness failed (a bug of ours, not the target's): ${crash?.message ?? (options.signal?.reason instanceof Error ? options.signal.reason.message.split('\n')[0] : 'unknown error')}`,
        notRun: `${notRunText}: the run stopped at the failure; what ran before it is reported`,
      };
    } else if (runError === undefined && circuit.open && circuit.openedBy === 'throttled') {
      const answers429 = tally.statusesElicited.get(429) ?? 0;
      runError = {
        cause: 'throttled',
        reason: `the target throttled past the retry budget: ${circuit.reason ?? ''}; ${answers429} answers were 429, the harness waited ${(throttleWaitMs / 1000).toFixed(1)} s for Retry-After`,
        ...(lastThrottled === undefined ? {} : { exchange: { ...lastThrottled, throttled: { answers: answers429, waitedMs: Math.round(throttleWaitMs) } } }),
        notRun: `${notRunText}: a 429 storm says the run could not be made, not that the target is wrong`,
      };
    } else if (runError === undefined && options.signal?.aborted === true) {
      runError = {
        cause: 'interrupted',
        reason: `the run was interrupted${typeof options.signal.reason === 'string' ? ` (${options.signal.reason})` : ''}`,
        notRun: `${notRunText}: the run was stopped; what ran before is reported, and cleanup was done`,
      };
    }
    const verdict =
      runError !== undefined
        ? 'error'
        : !noWrite && totals.cases > 0 && totals.failed === 0 && totals.notRun === 0 && stoppedEarly === undefined && checks.every((check) => check.failed === 0)
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
      ...(runError === undefined ? {} : { error: runError }),
      ...(preflightRecord === undefined ? {} : { preflight: preflightRecord }),
      notes,
      ...(compared === undefined ? {} : { comparison: compared }),
    };
    return { ok: true, result, ...(crash === undefined ? {} : { crashStack: crash.stack }) };
  } finally {
    await generationWorker?.close();
    await comparison?.close();
    if (options.transport === undefined) await transport.close();
  }
}

/** The stock categories and the project's own contract can be generated on a worker thread
 * (it loads them itself); anything else a caller passes is generated on the runner's thread. */
async function generatesOnWorker(options: RunOptions, contract: Contract): Promise<boolean> {
  if (options.runs <= 0) return false;
  if (!options.selection.categories.every((category) => findCategory(category.name) === category)) return false;
  // the worker reads the project's contract itself: it must be these very bytes
  return contract.sha256 === (await loadContract()).sha256;
}

/** 0 conforms, 1 does not (a case failed, or the run stopped early), 2 the verdict is `error` or nothing could be tested
 * (no case was fired: all skipped, or stopped before the first). A case whose request got no
 * answer was tested, and failed. */
export function exitCodeFor(result: RunResult): 0 | 1 | 2 {
  // error: the run could not be made or finished (never answered, throttled, refused access,
  // interrupted, a crash of ours)
  if (result.verdict === 'error') return 2;
  if (result.totals.cases === 0) return 2;
  return result.verdict === 'pass' ? 0 : 1;
}

/**
 * A run's cases generated on a worker thread (generationWorker.ts): the runner's thread then
 * only sends, reads and judges. Against a target a network away the answers of a round of
 * requests wait less for the thread, so the round is closer to the target's latency (issue 14's
 * latency hiding); against the embedded server the runner's thread is the bottleneck and gets
 * that much lighter. Used when the machine has a core for it (generatesOnWorkerByDefault);
 * otherwise the runner's thread generates (caseFeed.ts).
 *
 * The worker is started first, with the run's plan, so that loading its modules and the
 * contract, and generating the first cases, overlap the runner's preflight and release
 * detection; `begin` tells it the release the cases are judged by. The cases
 * come in the same order, with the same numbers, as from caseFeed.ts. `next()` answers at once
 * while cases are ready and with a promise while the worker is behind; the time the pool waited
 * so is the run's `generationMs`. A worker that fails or exits before its last case ends the
 * feed and calls `onFailure` (the run then stops as for a bug of ours).
 */
import type { CaseCategory } from '../../generators/categories.ts';
import { startModuleWorker } from '../../runtime/moduleWorker.ts';
import type { TargetReleaseFacts } from '../release/detectTargetRelease.ts';
import { defaultChunkChars, defaultMaxChunkCases, defaultTurnWindow } from './caseChunks.ts';
import type { CaseFeed, FedCase } from './caseFeed.ts';
import { FedCaseQueue } from './fedCaseQueue.ts';
import type { FromGenerationWorker, GenerationPlan, ToGenerationWorker } from './generationWorkerProtocol.ts';

/** The run's plan as known before the target's release is. */
export interface WorkerCasePlan {
  /** The run's categories before the release is known; each must be a stock category. */
  categoryNames: string[];
  contractSha256: string;
  seed: number;
  /** Cases per category. */
  runs: number;
  /** Cases the worker may have ready ahead of the pool. */
  aheadCases: number;
}

export interface WorkerCaseBeginning {
  /** The plan's categories judged by the target's release (judgeByRelease): the runner's own. */
  categories: readonly CaseCategory[];
  releaseFacts: TargetReleaseFacts;
  /** A category's generation failed: its remaining cases are not run. */
  onCategoryError: (category: CaseCategory, error: string) => void;
  /** The worker failed after `begin` (one line). */
  onFailure: (message: string) => void;
}

export interface WorkerCaseFeed {
  /** The feed of the run's cases; undefined when the worker already failed (the caller then
   * generates on its own thread). */
  begin(beginning: WorkerCaseBeginning): CaseFeed | undefined;
  close(): Promise<void>;
}

/** Body characters the worker may have ready ahead of the pool (at least one chunk). */
const aheadChars = 4 * defaultChunkChars;

/** The worker holds at most `aheadCases` cases and `aheadChars` of bodies (about 1.5 MB of
 * strings at the largest) beside its modules, the contract and eight categories' arbitraries.
 * Left to itself, V8 let its heap grow with the run's length (the command line's peak RSS: 167 MB
 * at 1,026 cases, 226 MB at 9,975; with a young generation of 4 MB and an old one of 48 or 96 MB:
 * 149 MB and 177–179 MB). 8 MB of young generation kept the latency-hiding run as fast as
 * without limits; 4 MB was measured a little slower. */
const generationHeap = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

/** Starts the worker, which loads and generates ahead until `begin`. */
export function startWorkerCaseFeed(plan: WorkerCasePlan): WorkerCaseFeed {
  const data: GenerationPlan = {
    categoryNames: plan.categoryNames,
    contractSha256: plan.contractSha256,
    seed: plan.seed,
    runs: plan.runs,
    maxChunkCases: defaultMaxChunkCases,
    chunkChars: defaultChunkChars,
    turnWindow: defaultTurnWindow,
    aheadCases: plan.aheadCases,
    aheadChars,
  };
  const worker = startModuleWorker(import.meta.url, './generationWorker', data, generationHeap);
  // the worker hears of taken cases in a few large batches (each message wakes its thread)
  const takenBatch = Math.max(1, Math.floor(plan.aheadCases / 2));
  const send = (message: ToGenerationWorker): void => worker.postMessage(message);

  let categories: readonly CaseCategory[] = [];
  let begun: WorkerCaseBeginning | undefined;
  /** Set once the worker failed or exited early; before `begin` it is kept for `begin` to see. */
  let failure: string | undefined;
  let ended = false;
  const ready = new FedCaseQueue();
  const waiters: Array<(fed: FedCase | undefined) => void> = [];
  let waitingSince: number | undefined;
  let waitedMs = 0;
  let takenCases = 0;
  let takenChars = 0;

  const taken = (fed: FedCase): FedCase => {
    takenCases += 1;
    takenChars += fed.bodyChars;
    if (takenCases >= takenBatch || ready.size === 0) {
      send({ type: 'taken', cases: takenCases, chars: takenChars });
      takenCases = 0;
      takenChars = 0;
    }
    return fed;
  };
  const settleWaiters = (): void => {
    while (waiters.length > 0 && (ready.size > 0 || ended)) {
      const waiter = waiters.shift() as (fed: FedCase | undefined) => void;
      const fed = ready.take();
      waiter(fed === undefined ? undefined : taken(fed));
    }
    if (waiters.length === 0 && waitingSince !== undefined) {
      waitedMs += performance.now() - waitingSince;
      waitingSince = undefined;
    }
  };
  const fail = (message: string): void => {
    if (ended || failure !== undefined) return;
    failure = message;
    if (begun === undefined) return;
    ended = true;
    begun.onFailure(message);
    settleWaiters();
  };

  worker.on('message', (message: FromGenerationWorker) => {
    switch (message.type) {
      case 'chunks':
        for (const chunk of message.chunks) ready.add(chunk, categories);
        settleWaiters();
        break;
      case 'category-error':
        begun?.onCategoryError(categories[message.category], message.error);
        break;
      case 'end':
        ended = true;
        settleWaiters();
        void worker.terminate();
        break;
      case 'failed':
        fail(`the case generator failed: ${message.message}`);
        break;
    }
  });
  worker.on('error', (error) => fail(`the case generator failed: ${error.message.split('\n')[0] ?? 'unknown error'}`));
  worker.on('exit', (code) => {
    if (!ended) fail(`the case generator stopped (exit code ${code}) before its last case`);
  });

  const feed: CaseFeed = {
    next() {
      if (waiters.length === 0) {
        const fed = ready.take();
        if (fed !== undefined) return taken(fed);
      }
      if (ended) return undefined;
      waitingSince ??= performance.now();
      return new Promise<FedCase | undefined>((resolve) => waiters.push(resolve));
    },
    fillAhead: () => false,
    get generationMs() {
      return waitedMs + (waitingSince === undefined ? 0 : performance.now() - waitingSince);
    },
  };

  return {
    begin(beginning) {
      if (failure !== undefined) return undefined;
      categories = beginning.categories;
      begun = beginning;
      send({ type: 'begin', releaseFacts: beginning.releaseFacts, judgedNames: beginning.categories.map((category) => category.name) });
      return feed;
    },
    async close() {
      ended = true;
      settleWaiters();
      await worker.terminate();
    },
  };
}

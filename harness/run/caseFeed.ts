/**
 * Where a run's cases come from, each numbered in run order, in the order caseChunks plans: the
 * categories take turns, a small chunk each, so every kind of case is spread over the run and
 * memory holds a chunk whatever the run's size. Chunks are generated on the runner's thread as
 * the pool asks for them, or ahead of it (`fillAhead`) in moments the thread has nothing else to
 * do (idleTimeQueue.ts), so that handing out the next case costs the pool almost nothing.
 *
 * The command line generates on a worker thread instead when the machine has a core for it
 * (workerCaseFeed.ts), with the same plan, so the same cases in the same order; this feed serves
 * a machine with one core, and callers of runConformance that do not ask for the worker.
 */
import type { CaseCategory } from '../../generators/categories.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { caseChunks, defaultChunkChars, defaultMaxChunkCases, defaultTurnWindow } from './caseChunks.ts';
import { FedCaseQueue } from './fedCaseQueue.ts';
import type { CaseChunk } from './caseChunks.ts';

export interface FedCase {
  category: CaseCategory;
  generated: GeneratedCase;
  /** 1-based, in run order. */
  number: number;
  /** About how many characters of request bodies the case sends (caseBodyChars). */
  bodyChars: number;
}

export interface CaseFeedOptions {
  categories: readonly CaseCategory[];
  contract: Contract;
  seed: number;
  /** Cases per category. */
  runs: number;
  maxChunkCases?: number;
  chunkChars?: number;
  turnWindow?: number;
  /** A category's generation failed: its remaining cases are not run. */
  onCategoryError: (category: CaseCategory, error: string) => void;
}

export interface CaseFeed {
  /** The next case, undefined once every case was handed out; a promise while the cases are
   * generated elsewhere and none is ready (workerCaseFeed.ts). */
  next(): FedCase | undefined | Promise<FedCase | undefined>;
  /** Generates one more chunk if fewer than `cases` are ready; true while that is so afterwards. */
  fillAhead(cases: number): boolean;
  /** Time generating cost the run's wall time so far: spent generating on the runner's thread,
   * or waiting for cases generated elsewhere. */
  readonly generationMs: number;
}

/** A feed generating on the runner's thread: its next case is always at hand. */
export interface ThreadCaseFeed extends CaseFeed {
  next(): FedCase | undefined;
}

export function openCaseFeed(options: CaseFeedOptions): ThreadCaseFeed {
  const chunks = caseChunks(
    {
      categories: options.categories,
      contract: options.contract,
      seed: options.seed,
      runs: options.runs,
      maxChunkCases: options.maxChunkCases ?? defaultMaxChunkCases,
      chunkChars: options.chunkChars ?? defaultChunkChars,
      turnWindow: options.turnWindow ?? defaultTurnWindow,
    },
    (category, error) => options.onCategoryError(options.categories[category], error),
  );
  let generationMs = 0;
  let ended = false;
  const generate = (): CaseChunk | undefined => {
    if (ended) return undefined;
    const began = performance.now();
    const next = chunks.next();
    generationMs += performance.now() - began;
    if (next.done === true) ended = true;
    return next.done === true ? undefined : next.value;
  };

  const ready = new FedCaseQueue();
  return {
    next(): FedCase | undefined {
      while (ready.size === 0) {
        const chunk = generate();
        if (chunk === undefined) return undefined;
        ready.add(chunk, options.categories);
      }
      return ready.take();
    },
    fillAhead(cases) {
      if (ready.size >= cases || ended) return false;
      const chunk = generate();
      if (chunk !== undefined) ready.add(chunk, options.categories);
      return ready.size < cases && !ended;
    },
    get generationMs() {
      return generationMs;
    },
  };
}

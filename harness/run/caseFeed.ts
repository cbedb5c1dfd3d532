/**
 * Where a run's cases come from, each numbered in run order, in the order caseChunks plans: the
 * categories take turns, a small chunk each, so every kind of case is spread over the run and
 * memory holds a chunk whatever the run's size. Chunks are generated on the runner's thread as
 * the pool asks for them. (Generating the next chunk ahead, in moments the thread waits on the
 * network, was tried: no measurable gain, even with the target 20 ms away.)
 *
 * Generating on a worker thread instead was built and measured on the 2-core machine this
 * project is gated on. Against the embedded server (answers in well under a millisecond) the
 * runner's thread is the bottleneck, and the worker's start-up, cold JIT and copying every case
 * across threads cost more CPU than they freed: runs got slower. Against a target 20 ms away it
 * gained 3–7% of the firing time, for a second thread and its failure modes. Not worth it here.
 */
import type { CaseCategory } from '../../generators/categories.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { caseChunks, defaultChunkChars, defaultMaxChunkCases, defaultTurnWindow } from './caseChunks.ts';
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
  /** The next case, undefined once every case was handed out. */
  next(): FedCase | undefined;
  /** Time spent generating so far. */
  readonly generationMs: number;
}

export function openCaseFeed(options: CaseFeedOptions): CaseFeed {
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

  let current: CaseChunk | undefined;
  let index = 0;
  let number = 0;
  return {
    next() {
      while (current === undefined || index >= current.cases.length) {
        current = generate();
        index = 0;
        if (current === undefined) return undefined;
      }
      const fed = { category: options.categories[current.category], generated: current.cases[index], number: number + 1, bodyChars: current.sizes[index] };
      index += 1;
      number += 1;
      return fed;
    },
    get generationMs() {
      return generationMs;
    },
  };
}

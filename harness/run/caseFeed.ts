/**
 * Where a run's cases come from: its categories in order, each case numbered in run order,
 * generated on the runner's thread a chunk at a time as the pool asks for them (caseRange: the
 * same cases, in the same order, as generating each category at once). A chunk holds up to
 * `maxChunkCases` cases but no more than about `chunkChars` characters of request bodies (judged
 * from the previous chunk of the category; each category starts with one case), so memory holds
 * little whatever the run's size or its cases' size, and generation is spread between requests.
 * Small chunks also matter to the garbage collector: a chunk waiting to be fired outlives young-
 * generation collections and gets promoted, and the old generation then grows with the run's
 * length (measured: chunks of 16 gave 5–10% more peak memory at 10,000 cases than chunks of 4).
 *
 * Generating on a worker thread instead was tried and measured on the 2-core machine this project
 * is gated on: the worker's start-up and cold JIT, and copying every case across threads, cost
 * more CPU than they freed (the server's thread shares the second core); runs got slower.
 */
import type { CaseCategory } from '../../generators/categories.ts';
import { caseRange, categorySeed } from '../../generators/generateCases.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { caseBodyChars } from './caseSize.ts';

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
  /** A category's generation failed: its remaining cases are not run. */
  onCategoryError: (category: CaseCategory, error: string) => void;
}

export interface CaseFeed {
  /** The next case, undefined once every case was handed out. */
  next(): FedCase | undefined;
  /** Time spent generating so far. */
  readonly generationMs: number;
}

export const defaultMaxChunkCases = 4;
export const defaultChunkChars = 128 * 1024;

function oneLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

interface Chunk {
  category: CaseCategory;
  cases: GeneratedCase[];
  sizes: number[];
}

export function openCaseFeed(options: CaseFeedOptions): CaseFeed {
  const maxChunkCases = Math.max(1, Math.floor(options.maxChunkCases ?? defaultMaxChunkCases));
  const chunkChars = options.chunkChars ?? defaultChunkChars;
  let generationMs = 0;

  function* chunks(): Generator<Chunk> {
    for (const category of options.categories) {
      let size = 1;
      let start = 0;
      try {
        const range = caseRange(category, options.contract, categorySeed(options.seed, category.name));
        while (start < options.runs) {
          const cases = range(start, Math.min(size, options.runs - start));
          if (cases.length === 0) break;
          start += cases.length;
          const sizes = cases.map((generated) => caseBodyChars(generated.case));
          const average = sizes.reduce((sum, chars) => sum + chars, 0) / sizes.length;
          size = Math.max(1, Math.min(maxChunkCases, Math.floor(chunkChars / Math.max(1, average))));
          yield { category, cases, sizes };
        }
      } catch (error) {
        options.onCategoryError(category, oneLine(error));
      }
    }
  }

  const source = chunks();
  let current: Chunk | undefined;
  let index = 0;
  let number = 0;
  let ended = false;
  return {
    next() {
      while (!ended && (current === undefined || index >= current.cases.length)) {
        current = undefined;
        const began = performance.now();
        const next = source.next();
        generationMs += performance.now() - began;
        if (next.done === true) ended = true;
        else {
          current = next.value;
          index = 0;
        }
      }
      if (current === undefined) return undefined;
      const generated = current.cases[index];
      const bodyChars = current.sizes[index];
      index += 1;
      number += 1;
      return { category: current.category, generated, number, bodyChars };
    },
    get generationMs() {
      return generationMs;
    },
  };
}

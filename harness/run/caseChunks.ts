/**
 * The order in which a run generates its cases: the categories take turns, a chunk each, until
 * every category has its `runs` cases — `turnWindow` categories at a time, in run order, the
 * next joining as one finishes. A chunk holds up to `maxChunkCases` cases but no more
 * than about `chunkChars` characters of request bodies, judged from the category's previous
 * chunk (each category starts with one case). Whatever the order or the chunk sizes, a
 * category's i-th case is always the one at replay path `String(i)` (caseRange).
 */
import type { CaseCategory } from '../../generators/categories.ts';
import { caseRange, categorySeed } from '../../generators/generateCases.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { caseBodyChars } from './caseSize.ts';

export interface CaseChunk {
  /** Index into the plan's categories. */
  category: number;
  cases: GeneratedCase[];
  /** caseBodyChars of each case. */
  sizes: number[];
}

export interface ChunkPlan {
  categories: readonly CaseCategory[];
  contract: Contract;
  seed: number;
  /** Cases per category. */
  runs: number;
  maxChunkCases: number;
  chunkChars: number;
  /** Categories taking turns at a time (each holds its arbitrary in memory meanwhile). */
  turnWindow: number;
  /** Told when a category joins the turns: `categories[index]` is read then, and not before (a
   * caller may still replace a category that has not joined). */
  onJoin?: (index: number) => void;
}

interface Turn {
  index: number;
  category: CaseCategory;
  range: ((start: number, count: number) => GeneratedCase[]) | undefined;
  /** Next case index. */
  start: number;
  /** Cases in the next chunk. */
  size: number;
}

/** Small, because generated cases waiting in a chunk outlive young-generation collections and
 * get promoted, and the old generation then grows with the run (measured at 10,000 cases: chunks
 * of 16 gave about 10% more peak memory than chunks of 2; generating costs the same). */
export const defaultMaxChunkCases = 2;
export const defaultChunkChars = 128 * 1024;
/** Eight categories at a time: enough to mix every kind of case into the stream, while the 56
 * categories' arbitraries together (about 9 MB) are never all held at once. */
export const defaultTurnWindow = 8;

function oneLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

export function* caseChunks(plan: ChunkPlan, onCategoryError: (category: number, error: string) => void): Generator<CaseChunk, void, undefined> {
  const maxChunkCases = Math.max(1, Math.floor(plan.maxChunkCases));
  const window = Math.max(1, Math.floor(plan.turnWindow));
  let nextCategory = 0;
  const join = (): Turn | undefined => {
    if (plan.runs <= 0 || nextCategory >= plan.categories.length) return undefined;
    const index = nextCategory;
    nextCategory += 1;
    plan.onJoin?.(index);
    return { index, category: plan.categories[index], range: undefined, start: 0, size: 1 };
  };
  const active: Turn[] = [];
  while (active.length < window) {
    const turn = join();
    if (turn === undefined) break;
    active.push(turn);
  }
  while (active.length > 0) {
    for (let position = 0; position < active.length; position += 1) {
      const turn = active[position];
      try {
        turn.range ??= caseRange(turn.category, plan.contract, categorySeed(plan.seed, turn.category.name));
        const cases = turn.range(turn.start, Math.min(turn.size, plan.runs - turn.start));
        turn.start = cases.length === 0 ? plan.runs : turn.start + cases.length;
        if (cases.length > 0) {
          const sizes = cases.map((generated) => caseBodyChars(generated.case));
          const average = sizes.reduce((sum, chars) => sum + chars, 0) / sizes.length;
          turn.size = Math.max(1, Math.min(maxChunkCases, Math.floor(plan.chunkChars / Math.max(1, average))));
          yield { category: turn.index, cases, sizes };
        }
      } catch (error) {
        turn.start = plan.runs;
        onCategoryError(turn.index, oneLine(error));
      }
    }
    // finished categories leave (their arbitrary with them); the next ones in run order join
    for (let position = active.length - 1; position >= 0; position -= 1) {
      if (active[position].start < plan.runs) continue;
      const replacement = join();
      if (replacement === undefined) active.splice(position, 1);
      else active[position] = replacement;
    }
  }
}

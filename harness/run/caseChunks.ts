/**
 * The order in which a run generates its cases: the categories take turns, a chunk each, until
 * every category has its `runs` cases. A chunk holds up to `maxChunkCases` cases but no more
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
}

export const defaultMaxChunkCases = 4;
export const defaultChunkChars = 128 * 1024;

function oneLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

export function* caseChunks(plan: ChunkPlan, onCategoryError: (category: number, error: string) => void): Generator<CaseChunk, void, undefined> {
  const maxChunkCases = Math.max(1, Math.floor(plan.maxChunkCases));
  const turns = plan.categories.map((category, index) => ({
    index,
    category,
    range: undefined as ((start: number, count: number) => GeneratedCase[]) | undefined,
    start: 0,
    size: 1,
  }));
  let active = plan.runs > 0 ? turns : [];
  while (active.length > 0) {
    for (const turn of active) {
      try {
        turn.range ??= caseRange(turn.category, plan.contract, categorySeed(plan.seed, turn.category.name));
        const cases = turn.range(turn.start, Math.min(turn.size, plan.runs - turn.start));
        turn.start = cases.length === 0 ? plan.runs : turn.start + cases.length;
        if (cases.length === 0) continue;
        const sizes = cases.map((generated) => caseBodyChars(generated.case));
        const average = sizes.reduce((sum, chars) => sum + chars, 0) / sizes.length;
        turn.size = Math.max(1, Math.min(maxChunkCases, Math.floor(plan.chunkChars / Math.max(1, average))));
        yield { category: turn.index, cases, sizes };
      } catch (error) {
        turn.start = plan.runs;
        onCategoryError(turn.index, oneLine(error));
      }
    }
    active = active.filter((turn) => turn.start < plan.runs);
  }
}

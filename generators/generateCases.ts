/**
 * Deterministic case generation and replay, on fast-check's own seed/path machinery: the i-th
 * case of `generateCases(category, contract, {seed, runs})` has path `String(i)`, and
 * `fc.check(property(category.arbitrary(contract), …), {seed, path})` — what `replayCase` and the
 * runner's shrinking do — starts from exactly that case.
 */
import fc from 'fast-check';
import type { Contract } from '../spec/loadContract.ts';
import type { ConformanceCase } from './case.ts';
import type { CaseCategory } from './categories.ts';

export interface GeneratedCase {
  case: ConformanceCase;
  seed: number;
  /** fast-check replay path for this case. */
  path: string;
}

export function generateCases(
  category: CaseCategory,
  contract: Contract,
  options: { seed: number; runs: number },
): GeneratedCase[] {
  if (options.runs <= 0) return [];
  return caseRange(category, contract, options.seed)(0, options.runs);
}

/** Cases `start` … `start + count - 1` of a category under one seed, any range, in any order of
 * calls: each is exactly the case `generateCases` puts at that index. fast-check walks to path
 * `String(start)` (random-generator jumps only, nothing generated on the way) and generates from
 * there. Lets a runner generate a long run a chunk at a time. */
export function caseRange(
  category: CaseCategory,
  contract: Contract,
  seed: number,
): (start: number, count: number) => GeneratedCase[] {
  const arbitrary = category.arbitrary(contract);
  return (start, count) => {
    const cases: GeneratedCase[] = [];
    if (count <= 0) return cases;
    const recordEach = fc.property(arbitrary, (generated) => {
      cases.push({ case: generated, seed, path: String(start + cases.length) });
      return true;
    });
    const details = fc.check(recordEach, start === 0 ? { seed, numRuns: count } : { seed, numRuns: count, path: String(start) });
    if (details.errorInstance !== null && details.errorInstance !== undefined) {
      throw new Error(`generating category ${category.name} failed: ${String(details.errorInstance)}`);
    }
    return cases;
  };
}

const replayPath = /^\d+(:\d+)*$/;

/** The case found at `path` under `seed`, exactly as `generateCases` produced it (a longer
 * path: a shrunk case). Undefined when the path is malformed or leads to no case. */
export function replayCase(
  category: CaseCategory,
  contract: Contract,
  seed: number,
  path: string,
): ConformanceCase | undefined {
  if (!replayPath.test(path)) return undefined;
  let found: ConformanceCase | undefined;
  const stopAtFirst = fc.property(category.arbitrary(contract), (generated) => {
    found = generated;
    return false;
  });
  try {
    fc.check(stopAtFirst, { seed, path, endOnFailure: true, numRuns: 1 });
  } catch {
    return undefined;
  }
  return found;
}

/** A per-category seed derived from the run seed: 32-bit FNV-1a of the name mixed with the
 * seed, so categories draw independent streams and adding a category changes no other. */
export function categorySeed(runSeed: number, categoryName: string): number {
  let hash = 0x811c9dc5;
  const text = `${runSeed | 0}:${categoryName}`;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  return hash | 0;
}

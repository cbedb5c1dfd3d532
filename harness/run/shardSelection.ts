/**
 * --shard I/N: a deterministic 1/N of a run's work, by category (a category's cases all go to one
 * shard, so a case id means the same in the shard as in an unsharded run), balanced by each
 * category's expected cost.
 *
 * Expected cost of a category: `runs` × the mean cost of a sample of its own first cases under
 * the run seed (the very cases the run will fire): one unit per request step, plus one per 64 KiB
 * of request body. Categories are dealt largest first to the shard with the least cost so far
 * (ties: name, then lowest shard), so every shard computes the same split from the same seed,
 * runs and selection, without talking to the others. A shard needs the seed to be given
 * (`--seed`): otherwise each shard would draw its own.
 */
import type { CaseCategory } from '../../generators/categories.ts';
import { caseRange, categorySeed } from '../../generators/generateCases.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { caseBodyChars } from './caseSize.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export type ShardParse = { ok: true; shard: Shard } | { ok: false; error: string };

/** At most this many shards (more would leave shards without a category anyway). */
export const maxShards = 256;

/**
 * `I/N` with 1 ≤ I ≤ N; `index/N` takes I from JOB_COMPLETION_INDEX + 1 (what an Indexed Job,
 * Kubernetes 1.24+, gives each pod, counting from 0).
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv): ShardParse {
  const match = /^(\d+|index)\/(\d+)$/.exec(text.trim());
  if (match === null) return { ok: false, error: `--shard ${JSON.stringify(text)}: expected I/N, e.g. 2/4 (shard 2 of 4), or index/N in an Indexed Job` };
  const count = Number(match[2]);
  if (count < 1 || count > maxShards) return { ok: false, error: `--shard ${text}: N must be between 1 and ${maxShards}` };
  let index: number;
  if (match[1] === 'index') {
    const fromJob = env.JOB_COMPLETION_INDEX;
    if (fromJob === undefined || !/^\d+$/.test(fromJob)) {
      return { ok: false, error: `--shard ${text}: JOB_COMPLETION_INDEX is not set to a number (index/N is for Indexed Jobs)` };
    }
    index = Number(fromJob) + 1;
  } else index = Number(match[1]);
  if (index < 1 || index > count) return { ok: false, error: `--shard ${text}: I must be between 1 and ${count} (shards count from 1)` };
  return { ok: true, shard: { index, count } };
}

const sampleSize = 8;
const bodyCharsPerUnit = 64 * 1024;

/** The expected cost of one category's cases in a run (see the module comment). */
export function expectedCategoryCost(category: CaseCategory, contract: Contract, seed: number, runs: number): number {
  const count = Math.min(runs, sampleSize);
  let sampled: number[];
  try {
    sampled = caseRange(category, contract, categorySeed(seed, category.name))(0, count).map(
      (generated) => generated.case.steps.length + caseBodyChars(generated.case) / bodyCharsPerUnit,
    );
  } catch {
    sampled = [];
  }
  const mean = sampled.length === 0 ? 1 : sampled.reduce((sum, cost) => sum + cost, 0) / sampled.length;
  return mean * runs;
}

export interface ShardPlan {
  /** For every shard (index 0 = shard 1), its categories in the selection's order. */
  shards: CaseCategory[][];
  /** Expected cost per shard, same order. */
  costs: number[];
}

/** Splits the selected categories into `count` shards (see the module comment). */
export function planShards(categories: readonly CaseCategory[], count: number, cost: (category: CaseCategory) => number): ShardPlan {
  const costed = categories.map((category, order) => ({ category, order, cost: cost(category) }));
  costed.sort((a, b) => b.cost - a.cost || (a.category.name < b.category.name ? -1 : a.category.name > b.category.name ? 1 : 0));
  const members: Array<Array<{ category: CaseCategory; order: number }>> = Array.from({ length: count }, () => []);
  const costs = Array.from({ length: count }, () => 0);
  for (const entry of costed) {
    let lightest = 0;
    for (let shard = 1; shard < count; shard += 1) if (costs[shard]! < costs[lightest]!) lightest = shard;
    members[lightest]!.push(entry);
    costs[lightest]! += entry.cost;
  }
  return {
    shards: members.map((list) => list.sort((a, b) => a.order - b.order).map((entry) => entry.category)),
    costs,
  };
}

export type ShardSelection = { ok: true; categories: CaseCategory[]; plan: ShardPlan } | { ok: false; error: string };

/** The categories of shard `shard.index` of the selection. */
export function shardCategories(categories: readonly CaseCategory[], shard: Shard, contract: Contract, seed: number, runs: number): ShardSelection {
  if (shard.count > categories.length) {
    return { ok: false, error: `--shard ${shard.index}/${shard.count}: more shards than the ${categories.length} selected categories (a shard takes whole categories)` };
  }
  const plan = planShards(categories, shard.count, (category) => expectedCategoryCost(category, contract, seed, runs));
  return { ok: true, categories: plan.shards[shard.index - 1]!, plan };
}

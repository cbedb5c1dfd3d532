/**
 * Combines the results of the N shards of one run (--shard 1/N … N/N, same seed) into the result
 * one unsharded run would have produced: one verdict, summed totals and per-check tallies, every
 * category once (in the registry's order), merged coverage and cleanup. Refuses, with one line
 * naming the sources, anything that is not the shards of one run: different seeds, contract
 * hashes, harness versions or run options, a shard missing or given twice, a category in two.
 */
import { caseCategories } from '../../generators/categories.ts';
import type { RunResult } from './runResult.ts';

export interface ShardResult {
  /** Where it came from (folder or file), for messages. */
  source: string;
  result: RunResult;
}

export type MergeOutcome = { ok: true; result: RunResult } | { ok: false; error: string };

function shardName(result: RunResult): string {
  const shard = result.options.shard;
  return shard === undefined ? 'unsharded run' : `shard ${shard.index}/${shard.count}`;
}

/** The run options that must be equal across shards (the selection before sharding, the size). */
function comparableOptions(result: RunResult): string {
  const { runs, dryRunOnly, only, skip, faults } = result.options;
  return JSON.stringify({ runs, dryRunOnly, only, skip, faults });
}

function sameEverywhere(shards: ShardResult[], what: string, value: (result: RunResult) => string): string | undefined {
  const first = shards[0]!;
  const expected = value(first.result);
  const other = shards.find((shard) => value(shard.result) !== expected);
  if (other === undefined) return undefined;
  return `cannot merge: ${what} differ — ${first.source} has ${expected}, ${other.source} has ${value(other.result)}`;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function mergeRunResults(shards: ShardResult[]): MergeOutcome {
  if (shards.length === 0) return { ok: false, error: 'cannot merge: no shard results given' };
  const refusal =
    sameEverywhere(shards, 'seeds', (result) => String(result.seed)) ??
    sameEverywhere(shards, 'contract document hashes (specSha256)', (result) => result.specSha256) ??
    sameEverywhere(shards, 'harness versions', (result) => result.harnessVersion) ??
    sameEverywhere(shards, 'run options (runs, dry-run-only, --only, --skip, faults)', comparableOptions);
  if (refusal !== undefined) return { ok: false, error: refusal };

  if (shards.length > 1 || shards[0]!.result.options.shard !== undefined) {
    const unsharded = shards.find((shard) => shard.result.options.shard === undefined);
    if (unsharded !== undefined) return { ok: false, error: `cannot merge: ${unsharded.source} is not a shard (run with --shard I/N)` };
    const count = shards[0]!.result.options.shard!.count;
    const otherCount = shards.find((shard) => shard.result.options.shard!.count !== count);
    if (otherCount !== undefined) {
      return { ok: false, error: `cannot merge: ${shards[0]!.source} is one of ${count} shards, ${otherCount.source} one of ${otherCount.result.options.shard!.count}` };
    }
    const byIndex = new Map<number, string>();
    for (const shard of shards) {
      const index = shard.result.options.shard!.index;
      const earlier = byIndex.get(index);
      if (earlier !== undefined) return { ok: false, error: `cannot merge: shard ${index}/${count} is given twice (${earlier} and ${shard.source})` };
      byIndex.set(index, shard.source);
    }
    const missing = Array.from({ length: count }, (_, at) => at + 1).filter((index) => !byIndex.has(index));
    if (missing.length > 0) return { ok: false, error: `cannot merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing` };
  }

  const categoryOwner = new Map<string, string>();
  for (const shard of shards) {
    for (const category of shard.result.categories) {
      const owner = categoryOwner.get(category.name);
      if (owner !== undefined) return { ok: false, error: `cannot merge: category ${category.name} is in ${owner} and in ${shard.source}` };
      categoryOwner.set(category.name, shard.source);
    }
  }
  const checkNames = (result: RunResult): string => result.checks.map((check) => check.name).join(',');
  const checkRefusal = sameEverywhere(shards, 'checks judged', checkNames);
  if (checkRefusal !== undefined) return { ok: false, error: checkRefusal };

  const results = shards.map((shard) => shard.result).sort((a, b) => (a.options.shard?.index ?? 0) - (b.options.shard?.index ?? 0));
  const first = results[0]!;
  const registryOrder = new Map(caseCategories.map((category, order) => [category.name, order]));
  const categories = results
    .flatMap((result) => result.categories)
    .sort((a, b) => (registryOrder.get(a.name) ?? Infinity) - (registryOrder.get(b.name) ?? Infinity) || a.name.localeCompare(b.name));
  const totals = {
    cases: sum(results.map((result) => result.totals.cases)),
    requests: sum(results.map((result) => result.totals.requests)),
    failed: sum(results.map((result) => result.totals.failed)),
    skipped: sum(results.map((result) => result.totals.skipped)),
    notRun: sum(results.map((result) => result.totals.notRun)),
  };
  const checks = first.checks.map((check) => {
    const same = results.map((result) => result.checks.find((other) => other.name === check.name)!);
    return {
      name: check.name,
      description: check.description,
      applicable: sum(same.map((entry) => entry.applicable)),
      passed: sum(same.map((entry) => entry.passed)),
      failed: sum(same.map((entry) => entry.failed)),
      upstream: sum(same.map((entry) => entry.upstream)),
    };
  });

  const statuses = new Map<string, number>();
  const queryParameters = new Map<string, number>();
  for (const result of results) {
    for (const [status, count] of Object.entries(result.coverage.statusesElicited)) statuses.set(status, (statuses.get(status) ?? 0) + count);
    for (const [name, count] of Object.entries(result.coverage.queryParameters)) queryParameters.set(name, (queryParameters.get(name) ?? 0) + count);
  }
  const union = (pick: (result: RunResult) => string[]): string[] => [...new Set(results.flatMap(pick))].sort();

  const labelled = (result: RunResult, text: string): string => (results.length > 1 ? `${shardName(result)}: ${text}` : text);
  const stopped = results.filter((result) => result.stoppedEarly !== undefined).map((result) => labelled(result, result.stoppedEarly!));
  const started = Math.min(...results.map((result) => Date.parse(result.startedAt)));
  const ended = Math.max(...results.map((result) => Date.parse(result.startedAt) + result.durationMs));
  const notes = results.flatMap((result) => result.notes.map((note) => labelled(result, note)));
  if (results.length > 1) notes.unshift(`merged from ${results.length} shards (runs ${results.map((result) => `${shardName(result)} ${result.runId}`).join(', ')})`);

  // a shard that could not be made or finished makes the whole run so; a failed preflight never passes
  const errored = results.find((result) => result.error !== undefined);
  const preflightFailed = results.find((result) => result.preflight !== undefined);
  const verdict = errored !== undefined
    ? 'error'
    : preflightFailed === undefined && totals.cases > 0 && totals.failed === 0 && totals.notRun === 0 && stopped.length === 0 && checks.every((check) => check.failed === 0) ? 'pass' : 'fail';
  const { shard: _shard, ...options } = first.options;
  const targets = [...new Set(results.map((result) => result.target))];
  const merged: RunResult = {
    verdict,
    target: targets.join('; '),
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, ended - started),
    seed: first.seed,
    runId: results.map((result) => result.runId).join('+'),
    harnessVersion: first.harnessVersion,
    specSha256: first.specSha256,
    documentedStatuses: first.documentedStatuses,
    options,
    totals,
    checks,
    categories,
    coverage: {
      statusesElicited: Object.fromEntries([...statuses.entries()].sort(([a], [b]) => Number(a) - Number(b))),
      statusesDocumentedNotElicited: first.documentedStatuses.filter((status) => !statuses.has(String(status))),
      fields: { valid: union((result) => result.coverage.fields.valid), invalid: union((result) => result.coverage.fields.invalid) },
      queryParameters: Object.fromEntries([...queryParameters.entries()].sort(([a], [b]) => a.localeCompare(b))),
    },
    shrinks: results.flatMap((result) => result.shrinks),
    cleanup: {
      deleted: results.flatMap((result) => result.cleanup.deleted).sort(),
      failed: results.flatMap((result) => result.cleanup.failed),
      leftOver: results.flatMap((result) => result.cleanup.leftOver).sort(),
      verified: results.every((result) => result.cleanup.verified),
    },
    upstreamBehaviour: results.flatMap((result) => result.upstreamBehaviour),
    retries429: sum(results.map((result) => result.retries429)),
    ...(stopped.length === 0 ? {} : { stoppedEarly: stopped.join('; ') }),
    ...(errored?.error === undefined ? {} : { error: { ...errored.error, reason: labelled(errored, errored.error.reason) } }),
    ...(preflightFailed?.preflight === undefined ? {} : { preflight: { ...preflightFailed.preflight, reason: labelled(preflightFailed, preflightFailed.preflight.reason) } }),
    notes,
  };
  return { ok: true, result: merged };
}

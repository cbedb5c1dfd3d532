/**
 * The pieces of issue 15 that need no cluster: the in-cluster connection (service-account mount,
 * detection, token re-read on change), --shard planning, the merge and its refusals, the Sonobuoy
 * done file and the results ConfigMap format.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { caseCategories } from '../generators/categories.ts';
import { detectInCluster, inClusterBaseUrl, resolveInClusterConnection } from '../harness/connection/inClusterConnection.ts';
import { rotatingTokenFile } from '../harness/connection/rotatingTokenFile.ts';
import { resultsConfigMap, resultsFromConfigMaps } from '../harness/report/resultsConfigMap.ts';
import { writeSonobuoyDone, sonobuoyResultsDir } from '../harness/report/sonobuoyResults.ts';
import { mergeRunResults } from '../harness/run/mergeRunResults.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { expectedCategoryCost, parseShard, planShards, shardCategories } from '../harness/run/shardSelection.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';
import { selfSignedPems } from './fixtures/brokenServers.ts';
import { runConformanceCli } from './support/conformanceCli.ts';

describe('in-cluster pieces', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ec-pieces-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('the in-cluster connection', function () {
    let mount: string;
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    before(async () => {
      mount = path.join(dir, 'serviceaccount');
      await rm(mount, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(mount));
      await writeFile(path.join(mount, 'token'), 'sa-token-first\n', { mode: 0o644 });
      await writeFile(path.join(mount, 'ca.crt'), (await selfSignedPems()).cert);
      await writeFile(path.join(mount, 'namespace'), 'team-a');
    });

    it('reads server, token, CA and namespace the way in-cluster clients do', async function () {
      const resolved = await resolveInClusterConnection({ serviceAccountDir: mount, env });
      if (!resolved.ok) assert.fail(resolved.error);
      const { connection } = resolved;
      assert.equal(connection.baseUrl, 'https://10.96.0.1:443');
      assert.equal(connection.namespace, 'team-a');
      assert.equal(connection.auth.scheme, 'bearer');
      assert.equal(connection.auth.token, 'sa-token-first');
      assert.match(connection.tls.caPem ?? '', /BEGIN CERTIFICATE/);
      assert.equal(connection.tls.insecure, false);
      assert.doesNotMatch(connection.describedAs, /sa-token-first/);
      const other = await resolveInClusterConnection({ serviceAccountDir: mount, namespace: 'team-b', env });
      assert.equal(other.ok && other.connection.namespace, 'team-b');
    });

    it('brackets IPv6 service hosts and refuses missing or bad variables in one line', function () {
      assert.deepEqual(inClusterBaseUrl({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }), { ok: true, baseUrl: 'https://[fd00::1]:443' });
      for (const bad of [{}, { KUBERNETES_SERVICE_HOST: 'h' }, { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: 'x' }, { KUBERNETES_SERVICE_HOST: 'a/b', KUBERNETES_SERVICE_PORT: '1' }]) {
        const result = inClusterBaseUrl(bad);
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.error, /^in-cluster: KUBERNETES_SERVICE_(HOST|PORT)[^\n]*$/);
      }
    });

    it('names the missing file of a mount, never a token', async function () {
      const empty = path.join(dir, 'empty-mount');
      await import('node:fs/promises').then((fs) => fs.mkdir(empty, { recursive: true }));
      const result = await resolveInClusterConnection({ serviceAccountDir: empty, env });
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, /^--service-account-dir .*empty-mount\/token: cannot read the token file \(no such file\)$/);
      const same = await resolveInClusterConnection({ serviceAccountDir: mount, readonlyTokenFile: path.join(mount, 'token'), env });
      assert.equal(same.ok, false);
    });

    it('goes in-cluster on its own only with KUBERNETES_SERVICE_HOST and a token; the flags decide otherwise', function () {
      const exists = (file: string): boolean => existsSync(file);
      assert.equal(detectInCluster(undefined, mount, env, exists), true);
      assert.equal(detectInCluster(undefined, mount, {}, exists), false);
      assert.equal(detectInCluster(undefined, path.join(dir, 'nowhere'), env, exists), false);
      assert.equal(detectInCluster(false, mount, env, exists), false);
      assert.equal(detectInCluster(true, path.join(dir, 'nowhere'), {}, exists), true);
    });

    it('re-reads the token when the file changes (checked at most every interval), keeping the last good one', async function () {
      const file = path.join(dir, 'rotating-token');
      await writeFile(file, 'token-a\n');
      let now = 0;
      const token = rotatingTokenFile(file, 'token-a', { checkEveryMs: 1000, now: () => now });
      // the kubelet swaps the file atomically
      await writeFile(`${file}.new`, 'token-b\n');
      await rename(`${file}.new`, file);
      now = 500;
      assert.equal(token.current(), 'token-a', 'not looked at before the interval');
      now = 1000;
      assert.equal(token.current(), 'token-b');
      await writeFile(file, '');
      now = 2000;
      assert.equal(token.current(), 'token-b', 'an empty file keeps the last good token');
      await rm(file);
      now = 3000;
      assert.equal(token.current(), 'token-b', 'a missing file keeps the last good token');
      await writeFile(file, 'token-c');
      now = 4000;
      assert.equal(token.current(), 'token-c');
      assert.deepEqual(token.seen(), ['token-a', 'token-b', 'token-c']);
      assert.equal(token.rotations, 2);
    });

    it('sends the rotated token on the next request (the connection reads it per request)', async function () {
      const rotating = path.join(dir, 'rotating-mount');
      await import('node:fs/promises').then((fs) => fs.cp(mount, rotating, { recursive: true }));
      const resolved = await resolveInClusterConnection({ serviceAccountDir: rotating, tokenCheckEveryMs: 0, env });
      if (!resolved.ok) assert.fail(resolved.error);
      assert.equal(resolved.connection.auth.token, 'sa-token-first');
      await writeFile(path.join(rotating, 'token.tmp'), 'sa-token-second');
      await rename(path.join(rotating, 'token.tmp'), path.join(rotating, 'token'));
      assert.equal(resolved.connection.auth.token, 'sa-token-second');
      assert.deepEqual(resolved.token.seen(), ['sa-token-first', 'sa-token-second']);
    });
  });

  describe('--shard', function () {
    let contract: Contract;
    before(async () => {
      contract = await loadContract();
    });

    it('parses I/N and index/N (JOB_COMPLETION_INDEX + 1), refusing the rest in one line', function () {
      assert.deepEqual(parseShard('2/4', {}), { ok: true, shard: { index: 2, count: 4 } });
      assert.deepEqual(parseShard('index/3', { JOB_COMPLETION_INDEX: '0' }), { ok: true, shard: { index: 1, count: 3 } });
      for (const [text, env] of [['0/3', {}], ['4/3', {}], ['1/0', {}], ['a/b', {}], ['index/3', {}], ['index/3', { JOB_COMPLETION_INDEX: '3' }]] as const) {
        const parsed = parseShard(text, env);
        assert.equal(parsed.ok, false, text);
        if (!parsed.ok) assert.match(parsed.error, /^--shard [^\n]+$/);
      }
    });

    it('splits by whole categories, each once, the same way for the same seed, balanced by expected cost', function () {
      const seed = 99;
      const runs = 20;
      const costs = new Map(caseCategories.map((category) => [category.name, expectedCategoryCost(category, contract, seed, runs)]));
      const plan = planShards(caseCategories, 4, (category) => costs.get(category.name)!);
      const names = plan.shards.flatMap((shard) => shard.map((category) => category.name));
      assert.deepEqual([...names].sort(), caseCategories.map((category) => category.name).sort());
      const [first, again] = [shardCategories(caseCategories, { index: 2, count: 4 }, contract, seed, runs), shardCategories(caseCategories, { index: 2, count: 4 }, contract, seed, runs)];
      assert.deepEqual(first.ok && first.categories.map((category) => category.name), plan.shards[1]!.map((category) => category.name));
      assert.deepEqual(again.ok && again.categories.map((category) => category.name), plan.shards[1]!.map((category) => category.name));
      // greedy largest-first: no shard exceeds the lightest by more than the largest category
      assert.ok(Math.max(...plan.costs) - Math.min(...plan.costs) <= Math.max(...costs.values()) + 1e-9, JSON.stringify(plan.costs));
      assert.equal(shardCategories(caseCategories.slice(0, 2), { index: 1, count: 3 }, contract, seed, runs).ok, false);
    });

    it('deals the costliest categories first to the lightest shard', function () {
      const named = ['a', 'b', 'c', 'd'].map((name) => ({ ...caseCategories[0]!, name }));
      const cost: Record<string, number> = { a: 5, b: 4, c: 3, d: 3 };
      const plan = planShards(named, 2, (category) => cost[category.name]!);
      assert.deepEqual(plan.shards.map((shard) => shard.map((category) => category.name)), [['a', 'd'], ['b', 'c']]);
      assert.deepEqual(plan.costs, [8, 7]);
    });
  });

  describe('merge', function () {
    const result = (index: number, count: number, categories: string[], overrides: Partial<RunResult> = {}): RunResult => ({
      verdict: 'pass',
      target: 'https://10.96.0.1:443 (in-cluster)',
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
      durationMs: 1000 * index,
      seed: 7,
      runId: `run${index}`,
      harnessVersion: '0.1.0',
      specSha256: 'abc',
      documentedStatuses: [200, 201, 404],
      options: { runs: 2, concurrency: 16, timeoutMs: 10000, dryRunOnly: false, only: [], skip: [], faults: [], shard: { index, count } },
      totals: { cases: 2 * categories.length, requests: 3 * categories.length, failed: 0, skipped: 0, notRun: 0 },
      checks: [{ name: 'status_code_conformance', description: 'd', applicable: 2 * categories.length, passed: 2 * categories.length, failed: 0, upstream: 0 }],
      categories: categories.map((name) => ({
        name, description: '', source: '', group: 'valid', planned: 2, cases: 2, failed: 0, skipped: 0, notRun: 0, skipReasons: {}, checks: [], caseErrors: [], caseErrorCount: 0,
      })),
      coverage: { statusesElicited: { 201: index }, statusesDocumentedNotElicited: [200, 404], fields: { valid: [`f${index}`], invalid: [] }, queryParameters: { dryRun: index } },
      shrinks: [],
      cleanup: { deleted: [`obj${index}`], failed: [], leftOver: [], verified: true },
      upstreamBehaviour: [],
      retries429: 0,
      notes: [],
      ...overrides,
    });
    const shards = (): Array<{ source: string; result: RunResult }> => [
      { source: 'one', result: result(1, 2, ['valid-dry-run', 'ip-loopback']) },
      { source: 'two', result: result(2, 2, ['valid-endpoints']) },
    ];

    it('sums totals and checks, orders categories as the registry does, merges coverage and cleanup', function () {
      const merged = mergeRunResults(shards());
      if (!merged.ok) assert.fail(merged.error);
      const { result: one } = merged;
      assert.equal(one.verdict, 'pass');
      assert.deepEqual(one.totals, { cases: 6, requests: 9, failed: 0, skipped: 0, notRun: 0 });
      assert.equal(one.checks[0]!.applicable, 6);
      assert.deepEqual(one.categories.map((category) => category.name), ['valid-endpoints', 'valid-dry-run', 'ip-loopback']);
      assert.deepEqual(one.coverage.statusesElicited, { 201: 3 });
      assert.deepEqual(one.coverage.fields.valid, ['f1', 'f2']);
      assert.deepEqual(one.coverage.queryParameters, { dryRun: 3 });
      assert.deepEqual(one.cleanup.deleted, ['obj1', 'obj2']);
      assert.equal(one.options.shard, undefined);
      assert.equal(one.durationMs, 3000, 'from the first start to the last end');
      const failing = shards();
      failing[1]!.result.checks[0]!.failed = 1;
      const failed = mergeRunResults(failing);
      assert.equal(failed.ok && failed.result.verdict, 'fail');
    });

    it('a shard whose verdict is error makes the merged run error, with that shard\'s reason; a failed preflight never passes', function () {
      const list = shards();
      list[1]!.result = { ...list[1]!.result, verdict: 'error', stoppedEarly: 'interrupted (SIGTERM)', error: { cause: 'interrupted', reason: 'the run was interrupted (SIGTERM)', notRun: 'n' } };
      const merged = mergeRunResults(list);
      if (!merged.ok) assert.fail(merged.error);
      assert.equal(merged.result.verdict, 'error');
      assert.equal(merged.result.error?.cause, 'interrupted');
      assert.match(merged.result.error?.reason ?? '', /^shard 2\/2: the run was interrupted/);
      const preflight = shards();
      preflight[0]!.result = { ...preflight[0]!.result, preflight: { ok: false, reason: 'the preflight list was answered wrongly: HTTP 500', consequence: 'nothing was written' } };
      const notPassing = mergeRunResults(preflight);
      assert.equal(notPassing.ok && notPassing.result.verdict, 'fail');
      assert.equal(notPassing.ok && notPassing.result.preflight?.consequence, 'nothing was written');
    });

    it('refuses anything that is not the shards of one run, naming the sources', function () {
      const refusals: Array<[string, (list: Array<{ source: string; result: RunResult }>) => void, RegExp]> = [
        ['seed', (list) => (list[1]!.result.seed = 8), /seeds differ — one has 7, two has 8/],
        ['contract', (list) => (list[1]!.result.specSha256 = 'def'), /contract document hashes/],
        ['version', (list) => (list[1]!.result.harnessVersion = '0.2.0'), /harness versions differ/],
        ['runs', (list) => (list[1]!.result.options.runs = 3), /run options/],
        ['missing', (list) => list.pop(), /shard 2\/2 missing/],
        ['twice', (list) => (list[1]!.result.options.shard = { index: 1, count: 2 }), /shard 1\/2 is given twice \(one and two\)/],
        ['count', (list) => (list[1]!.result.options.shard = { index: 2, count: 3 }), /one of 2 shards, two one of 3/],
        ['overlap', (list) => (list[1]!.result.categories[0]!.name = 'ip-loopback'), /category ip-loopback is in one and in two/],
        ['unsharded', (list) => delete list[1]!.result.options.shard, /two is not a shard/],
      ];
      for (const [what, spoil, message] of refusals) {
        const list = shards();
        spoil(list);
        const merged = mergeRunResults(list);
        assert.equal(merged.ok, false, what);
        if (!merged.ok) {
          assert.match(merged.error, message, what);
          assert.doesNotMatch(merged.error, /\n/);
        }
      }
    });

    it('round-trips run results through the results ConfigMap format', function () {
      const original = result(1, 1, ['valid-endpoints']);
      const { body, left } = resultsConfigMap('endpoints-conformance-results', original, {
        runResult: JSON.stringify(original),
        extras: [{ key: 'summary.json', text: '{}' }, { key: 'junit.xml', text: 'x'.repeat(2_000_000) }],
      });
      assert.deepEqual(left, ['junit.xml'], 'what does not fit in a ConfigMap is left out');
      assert.deepEqual((body.metadata as { labels: Record<string, string> }).labels['endpoints-conformance/shard'], '1-of-1');
      const back = resultsFromConfigMaps({ kind: 'List', items: [body] }, 'results.json');
      assert.ok(back.ok);
      assert.deepEqual(back.ok && back.results[0]!.result, original);
      const none = resultsFromConfigMaps({ kind: 'List', items: [] }, 'results.json');
      assert.equal(none.ok, false);
    });
  });

  describe('Sonobuoy results', function () {
    it('writes the done file naming the result file, in $SONOBUOY_RESULTS_DIR or /tmp/sonobuoy/results', async function () {
      assert.equal(sonobuoyResultsDir({}), '/tmp/sonobuoy/results');
      assert.equal(sonobuoyResultsDir({ SONOBUOY_RESULTS_DIR: '/r' }), '/r');
      const done = await writeSonobuoyDone(dir, path.join(dir, 'junit.xml'));
      assert.equal(done, path.join(dir, 'done'));
      assert.equal(await readFile(done, 'utf8'), path.join(dir, 'junit.xml'));
    });

    it('--sonobuoy: reports in the results folder, then done naming junit.xml; a run that cannot be made says why there', async function () {
      this.timeout(60_000);
      const passing = path.join(dir, 'sonobuoy-pass');
      const broken = path.join(dir, 'sonobuoy-broken');
      const [ran, refused] = await Promise.all([
        runConformanceCli(['--sonobuoy', '--runs', '1', '--only', 'valid-endpoints', '--no-in-cluster'], { PATH: process.env.PATH, HOME: dir, SONOBUOY_RESULTS_DIR: passing }),
        runConformanceCli(['--sonobuoy', '--in-cluster', '--service-account-dir', path.join(dir, 'nowhere')], { PATH: process.env.PATH, HOME: dir, SONOBUOY_RESULTS_DIR: broken }),
      ]);
      assert.equal(ran.code, 0, ran.stderr);
      assert.equal(await readFile(path.join(passing, 'done'), 'utf8'), path.join(passing, 'junit.xml'));
      assert.match(await readFile(path.join(passing, 'junit.xml'), 'utf8'), /<testsuite/);
      assert.ok(existsSync(path.join(passing, 'summary.json')));
      assert.equal(refused.code, 2);
      assert.equal(await readFile(path.join(broken, 'done'), 'utf8'), path.join(broken, 'junit.xml'));
      assert.match(await readFile(path.join(broken, 'junit.xml'), 'utf8'), /<failure message="in-cluster: KUBERNETES_SERVICE_HOST is not set/);
    });
  });

  it('refuses bad in-cluster, shard and merge command lines with one line and exit 2', async function () {
    this.timeout(60_000);
    const env = { PATH: process.env.PATH, HOME: dir };
    const cases: Array<[string[], RegExp]> = [
      [['--shard', '1/3', '--runs', '1'], /--shard needs --seed N/],
      [['--shard', '4/3', '--seed', '1'], /--shard 4\/3: I must be between 1 and 3/],
      [['--shard', '2/3', '--seed', '1', '--only', 'valid-endpoints,valid-dry-run'], /more shards than the 2 selected categories/],
      [['--in-cluster', '--target', 'https://127.0.0.1:1', '--namespace', 'x'], /--in-cluster cannot be combined with --target/],
      [['--in-cluster', '--service-account-dir', path.join(dir, 'nowhere')], /KUBERNETES_SERVICE_HOST is not set/],
      [['--results-configmap', 'x', '--runs', '1'], /--results-configmap needs a real target/],
      [['merge', path.join(dir, 'nowhere')], /nowhere: no such file/],
    ];
    const runs = await Promise.all(cases.map(([args]) => runConformanceCli(args, env)));
    runs.forEach((run, index) => {
      const [args, message] = cases[index]!;
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, `one line: ${run.stderr}`);
    });
  });
});

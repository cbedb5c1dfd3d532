/**
 * --compare-with: every case fired at a second target, and every case whose status, reason or
 * causes differ reported per category, side by side, with a replay line per target.
 * Proven first between two reference servers (one with a fault: its cases, and only those, are
 * the differences; each compared dimension can fail), then through the command line against the
 * real kube-apiserver: the reference server with one fault lists that fault's cases and nothing
 * else, and with no fault (through a kubeconfig context) nothing at all.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { answerDifferences } from '../harness/compare/comparableAnswer.ts';
import type { ComparableAnswer } from '../harness/compare/comparableAnswer.ts';
import type { ComparisonSummary } from '../harness/compare/comparisonReport.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { FaultName, ReferenceServerOptions, RunningReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';
import { runConformanceCli } from './support/conformanceCli.ts';
import type { CliRun } from './support/conformanceCli.ts';
import { controlPlaneOrSkip } from './support/controlPlane.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';
import { referenceLikeTheControlPlane } from './support/referenceLikeControlPlane.ts';

const runs = 6;
const seed = 4242;

async function run(contract: Contract, first: RunningReferenceServer, second: RunningReferenceServer, categoryNames: string[] = []): Promise<RunResult> {
  const selection = resolveSelection(caseCategories, checkRegistry, categoryNames, []);
  assert.ok(selection.ok);
  const outcome = await runConformance({
    connection: embeddedConnection(first),
    targetDescription: 'first',
    selection: selection.selection,
    runs,
    seed,
    maxShrinks: 0,
    contract,
    compareWith: { connection: embeddedConnection(second), description: 'second' },
  });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  return outcome.result;
}

function failingCaseIds(result: RunResult): string[] {
  const ids = new Set(result.categories.flatMap((category) => category.checks.flatMap((check) => check.failures.map((failure) => failure.caseId))));
  return [...ids].sort();
}

function differingCaseIds(differences: { categories: Array<{ differences: Array<{ caseId: string }> }> }): string[] {
  return [...new Set(differences.categories.flatMap((category) => category.differences.map((difference) => difference.caseId)))].sort();
}

async function withServers<T>(options: ReferenceServerOptions[], work: (servers: RunningReferenceServer[]) => Promise<T>): Promise<T> {
  const servers = await Promise.all(options.map((option) => startReferenceServer(option)));
  try {
    return await work(servers);
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

function assertUsageFailure(result: CliRun, mentions: RegExp): void {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0], mentions);
}

describe('--compare-with between two reference servers', function () {
  this.timeout(120_000);
  let contract: Contract;
  let scratch: string;
  before(async () => {
    contract = await loadContract();
    scratch = await mkdtemp(path.join(tmpdir(), 'compare-with-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('answers are compared on status, reason and causes (field and type), nothing else', () => {
    const answer = (overrides: Partial<ComparableAnswer>): ComparableAnswer => ({ status: 422, reason: 'Invalid', causes: ['subsets[0].addresses[0].ip FieldValueInvalid'], bodyExcerpt: 'x', ...overrides });
    assert.deepEqual(answerDifferences(answer({}), answer({ bodyExcerpt: 'another message' })), []);
    assert.deepEqual(answerDifferences(answer({}), answer({ status: 400 })), ['status 422 vs 400']);
    assert.deepEqual(answerDifferences(answer({}), answer({ reason: 'BadRequest' })), ['reason Invalid vs BadRequest']);
    assert.deepEqual(answerDifferences(answer({}), answer({ causes: ['subsets[0].addresses[0].ip FieldValueRequired'] })), [
      'causes differ (only first: subsets[0].addresses[0].ip FieldValueInvalid; only second: subsets[0].addresses[0].ip FieldValueRequired)',
    ]);
    assert.deepEqual(answerDifferences(answer({}), answer({ status: undefined, reason: undefined, causes: [], noAnswer: 'reset: socket hang up' })).slice(0, 1), [
      'status 422 vs no answer (reset: socket hang up)',
    ]);
  });

  it('the same server twice: every case compared, no difference, both sides cleaned up', async () => {
    const result = await withServers([{}, {}], ([first, second]) => run(contract, first, second));
    const comparison = result.comparison;
    assert.ok(comparison);
    assert.equal(comparison.totals.compared, result.totals.cases);
    assert.equal(comparison.totals.differing, 0);
    assert.equal(comparison.totals.notCompared, 0);
    assert.deepEqual(comparison.cleanup.leftOver, []);
    assert.ok(comparison.cleanup.deleted.length > 0);
    assert.notEqual(comparison.runId, result.runId, 'each target in its own names');
  });

  for (const [fault, what] of [
    ['accept-loopback-ip', /^status 201 vs 422/],
    ['generic-reason', /^reason BadRequest vs /],
    ['wrong-cause-type', /^causes differ/],
  ] as Array<[FaultName, RegExp]>) {
    it(`a fault on the first (${fault}): exactly the cases it fails are the differences (${what.source})`, async () => {
      const only = fault === 'accept-loopback-ip' ? [] : ['ip-missing', 'protocol-unsupported', 'port-names-missing', 'content-type-unsupported', 'valid-endpoints'];
      const result = await withServers([{ faults: [fault] }, {}], ([first, second]) => run(contract, first, second, only));
      const comparison = result.comparison;
      assert.ok(comparison);
      const failing = failingCaseIds(result);
      assert.ok(failing.length > 0, 'the fault fails some case');
      assert.deepEqual(differingCaseIds(comparison), failing);
      for (const difference of comparison.categories.flatMap((category) => category.differences)) {
        assert.ok(difference.differences.some((line) => what.test(line)), difference.differences.join('; '));
      }
    });
  }

  it('bad --compare-* flags end with exit 2 and one line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--compare-token-file', path.join(scratch, 'token')], /--compare-token-file need\(s\) a comparison target: --compare-with URL/],
      [['--compare-with', 'ftp://example.invalid'], /--compare-with "ftp:\/\/example.invalid": scheme ftp: is not http or https/],
      [['--compare-with', 'http://127.0.0.1:1', '--compare-token-file', path.join(scratch, 'missing')], /--compare-token-file.*missing/],
      [['--replay', 'ip-loopback@1:0', '--compare-with', 'http://127.0.0.1:1'], /--compare-\* flags do not apply to --replay/],
    ];
    const results = await Promise.all(cases.map(([args]) => runConformanceCli(args)));
    results.forEach((result, index) => assertUsageFailure(result, cases[index][1]));
  });

  it('the command line: the differences in the console, summary.json and the HTML report, with replay lines; the verdict is the first target\'s', async () => {
    await withServers([{ faults: ['accept-port-zero'] }], async ([second]) => {
      const tokenFile = path.join(scratch, 'second-token');
      await writeFile(tokenFile, second.tokens[0], { mode: 0o600 });
      const reportDir = path.join(scratch, 'cli');
      const result = await runConformanceCli([
        '--runs', '4', '--seed', '99', '--only', 'port-zero,port-missing,valid-endpoints', '--report-dir', reportDir,
        '--compare-with', second.url, '--compare-namespace', 'conformance', '--compare-token-file', tokenFile,
      ]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /comparison with .*: \d+ of 12 cases answered differently/);
      assert.match(result.stdout, /port-zero: 4 of 4 cases differ/);
      assert.match(result.stdout, /first +422 Invalid \[subsets\[\d+\]\.ports\[\d+\]\.port FieldValueInvalid\]\n +comparison +201/);
      assert.match(result.stdout, /replay on the comparison target: npm run conformance -- --replay port-zero@\S+ --target http:\/\/127\.0\.0\.1:\d+ --namespace conformance --token-file /);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(second.tokens[0]));
      const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as { verdict: string; comparison: ComparisonSummary };
      assert.equal(summary.verdict, 'pass');
      const portZero = summary.comparison.categories.find((category) => category.name === 'port-zero');
      assert.equal(portZero?.differing, 4);
      assert.equal(portZero?.differences[0]?.first?.status, 422);
      assert.equal(portZero?.differences[0]?.second?.status, 201);
      assert.match(portZero?.differences[0]?.replay ?? '', /^npm run conformance -- --replay port-zero@/);
      assert.match(portZero?.differences[0]?.replayOnComparisonTarget ?? '', /--target http/);
      const overview = await readFile(path.join(reportDir, 'index.html'), 'utf8');
      assert.match(overview, /<section id="comparison"><h2>Comparison with [^<]*<\/h2><p><b>\d+<\/b> of 12 cases answered differently/);
      assert.match(overview, /<td>port-zero<\/td><td><code>port-zero@[^<]*<\/code> step 0<br>[^<]*<\/td><td>422 Invalid \[[^<]*\]<\/td><td>201<\/td>/);
      const detailed = await readFile(path.join(reportDir, 'mochawesome.html'), 'utf8');
      assert.match(detailed, /comparison with /);
      assert.match(detailed, /port-zero: 4 of 4 cases differ/);
      for (const text of [overview, detailed]) assert.doesNotMatch(text, new RegExp(second.tokens[0]));
    });
  });
});

describe('--compare-with against the real kube-apiserver (CLI)', function () {
  let plane: RunningControlPlane;
  let contract: Contract;
  let scratch: string;
  const realRuns = 10;
  const realSeed = 31337;
  before(async function () {
    plane = await controlPlaneOrSkip(this);
    contract = await loadContract();
    scratch = await mkdtemp(path.join(tmpdir(), 'compare-real-'));
  });
  after(async () => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  async function tokenFiles(server: RunningReferenceServer): Promise<{ token: string; readonly: string }> {
    const token = path.join(scratch, `token-${server.url.replace(/\W/g, '')}`);
    const readonly = path.join(scratch, `readonly-${server.url.replace(/\W/g, '')}`);
    await writeFile(token, server.tokens[0], { mode: 0o600 });
    await writeFile(readonly, server.readonlyTokens[0], { mode: 0o600 });
    return { token, readonly };
  }

  it('the real apiserver compared with the reference server with one fault: that fault\'s cases, and only those, differ', async function () {
    this.timeout(150_000);
    const fault: FaultName = 'accept-loopback-ip';
    await withServers([{ ...referenceLikeTheControlPlane(plane.version), faults: [fault] }], async ([faulty]) => {
      // which cases the fault breaks: the faulty server judged alone, the same seed and runs
      const selection = resolveSelection(caseCategories, checkRegistry, [], []);
      assert.ok(selection.ok);
      const judged = await runConformance({
        connection: embeddedConnection(faulty), targetDescription: 'faulty', selection: selection.selection, runs: realRuns, seed: realSeed, maxShrinks: 0, contract,
      });
      assert.ok(judged.ok, judged.ok ? '' : judged.error);
      const broken = failingCaseIds(judged.result);
      assert.ok(broken.length > 0);
      assert.ok(broken.every((id) => id.startsWith('ip-loopback@')), broken.join(', '));

      const files = await tokenFiles(faulty);
      const reportDir = path.join(scratch, 'fault');
      const result = await runConformanceCli([
        '--kubeconfig', plane.kubeconfigPath, '--readonly-token-file', plane.readerTokenFile, '--runs', String(realRuns), '--seed', String(realSeed), '--report-dir', reportDir,
        '--compare-with', faulty.url, '--compare-token-file', files.token, '--compare-readonly-token-file', files.readonly,
      ]);
      const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as { verdict: string; totals: { cases: number }; comparison: ComparisonSummary };
      assert.deepEqual(differingCaseIds(summary.comparison), broken, result.stdout);
      assert.equal(summary.comparison.compared, summary.totals.cases);
      assert.equal(summary.comparison.notCompared, 0);
      assert.deepEqual(summary.comparison.cleanup.leftOver, []);
      assert.equal(result.code, 0, 'the real apiserver, the first target, conforms');
      assert.equal(summary.verdict, 'pass');
    });
  });

  it('the reference server compared with the real apiserver through a kubeconfig context, no fault: no difference', async function () {
    this.timeout(150_000);
    await withServers([referenceLikeTheControlPlane(plane.version)], async ([reference]) => {
      const files = await tokenFiles(reference);
      const reportDir = path.join(scratch, 'clean');
      const result = await runConformanceCli([
        '--target', reference.url, '--namespace', 'conformance', '--token-file', files.token, '--readonly-token-file', files.readonly,
        '--runs', String(realRuns), '--seed', String(realSeed), '--report-dir', reportDir,
        '--compare-context', 'local', '--compare-kubeconfig', plane.kubeconfigPath, '--compare-readonly-token-file', plane.readerTokenFile,
      ]);
      const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as { verdict: string; totals: { cases: number }; comparison: ComparisonSummary };
      assert.deepEqual(differingCaseIds(summary.comparison), [], result.stdout);
      assert.match(summary.comparison.target, /kubeconfig .*context local, namespace conformance/);
      assert.equal(summary.comparison.compared, summary.totals.cases);
      assert.equal(summary.comparison.differing, 0);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /comparison with .*: 0 of \d+ cases answered differently/);
    });
  });
});

/**
 * The command line as users run it (the package bin, cli/conformance.mjs): exit codes 0/1/2,
 * the three reports, --replay, one-line errors without stack traces, and no token in anything
 * it writes.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEntry } from '../cli/compiledEntry.mjs';
import { startReferenceServer } from '../reference-server/index.ts';
import { runConformanceCli } from './support/conformanceCli.ts';
import type { CliRun } from './support/conformanceCli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');


function assertUsageFailure(result: CliRun, mentions: RegExp): void {
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0], mentions);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Summary {
  verdict: string;
  seed: number;
  totals: { cases: number; failed: number };
  checks: Array<{ name: string; failed: number }>;
  failingCases: Array<{ check: string; caseId: string; shrunkCaseId?: string }>;
}

describe('CLI: endpoints-conformance', function () {
  this.timeout(180_000);
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'cli-conformance-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('under npm test, the bin runs the compiled JavaScript that the build made (what users run)', function () {
    // `npm test` builds dist/ before mocha; run alone after an edit, the bin runs the sources through tsx
    if (process.env.npm_lifecycle_event !== 'test') this.skip();
    const chosen = chooseEntry(root, path.join(root, 'cli/conformance.ts'), path.join(root, 'dist/cli/conformance.js'));
    assert.equal(chosen.kind, 'compiled', chosen.kind === 'typescript' ? chosen.reason : '');
  });

  it('--help explains every flag, the defaults and the exit codes (exit 0)', async () => {
    const result = await runConformanceCli(['--help']);
    assert.equal(result.code, 0);
    for (const flag of ['--target', '--namespace', '--token-file', '--readonly-token-file', '--auth-scheme', '--ca-file', '--insecure', '--kubeconfig', '--context', '--dry-run-only', '--seed', '--runs', '--only', '--skip', '--concurrency', '--timeout', '--rate-limit', '--report-dir', '--fault', '--list-faults', '--list-categories', '--list-checks', '--replay']) {
      assert.ok(result.stdout.includes(flag), `help mentions ${flag}`);
    }
    assert.match(result.stdout, /Exit codes: 0 .* 1 .* 2 /s);
    assert.match(result.stdout, /default: 100/);
  });

  it('--list-checks and --list-faults print the registry and the catalogue', async () => {
    const checks = await runConformanceCli(['--list-checks']);
    assert.equal(checks.code, 0);
    assert.match(checks.stdout, /^status_causes_conformance\s/m);
    const faults = await runConformanceCli(['--list-faults']);
    assert.equal(faults.code, 0);
    assert.match(faults.stdout, /^accept-loopback-ip\s+caught by negative_data_rejection/m);
  });

  it('bad flags end with exit 2 and one line, never a stack trace', async () => {
    const port = await closedPort();
    const cases: Array<[string[], RegExp]> = [
      [['--runs', '0'], /--runs.*positive integer/],
      [['--bogus'], /unknown option '--bogus'/],
      [['--token', 'abc'], /unknown option '--token'/],
      [['--auth-scheme', 'basic'], /--auth-scheme/],
      [['--only', 'no-such-category'], /unknown name in --only: no-such-category\. Valid categories: .*valid-endpoints.*Valid checks: .*auth_enforced/],
      [['--fault', 'no-such-fault'], /unknown fault no-such-fault/],
      [['--fault', 'accept-loopback-ip', '--target', `http://127.0.0.1:${port}`, '--namespace', 'x'], /--fault applies to the embedded reference server only/],
      [['--target', `http://127.0.0.1:${port}`, '--namespace', 'x', '--token-file', path.join(scratch, 'missing-token')], /missing-token/],
      [['--replay', 'not-a-case-id'], /not a case id/],
    ];
    const results = await Promise.all(cases.map(([args]) => runConformanceCli(args)));
    results.forEach((result, index) => assertUsageFailure(result, cases[index][1]));
  });

  it('an unreachable target is exit 2 with one line', async () => {
    const port = await closedPort();
    const result = await runConformanceCli(['--target', `http://127.0.0.1:${port}`, '--namespace', 'x', '--report-dir', path.join(scratch, 'unreachable')], { CONFORMANCE_TOKEN: 'some-token-value' });
    assertUsageFailure(result, /refused|connect/i);
  });

  it('against the embedded server: exit 0 and three reports that parse', async () => {
    const reportDir = path.join(scratch, 'pass');
    const result = await runConformanceCli(['--runs', '10', '--seed', '7', '--report-dir', reportDir]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /PASS: the target conforms/);
    assert.match(result.stdout, /--seed 7/);
    const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary;
    assert.equal(summary.verdict, 'pass');
    assert.equal(summary.seed, 7);
    assert.ok(summary.totals.cases > 0);
    const junit = await readFile(path.join(reportDir, 'junit.xml'), 'utf8');
    assert.ok((junit.match(/<testcase /g) ?? []).length > 50);
    assert.doesNotMatch(junit, /<failure>/);
    const html = await readFile(path.join(reportDir, 'index.html'), 'utf8');
    assert.match(html, /status_causes_conformance/);
  });

  describe('with a fault', () => {
    const reportDir = (): string => path.join(scratch, 'fault');
    let summary: Summary;

    it('exit 1; the reports name the failing check; --replay reproduces and shrinks the failing case', async () => {
      const result = await runConformanceCli(['--fault', 'accept-loopback-ip', '--runs', '10', '--seed', '7', '--report-dir', reportDir()]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /FAIL: the target does not conform/);
      assert.match(result.stdout, /replay a failing case: npm run conformance -- --replay \S+ --fault accept-loopback-ip/);
      summary = JSON.parse(await readFile(path.join(reportDir(), 'summary.json'), 'utf8')) as Summary;
      assert.equal(summary.verdict, 'fail');
      assert.ok((summary.checks.find((check) => check.name === 'negative_data_rejection')?.failed ?? 0) > 0);
      const junit = await readFile(path.join(reportDir(), 'junit.xml'), 'utf8');
      assert.match(junit, /name="negative_data_rejection"[^>]*><failure>/);
      const html = await readFile(path.join(reportDir(), 'index.html'), 'utf8');
      assert.match(html, /<b class="mono">negative_data_rejection<\/b> — \d+ of \d+ exchanges failed/);
      const mochawesome = await readFile(path.join(reportDir(), 'mochawesome.html'), 'utf8');
      assert.match(mochawesome, /exchanges failed negative_data_rejection/);

      const failing = summary.failingCases.find((item) => item.check === 'negative_data_rejection');
      assert.ok(failing !== undefined);
      const replayed = await runConformanceCli(['--replay', failing.caseId, '--fault', 'accept-loopback-ip']);
      assert.equal(replayed.code, 1, replayed.stdout + replayed.stderr);
      assert.ok(replayed.stdout.includes(`case ${failing.caseId}`));
      assert.match(replayed.stdout, /negative_data_rejection: fail/);
      assert.match(replayed.stdout, /shrunk counterexample for negative_data_rejection/);
      assert.match(replayed.stdout, /FAIL: the case fails on this target/);
      const healthy = await runConformanceCli(['--replay', failing.caseId]);
      assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
      assert.match(healthy.stdout, /PASS: the case passes on this target/);
    });
  });

  it('SIGINT stops the run, cleans up, writes the reports (verdict error) and exits 2', async () => {
    const reportDir = path.join(scratch, 'interrupted');
    let interrupted = false;
    const result = await runConformanceCli(['--rate-limit', '200', '--seed', '11', '--report-dir', reportDir], {}, 100_000, { onStderr: (stderr, child) => {
      if (!interrupted && /^run [a-z0-9]{8}, seed 11/m.test(stderr)) {
        interrupted = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    } });
    assert.ok(interrupted, result.stderr);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /SIGINT: stopping, cleaning up and writing the reports/);
    const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary & {
      stoppedEarly?: string;
      totals: { notRun: number };
      cleanup: { leftOver: string[]; verified: boolean; deleted: string[] };
    };
    assert.equal(summary.verdict, 'error');
    assert.match(summary.stoppedEarly ?? '', /interrupted \(SIGINT\)/);
    assert.ok(summary.totals.notRun > 0);
    assert.deepEqual(summary.cleanup.leftOver, []);
    assert.equal(summary.cleanup.verified, true);
    const junit = await readFile(path.join(reportDir, 'junit.xml'), 'utf8');
    assert.match(junit, /interrupted \(SIGINT\)/);
  });

  it('against --target with a token file: the token appears in no output and no report', async () => {
    const token = 'cli-secret-token-8d1f0c2a';
    const server = await startReferenceServer({ tokens: [token], faults: ['accept-loopback-ip'] });
    try {
      const tokenFile = path.join(scratch, 'token');
      await writeFile(tokenFile, `${token}\n`);
      await chmod(tokenFile, 0o600);
      const reportDir = path.join(scratch, 'target');
      const result = await runConformanceCli([
        '--target', server.url, '--namespace', 'conformance', '--token-file', tokenFile,
        '--runs', '5', '--seed', '3', '--only', 'ip-loopback,valid-endpoints,auth-invalid,create-then-replace', '--report-dir', reportDir,
      ]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      const files = await readdir(reportDir);
      assert.deepEqual(files.sort(), ['index.html', 'junit.xml', 'mochawesome.html', 'run-result.json', 'run.log', 'summary.json']);
      for (const text of [result.stdout, result.stderr, ...(await Promise.all(files.map((file) => readFile(path.join(reportDir, file), 'utf8'))))]) {
        assert.ok(!text.includes(token), 'the token leaked');
      }
      const html = await readFile(path.join(reportDir, 'index.html'), 'utf8');
      assert.match(html, /\$CONFORMANCE_TOKEN/);
      assert.match(result.stdout, /--replay \S+ --target http:\/\/127\.0\.0\.1:\d+ --namespace conformance --token-file /);
    } finally {
      await server.close();
    }
  });
});

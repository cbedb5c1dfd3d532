/**
 * The whole CLI against every broken server: the run ends in bounded time with exit 1 or 2,
 * a readable one-line message when it could not be made, complete reports when it could, and
 * the token nowhere in its output.
 *
 * Here: broken after a healthy preflight list (`passPreflight`: the run meets the breakage
 * mid-way and must still finish with its reports, exit 1, or 2 for a 429 storm). Broken from the
 * first request (the preflight list included) is test/every-run-reports.spec.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenServers } from './fixtures/brokenServers.ts';
import type { BrokenServerOptions } from './fixtures/brokenServers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'broken-servers-secret-token-5150';
/** Generous ceiling per CLI run of 5 cases per category: proves "ends", not speed. */
const BOUND_MS = 60_000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  reportDir: string;
}

async function runCli(target: string, extra: string[] = []): Promise<CliRun> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'broken-cli-'));
  const args = [
    path.join(ROOT, 'cli/conformance.mjs'), // the package's bin: the compiled CLI, as users run it
    '--target', target, '--namespace', 'x', '--timeout', '1000', '--runs', '5', '--report-dir', reportDir, ...extra,
  ];
  const started = Date.now();
  return new Promise<CliRun>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CONFORMANCE_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, reportDir });
    });
  });
}

function assertNoSecretOrStack(run: CliRun, reports: string[] = []): void {
  for (const text of [run.stdout, run.stderr, ...reports]) {
    assert.ok(!text.includes(TOKEN), 'the token leaked into the output');
    assert.doesNotMatch(text, /^\s+at .+\(.+:\d+:\d+\)$/m, 'a stack trace reached the user');
  }
}

async function withServer(name: string, options: BrokenServerOptions, body: (url: string) => Promise<void>): Promise<void> {
  const entry = brokenServers[name];
  assert.ok(entry, name);
  const server = await entry.start(options);
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

describe('CLI against broken servers', function () {
  this.timeout(BOUND_MS + 30_000);
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  // Broken from the first request (the preflight list included): test/every-run-reports.spec.ts.

  it('tenMegabyteBody: answers cut at the body cap count toward the circuit breaker, so the run stops early', async () => {
    await withServer('tenMegabyteBody', { passPreflight: true }, async (url) => {
      // a deadline wide enough that every answer reaches the cap on a loaded machine
      const run = await runCli(url, ['--timeout', '10000']);
      dirs.push(run.reportDir);
      assert.equal(run.code, 1, `exit ${run.code}; stdout: ${run.stdout.slice(0, 1500)}`);
      assert.match(run.stdout, /^stopped early: \d+ consecutive requests got no usable answer \(last: the answer \(HTTP 200\) was larger than the body cap/m);
    });
  });

  describe('broken after a healthy preflight: the run finishes, writes its reports, exits 1 or 2', function () {
    const names = [
      'resetMidResponse', 'neverAnswers', 'slowTrickle', 'htmlErrorPage', 'nonJsonBody', 'truncatedJson',
      'tenMegabyteBody', 'redirect', 'wrongContentType', 'alwaysServerError', 'alwaysTooManyRequests', 'garbageHttp',
    ];
    for (const name of names) {
      it(`${name}: ${brokenServers[name]?.description ?? ''}`, async () => {
        await withServer(name, { passPreflight: true }, async (url) => {
          const run = await runCli(url);
          dirs.push(run.reportDir);
          assert.ok(run.elapsedMs < BOUND_MS, `took ${run.elapsedMs} ms`);
          // 1: the target does not conform; 2: the run could not be made (a 429 storm past the
          // retry budget: verdict error, every-run-reports.spec.ts)
          const throttles = name === 'alwaysTooManyRequests';
          assert.equal(run.code, throttles ? 2 : 1, `exit ${run.code}; stderr: ${run.stderr.slice(0, 500)}`);
          assert.match(run.stdout, throttles ? /^ERROR: the run could not be made or finished \(throttled\)/m : /^FAIL: /m, 'a readable verdict line');
          assert.match(run.stdout, /^reports: /m);
          const files = await readdir(run.reportDir);
          for (const expected of ['index.html', 'junit.xml', 'summary.json']) {
            assert.ok(files.includes(expected), `${expected} missing; got ${files.join(', ')}`);
          }
          const summaryText = await readFile(path.join(run.reportDir, 'summary.json'), 'utf8');
          const summary = JSON.parse(summaryText) as unknown;
          assert.equal(typeof summary, 'object');
          const junit = await readFile(path.join(run.reportDir, 'junit.xml'), 'utf8');
          assert.match(junit, /<testsuite/);
          const html = await readFile(path.join(run.reportDir, 'index.html'), 'utf8');
          assertNoSecretOrStack(run, [summaryText, junit, html]);
        });
      });
    }
  });
});

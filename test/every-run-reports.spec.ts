/**
 * Every run that gets past its flags ends in a report (issue 13): the CLI, as a user runs it,
 * against a broken server per behaviour (each breaks every request, the preflight list included),
 * against a 429 storm mid-run, under SIGTERM, and with a crash of the harness itself. For each:
 * the exit code (1 the target answered wrongly, 2 the run could not be made), the verdict, all
 * three reports parse, junit.xml names the cause (an <error> for `error`, the failing check for
 * `fail`), the HTML report's verdict section shows it first, no token and no stack reach the
 * user, and the run took less than its bound.
 *
 * Time: the runs go four at a time with `--timeout 1500 --runs 2`, except the two slowest
 * behaviours (silence, a 1 byte/s trickle forever), which run at default flags: they end under the
 * issue's 60 s, and the preflight request is shown to end at the 10 s deadline (what bounds them).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenServers } from './fixtures/brokenServers.ts';
import { conformanceNamespace, controlPlaneOrSkip } from './support/controlPlane.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';
import type { BrokenServerOptions, StartedBrokenServer } from './fixtures/brokenServers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'every-run-reports-secret-7781';
const TIMEOUT_MS = 1500;
/** The issue's bound at default flags. */
const DEFAULT_FLAGS_BOUND_MS = 60_000;
/** With --timeout 1500 and 2 cases per category the runs are far smaller than at default flags;
 * the same bound (the machine is shared: this proves "ends", not speed). */
const SMALL_BOUND_MS = DEFAULT_FLAGS_BOUND_MS;

interface CliRun {
  /** What the broken server received (HTTP fixtures only). */
  received?: Array<{ method: string; url: string }>;
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  reportDir: string;
}

interface Summary {
  verdict: string;
  totals: { cases: number; requests: number; failed: number; notRun: number };
  checks: Array<{ name: string; failed: number }>;
  categories: Array<{ name: string; skipReasons: Record<string, number> }>;
  stoppedEarly?: string;
  error?: {
    cause: string;
    reason: string;
    notRun: string;
    logFile?: string;
    exchange?: { request: { method: string; url: string }; status?: number; contentType?: string; bodyStart?: string; failure?: { kind: string }; durationMs: number; throttled?: { answers: number; waitedMs: number } };
  };
  preflight?: { ok: boolean; reason: string; consequence: string; exchange?: { status?: number } };
  cleanup: { leftOver: string[]; verified: boolean; deleted: string[] };
}

interface Reports {
  summary: Summary;
  junit: string;
  html: string;
  /** The mochawesome data embedded in mochawesome.html. */
  htmlData: { results: Array<{ suites: Array<{ title: string; tests: Array<{ title: string; state: string; err: { message?: string } }> }> }> };
}

function runCli(args: string[], options: { env?: Record<string, string>; preload?: string; onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<CliRun> {
  return mkdtemp(path.join(tmpdir(), 'every-run-')).then(
    (reportDir) =>
      new Promise<CliRun>((resolve, reject) => {
        const started = Date.now();
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', ...(options.preload === undefined ? [] : ['--import', options.preload]), path.join(ROOT, 'cli/conformance.ts'), ...args, '--report-dir', reportDir],
          { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CONFORMANCE_TOKEN: TOKEN, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          options.onStderr?.(stderr, (signal) => child.kill(signal));
        });
        const killer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_FLAGS_BOUND_MS + 30_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(killer);
          resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, reportDir });
        });
      }),
  );
}

/** Tags balance and nothing but tags, text and entities: enough to say a junit file parses. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (let match = tag.exec(xml); match !== null; match = tag.exec(xml)) {
    const text = xml.slice(at, match.index);
    assert.doesNotMatch(text, /[<>]|&(?!(?:amp|lt|gt|quot|apos|#x[0-9A-Fa-f]+|#\d+);)/, `stray markup before ${match[0].slice(0, 80)}`);
    at = tag.lastIndex;
    const [, closing, name, , selfClosing] = match;
    if (selfClosing === '/') continue;
    if (closing === '/') assert.equal(stack.pop(), name, `</${name}> closes something else`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, [], 'every tag is closed');
  assert.equal(xml.slice(at).trim(), '', 'nothing after the root element');
}

function htmlUnescape(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function readReports(run: CliRun): Promise<Reports> {
  const files = await readdir(run.reportDir);
  for (const expected of ['index.html', 'mochawesome.html', 'junit.xml', 'summary.json']) assert.ok(files.includes(expected), `${expected} missing; got ${files.join(', ')}\n${run.stdout}\n${run.stderr}`);
  const [summaryText, junit, html, mochawesome] = await Promise.all(['summary.json', 'junit.xml', 'index.html', 'mochawesome.html'].map((file) => readFile(path.join(run.reportDir, file), 'utf8')));
  const summary = JSON.parse(summaryText!) as Summary;
  assertWellFormedXml(junit!);
  // the overview page states the verdict; mochawesome.html carries the test-by-test data
  assert.match(html!, new RegExp(`<meta name="conformance-verdict" content="${summary.verdict}">`));
  const raw = /data-raw="([^"]*)"/.exec(mochawesome!);
  assert.ok(raw, 'mochawesome.html carries its report data');
  const htmlData = JSON.parse(htmlUnescape(raw[1]!)) as Reports['htmlData'];
  for (const text of [run.stdout, run.stderr, summaryText!, junit!, html!, mochawesome!]) {
    assert.ok(!text.includes(TOKEN), 'the token leaked');
  }
  for (const text of [run.stdout, run.stderr]) assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, 'a stack trace reached the console');
  return { summary, junit: junit!, html: html!, htmlData };
}

/** An `error` run: exit 2, one line on stderr that says why, an <error> of that cause in junit,
 * the error first in the HTML verdict section. */
function assertErrorRun(run: CliRun, reports: Reports, cause: string, reason: RegExp): void {
  assert.equal(run.code, 2, `exit ${run.code}\n${run.stdout}\n${run.stderr}`);
  assert.equal(reports.summary.verdict, 'error');
  assert.equal(reports.summary.error?.cause, cause, JSON.stringify(reports.summary.error));
  assert.match(reports.summary.error?.reason ?? '', reason);
  assert.ok((reports.summary.error?.notRun ?? '') !== '', 'says what was not run');
  const lines = run.stderr.split('\n').filter((line) => line.startsWith('endpoints-conformance:'));
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, reason);
  assert.match(run.stdout, /^ERROR: the run could not be made/m);
  assert.match(run.stdout, /^reports: /m);
  const errorCase = new RegExp(`<testcase [^>]*name="error: [^"]*"[^>]*><error message="[^"]*" type="${cause}">`);
  assert.match(reports.junit, errorCase);
  assert.match(/<error message="([^"]*)"/.exec(reports.junit)?.[1] ?? '', reason);
  assert.match(reports.junit, /<testsuite [^>]*errors="1"/);
  assert.match(reports.html, reason, 'the overview page says why');
  const verdict = reports.htmlData.results[0]!.suites[0]!;
  assert.match(verdict.title, /^verdict: error/);
  assert.match(verdict.tests[0]!.title, /^error: /);
  assert.equal(verdict.tests[0]!.state, 'failed');
  assert.match(verdict.tests[0]!.err.message ?? '', reason);
}

/** A `fail` run whose preflight list was answered wrongly: exit 1, nothing written, the
 * preflight named first, and the findings under the checks that judge them. */
function assertFindingsRun(run: CliRun, reports: Reports, checks: string[], junitMentions?: RegExp): void {
  assert.equal(run.code, 1, `exit ${run.code}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-1000)}`);
  assert.equal(reports.summary.verdict, 'fail');
  assert.equal(reports.summary.error, undefined);
  assert.equal(reports.summary.preflight?.ok, false);
  assert.match(reports.summary.preflight?.consequence ?? '', /dryRun=All/);
  if (run.received !== undefined) {
    // nothing was written: every request but a GET was a PUT with exactly dryRun=All
    const writes = run.received.filter((request) => request.method !== 'GET');
    assert.ok(writes.length > 0, 'PUTs were sent');
    for (const request of writes) {
      const dryRun = new URL(request.url, 'http://x').searchParams.getAll('dryRun');
      assert.ok(request.method === 'PUT' && dryRun.length > 0 && dryRun.every((value) => value === 'All'), `a write went out: ${request.method} ${request.url}`);
    }
  }
  assert.ok(reports.summary.totals.cases > 0, 'what could be judged without writing was judged');
  const skipReasons = new Set(reports.summary.categories.flatMap((category) => Object.keys(category.skipReasons)));
  assert.ok([...skipReasons].some((reason) => reason.startsWith('the preflight list failed')), [...skipReasons].join('; '));
  assert.ok(![...skipReasons].some((reason) => reason.includes('--dry-run-only')), 'no reason blames a flag the user did not give');
  assert.match(run.stdout, /^FAIL: the target does not conform/m);
  assert.match(run.stdout, /^preflight: the preflight list was answered wrongly/m);
  for (const check of checks) {
    assert.ok((reports.summary.checks.find((item) => item.name === check)?.failed ?? 0) > 0, `${check} found nothing: ${JSON.stringify(reports.summary.checks)}`);
    assert.match(reports.junit, new RegExp(`<testcase classname="verdict: [^"]*" name="${check}: [^"]*"[^>]*><failure>`), `junit names ${check}`);
  }
  assert.match(reports.junit, /name="preflight: [^"]*"[^>]*><failure>/);
  if (junitMentions !== undefined) assert.match(reports.junit, junitMentions);
  const verdict = reports.htmlData.results[0]!.suites[0]!;
  assert.match(verdict.tests[0]!.title, /^preflight: /);
  assert.equal(verdict.tests[0]!.state, 'failed');
}

interface Mode {
  server: string;
  options?: BrokenServerOptions;
  args?: string[];
  bound: number;
  judge: (run: CliRun, reports: Reports) => void;
}

const small = ['--timeout', String(TIMEOUT_MS), '--runs', '2'];
const deadlineBounded = (reports: Reports, timeoutMs: number): void => {
  const took = reports.summary.error?.exchange?.durationMs ?? -1;
  assert.ok(took >= timeoutMs - 50 && took < timeoutMs + 3000, `the preflight request ended at the deadline (${timeoutMs} ms), not later: took ${took} ms`);
};

const modes: Record<string, Mode> = {
  'connection refused': { server: 'connectionRefused', bound: SMALL_BOUND_MS, judge: (run, r) => assertErrorRun(run, r, 'no-answer', /refused/) },
  'resets mid-body': { server: 'resetMidResponse', bound: SMALL_BOUND_MS, judge: (run, r) => assertErrorRun(run, r, 'no-answer', /reset|closed/) },
  'closes after the headers': { server: 'closesAfterHeaders', bound: SMALL_BOUND_MS, judge: (run, r) => assertErrorRun(run, r, 'no-answer', /closed|reset/) },
  'answers with bytes that are not HTTP': { server: 'garbageHttp', bound: SMALL_BOUND_MS, judge: (run, r) => assertErrorRun(run, r, 'no-answer', /malformed HTTP/) },
  'an untrusted TLS certificate': { server: 'selfSignedTls', bound: SMALL_BOUND_MS, judge: (run, r) => assertErrorRun(run, r, 'no-answer', /TLS|certificate/) },
  '429 to everything': {
    server: 'alwaysTooManyRequests',
    bound: SMALL_BOUND_MS,
    judge: (run, r) => {
      assertErrorRun(run, r, 'throttled', /429 Too Many Requests 4 times in a row \(waited \d+\.\d s/);
      const throttled = r.summary.error?.exchange?.throttled;
      assert.equal(throttled?.answers, 4);
      assert.ok((throttled?.waitedMs ?? 0) >= 2900, JSON.stringify(throttled));
      assert.equal(r.summary.error?.exchange?.status, 429);
    },
  },
  '401 to everything': { server: 'alwaysUnauthorized', bound: SMALL_BOUND_MS, judge: (run, r) => assertErrorRun(run, r, 'access-denied', /credentials were not accepted/) },
  'HTML 502 page': {
    server: 'htmlErrorPage',
    bound: SMALL_BOUND_MS,
    judge: (run, r) => {
      assertFindingsRun(run, r, ['not_a_server_error', 'response_content_type_json', 'response_schema_conformance'], /502 Bad Gateway/);
      assert.equal(r.summary.preflight?.exchange?.status, 502);
    },
  },
  'non-JSON body': { server: 'nonJsonBody', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['response_schema_conformance']) },
  'truncated JSON': { server: 'truncatedJson', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['response_schema_conformance']) },
  '10 MB body': {
    server: 'tenMegabyteBody',
    // a deadline wide enough that every answer reaches the cap on a loaded machine
    args: ['--timeout', '10000', '--runs', '2', '--concurrency', '4'],
    bound: SMALL_BOUND_MS,
    judge: (run, r) => {
      assertFindingsRun(run, r, ['response_schema_conformance'], /cut at the size cap/);
      assert.match(r.summary.stoppedEarly ?? '', /larger than the body cap/);
    },
  },
  'endless redirect': { server: 'endlessRedirect', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['status_code_conformance', 'response_content_type_json']) },
  'wrong Content-Type': { server: 'wrongContentType', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['response_content_type_json']) },
  '500 to everything': { server: 'alwaysServerError', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['not_a_server_error']) },
  'body longer than its Content-Length': { server: 'bodyLongerThanContentLength', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['not_a_server_error']) },
  'invalid UTF-8': { server: 'invalidUtf8', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['response_schema_conformance'], /not valid UTF-8/) },
  'a Status whose code lies': { server: 'statusCodeLies', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['status_body_code_matches']) },
  'gzip not announced': { server: 'gzipNotAnnounced', bound: SMALL_BOUND_MS, judge: (run, r) => assertFindingsRun(run, r, ['response_schema_conformance']) },
  '429 storm after a healthy preflight': {
    server: 'alwaysTooManyRequests',
    options: { passPreflight: true },
    bound: SMALL_BOUND_MS,
    judge: (run, r) => {
      assertErrorRun(run, r, 'throttled', /throttled past the retry budget: 5 consecutive requests were still answered 429.*answers were 429, the harness waited \d+\.\d s/);
      assert.ok((r.summary.error?.exchange?.throttled?.answers ?? 0) >= 20, JSON.stringify(r.summary.error?.exchange));
      assert.ok(r.summary.totals.notRun > 0);
    },
  },
  'never answers, at default flags': {
    server: 'neverAnswers',
    args: [],
    bound: DEFAULT_FLAGS_BOUND_MS,
    judge: (run, r) => {
      assertErrorRun(run, r, 'no-answer', /within 10000 ms/);
      deadlineBounded(r, 10_000);
    },
  },
  'trickles 1 byte per second, at default flags': {
    server: 'trickleOneBytePerSecond',
    args: [],
    bound: DEFAULT_FLAGS_BOUND_MS,
    judge: (run, r) => {
      assertErrorRun(run, r, 'no-answer', /within 10000 ms/);
      deadlineBounded(r, 10_000);
    },
  },
};

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next]!;
        next += 1;
        await work(item);
      }
    }),
  );
}

describe('every run ends in a report (CLI against broken, hostile and half-working targets)', function () {
  this.timeout(240_000);
  const runs = new Map<string, CliRun | Error>();
  const dirs: string[] = [];

  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('each broken behaviour, through the CLI', function () {
    before(async function () {
      this.timeout(240_000);
      // the two default-flag runs mostly wait: start them first, beside the others
      const names = Object.keys(modes).sort((a, b) => (modes[b]!.bound === DEFAULT_FLAGS_BOUND_MS ? 1 : 0) - (modes[a]!.bound === DEFAULT_FLAGS_BOUND_MS ? 1 : 0));
      await inBatches(names, 4, async (name) => {
        const mode = modes[name]!;
        const fixture = brokenServers[mode.server];
        let server: StartedBrokenServer | undefined;
        try {
          assert.ok(fixture, mode.server);
          server = await fixture.start(mode.options ?? {});
          const run = await runCli(['--target', server.url, '--namespace', 'x', ...(mode.args ?? small)]);
          dirs.push(run.reportDir);
          const received = server.requestLog?.();
          runs.set(name, received === undefined ? run : { ...run, received });
        } catch (error) {
          runs.set(name, error instanceof Error ? error : new Error(String(error)));
        } finally {
          await server?.close();
        }
      });
    });

    for (const [name, mode] of Object.entries(modes)) {
      it(`${name}: ${brokenServers[mode.server]?.description ?? ''}`, async () => {
        const run = runs.get(name);
        assert.ok(run !== undefined, 'the run happened');
        if (run instanceof Error) throw run;
        assert.ok(run.elapsedMs < mode.bound, `took ${run.elapsedMs} ms, bound ${mode.bound} ms`);
        mode.judge(run, await readReports(run));
      });
    }

  });

  describe('on the way out: a signal or a crash of ours still ends in reports and cleanup', function () {
    it('SIGTERM: verdict error (interrupted), exit 2, cleanup done and verified', async () => {
      let sent = false;
      const run = await runCli(['--rate-limit', '200', '--seed', '5'], {
        onStderr: (stderr, kill) => {
          if (!sent && /^run [a-z0-9]{8}, seed 5/m.test(stderr)) {
            sent = true;
            setTimeout(() => kill('SIGTERM'), 300);
          }
        },
      });
      dirs.push(run.reportDir);
      assert.ok(sent, run.stderr);
      const reports = await readReports(run);
      assertErrorRun(run, reports, 'interrupted', /interrupted \(SIGTERM\)/);
      assert.ok(reports.summary.totals.cases > 0 && reports.summary.totals.notRun > 0, JSON.stringify(reports.summary.totals));
      assert.ok(reports.summary.cleanup.deleted.length > 0, 'what the run wrote was deleted');
      assert.deepEqual(reports.summary.cleanup.leftOver, []);
      assert.equal(reports.summary.cleanup.verified, true);
    });

    for (const [mode, message] of [
      ['throw', /injected failure while recording a case/],
      ['uncaught', /injected uncaught failure/],
    ] as const) {
      it(`a crash of the harness (${mode === 'throw' ? 'a throw inside the run' : 'an exception nobody catches'}): verdict error, the stack in the log file only, cleanup done`, async () => {
        const run = await runCli(['--runs', '5'], { env: { INJECTED_CRASH: mode }, preload: path.join(ROOT, 'test/fixtures/crashInsideRun.ts') });
        dirs.push(run.reportDir);
        const reports = await readReports(run);
        assertErrorRun(run, reports, 'crash', message);
        assert.match(reports.summary.error?.reason ?? '', /a bug of ours/);
        const logFile = reports.summary.error?.logFile ?? '';
        assert.equal(path.dirname(logFile), run.reportDir);
        const log = await readFile(logFile, 'utf8');
        assert.match(log, /\n\s+at .+crashInsideRun\.ts:\d+:\d+/, 'the stack is in the log');
        assert.match(run.stderr, /the stack is in .*harness-error\.log/);
        assert.ok(reports.summary.totals.cases > 0, 'what ran before the crash is reported');
        assert.ok(reports.summary.cleanup.deleted.length > 0, 'what the run wrote was deleted');
        assert.deepEqual(reports.summary.cleanup.leftOver, []);
        assert.equal(reports.summary.cleanup.verified, true);
      });
    }
  });

  describe('against the real control plane (kube-apiserver v1.20.2)', function () {
    let plane: RunningControlPlane;
    let scratch: string;
    before(async function () {
      plane = await controlPlaneOrSkip(this);
      scratch = await mkdtemp(path.join(tmpdir(), 'every-run-real-'));
      dirs.push(scratch);
    });

    it('a token the apiserver does not accept: verdict error (access-denied), exit 2, the 401 as data, nothing sent but the list', async () => {
      const tokenFile = path.join(scratch, 'wrong-token');
      await writeFile(tokenFile, 'not-a-token-the-apiserver-knows', { mode: 0o600 });
      const run = await runCli(['--target', plane.url, '--ca-file', plane.caFile, '--namespace', conformanceNamespace, '--token-file', tokenFile, '--auth-scheme', 'bearer', '--runs', '2']);
      dirs.push(run.reportDir);
      const reports = await readReports(run);
      assertErrorRun(run, reports, 'access-denied', /credentials were not accepted \(401/);
      assert.equal(reports.summary.error?.exchange?.status, 401);
      assert.equal(reports.summary.totals.requests, 0);
    });

    it('a crash of the harness mid-run: verdict error, and what the run wrote is deleted (the apiserver holds nothing of it)', async () => {
      const run = await runCli(['--target', plane.url, '--ca-file', plane.caFile, '--namespace', conformanceNamespace, '--token-file', plane.adminTokenFile, '--auth-scheme', 'bearer', '--runs', '2'], {
        env: { INJECTED_CRASH: 'throw' },
        preload: path.join(ROOT, 'test/fixtures/crashInsideRun.ts'),
      });
      dirs.push(run.reportDir);
      const reports = await readReports(run);
      assertErrorRun(run, reports, 'crash', /injected failure while recording a case/);
      assert.ok(reports.summary.cleanup.deleted.length > 0, 'the run had written objects');
      assert.equal(reports.summary.cleanup.verified, true);
      assert.deepEqual(reports.summary.cleanup.leftOver, []);
      const runId = /^run ([a-z0-9]{8}),/m.exec(run.stderr)?.[1];
      assert.ok(runId !== undefined, run.stderr);
      const left = await plane.api('GET', `/api/v1/namespaces/${conformanceNamespace}/endpoints?labelSelector=${encodeURIComponent(`endpoints-conformance/run=${runId}`)}`);
      assert.equal(left.status, 200);
      assert.deepEqual((left.body as { items: unknown[] }).items, []);
    });
  });
});

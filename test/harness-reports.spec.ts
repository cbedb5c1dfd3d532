/** The three reports written from a hand-made run result: they exist, parse, say what failed,
 * and never contain a secret — even one a server echoed back in a body. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeReports } from '../harness/report/writeReports.ts';
import { closingLines, verdictTable } from '../harness/report/consoleReport.ts';
import type { FailureRecord, RunResult } from '../harness/run/runResult.ts';
import { createRedactor } from '../harness/secrets/redact.ts';

const secret = 'tok-9f8e7d6c5b4a-secret';

function failure(index: number): FailureRecord {
  return {
    check: 'negative_data_rejection',
    category: 'ip-loopback',
    caseId: `ip-loopback@-123:${index}`,
    seed: -123,
    path: String(index),
    description: `loopback 127.0.0.${index + 1} at subsets[0].addresses[0].ip`,
    step: 0,
    expected: 'the invalid input rejected (4xx)',
    actual: 'accepted with HTTP 201',
    exchanges: [
      {
        step: 0,
        request: {
          method: 'PUT',
          url: 'http://127.0.0.1:1/api/v1/namespaces/conformance/endpoints/ec-abcdefgh-1',
          headers: { 'x-auth-token': '***', 'content-type': 'application/json' },
          body: '{"metadata":{"name":"ec-abcdefgh-1"}}',
        },
        credential: 'valid',
        response: {
          status: 201,
          headers: { 'content-type': 'application/json' },
          // a server that echoes the caller's token: the reports must still not carry it
          body: `{"kind":"Endpoints","metadata":{"annotations":{"echo":"${secret}"}}}`,
          bodyCut: false,
          durationMs: 1,
        },
        retries429: 0,
      },
    ],
  };
}

function runResult(): RunResult {
  const failures = Array.from({ length: 7 }, (_, index) => failure(index));
  return {
    verdict: 'fail',
    target: 'http://127.0.0.1:1 (test)',
    startedAt: '2026-11-24T08:00:00.000Z',
    durationMs: 1234,
    seed: 42,
    runId: 'abcdefgh',
    harnessVersion: '0.1.0',
    specSha256: 'f'.repeat(64),
    documentedStatuses: [200, 201, 422],
    options: { runs: 10, concurrency: 4, timeoutMs: 1000, dryRunOnly: false, only: [], skip: [], faults: [] },
    totals: { cases: 30, requests: 40, failed: 7, skipped: 10, notRun: 0 },
    checks: [
      { name: 'not_a_server_error', description: 'no 5xx', applicable: 40, passed: 39, failed: 0, upstream: 1 },
      { name: 'negative_data_rejection', description: 'invalid input rejected', applicable: 20, passed: 13, failed: 7, upstream: 0 },
    ],
    categories: [
      {
        name: 'ip-loopback', description: 'loopback IPs', source: 'S9', group: 'ip', planned: 10, cases: 10, failed: 7, skipped: 0, notRun: 0,
        skipReasons: {}, caseErrors: [], caseErrorCount: 0,
        checks: [
          { check: 'not_a_server_error', applicable: 10, passed: 10, failed: 0, upstream: 0, failures: [], failuresOmitted: 0, upstreamNotes: [] },
          { check: 'negative_data_rejection', applicable: 10, passed: 3, failed: 7, upstream: 0, failures, failuresOmitted: 0, upstreamNotes: [] },
        ],
      },
      {
        name: 'resource-version-malformed', description: 'RV abc', source: 'M17', group: 'request', planned: 10, cases: 10, failed: 0, skipped: 0, notRun: 0,
        skipReasons: {}, caseErrors: [], caseErrorCount: 0,
        checks: [{ check: 'not_a_server_error', applicable: 10, passed: 9, failed: 0, upstream: 1, failures: [], failuresOmitted: 0, upstreamNotes: ['HTTP 500: M17'] }],
      },
      {
        name: 'auth-readonly', description: 'read-only token writes', source: 'R3', group: 'request', planned: 10, cases: 0, failed: 0, skipped: 10, notRun: 0,
        skipReasons: { 'needs a read-only token (--readonly-token-file)': 10 }, caseErrors: [], caseErrorCount: 0, checks: [],
      },
    ],
    coverage: { statusesElicited: { '201': 30, '500': 1 }, statusesDocumentedNotElicited: [200, 422], fields: { valid: ['subsets[].addresses[].ip'], invalid: ['subsets[].addresses[].ip'] }, queryParameters: {} },
    shrinks: [
      {
        check: 'negative_data_rejection', category: 'ip-loopback', originalCaseId: 'ip-loopback@-123:0',
        shrunk: { ...failure(0), caseId: 'ip-loopback@-123:0:1:0', path: '0:1:0', numShrinks: 2 },
      },
    ],
    cleanup: { deleted: ['ec-abcdefgh-1'], failed: [], leftOver: [], verified: true },
    upstreamBehaviour: [{ category: 'resource-version-malformed', check: 'not_a_server_error', caseId: 'resource-version-malformed@1:0', note: 'HTTP 500: M17' }],
    retries429: 0,
    notes: [],
  };
}

describe('harness reports', () => {
  let reportDir: string;
  before(async () => {
    reportDir = await mkdtemp(path.join(tmpdir(), 'conformance-reports-'));
  });
  after(async () => {
    await rm(reportDir, { recursive: true, force: true });
  });

  it('writes index.html, junit.xml and summary.json that say what failed, with no secret in them', async () => {
    const redact = createRedactor([secret]);
    const paths = await writeReports(runResult(), { reportDir, redact, replayCommand: (caseId) => `npm run conformance -- --replay ${caseId}` });
    const [html, junit, summaryText] = await Promise.all([readFile(paths.html, 'utf8'), readFile(paths.junit, 'utf8'), readFile(paths.summary, 'utf8')]);
    for (const text of [html, junit, summaryText]) assert.ok(!text.includes(secret), 'a secret leaked into a report');

    const summary = JSON.parse(summaryText) as Record<string, unknown>;
    assert.equal(summary.verdict, 'fail');
    assert.equal(summary.seed, 42);
    assert.deepEqual(summary.totals, { cases: 30, requests: 40, failed: 7, skipped: 10, notRun: 0 });
    assert.deepEqual(
      (summary.checks as Array<{ name: string; failed: number }>).map(({ name, failed }) => [name, failed]),
      [['not_a_server_error', 0], ['negative_data_rejection', 7]],
    );
    const failingCases = summary.failingCases as Array<{ caseId: string; shrunkCaseId?: string }>;
    assert.deepEqual(failingCases, [
      { category: 'ip-loopback', check: 'negative_data_rejection', caseId: 'ip-loopback@-123:0', expected: 'the invalid input rejected (4xx)', actual: 'accepted with HTTP 201', shrunkCaseId: 'ip-loopback@-123:0:1:0' },
    ]);

    const testcases = junit.match(/<testcase /g) ?? [];
    assert.ok(testcases.length >= 5, `junit has ${testcases.length} testcases`);
    assert.match(junit, /<testcase classname="ip-loopback" name="negative_data_rejection"[^>]*><failure>7 of 10 exchanges failed negative_data_rejection/);
    assert.match(junit, /name="skipped 10 of 10 cases: needs a read-only token[^"]*"[^>]*><skipped\/>/);
    assert.match(junit, /upstream behaviour/);
    // the verdict suite comes first: one testcase per check over the whole run
    const firstClass = /<testcase classname="([^"]*)"/.exec(junit)?.[1];
    assert.equal(firstClass, 'verdict: the target does not conform');
    assert.match(junit, /<testcase classname="verdict: the target does not conform" name="negative_data_rejection: 13 of 20 exchanges passed"[^>]*><failure>7 of 20 exchanges failed negative_data_rejection\nip-loopback: 7 of 10 failed<\/failure>/);
    assert.match(junit, /classname="verdict: the target does not conform" name="not_a_server_error: [^"]*"[^>]*\/>/);

    const mochawesome = await readFile(paths.mochawesome, 'utf8');
    assert.ok(!mochawesome.includes(secret), 'a secret leaked into mochawesome.html');
    for (const page of [html, mochawesome]) {
      assert.match(page, /negative_data_rejection/);
      assert.match(page, /ip-loopback@-123:0:1:0/, 'the shrunk counterexample is in the HTML');
      assert.match(page, /CONFORMANCE_TOKEN/, 'the curl replay takes the token from the environment');
    }
    assert.match(mochawesome, /ip-loopback@-123:6/, 'failures beyond the detailed ones are listed');
    assert.match(mochawesome, /endpoints-conformance-no-durations/, 'mochawesome shows no durations');
  });

  it('index.html: the verdict in words, the facts, the picture, coverage and the first counterexample, without a script', async () => {
    const redact = createRedactor([secret]);
    const result = { ...runResult(), command: 'endpoints-conformance --runs 10 --seed 42', phases: { startupMs: 1000, generationMs: 200, requestsMs: 3000, checksMs: 100, shrinkingMs: 50, cleanupMs: 40, reportsMs: 0 } };
    const paths = await writeReports(result, { reportDir, redact, replayCommand: (caseId) => `npm run conformance -- --replay ${caseId}` });
    const html = await readFile(paths.html, 'utf8');
    assert.doesNotMatch(html, /<script|<link |src="http|url\(http/i, 'self-contained and script-free');
    assert.match(html, /<div class="verdict-word">FAIL<\/div><div><h1>The target does not conform to the contract<\/h1>/);
    assert.match(html, /<meta name="conformance-verdict" content="fail">/);
    assert.match(html, /<dt>command<\/dt><dd><code class="command">endpoints-conformance --runs 10 --seed 42<\/code>/);
    assert.match(html, /<dt>seed<\/dt><dd><code>42<\/code>/);
    assert.match(html, /<dt>contract<\/dt><dd><code[^>]*>sha256 ffffffffffffffff…/);
    assert.match(html, /<dt>took<\/dt><dd>[45]\.\d s<\/dd>/, 'the phases add up to the wall time');
    assert.doesNotMatch(html, />0 ?ms</, 'no zero durations');
    // the picture: one bar per check; negative_data_rejection failed in 1 category, passed in none, n/a in 2
    assert.match(html, /<span class="bar-name mono">negative_data_rejection<\/span><span class="bar" role="img" aria-label="negative_data_rejection: 0 passed, 1 failed"><span class="seg failed" style="width:33\.33%"/);
    assert.match(html, /aria-label="ip · 1: 3 passed, 7 failed"/);
    // coverage: the grid lists contract fields, with what was exercised
    assert.match(html, /<tr><td class="mono">subsets\[\]\.addresses\[\]\.ip<\/td><td class="yes">✔<\/td><td class="yes">✔<\/td><\/tr>/);
    assert.match(html, /<tr><td class="mono">metadata\.generateName<\/td><td class="no">—<\/td><td class="no">—<\/td><\/tr>/);
    assert.match(html, /<td class="mono">500<\/td><td>no<\/td><td class="yes">1<\/td><td>not documented by the contract/);
    assert.match(html, /<td class="mono">422<\/td><td>yes<\/td><td class="no">—<\/td><td>no case of this run produced it/);
    // the failing check is open on its first counterexample, the difference marked
    assert.match(html, /<details class="failing-check" id="failing-negative_data_rejection" open>/);
    assert.match(html, /<h4>expected<\/h4><p><mark>the invalid input rejected \(4xx\)<\/mark><\/p><\/div><div><h4>actual<\/h4><p><mark>accepted with HTTP 201<\/mark><\/p>/);
    assert.match(html, /curl -sS -i -X PUT/);
    assert.match(html, /npm run conformance -- --replay ip-loopback@-123:0</);
    assert.match(html, /shrunk counterexample <code>ip-loopback@-123:0:1:0<\/code>/);
    assert.ok(!html.includes(secret));
  });

  it('prints a verdict table and the seed with a replay hint', () => {
    const result = runResult();
    const table = verdictTable(result);
    assert.match(table, /negative_data_rejection\s+20\s+13\s+7/);
    assert.match(table, /ip-loopback: 7 of 10 cases failed \(negative_data_rejection\)/);
    const closing = closingLines(result, undefined, (caseId) => `replay ${caseId}`);
    assert.match(closing, /^FAIL/);
    assert.match(closing, /--seed 42/);
    assert.match(closing, /replay ip-loopback@-123:0/);
  });
});

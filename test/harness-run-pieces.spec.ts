/** The runner's small parts: case ids, --only/--skip, request building, pacing, the circuit
 * breaker, and the curl replay command (executed against a loopback server). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { curlCommand } from '../harness/report/curlCommand.ts';
import { formatCaseId, parseCaseId } from '../harness/run/caseId.ts';
import { createCircuitBreaker } from '../harness/run/circuitBreaker.ts';
import { maskCredentialHeaders } from '../harness/run/exchangeRecord.ts';
import { invalidToken, prepareRequest, writtenObjectName } from '../harness/run/outgoingRequest.ts';
import { createRateLimiter, retryAfterMs } from '../harness/run/pacing.ts';
import { newRunId, uniqueName } from '../harness/run/runIdentity.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import type { ExchangeRecord } from '../harness/run/runResult.ts';
import type { ReceivedResponse } from '../harness/transport/types.ts';

const connection: ResolvedConnection = {
  baseUrl: 'http://127.0.0.1:9/prefix',
  namespace: 'conformance',
  auth: { scheme: 'x-auth-token', token: 'secret-token-1234', readonlyToken: 'readonly-token-5678' },
  tls: { insecure: false },
  describedAs: 'test',
};

describe('harness run pieces', () => {
  it('case ids round-trip, negative seeds and shrink paths included; garbage is refused', () => {
    for (const address of [
      { category: 'ip-loopback', seed: 12345, path: '17' },
      { category: 'valid-dry-run', seed: -2147483648, path: '3:0:1:0' },
    ]) {
      assert.deepEqual(parseCaseId(formatCaseId(address)), address);
    }
    for (const bad of ['ip-loopback', 'ip-loopback@x:1', 'ip-loopback@1:', '@1:2', 'Ip@1:2', 'a@1:2:x']) {
      assert.equal(parseCaseId(bad), undefined, bad);
    }
  });

  it('run ids are 8 lowercase alphanumerics starting with a letter; unique names stay short', () => {
    for (let index = 0; index < 50; index += 1) assert.match(newRunId(), /^[a-z][a-z0-9]{7}$/);
    assert.ok(uniqueName('abcdefgh', 999_999, 's').length <= 40);
  });

  it('--only/--skip take category and check names; unknown names list the valid ones', () => {
    const only = resolveSelection(caseCategories, checkRegistry, ['ip-loopback', 'auth_enforced'], []);
    assert.ok(only.ok);
    assert.deepEqual(only.selection.categories.map((category) => category.name), ['ip-loopback']);
    assert.deepEqual(only.selection.checks.map((check) => check.name), ['auth_enforced']);
    const skip = resolveSelection(caseCategories, checkRegistry, [], ['ip-loopback', 'auth_enforced']);
    assert.ok(skip.ok);
    assert.equal(skip.selection.categories.length, caseCategories.length - 1);
    assert.equal(skip.selection.checks.length, checkRegistry.length - 1);
    const unknown = resolveSelection(caseCategories, checkRegistry, ['no-such-thing'], []);
    assert.ok(!unknown.ok);
    assert.match(unknown.error, /no-such-thing/);
    assert.match(unknown.error, /ip-loopback/);
    assert.match(unknown.error, /auth_enforced/);
    assert.ok(!unknown.error.includes('\n'));
  });

  it('builds the wire request: query encoded, defaults, header removal, credentials per auth, dryRun under --dry-run-only', () => {
    const prepared = prepareRequest(
      {
        method: 'PUT',
        path: '/api/v1/namespaces/conformance/endpoints/ec-a-1',
        query: [['fieldManager', 'a\tb'], ['pretty', 'true']],
        headers: { accept: '' },
        body: { kind: 'json', value: { a: 1 } },
        auth: 'valid',
      },
      connection,
      { dryRunOnly: true },
    );
    assert.equal(prepared.request.url, 'http://127.0.0.1:9/prefix/api/v1/namespaces/conformance/endpoints/ec-a-1?fieldManager=a%09b&pretty=true&dryRun=All');
    assert.equal(prepared.dryRun, true);
    assert.equal(prepared.request.body, '{"a":1}');
    assert.deepEqual(prepared.request.headers, { 'content-type': 'application/json', 'x-auth-token': 'secret-token-1234' });
    const bearer = prepareRequest(
      { method: 'PUT', path: '/x', query: [['dryRun', 'all']], headers: { 'content-type': 'text/plain' }, body: { kind: 'raw', text: 'hi' }, auth: 'readonly' },
      { ...connection, auth: { ...connection.auth, scheme: 'bearer' } },
      { dryRunOnly: true },
    );
    assert.equal(bearer.request.url, 'http://127.0.0.1:9/prefix/x?dryRun=all');
    assert.equal(bearer.request.headers.authorization, 'Bearer readonly-token-5678');
    assert.equal(bearer.request.headers['content-type'], 'text/plain');
    const invalid = prepareRequest({ method: 'GET', path: '/x', query: [], headers: {}, body: { kind: 'none' }, auth: 'invalid' }, connection, { dryRunOnly: true });
    assert.equal(invalid.request.headers['x-auth-token'], invalidToken);
    assert.equal(invalid.request.url.includes('dryRun'), false, 'only PUTs get dryRun');
    assert.equal(invalid.request.headers['content-type'], undefined);
    const none = prepareRequest({ method: 'PUT', path: '/x', query: [], headers: {}, body: { kind: 'none' }, auth: 'none' }, connection, { dryRunOnly: false });
    assert.deepEqual(none.request.headers, { accept: 'application/json' });
    assert.equal(none.dryRun, false);
  });

  it('knows which writes touch the run namespace', () => {
    assert.equal(writtenObjectName('/api/v1/namespaces/conformance/endpoints/ec-a-1', 'conformance'), 'ec-a-1');
    assert.equal(writtenObjectName('/api/v1/namespaces/other/endpoints/ec-a-1', 'conformance'), undefined);
    assert.equal(writtenObjectName('/api/v1/namespaces/conformance/endpoints/a%2Fb', 'conformance'), 'a/b');
  });

  it('masks credential headers in records', () => {
    assert.deepEqual(maskCredentialHeaders({ 'x-auth-token': 's', Authorization: 'Bearer s', accept: 'a' }), {
      'x-auth-token': '***',
      Authorization: '***',
      accept: 'a',
    });
  });

  it('Retry-After: seconds or a date, 1 s by default, capped at 10 s', () => {
    const response = (value?: string): ReceivedResponse => ({ status: 429, headers: value === undefined ? {} : { 'retry-after': value }, bodyText: '', bodyTruncated: false, durationMs: 0 });
    assert.equal(retryAfterMs(response('2')), 2000);
    assert.equal(retryAfterMs(response()), 1000);
    assert.equal(retryAfterMs(response('3600')), 10_000);
    assert.equal(retryAfterMs(response(new Date(1_000_000 + 3000).toUTCString()), 1_000_000), 3000);
  });

  it('the rate limiter spaces requests 1/N s apart (on a fake clock)', async () => {
    let now = 1000;
    const sleeps: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void sleeps.push(ms) };
    const limiter = createRateLimiter(50, clock);
    // four callers at the same instant: slots at +0, +20, +40, +60 ms
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    assert.deepEqual(sleeps, [20, 40, 60]);
    now += 500; // idle for a while: the next request goes at once
    await limiter.acquire();
    assert.deepEqual(sleeps, [20, 40, 60]);
    const unlimited = createRateLimiter(undefined, clock);
    await Promise.all([unlimited.acquire(), unlimited.acquire()]);
    assert.deepEqual(sleeps, [20, 40, 60]);
  });

  it('the circuit opens after K consecutive transport failures, and an answer resets the count', () => {
    const breaker = createCircuitBreaker(3);
    breaker.recordTransportFailure('refused');
    breaker.recordTransportFailure('refused');
    breaker.recordAnswer();
    breaker.recordTransportFailure('refused');
    breaker.recordTransportFailure('refused');
    assert.equal(breaker.open, false);
    breaker.recordTransportFailure('timeout: 10 s');
    assert.equal(breaker.open, true);
    assert.match(breaker.reason ?? '', /3 consecutive.*timeout/);
    const throttled = createCircuitBreaker(3);
    throttled.recordThrottled();
    throttled.recordThrottled();
    throttled.recordAnswer();
    throttled.recordThrottled();
    throttled.recordThrottled();
    assert.equal(throttled.open, false);
    throttled.recordThrottled();
    assert.match(throttled.reason ?? '', /429/);
  });

  it('the curl command replays the request exactly, taking the token from $CONFORMANCE_TOKEN', async () => {
    const received: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const body = `{"metadata":{"name":"it's"},"x":"$HOME \\"quoted\\""}`;
      const record: ExchangeRecord = {
        step: 0,
        request: {
          method: 'PUT',
          url: `http://127.0.0.1:${port}/api/v1/namespaces/conformance/endpoints/ec-a-1?dryRun=All&fieldManager=a%09b`,
          headers: { 'x-auth-token': '***', accept: 'application/json' },
          body,
        },
        credential: 'valid',
        retries429: 0,
      };
      const command = curlCommand(record);
      assert.ok(!command.includes('secret-token-1234'));
      await promisify(execFile)('sh', ['-c', command], { env: { ...process.env, CONFORMANCE_TOKEN: 'secret-token-1234' } });
      assert.equal(received.length, 1);
      assert.equal(received[0].method, 'PUT');
      assert.equal(received[0].url, '/api/v1/namespaces/conformance/endpoints/ec-a-1?dryRun=All&fieldManager=a%09b');
      assert.equal(received[0].headers['x-auth-token'], 'secret-token-1234');
      assert.equal(received[0].headers['content-type'], undefined, 'no Content-Type when the run sent none');
      assert.equal(received[0].body, body);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/**
 * The transport against every deliberately broken server: the right failure kind or the
 * answer as data, within a bounded time, with the body capped.
 */
import assert from 'node:assert/strict';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { Transport, TransportOutcome } from '../harness/transport/types.ts';
import { brokenServers } from './fixtures/brokenServers.ts';
import type { StartedBrokenServer } from './fixtures/brokenServers.ts';

const TIMEOUT_MS = 500;
const CAP = 64 * 1024;
/** Generous: proves "cut off, not waiting forever", not speed. */
const BOUND_MS = TIMEOUT_MS + 2_500;

const PUT_BODY = JSON.stringify({ kind: 'Endpoints', apiVersion: 'v1', metadata: { name: 'x' } });

function put(server: StartedBrokenServer): { method: string; url: string; headers: Record<string, string>; body: string } {
  return {
    method: 'PUT',
    url: `${server.url}/api/v1/namespaces/x/endpoints/x`,
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': 'token-value' },
    body: PUT_BODY,
  };
}

function expectFailure(outcome: TransportOutcome, kind: string): { kind: string; message: string } {
  assert.equal(outcome.ok, false, `expected a ${kind} failure, got ${JSON.stringify(outcome).slice(0, 200)}`);
  if (outcome.ok) throw new Error('unreachable');
  assert.equal(outcome.failure.kind, kind, outcome.failure.message);
  assert.doesNotMatch(outcome.failure.message, /\n/, 'failure message is one line');
  assert.ok(outcome.failure.message.length > 10, 'failure message says something');
  return outcome.failure;
}

function expectResponse(outcome: TransportOutcome): Extract<TransportOutcome, { ok: true }>['response'] {
  assert.equal(outcome.ok, true, `expected an answer, got ${JSON.stringify(outcome)}`);
  if (!outcome.ok) throw new Error('unreachable');
  return outcome.response;
}

describe('transport against broken servers', function () {
  let transport: Transport;
  let server: StartedBrokenServer | undefined;

  beforeEach(() => {
    transport = createTransport({ timeoutMs: TIMEOUT_MS, maxBodyBytes: CAP, connections: 2, tls: { insecure: false } });
  });
  afterEach(async () => {
    await transport.close();
    await server?.close();
    server = undefined;
  });

  async function fire(name: string): Promise<{ outcome: TransportOutcome; elapsedMs: number }> {
    const entry = brokenServers[name];
    assert.ok(entry, `no broken server named ${name}`);
    server = await entry.start();
    const started = Date.now();
    const outcome = await transport.send(put(server));
    return { outcome, elapsedMs: Date.now() - started };
  }

  it('connection refused → refused', async () => {
    const { outcome, elapsedMs } = await fire('connectionRefused');
    const failure = expectFailure(outcome, 'refused');
    assert.match(failure.message, /127\.0\.0\.1:\d+/);
    assert.ok(elapsedMs < BOUND_MS);
  });

  it('reset mid-response → reset', async () => {
    const { outcome, elapsedMs } = await fire('resetMidResponse');
    expectFailure(outcome, 'reset');
    assert.ok(elapsedMs < BOUND_MS);
  });

  it('never answers → timeout at the deadline', async () => {
    const { outcome, elapsedMs } = await fire('neverAnswers');
    const failure = expectFailure(outcome, 'timeout');
    assert.match(failure.message, /500 ms/);
    assert.ok(elapsedMs >= TIMEOUT_MS - 50, `gave up after ${elapsedMs} ms, before the deadline`);
    assert.ok(elapsedMs < BOUND_MS, `took ${elapsedMs} ms`);
  });

  it('never answers, requests queued behind a hanging one → each times out at its own deadline', async () => {
    const single = createTransport({ timeoutMs: TIMEOUT_MS, maxBodyBytes: CAP, connections: 1, tls: { insecure: false } });
    server = await brokenServers.neverAnswers!.start();
    try {
      const started = Date.now();
      const outcomes = await Promise.all([1, 2, 3].map(() => single.send(put(server!))));
      const elapsedMs = Date.now() - started;
      outcomes.forEach((outcome) => expectFailure(outcome, 'timeout'));
      assert.ok(elapsedMs < BOUND_MS, `three queued requests took ${elapsedMs} ms: queued ones waited for the first`);
    } finally {
      await single.close();
    }
  });

  it('slow trickle (1 byte / 200 ms) → timeout: the deadline bounds the whole body, not the gap between bytes', async () => {
    const { outcome, elapsedMs } = await fire('slowTrickle');
    expectFailure(outcome, 'timeout');
    assert.ok(elapsedMs < BOUND_MS, `took ${elapsedMs} ms`);
  });

  it('HTML error page → the 502 and its HTML as data', async () => {
    const { outcome } = await fire('htmlErrorPage');
    const response = expectResponse(outcome);
    assert.equal(response.status, 502);
    assert.match(String(response.headers['content-type']), /text\/html/);
    assert.match(response.bodyText, /502 Bad Gateway/);
    assert.equal(response.bodyTruncated, false);
  });

  it('non-JSON body → delivered verbatim', async () => {
    const { outcome } = await fire('nonJsonBody');
    const response = expectResponse(outcome);
    assert.equal(response.status, 200);
    assert.equal(response.bodyText, 'OK, stored your endpoints. Have a nice day.\n');
  });

  it('truncated JSON → delivered verbatim (unparsable), not truncated by us', async () => {
    const { outcome } = await fire('truncatedJson');
    const response = expectResponse(outcome);
    assert.equal(response.status, 200);
    assert.equal(response.bodyTruncated, false);
    assert.throws(() => JSON.parse(response.bodyText));
    assert.match(response.bodyText, /^\{"kind":"Endpoints"/);
  });

  it('10 MB body → cut at the cap, flagged, in bounded time', async () => {
    const { outcome, elapsedMs } = await fire('tenMegabyteBody');
    const response = expectResponse(outcome);
    assert.equal(response.status, 200);
    assert.equal(response.bodyTruncated, true);
    assert.equal(Buffer.byteLength(response.bodyText), CAP);
    assert.ok(response.bodyText.startsWith('{'));
    assert.ok(elapsedMs < BOUND_MS);
  });

  it('redirect → the 302 is the answer; it is not followed', async () => {
    const { outcome } = await fire('redirect');
    const response = expectResponse(outcome);
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/elsewhere/api/v1/namespaces/x/endpoints/x');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(server?.requestCount(), 1, 'the server saw a second request: the redirect was followed');
  });

  it('wrong Content-Type → delivered with its text/plain header', async () => {
    const { outcome } = await fire('wrongContentType');
    const response = expectResponse(outcome);
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain/);
    assert.equal(JSON.parse(response.bodyText).kind, 'Endpoints');
  });

  it('every request 500 → the 500 as data', async () => {
    const { outcome } = await fire('alwaysServerError');
    const response = expectResponse(outcome);
    assert.equal(response.status, 500);
    assert.equal(JSON.parse(response.bodyText).reason, 'InternalError');
  });

  it('every request 429 → the 429 with Retry-After, not retried', async () => {
    const { outcome } = await fire('alwaysTooManyRequests');
    const response = expectResponse(outcome);
    assert.equal(response.status, 429);
    assert.equal(response.headers['retry-after'], '1');
    assert.equal(server?.requestCount(), 1);
  });

  it('bytes that are not HTTP → protocol', async () => {
    const { outcome, elapsedMs } = await fire('garbageHttp');
    expectFailure(outcome, 'protocol');
    assert.ok(elapsedMs < BOUND_MS);
  });

  it('self-signed TLS without its CA → tls', async () => {
    const { outcome } = await fire('selfSignedTls');
    const failure = expectFailure(outcome, 'tls');
    assert.match(failure.message, /self[- ]signed/i);
  });

  describe('the modes added for every-run-reports', () => {
    it('trickle of 1 byte per second → timeout at the deadline', async () => {
      const { outcome, elapsedMs } = await fire('trickleOneBytePerSecond');
      expectFailure(outcome, 'timeout');
      assert.ok(elapsedMs >= TIMEOUT_MS - 50 && elapsedMs < BOUND_MS, `took ${elapsedMs} ms`);
    });

    it('endless redirect → the 302 is the answer, not followed', async () => {
      const { outcome } = await fire('endlessRedirect');
      const response = expectResponse(outcome);
      assert.equal(response.status, 302);
      assert.match(String(response.headers.location), /\/api\/v1\/namespaces\/x\/endpoints\/x\?hop=1$/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(server?.requestCount(), 1);
    });

    it('closes after the headers → reset', async () => {
      const { outcome } = await fire('closesAfterHeaders');
      expectFailure(outcome, 'reset');
    });

    it('body longer than its Content-Length → the answer as its Content-Length says', async () => {
      const { outcome } = await fire('bodyLongerThanContentLength');
      const response = expectResponse(outcome);
      assert.equal(response.status, 500);
      assert.equal(response.bodyText.length, 20);
    });

    it('invalid UTF-8 → flagged bodyNotUtf8 (and unannounced gzip too); valid UTF-8 is not flagged', async () => {
      const invalid = expectResponse((await fire('invalidUtf8')).outcome);
      assert.equal(invalid.bodyNotUtf8, true);
      await server?.close();
      const gzipped = expectResponse((await fire('gzipNotAnnounced')).outcome);
      assert.equal(gzipped.bodyNotUtf8, true);
      assert.equal(gzipped.headers['content-encoding'], undefined);
      await server?.close();
      const valid = expectResponse((await fire('statusCodeLies')).outcome);
      assert.equal(valid.bodyNotUtf8, undefined);
      assert.equal(valid.status, 409);
      assert.equal(JSON.parse(valid.bodyText).code, 200);
    });

    it('401 to everything → the 401 as data', async () => {
      assert.equal(expectResponse((await fire('alwaysUnauthorized')).outcome).status, 401);
    });
  });

  it('every broken server in the registry is covered above', () => {
    const covered = [
      'connectionRefused', 'resetMidResponse', 'neverAnswers', 'slowTrickle', 'htmlErrorPage', 'nonJsonBody',
      'truncatedJson', 'tenMegabyteBody', 'redirect', 'wrongContentType', 'alwaysServerError',
      'alwaysTooManyRequests', 'garbageHttp', 'selfSignedTls',
      'trickleOneBytePerSecond', 'endlessRedirect', 'closesAfterHeaders', 'bodyLongerThanContentLength', 'invalidUtf8',
      'statusCodeLies', 'gzipNotAnnounced', 'alwaysUnauthorized',
    ];
    assert.deepEqual(Object.keys(brokenServers).sort(), covered.sort());
  });

  it('with passPreflight, a list is answered properly and the next PUT on the same server meets the breakage', async () => {
    const expected: Record<string, (outcome: TransportOutcome) => void> = {
      resetMidResponse: (o) => expectFailure(o, 'reset'),
      neverAnswers: (o) => expectFailure(o, 'timeout'),
      slowTrickle: (o) => expectFailure(o, 'timeout'),
      garbageHttp: (o) => expectFailure(o, 'protocol'),
      htmlErrorPage: (o) => assert.equal(expectResponse(o).status, 502),
      alwaysServerError: (o) => assert.equal(expectResponse(o).status, 500),
      alwaysTooManyRequests: (o) => assert.equal(expectResponse(o).status, 429),
      redirect: (o) => assert.equal(expectResponse(o).status, 302),
      tenMegabyteBody: (o) => assert.equal(expectResponse(o).bodyTruncated, true),
    };
    for (const [name, check] of Object.entries(expected)) {
      const started = await brokenServers[name]!.start({ passPreflight: true });
      try {
        const list = expectResponse(
          await transport.send({ method: 'GET', url: `${started.url}/api/v1/namespaces/x/endpoints?limit=500`, headers: { accept: 'application/json' } }),
        );
        assert.equal(list.status, 200, name);
        assert.deepEqual(JSON.parse(list.bodyText).items, [], name);
        check(await transport.send(put(started)));
      } finally {
        await started.close();
      }
    }
  });

  it('the transport stays usable after each kind of failure', async () => {
    const ok = await brokenServers.alwaysServerError!.start();
    try {
      for (const name of ['resetMidResponse', 'neverAnswers', 'tenMegabyteBody', 'garbageHttp']) {
        const bad = await brokenServers[name]!.start();
        try {
          await transport.send(put(bad));
        } finally {
          await bad.close();
        }
        const after = expectResponse(await transport.send(put(ok)));
        assert.equal(after.status, 500, `after ${name}`);
      }
    } finally {
      await ok.close();
    }
  });
});

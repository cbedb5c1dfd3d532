/**
 * What the transport sends and returns against well-behaved loopback servers: bytes as given,
 * every header value kept, connections reused and bounded, the body cut and the connection
 * dropped past the cap, TLS with a CA / client certificate / explicit insecure, and failures
 * classified without throwing.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { classifyFailure } from '../harness/transport/classifyFailure.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { TransportOptions } from '../harness/transport/createTransport.ts';
import type { TransportOutcome } from '../harness/transport/types.ts';
import { selfSignedPems } from './fixtures/brokenServers.ts';
import type { SelfSignedPems } from './fixtures/brokenServers.ts';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  socketId: number;
}

interface RecordingServer {
  url: string;
  seen: Seen[];
  connections(): number;
  close(): Promise<void>;
}

type Responder = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function startRecording(responder: Responder, server: http.Server = http.createServer()): Promise<RecordingServer> {
  const seen: Seen[] = [];
  let connectionCount = 0;
  const ids = new WeakMap<object, number>();
  const sockets = new Set<import('node:net').Socket>();
  server.on(server instanceof https.Server ? 'secureConnection' : 'connection', (socket: import('node:net').Socket) => {
    connectionCount += 1;
    ids.set(socket, connectionCount);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socketId: ids.get(req.socket) ?? -1 });
      responder(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    connections: () => connectionCount,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const okJson: Responder = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"kind":"Endpoints"}');
};

function options(overrides: Partial<TransportOptions> = {}): TransportOptions {
  return { timeoutMs: 2_000, maxBodyBytes: 1 << 20, connections: 4, tls: { insecure: false }, ...overrides };
}

function answer(outcome: TransportOutcome): Extract<TransportOutcome, { ok: true }>['response'] {
  if (!outcome.ok) assert.fail(`expected an answer, got ${outcome.failure.kind}: ${outcome.failure.message}`);
  return outcome.response;
}

describe('transport basics', function () {
  it('sends method, path with query, headers and body exactly as given', async () => {
    const server = await startRecording(okJson);
    const transport = createTransport(options());
    try {
      const body = '{"kind":"Endpoints","metadata":{"name":"caf\u00e9"}}';
      const response = answer(
        await transport.send({
          method: 'PUT',
          url: `${server.url}/api/v1/namespaces/ns/endpoints/a%2Fb?dryRun=All&pretty=true&pretty=false`,
          headers: { 'content-type': 'application/json', 'x-auth-token': 'tok', accept: 'application/json' },
          body,
        }),
      );
      assert.equal(response.status, 200);
      assert.equal(response.bodyText, '{"kind":"Endpoints"}');
      assert.equal(response.bodyTruncated, false);
      assert.ok(response.durationMs >= 0);
      const [request] = server.seen;
      assert.ok(request);
      assert.equal(request.method, 'PUT');
      assert.equal(request.url, '/api/v1/namespaces/ns/endpoints/a%2Fb?dryRun=All&pretty=true&pretty=false');
      assert.equal(request.headers['x-auth-token'], 'tok');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.body, body);
      assert.equal(request.headers['content-length'], String(Buffer.byteLength(body)));
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('keeps every value of a repeated response header and lower-cases names', async () => {
    const server = await startRecording((_req, res) => {
      res.setHeader('Warning', ['299 - "first"', '299 - "second"']);
      res.setHeader('X-Single', 'one');
      res.end('{}');
    });
    const transport = createTransport(options());
    try {
      const response = answer(await transport.send({ method: 'GET', url: `${server.url}/`, headers: {} }));
      assert.deepEqual(response.headers.warning, ['299 - "first"', '299 - "second"']);
      assert.equal(response.headers['x-single'], 'one');
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('reuses keep-alive connections and never opens more than `connections` per origin', async () => {
    const server = await startRecording((_req, res) => setTimeout(() => okJson(_req, res), 5));
    const transport = createTransport(options({ connections: 3 }));
    try {
      for (let i = 0; i < 10; i += 1) answer(await transport.send({ method: 'GET', url: `${server.url}/seq`, headers: {} }));
      // undici may open a second socket while the first is being handed back; more means no reuse.
      assert.ok(server.connections() <= 2, `10 sequential requests opened ${server.connections()} connections`);
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, () => transport.send({ method: 'GET', url: `${server.url}/par`, headers: {} })),
      );
      outcomes.forEach(answer);
      assert.ok(server.connections() <= 3, `opened ${server.connections()} connections`);
      assert.ok(server.connections() >= 2, 'parallel requests should use more than one connection');
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('past the byte cap: cuts the body, flags it, drops the connection, and the next request works', async () => {
    // The big answer is streamed 256 KB at a time for up to 64 MB; it can only end early when
    // the client drops the connection.
    const piece = Buffer.alloc(256 * 1024, 0x61);
    let bigEnded = false;
    let bigDropped = false;
    const server = await startRecording((req, res) => {
      if (req.url !== '/big') return okJson(req, res);
      res.writeHead(200, { 'content-type': 'application/json' });
      let written = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return;
        if (written >= 64 * 1024 * 1024) {
          clearInterval(timer);
          bigEnded = true;
          res.end();
          return;
        }
        res.write(piece);
        written += piece.length;
      }, 2);
      res.on('close', () => {
        clearInterval(timer);
        if (!bigEnded) bigDropped = true;
      });
    });
    const transport = createTransport(options({ maxBodyBytes: 1000, connections: 1 }));
    try {
      const cut = answer(await transport.send({ method: 'GET', url: `${server.url}/big`, headers: {} }));
      assert.equal(cut.bodyTruncated, true);
      assert.equal(cut.bodyText, 'a'.repeat(1000));
      const small = answer(await transport.send({ method: 'GET', url: `${server.url}/small`, headers: {} }));
      assert.equal(small.bodyTruncated, false);
      assert.equal(small.bodyText, '{"kind":"Endpoints"}');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(bigDropped, true, 'the connection carrying the big answer should have been dropped mid-body');
      assert.equal(bigEnded, false, 'the client read the whole big answer');
      assert.notEqual(server.seen[1]?.socketId, server.seen[0]?.socketId, 'the cut connection must not be reused');
    } finally {
      await transport.close();
      await server.close();
    }
  });

  it('a body of exactly the cap is not flagged as truncated', async () => {
    const server = await startRecording((_req, res) => res.end('x'.repeat(500)));
    const transport = createTransport(options({ maxBodyBytes: 500 }));
    try {
      const response = answer(await transport.send({ method: 'GET', url: `${server.url}/`, headers: {} }));
      assert.equal(response.bodyText.length, 500);
      assert.equal(response.bodyTruncated, false);
    } finally {
      await transport.close();
      await server.close();
    }
  });

  describe('TLS', function () {
    let pems: SelfSignedPems;
    before(async () => {
      pems = await selfSignedPems();
    });

    it('trusts the given CA; rejects without it; skips verification only with insecure', async () => {
      const server = await startRecording(okJson, https.createServer({ key: pems.key, cert: pems.cert }));
      const trusting = createTransport(options({ tls: { caPem: pems.cert, insecure: false } }));
      const plain = createTransport(options());
      const insecure = createTransport(options({ tls: { insecure: true } }));
      try {
        assert.equal(answer(await trusting.send({ method: 'GET', url: `${server.url}/`, headers: {} })).status, 200);
        const refused = await plain.send({ method: 'GET', url: `${server.url}/`, headers: {} });
        assert.equal(refused.ok, false);
        if (!refused.ok) assert.equal(refused.failure.kind, 'tls');
        assert.equal(answer(await insecure.send({ method: 'GET', url: `${server.url}/`, headers: {} })).status, 200);
      } finally {
        await Promise.all([trusting.close(), plain.close(), insecure.close()]);
        await server.close();
      }
    });

    it('presents the client certificate when the server demands one', async () => {
      const server = await startRecording(
        (req, res) => {
          const peer = (req.socket as TLSSocket).getPeerCertificate();
          res.end(JSON.stringify({ cn: peer.subject?.CN ?? null }));
        },
        https.createServer({ key: pems.key, cert: pems.cert, ca: pems.cert, requestCert: true, rejectUnauthorized: true }),
      );
      const withCert = createTransport(options({ tls: { caPem: pems.cert, certPem: pems.clientCert, keyPem: pems.clientKey, insecure: false } }));
      const withoutCert = createTransport(options({ tls: { caPem: pems.cert, insecure: false } }));
      try {
        const response = answer(await withCert.send({ method: 'GET', url: `${server.url}/`, headers: {} }));
        assert.equal(JSON.parse(response.bodyText).cn, 'conformance-client');
        const refused = await withoutCert.send({ method: 'GET', url: `${server.url}/`, headers: {} });
        assert.equal(refused.ok, false, 'a server requiring a client certificate must refuse us without one');
      } finally {
        await Promise.all([withCert.close(), withoutCert.close()]);
        await server.close();
      }
    });
  });

  describe('never throws', function () {
    const transport = createTransport(options({ timeoutMs: 300 }));
    after(() => transport.close());

    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['a malformed URL', 'not a url', {}, 'other'],
      ['an unsupported scheme', 'ftp://127.0.0.1/x', {}, 'other'],
      ['a header undici refuses', 'http://127.0.0.1:9/x', { 'transfer-encoding': 'chunked' }, 'other'],
      ['a header value with a newline', 'http://127.0.0.1:9/x', { 'x-bad': 'a\r\nb' }, 'other'],
    ];
    for (const [what, url, headers, kind] of cases) {
      it(`${what} → {ok:false, kind ${kind}}`, async () => {
        const outcome = await transport.send({ method: 'GET', url, headers });
        assert.equal(outcome.ok, false);
        if (!outcome.ok) {
          assert.equal(outcome.failure.kind, kind);
          assert.doesNotMatch(outcome.failure.message, /\n|\r/);
        }
      });
    }

    it('after close → {ok:false}', async () => {
      const closed = createTransport(options());
      await closed.close();
      const outcome = await closed.send({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {} });
      assert.equal(outcome.ok, false);
    });

    it('bad options → every send fails with a clear message', async () => {
      const bad = createTransport(options({ timeoutMs: -1 }));
      const outcome = await bad.send({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {} });
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.match(outcome.failure.message, /timeoutMs/);
      await bad.close();
    });
  });

  describe('classifyFailure', function () {
    const ctx = { origin: 'example.test:443', timeoutMs: 1000, deadlineFired: false };
    const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });
    const table: Array<[string, unknown, string]> = [
      ['ECONNREFUSED', withCode('ECONNREFUSED', 'connect ECONNREFUSED 1.2.3.4:443'), 'refused'],
      ['AggregateError of ECONNREFUSED', Object.assign(new AggregateError([withCode('ECONNREFUSED')], ''), {}), 'refused'],
      ['ECONNRESET', withCode('ECONNRESET', 'read ECONNRESET'), 'reset'],
      ['undici SocketError', withCode('UND_ERR_SOCKET', 'other side closed'), 'reset'],
      ['ENOTFOUND', withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND example.test'), 'dns'],
      ['EAI_AGAIN', withCode('EAI_AGAIN', 'getaddrinfo EAI_AGAIN example.test'), 'dns'],
      ['connect timeout', withCode('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), 'timeout'],
      ['headers timeout', withCode('UND_ERR_HEADERS_TIMEOUT'), 'timeout'],
      ['self-signed', withCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'tls'],
      ['altname', withCode('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'tls'],
      ['ssl record', withCode('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'tls'],
      ['parser', withCode('HPE_INVALID_CONSTANT', 'Expected HTTP/'), 'protocol'],
      ['content-length mismatch', withCode('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'), 'protocol'],
      ['a string', 'boom', 'other'],
      ['null', null, 'other'],
    ];
    for (const [what, error, kind] of table) {
      it(`${what} → ${kind}`, () => {
        const classified = classifyFailure(error, ctx);
        assert.equal(classified.kind, kind, classified.message);
        assert.match(classified.message, /example\.test:443/);
      });
    }

    it('once the deadline fired, any error is a timeout', () => {
      assert.equal(classifyFailure(withCode('UND_ERR_SOCKET'), { ...ctx, deadlineFired: true }).kind, 'timeout');
    });

    it('messages are one line and bounded', () => {
      const classified = classifyFailure(new Error(`line one\nline two ${'x'.repeat(2000)}`), ctx);
      assert.doesNotMatch(classified.message, /\n/);
      assert.ok(classified.message.length <= 300);
    });
  });
});

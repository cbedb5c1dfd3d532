/**
 * Fuzzing the reference server with fast-check: arbitrary bytes in the path, query, headers and
 * body, sent over a raw socket so nothing is cleaned up on the way. Every answer must be a clean
 * status below 500 (the only allowed 500 is the documented malformed-resourceVersion one, M17),
 * every error a JSON Status, and the server must stay up.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import YAML from 'yaml';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { fastScanJson, JsonNumber, JsonSyntaxError, scanJson } from '../reference-server/jsonScanner.ts';
import { start, TOKEN, uniqueName, validBody } from './reference-support.ts';

interface RawAnswer { status: number; headers: Record<string, string>; body: string }

function sendRaw(server: RunningReferenceServer, head: Buffer, body: Buffer): Promise<RawAnswer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => { socket.destroy(); reject(new Error('no answer within 5 s')); });
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) { reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 100))}`)); return; }
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(text.slice(split + 4), 'latin1').toString('utf8') });
    });
    socket.write(Buffer.concat([head, body]));
  });
}

const byteString = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a).toString('latin1'));
const percentEncoded = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => [...a].map((b) => '%' + b.toString(16).padStart(2, '0')).join(''));
const pathSegment = fc.oneof(
  { arbitrary: fc.constantFrom('default', 'default', 'conformance', 'fuzz', 'x', '', '.', '..', '%', '%zz', '%2F', 'a%00b', 'Foo'), weight: 6 },
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  percentEncoded(8),
  byteString(8),
);
const queryValue = fc.oneof(fc.constantFrom('All', 'all', '', 'Strict', 'Warn', 'Ignore', 'true', '5s', 'x'), fc.string({ maxLength: 12 }).map(encodeURIComponent), byteString(6));
const query = fc.array(fc.tuple(fc.constantFrom('dryRun', 'fieldManager', 'fieldValidation', 'pretty', 'timeout', 'labelSelector', 'resourceVersion', 'x'), queryValue), { maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('127.0.0.1', '10.0.0.1', '::1', 'TCP', 'tcp', '1', '-1', 'abc', '0'));
const nearlyValid = fc.record({
  apiVersion: fc.oneof(fc.constant('v1'), fc.constantFrom('v2', 'a/b/c', '', '/', 'apps/v1'), leaf),
  kind: fc.oneof(fc.constant('Endpoints'), fc.constantFrom('Pod', 'EndpointsList', ''), leaf),
  metadata: fc.record({
    name: fc.oneof(fc.constant('fuzz'), leaf),
    namespace: fc.oneof(fc.constant('default'), leaf),
    resourceVersion: fc.oneof(fc.constantFrom('0', '', '1', 'abc', '18446744073709551616'), leaf),
    uid: leaf, labels: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 3 }), leaf),
    annotations: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }), leaf),
    finalizers: fc.oneof(fc.array(leaf, { maxLength: 3 }), leaf),
    ownerReferences: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('apiVersion', 'kind', 'name', 'uid', 'controller'), leaf), { maxLength: 3 }), leaf),
    managedFields: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('manager', 'operation', 'apiVersion', 'fieldsType', 'fieldsV1', 'time'), fc.oneof(leaf, fc.jsonValue({ maxDepth: 2 }))), { maxLength: 2 }), leaf),
    creationTimestamp: leaf, deletionTimestamp: leaf, generation: leaf, deletionGracePeriodSeconds: leaf,
  }, { requiredKeys: [] }),
  subsets: fc.oneof(
    fc.array(fc.record({
      addresses: fc.oneof(fc.array(fc.record({ ip: leaf, hostname: leaf, nodeName: leaf, targetRef: fc.oneof(leaf, fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] }), { maxLength: 3 }), leaf),
      notReadyAddresses: fc.oneof(fc.array(fc.record({ ip: leaf }, { requiredKeys: [] }), { maxLength: 2 }), leaf),
      ports: fc.oneof(fc.array(fc.record({ name: leaf, port: leaf, protocol: leaf, appProtocol: leaf }, { requiredKeys: [] }), { maxLength: 3 }), leaf),
    }, { requiredKeys: [] }), { maxLength: 3 }),
    leaf,
  ),
  extra: fc.jsonValue({ maxDepth: 3 }),
}, { requiredKeys: [] }).map((o) => JSON.stringify(o));

const body = fc.oneof(
  { arbitrary: nearlyValid, weight: 4 },
  { arbitrary: fc.constant(JSON.stringify({ metadata: { name: 'fuzz' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] })), weight: 2 },
  nearlyValid.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((cut) => s.slice(0, cut))),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  byteString(200),
  fc.constantFrom('', 'null', '{}', '[]', '"x"', '{"a":1,"a":2}', '\ufeff{}', '{"metadata":{"name":"fuzz"}}'.repeat(2), '['.repeat(20000), '{"a":'.repeat(20000)),
  fc.string({ maxLength: 100 }).map((s) => `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ${s}\n`),
);

const headerValue = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', '*/*', 'application/json;pretty=1', 'application/json; charset=utf-8', '', ';;;', 'a/b/c'), weight: 6 },
  fc.string({ maxLength: 30 }), byteString(20),
);

const request = fc.record({
  method: fc.constantFrom('PUT', 'PUT', 'PUT', 'GET', 'DELETE', 'POST', 'PATCH', 'HEAD', 'OPTIONS', 'FOO'),
  route: fc.oneof(
    { arbitrary: fc.constant('/api/v1/namespaces/default/endpoints/fuzz'), weight: 4 },
    fc.tuple(pathSegment, pathSegment).map(([ns, name]) => `/api/v1/namespaces/${ns}/endpoints/${name}`),
    fc.constant('/api/v1/namespaces/default/endpoints/fuzz'),
    pathSegment.map((ns) => `/api/v1/namespaces/${ns}/endpoints`),
    pathSegment.map((ns) => `/api/v1/namespaces/${ns}`),
    fc.constantFrom('/', '/api', '/apis', '/api/v1', '/version', '/openapi/v3', '/openapi/v3/api/v1', '//', '/api/v1/endpoints'),
    byteString(30).map((s) => '/' + s),
  ),
  query,
  auth: fc.oneof(
    { arbitrary: fc.constant(`Authorization: Bearer ${TOKEN}`), weight: 6 },
    fc.constantFrom(`Authorization: Bearer ${TOKEN}`, `X-Auth-Token: ${TOKEN}`, `Authorization: Bearer ${TOKEN}`, 'Authorization: Bearer conformance-readonly-token', ''),
    headerValue.map((v) => `Authorization: ${v}`),
  ),
  contentType: fc.option(headerValue, { freq: 2 }),
  accept: fc.option(headerValue, { freq: 2 }),
  userAgent: fc.option(headerValue),
  extra: fc.array(fc.tuple(fc.constantFrom('X-Trace', 'Warning', 'Cookie', 'X-Auth-Token'), headerValue), { maxLength: 2 }),
  body,
});

describe('reference server: fuzzing (fast-check)', () => {
  let server: RunningReferenceServer;
  before(async () => { server = await start(); });
  after(async () => { await server.close(); });

  it('random bytes in path, query, headers and body: never a 5xx (except M17), never a crash, errors are JSON Status', async () => {
    const seen = new Map<number, number>();
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const lines = [`${r.method} ${r.route}${r.query ? '?' + r.query : ''} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
      if (r.auth) lines.push(r.auth);
      if (r.contentType !== null) lines.push(`Content-Type: ${r.contentType}`);
      if (r.accept !== null) lines.push(`Accept: ${r.accept}`);
      if (r.userAgent !== null) lines.push(`User-Agent: ${r.userAgent}`);
      for (const [k, v] of r.extra) lines.push(`${k}: ${v}`);
      const payload = Buffer.from(r.body, 'utf8');
      lines.push(`Content-Length: ${payload.length}`);
      const answer = await sendRaw(server, Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), payload);
      seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500) {
        assert.equal(answer.status, 500, `status ${answer.status}`);
        assert.match(answer.body, /"message":"strconv\.ParseUint: parsing /, 'the only allowed 500 is the malformed resourceVersion (M17)');
      }
      if (answer.status >= 400 && r.method !== 'HEAD') {
        // JSON, or YAML when the client asked for YAML (ErrorNegotiated answers in the negotiated type)
        const yaml = answer.headers['content-type'] === 'application/yaml';
        if (!yaml) assert.equal(answer.headers['content-type'], 'application/json');
        const s = (yaml ? YAML.parse(answer.body) : JSON.parse(answer.body)) as { kind: string; code: number };
        assert.equal(s.kind, 'Status');
        assert.equal(s.code, answer.status);
      }
    }), { numRuns: Number(process.env.REFERENCE_FUZZ_RUNS ?? 400), seed: Number(process.env.REFERENCE_FUZZ_SEED ?? 20261124) });
    // The fuzzer reached deep into the pipeline, not only the early refusals.
    for (const code of [201, 400, 401, 404, 415, 422]) assert.ok((seen.get(code) ?? 0) > 0, `no ${code} answers: ${JSON.stringify([...seen])}`);
    // And the server is still up and correct.
    const name = uniqueName();
    const payload = Buffer.from(JSON.stringify(validBody(name)));
    const ok = await sendRaw(server, Buffer.from(`PUT /api/v1/namespaces/default/endpoints/${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${payload.length}\r\n\r\n`), payload);
    assert.equal(ok.status, 201);
  });

  it('the top-level guard answers 500 InternalError for an escaped exception (so the fuzz assertion above can fail)', async () => {
    const crashing = await start({ faults: ['crash-on-bad-json'] });
    try {
      const payload = Buffer.from('{');
      const answer = await sendRaw(crashing, Buffer.from(`PUT /api/v1/namespaces/default/endpoints/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1\r\n\r\n`), payload);
      assert.equal(answer.status, 500);
      assert.equal((JSON.parse(answer.body) as { reason: string }).reason, 'InternalError');
    } finally { await crashing.close(); }
  });

  it('the JSON.parse fast path gives exactly what the careful scanner gives, or steps aside', () => {
    const plain = (v: unknown): unknown => {
      if (v instanceof JsonNumber) return Number(v.text);
      if (Array.isArray(v)) return v.map(plain);
      if (v !== null && typeof v === 'object') {
        const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        for (const k of Object.keys(v)) o[k] = plain((v as Record<string, unknown>)[k]);
        return o;
      }
      return v;
    };
    // JSON texts with the traps: duplicate keys, spaced colons, escaped quotes, floats, big ints, surrogates
    const text = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.tuple(fc.constantFrom('a', 'b', '__proto__', 'x\\":'), fc.constantFrom('a', 'b', '__proto__'), fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(':', ' :', ': '))
        .map(([k1, k2, v, colon]) => `{"${k1}"${colon}${JSON.stringify(v)},"${k2}":1}`),
      fc.constantFrom('{"port":80.0}', '{"port":1e2}', '{"n":12345678901234567890}', '{"s":"\\ud800"}', '{"s":"\\ud83d\\ude00"}', '{"a":"x\\":1","a":2}', '[1,2,{"a":1,"a":1}]'),
    );
    fc.assert(fc.property(text, (t) => {
      let careful: ReturnType<typeof scanJson> | undefined;
      try { careful = scanJson(t); } catch (e) { assert.ok(e instanceof JsonSyntaxError); }
      const fast = fastScanJson(t);
      if (fast === null) return;
      assert.ok(careful, 'fast path accepted what the scanner refuses');
      assert.deepEqual(careful.duplicates, [], `fast path missed duplicates in ${t}`);
      assert.deepEqual(plain(fast.value), plain(careful.value), t);
    }), { numRuns: 2000, seed: 7 });
    // and the fast path does step aside on each trap
    for (const t of ['{"port":80.0}', '{"port":1e2}', '{"n":12345678901234567890}', '{"s":"\\ud800"}', '{"a":1,"a":2}', '{"b" :false,"b":1}', '{"a":"x\\":","a":1}']) {
      assert.equal(fastScanJson(t), null, t);
    }
  });
});

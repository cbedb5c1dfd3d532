/**
 * The janitor against the embedded reference server: objects that existed before the run are
 * untouched byte for byte (same resourceVersion), the run's objects are gone, nothing is left.
 */
import assert from 'node:assert/strict';
import { createJanitor } from '../harness/cleanup/janitor.ts';
import { authHeaders } from '../harness/connection/types.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { Transport } from '../harness/transport/types.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';

const RUN = 'refrun7';
const LABEL = { key: 'endpoints-conformance/run', value: RUN };
const NS = 'conformance';

/** The run's connection to the reference server (its first read-write token, X-Auth-Token). */
function referenceConnection(server: RunningReferenceServer): ResolvedConnection {
  return {
    baseUrl: server.url,
    namespace: NS,
    auth: { scheme: 'x-auth-token', token: server.tokens[0]! },
    tls: { insecure: false },
    describedAs: 'reference server (test)',
  };
}

function endpointsUrl(server: RunningReferenceServer, name: string): string {
  return `${server.url}/api/v1/namespaces/${NS}/endpoints/${name}`;
}

/** Headers of the test's own JSON requests, with the read-write token. */
function jsonHeaders(server: RunningReferenceServer): Record<string, string> {
  return { accept: 'application/json', 'content-type': 'application/json', ...authHeaders('x-auth-token', server.tokens[0]!) };
}

describe('cleanup: janitor against the reference server', function () {
  let server: RunningReferenceServer;
  let transport: Transport;
  let connection: ResolvedConnection;

  before(async () => {
    server = await startReferenceServer({});
    transport = createTransport({ timeoutMs: 2_000, maxBodyBytes: 4 << 20, connections: 4, tls: { insecure: false } });
    connection = referenceConnection(server);
  });
  after(async () => {
    await transport.close();
    await server.close();
  });

  const itemUrl = (name: string): string => endpointsUrl(server, name);
  const headers = (): Record<string, string> => jsonHeaders(server);

  async function put(name: string, labels?: Record<string, string>): Promise<void> {
    const body = JSON.stringify({
      kind: 'Endpoints',
      apiVersion: 'v1',
      metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
      subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    });
    const outcome = await transport.send({ method: 'PUT', url: itemUrl(name), headers: headers(), body });
    if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
    assert.ok([200, 201].includes(outcome.response.status), `PUT ${name}: ${outcome.response.status} ${outcome.response.bodyText}`);
  }

  async function getText(name: string): Promise<{ status: number; text: string }> {
    const outcome = await transport.send({ method: 'GET', url: itemUrl(name), headers: headers() });
    if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
    return { status: outcome.response.status, text: outcome.response.bodyText };
  }

  it('deletes the run objects, leaves pre-existing ones byte for byte, and proves nothing is left', async () => {
    await put('their-web', { app: 'web' });
    await put('their-labelled', { [LABEL.key]: RUN }); // existed before the run, even with our label
    const beforeRun = { web: await getText('their-web'), labelled: await getText('their-labelled') };
    assert.equal(beforeRun.web.status, 200);

    const janitor = createJanitor({ transport, connection, runId: RUN, runLabel: LABEL });
    assert.deepEqual(await janitor.preflight(), { ok: true });
    assert.equal(janitor.mayWrite('their-web'), false);
    assert.equal(janitor.mayWrite('their-labelled'), false);
    assert.equal(janitor.mayWrite(`ec-${RUN}-1`), true);

    await put(`ec-${RUN}-1`, { [LABEL.key]: RUN });
    janitor.recordWrite(`ec-${RUN}-1`, 'created');
    await put(`ec-${RUN}-2`); // as if the server had dropped the label: created by this run
    janitor.recordWrite(`ec-${RUN}-2`, 'created');
    await put(`ec-${RUN}-3`, { [LABEL.key]: RUN, tier: 'x' }); // outcome unknown, but labelled
    janitor.recordWrite(`ec-${RUN}-3`, 'unknown');
    janitor.recordWrite(`ec-${RUN}-4`, 'unknown'); // never stored
    await put(`ec-${RUN}-5`, { [LABEL.key]: RUN }); // not recorded: found by label
    janitor.recordWrite('their-web', 'created'); // a runner bug must not hurt them

    const report = await janitor.cleanup();
    assert.deepEqual(report.deleted, [`ec-${RUN}-1`, `ec-${RUN}-2`, `ec-${RUN}-3`, `ec-${RUN}-5`]);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.leftOver, []);
    assert.equal(report.verified, true);

    for (const n of [1, 2, 3, 4, 5]) assert.equal((await getText(`ec-${RUN}-${n}`)).status, 404, `ec-${RUN}-${n} should be gone`);
    const afterRun = { web: await getText('their-web'), labelled: await getText('their-labelled') };
    assert.equal(afterRun.web.text, beforeRun.web.text, 'pre-existing object changed');
    assert.equal(afterRun.labelled.text, beforeRun.labelled.text, 'pre-existing object carrying the run label changed');
    const rv = (text: string): unknown => (JSON.parse(text) as { metadata: { resourceVersion: unknown } }).metadata.resourceVersion;
    assert.equal(rv(afterRun.web.text), rv(beforeRun.web.text));
  });

  it('preflight with a read-only token still works; with a wrong token it fails in one line', async () => {
    const readonly = createJanitor({
      transport,
      connection: { ...connection, auth: { scheme: 'x-auth-token', token: server.readonlyTokens[0]! } },
      runId: RUN,
      runLabel: LABEL,
    });
    assert.deepEqual(await readonly.preflight(), { ok: true });
    const wrong = createJanitor({ transport, connection: { ...connection, auth: { scheme: 'x-auth-token', token: 'nope-nope' } }, runId: RUN, runLabel: LABEL });
    const result = await wrong.preflight();
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.error, /401/);
      assert.doesNotMatch(result.error, /\n/);
    }
  });
});

/**
 * The janitor's two guards that only a faithful server can prove: the uid precondition on DELETE
 * (an object replaced by someone else between the janitor's GET and its DELETE survives), and
 * list pagination (limit/continue: more objects than one page are all seen, in preflight and in
 * the label search). Each test gets a fresh server so page counts are exact.
 */
describe('cleanup: janitor guards against the reference server', function () {
  const RUN2 = 'refrun8';
  const LABEL2 = { key: 'endpoints-conformance/run', value: RUN2 };
  let server: RunningReferenceServer;
  let transport: Transport;
  let connection: ResolvedConnection;
  /** Every request the janitor sent, as `METHOD path?query`. */
  let sent: string[];
  /** Runs once, just before the janitor's first DELETE of that name reaches the server. */
  let beforeDelete: Map<string, () => Promise<void>>;

  beforeEach(async () => {
    server = await startReferenceServer({});
    const inner = createTransport({ timeoutMs: 2_000, maxBodyBytes: 4 << 20, connections: 4, tls: { insecure: false } });
    sent = [];
    beforeDelete = new Map();
    transport = {
      async send(req) {
        const url = new URL(req.url);
        sent.push(`${req.method} ${url.pathname}${url.search}`);
        const name = decodeURIComponent(url.pathname.split('/').pop() ?? '');
        const hook = req.method === 'DELETE' ? beforeDelete.get(name) : undefined;
        if (hook) {
          beforeDelete.delete(name);
          await hook();
        }
        return inner.send(req);
      },
      close: () => inner.close(),
    };
    connection = referenceConnection(server);
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  const itemUrl = (name: string): string => endpointsUrl(server, name);
  const headers = (): Record<string, string> => jsonHeaders(server);
  /** Requests the test itself makes, past the recording wrapper. */
  const direct = createTransport({ timeoutMs: 2_000, maxBodyBytes: 4 << 20, connections: 2, tls: { insecure: false } });
  after(async () => { await direct.close(); });

  async function put(name: string, labels?: Record<string, string>): Promise<{ uid: string; text: string }> {
    const body = JSON.stringify({ metadata: { name, ...(labels ? { labels } : {}) }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 8080 }] }] });
    const outcome = await direct.send({ method: 'PUT', url: itemUrl(name), headers: headers(), body });
    if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
    assert.ok([200, 201].includes(outcome.response.status), `PUT ${name}: ${outcome.response.status} ${outcome.response.bodyText}`);
    return { uid: (JSON.parse(outcome.response.bodyText) as { metadata: { uid: string } }).metadata.uid, text: outcome.response.bodyText };
  }

  async function read(name: string): Promise<{ status: number; uid?: string; text: string }> {
    const outcome = await direct.send({ method: 'GET', url: itemUrl(name), headers: headers() });
    if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
    const { status, bodyText } = outcome.response;
    return { status, text: bodyText, ...(status === 200 ? { uid: (JSON.parse(bodyText) as { metadata: { uid: string } }).metadata.uid } : {}) };
  }

  async function remove(name: string): Promise<void> {
    const outcome = await direct.send({ method: 'DELETE', url: itemUrl(name), headers: headers() });
    assert.ok(outcome.ok && outcome.response.status === 200, `DELETE ${name}`);
  }

  it('an object deleted and re-created by someone else between the janitor\'s GET and DELETE survives (409 on the uid precondition)', async () => {
    const janitor = createJanitor({ transport, connection, runId: RUN2, runLabel: LABEL2 });
    assert.deepEqual(await janitor.preflight(), { ok: true });
    const name = `ec-${RUN2}-1`;
    const original = await put(name, { [LABEL2.key]: RUN2 });
    janitor.recordWrite(name, 'created');
    await put(`ec-${RUN2}-2`, { [LABEL2.key]: RUN2 });
    janitor.recordWrite(`ec-${RUN2}-2`, 'created');
    let replacement = '';
    beforeDelete.set(name, async () => {
      // Someone else takes the name over, with the very same label: only the uid tells them apart.
      await remove(name);
      replacement = (await put(name, { [LABEL2.key]: RUN2 })).uid;
    });

    const report = await janitor.cleanup();

    assert.ok(replacement && replacement !== original.uid, 'the object was replaced before the DELETE');
    const after = await read(name);
    assert.equal(after.status, 200, 'the replacing object must survive');
    assert.equal(after.uid, replacement);
    const failure = report.failed.find((f) => f.name === name);
    assert.ok(failure, JSON.stringify(report.failed));
    assert.match(failure.error, /409 Conflict: Operation cannot be fulfilled on Endpoints "ec-refrun8-1": the UID in the precondition \(/);
    assert.ok(failure.error.includes(original.uid), failure.error);
    const deletes = sent.filter((line) => line === `DELETE /api/v1/namespaces/${NS}/endpoints/${name}`);
    assert.equal(deletes.length, 1, 'one DELETE, refused; the janitor does not retry without the precondition');
    assert.deepEqual(report.deleted, [`ec-${RUN2}-2`]);
    assert.deepEqual(report.leftOver, [name]);
    assert.equal(report.verified, true);
  });

  it('pages through more objects than one page: every pre-existing name is protected, every stray is found and deleted', async () => {
    const preexisting = ['p-0', 'p-1', 'p-2', 'p-3', 'p-4'];
    const before = new Map<string, string>();
    for (const [i, name] of preexisting.entries()) {
      before.set(name, (await put(name, i % 2 === 0 ? { [LABEL2.key]: RUN2 } : { app: 'theirs' })).text);
    }
    const janitor = createJanitor({ transport, connection, runId: RUN2, runLabel: LABEL2, pageSize: 2 });
    assert.deepEqual(await janitor.preflight(), { ok: true });
    for (const name of preexisting) assert.equal(janitor.mayWrite(name), false, name);
    const preflightLists = sent.filter((line) => line.startsWith(`GET /api/v1/namespaces/${NS}/endpoints?`));
    assert.equal(preflightLists.length, 3, `5 objects, pages of 2: ${JSON.stringify(preflightLists)}`);
    assert.ok(preflightLists.every((line) => /[?&]limit=2(&|$)/.test(line)));
    assert.ok(preflightLists.slice(1).every((line) => /[?&]continue=[A-Za-z0-9_-]+/.test(line)), JSON.stringify(preflightLists));

    // Written by the run, never recorded (as if the runner lost track): found only by the label search.
    const strays = ['ec-refrun8-a', 'ec-refrun8-b', 'ec-refrun8-c', 'ec-refrun8-d', 'ec-refrun8-e'];
    for (const name of strays) await put(name, { [LABEL2.key]: RUN2 });
    sent = [];
    const report = await janitor.cleanup();

    assert.deepEqual(report.deleted, strays);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.leftOver, []);
    assert.equal(report.verified, true);
    for (const name of strays) assert.equal((await read(name)).status, 404, name);
    for (const name of preexisting) assert.equal((await read(name)).text, before.get(name), `${name} untouched`);
    const labelLists = sent.filter((line) => line.startsWith(`GET /api/v1/namespaces/${NS}/endpoints?`));
    assert.ok(labelLists.every((line) => line.includes(`labelSelector=${encodeURIComponent(`${LABEL2.key}=${RUN2}`)}`)), JSON.stringify(labelLists));
    assert.ok(labelLists.filter((line) => line.includes('continue=')).length >= 3, `the label search paged: ${JSON.stringify(labelLists)}`);
  });
});

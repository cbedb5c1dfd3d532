/**
 * The janitor against a small in-test Endpoints API (list with limit/continue and
 * labelSelector, get, delete with uid preconditions, token auth) whose faults the tests
 * switch on: dropped labels, objects replaced between GET and DELETE, failing deletes,
 * hanging answers, refused credentials.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJanitor } from '../harness/cleanup/janitor.ts';
import type { Janitor } from '../harness/cleanup/janitor.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { Transport } from '../harness/transport/types.ts';

const TOKEN = 'janitor-test-token';
const NS = 'conformance';
const RUN = 'r1a2b3';
const LABEL = { key: 'endpoints-conformance/run', value: RUN };

interface FakeObject {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; labels?: Record<string, string> };
  subsets: unknown[];
}

interface FakeApi {
  url: string;
  objects: Map<string, FakeObject>;
  /** Every request as "METHOD path?query". */
  log: string[];
  faults: {
    /** Answer every list with this status. */
    listStatus?: number;
    /** Never answer GETs of single objects. */
    hangGets?: boolean;
    /** DELETE answers 500 for these names. */
    failDeletes?: Set<string>;
    /** After answering a GET of this name, replace the object (new uid) as another client would. */
    replaceAfterGet?: string;
    /** Ignore `limit` (answer everything at once). */
    ignoreLimit?: boolean;
  };
  put(name: string, labels?: Record<string, string>): FakeObject;
  close(): Promise<void>;
}

let uidCounter = 0;
let rvCounter = 100;

async function startFakeApi(): Promise<FakeApi> {
  const objects = new Map<string, FakeObject>();
  const log: string[] = [];
  const faults: FakeApi['faults'] = {};
  const sockets = new Set<import('node:net').Socket>();
  const prefix = `/api/v1/namespaces/${NS}/endpoints`;

  const make = (name: string, labels?: Record<string, string>): FakeObject => ({
    metadata: { name, namespace: NS, uid: `uid-${++uidCounter}`, resourceVersion: String(++rvCounter), ...(labels ? { labels } : {}) },
    subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }],
  });

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      log.push(`${req.method} ${url.pathname}${url.search}`);
      const send = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const status = (code: number, reason: string, message: string): void =>
        send(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
      if (req.headers['x-auth-token'] !== TOKEN) return status(401, 'Unauthorized', 'Unauthorized');
      if (!url.pathname.startsWith(`/api/v1/namespaces/`)) return status(404, 'NotFound', 'not found');
      if (!url.pathname.startsWith(prefix)) return status(404, 'NotFound', 'namespaces "other" not found');
      const rest = url.pathname.slice(prefix.length);
      if (rest === '' && req.method === 'GET') {
        if (faults.listStatus) return status(faults.listStatus, 'Forbidden', 'endpoints is forbidden: User "x" cannot list resource "endpoints"');
        const selector = url.searchParams.get('labelSelector');
        let items = [...objects.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        if (selector) {
          const [key, value] = selector.split('=');
          items = items.filter((o) => o.metadata.labels?.[key!] === value);
        }
        const start = Number(url.searchParams.get('continue') ?? '0');
        const limit = faults.ignoreLimit ? Infinity : Number(url.searchParams.get('limit') ?? 'Infinity');
        const page = items.slice(start, start + limit);
        const more = start + limit < items.length;
        return send(200, { kind: 'EndpointsList', apiVersion: 'v1', metadata: { resourceVersion: String(rvCounter), ...(more ? { continue: String(start + limit) } : {}) }, items: page });
      }
      const name = decodeURIComponent(rest.slice(1));
      const stored = objects.get(name);
      if (req.method === 'GET') {
        if (faults.hangGets) return; // never answer
        if (!stored) return status(404, 'NotFound', `endpoints "${name}" not found`);
        send(200, stored);
        if (faults.replaceAfterGet === name) objects.set(name, make(name, stored.metadata.labels));
        return;
      }
      if (req.method === 'DELETE') {
        if (faults.failDeletes?.has(name)) return status(500, 'InternalError', 'etcd is having a bad day');
        if (!stored) return status(404, 'NotFound', `endpoints "${name}" not found`);
        const options = body ? (JSON.parse(body) as { preconditions?: { uid?: string; resourceVersion?: string } }) : {};
        const wantedUid = options.preconditions?.uid;
        if (wantedUid !== undefined && wantedUid !== stored.metadata.uid) {
          return status(409, 'Conflict', `Precondition failed: UID in precondition: ${wantedUid}, UID in object meta: ${stored.metadata.uid}`);
        }
        const wantedVersion = options.preconditions?.resourceVersion;
        if (wantedVersion !== undefined && wantedVersion !== stored.metadata.resourceVersion) {
          return status(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${wantedVersion}, ResourceVersion in object meta: ${stored.metadata.resourceVersion}`);
        }
        objects.delete(name);
        return send(200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name, kind: 'endpoints' } });
      }
      status(405, 'MethodNotAllowed', 'method not allowed');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    log,
    faults,
    put(name, labels) {
      const object = make(name, labels);
      objects.set(name, object);
      return object;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `token: null` → no credentials at all. */
function connectionFor(api: FakeApi, token: string | null = TOKEN, namespace = NS): ResolvedConnection {
  return {
    baseUrl: api.url,
    namespace,
    auth: { scheme: 'x-auth-token', ...(token !== null ? { token } : {}) },
    tls: { insecure: false },
    describedAs: `${api.url} (test)`,
  };
}

describe('cleanup: janitor (in-test fake Endpoints API)', function () {
  let api: FakeApi;
  let transport: Transport;

  beforeEach(async () => {
    api = await startFakeApi();
    transport = createTransport({ timeoutMs: 1_000, maxBodyBytes: 4 << 20, connections: 4, tls: { insecure: false } });
  });
  afterEach(async () => {
    await transport.close();
    await api.close();
  });

  const janitor = (extra: Partial<Parameters<typeof createJanitor>[0]> = {}): Janitor =>
    createJanitor({ transport, connection: connectionFor(api), runId: RUN, runLabel: LABEL, ...extra });

  describe('preflight and mayWrite', function () {
    it('remembers every existing name across pages; those may not be written', async () => {
      for (let i = 0; i < 7; i += 1) api.put(`existing-${i}`);
      const j = janitor({ pageSize: 3 });
      assert.equal(j.mayWrite('ec-r1a2b3-1'), false, 'nothing may be written before preflight');
      assert.deepEqual(await j.preflight(), { ok: true });
      for (let i = 0; i < 7; i += 1) assert.equal(j.mayWrite(`existing-${i}`), false, `existing-${i}`);
      assert.equal(j.mayWrite('ec-r1a2b3-1'), true);
      const lists = api.log.filter((line) => line.startsWith(`GET /api/v1/namespaces/${NS}/endpoints?`));
      assert.equal(lists.length, 3, 'three pages of at most 3');
      assert.ok(lists.every((line) => /limit=3/.test(line)));
      assert.ok(lists.slice(1).every((line) => /continue=/.test(line)));
    });

    const failures: Array<[string, (a: FakeApi) => ResolvedConnection | void, RegExp]> = [
      ['rejected credentials (401)', (a) => connectionFor(a, 'wrong-token'), /credentials were not accepted.*401/],
      ['no credentials (401)', (a) => connectionFor(a, null), /credentials were not accepted.*401/],
      ['forbidden list (403)', (a) => { a.faults.listStatus = 403; }, /may not list Endpoints.*403/],
      ['missing namespace (404)', (a) => connectionFor(a, TOKEN, 'other'), /namespace or the API path does not exist.*404/],
    ];
    for (const [what, arrange, pattern] of failures) {
      it(`${what} → ok:false with a one-line reason`, async () => {
        const connection = arrange(api) ?? connectionFor(api);
        const result = await createJanitor({ transport, connection, runId: RUN, runLabel: LABEL }).preflight();
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.match(result.error, pattern);
          assert.doesNotMatch(result.error, /\n/);
          assert.ok(!result.error.includes(TOKEN));
        }
      });
    }

    it('an unreachable target → ok:false naming the failure', async () => {
      const port = Number(new URL(api.url).port);
      await api.close();
      const connection = { ...connectionFor(api), baseUrl: `http://127.0.0.1:${port}` };
      const result = await createJanitor({ transport, connection, runId: RUN, runLabel: LABEL }).preflight();
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, /refused/);
      api = await startFakeApi(); // for afterEach
    });

    it('a server whose continue token never changes → ok:false, not an endless loop', async () => {
      for (let i = 0; i < 4; i += 1) api.put(`existing-${i}`);
      const loopingTransport: Transport = {
        async send(request) {
          const outcome = await transport.send({ ...request, url: request.url.replace(/&continue=[^&]*/, '') });
          if (!outcome.ok) return outcome;
          const body = JSON.parse(outcome.response.bodyText) as { metadata: Record<string, string> };
          body.metadata.continue = 'same';
          return { ok: true, response: { ...outcome.response, bodyText: JSON.stringify(body) } };
        },
        close: () => transport.close(),
      };
      const result = await createJanitor({ transport: loopingTransport, connection: connectionFor(api), runId: RUN, runLabel: LABEL, pageSize: 2 }).preflight();
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, /continue token/);
    });
  });

  describe('cleanup', function () {
    it('deletes what is provably ours, keeps everything else untouched, and proves nothing labelled is left', async () => {
      const theirs = api.put('their-endpoints', { app: 'web' });
      const theirsLabelled = api.put('their-labelled', { ...{ [LABEL.key]: RUN } }); // pre-existing, even with our label
      const before = JSON.stringify([...api.objects.values()]);
      const j = janitor();
      assert.deepEqual(await j.preflight(), { ok: true });

      // What the run did:
      api.put('ec-r1a2b3-1', { [LABEL.key]: RUN, extra: 'x' }); // created, labelled
      j.recordWrite('ec-r1a2b3-1', 'created');
      api.put('ec-r1a2b3-2'); // created, server dropped labels
      j.recordWrite('ec-r1a2b3-2', 'created');
      api.put('ec-r1a2b3-3', { [LABEL.key]: RUN }); // timed out but stored with label
      j.recordWrite('ec-r1a2b3-3', 'unknown');
      j.recordWrite('ec-r1a2b3-4', 'unknown'); // timed out, never stored
      api.put('ec-r1a2b3-5', { [LABEL.key]: RUN }); // written but the runner forgot to record it
      j.recordWrite('their-endpoints', 'created'); // a runner bug: must still never be deleted
      j.recordWrite('their-labelled', 'created');

      const report = await j.cleanup();
      assert.deepEqual(report.deleted, ['ec-r1a2b3-1', 'ec-r1a2b3-2', 'ec-r1a2b3-3', 'ec-r1a2b3-5']);
      assert.deepEqual(report.failed, []);
      assert.deepEqual(report.leftOver, []);
      assert.equal(report.verified, true);
      assert.equal(JSON.stringify([...api.objects.values()]), before, 'pre-existing objects must be untouched byte for byte');
      assert.equal(api.objects.get('their-endpoints')?.metadata.resourceVersion, theirs.metadata.resourceVersion);
      assert.equal(api.objects.get('their-labelled')?.metadata.uid, theirsLabelled.metadata.uid);
      assert.ok(!api.log.some((line) => /^DELETE .*their-/.test(line)), 'no DELETE was ever sent for a pre-existing name');
      assert.ok(api.log.some((line) => /labelSelector=endpoints-conformance%2Frun%3Dr1a2b3/.test(line)), 'verified by label selector');
    });

    it('an unlabelled object of unknown outcome, or one labelled for another run, is kept and reported as left over', async () => {
      const j = janitor();
      await j.preflight();
      api.put('ec-r1a2b3-7'); // unknown outcome, no label: cannot prove it is ours
      j.recordWrite('ec-r1a2b3-7', 'unknown');
      api.put('ec-r1a2b3-8', { [LABEL.key]: 'another-run' });
      j.recordWrite('ec-r1a2b3-8', 'created');
      const report = await j.cleanup();
      assert.deepEqual(report.deleted, []);
      assert.deepEqual(report.leftOver, ['ec-r1a2b3-7', 'ec-r1a2b3-8']);
      assert.deepEqual(report.failed.map((f) => f.name).sort(), ['ec-r1a2b3-7', 'ec-r1a2b3-8']);
      assert.match(report.failed.find((f) => f.name === 'ec-r1a2b3-8')!.error, /another-run/);
      assert.ok(api.objects.has('ec-r1a2b3-7') && api.objects.has('ec-r1a2b3-8'));
    });

    it('an object replaced by someone else between GET and DELETE is not deleted (uid precondition)', async () => {
      const j = janitor();
      await j.preflight();
      api.put('ec-r1a2b3-9', { [LABEL.key]: RUN });
      j.recordWrite('ec-r1a2b3-9', 'created');
      api.faults.replaceAfterGet = 'ec-r1a2b3-9';
      const replacedUid = () => api.objects.get('ec-r1a2b3-9')?.metadata.uid;
      const report = await j.cleanup();
      const survivor = replacedUid();
      assert.ok(survivor, 'the replacing object must survive');
      assert.ok(report.failed.some((f) => f.name === 'ec-r1a2b3-9' && /409/.test(f.error)), JSON.stringify(report.failed));
      assert.ok(report.leftOver.includes('ec-r1a2b3-9'));
    });

    it('a failing DELETE → failed and left over, the rest still cleaned', async () => {
      const j = janitor();
      await j.preflight();
      for (const n of [1, 2, 3]) {
        api.put(`ec-r1a2b3-${n}`, { [LABEL.key]: RUN });
        j.recordWrite(`ec-r1a2b3-${n}`, 'created');
      }
      api.faults.failDeletes = new Set(['ec-r1a2b3-2']);
      const report = await j.cleanup();
      assert.deepEqual(report.deleted, ['ec-r1a2b3-1', 'ec-r1a2b3-3']);
      assert.deepEqual(report.leftOver, ['ec-r1a2b3-2']);
      assert.match(report.failed[0]!.error, /500 InternalError: etcd is having a bad day/);
      assert.equal(report.verified, true);
    });

    it('a server that stops answering → cleanup ends within its budget and says what it could not do', async () => {
      const j = janitor({ budgetMs: 600, concurrency: 2 });
      await j.preflight();
      for (let n = 0; n < 6; n += 1) {
        api.put(`ec-r1a2b3-${n}`, { [LABEL.key]: RUN });
        j.recordWrite(`ec-r1a2b3-${n}`, 'created');
      }
      api.faults.hangGets = true;
      const started = Date.now();
      const report = await j.cleanup();
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 600 + 2 * 1_000 + 1_500, `cleanup took ${elapsed} ms`);
      assert.deepEqual(report.deleted, []);
      assert.equal(report.leftOver.length, 6);
      assert.ok(report.failed.some((f) => /timeout|time budget/.test(f.error)));
    });

    it('a target that stops answering → cleanup stops sending after a few silent requests', async () => {
      const j = janitor({ concurrency: 2, deadAfter: 3 });
      await j.preflight();
      for (let n = 0; n < 20; n += 1) {
        api.put(`ec-r1a2b3-${n}`, { [LABEL.key]: RUN });
        j.recordWrite(`ec-r1a2b3-${n}`, 'created');
      }
      api.faults.hangGets = true;
      const before = api.log.length;
      const report = await j.cleanup();
      const sent = api.log.length - before;
      assert.ok(sent <= 4, `${sent} requests were sent to a silent target`);
      assert.equal(report.leftOver.length, 20);
      assert.equal(report.verified, false);
      assert.ok(report.failed.some((f) => /stopped answering during cleanup/.test(f.error)));
    });

    it('without a successful preflight, only labelled objects are deleted', async () => {
      const j = janitor();
      api.put('ec-r1a2b3-1', { [LABEL.key]: RUN });
      j.recordWrite('ec-r1a2b3-1', 'created');
      const report = await j.cleanup();
      assert.deepEqual(report.deleted, ['ec-r1a2b3-1']);
      assert.ok(report.failed.some((f) => f.name === '(preflight)'));
    });

    describe('objects released during the run (eagerConcurrency)', function () {
      const observed = (object: FakeObject) => ({ uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion, labels: object.metadata.labels ?? {} });
      const gone = async (name: string): Promise<boolean> => {
        for (let waited = 0; waited < 2_000 && api.objects.has(name); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
        return !api.objects.has(name);
      };

      it('are deleted before cleanup, each in one DELETE with uid and resourceVersion preconditions', async () => {
        const j = janitor({ eagerConcurrency: 2 });
        await j.preflight();
        const names = ['ec-r1a2b3-1', 'ec-r1a2b3-2', 'ec-r1a2b3-3'];
        for (const name of names) {
          const object = api.put(name, { [LABEL.key]: RUN });
          j.recordWrite(name, 'created');
          j.release(name, observed(object));
        }
        for (const name of names) assert.ok(await gone(name), `${name} deleted while the run goes on`);
        assert.deepEqual(api.log.filter((line) => !line.startsWith('GET /api/v1/namespaces/conformance/endpoints?')).sort(), names.map((name) => `DELETE /api/v1/namespaces/conformance/endpoints/${name}`));
        const report = await j.cleanup();
        assert.deepEqual(report.deleted, names);
        assert.deepEqual(report.leftOver, []);
        assert.equal(report.verified, true);
      });

      it('one changed since the run saw it is read back first: relabelled for another run, it is kept', async () => {
        const j = janitor({ eagerConcurrency: 2 });
        await j.preflight();
        const seen = api.put('ec-r1a2b3-4', { [LABEL.key]: RUN });
        j.recordWrite('ec-r1a2b3-4', 'created');
        const changed = api.put('ec-r1a2b3-4', { [LABEL.key]: 'another-run' }); // someone else's write since
        changed.metadata.uid = seen.metadata.uid;
        j.release('ec-r1a2b3-4', observed(seen));
        const report = await j.cleanup();
        assert.ok(api.objects.has('ec-r1a2b3-4'), 'not deleted');
        assert.deepEqual(report.leftOver, ['ec-r1a2b3-4']);
        assert.match(report.failed[0]!.error, /another-run/);
      });

      it('names never written, pre-existing, or released without eagerConcurrency wait for cleanup', async () => {
        const theirs = api.put('their-endpoints', { [LABEL.key]: RUN });
        const j = janitor();
        await j.preflight();
        const ours = api.put('ec-r1a2b3-5', { [LABEL.key]: RUN });
        j.recordWrite('ec-r1a2b3-5', 'created');
        j.release('ec-r1a2b3-5', observed(ours));
        j.release('their-endpoints', observed(theirs));
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.ok(api.objects.has('ec-r1a2b3-5'), 'kept until cleanup');
        const eager = janitor({ eagerConcurrency: 2 });
        await eager.preflight();
        eager.release('their-endpoints', observed(theirs));
        eager.release('ec-r1a2b3-5', observed(ours)); // never written by this janitor's run
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.ok(api.objects.has('their-endpoints') && api.objects.has('ec-r1a2b3-5'));
        assert.deepEqual((await j.cleanup()).deleted, ['ec-r1a2b3-5']);
        assert.ok(api.objects.has('their-endpoints'));
      });
    });

    it('requests carry the connection credentials', async () => {
      const j = createJanitor({ transport, connection: connectionFor(api, 'not-the-token'), runId: RUN, runLabel: LABEL });
      api.put('ec-r1a2b3-1', { [LABEL.key]: RUN });
      j.recordWrite('ec-r1a2b3-1', 'created');
      const report = await j.cleanup();
      assert.deepEqual(report.deleted, []);
      assert.ok(api.objects.has('ec-r1a2b3-1'));
      assert.equal(report.verified, false);
      assert.ok(report.failed.some((f) => /401/.test(f.error)));
    });
  });
});

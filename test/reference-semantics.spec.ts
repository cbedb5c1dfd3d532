/**
 * Success semantics of the reference server (rules note §6): create then replace, resourceVersion,
 * identity, dryRun, defaulting, pretty printing, managedFields, optimistic concurrency; plus the
 * reads, list, delete, namespaces, discovery and unknown paths.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { epPath, get, put, raw, READONLY, start, status, TOKEN, uniqueName, validBody } from './reference-support.ts';

interface EndpointsBody {
  kind: string; apiVersion: string;
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string; selfLink?: string; generation?: number; labels?: Record<string, string>; managedFields?: Array<{ manager?: string; operation: string; apiVersion: string; time: string; fieldsType: string; fieldsV1: unknown }> };
  subsets?: unknown;
}
const body = (res: { body: unknown }): EndpointsBody => res.body as EndpointsBody;

describe('reference server: success semantics', () => {
  let server: RunningReferenceServer;
  before(async () => { server = await start(); });
  after(async () => { await server.close(); });

  it('create answers 201 with the stored object; replace answers 200', async () => {
    const name = uniqueName();
    const created = await put(server, name, validBody(name));
    assert.equal(created.status, 201);
    assert.equal(created.headers['content-type'], 'application/json');
    const b = body(created);
    assert.equal(b.kind, 'Endpoints');
    assert.equal(b.apiVersion, 'v1');
    assert.equal(b.metadata.namespace, 'default');
    assert.match(b.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(b.metadata.resourceVersion, /^[1-9][0-9]*$/);
    assert.match(b.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(b.metadata.selfLink, undefined);
    assert.deepEqual(b.subsets, [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }]);
    const replaced = await put(server, name, validBody(name, '10.0.0.2'));
    assert.equal(replaced.status, 200);
    assert.deepEqual(body(replaced).subsets, [{ addresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }]);
  });

  it('resourceVersion increases across writes and objects, and does not move on a no-op PUT', async () => {
    const a = uniqueName();
    const b = uniqueName();
    const rv1 = Number(body(await put(server, a, validBody(a))).metadata.resourceVersion);
    const rv2 = Number(body(await put(server, b, validBody(b))).metadata.resourceVersion);
    const rv3 = Number(body(await put(server, a, validBody(a, '10.0.0.3'))).metadata.resourceVersion);
    assert.ok(rv1 < rv2 && rv2 < rv3, `${rv1} < ${rv2} < ${rv3}`);
    const noop = await put(server, a, validBody(a, '10.0.0.3'));
    assert.equal(noop.status, 200);
    assert.equal(Number(body(noop).metadata.resourceVersion), rv3);
    const noopWithRv = await put(server, a, { ...validBody(a, '10.0.0.3'), metadata: { name: a, resourceVersion: String(rv3) } });
    assert.equal(Number(body(noopWithRv).metadata.resourceVersion), rv3);
    const read = await get(server, epPath(a));
    assert.equal(body(read).metadata.resourceVersion, String(rv3));
  });

  it('uid and creationTimestamp are kept across updates, whatever the body says', async () => {
    const name = uniqueName();
    const created = body(await put(server, name, validBody(name)));
    const updated = body(await put(server, name, { ...validBody(name, '10.0.0.9'), metadata: { name, creationTimestamp: '2001-01-01T00:00:00Z' } }));
    assert.equal(updated.metadata.uid, created.metadata.uid);
    assert.equal(updated.metadata.creationTimestamp, created.metadata.creationTimestamp);
  });

  it('uid precondition: a different uid → 409 (M12); absent object with a uid → 409 (M13)', async () => {
    const name = uniqueName();
    const created = body(await put(server, name, validBody(name)));
    const res = await put(server, name, { ...validBody(name), metadata: { name, uid: 'other-uid' } });
    assert.equal(res.status, 409);
    assert.equal(status(res).message, `Operation cannot be fulfilled on endpoints "${name}": StorageError: invalid object, Code: 4, Key: /registry/services/endpoints/default/${name}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: other-uid, UID in object meta: ${created.metadata.uid}`);
    assert.deepEqual(status(res).details, { name, kind: 'endpoints' });
    assert.equal((await put(server, name, { ...validBody(name, '10.2.2.2'), metadata: { name, uid: created.metadata.uid } })).status, 200);
    const absent = uniqueName();
    const res2 = await put(server, absent, { ...validBody(absent), metadata: { name: absent, uid: 'u' } });
    assert.equal(res2.status, 409);
    assert.match(status(res2).message, /UID in object meta: $/);
  });

  it('resourceVersion: absent, "" or "0" update unconditionally; stale → 409 (M15, M16); ignored on create (M18)', async () => {
    const name = uniqueName();
    const rv = body(await put(server, name, { ...validBody(name), metadata: { name, resourceVersion: '12345678' } })).metadata.resourceVersion;
    assert.notEqual(rv, '12345678');
    let ip = 20;
    for (const resourceVersion of [undefined, '', '0']) {
      ip += 1;
      const res = await put(server, name, { ...validBody(name, `10.0.0.${ip}`), metadata: { name, resourceVersion } });
      assert.equal(res.status, 200, String(resourceVersion));
    }
    const current = body(await get(server, epPath(name))).metadata.resourceVersion;
    const stale = await put(server, name, { ...validBody(name, '10.0.1.1'), metadata: { name, resourceVersion: rv } });
    assert.equal(stale.status, 409);
    assert.equal(status(stale).message, `Operation cannot be fulfilled on endpoints "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    assert.equal(status(stale).reason, 'Conflict');
    const future = await put(server, name, { ...validBody(name, '10.0.1.1'), metadata: { name, resourceVersion: String(Number(current) + 1000) } });
    assert.equal(future.status, 409);
    const fresh = await put(server, name, { ...validBody(name, '10.0.1.1'), metadata: { name, resourceVersion: current } });
    assert.equal(fresh.status, 200);
  });

  it('dryRun=All: 201 on an absent object but nothing stored; 200 on an existing one, RV not bumped, nothing changed', async () => {
    const name = uniqueName();
    const dry = await put(server, name, validBody(name), { dryRun: 'All' });
    assert.equal(dry.status, 201);
    assert.ok(body(dry).metadata.uid);
    assert.equal((await get(server, epPath(name))).status, 404);
    const created = body(await put(server, name, validBody(name)));
    const dryUpdate = await put(server, name, validBody(name, '10.0.0.77'), { dryRun: 'All' });
    assert.equal(dryUpdate.status, 200);
    assert.equal(body(dryUpdate).metadata.resourceVersion, created.metadata.resourceVersion);
    assert.deepEqual(body(dryUpdate).subsets, [{ addresses: [{ ip: '10.0.0.77' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }]);
    const stored = body(await get(server, epPath(name)));
    assert.deepEqual(stored, created);
    const invalid = await put(server, name, validBody(name, '127.0.0.1'), { dryRun: 'All' });
    assert.equal(invalid.status, 422, 'dryRun still validates');
  });

  it('subsets are echoed exactly as sent (order and grouping, no repacking)', async () => {
    const name = uniqueName();
    const subsets = [
      { addresses: [{ ip: '10.0.0.9' }, { ip: '10.0.0.1', hostname: 'h', nodeName: 'n', targetRef: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'x' } }], notReadyAddresses: [{ ip: '10.0.0.5' }], ports: [{ name: 'b', port: 2, protocol: 'UDP' }, { name: 'a', port: 1, protocol: 'TCP', appProtocol: 'http' }] },
      { addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'b', port: 2, protocol: 'UDP' }] },
    ];
    const res = await put(server, name, { metadata: { name }, subsets });
    assert.deepEqual(body(res).subsets, subsets);
  });

  it('pretty=true and curl/Wget/Mozilla user agents indent the JSON; pretty=garbage does not', async () => {
    const name = uniqueName();
    await put(server, name, validBody(name));
    const pretty = await request(server.url).get(`${epPath(name)}?pretty=true`).set('Authorization', `Bearer ${TOKEN}`).buffer(true).parse((res, cb) => { let t = ''; res.on('data', (c: Buffer) => { t += c; }); res.on('end', () => cb(null, t)); });
    assert.match(pretty.body as string, /^\{\n  "kind": "Endpoints",\n  "apiVersion": "v1",\n/);
    const ua = await raw(server, 'GET', epPath(name), { authorization: `Bearer ${TOKEN}`, 'user-agent': 'curl/8.5.0' });
    assert.match(ua.text, /^\{\n  "kind"/);
    const garbage = await raw(server, 'GET', `${epPath(name)}?pretty=garbage`, { authorization: `Bearer ${TOKEN}`, 'user-agent': 'curl/8.5.0' });
    assert.match(garbage.text, /^\{"kind"/);
    const plain = await raw(server, 'GET', epPath(name), { authorization: `Bearer ${TOKEN}` });
    assert.match(plain.text, /^\{"kind":"Endpoints"/);
  });

  it('managedFields: fieldManager, else the User-Agent prefix; unchanged by a no-op of another manager', async () => {
    const name = uniqueName();
    const created = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}`, 'user-agent': 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07' }, JSON.stringify({ metadata: { name, labels: { app: 'x' } }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }));
    const mf = (created.json() as unknown as EndpointsBody).metadata.managedFields ?? [];
    assert.equal(mf.length, 1);
    assert.equal(mf[0].manager, 'kubectl');
    assert.equal(mf[0].operation, 'Update');
    assert.equal(mf[0].apiVersion, 'v1');
    assert.equal(mf[0].fieldsType, 'FieldsV1');
    assert.deepEqual(mf[0].fieldsV1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:subsets': {} });
    const again = await put(server, name, { metadata: { name, labels: { app: 'x' } }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }, { fieldManager: 'other' });
    assert.deepEqual(body(again).metadata.managedFields, mf);
    const changed = await put(server, name, { metadata: { name, labels: { app: 'x' } }, subsets: [{ addresses: [{ ip: '10.0.0.2' }] }] }, { fieldManager: 'other' });
    const managers = (body(changed).metadata.managedFields ?? []).map((e) => [e.manager, e.fieldsV1]);
    assert.deepEqual(managers, [['kubectl', { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } }], ['other', { 'f:subsets': {} }]]);
  });

  it('N concurrent PUTs with the same resourceVersion: exactly one 200, the rest 409 (no lost update)', async () => {
    const name = uniqueName();
    const rv = body(await put(server, name, validBody(name))).metadata.resourceVersion;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      put(server, name, { ...validBody(name, `10.1.0.${i + 1}`), metadata: { name, resourceVersion: rv } })));
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, ...Array(19).fill(409)]);
    const winner = results.find((r) => r.status === 200);
    assert.deepEqual(body(await get(server, epPath(name))).subsets, body(winner!).subsets);
  });

  describe('reads, list, delete, namespaces', () => {
    it('GET a missing object → 404 endpoints "x" not found', async () => {
      const res = await get(server, epPath('missing-one'));
      assert.equal(res.status, 404);
      assert.deepEqual(status(res).details, { name: 'missing-one', kind: 'endpoints' });
      assert.equal(status(res).message, 'endpoints "missing-one" not found');
    });
    it('list with labelSelector returns only matching objects; a bad selector → 400', async () => {
      const run = uniqueName('run');
      const names = [uniqueName(), uniqueName(), uniqueName()];
      await put(server, names[0], { metadata: { name: names[0], labels: { run, tier: 'a' } } });
      await put(server, names[1], { metadata: { name: names[1], labels: { run, tier: 'b' } } });
      await put(server, names[2], { metadata: { name: names[2] } });
      const list = await get(server, `/api/v1/namespaces/default/endpoints?labelSelector=${encodeURIComponent(`run=${run}`)}`);
      assert.equal(list.status, 200);
      const items = (list.body as { kind: string; items: Array<{ metadata: { name: string } }> });
      assert.equal(items.kind, 'EndpointsList');
      assert.deepEqual(items.items.map((i) => i.metadata.name).sort(), [names[0], names[1]].sort());
      const narrowed = await get(server, `/api/v1/namespaces/default/endpoints?labelSelector=${encodeURIComponent(`run=${run},tier!=a`)}`);
      assert.deepEqual((narrowed.body as typeof items).items.map((i) => i.metadata.name), [names[1]]);
      const all = await get(server, '/api/v1/endpoints');
      assert.ok((all.body as typeof items).items.length >= 3);
      assert.equal((await get(server, '/api/v1/namespaces/default/endpoints?labelSelector=%3D%3D')).status, 400);
      assert.equal((await get(server, '/api/v1/namespaces/default/endpoints', READONLY)).status, 200);
    });
    it('DELETE removes (200 Status Success with the uid); again → 404; read-only → 403', async () => {
      const name = uniqueName();
      const uid = body(await put(server, name, validBody(name))).metadata.uid;
      assert.equal((await request(server.url).delete(epPath(name)).set('Authorization', `Bearer ${READONLY}`).ok(() => true)).status, 403);
      const del = await request(server.url).delete(epPath(name)).set('Authorization', `Bearer ${TOKEN}`).ok(() => true);
      assert.equal(del.status, 200);
      assert.deepEqual(del.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: 'endpoints', uid } });
      assert.equal((await get(server, epPath(name))).status, 404);
      assert.equal((await request(server.url).delete(epPath(name)).set('Authorization', `Bearer ${TOKEN}`).ok(() => true)).status, 404);
      assert.equal((await put(server, name, validBody(name))).status, 201, 'recreated after delete');
    });
    it('GET /api/v1/namespaces/{ns} → Namespace object or 404', async () => {
      const ns = await get(server, '/api/v1/namespaces/conformance');
      assert.equal(ns.status, 200);
      assert.equal((ns.body as { kind: string; metadata: { name: string }; status: { phase: string } }).kind, 'Namespace');
      assert.equal((ns.body as { status: { phase: string } }).status.phase, 'Active');
      const missing = await get(server, '/api/v1/namespaces/nope');
      assert.equal(missing.status, 404);
      assert.equal(status(missing).message, 'namespaces "nope" not found');
    });
    it('POST on the named path → 405 MethodNotAllowed Status; unknown paths → 404 Status', async () => {
      const post = await request(server.url).post(epPath('a')).set('Authorization', `Bearer ${TOKEN}`).send({}).ok(() => true);
      assert.equal(post.status, 405);
      assert.equal(status(post).reason, 'MethodNotAllowed');
      assert.equal(status(post).code, 405);
      for (const path of ['/nope', '/api/v1/pods', '/api/v1/namespaces/default/endpoints/a/b', '/api/v2']) {
        const res = await get(server, path);
        assert.equal(res.status, 404, path);
        assert.equal(status(res).kind, 'Status');
        assert.equal(status(res).reason, 'NotFound');
      }
    });
    it('malformed percent-encoding in the path → 400 Status', async () => {
      const res = await raw(server, 'PUT', '/api/v1/namespaces/default/endpoints/%zz', { authorization: `Bearer ${TOKEN}` }, '{}');
      assert.equal(res.status, 400);
      assert.equal(res.json().kind, 'Status');
    });
    it('%2F in a name routes elsewhere (404), like the apiserver decoding the path', async () => {
      const res = await raw(server, 'PUT', '/api/v1/namespaces/default/endpoints/a%2Fb', { authorization: `Bearer ${TOKEN}` }, '{"metadata":{"name":"a/b"}}');
      assert.equal(res.status, 404);
    });
  });

  describe('discovery', () => {
    it('/version without credentials says 1.35 by default; configurable', async () => {
      const v = await raw(server, 'GET', '/version', {});
      assert.equal(v.status, 200);
      const doc = v.json() as unknown as { major: string; minor: string; gitVersion: string };
      assert.deepEqual([doc.major, doc.minor, doc.gitVersion], ['1', '35', 'v1.35.0']);
      const other = await start({ version: { major: '1', minor: '32', gitVersion: 'v1.32.9' } });
      try {
        assert.equal((await raw(other, 'GET', '/version', {})).json().gitVersion, 'v1.32.9');
      } finally { await other.close(); }
    });
    it('/api, /apis, /api/v1 and the OpenAPI v3 documents need a token and describe endpoints', async () => {
      assert.equal((await raw(server, 'GET', '/api/v1', {})).status, 401);
      assert.deepEqual((await get(server, '/api')).body.versions, ['v1']);
      assert.equal((await get(server, '/apis')).body.kind, 'APIGroupList');
      const resources = (await get(server, '/api/v1')).body as { resources: Array<{ name: string; kind: string; namespaced: boolean }> };
      assert.ok(resources.resources.some((r) => r.name === 'endpoints' && r.kind === 'Endpoints' && r.namespaced));
      const root = (await get(server, '/openapi/v3')).body as { paths: Record<string, { serverRelativeURL: string }> };
      const doc = (await get(server, root.paths['api/v1'].serverRelativeURL)).body as { paths: Record<string, { patch: { parameters: Array<{ name: string }>; 'x-kubernetes-group-version-kind': unknown } }> };
      const patch = doc.paths['/api/v1/namespaces/{namespace}/endpoints/{name}'].patch;
      assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Endpoints' });
      assert.ok(patch.parameters.some((p) => p.name === 'fieldValidation'));
    });
  });

  it('latencyMs delays responses (reported, not timed strictly)', async () => {
    const slow = await start({ latencyMs: 30 });
    try {
      const t0 = Date.now();
      const name = uniqueName();
      assert.equal((await put(slow, name, validBody(name))).status, 201);
      assert.ok(Date.now() - t0 >= 25);
    } finally { await slow.close(); }
  });
});

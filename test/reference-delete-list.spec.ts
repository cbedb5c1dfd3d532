/**
 * DELETE with DeleteOptions (preconditions, dryRun, validation) and list pagination (limit,
 * continue, remainingItemCount) on the reference server, each rule as Kubernetes' source has it:
 * handlers/delete.go, registry/rest/delete.go BeforeDelete, generic/registry/store.go Delete,
 * storage/etcd3/store.go GetList, storage/continue.go.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Response } from 'supertest';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { epPath, get, put, raw, start, status, TOKEN, uniqueName, validBody } from './reference-support.ts';

interface Stored { metadata: { name: string; uid: string; resourceVersion: string } }
interface ListBody {
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Array<{ metadata: { name: string; namespace: string } }>;
}

function del(server: RunningReferenceServer, name: string, body?: unknown, query: Record<string, string> = {}, contentType = 'application/json'): Promise<Response> {
  const r = request(server.url).delete(epPath(name)).query(query).set('Authorization', `Bearer ${TOKEN}`);
  if (body === undefined) return r.ok(() => true);
  return r.set('Content-Type', contentType).send(typeof body === 'string' ? body : JSON.stringify(body)).ok(() => true);
}

async function create(server: RunningReferenceServer, name: string, labels?: Record<string, string>, ns = 'default'): Promise<Stored> {
  const res = await put(server, name, { ...validBody(name), metadata: { name, ...(labels ? { labels } : {}) } }, {}, ns);
  assert.equal(res.status, 201, res.text);
  return res.body as Stored;
}

async function read(server: RunningReferenceServer, name: string): Promise<{ status: number; body: Stored }> {
  const res = await get(server, epPath(name));
  return { status: res.status, body: res.body as Stored };
}

const decodeToken = (token: string): unknown => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
const encodeToken = (json: string): string => Buffer.from(json, 'utf8').toString('base64url');

describe('reference server: DELETE with DeleteOptions', () => {
  let server: RunningReferenceServer;
  before(async () => { server = await start(); });
  after(async () => { await server.close(); });

  it('matching uid and resourceVersion preconditions → 200 Success Status with the uid, and the object is gone', async () => {
    const name = uniqueName();
    const created = await create(server, name);
    const res = await del(server, name, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: 'endpoints', uid: created.metadata.uid } });
    assert.equal((await read(server, name)).status, 404);
  });

  it('a uid precondition that does not match → 409 Conflict from rest.BeforeDelete, the object untouched', async () => {
    const name = uniqueName();
    const created = await create(server, name);
    const res = await del(server, name, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } });
    assert.equal(res.status, 409, res.text);
    assert.equal(status(res).reason, 'Conflict');
    assert.equal(status(res).code, 409);
    assert.equal(status(res).message, `Operation cannot be fulfilled on Endpoints "${name}": the UID in the precondition (not-the-uid) does not match the UID in record (${created.metadata.uid}). The object might have been deleted and then recreated`);
    assert.deepEqual(status(res).details, { name, kind: 'Endpoints' });
    const after = await read(server, name);
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, created, 'same object, same resourceVersion');
  });

  it('an empty uid in the precondition is a precondition too (→ 409); null is none (→ 200)', async () => {
    const name = uniqueName();
    await create(server, name);
    assert.equal((await del(server, name, { preconditions: { uid: '' } })).status, 409);
    assert.equal((await del(server, name, { preconditions: { uid: null, resourceVersion: null } })).status, 200);
  });

  it('a resourceVersion precondition that does not match → 409, checked after the uid', async () => {
    const name = uniqueName();
    const created = await create(server, name);
    const stale = created.metadata.resourceVersion;
    assert.equal((await put(server, name, validBody(name, '10.0.0.2'))).status, 200);
    const current = (await read(server, name)).body.metadata.resourceVersion;
    const res = await del(server, name, { preconditions: { uid: created.metadata.uid, resourceVersion: stale } });
    assert.equal(res.status, 409, res.text);
    assert.equal(status(res).message, `Operation cannot be fulfilled on Endpoints "${name}": the ResourceVersion in the precondition (${stale}) does not match the ResourceVersion in record (${current}). The object might have been modified`);
    assert.deepEqual(status(res).details, { name, kind: 'Endpoints' });
    const both = await del(server, name, { preconditions: { uid: 'other', resourceVersion: stale } });
    assert.match(status(both).message, /the UID in the precondition \(other\)/, 'uid first');
    assert.equal((await read(server, name)).status, 200);
  });

  it('an absent object → 404 NotFound, before any precondition', async () => {
    const name = uniqueName();
    const res = await del(server, name, { preconditions: { uid: 'whatever', resourceVersion: '1' } });
    assert.equal(res.status, 404, res.text);
    assert.equal(status(res).message, `endpoints "${name}" not found`);
    assert.deepEqual(status(res).details, { name, kind: 'endpoints' });
  });

  it('dryRun=All (body or, without a body, query) answers like a delete and deletes nothing; preconditions still apply', async () => {
    const name = uniqueName();
    const created = await create(server, name);
    const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: 'endpoints', uid: created.metadata.uid } };
    const inBody = await del(server, name, { dryRun: ['All'], preconditions: { uid: created.metadata.uid } });
    assert.equal(inBody.status, 200, inBody.text);
    assert.deepEqual(inBody.body, success);
    const inQuery = await del(server, name, undefined, { dryRun: 'All' });
    assert.equal(inQuery.status, 200, inQuery.text);
    assert.deepEqual(inQuery.body, success);
    assert.equal((await del(server, name, { dryRun: ['All'], preconditions: { uid: 'x' } })).status, 409);
    const after = await read(server, name);
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, created, 'nothing changed, not even the resourceVersion');
  });

  it('with a body, the query is not read: ?dryRun=All beside a body deletes for real', async () => {
    const name = uniqueName();
    const created = await create(server, name);
    const res = await del(server, name, { preconditions: { uid: created.metadata.uid } }, { dryRun: 'All' });
    assert.equal(res.status, 200, res.text);
    assert.equal((await read(server, name)).status, 404);
  });

  it('ValidateDeleteOptions → 422 DeleteOptions.meta.k8s.io, before the object is looked up', async () => {
    const absent = uniqueName();
    const res = await del(server, absent, { propagationPolicy: 'Sideways', dryRun: ['Some'] });
    assert.equal(res.status, 422, res.text);
    assert.equal(status(res).message, 'DeleteOptions.meta.k8s.io "" is invalid: [propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil", dryRun: Unsupported value: ["Some"]: supported values: "All"]');
    assert.deepEqual(status(res).details?.causes?.map((c) => [c.field, c.reason]), [['propagationPolicy', 'FieldValueNotSupported'], ['dryRun', 'FieldValueNotSupported']]);
    const both = await del(server, absent, undefined, { orphanDependents: 'false', propagationPolicy: 'Background' });
    assert.equal(both.status, 422);
    assert.equal(status(both).message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set');
    assert.equal((await del(server, absent, undefined, { dryRun: 'all' })).status, 422);
  });

  it('an undecodable body → 400 with the decoder\'s error; a bad query value → 400; an unknown media type → 415', async () => {
    const name = uniqueName();
    await create(server, name);
    const typed = await del(server, name, { gracePeriodSeconds: '30' });
    assert.equal(typed.status, 400, typed.text);
    assert.equal(status(typed).message, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
    const nested = await del(server, name, { preconditions: { uid: 7 } });
    assert.equal(status(nested).message, 'json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID');
    const syntax = await del(server, name, '{"preconditions":');
    assert.equal(syntax.status, 400);
    assert.equal(status(syntax).message, "couldn't get version/kind; json parse error: unexpected end of JSON input");
    const grace = await del(server, name, undefined, { gracePeriodSeconds: 'soon' });
    assert.equal(grace.status, 400);
    assert.equal(status(grace).message, 'strconv.ParseInt: parsing "soon": invalid syntax');
    assert.equal((await del(server, name, '{}', {}, 'text/plain')).status, 415);
    assert.equal((await read(server, name)).status, 200, 'none of these deleted it');
    const yaml = await del(server, name, 'kind: DeleteOptions\napiVersion: meta.k8s.io/v1\ngracePeriodSeconds: 0\n', {}, 'application/yaml');
    assert.equal(yaml.status, 200, yaml.text);
  });
});

describe('reference server: list with limit and continue', () => {
  let server: RunningReferenceServer;
  beforeEach(async () => { server = await start(); });
  afterEach(async () => { await server.close(); });

  async function list(path: string): Promise<{ status: number; body: ListBody; text: string }> {
    const res = await get(server, path);
    return { status: res.status, body: res.body as ListBody, text: res.text };
  }

  async function pages(base: string, limit: number, extra = ''): Promise<ListBody[]> {
    const out: ListBody[] = [];
    let token: string | undefined;
    for (let i = 0; i < 50; i += 1) {
      const res = await list(`${base}?limit=${limit}${extra}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      assert.equal(res.status, 200, res.text);
      out.push(res.body);
      token = res.body.metadata.continue;
      if (!token) return out;
    }
    assert.fail('the list did not end');
  }

  it('pages through every item exactly once, in name order, with remainingItemCount and one resourceVersion', async () => {
    const names = ['e-7', 'a-1', 'd-4', 'b-2', 'c-3', 'f-9', 'a-10'];
    for (const n of names) await create(server, n);
    await create(server, 'elsewhere', undefined, 'conformance');
    const result = await pages('/api/v1/namespaces/default/endpoints', 3);
    assert.deepEqual(result.map((p) => p.items.map((i) => i.metadata.name)), [['a-1', 'a-10', 'b-2'], ['c-3', 'd-4', 'e-7'], ['f-9']]);
    assert.deepEqual(result.map((p) => p.metadata.remainingItemCount), [4, 1, undefined]);
    assert.equal(result[2].metadata.continue, undefined);
    const rv = result[0].metadata.resourceVersion;
    assert.ok(result.every((p) => p.metadata.resourceVersion === rv), 'every page carries the first page\'s resourceVersion');
    assert.deepEqual(decodeToken(result[0].metadata.continue!), { v: 'meta.k8s.io/v1', rv: Number(rv), start: 'b-2\u0000' });
    assert.match(result[0].metadata.continue!, /^[A-Za-z0-9_-]+$/, 'base64url without padding');
    const whole = await list('/api/v1/namespaces/default/endpoints');
    assert.deepEqual(whole.body.items.map((i) => i.metadata.name), [...names].sort());
    assert.equal(whole.body.metadata.continue, undefined);
  });

  it('a page that ends on the last item carries no continue token', async () => {
    for (const n of ['a', 'b', 'c', 'd']) await create(server, n);
    const result = await pages('/api/v1/namespaces/default/endpoints', 2);
    assert.deepEqual(result.map((p) => p.items.length), [2, 2]);
    assert.deepEqual(result.map((p) => p.metadata.remainingItemCount), [2, undefined]);
  });

  it('with a labelSelector: only matching items, no remainingItemCount, a token while any key follows', async () => {
    const labels = { run: 'r1' };
    for (const n of ['a', 'c', 'e', 'g']) await create(server, n, labels);
    for (const n of ['b', 'd', 'f', 'h']) await create(server, n);
    const result = await pages('/api/v1/namespaces/default/endpoints', 2, '&labelSelector=run%3Dr1');
    assert.deepEqual(result.map((p) => p.items.map((i) => i.metadata.name)), [['a', 'c'], ['e', 'g'], []]);
    assert.ok(result.every((p) => p.metadata.remainingItemCount === undefined));
  });

  it('the cluster-wide list pages by namespace/name', async () => {
    await create(server, 'x', undefined, 'conformance');
    await create(server, 'y', undefined, 'conformance');
    await create(server, 'a');
    const result = await pages('/api/v1/endpoints', 2);
    assert.deepEqual(result.map((p) => p.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)), [['conformance/x', 'conformance/y'], ['default/a']]);
    assert.equal((decodeToken(result[0].metadata.continue!) as { start: string }).start, 'conformance/y\u0000');
  });

  it('no history here: a later page is read from the current state after the start key, never repeating an item', async () => {
    for (const n of ['a', 'b', 'c', 'd']) await create(server, n);
    const first = (await list('/api/v1/namespaces/default/endpoints?limit=2')).body;
    await create(server, 'aa'); // before the start key: not seen
    await create(server, 'bb'); // after it: seen
    assert.equal((await del(server, 'c')).status, 200);
    const second = (await list(`/api/v1/namespaces/default/endpoints?limit=2&continue=${first.metadata.continue!}`)).body;
    assert.deepEqual(second.items.map((i) => i.metadata.name), ['bb', 'd']);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
  });

  it('a malformed continue token → 400 BadRequest "invalid continue token: …" (DecodeContinue\'s texts)', async () => {
    const padded = `${encodeToken('{"v":"meta.k8s.io/v1","rv":5,"start":"a"}')}=`; // Raw encodings have no padding
    const cases: Array<[string, string]> = [
      ['!!!', 'continue key is not valid: illegal base64 data at input byte 0'],
      [padded, `continue key is not valid: illegal base64 data at input byte ${padded.length - 1}`],
      ['QQ', 'continue key is not valid: invalid character \'A\' looking for beginning of value'],
      ['Q', 'continue key is not valid: illegal base64 data at input byte 0'],
      [encodeToken('not json'), "continue key is not valid: invalid character 'o' in literal null (expecting 'u')"],
      [encodeToken('{"v":"meta.k8s.io/v1","rv":"5","start":"a"}'), 'continue key is not valid: json: cannot unmarshal string into Go struct field continueToken.rv of type int64'],
      [encodeToken('{"v":"meta.k8s.io/v2","rv":5,"start":"a"}'), 'continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2'],
      [encodeToken('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
      [encodeToken('{"v":"meta.k8s.io/v1","rv":5,"start":""}'), 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)'],
      [encodeToken('{"v":"meta.k8s.io/v1","rv":5,"start":"../other-namespace/a"}'), 'continue key is not valid: ../other-namespace/a'],
    ];
    for (const [token, message] of cases) {
      const res = await get(server, `/api/v1/namespaces/default/endpoints?limit=1&continue=${encodeURIComponent(token)}`);
      assert.equal(res.status, 400, `${token}: ${res.text}`);
      assert.equal(status(res).reason, 'BadRequest');
      assert.equal(status(res).message, `invalid continue token: ${message}`, token);
    }
    const valid = encodeToken('{"V":"meta.k8s.io/v1","RV":5,"Start":"/a"}'); // encoding/json matches keys case-insensitively
    assert.equal((await get(server, `/api/v1/namespaces/default/endpoints?continue=${valid}`)).status, 200);
  });

  it('continue with a resourceVersion → 400; a limit that is not a number → 400; limit 0 or less pages nothing', async () => {
    for (const n of ['a', 'b']) await create(server, n);
    const token = (await list('/api/v1/namespaces/default/endpoints?limit=1')).body.metadata.continue!;
    const withRv = await get(server, `/api/v1/namespaces/default/endpoints?continue=${token}&resourceVersion=5`);
    assert.equal(withRv.status, 400);
    assert.equal(status(withRv).message, 'specifying resource version is not allowed when using continue');
    assert.equal((await get(server, `/api/v1/namespaces/default/endpoints?continue=${token}&resourceVersion=0`)).status, 200);
    const bad = await get(server, '/api/v1/namespaces/default/endpoints?limit=ten');
    assert.equal(bad.status, 400);
    assert.equal(status(bad).message, 'strconv.ParseInt: parsing "ten": invalid syntax');
    for (const limit of ['0', '-1']) {
      const res = await list(`/api/v1/namespaces/default/endpoints?limit=${limit}`);
      assert.equal(res.body.items.length, 2, limit);
      assert.equal(res.body.metadata.continue, undefined, limit);
    }
  });

  it('the raw answer keeps ListMeta\'s field order', async () => {
    for (const n of ['a', 'b']) await create(server, n);
    const res = await raw(server, 'GET', '/api/v1/namespaces/default/endpoints?limit=1', { authorization: `Bearer ${TOKEN}` });
    assert.match(res.text, /^\{"kind":"EndpointsList","apiVersion":"v1","metadata":\{"resourceVersion":"\d+","continue":"[A-Za-z0-9_-]+","remainingItemCount":1\},"items":\[/);
  });
});

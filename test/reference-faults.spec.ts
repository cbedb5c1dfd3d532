/**
 * Each named fault of the reference server changes behaviour as its catalogue entry says, and
 * only there: the same spot checks pass on every faulty server except where the fault is the point.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { faultCatalogue, isFaultName, type FaultName, type RunningReferenceServer } from '../reference-server/index.ts';
import { faultNames } from '../reference-server/faults.ts';
import { causes, epPath, get, put, raw, READONLY, start, status, TOKEN, uniqueName, validBody } from './reference-support.ts';

type Exposure = (server: RunningReferenceServer) => Promise<void>;

const loopback = (name: string) => ({ metadata: { name }, subsets: [{ addresses: [{ ip: '127.0.0.1' }] }] });
const rvOf = (res: { body: unknown }): unknown => (res.body as { metadata: { resourceVersion: unknown } }).metadata.resourceVersion;
const uidOf = (res: { body: unknown }): unknown => (res.body as { metadata: { uid: unknown } }).metadata.uid;

const exposures: Record<FaultName, Exposure> = {
  'accept-loopback-ip': async (s) => {
    for (const ip of ['127.0.0.1', '::1']) {
      const n = uniqueName();
      assert.equal((await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip }] }] })).status, 201, ip);
    }
  },
  'accept-link-local-ip': async (s) => {
    for (const ip of ['169.254.1.1', 'fe80::1']) {
      const n = uniqueName();
      assert.equal((await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip }] }] })).status, 201, ip);
    }
  },
  'accept-port-zero': async (s) => {
    for (const port of [0, undefined]) {
      const n = uniqueName();
      assert.equal((await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port }] }] })).status, 201);
    }
  },
  'accept-lowercase-protocol': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, protocol: 'tcp' }] }] });
    assert.equal(res.status, 201);
    assert.equal((res.body as { subsets: Array<{ ports: Array<{ protocol: string }> }> }).subsets[0].ports[0].protocol, 'tcp');
  },
  'accept-unnamed-ports': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1 }, { port: 2 }] }] })).status, 201);
  },
  'skip-not-ready-validation': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, { metadata: { name: n }, subsets: [{ notReadyAddresses: [{ ip: 'not-an-ip' }] }] })).status, 201);
    assert.equal((await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: 'not-an-ip' }] }] })).status, 422, 'addresses still validated');
  },
  'accept-bad-dry-run': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, validBody(n), { dryRun: 'all' })).status, 201);
    assert.equal((await get(s, epPath(n))).status, 200, 'processed (persisted) normally');
  },
  'accept-long-field-manager': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, validBody(n), { fieldManager: 'm'.repeat(129) })).status, 201);
  },
  'ignore-dry-run': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, validBody(n), { dryRun: 'All' })).status, 201);
    assert.equal((await get(s, epPath(n))).status, 200, 'persisted although dryRun=All');
  },
  'accept-name-mismatch': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, validBody('someone-else'));
    assert.equal(res.status, 201);
    assert.equal((res.body as { metadata: { name: string } }).metadata.name, n);
    assert.equal((await get(s, epPath(n))).status, 200);
  },
  'ignore-content-type': async (s) => {
    const n = uniqueName();
    const res = await raw(s, 'PUT', epPath(n), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, JSON.stringify(validBody(n)));
    assert.equal(res.status, 201);
  },
  'no-auth': async (s) => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
      const n = uniqueName();
      assert.equal((await raw(s, 'PUT', epPath(n), headers, JSON.stringify(validBody(n)))).status, 201);
    }
  },
  'readonly-can-write': async (s) => {
    const n = uniqueName();
    assert.equal((await raw(s, 'PUT', epPath(n), { authorization: `Bearer ${READONLY}` }, JSON.stringify(validBody(n)))).status, 201);
    assert.equal((await request(s.url).delete(epPath(n)).set('Authorization', `Bearer ${READONLY}`).ok(() => true)).status, 200);
  },
  'crash-on-bad-json': async (s) => {
    const res = await raw(s, 'PUT', epPath('x'), { authorization: `Bearer ${TOKEN}` }, '{"metadata":');
    assert.equal(res.status, 500);
    assert.equal(res.json().kind, 'Status');
    assert.equal(res.json().code, 500);
  },
  'never-bump-resource-version': async (s) => {
    const n = uniqueName();
    const rv = rvOf(await put(s, n, validBody(n)));
    const updated = await put(s, n, validBody(n, '10.0.0.2'));
    assert.equal(updated.status, 200);
    assert.equal(rvOf(updated), rv);
  },
  'bump-on-noop': async (s) => {
    const n = uniqueName();
    const rv = rvOf(await put(s, n, validBody(n)));
    assert.notEqual(rvOf(await put(s, n, validBody(n))), rv);
  },
  'create-returns-200': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, validBody(n))).status, 200);
  },
  'no-conflict-on-stale': async (s) => {
    const n = uniqueName();
    const rv = rvOf(await put(s, n, validBody(n)));
    await put(s, n, validBody(n, '10.0.0.2'));
    assert.equal((await put(s, n, { ...validBody(n, '10.0.0.3'), metadata: { name: n, resourceVersion: rv } })).status, 200);
  },
  'precondition-failed-on-stale': async (s) => {
    const n = uniqueName();
    const rv = rvOf(await put(s, n, validBody(n)));
    await put(s, n, validBody(n, '10.0.0.2'));
    const res = await put(s, n, { ...validBody(n, '10.0.0.3'), metadata: { name: n, resourceVersion: rv } });
    assert.equal(res.status, 412);
    assert.equal(status(res).code, 412);
  },
  'regenerate-uid-on-update': async (s) => {
    const n = uniqueName();
    const uid = uidOf(await put(s, n, validBody(n)));
    assert.notEqual(uidOf(await put(s, n, validBody(n, '10.0.0.2'))), uid);
  },
  'no-protocol-default': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
    assert.equal(res.status, 201);
    assert.deepEqual((res.body as { subsets: unknown }).subsets, [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]);
  },
  'drop-not-ready-addresses': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }] }] });
    assert.equal(res.status, 201);
    assert.deepEqual((res.body as { subsets: unknown }).subsets, [{ addresses: [{ ip: '10.0.0.1' }] }]);
    assert.deepEqual((await get(s, epPath(n))).body.subsets, [{ addresses: [{ ip: '10.0.0.1' }] }]);
  },
  'bad-request-instead-of-invalid': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, loopback(n));
    assert.equal(res.status, 400);
    assert.equal(status(res).reason, 'BadRequest');
    assert.equal(status(res).code, 400);
    assert.equal(status(res).details, undefined);
    assert.match(status(res).message, /is invalid: subsets\[0\]\.addresses\[0\]\.ip/);
  },
  'causes-without-indices': async (s) => {
    const n = uniqueName();
    assert.deepEqual(causes(await put(s, n, loopback(n))), [['subsets.addresses.ip', 'FieldValueInvalid']]);
  },
  'plain-text-errors': async (s) => {
    const n = uniqueName();
    const res = await raw(s, 'PUT', epPath(n), { authorization: `Bearer ${TOKEN}` }, JSON.stringify(loopback(n)));
    assert.equal(res.status, 422);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.text, /^Error: Endpoints ".*" is invalid: /);
  },
  'status-code-field-mismatch': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, loopback(n));
    assert.equal(res.status, 422);
    assert.equal(status(res).code, 500);
    const unauth = await raw(s, 'GET', epPath(n), {});
    assert.equal(unauth.status, 401);
    assert.equal(unauth.json().code, 500);
  },
  'numeric-resource-version': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, validBody(n));
    assert.equal(typeof rvOf(res), 'number');
    assert.equal(typeof rvOf(await get(s, epPath(n))), 'number');
  },
  'generic-reason': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, loopback(n));
    assert.equal(res.status, 422);
    assert.equal(status(res).reason, 'BadRequest');
    const unauth = await raw(s, 'GET', epPath(n), {});
    assert.equal(unauth.status, 401);
    assert.equal(unauth.json().reason, 'BadRequest');
  },
  'wrong-cause-type': async (s) => {
    const n = uniqueName();
    const res = await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, protocol: 'tcp' }, { port: 2, name: 'b' }] }] });
    assert.deepEqual(causes(res), [['subsets[0].ports[0].name', 'FieldValueInvalid'], ['subsets[0].ports[0].protocol', 'FieldValueInvalid']]);
  },
  'no-path-segment-check': async (s) => {
    const n = `${uniqueName()}%x`;
    const res = await raw(s, 'PUT', `/api/v1/namespaces/default/endpoints/${encodeURIComponent(n)}`, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, JSON.stringify(validBody(n)));
    assert.equal(res.status, 422);
  },
  'ignore-field-validation': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, { ...validBody(n), foo: 1 }, { fieldValidation: 'Strict' })).status, 201);
  },
  'reject-leading-zero-ip': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, validBody(n, '10.001.2.3'))).status, 422);
  },
  'accept-malformed-resource-version': async (s) => {
    const n = uniqueName();
    assert.equal((await put(s, n, { ...validBody(n), metadata: { name: n, resourceVersion: 'abc' } })).status, 201);
  },
};

/** Status-code spot checks; each lists the faults that legitimately change its answer. */
const spotChecks: Array<{ what: string; changedBy: FaultName[]; run: (s: RunningReferenceServer) => Promise<number>; expect: number }> = [
  { what: 'valid create → 201', changedBy: ['create-returns-200'], expect: 201, run: async (s) => { const n = uniqueName(); return (await put(s, n, validBody(n))).status; } },
  { what: 'valid replace → 200', changedBy: [], expect: 200, run: async (s) => { const n = uniqueName(); await put(s, n, validBody(n)); return (await put(s, n, validBody(n, '10.0.0.2'))).status; } },
  { what: 'loopback ip → 422', changedBy: ['accept-loopback-ip', 'bad-request-instead-of-invalid'], expect: 422, run: async (s) => { const n = uniqueName(); return (await put(s, n, loopback(n))).status; } },
  { what: 'port 0 → 422', changedBy: ['accept-port-zero', 'bad-request-instead-of-invalid'], expect: 422, run: async (s) => { const n = uniqueName(); return (await put(s, n, { metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 0 }] }] })).status; } },
  { what: 'no credentials → 401', changedBy: ['no-auth'], expect: 401, run: async (s) => (await raw(s, 'PUT', epPath('x'), {}, '{}')).status },
  { what: 'read-only write → 403', changedBy: ['readonly-can-write'], expect: 403, run: async (s) => { const n = uniqueName(); return (await raw(s, 'PUT', epPath(n), { authorization: `Bearer ${READONLY}` }, JSON.stringify(validBody(n)))).status; } },
  { what: 'text/plain → 415', changedBy: ['ignore-content-type'], expect: 415, run: async (s) => (await raw(s, 'PUT', epPath('x'), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, '{}')).status },
  { what: 'truncated JSON → 400', changedBy: ['crash-on-bad-json'], expect: 400, run: async (s) => (await raw(s, 'PUT', epPath('x'), { authorization: `Bearer ${TOKEN}` }, '{')).status },
  { what: 'name mismatch → 400', changedBy: ['accept-name-mismatch'], expect: 400, run: async (s) => (await put(s, uniqueName(), validBody('other'))).status },
  { what: 'dryRun=all → 422', changedBy: ['accept-bad-dry-run', 'bad-request-instead-of-invalid'], expect: 422, run: async (s) => (await put(s, 'x', validBody('x'), { dryRun: 'all' })).status },
  { what: 'stale resourceVersion → 409', changedBy: ['no-conflict-on-stale', 'precondition-failed-on-stale', 'never-bump-resource-version'], expect: 409, run: async (s) => {
    const n = uniqueName();
    const rv = rvOf(await put(s, n, validBody(n)));
    await put(s, n, validBody(n, '10.0.0.2'));
    return (await put(s, n, { ...validBody(n, '10.0.0.3'), metadata: { name: n, resourceVersion: String(rv) } })).status;
  } },
];

describe('reference server: named faults', () => {
  it('the catalogue documents every fault exactly once, each with all fields', () => {
    assert.deepEqual(faultCatalogue.map((f) => f.name), [...faultNames]);
    for (const f of faultCatalogue) {
      assert.ok(['validation', 'request-handling', 'semantics', 'error-shape'].includes(f.kind), f.name);
      for (const field of [f.description, f.smallestExposingRequest, f.caughtBy]) assert.ok(field.length > 10, f.name);
      assert.match(f.smallestExposingRequest, /^(PUT|GET) /, f.name);
      assert.match(f.caughtBy, /^[a-z_]+$/, f.name);
    }
    assert.ok(isFaultName('accept-port-zero'));
    assert.ok(!isFaultName('accept-everything'));
  });

  it('every catalogued fault has an exposure test here', () => {
    assert.deepEqual(Object.keys(exposures).sort(), [...faultNames].sort());
  });

  it('the fault-free server passes the spot checks and none of the exposures', async () => {
    const s = await start();
    try {
      for (const c of spotChecks) assert.equal(await c.run(s), c.expect, c.what);
      for (const name of faultNames) {
        await assert.rejects(exposures[name](s), assert.AssertionError, `${name} exposure must fail on a correct server`);
      }
    } finally { await s.close(); }
  });

  for (const f of faultCatalogue) {
    describe(f.name, () => {
      let s: RunningReferenceServer;
      before(async () => { s = await start({ faults: [f.name] }); });
      after(async () => { await s.close(); });
      it(`changes behaviour: ${f.description}`, async () => {
        assert.deepEqual(s.faults, [f.name]);
        await exposures[f.name](s);
      });
      it('everything else stays correct (status spot checks)', async () => {
        for (const c of spotChecks) {
          if (c.changedBy.includes(f.name)) continue;
          assert.equal(await c.run(s), c.expect, c.what);
        }
      });
    });
  }
});

/**
 * The reference server and the release table: the URL-name path-segment rule (every release, PUT,
 * GET and DELETE, kube-apiserver's messages as measured against v1.20.2), and --kubernetes-version
 * 1.20 emulating the table's 1.20 rows while the default stays current.
 */
import assert from 'node:assert/strict';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { emulatedVersion } from '../reference-server/emulatedRelease.ts';
import { causes, deprecation, get, put, raw, start, status, TOKEN, uniqueName, validBody, warnings } from './reference-support.ts';

const json = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

describe('reference server: the URL name must be a usable path segment (every release)', () => {
  let server: RunningReferenceServer;
  before(async () => { server = await start(); });
  after(async () => { await server.close(); });

  const cases: Array<[string, string, string]> = [
    ['a%25b', 'a%b', `Name parameter invalid: "a%b": may not contain '%'`],
    ['%2E', '.', `Name parameter invalid: ".": may not be '.'`],
    ['..', '..', `Name parameter invalid: "..": may not be '..'`],
    ['x%252Fy', 'x%2Fy', `Name parameter invalid: "x%2Fy": may not contain '%'`],
  ];
  for (const [encoded, name, message] of cases) {
    it(`${JSON.stringify(name)}: 400 BadRequest on PUT, GET and DELETE, before validation`, async () => {
      const path = `/api/v1/namespaces/default/endpoints/${encoded}`;
      for (const [method, body] of [['PUT', JSON.stringify(validBody(name))], ['GET', undefined], ['DELETE', undefined]] as const) {
        const res = await raw(server, method, path, json, body);
        assert.equal(res.status, 400, `${method} ${path}`);
        assert.equal(res.json().reason, 'BadRequest');
        assert.equal(res.json().message, message, method);
      }
    });
  }

  it('an encoded "/" makes the decoded path one segment too long: 404 NotFound (as kube-apiserver)', async () => {
    const res = await raw(server, 'PUT', '/api/v1/namespaces/default/endpoints/a%2Fb', json, JSON.stringify(validBody('a/b')));
    assert.equal(res.status, 404);
    assert.equal(res.json().reason, 'NotFound');
  });

  it('a bad dryRun is still a 422 first (UpdateOptions come before the store)', async () => {
    const res = await raw(server, 'PUT', '/api/v1/namespaces/default/endpoints/a%25b?dryRun=x', json, JSON.stringify(validBody('a%b')));
    assert.equal(res.status, 422);
  });
});

describe('reference server: --kubernetes-version 1.20 emulates the table\'s 1.20 rows', () => {
  let old: RunningReferenceServer;
  let current: RunningReferenceServer;
  before(async () => {
    old = await start({ version: emulatedVersion({ major: 1, minor: 20 }) });
    current = await start();
  });
  after(async () => { await old.close(); await current.close(); });

  it('/version says v1.20.2; the default says the current release', async () => {
    assert.equal((await get(old, '/version')).body.gitVersion, 'v1.20.2');
    assert.equal((await get(current, '/version')).body.minor, '35');
  });

  it('fieldValidation: ignored on 1.20 (any value, unknown fields dropped silently), honoured by default', async () => {
    const n = uniqueName();
    const res = await put(old, n, { ...validBody(n), foo: 1 }, { fieldValidation: 'Strict' });
    assert.equal(res.status, 201);
    assert.deepEqual(warnings(res), []);
    assert.equal((await put(old, uniqueName('b'), validBody('x'), { fieldValidation: 'bogus' })).status, 400, 'name mismatch still checked');
    const m = uniqueName();
    assert.equal((await put(old, m, validBody(m), { fieldValidation: 'bogus' })).status, 201);
    const c = uniqueName();
    assert.equal((await put(current, c, { ...validBody(c), foo: 1 }, { fieldValidation: 'Strict' })).status, 400);
    assert.equal((await put(current, c, validBody(c), { fieldValidation: 'bogus' })).status, 422);
  });

  it('OpenAPI: 1.20 serves no v3 and a v2 without fieldValidation; the default serves both with it', async () => {
    assert.equal((await get(old, '/openapi/v3')).status, 404);
    const v2 = JSON.stringify((await get(old, '/openapi/v2')).body);
    assert.ok(v2.includes('"dryRun"') && !v2.includes('fieldValidation'));
    assert.ok(JSON.stringify((await get(current, '/openapi/v3/api/v1')).body).includes('fieldValidation'));
    assert.ok(JSON.stringify((await get(current, '/openapi/v2')).body).includes('fieldValidation'));
  });

  it('IPv4 leading zeros: 422 on 1.20 (Go >= 1.17 parser, as the measured build), 201 by default', async () => {
    const n = uniqueName();
    const rejected = await put(old, n, validBody(n, '10.001.2.3'));
    assert.equal(rejected.status, 422);
    assert.deepEqual([...new Set(causes(rejected).map((c) => c.join(' ')))], ['subsets[0].addresses[0].ip FieldValueInvalid']);
    assert.equal((await put(old, uniqueName(), { metadata: { name: 'y' } })).status, 400);
    const m = uniqueName();
    assert.equal((await put(old, m, validBody(m, '::ffff:10.1.2.3'))).status, 201, 'IPv4-mapped IPv6 parses in Go 1.19');
    const c = uniqueName();
    assert.equal((await put(current, c, validBody(c, '10.001.2.3'))).status, 201);
  });

  it('name and namespace both differ: 1.20 reports the name, the default the namespace', async () => {
    const n = uniqueName();
    const body = { ...validBody('other'), metadata: { name: 'other', namespace: 'conformance' } };
    assert.match(status(await put(old, n, body)).message, /^the name of the object \(other\) does not match the name on the URL/);
    assert.match(status(await put(current, n, body)).message, /^the namespace of the provided object does not match/);
  });

  it('no deprecation warning on 1.20; the default (1.35) sends it', async () => {
    const n = uniqueName();
    assert.deepEqual(warnings(await put(old, n, validBody(n))), []);
    const c = uniqueName();
    assert.ok(warnings(await put(current, c, validBody(c))).includes(deprecation));
  });
});

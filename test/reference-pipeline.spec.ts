/**
 * The reference server's request pipeline (rules note §1-§3): auth, Accept, body limit,
 * UpdateOptions, Content-Type, decoding, strict fields, namespace/name checks, and their order.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { causes, deprecation, epPath, put, raw, READONLY, start, status, TOKEN, uniqueName, validBody, warnings } from './reference-support.ts';

describe('reference server: request pipeline', () => {
  let server: RunningReferenceServer;
  before(async () => { server = await start({ updateOnlyTokens: ['update-only-token'] }); });
  after(async () => { await server.close(); });

  describe('authentication and authorization (R2, R3, R4)', () => {
    it('no credentials → 401 Unauthorized Status without the deprecation warning', async () => {
      const res = await raw(server, 'PUT', epPath('a'), { 'content-type': 'application/json' }, JSON.stringify(validBody('a')));
      assert.equal(res.status, 401);
      assert.equal(res.headers['content-type'], 'application/json');
      const s = res.json();
      assert.deepEqual([s.kind, s.apiVersion, s.status, s.message, s.reason, s.code], ['Status', 'v1', 'Failure', 'Unauthorized', 'Unauthorized', 401]);
      assert.equal(res.headers.warning, undefined);
    });
    it('a wrong bearer token and a wrong X-Auth-Token → 401', async () => {
      for (const h of [{ authorization: 'Bearer nope' }, { 'x-auth-token': 'nope' }] as Array<Record<string, string>>) {
        const res = await raw(server, 'PUT', epPath('a'), h, JSON.stringify(validBody('a')));
        assert.equal(res.status, 401);
      }
    });
    it('the Authorization header is read as the apiserver\'s bearertoken authenticator reads it', async () => {
      // Trimmed, split on single spaces, scheme in any case, the token the second part.
      const cases: Array<[string, number]> = [
        [`Bearer ${TOKEN}`, 201], [`bearer ${TOKEN}`, 201], [`BEARER ${TOKEN}`, 201], [` Bearer ${TOKEN} `, 201],
        [`Bearer ${TOKEN} trailing words`, 201],
        [`Bearer  ${TOKEN}`, 401], [`Bearer\t${TOKEN}`, 401], [`Bearer ${TOKEN}x`, 401], ['Bearer', 401], [`Basic ${TOKEN}`, 401], [TOKEN, 401],
      ];
      for (const [authorization, expected] of cases) {
        const name = uniqueName();
        const res = await raw(server, 'PUT', epPath(name), { authorization }, JSON.stringify(validBody(name)));
        assert.equal(res.status, expected, JSON.stringify(authorization));
      }
    });
    it('X-Auth-Token (vendor) works like Authorization: Bearer', async () => {
      const name = uniqueName();
      const res = await raw(server, 'PUT', epPath(name), { 'x-auth-token': TOKEN, 'content-type': 'application/json' }, JSON.stringify(validBody(name)));
      assert.equal(res.status, 201);
    });
    it('the read-only token may read but a write → 403 Forbidden naming the user and verb (R3)', async () => {
      const name = uniqueName();
      const res = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${READONLY}` }, JSON.stringify(validBody(name)));
      assert.equal(res.status, 403);
      const s = res.json();
      assert.equal(s.reason, 'Forbidden');
      assert.equal(s.message, `endpoints "${name}" is forbidden: User "readonly" cannot update resource "endpoints" in API group "" in the namespace "default"`);
      assert.deepEqual(s.details, { name, kind: 'endpoints' });
      assert.equal(res.headers.warning, undefined);
      const read = await raw(server, 'GET', epPath(name), { authorization: `Bearer ${READONLY}` });
      assert.equal(read.status, 404);
    });
    it('an update-only identity creating → 403 create, after validation (R4: a 422 wins)', async () => {
      const name = uniqueName();
      const h = { authorization: 'Bearer update-only-token', 'content-type': 'application/json' };
      const created = await raw(server, 'PUT', epPath(name), h, JSON.stringify(validBody(name)));
      assert.equal(created.status, 403);
      assert.match(created.json().message, /cannot create resource "endpoints"/);
      assert.ok(warnings(created).includes(deprecation), 'raised inside the handler: carries the deprecation warning');
      const invalid = await raw(server, 'PUT', epPath(name), h, JSON.stringify(validBody(name, '127.0.0.1')));
      assert.equal(invalid.status, 422);
      await put(server, name, validBody(name));
      const updated = await raw(server, 'PUT', epPath(name), h, JSON.stringify(validBody(name, '10.9.9.9')));
      assert.equal(updated.status, 200);
    });
  });

  describe('Accept (R5) and body size (R6)', () => {
    it('Accept: text/html → 406 NotAcceptable, checked before the body', async () => {
      const res = await raw(server, 'PUT', epPath('a'), { authorization: `Bearer ${TOKEN}`, accept: 'text/html' }, '{not json');
      assert.equal(res.status, 406);
      const s = res.json();
      assert.equal(s.reason, 'NotAcceptable');
      assert.equal(s.message, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
    });
    it('Accept media types are case-sensitive; */* and application/* are fine', async () => {
      const name = uniqueName();
      assert.equal((await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}`, accept: 'APPLICATION/JSON' }, JSON.stringify(validBody(name)))).status, 406);
      assert.equal((await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}`, accept: 'text/html, */*;q=0.8' }, JSON.stringify(validBody(name)))).status, 201);
      assert.equal((await raw(server, 'GET', epPath(name), { authorization: `Bearer ${TOKEN}`, accept: 'application/*' })).status, 200);
    });
    it('Accept: application/yaml answers YAML', async () => {
      const name = uniqueName();
      const res = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}`, accept: 'application/yaml' }, JSON.stringify(validBody(name)));
      assert.equal(res.status, 201);
      assert.equal(res.headers['content-type'], 'application/yaml');
      assert.match(res.text, /^kind: Endpoints$/m);
    });
    it('a body over 3 MiB → 413 RequestEntityTooLarge; exactly at the limit it is parsed', async () => {
      const big = '{"metadata":{"name":"a"},"x":"' + 'a'.repeat(3 * 1024 * 1024) + '"}';
      const res = await raw(server, 'PUT', epPath('a'), { authorization: `Bearer ${TOKEN}` }, big);
      assert.equal(res.status, 413);
      assert.equal(res.json().message, 'Request entity too large: limit is 3145728');
      assert.equal(res.json().reason, 'RequestEntityTooLarge');
      const name = uniqueName();
      const base = JSON.stringify(validBody(name));
      const padded = base.slice(0, -1) + ',"pad":"' + 'b'.repeat(3145728 - base.length - 9) + '"}';
      assert.equal(Buffer.byteLength(padded), 3145728);
      const atLimit = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}` }, padded);
      assert.equal(atLimit.status, 201);
    });
  });

  describe('UpdateOptions (R7-R12)', () => {
    it('dryRun=all → 422 on UpdateOptions, value rendered as a JSON list (≥1.34)', async () => {
      const res = await put(server, 'a', validBody('a'), { dryRun: 'all' });
      assert.equal(res.status, 422);
      const s = status(res);
      assert.equal(s.message, 'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["all"]: supported values: "All"');
      assert.deepEqual(s.details, { group: 'meta.k8s.io', kind: 'UpdateOptions', causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: ["all"]: supported values: "All"', field: 'dryRun' }] });
    });
    it('dryRun lists: All&dryRun=x and an empty ?dryRun are refused, All&All accepted', async () => {
      const r1 = await request(server.url).put(`${epPath('a')}?dryRun=All&dryRun=x`).set('Authorization', `Bearer ${TOKEN}`).set('Content-Type', 'application/json').send(JSON.stringify(validBody('a')));
      assert.equal(r1.status, 422);
      assert.match(status(r1).message, /Unsupported value: \["All","x"\]/);
      const r2 = await request(server.url).put(`${epPath('a')}?dryRun`).set('Authorization', `Bearer ${TOKEN}`).set('Content-Type', 'application/json').send(JSON.stringify(validBody('a')));
      assert.equal(r2.status, 422);
      assert.match(status(r2).message, /Unsupported value: \[""\]/);
      const name = uniqueName();
      const r3 = await request(server.url).put(`${epPath(name)}?dryRun=All&dryRun=All`).set('Authorization', `Bearer ${TOKEN}`).set('Content-Type', 'application/json').send(JSON.stringify(validBody(name)));
      assert.equal(r3.status, 201);
    });
    it('≤1.33 renders the dryRun list in Go syntax', async () => {
      const old = await start({ version: { major: '1', minor: '33', gitVersion: 'v1.33.0' } });
      try {
        const res = await put(old, 'a', validBody('a'), { dryRun: 'all' });
        assert.match(status(res).message, /dryRun: Unsupported value: \[\]string\{"all"\}/);
      } finally { await old.close(); }
    });
    it('fieldManager of 128 bytes is fine, 129 → 422 TooLong', async () => {
      const name = uniqueName();
      assert.equal((await put(server, name, validBody(name), { fieldManager: 'm'.repeat(128) })).status, 201);
      const res = await put(server, name, validBody(name), { fieldManager: 'm'.repeat(129) });
      assert.equal(res.status, 422);
      assert.equal(status(res).message, 'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
      assert.deepEqual(causes(res), [['fieldManager', 'FieldValueTooLong']]);
    });
    it('fieldManager with a tab → 422 Invalid with the rune and byte position', async () => {
      const res = await put(server, 'a', validBody('a'), { fieldManager: 'a\tb' });
      assert.equal(res.status, 422);
      assert.equal(status(res).details?.causes?.[0].message, 'Invalid value: "a\\tb": invalid character U+0009 (at position 1)');
    });
    it('fieldValidation is case-sensitive: strict → 422 listing the supported values', async () => {
      const res = await put(server, 'a', validBody('a'), { fieldValidation: 'strict' });
      assert.equal(res.status, 422);
      assert.equal(status(res).message, 'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"');
    });
    it('several UpdateOptions problems → one 422 with causes in order fieldManager, dryRun, fieldValidation', async () => {
      const res = await put(server, 'a', validBody('a'), { fieldManager: 'x'.repeat(200), dryRun: 'true', fieldValidation: 'x' });
      assert.deepEqual(causes(res), [['fieldManager', 'FieldValueTooLong'], ['dryRun', 'FieldValueNotSupported'], ['fieldValidation', 'FieldValueNotSupported']]);
    });
    it('unknown query parameters are ignored; an unparsable ?timeout is a 400 before authentication (R13)', async () => {
      const name = uniqueName();
      assert.equal((await put(server, name, validBody(name), { foo: 'bar', resourceVersion: 'x' })).status, 201);
      const res = await raw(server, 'PUT', `${epPath('a')}?timeout=x`, {});
      assert.equal(res.status, 400);
      assert.equal(res.json().message, 'invalid timeout specified in the request URL - time: invalid duration "x"');
      assert.equal((await put(server, name, validBody(name), { timeout: '5s' })).status, 200);
    });
  });

  describe('Content-Type (R15-R17)', () => {
    const sendWith = (name: string, contentType: string | undefined, body: string) =>
      raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}`, ...(contentType === undefined ? {} : { 'content-type': contentType }) }, body);
    it('missing Content-Type is JSON; parameters ignored; media type case-insensitive', async () => {
      for (const ct of [undefined, 'application/json; charset=utf-8', 'APPLICATION/JSON']) {
        const name = uniqueName();
        assert.equal((await sendWith(name, ct, JSON.stringify(validBody(name)))).status, 201, String(ct));
      }
    });
    it('application/yaml bodies are decoded', async () => {
      const name = uniqueName();
      const yaml = `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ${name}\nsubsets:\n- addresses:\n  - ip: 10.1.2.3\n  ports:\n  - port: 8080\n`;
      const res = await sendWith(name, 'application/yaml', yaml);
      assert.equal(res.status, 201);
      assert.deepEqual((res.json() as unknown as { subsets: unknown }).subsets, [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    });
    it('other media types → 415 UnsupportedMediaType', async () => {
      for (const ct of ['text/plain', 'application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml', 'application/cbor', 'garbage', 'application/json; =x']) {
        const res = await sendWith('a', ct, JSON.stringify(validBody('a')));
        assert.equal(res.status, 415, ct);
        assert.equal(res.json().message, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
      }
    });
    it('protobuf bodies are refused with 415 (this server cannot decode protobuf; documented deviation)', async () => {
      assert.equal((await sendWith('a', 'application/vnd.kubernetes.protobuf', 'k8s\x00')).status, 415);
    });
  });

  describe('decoding (R18-R27)', () => {
    const send = (body: string, query = '') => raw(server, 'PUT', epPath('a') + query, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body);
    it('truncated JSON → 400 with Go\'s parse error and the body summary', async () => {
      const res = await send('{"metadata":');
      assert.equal(res.status, 400);
      assert.equal(res.json().message, 'the object provided is unrecognized (must be of type Endpoints): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"metadata":)');
    });
    it('garbage, empty, array and scalar bodies → 400 couldn\'t get version/kind', async () => {
      assert.equal((await send('nope')).json().message, "the object provided is unrecognized (must be of type Endpoints): couldn't get version/kind; json parse error: invalid character 'o' in literal null (expecting 'u') (6e6f7065)");
      assert.equal((await send('')).json().message, "the object provided is unrecognized (must be of type Endpoints): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)");
      assert.match((await send('[1]')).json().message, /json: cannot unmarshal array into Go value of type struct \{ APIVersion string/);
      assert.match((await send('"x"')).json().message, /json: cannot unmarshal string into Go value/);
      const long = '{"metadata":{"name":"a"}, "x": 1,}';
      assert.equal((await send(long)).json().message, `the object provided is unrecognized (must be of type Endpoints): couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string (${long.slice(0, 30)} ...)`);
    });
    it('apiVersion a/b/c → 400 unexpected GroupVersion string (R19)', async () => {
      assert.match((await send('{"apiVersion":"a/b/c","metadata":{"name":"a"}}')).json().message, /^the object provided is unrecognized \(must be of type Endpoints\): unexpected GroupVersion string: a\/b\/c \(/);
    });
    it('kind or apiVersion omitted are defaulted (R20)', async () => {
      for (const b of [{ kind: 'Endpoints' }, { apiVersion: 'v1' }, {}]) {
        const name = uniqueName();
        const res = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}` }, JSON.stringify({ ...b, metadata: { name } }));
        assert.equal(res.status, 201, JSON.stringify(b));
      }
    });
    it('another registered kind → 400 unknown conversion (R21); unregistered → not registered (R22)', async () => {
      assert.equal((await send('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}')).json().message, 'Pod in version "v1" cannot be handled as a Endpoints: converting (v1.Pod) to (core.Endpoints): unknown conversion');
      assert.equal((await send('{"apiVersion":"v2","kind":"Endpoints","metadata":{"name":"a"}}')).json().message, 'Endpoints in version "v2" cannot be handled as a Endpoints: no kind "Endpoints" is registered for version "v2" in scheme "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30"');
      assert.match((await send('{"apiVersion":"apps/v1","kind":"Endpoints"}')).json().message, /no kind "Endpoints" is registered for version "apps\/v1"/);
    });
    it('wrong Go field types → 400 json: cannot unmarshal (R23)', async () => {
      const cases: Array<[string, RegExp]> = [
        ['{"metadata":{"name":"a"},"subsets":"x"}', /cannot unmarshal string into Go struct field Endpoints\.subsets of type \[\]v1\.EndpointSubset$/],
        ['{"metadata":{"name":"a"},"subsets":[{"ports":[{"port":"80"}]}]}', /cannot unmarshal string into Go struct field EndpointPort\.subsets\.ports\.port of type int32$/],
        ['{"metadata":{"name":"a"},"subsets":[{"ports":[{"port":2147483648}]}]}', /cannot unmarshal number 2147483648 into Go struct field EndpointPort\.subsets\.ports\.port of type int32$/],
        ['{"metadata":{"name":"a"},"subsets":[{"ports":[{"port":80.5}]}]}', /cannot unmarshal number 80\.5 into Go struct field/],
        ['{"metadata":{"name":"a","labels":[]}}', /cannot unmarshal array into Go struct field ObjectMeta\.metadata\.labels of type map\[string\]string$/],
        ['{"metadata":{"name":"a","labels":{"a":1}}}', /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.labels of type string$/],
        ['{"metadata":{"name":1}}', /cannot unmarshal number into Go struct field ObjectMeta\.metadata\.name of type string$/],
        ['{"metadata":{"name":"a","creationTimestamp":"yesterday"}}', /parsing time "yesterday"/],
        ['{"metadata":"a"}', /cannot unmarshal string into Go struct field Endpoints\.metadata of type v1\.ObjectMeta$/],
      ];
      for (const [body, re] of cases) {
        const res = await send(body);
        assert.equal(res.status, 400, body);
        assert.match(res.json().message, /^Endpoints in version "v1" cannot be handled as a Endpoints: /);
        assert.match(res.json().message, re, body);
      }
    });
    it('null values decode to Go zero values (null port → 0 → 422, null subsets → valid)', async () => {
      assert.equal((await send('{"metadata":{"name":"a"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":null}]}]}')).status, 422);
      const name = uniqueName();
      const res = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}` }, `{"metadata":{"name":"${name}","labels":null},"subsets":null}`);
      assert.equal(res.status, 201);
    });
    it('unknown and duplicate fields: Warn (default) → Warning headers and success (R24)', async () => {
      const name = uniqueName();
      const body = `{"metadata":{"name":"${name}","name":"${name}"},"spec":1,"subsets":[{"addresses":[{"ip":"10.0.0.1","foo":1}]}]}`;
      const res = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}` }, body);
      assert.equal(res.status, 201);
      const w = warnings(res);
      assert.ok(w.includes('299 - "unknown field \\"spec\\""'), w.join('|'));
      assert.ok(w.includes('299 - "unknown field \\"subsets[0].addresses[0].foo\\""'), w.join('|'));
      assert.ok(w.includes('299 - "duplicate field \\"metadata.name\\""'), w.join('|'));
      assert.equal(w[0], deprecation);
    });
    it('Strict → 400 listing every problem (R25); Ignore → silent (R26)', async () => {
      const body = '{"metadata":{"name":"a"},"spec":1,"status":{}}';
      const strict = await send(body, '?fieldValidation=Strict');
      assert.equal(strict.status, 400);
      assert.equal(strict.json().message, 'Endpoints in version "v1" cannot be handled as a Endpoints: strict decoding error: unknown field "spec", unknown field "status"');
      const name = uniqueName();
      const ignore = await raw(server, 'PUT', epPath(name) + '?fieldValidation=Ignore', { authorization: `Bearer ${TOKEN}` }, body.replace('"a"', `"${name}"`));
      assert.equal(ignore.status, 201);
      assert.deepEqual(warnings(ignore), [deprecation]);
    });
    it('number literals: 80.0 and 8e1 are not int32 (400) even though JSON.parse reads them as 80', async () => {
      for (const port of ['80.0', '8e1']) {
        const res = await send(`{"metadata":{"name":"a"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":${port}}]}]}`);
        assert.equal(res.status, 400, port);
        assert.match(res.json().message, new RegExp(`cannot unmarshal number ${port} into Go struct field EndpointPort\\.subsets\\.ports\\.port of type int32`));
      }
    });
    it('"__proto__" is an ordinary key: as a label it is refused (422), as a field it is unknown', async () => {
      const res = await send('{"metadata":{"name":"a","labels":{"__proto__":"v"}}}');
      assert.equal(res.status, 422);
      assert.deepEqual(res.json().details?.causes?.map((c) => c.field), ['metadata.labels']);
      const strict = await send('{"metadata":{"name":"a"},"__proto__":{}}', '?fieldValidation=Strict');
      assert.match(strict.json().message, /unknown field "__proto__"/);
    });
    it('duplicates are found however the JSON is spaced', async () => {
      const strict = await send('{"metadata" : {"name":"a"}, "metadata":{"name":"a"}}', '?fieldValidation=Strict');
      assert.equal(strict.json().message, 'Endpoints in version "v1" cannot be handled as a Endpoints: strict decoding error: duplicate field "metadata"');
    });
    it('duplicates: the last value wins', async () => {
      const name = uniqueName();
      const res = await raw(server, 'PUT', epPath(name), { authorization: `Bearer ${TOKEN}` }, `{"metadata":{"name":"${name}","labels":{"a":"1"},"labels":{"b":"2"}}}`);
      assert.deepEqual((res.json() as unknown as { metadata: { labels: unknown } }).metadata.labels, { b: '2' });
    });
  });

  describe('namespace and name checks (M1-M5)', () => {
    it('body namespace ≠ URL namespace → 400, checked before the name', async () => {
      const res = await put(server, 'a', { metadata: { name: 'b', namespace: 'other' } });
      assert.equal(res.status, 400);
      assert.equal(status(res).message, 'the namespace of the provided object does not match the namespace sent on the request');
    });
    it('name mismatch → 400; missing name → 400 undeterminable', async () => {
      const res = await put(server, 'a', { metadata: { name: 'b' } });
      assert.equal(status(res).message, 'the name of the object (b) does not match the name on the URL (a)');
      const res2 = await put(server, 'a', { subsets: [] });
      assert.equal(status(res2).message, 'the name of the object (a based on URL) was undeterminable: name must be provided');
    });
    it('missing body namespace is filled from the URL', async () => {
      const name = uniqueName();
      const res = await put(server, name, validBody(name), {}, 'conformance');
      assert.equal((res.body as { metadata: { namespace: string } }).metadata.namespace, 'conformance');
    });
    it('unknown namespace → 404 namespaces "x" not found, before validation (M5)', async () => {
      const res = await put(server, 'Bad_Name', validBody('Bad_Name', '127.0.0.1'), {}, 'nowhere');
      assert.equal(res.status, 404);
      assert.deepEqual(status(res), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespaces "nowhere" not found', reason: 'NotFound', details: { name: 'nowhere', kind: 'namespaces' }, code: 404 });
    });
  });

  describe('pipeline order', () => {
    it('bad dryRun + bad Content-Type → 422 UpdateOptions (options before media type)', async () => {
      const res = await raw(server, 'PUT', `${epPath('a')}?dryRun=x`, { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, 'garbage');
      assert.equal(res.status, 422);
      assert.equal(res.json().details?.kind, 'UpdateOptions');
    });
    it('bad Content-Type + unparsable body → 415', async () => {
      assert.equal((await raw(server, 'PUT', epPath('a'), { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, '{')).status, 415);
    });
    it('no credentials + everything else wrong → 401; read-only + bad Accept → 403', async () => {
      assert.equal((await raw(server, 'PUT', `${epPath('a')}?dryRun=x`, { accept: 'text/html', 'content-type': 'text/plain' }, '{')).status, 401);
      assert.equal((await raw(server, 'PUT', epPath('a'), { authorization: `Bearer ${READONLY}`, accept: 'text/html' }, '{')).status, 403);
    });
    it('Accept 406 before the 413 body limit', async () => {
      assert.equal((await raw(server, 'PUT', epPath('a'), { authorization: `Bearer ${TOKEN}`, accept: 'text/html' }, 'x'.repeat(3145729))).status, 406);
    });
    it('name mismatch (400) before validation (422); uid precondition (409) before validation', async () => {
      assert.equal((await put(server, 'a', validBody('b', '127.0.0.1'))).status, 400);
      const res = await put(server, uniqueName(), { metadata: { name: 'x', uid: 'u' } });
      assert.equal(res.status, 400);
      const name = uniqueName();
      const res2 = await put(server, name, { metadata: { name, uid: 'some-uid' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }] }] });
      assert.equal(res2.status, 409);
    });
    it('malformed resourceVersion → 500 with the raw ParseUint error (M17)', async () => {
      const name = uniqueName();
      const res = await put(server, name, { metadata: { name, resourceVersion: 'abc' } });
      assert.equal(res.status, 500);
      assert.deepEqual(status(res), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'strconv.ParseUint: parsing "abc": invalid syntax', code: 500 });
      for (const rv of ['-1', '1.0', ' 1', '18446744073709551616']) assert.equal((await put(server, name, { metadata: { name, resourceVersion: rv } })).status, 500, rv);
    });
    it('handler responses carry the deprecation warning (errors too)', async () => {
      for (const res of [await put(server, 'a', { metadata: { name: 'b' } }), await put(server, 'a', validBody('a'), { dryRun: 'x' })]) {
        assert.ok(warnings(res).includes(deprecation));
      }
    });
    it('≤1.32 servers send no deprecation warning', async () => {
      const old = await start({ version: { major: '1', minor: '32', gitVersion: 'v1.32.4' } });
      try {
        const name = uniqueName();
        const res = await put(old, name, validBody(name));
        assert.equal(res.status, 201);
        assert.equal(res.headers.warning, undefined);
      } finally { await old.close(); }
    });
  });
});

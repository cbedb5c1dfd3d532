/**
 * Object validation of the reference server: metadata rows (M7-M29) and subset rows (S1-S27) of
 * the rules note — exact field paths, cause types, messages and order.
 */
import assert from 'node:assert/strict';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { bodyWithSubsets, causes, put, start, status, uniqueName, validBody, warnings } from './reference-support.ts';

const ok = [{ addresses: [{ ip: '10.0.0.1' }] }];

describe('reference server: object validation', () => {
  let server: RunningReferenceServer;
  before(async () => { server = await start(); });
  after(async () => { await server.close(); });

  const create = (subsets: unknown, meta: Record<string, unknown> = {}, name = uniqueName()) => put(server, name, bodyWithSubsets(name, subsets, meta));

  describe('subsets', () => {
    it('S1/S3/S4: empty, absent or null subsets, headless (no ports), only notReadyAddresses are valid', async () => {
      for (const subsets of [[], undefined, null, [{ addresses: [{ ip: '10.0.0.1' }] }], [{ notReadyAddresses: [{ ip: '10.0.0.2' }] }]]) {
        assert.equal((await create(subsets)).status, 201, JSON.stringify(subsets));
      }
    });
    it('S2: a subset with neither addresses nor notReadyAddresses → Required on subsets[i]', async () => {
      const res = await create([{ addresses: [{ ip: '10.0.0.1' }] }, { ports: [{ port: 80 }] }]);
      assert.equal(res.status, 422);
      assert.deepEqual(status(res).details?.causes, [{ reason: 'FieldValueRequired', message: 'Required value: must specify `addresses` or `notReadyAddresses`', field: 'subsets[1]' }]);
    });
    it('S5: a bad ip gives TWO causes on the same field, in order', async () => {
      for (const ip of ['', 'garbage', 'example.com', '1.2.3.0/24', '1.2.3.4:80', '[::1]', 'fe80::1%eth0', '256.1.1.1', '1.2.3', '::1::', ' 1.2.3.4']) {
        const res = await create([{ addresses: [{ ip: '10.0.0.1' }, { ip }] }]);
        assert.equal(res.status, 422, ip);
        const q = JSON.stringify(ip);
        assert.deepEqual(status(res).details?.causes, [
          { reason: 'FieldValueInvalid', message: `Invalid value: ${q}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`, field: 'subsets[0].addresses[1].ip' },
          { reason: 'FieldValueInvalid', message: `Invalid value: ${q}: must be a valid IP address`, field: 'subsets[0].addresses[1].ip' },
        ], ip);
      }
    });
    it('S5: a missing ip decodes to "" and is refused the same way', async () => {
      const res = await create([{ addresses: [{ hostname: 'a' }] }]);
      assert.deepEqual(causes(res), [['subsets[0].addresses[0].ip', 'FieldValueInvalid'], ['subsets[0].addresses[0].ip', 'FieldValueInvalid']]);
    });
    it('S6: sloppy-parsed addresses are valid; non-canonical IPv6 gets an RFC 5952 warning', async () => {
      for (const ip of ['10.0.0.1', '2001:db8::1', '1234::ABCD', '0001:2::']) assert.equal((await create([{ addresses: [{ ip }] }])).status, 201, ip);
      const res = await create([{ addresses: [{ ip: '1234::ABCD' }] }]);
      assert.ok(warnings(res).includes('299 - "subsets[0].addresses[0].ip: IPv6 address \\"1234::ABCD\\" should be in RFC 5952 canonical format (\\"1234::abcd\\")"'), warnings(res).join('|'));
    });
    it('S7: leading-zero IPv4 and IPv4-mapped IPv6 are valid on 1.35 with a non-standard warning', async () => {
      const res = await create([{ addresses: [{ ip: '10.001.002.003' }], notReadyAddresses: [{ ip: '::ffff:1.2.3.4' }] }]);
      assert.equal(res.status, 201);
      const w = warnings(res);
      assert.ok(w.includes('299 - "subsets[0].addresses[0].ip: non-standard IP address \\"10.001.002.003\\" will be considered invalid in a future Kubernetes release: use \\"10.1.2.3\\""'), w.join('|'));
      assert.ok(w.includes('299 - "subsets[0].notReadyAddresses[0].ip: non-standard IP address \\"::ffff:1.2.3.4\\" will be considered invalid in a future Kubernetes release: use \\"1.2.3.4\\""'), w.join('|'));
    });
    it('S7: no IP warnings when managed by the endpoint controller', async () => {
      const res = await create([{ addresses: [{ ip: '10.001.002.003' }] }], { labels: { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' } });
      assert.equal(warnings(res).length, 1);
    });
    it('S8-S11: unspecified, loopback, link-local and link-local multicast addresses', async () => {
      const cases: Array<[string, string]> = [
        ['0.0.0.0', 'may not be unspecified (0.0.0.0)'],
        ['::', 'may not be unspecified (::)'],
        ['::ffff:0.0.0.0', 'may not be unspecified (::ffff:0.0.0.0)'],
        ['127.0.0.1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
        ['127.255.0.9', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
        ['::1', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
        ['::ffff:127.0.0.2', 'may not be in the loopback range (127.0.0.0/8, ::1/128)'],
        ['169.254.169.254', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
        ['fe80::1', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
        ['febf::1', 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
        ['224.0.0.251', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
        ['ff02::1', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
        ['ff32::1', 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'],
      ];
      for (const [ip, detail] of cases) {
        const res = await create([{ notReadyAddresses: [{ ip }] }]);
        assert.equal(res.status, 422, ip);
        assert.deepEqual(status(res).details?.causes, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(ip)}: ${detail}`, field: 'subsets[0].notReadyAddresses[0].ip' }], ip);
        assert.equal(status(res).message, `Endpoints "${status(res).details?.name}" is invalid: subsets[0].notReadyAddresses[0].ip: Invalid value: ${JSON.stringify(ip)}: ${detail}`);
      }
    });
    it('S12: other special-looking addresses are accepted', async () => {
      for (const ip of ['0.1.2.3', '255.255.255.255', '224.0.1.1', '239.1.1.1', 'ff05::1', 'fec0::1', '244.1.2.3', '192.168.1.1', '2001:db8::ffff']) {
        assert.equal((await create([{ addresses: [{ ip }] }])).status, 201, ip);
      }
    });
    it('S13/S14: hostname must be a DNS-1123 label; "" is skipped', async () => {
      assert.equal((await create([{ addresses: [{ ip: '10.0.0.1', hostname: '' }] }])).status, 201);
      const dots = await create([{ addresses: [{ ip: '10.0.0.1', hostname: 'a.b' }] }]);
      assert.deepEqual(status(dots).details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "a.b": must not contain dots', field: 'subsets[0].addresses[0].hostname' }]);
      const upper = await create([{ addresses: [{ ip: '10.0.0.1', hostname: 'A' }] }]);
      assert.equal(status(upper).details?.causes?.[0].message, "Invalid value: \"A\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
      const long = await create([{ addresses: [{ ip: '10.0.0.1', hostname: 'a'.repeat(64) }] }]);
      assert.deepEqual(status(long).details?.causes?.map((c) => c.message.split(': ').pop()), ['must be no more than 63 characters']);
    });
    it('S15: nodeName present must be a DNS-1123 subdomain (including ""), IP-looking names are fine', async () => {
      assert.equal((await create([{ addresses: [{ ip: '10.0.0.1', nodeName: '10.10.1.1' }] }])).status, 201);
      for (const nodeName of ['', 'Node_1']) {
        const res = await create([{ addresses: [{ ip: '10.0.0.1', nodeName }] }]);
        assert.deepEqual(causes(res), [['subsets[0].addresses[0].nodeName', 'FieldValueInvalid']], nodeName);
      }
    });
    it('S16/S17: nodeName may change on update; targetRef is never validated', async () => {
      const name = uniqueName();
      assert.equal((await create([{ addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: '!!', namespace: 'X_Y' } }] }], {}, name)).status, 201);
      assert.equal((await create([{ addresses: [{ ip: '10.0.0.1', nodeName: 'n2' }] }], {}, name)).status, 200);
    });
    it('S18: port 0, omitted, negative or >65535 → Invalid with the number bare', async () => {
      for (const port of [0, -1, 65536, undefined]) {
        const res = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port }] }]);
        assert.deepEqual(status(res).details?.causes, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${port ?? 0}: must be between 1 and 65535, inclusive`, field: 'subsets[0].ports[0].port' }], String(port));
      }
      assert.equal((await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 65535 }] }])).status, 201);
    });
    it('S19: protocol omitted or "" is defaulted to TCP', async () => {
      const res = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1 }] }, { addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 2, protocol: '' }] }]);
      assert.equal(res.status, 201);
      const subsets = (res.body as { subsets: Array<{ ports: Array<{ protocol: string }> }> }).subsets;
      assert.deepEqual(subsets.map((s) => s.ports[0].protocol), ['TCP', 'TCP']);
    });
    it('S20: protocol is case-sensitive: tcp, HTTP → NotSupported', async () => {
      for (const protocol of ['tcp', 'HTTP']) {
        const res = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, protocol }] }]);
        assert.deepEqual(status(res).details?.causes, [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${protocol}": supported values: "SCTP", "TCP", "UDP"`, field: 'subsets[0].ports[0].protocol' }]);
      }
      for (const protocol of ['TCP', 'UDP', 'SCTP']) assert.equal((await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, protocol }] }])).status, 201);
    });
    it('S21/S22: several ports need names (Required), a single unnamed port is fine', async () => {
      assert.equal((await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1 }] }])).status, 201);
      const res = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1 }, { name: 'b', port: 2 }, { port: 3 }] }]);
      assert.deepEqual(status(res).details?.causes, [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'subsets[0].ports[0].name' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'subsets[0].ports[2].name' },
      ]);
    });
    it('S23: a port name that is not a DNS-1123 label → Invalid', async () => {
      const res = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'Http_1', port: 1 }] }]);
      assert.deepEqual(causes(res), [['subsets[0].ports[0].name', 'FieldValueInvalid']]);
    });
    it('S24: duplicate ports and addresses, mixed families are valid', async () => {
      const res = await create([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.1' }, { ip: '2001:db8::1' }], ports: [{ name: 'a', port: 1 }, { name: 'a', port: 1 }] }]);
      assert.equal(res.status, 201);
    });
    it('S25/S26: appProtocol must be a qualified name; "" gives two causes', async () => {
      for (const appProtocol of ['kubernetes.io/h2c', 'kubernetes.io/ws', 'HTTP', 'mycompany.com/x']) {
        assert.equal((await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, appProtocol }] }])).status, 201, appProtocol);
      }
      const empty = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, appProtocol: '' }] }]);
      assert.deepEqual(status(empty).details?.causes?.map((c) => c.message), [
        'Invalid value: "": name part must be non-empty',
        "Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ]);
      assert.deepEqual(causes(await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1, appProtocol: 'a/b/c' }] }])), [['subsets[0].ports[0].appProtocol', 'FieldValueInvalid']]);
    });
    it('S27: cause order: subset (S2), addresses (ip, hostname, nodeName, special ip), notReadyAddresses, ports (name, port, protocol, appProtocol); metadata first', async () => {
      const name = uniqueName();
      const res = await put(server, name, {
        metadata: { name, labels: { 'bad key!': 'v' } },
        subsets: [
          { ports: [{ port: 1 }] },
          {
            addresses: [{ ip: '127.0.0.1', hostname: 'A', nodeName: 'N' }],
            notReadyAddresses: [{ ip: 'x' }],
            ports: [{ port: 0, protocol: 'tcp', appProtocol: '-' }, { name: 'Q', port: 70000 }],
          },
        ],
      });
      assert.deepEqual(causes(res), [
        ['metadata.labels', 'FieldValueInvalid'],
        ['subsets[0]', 'FieldValueRequired'],
        ['subsets[1].addresses[0].hostname', 'FieldValueInvalid'],
        ['subsets[1].addresses[0].nodeName', 'FieldValueInvalid'],
        ['subsets[1].addresses[0].ip', 'FieldValueInvalid'],
        ['subsets[1].notReadyAddresses[0].ip', 'FieldValueInvalid'],
        ['subsets[1].notReadyAddresses[0].ip', 'FieldValueInvalid'],
        ['subsets[1].ports[0].name', 'FieldValueRequired'],
        ['subsets[1].ports[0].port', 'FieldValueInvalid'],
        ['subsets[1].ports[0].protocol', 'FieldValueNotSupported'],
        ['subsets[1].ports[0].appProtocol', 'FieldValueInvalid'],
        ['subsets[1].ports[1].name', 'FieldValueInvalid'],
        ['subsets[1].ports[1].port', 'FieldValueInvalid'],
      ]);
      const message = status(res).message;
      assert.ok(message.startsWith(`Endpoints "${name}" is invalid: [metadata.labels: Invalid value: "bad key!": `), message);
      assert.ok(message.endsWith(', subsets[1].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive]'), message);
    });
  });

  describe('metadata', () => {
    it('M7: an invalid name (URL == body) → 422 on metadata.name with the subdomain message', async () => {
      const res = await create(ok, {}, 'Foo');
      assert.equal(res.status, 422);
      assert.equal(status(res).message, "Endpoints \"Foo\" is invalid: metadata.name: Invalid value: \"Foo\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
      assert.deepEqual(status(res).details?.name, 'Foo');
      assert.equal((await create(ok, {}, 'a.b.c')).status, 201, 'dots are allowed (subdomain)');
      const long = await create(ok, {}, 'a'.repeat(254));
      assert.deepEqual(causes(long), [['metadata.name', 'FieldValueInvalid']]);
      assert.match(status(long).details?.causes?.[0].message ?? '', /must be no more than 253 characters$/);
    });
    it('M8: a URL name "." or ".." is refused as a path segment (400) before the subdomain rule', async () => {
      for (const name of ['%2E', '..']) {
        const res = await put(server, name, { metadata: { name: decodeURIComponent(name) } });
        assert.equal(res.status, 400, name);
        assert.equal(status(res).message, `Name parameter invalid: "${decodeURIComponent(name)}": may not be '${decodeURIComponent(name)}'`);
      }
    });
    it('M9: bad labels → metadata.labels (no key suffix), once on create, four times on update', async () => {
      const name = uniqueName();
      const created = await create(ok, { labels: { 'a/b/c': 'v' } }, name);
      assert.deepEqual(causes(created), [['metadata.labels', 'FieldValueInvalid']]);
      await create(ok, {}, name);
      const updated = await create(ok, { labels: { k: '-bad-' } }, name);
      assert.deepEqual(causes(updated), Array(4).fill(['metadata.labels', 'FieldValueInvalid']));
      assert.equal(status(updated).message, `Endpoints "${name}" is invalid: metadata.labels: Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`, 'identical messages de-duplicated');
      const longValue = await create(ok, { labels: { k: 'v'.repeat(64) } });
      assert.deepEqual(status(longValue).details?.causes?.map((c) => c.message.split(': ').pop()), ['must be no more than 63 characters']);
    });
    it('M10: annotation keys are checked lower-cased; total size over 256 KiB → TooLong', async () => {
      assert.equal((await create(ok, { annotations: { 'Example.COM/Key': 'v' } })).status, 201);
      assert.deepEqual(causes(await create(ok, { annotations: { 'a b': 'v' } })), [['metadata.annotations', 'FieldValueInvalid']]);
      const big = await create(ok, { annotations: { a: 'x'.repeat(262144) } });
      assert.deepEqual(status(big).details?.causes, [{ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 262144 bytes', field: 'metadata.annotations' }]);
      assert.equal((await create(ok, { annotations: { a: 'x'.repeat(262143) } })).status, 201);
    });
    it('M11: generateName is validated as a prefix', async () => {
      assert.equal((await create(ok, { generateName: 'web-' })).status, 201);
      assert.deepEqual(causes(await create(ok, { generateName: 'Web_' })), [['metadata.generateName', 'FieldValueInvalid']]);
    });
    it('M21: negative generation on create → 422; on update generation is carried over', async () => {
      const res = await create(ok, { generation: -1 });
      assert.deepEqual(status(res).details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'metadata.generation' }]);
      const name = uniqueName();
      const created = await create(ok, { generation: 5 }, name);
      assert.equal((created.body as { metadata: { generation: number } }).metadata.generation, 5);
      const updated = await create([{ addresses: [{ ip: '10.0.0.9' }] }], { generation: -3 }, name);
      assert.equal(updated.status, 200);
      assert.equal((updated.body as { metadata: { generation: number } }).metadata.generation, 5);
    });
    it('M22: deletionTimestamp set on update → immutable, reported twice', async () => {
      const name = uniqueName();
      await create(ok, {}, name);
      const res = await create(ok, { deletionTimestamp: '2030-01-01T00:00:00Z' }, name);
      assert.equal(res.status, 422);
      assert.deepEqual(causes(res), [['metadata.deletionTimestamp', 'FieldValueInvalid'], ['metadata.deletionTimestamp', 'FieldValueInvalid']]);
      assert.match(status(res).details?.causes?.[0].message ?? '', /field is immutable$/);
    });
    it('M24/M25: ownerReferences', async () => {
      const empty = await create(ok, { ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] });
      assert.deepEqual(status(empty).details?.causes?.map((c) => [c.field, c.message]), [
        ['metadata.ownerReferences.apiVersion', 'Invalid value: "apps/": version must not be empty'],
        ['metadata.ownerReferences.kind', 'Invalid value: "": must not be empty'],
        ['metadata.ownerReferences.name', 'Invalid value: "": must not be empty'],
        ['metadata.ownerReferences.uid', 'Invalid value: "": must not be empty'],
      ]);
      const event = await create(ok, { ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u1' }] });
      assert.deepEqual(status(event).details?.causes, [{ reason: 'FieldValueInvalid', field: 'metadata.ownerReferences', message: 'Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u1"}: /v1, Kind=Event is disallowed from being an owner' }]);
      const two = await create(ok, { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'a', uid: 'u1', controller: true }, { apiVersion: 'v1', kind: 'Pod', name: 'b', uid: 'u2', controller: true }] });
      assert.deepEqual(causes(two), [['metadata.ownerReferences', 'FieldValueInvalid']]);
      assert.match(status(two).message, /Only one reference can have Controller set to true\. Found "true" in references for Pod\/a and Pod\/b/);
    });
    it('M26: exact duplicate ownerReferences are deduplicated with a warning', async () => {
      const ref = { apiVersion: 'v1', kind: 'Pod', name: 'a', uid: 'u-dup' };
      const res = await create(ok, { ownerReferences: [ref, ref] });
      assert.equal(res.status, 201);
      assert.equal((res.body as { metadata: { ownerReferences: unknown[] } }).metadata.ownerReferences.length, 1);
      assert.ok(warnings(res).some((w) => w.includes('.metadata.ownerReferences contains duplicate entries') && w.includes('duplicate UID(s) observed: u-dup')));
    });
    it('M27-M29: finalizers', async () => {
      assert.equal((await create(ok, { finalizers: ['kubernetes', 'example.com/f', 'orphan'] })).status, 201);
      assert.deepEqual(causes(await create(ok, { finalizers: ['example.com/f', 'o/.T'] })), [['metadata.finalizers', 'FieldValueInvalid']]);
      const nonStandard = await create(ok, { finalizers: ['custom'] });
      assert.deepEqual(status(nonStandard).details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified', field: 'metadata.finalizers[0]' }]);
      assert.deepEqual(causes(await create(ok, { finalizers: ['-x'] })), [['metadata.finalizers', 'FieldValueInvalid'], ['metadata.finalizers[0]', 'FieldValueInvalid']]);
      const both = await create(ok, { finalizers: ['orphan', 'foregroundDeletion'] });
      assert.deepEqual(status(both).details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set', field: 'metadata.finalizers' }]);
    });
    it('identical 422 messages are de-duplicated in the aggregate but causes are not', async () => {
      const res = await create([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 1 }, { port: 2 }] }]);
      assert.equal(status(res).details?.causes?.length, 2);
      assert.match(status(res).message, /is invalid: \[subsets\[0\]\.ports\[0\]\.name: Required value, subsets\[0\]\.ports\[1\]\.name: Required value\]$/);
    });
  });

  it('a valid body is accepted (control)', async () => {
    const name = uniqueName();
    assert.equal((await put(server, name, validBody(name))).status, 201);
  });
});

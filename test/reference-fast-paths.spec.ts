/**
 * The reference server's fast paths against the general rules they stand in for. The server
 * answers the common request (an IPv4 address, a plain DNS name, an ordinary object) through
 * shortcuts; each must give exactly what the general rule gives, for every input,
 * or the server stops being Kubernetes-faithful where it is busiest. The oracles here are the
 * general code paths and Kubernetes' own regular expressions, checked on generated inputs that
 * crowd the edges (dots, dashes, digits, case, length limits, escapes).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { endpointsJson } from '../reference-server/endpointsJson.ts';
import { endpointsWire, goJson } from '../reference-server/endpointsSerialization.ts';
import type { EndpointAddress, EndpointPort, Endpoints, ManagedFieldsEntry, ObjectReference, OwnerReference } from '../reference-server/endpointsTypes.ts';
import { validateEndpointsCreate } from '../reference-server/endpointsValidation.ts';
import type { FaultSet } from '../reference-server/faults.ts';
import { parseIPSloppy, sloppyIPv4Value } from '../reference-server/ipRules.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../reference-server/nameRules.ts';

const runs = { numRuns: 3000 };

/** Strings over a small alphabet, so that the interesting shapes come up often. */
const over = (chars: string, maxLength: number) => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength });

describe('reference server: fast paths agree with the general rules', () => {
  it('sloppyIPv4Value is the IPv4 address ParseIPSloppy reads, and -1 exactly when it reads none', () => {
    const candidate = fc.oneof(
      over('0123456789.', 20),
      over('0123456789.:abcdefABCDEF x/%', 24),
      fc.tuple(fc.nat(400), fc.nat(400), fc.nat(400), fc.nat(400)).map((p) => p.join('.')),
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.constantFrom('', '.', '.1', ':80', ' ', '0')).map(([a, b, c, d, tail]) => `${a}.${b}.${c}.${d}${tail}`),
      fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), fc.string({ maxLength: 16 }),
    );
    fc.assert(fc.property(candidate, (s) => {
      const parsed = parseIPSloppy(s);
      const firstSeparator = /[.:]/.exec(s)?.[0];
      const expected = parsed !== null && firstSeparator === '.' ? ((parsed[12] * 256 + parsed[13]) * 256 + parsed[14]) * 256 + parsed[15] : -1;
      assert.equal(sloppyIPv4Value(s), expected, JSON.stringify(s));
    }), runs);
  });

  it('an IPv4 address is validated as its IPv4-mapped IPv6 form is (the fast path against the general one)', () => {
    // ::ffff:a.b.c.d parses to the same 16 bytes but takes the general path; only the address
    // text in the messages differs. Faults that relax address rules are switched on and off.
    const octet = fc.oneof(fc.constantFrom(0, 1, 127, 169, 254, 224, 255, 10), fc.nat(255));
    const address = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
    const faults = fc.subarray(['accept-loopback-ip', 'accept-link-local-ip'] as const);
    // The address is masked where it stands for itself, not inside a range the message names
    // (169.254.0.0 is also the start of "169.254.0.0/16").
    const masked = (text: string, ip: string): string => text.replace(new RegExp(`${ip.replace(/[.:]/g, '\\$&')}(?!/)`, 'g'), '<ip>');
    const errorsFor = (ip: string, hostname: string, on: FaultSet): string[] =>
      validateEndpointsCreate({ metadata: { name: 'x' }, subsets: [{ addresses: [{ ip, hostname }] }] }, on)
        .map((e) => `${e.type} ${e.field} ${masked(e.detail, ip)} ${masked(JSON.stringify(e.badValue), ip)}`);
    fc.assert(fc.property(address, fc.constantFrom('', 'host', 'Bad_Host'), faults, (ip, hostname, on) => {
      const set: FaultSet = new Set(on);
      assert.deepEqual(errorsFor(ip, hostname, set), errorsFor(`::ffff:${ip}`, hostname, set), ip);
    }), runs);
  });

  // Kubernetes' regular expressions (apimachinery/pkg/util/validation), with their length limits.
  const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
  const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
  const validQualifiedName = (v: string): boolean => {
    const parts = v.split('/');
    if (parts.length === 1) return bytes(v) <= 63 && qualifiedNamePart.test(v);
    if (parts.length !== 2 || parts[0] === '') return false;
    return bytes(parts[0]) <= 253 && dns1123Subdomain.test(parts[0]) && bytes(parts[1]) <= 63 && qualifiedNamePart.test(parts[1]);
  };
  const name = fc.oneof(
    over('ab9-.', 12), over('aZ0-_./', 12), over('a-.', 70), over('ab', 260), over('a.', 260),
    fc.tuple(over('ab.-', 250), over('ab-_.Z', 66)).map(([p, n]) => `${p}/${n}`),
    fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }),
    // Right at the length limits: 63 for a label or name part, 253 for a subdomain.
    fc.integer({ min: 61, max: 65 }).chain((n) => fc.string({ unit: fc.constantFrom('a', 'b', '0'), minLength: n, maxLength: n })),
    fc.integer({ min: 61, max: 65 }).chain((n) => fc.string({ unit: fc.constantFrom('a', 'Z', '0'), minLength: n, maxLength: n })),
    fc.tuple(fc.integer({ min: 250, max: 256 }), fc.nat(300)).map(([n, seed]) => Array.from({ length: n }, (_, i) => ((i + seed) % 7 === 6 && i > 0 && i < n - 1 ? '.' : 'a')).join('')),
  );

  it('DNS-1123 label, subdomain, qualified name and label value: valid exactly when Kubernetes\' regexes say so', () => {
    fc.assert(fc.property(name, (v) => {
      const what = JSON.stringify(v);
      assert.equal(isDNS1123Label(v).length === 0, bytes(v) <= 63 && dns1123Label.test(v), `label ${what}`);
      assert.equal(isDNS1123Subdomain(v).length === 0, bytes(v) <= 253 && dns1123Subdomain.test(v), `subdomain ${what}`);
      assert.equal(isQualifiedName(v).length === 0, validQualifiedName(v), `qualified name ${what}`);
      assert.equal(isValidLabelValue(v).length === 0, bytes(v) <= 63 && labelValue.test(v), `label value ${what}`);
    }), runs);
  });

  it('endpointsJson writes the same bytes as the general Go-style encoder', () => {
    // Text that needs each kind of escape: quotes, backslashes, controls, HTML characters, U+2028,
    // lone surrogates, non-ASCII; and map keys that JavaScript enumerates out of sorted order.
    const text = fc.oneof(
      { arbitrary: over('a-.9', 6), weight: 4 },
      { arbitrary: fc.constantFrom('', '<b>', 'a&b', '"q"', 'back\\slash', 'tab\there', '\u2028', '\ud800', 'é', '😀', '0', '10', '01', '4294967295', '4294967294'), weight: 2 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
    );
    const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const stringMap = fc.dictionary(text, text, { maxKeys: 5 });
    const objectReference: fc.Arbitrary<ObjectReference> = fc.record({ kind: text, namespace: text, name: text, uid: text, apiVersion: text, resourceVersion: text, fieldPath: text }, { requiredKeys: [] });
    const address: fc.Arbitrary<EndpointAddress> = fc.record({ ip: text, hostname: text, nodeName: text, targetRef: objectReference }, { requiredKeys: [] });
    const port: fc.Arbitrary<EndpointPort> = fc.record({ name: text, port: fc.integer({ min: -70000, max: 70000 }), protocol: text, appProtocol: text }, { requiredKeys: [] });
    const ownerReference: fc.Arbitrary<OwnerReference> = fc.record({ apiVersion: text, kind: text, name: text, uid: text, controller: fc.boolean(), blockOwnerDeletion: fc.boolean() }, { requiredKeys: [] });
    const time = fc.integer({ min: 0, max: 4e12 }).map((ms) => Math.floor(ms / 1000) * 1000);
    const fieldsV1 = fc.jsonValue({ maxDepth: 3 });
    const managedFieldsEntry: fc.Arbitrary<ManagedFieldsEntry> = fc.record({ manager: text, operation: text, apiVersion: text, time, fieldsType: text, fieldsV1, subresource: text }, { requiredKeys: [] });
    const int64 = fc.oneof(fc.integer({ min: -5, max: 1e9 }), fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }));
    const endpoints: fc.Arbitrary<Endpoints> = fc.record({
      metadata: fc.record({
        name: text, generateName: text, namespace: text, selfLink: text, uid: text, resourceVersion: text,
        generation: int64, creationTimestamp: time, deletionTimestamp: time, deletionGracePeriodSeconds: int64,
        labels: stringMap, annotations: stringMap,
        ownerReferences: fc.array(ownerReference, { maxLength: 2 }), finalizers: fc.array(text, { maxLength: 3 }),
        managedFields: fc.array(managedFieldsEntry, { maxLength: 2 }),
      }, { requiredKeys: [] }),
      subsets: optional(fc.array(fc.record({
        addresses: fc.array(address, { maxLength: 3 }), notReadyAddresses: fc.array(address, { maxLength: 2 }), ports: fc.array(port, { maxLength: 3 }),
      }, { requiredKeys: [] }), { maxLength: 3 })),
    }, { requiredKeys: ['metadata'] });
    fc.assert(fc.property(endpoints, (e) => {
      assert.equal(endpointsJson(e), goJson(endpointsWire(e), false));
    }), { numRuns: 1500 });
  });
});

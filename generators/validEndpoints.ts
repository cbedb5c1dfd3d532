/**
 * Valid Endpoints bodies and valid query parameters, with real variety (rules note S1–S27,
 * M4, M9, M10, M18, R14, R20). Everything here is valid by construction; the categories break
 * exactly one thing on top of it.
 */
import fc from 'fast-check';
import type { ContractConstraints } from './contractConstraints.ts';
import type {
  EndpointAddressBody,
  EndpointPortBody,
  EndpointSubsetBody,
  EndpointsBody,
  ObjectMetaBody,
  ObjectReferenceBody,
  OwnerReferenceBody,
} from './endpointsBody.ts';
import { alphabetString } from './alphabetString.ts';
import { setMember } from './endpointsBody.ts';
import { validIp } from './ipAddresses.ts';
import { dnsLabel, dnsSubdomain, validName } from './nameFormats.ts';

export const runLabelKey = 'endpoints-conformance/run';
export const runLabelValue = '{{runId}}';

/** `{{unique}}` is at most 40 characters: a suffix of at most 213 keeps names ≤ 253. */
const maxNameSuffix = 213;

/** An object name: `{{unique}}` plus an optional DNS-subdomain-safe suffix ('-abc', '.x-1'). */
export function validObjectName(): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom('-', '.'), dnsLabel(30)), { maxLength: 3 })
    .map((parts) => `{{unique}}${parts.map(([separator, label]) => separator + label).join('').slice(0, maxNameSuffix).replace(/[.-]+$/, '')}`);
}

function targetRef(): fc.Arbitrary<ObjectReferenceBody> {
  return fc.record(
    {
      kind: fc.constantFrom('Pod', 'Node', 'Service', 'VirtualMachineInstance'),
      name: dnsSubdomain(60),
      namespace: fc.constant('{{namespace}}'),
      uid: fc.uuid(),
      resourceVersion: fc.integer({ min: 1, max: 999999999 }).map(String),
      apiVersion: fc.constantFrom('v1', 'kubevirt.io/v1'),
      fieldPath: fc.constantFrom('spec.containers{web}', 'spec.containers[2]'),
    },
    { requiredKeys: ['kind', 'name'], noNullPrototype: true },
  );
}

/** Node names that look like IPs or FQDNs: valid DNS-1123 subdomains (S15). */
const lifelikeNodeNames = ['10.10.1.1', 'node-1.example.com'];

export function validAddress(constraints: ContractConstraints): fc.Arbitrary<EndpointAddressBody> {
  const { hostname, nodeName } = constraints.nameFormats;
  return fc.record(
    {
      ip: validIp(),
      hostname: validName(hostname),
      nodeName:
        nodeName === 'dns-1123-subdomain'
          ? fc.oneof({ weight: 4, arbitrary: validName(nodeName) }, { weight: 1, arbitrary: fc.constantFrom(...lifelikeNodeNames) })
          : validName(nodeName),
      targetRef: targetRef(),
    },
    { requiredKeys: ['ip'], noNullPrototype: true },
  );
}

const knownAppProtocols = ['http', 'HTTP', 'https', 'h2c', 'grpc', 'mycompany.com/x', 'mycompany.com/my-custom-protocol', 'kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss', 'kubernetes.io/anything'];

export function validAppProtocol(constraints: ContractConstraints): fc.Arbitrary<string> {
  const format = constraints.nameFormats.appProtocol;
  if (format !== 'qualified-name') return validName(format);
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...knownAppProtocols) }, { weight: 1, arbitrary: validName(format) });
}

export function validPortNumber(constraints: ContractConstraints): fc.Arbitrary<number> {
  return fc.integer({ min: constraints.port.min, max: constraints.port.max });
}

/** A valid port; `named` forces a name (required when the subset has several ports: S21). */
export function validPort(constraints: ContractConstraints, named: boolean): fc.Arbitrary<EndpointPortBody> {
  return fc
    .record(
      {
        name: validName(constraints.nameFormats.portName).filter((name) => name !== ''),
        port: validPortNumber(constraints),
        protocol: fc.constantFrom(...constraints.protocols),
        appProtocol: validAppProtocol(constraints),
      },
      { requiredKeys: named ? ['name', 'port'] : ['port'], noNullPrototype: true },
    );
}

function validPorts(constraints: ContractConstraints): fc.Arbitrary<EndpointPortBody[]> {
  return fc.oneof(
    fc.constant<EndpointPortBody[]>([]),
    validPort(constraints, false).map((port) => [port]),
    fc.array(validPort(constraints, true), { minLength: 2, maxLength: 4 }),
  );
}

export function validSubset(constraints: ContractConstraints): fc.Arbitrary<EndpointSubsetBody> {
  const addresses = fc.array(validAddress(constraints), { minLength: 1, maxLength: 3 });
  return fc
    .tuple(
      fc.oneof(
        addresses.map((ready) => ({ addresses: ready })),
        addresses.map((notReady) => ({ notReadyAddresses: notReady })),
        fc.tuple(addresses, addresses).map(([ready, notReady]) => ({ addresses: ready, notReadyAddresses: notReady })),
      ),
      validPorts(constraints),
    )
    .map(([lists, ports]): EndpointSubsetBody => (ports.length === 0 ? { ...lists } : { ...lists, ports }));
}

function ownerReference(): fc.Arbitrary<OwnerReferenceBody> {
  return fc.record(
    {
      apiVersion: fc.constantFrom('v1', 'apps/v1', 'example.com/v1alpha1'),
      kind: fc.constantFrom('Pod', 'Service', 'ReplicaSet', 'Deployment', 'Widget'),
      name: dnsSubdomain(60),
      uid: fc.uuid(),
      controller: fc.boolean(),
      blockOwnerDeletion: fc.constant(false),
    },
    { requiredKeys: ['apiVersion', 'kind', 'name', 'uid'], noNullPrototype: true },
  );
}

/** Owner references with distinct uids and at most one controller (M25). */
function ownerReferences(): fc.Arbitrary<OwnerReferenceBody[]> {
  return fc.uniqueArray(ownerReference(), { minLength: 1, maxLength: 2, selector: (reference) => reference.uid }).map((references) => {
    let controllerSeen = false;
    return references.map((reference) => {
      if (reference.controller !== true) return reference;
      if (controllerSeen) return { ...reference, controller: false };
      controllerSeen = true;
      return reference;
    });
  });
}

/** A small map from key/value pairs. fc.dictionary would keep drawing until its keys are
 * distinct; here a repeated key simply collapses (the map is still valid and non-empty when
 * `minKeys` ≥ 1), at about half the generation cost, which matters: every body has two maps. */
function smallMap(keys: fc.Arbitrary<string>, values: fc.Arbitrary<string>, minKeys: number, maxKeys: number): fc.Arbitrary<Record<string, string>> {
  return fc.array(fc.tuple(keys, values), { minLength: minKeys, maxLength: maxKeys }).map((pairs) => {
    const map: Record<string, string> = {};
    for (const [key, value] of pairs) setMember(map, key, value);
    return map;
  });
}

function extraLabels(constraints: ContractConstraints): fc.Arbitrary<Record<string, string>> {
  const { labelKey, labelValue } = constraints.nameFormats;
  return smallMap(validName(labelKey), validName(labelValue), 0, 3);
}

/** Printable ASCII, the characters of fast-check's default string unit. */
const printableAscii = Array.from({ length: 0x7f - 0x20 }, (_unused, offset) => String.fromCharCode(0x20 + offset)).join('');

function annotations(constraints: ContractConstraints): fc.Arbitrary<Record<string, string>> {
  return smallMap(
    validName(constraints.nameFormats.annotationKey),
    fc.oneof(alphabetString(printableAscii, { maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 12 })),
    1,
    3,
  );
}

export interface ValidBodyOptions {
  minSubsets?: number;
  maxSubsets?: number;
  /** Owner references make a real cluster's garbage collector delete the object: keep them
   * out of multi-step scenarios. Default true. */
  ownerReferences?: boolean;
  /** A numeric resourceVersion on create is ignored (M18). Default false. */
  resourceVersionOnCreate?: boolean;
  /** Let the object name carry a generated suffix. Default true. */
  nameSuffix?: boolean;
}

export function validMetadata(constraints: ContractConstraints, options: ValidBodyOptions = {}): fc.Arbitrary<ObjectMetaBody> {
  return fc
    .record(
      {
        name: options.nameSuffix === false ? fc.constant('{{unique}}') : validObjectName(),
        namespace: fc.constant('{{namespace}}'),
        labels: extraLabels(constraints),
        annotations: annotations(constraints),
        ownerReferences: options.ownerReferences === false ? fc.constant(undefined) : ownerReferences(),
        resourceVersion: options.resourceVersionOnCreate === true ? fc.integer({ min: 1, max: 99999999 }).map(String) : fc.constant(undefined),
      },
      { requiredKeys: ['name', 'labels'], noNullPrototype: true },
    )
    .map((metadata): ObjectMetaBody => ({ ...metadata, labels: { ...metadata.labels, [runLabelKey]: runLabelValue } }));
}

type TypeMeta = { apiVersion?: string; kind?: string };

/** apiVersion and kind, usually both, sometimes defaulted by omission (R20). */
function typeMeta(): fc.Arbitrary<TypeMeta> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant<TypeMeta>({ apiVersion: 'v1', kind: 'Endpoints' }) },
    { weight: 1, arbitrary: fc.constantFrom<TypeMeta>({ kind: 'Endpoints' }, { apiVersion: 'v1' }, {}) },
  );
}

export function validEndpointsBody(constraints: ContractConstraints, options: ValidBodyOptions = {}): fc.Arbitrary<EndpointsBody> {
  const minSubsets = options.minSubsets ?? 0;
  const maxSubsets = options.maxSubsets ?? 3;
  return fc
    .tuple(typeMeta(), validMetadata(constraints, options), fc.array(validSubset(constraints), { minLength: minSubsets, maxLength: maxSubsets }), fc.boolean())
    .map(([types, metadata, subsets, emptyAsList]): EndpointsBody => {
      const body: EndpointsBody = { ...types, metadata };
      if (subsets.length > 0 || emptyAsList) body.subsets = subsets;
      return body;
    });
}

/** A printable fieldManager of at most `maxBytes` UTF-8 bytes (R9/R10 satisfied). */
export function validFieldManager(constraints: ContractConstraints): fc.Arbitrary<string> {
  const printable = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
    { weight: 1, arbitrary: fc.constantFrom('é', 'ß', 'Ω', '名', '✓', 'ж') },
  );
  const maxBytes = constraints.fieldManager.maxBytes;
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('harness', 'kubectl', 'endpoints-conformance', 'my manager/v1.0', '') },
    { weight: 3, arbitrary: fc.string({ unit: printable, maxLength: 40 }).map((text) => truncateToBytes(text, maxBytes)) },
    { weight: 1, arbitrary: fc.constantFrom('m', 'é').map((unit) => unit.repeat(Math.floor(maxBytes / Buffer.byteLength(unit)))) },
  );
}

export function truncateToBytes(text: string, maxBytes: number): string {
  let result = '';
  for (const char of text) {
    if (Buffer.byteLength(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}

/** Valid optional query parameters (no dryRun: it has its own category). */
export function validQuery(constraints: ContractConstraints): fc.Arbitrary<Array<[string, string]>> {
  return fc
    .record(
      {
        fieldManager: validFieldManager(constraints),
        pretty: fc.constantFrom('true', 'false', '1', '0', 't', 'TRUE'),
        fieldValidation: fc.constantFrom(...constraints.fieldValidationValues),
      },
      { requiredKeys: [], noNullPrototype: true },
    )
    .map((query) => {
      const pairs: Array<[string, string]> = [];
      if (query.fieldManager !== undefined) pairs.push(['fieldManager', query.fieldManager]);
      if (query.pretty !== undefined) pairs.push(['pretty', query.pretty]);
      if (query.fieldValidation !== undefined) pairs.push(['fieldValidation', query.fieldValidation]);
      return pairs;
    });
}

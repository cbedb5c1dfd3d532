/**
 * An independent oracle for the generator tests: the rules of the rules note
 * (/work/shared/notes/kubernetes-rules.md) written again, directly from the note, with
 * ipaddr.js / net.isIP for addresses and the note's regular expressions for names. It shares no
 * code with generators/ (only the case data types), so a generator that mislabels a case
 * disagrees with it.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { ExpectedCause, JsonValue } from '../generators/case.ts';

// ---- names (rules note S13, M7, M9) -------------------------------------------------------
const dnsLabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const namePartPattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const isDnsLabel = (text: string): boolean => text.length <= 63 && dnsLabelPattern.test(text);
export const isDnsSubdomain = (text: string): boolean => text.length <= 253 && dnsSubdomainPattern.test(text);
export function isQualifiedName(text: string): boolean {
  const parts = text.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || !isDnsSubdomain(parts[0]))) return false;
  return name.length >= 1 && name.length <= 63 && namePartPattern.test(name);
}
export const isLabelValue = (text: string): boolean => text === '' || (text.length <= 63 && namePartPattern.test(text));

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export const isGoPrintable = (text: string): boolean => /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u.test(text);

// ---- IP addresses (rules note S5–S12) ---------------------------------------------------------
export type IpClass = 'invalid' | 'non-standard' | 'unspecified' | 'loopback' | 'link-local' | 'link-local-multicast' | 'allowed';

const leadingZeroOctet = /(^|\.)0\d/;
const ipv4MappedDotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** How Kubernetes classes an address: 'non-standard' = accepted with a warning ≤1.35 (S7). */
export function classifyIp(ip: string): IpClass {
  const special = specialClass(ip);
  if (special !== undefined) return special;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip) && leadingZeroOctet.test(ip)) {
    const normal = ip.split('.').map((octet) => String(Number(octet))).join('.');
    return isIP(normal) === 4 && ip.split('.').every((octet) => Number(octet) <= 255) ? (specialClass(normal) ?? 'non-standard') : 'invalid';
  }
  if (ip.includes('%') || isIP(ip) === 0) return 'invalid';
  if (ipv4MappedDotted.test(ip)) return 'non-standard';
  return 'allowed';
}

function specialClass(ip: string): IpClass | undefined {
  if (ip.includes('%') || isIP(ip) === 0) return undefined;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') {
    const v4 = address as ipaddr.IPv4;
    if (v4.toString() === '0.0.0.0') return 'unspecified';
    if (v4.range() === 'loopback') return 'loopback';
    if (v4.range() === 'linkLocal') return 'link-local';
    if (v4.match(ipaddr.IPv4.parseCIDR('224.0.0.0/24'))) return 'link-local-multicast';
    return undefined;
  }
  const v6 = address as ipaddr.IPv6;
  if (v6.range() === 'unspecified') return 'unspecified';
  if (v6.range() === 'loopback') return 'loopback';
  if (v6.range() === 'linkLocal') return 'link-local';
  if ((v6.parts[0] & 0xff0f) === 0xff02) return 'link-local-multicast';
  return undefined;
}

// ---- JSON helpers -----------------------------------------------------------------------------
export type JsonObject = { [key: string]: JsonValue };
export const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The value at a Kubernetes field path like 'subsets[1].addresses[0].ip' ('missing' if absent). */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const token of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (token.startsWith('[')) {
      const index = Number(token.slice(1, -1));
      if (!Array.isArray(current) || index >= current.length) return 'missing';
      current = current[index];
    } else {
      if (!isObject(current) || !(token in current)) return 'missing';
      current = current[token];
    }
  }
  return current;
}

// ---- the validation rules ----------------------------------------------------------------------
const supportedProtocols = ['TCP', 'UDP', 'SCTP'];
const standardFinalizers = ['kubernetes', 'orphan', 'foregroundDeletion'];
const annotationLimit = 262144;

export interface OracleVerdict {
  /** Distinct (field, type) pairs a 422 names. */
  causes: ExpectedCause[];
  /** Addresses accepted with a warning ≤1.35 and rejected by 1.36 (S7). */
  nonStandardIps: string[];
  /** Members that cannot be decoded (R23): a 400, not a 422. */
  typeErrors: string[];
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1;
}

function versionOf(apiVersion: string): string {
  const slashes = apiVersion.split('/').length - 1;
  if (apiVersion === '' || apiVersion === '/') return '';
  if (slashes === 0) return apiVersion;
  if (slashes === 1) return apiVersion.split('/')[1];
  return '';
}

/** What a conformant server finds wrong with an Endpoints body (create path) and query. */
export function judgeBody(body: unknown, query: Array<[string, string]> = []): OracleVerdict {
  const causes: ExpectedCause[] = [];
  const nonStandardIps: string[] = [];
  const typeErrors: string[] = [];
  const add = (field: string, type: string): void => {
    if (!causes.some((cause) => cause.field === field && cause.type === type)) causes.push({ field, type });
  };

  const dryRuns = query.filter(([name]) => name === 'dryRun').map(([, value]) => value);
  if (dryRuns.some((value) => value !== 'All')) add('dryRun', 'FieldValueNotSupported');
  const fieldManager = query.find(([name]) => name === 'fieldManager')?.[1];
  if (fieldManager !== undefined) {
    if (Buffer.byteLength(fieldManager) > 128) add('fieldManager', 'FieldValueTooLong');
    if (!isGoPrintable(fieldManager)) add('fieldManager', 'FieldValueInvalid');
  }
  const fieldValidation = query.find(([name]) => name === 'fieldValidation')?.[1];
  if (fieldValidation !== undefined && !['', 'Ignore', 'Warn', 'Strict'].includes(fieldValidation)) add('fieldValidation', 'FieldValueNotSupported');

  if (!isObject(body)) return { causes, nonStandardIps, typeErrors };
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const name = text(metadata.name) ?? '';
  if (name !== '' && !isDnsSubdomain(name)) add('metadata.name', 'FieldValueInvalid');
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key) || !isLabelValue(text(value) ?? '')) add('metadata.labels', 'FieldValueInvalid');
  }
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedName(key.toLowerCase())) add('metadata.annotations', 'FieldValueInvalid');
    annotationBytes += Buffer.byteLength(key) + Buffer.byteLength(text(value) ?? '');
  }
  if (annotationBytes > annotationLimit) add('metadata.annotations', 'FieldValueTooLong');
  const owners = objects(metadata.ownerReferences);
  for (const owner of owners) {
    const apiVersion = text(owner.apiVersion) ?? '';
    if (versionOf(apiVersion) === '') add('metadata.ownerReferences.apiVersion', 'FieldValueInvalid');
    if ((text(owner.kind) ?? '') === '') add('metadata.ownerReferences.kind', 'FieldValueInvalid');
    if ((text(owner.name) ?? '') === '') add('metadata.ownerReferences.name', 'FieldValueInvalid');
    if ((text(owner.uid) ?? '') === '') add('metadata.ownerReferences.uid', 'FieldValueInvalid');
    if (apiVersion === 'v1' && owner.kind === 'Event') add('metadata.ownerReferences', 'FieldValueInvalid');
  }
  if (owners.filter((owner) => owner.controller === true).length > 1) add('metadata.ownerReferences', 'FieldValueInvalid');
  const finalizers = Array.isArray(metadata.finalizers) ? metadata.finalizers.map((value) => text(value) ?? '') : [];
  finalizers.forEach((finalizer, index) => {
    if (!isQualifiedName(finalizer)) add('metadata.finalizers', 'FieldValueInvalid');
    if (!finalizer.includes('/') && !standardFinalizers.includes(finalizer)) add(`metadata.finalizers[${index}]`, 'FieldValueInvalid');
  });
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) add('metadata.finalizers', 'FieldValueInvalid');

  objects(body.subsets).forEach((subset, i) => {
    const ready = objects(subset.addresses);
    const notReady = objects(subset.notReadyAddresses);
    if (ready.length === 0 && notReady.length === 0) add(`subsets[${i}]`, 'FieldValueRequired');
    for (const [list, addresses] of [['addresses', ready], ['notReadyAddresses', notReady]] as const) {
      addresses.forEach((address, j) => {
        const at = `subsets[${i}].${list}[${j}]`;
        const ip = text(address.ip) ?? '';
        const ipClass = classifyIp(ip);
        if (ipClass === 'non-standard') nonStandardIps.push(`${at}.ip`);
        else if (ipClass !== 'allowed') add(`${at}.ip`, 'FieldValueInvalid');
        const hostname = text(address.hostname) ?? '';
        if (hostname !== '' && !isDnsLabel(hostname)) add(`${at}.hostname`, 'FieldValueInvalid');
        if ('nodeName' in address && !isDnsSubdomain(text(address.nodeName) ?? '')) add(`${at}.nodeName`, 'FieldValueInvalid');
      });
    }
    const ports = objects(subset.ports);
    ports.forEach((port, k) => {
      const at = `subsets[${i}].ports[${k}]`;
      const portName = text(port.name) ?? '';
      if (ports.length > 1 && portName === '') add(`${at}.name`, 'FieldValueRequired');
      if (portName !== '' && !isDnsLabel(portName)) add(`${at}.name`, 'FieldValueInvalid');
      const number = port.port ?? 0;
      if (!isInt32(number)) typeErrors.push(`${at}.port`);
      else if (number < 1 || number > 65535) add(`${at}.port`, 'FieldValueInvalid');
      const protocol = text(port.protocol) ?? '';
      if (protocol !== '' && !supportedProtocols.includes(protocol)) add(`${at}.protocol`, 'FieldValueNotSupported');
      if ('appProtocol' in port && !isQualifiedName(text(port.appProtocol) ?? '')) add(`${at}.appProtocol`, 'FieldValueInvalid');
    });
  });
  return { causes, nonStandardIps, typeErrors };
}

/** The ports whose protocol Kubernetes defaults on decoding (S19, §6 Defaulting): omitted,
 * null or "". Each is valid, and stored and answered as `defaultedProtocol`. */
export const defaultedProtocol = 'TCP';
export function portsWithDefaultedProtocol(body: unknown): string[] {
  if (!isObject(body)) return [];
  const found: string[] = [];
  objects(body.subsets).forEach((subset, i) =>
    objects(subset.ports).forEach((port, k) => {
      if (port.protocol === undefined || port.protocol === null || port.protocol === '') found.push(`subsets[${i}].ports[${k}]`);
    }),
  );
  return found;
}

export function sameCauses(actual: ExpectedCause[], expected: ExpectedCause[]): boolean {
  const key = (cause: ExpectedCause): string => `${cause.field} ${cause.type}`;
  const a = new Set(actual.map(key));
  const b = new Set(expected.map(key));
  return a.size === b.size && [...a].every((item) => b.has(item));
}

/** Members each Endpoints level knows (core/v1); anything else is an unknown field. */
export const knownMembers = {
  top: ['apiVersion', 'kind', 'metadata', 'subsets'],
  metadata: ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'],
  subset: ['addresses', 'notReadyAddresses', 'ports'],
  address: ['ip', 'hostname', 'nodeName', 'targetRef'],
  port: ['name', 'port', 'protocol', 'appProtocol'],
};

/** Paths of members no core/v1 Endpoints level knows. */
export function unknownMembers(body: unknown): string[] {
  const found: string[] = [];
  if (!isObject(body)) return found;
  const check = (object: JsonObject, known: string[], at: string): void => {
    for (const key of Object.keys(object)) if (!known.includes(key)) found.push(`${at}${key}`);
  };
  check(body, knownMembers.top, '');
  if (isObject(body.metadata)) check(body.metadata, knownMembers.metadata, 'metadata.');
  objects(body.subsets).forEach((subset, i) => {
    check(subset, knownMembers.subset, `subsets[${i}].`);
    for (const list of ['addresses', 'notReadyAddresses'] as const) objects(subset[list]).forEach((address, j) => check(address, knownMembers.address, `subsets[${i}].${list}[${j}].`));
    objects(subset.ports).forEach((port, k) => check(port, knownMembers.port, `subsets[${i}].ports[${k}].`));
  });
  return found;
}

/**
 * Writing objects the way the apiserver's JSON encoder does: Go struct field order, omitempty
 * rules of the core/v1 and meta/v1 types, times as RFC 3339 seconds in UTC, HTML-safe escaping of
 * < > & (Go's default), int64 beyond 2^53 printed exactly, a trailing newline, 2-space indent for pretty.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ManagedFieldsEntry, ObjectMeta, ObjectReference, OwnerReference } from './endpointsTypes.ts';

const formattedTimes = new Map<number, string>();

export function formatTime(ms: number): string {
  const cached = formattedTimes.get(ms);
  if (cached !== undefined) return cached;
  const text = new Date(ms).toISOString().slice(0, 19) + 'Z';
  if (formattedTimes.size > 4096) formattedTimes.clear();
  formattedTimes.set(ms, text);
  return text;
}

type Wire = Record<string, unknown>;

function put(o: Wire, key: string, v: string | undefined): void {
  if (v) o[key] = v;
}

function objectReferenceWire(r: ObjectReference): Wire {
  const o: Wire = {};
  put(o, 'kind', r.kind); put(o, 'namespace', r.namespace); put(o, 'name', r.name); put(o, 'uid', r.uid);
  put(o, 'apiVersion', r.apiVersion); put(o, 'resourceVersion', r.resourceVersion); put(o, 'fieldPath', r.fieldPath);
  return o;
}

function addressWire(a: EndpointAddress): Wire {
  const o: Wire = { ip: a.ip ?? '' };
  put(o, 'hostname', a.hostname);
  if (a.nodeName !== undefined) o.nodeName = a.nodeName;
  if (a.targetRef !== undefined) o.targetRef = objectReferenceWire(a.targetRef);
  return o;
}

function portWire(p: EndpointPort): Wire {
  const o: Wire = {};
  put(o, 'name', p.name);
  o.port = p.port ?? 0;
  put(o, 'protocol', p.protocol);
  if (p.appProtocol !== undefined) o.appProtocol = p.appProtocol;
  return o;
}

function subsetWire(s: EndpointSubset): Wire {
  const o: Wire = {};
  if (s.addresses?.length) o.addresses = s.addresses.map(addressWire);
  if (s.notReadyAddresses?.length) o.notReadyAddresses = s.notReadyAddresses.map(addressWire);
  if (s.ports?.length) o.ports = s.ports.map(portWire);
  return o;
}

function ownerReferenceWire(r: OwnerReference): Wire {
  const o: Wire = { apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', name: r.name ?? '', uid: r.uid ?? '' };
  if (r.controller !== undefined) o.controller = r.controller;
  if (r.blockOwnerDeletion !== undefined) o.blockOwnerDeletion = r.blockOwnerDeletion;
  return o;
}

function managedFieldsWire(m: ManagedFieldsEntry): Wire {
  const o: Wire = {};
  put(o, 'manager', m.manager); put(o, 'operation', m.operation); put(o, 'apiVersion', m.apiVersion);
  if (m.time !== undefined) o.time = formatTime(m.time);
  put(o, 'fieldsType', m.fieldsType);
  if (m.fieldsV1 !== undefined) o.fieldsV1 = m.fieldsV1;
  put(o, 'subresource', m.subresource);
  return o;
}

function sortedMap(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}

export interface WireOptions {
  /** The numeric-resource-version fault: resourceVersion as a JSON number. */
  numericResourceVersion?: boolean;
  /** Leave managedFields out (used to compare objects ignoring managedFields). */
  withoutManagedFields?: boolean;
}

export function objectMetaWire(m: ObjectMeta, opts: WireOptions = {}): Wire {
  const o: Wire = {};
  put(o, 'name', m.name); put(o, 'generateName', m.generateName); put(o, 'namespace', m.namespace);
  put(o, 'selfLink', m.selfLink); put(o, 'uid', m.uid);
  if (m.resourceVersion) o.resourceVersion = opts.numericResourceVersion ? Number(m.resourceVersion) : m.resourceVersion;
  if (m.generation) o.generation = m.generation;
  o.creationTimestamp = m.creationTimestamp === undefined ? null : formatTime(m.creationTimestamp);
  if (m.deletionTimestamp !== undefined) o.deletionTimestamp = formatTime(m.deletionTimestamp);
  if (m.deletionGracePeriodSeconds !== undefined) o.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
  if (m.labels && Object.keys(m.labels).length) o.labels = sortedMap(m.labels);
  if (m.annotations && Object.keys(m.annotations).length) o.annotations = sortedMap(m.annotations);
  if (m.ownerReferences?.length) o.ownerReferences = m.ownerReferences.map(ownerReferenceWire);
  if (m.finalizers?.length) o.finalizers = m.finalizers;
  if (m.managedFields?.length && !opts.withoutManagedFields) o.managedFields = m.managedFields.map(managedFieldsWire);
  return o;
}

/** The Endpoints as the apiserver writes it (kind and apiVersion set). */
export function endpointsWire(e: Endpoints, opts: WireOptions = {}): Wire {
  const o: Wire = { kind: 'Endpoints', apiVersion: 'v1', metadata: objectMetaWire(e.metadata, opts) };
  if (e.subsets?.length) o.subsets = e.subsets.map(subsetWire);
  return o;
}

const htmlUnsafe = /[<>&\u2028\u2029]/;
const htmlUnsafeAll = /[<>&\u2028\u2029]/g;
const goEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `\u0000int64:${value}\u0000` : value;
}

/** json.Encoder output: HTML-escaped, newline-terminated, indented by 2 when pretty. */
export function goJson(value: unknown, pretty: boolean): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, pretty ? 2 : undefined);
  } catch {
    text = JSON.stringify(value, bigintReplacer, pretty ? 2 : undefined).replace(/"\\u0000int64:(-?\d+)\\u0000"/g, '$1');
  }
  if (htmlUnsafe.test(text)) text = text.replace(htmlUnsafeAll, (c) => goEscapes[c]);
  return text + '\n';
}

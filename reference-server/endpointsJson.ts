/**
 * The compact JSON of an Endpoints, written straight to text: the same bytes as
 * `goJson(endpointsWire(e), false)` (field order, omitempty rules, HTML-safe escaping, trailing
 * newline) without building the intermediate wire objects. This is the serialization every
 * successful PUT stores and answers, so it is on the hot path.
 */
import { formatTime, goJson, endpointsWire } from './endpointsSerialization.ts';
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, ManagedFieldsEntry, ObjectMeta, ObjectReference, OwnerReference } from './endpointsTypes.ts';

const htmlUnsafeAll = /[<>&\u2028\u2029]/g;
const goEscapes: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Whether Go's encoder would escape something in the text (indexOf is far cheaper than a regex here). */
function hasHtmlUnsafe(text: string): boolean {
  return text.indexOf('<') >= 0 || text.indexOf('>') >= 0 || text.indexOf('&') >= 0 || text.indexOf('\u2028') >= 0 || text.indexOf('\u2029') >= 0;
}

/** JSON.stringify of a string, without calling it for the common string that needs no escape. */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/**
 * JSON of a managedFields entry's fieldsV1, by identity: fieldsV1 values are never changed once
 * they sit in an entry (managedFields.ts copies before it edits), and an unchanged entry keeps the
 * same value from one update to the next, so its text is written once.
 */
const fieldsV1Text = new WeakMap<object, string>();

function fieldsV1Json(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  let text = fieldsV1Text.get(v);
  if (text === undefined) {
    text = JSON.stringify(v);
    fieldsV1Text.set(v, text);
  }
  return text;
}

/** `,"key":"value"` when value is non-empty (the wire's `put`), else nothing. */
function optionalString(key: string, v: string | undefined): string {
  return v ? `,"${key}":${quote(v)}` : '';
}

/** The members of an object written as `,"k":v,...`, starting with a comma; the caller drops it. */
function objectReferenceJson(r: ObjectReference): string {
  const members = optionalString('kind', r.kind) + optionalString('namespace', r.namespace) + optionalString('name', r.name)
    + optionalString('uid', r.uid) + optionalString('apiVersion', r.apiVersion) + optionalString('resourceVersion', r.resourceVersion)
    + optionalString('fieldPath', r.fieldPath);
  return members ? `{${members.slice(1)}}` : '{}';
}

function addressJson(a: EndpointAddress): string {
  let out = `{"ip":${quote(a.ip ?? '')}`;
  out += optionalString('hostname', a.hostname);
  if (a.nodeName !== undefined) out += `,"nodeName":${quote(a.nodeName)}`;
  if (a.targetRef !== undefined) out += `,"targetRef":${objectReferenceJson(a.targetRef)}`;
  return out + '}';
}

function portJson(p: EndpointPort): string {
  let out = p.name ? `{"name":${quote(p.name)},"port":` : '{"port":';
  out += JSON.stringify(p.port ?? 0);
  out += optionalString('protocol', p.protocol);
  if (p.appProtocol !== undefined) out += `,"appProtocol":${quote(p.appProtocol)}`;
  return out + '}';
}

function listJson<T>(items: readonly T[], item: (x: T) => string): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + item(items[i]);
  return out + ']';
}

function subsetJson(s: EndpointSubset): string {
  let out = '{';
  if (s.addresses?.length) out += `"addresses":${listJson(s.addresses, addressJson)}`;
  if (s.notReadyAddresses?.length) out += `${out.length > 1 ? ',' : ''}"notReadyAddresses":${listJson(s.notReadyAddresses, addressJson)}`;
  if (s.ports?.length) out += `${out.length > 1 ? ',' : ''}"ports":${listJson(s.ports, portJson)}`;
  return out + '}';
}

const arrayIndex = /^(?:0|[1-9][0-9]*)$/;

/** True when some key would be enumerated ahead of its sorted place (an array index, < 2^32 - 1). */
function hasIndexKey(keys: readonly string[]): boolean {
  for (const k of keys) {
    const c = k.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39 && arrayIndex.test(k) && Number(k) < 4294967295) return true;
  }
  return false;
}

/**
 * A string map in the order the wire's sorted map is enumerated: keys sorted, except that
 * array-index keys come first in numeric order (how JavaScript enumerates any object).
 */
function stringMapJson(m: Record<string, string>, keys: string[]): string {
  keys.sort();
  if (hasIndexKey(keys)) {
    const ordered: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const k of keys) ordered[k] = m[k];
    return JSON.stringify(ordered);
  }
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += `${i > 0 ? ',' : ''}${quote(keys[i])}:${quote(m[keys[i]])}`;
  return out + '}';
}

function ownerReferenceJson(r: OwnerReference): string {
  let out = `{"apiVersion":${quote(r.apiVersion ?? '')},"kind":${quote(r.kind ?? '')},"name":${quote(r.name ?? '')},"uid":${quote(r.uid ?? '')}`;
  if (r.controller !== undefined) out += `,"controller":${r.controller}`;
  if (r.blockOwnerDeletion !== undefined) out += `,"blockOwnerDeletion":${r.blockOwnerDeletion}`;
  return out + '}';
}

function managedFieldsEntryJson(m: ManagedFieldsEntry): string {
  let members = optionalString('manager', m.manager) + optionalString('operation', m.operation) + optionalString('apiVersion', m.apiVersion);
  if (m.time !== undefined) members += `,"time":"${formatTime(m.time)}"`;
  members += optionalString('fieldsType', m.fieldsType);
  if (m.fieldsV1 !== undefined) members += `,"fieldsV1":${fieldsV1Json(m.fieldsV1)}`;
  members += optionalString('subresource', m.subresource);
  return members ? `{${members.slice(1)}}` : '{}';
}

/** `"key":"value",` when value is non-empty, else nothing (members written before a member that is always there). */
function leadingString(key: string, v: string | undefined): string {
  return v ? `"${key}":${quote(v)},` : '';
}

function objectMetaJson(m: ObjectMeta): string {
  // creationTimestamp is always written: the optional members before it end with a comma, the ones after it start with one.
  let out = '{' + leadingString('name', m.name) + leadingString('generateName', m.generateName) + leadingString('namespace', m.namespace)
    + leadingString('selfLink', m.selfLink) + leadingString('uid', m.uid) + leadingString('resourceVersion', m.resourceVersion);
  if (m.generation) out += `"generation":${m.generation},`;
  out += m.creationTimestamp === undefined ? '"creationTimestamp":null' : `"creationTimestamp":"${formatTime(m.creationTimestamp)}"`;
  if (m.deletionTimestamp !== undefined) out += `,"deletionTimestamp":"${formatTime(m.deletionTimestamp)}"`;
  if (m.deletionGracePeriodSeconds !== undefined) out += `,"deletionGracePeriodSeconds":${m.deletionGracePeriodSeconds}`;
  if (m.labels) {
    const keys = Object.keys(m.labels);
    if (keys.length) out += `,"labels":${stringMapJson(m.labels, keys)}`;
  }
  if (m.annotations) {
    const keys = Object.keys(m.annotations);
    if (keys.length) out += `,"annotations":${stringMapJson(m.annotations, keys)}`;
  }
  if (m.ownerReferences?.length) out += `,"ownerReferences":${listJson(m.ownerReferences, ownerReferenceJson)}`;
  if (m.finalizers?.length) out += `,"finalizers":${JSON.stringify(m.finalizers)}`;
  if (m.managedFields?.length) out += `,"managedFields":${listJson(m.managedFields, managedFieldsEntryJson)}`;
  return out + '}';
}

/** Compact, HTML-safe, newline-terminated JSON of the object as the apiserver stores and answers it. */
export function endpointsJson(e: Endpoints): string {
  const meta = e.metadata;
  // int64 values beyond 2^53 are bigints: the general encoder handles them (rare).
  if (typeof meta.generation === 'bigint' || typeof meta.deletionGracePeriodSeconds === 'bigint') return goJson(endpointsWire(e), false);
  let text = `{"kind":"Endpoints","apiVersion":"v1","metadata":${objectMetaJson(meta)}`;
  if (e.subsets?.length) text += `,"subsets":${listJson(e.subsets, subsetJson)}`;
  text += '}';
  if (hasHtmlUnsafe(text)) text = text.replace(htmlUnsafeAll, (c) => goEscapes[c]);
  return text + '\n';
}

/**
 * Decoding a request body into an Endpoints, the way the apiserver's JSON serializer does:
 * Interpret (apiVersion/kind) → gvkWithDefaults → scheme lookup (R19-R22) → typed unmarshal with
 * Go's type rules (R23) → strict problems: unknown and duplicate fields (R24-R26).
 * Every failure is the text of a 400 BadRequest.
 */
import { fastScanJson, JsonNumber, JsonSyntaxError, scanJson, type JsonObject, type JsonTree } from './jsonScanner.ts';
import { goQuote } from './goText.ts';
import type { Endpoints } from './endpointsTypes.ts';

export type Shape =
  | { k: 'string' }
  | { k: 'int'; bits: 32 | 64 }
  | { k: 'bool' }
  | { k: 'time' }
  | { k: 'raw' }
  | { k: 'map' }
  | { k: 'struct'; spec: StructSpec }
  | { k: 'list'; elem: Shape; elemGoType: string };

export interface FieldSpec { shape: Shape; goType: string; pointer?: boolean }
export interface StructSpec { goName: string; fields: Map<string, FieldSpec> }

export const S = (goType = 'string'): FieldSpec => ({ shape: { k: 'string' }, goType });
export const struct = (goName: string, fields: Record<string, FieldSpec>): StructSpec => ({ goName, fields: new Map(Object.entries(fields)) });
const listOf = (spec: StructSpec, goType: string): FieldSpec =>
  ({ shape: { k: 'list', elem: { k: 'struct', spec }, elemGoType: `v1.${spec.goName}` }, goType });

const objectReference = struct('ObjectReference', {
  kind: S(), namespace: S(), name: S(), uid: S('types.UID'), apiVersion: S(), resourceVersion: S(), fieldPath: S(),
});
const endpointAddress = struct('EndpointAddress', {
  ip: S(), hostname: S(), nodeName: { ...S(), pointer: true },
  targetRef: { shape: { k: 'struct', spec: objectReference }, goType: 'v1.ObjectReference', pointer: true },
});
const endpointPort = struct('EndpointPort', {
  name: S(), port: { shape: { k: 'int', bits: 32 }, goType: 'int32' }, protocol: S('v1.Protocol'),
  appProtocol: { ...S(), pointer: true },
});
const endpointSubset = struct('EndpointSubset', {
  addresses: listOf(endpointAddress, '[]v1.EndpointAddress'),
  notReadyAddresses: listOf(endpointAddress, '[]v1.EndpointAddress'),
  ports: listOf(endpointPort, '[]v1.EndpointPort'),
});
const ownerReference = struct('OwnerReference', {
  apiVersion: S(), kind: S(), name: S(), uid: S('types.UID'),
  controller: { shape: { k: 'bool' }, goType: 'bool', pointer: true },
  blockOwnerDeletion: { shape: { k: 'bool' }, goType: 'bool', pointer: true },
});
const managedFieldsEntry = struct('ManagedFieldsEntry', {
  manager: S(), operation: S('v1.ManagedFieldsOperationType'), apiVersion: S(),
  time: { shape: { k: 'time' }, goType: 'v1.Time', pointer: true },
  fieldsType: S(), fieldsV1: { shape: { k: 'raw' }, goType: 'v1.FieldsV1', pointer: true }, subresource: S(),
});
const objectMeta = struct('ObjectMeta', {
  name: S(), generateName: S(), namespace: S(), selfLink: S(), uid: S('types.UID'), resourceVersion: S(),
  generation: { shape: { k: 'int', bits: 64 }, goType: 'int64' },
  creationTimestamp: { shape: { k: 'time' }, goType: 'v1.Time' },
  deletionTimestamp: { shape: { k: 'time' }, goType: 'v1.Time', pointer: true },
  deletionGracePeriodSeconds: { shape: { k: 'int', bits: 64 }, goType: 'int64', pointer: true },
  labels: { shape: { k: 'map' }, goType: 'map[string]string' },
  annotations: { shape: { k: 'map' }, goType: 'map[string]string' },
  ownerReferences: listOf(ownerReference, '[]v1.OwnerReference'),
  finalizers: { shape: { k: 'list', elem: { k: 'string' }, elemGoType: 'string' }, goType: '[]string' },
  managedFields: listOf(managedFieldsEntry, '[]v1.ManagedFieldsEntry'),
});
const endpoints = struct('Endpoints', {
  kind: S(), apiVersion: S(),
  metadata: { shape: { k: 'struct', spec: objectMeta }, goType: 'v1.ObjectMeta' },
  subsets: listOf(endpointSubset, '[]v1.EndpointSubset'),
});

export interface DecodeContext { typeError?: string; unknown: string[] }

export function jsonKind(node: JsonTree): string {
  if (typeof node === 'boolean') return 'bool';
  if (typeof node === 'string') return 'string';
  if (typeof node === 'number' || node instanceof JsonNumber) return 'number';
  if (Array.isArray(node)) return 'array';
  return 'object';
}

export function isObject(node: JsonTree): node is JsonObject {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof JsonNumber);
}

/** The literal text of a number, from either parser. */
function numberText(node: number | JsonNumber): string {
  return typeof node === 'number' ? String(node) : node.text;
}

function typeError(ctx: DecodeContext, value: string, goStruct: string, goPath: string, goType: string): undefined {
  ctx.typeError ??= `json: cannot unmarshal ${value} into Go struct field ${goStruct}.${goPath} of type ${goType}`;
  return undefined;
}

const integerLiteral = /^-?\d+$/;
const int32Min = -(2 ** 31);
const int32Max = 2 ** 31 - 1;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** time.Parse(time.RFC3339, s) → ms since epoch truncated to seconds, or an error text. */
export function parseRfc3339(s: string): number | string {
  const m = rfc3339.exec(s);
  const bad = `parsing time ${goQuote(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${goQuote(s)} as "2006"`;
  if (!m) return bad;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return `parsing time ${goQuote(s)}: month, day or time out of range`;
  let offsetMin = 0;
  const tz = m[8];
  if (tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1 : 1;
    offsetMin = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, se) - offsetMin * 60000;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return `parsing time ${goQuote(s)}: day out of range`;
  return ms;
}

function toPlain(node: JsonTree): unknown {
  if (node instanceof JsonNumber) return Number(node.text);
  if (Array.isArray(node)) return node.map(toPlain);
  if (isObject(node)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(node)) out[k] = toPlain(node[k]);
    return out;
  }
  return node;
}

function zeroOf(shape: Shape): unknown {
  switch (shape.k) {
    case 'string': return '';
    case 'int': return 0;
    case 'bool': return false;
    case 'struct': return {};
    default: return undefined;
  }
}

function decodeValue(node: JsonTree, shape: Shape, goType: string, ctx: DecodeContext,
  goStruct: string, goPath: string, strictPath: string): unknown {
  if (node === null) return undefined;
  switch (shape.k) {
    case 'string':
      return typeof node === 'string' ? node : typeError(ctx, jsonKind(node), goStruct, goPath, goType);
    case 'bool':
      return typeof node === 'boolean' ? node : typeError(ctx, jsonKind(node), goStruct, goPath, goType);
    case 'raw':
      return toPlain(node);
    case 'int': {
      if (!(node instanceof JsonNumber) && typeof node !== 'number') return typeError(ctx, jsonKind(node), goStruct, goPath, goType);
      const t = numberText(node);
      if (!integerLiteral.test(t)) return typeError(ctx, `number ${t}`, goStruct, goPath, goType);
      if (shape.bits === 32) {
        const n = Number(t);
        if (n < int32Min || n > int32Max) return typeError(ctx, `number ${t}`, goStruct, goPath, goType);
        return n === 0 ? 0 : n;
      }
      const b = BigInt(t);
      if (b < int64Min || b > int64Max) return typeError(ctx, `number ${t}`, goStruct, goPath, goType);
      return b >= -(2n ** 53n) && b <= 2n ** 53n ? Number(b) : b;
    }
    case 'time': {
      if (typeof node !== 'string') {
        ctx.typeError ??= `json: cannot unmarshal ${jsonKind(node)} into Go value of type string`;
        return undefined;
      }
      const t = parseRfc3339(node);
      if (typeof t === 'string') { ctx.typeError ??= t; return undefined; }
      return t;
    }
    case 'map': {
      if (!isObject(node)) return typeError(ctx, jsonKind(node), goStruct, goPath, goType);
      // null prototype: a "__proto__" key is an ordinary (invalid) label, not a prototype change
      const out: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const key of Object.keys(node)) {
        const v = node[key];
        if (v === null) out[key] = '';
        else if (typeof v === 'string') out[key] = v;
        else typeError(ctx, jsonKind(v), goStruct, goPath, 'string');
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(node)) return typeError(ctx, jsonKind(node), goStruct, goPath, goType);
      const out: unknown[] = new Array(node.length);
      for (let i = 0; i < node.length; i++) {
        const el = node[i];
        const v = el === null ? zeroOf(shape.elem)
          : decodeValue(el, shape.elem, shape.elemGoType, ctx, goStruct, goPath, `${strictPath}[${i}]`);
        out[i] = v ?? zeroOf(shape.elem);
      }
      return out;
    }
    case 'struct': {
      if (!isObject(node)) return typeError(ctx, jsonKind(node), goStruct, goPath, goType);
      return decodeStruct(node, shape.spec, ctx, goPath, strictPath);
    }
  }
}

export function decodeStruct(node: JsonObject, spec: StructSpec, ctx: DecodeContext, goPath: string, strictPath: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node)) {
    const f = spec.fields.get(key);
    const childStrict = strictPath ? `${strictPath}.${key}` : key;
    if (!f) { ctx.unknown.push(`unknown field ${JSON.stringify(childStrict)}`); continue; }
    const childGo = goPath ? `${goPath}.${key}` : key;
    const v = decodeValue(node[key], f.shape, f.goType, ctx, spec.goName, childGo, childStrict);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Registered types the legacy scheme knows, by "group/version" then kind → Go type name. */
const registeredKinds: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['v1', new Set(['Binding', 'ComponentStatus', 'ComponentStatusList', 'ConfigMap', 'ConfigMapList', 'Endpoints', 'EndpointsList',
    'Event', 'EventList', 'LimitRange', 'LimitRangeList', 'Namespace', 'NamespaceList', 'Node', 'NodeList', 'PersistentVolume',
    'PersistentVolumeClaim', 'PersistentVolumeClaimList', 'PersistentVolumeList', 'Pod', 'PodList', 'PodTemplate', 'PodTemplateList',
    'ReplicationController', 'ReplicationControllerList', 'ResourceQuota', 'ResourceQuotaList', 'Secret', 'SecretList', 'Service',
    'ServiceAccount', 'ServiceAccountList', 'ServiceList', 'Status', 'List', 'DeleteOptions', 'GetOptions', 'ListOptions',
    'CreateOptions', 'UpdateOptions', 'PatchOptions', 'WatchEvent'])],
  ['apps/v1', new Set(['Deployment', 'DeploymentList', 'StatefulSet', 'StatefulSetList', 'DaemonSet', 'DaemonSetList', 'ReplicaSet', 'ReplicaSetList'])],
  ['discovery.k8s.io/v1', new Set(['EndpointSlice', 'EndpointSliceList'])],
]);

const schemeName = 'k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30';

function summarizeData(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  if (body[0] === 0x7b) return body.length > 30 ? body.subarray(0, 30).toString('utf8') + ' ...' : body.toString('utf8');
  return body.length > 30 ? body.subarray(0, 30).toString('hex') + ' ...' : body.toString('hex');
}

export type DecodeOutcome =
  | { ok: true; endpoints: Endpoints; strictProblems: string[] }
  | { ok: false; message: string; syntaxError: boolean };

const unrecognized = (detail: string, body: Buffer, syntaxError = false): DecodeOutcome =>
  ({ ok: false, message: `the object provided is unrecognized (must be of type Endpoints): ${detail} (${summarizeData(body)})`, syntaxError });

/** Decodes `text` (the body as JSON text; `body` the raw bytes, for the error summary). */
export function decodeEndpoints(text: string, body: Buffer): DecodeOutcome {
  let tree: JsonTree;
  let duplicates: string[];
  try {
    ({ value: tree, duplicates } = fastScanJson(text) ?? scanJson(text));
  } catch (e) {
    if (e instanceof JsonSyntaxError) return unrecognized(`couldn't get version/kind; json parse error: ${e.message}`, body, true);
    throw e;
  }

  // Interpret: encoding/json into struct{APIVersion, Kind} (keys matched case-insensitively).
  let apiVersion = '';
  let kind = '';
  if (tree !== null) {
    if (!isObject(tree)) {
      return unrecognized(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(tree)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`, body);
    }
    for (const key of Object.keys(tree)) {
      const lower = key.toLowerCase();
      if (lower !== 'apiversion' && lower !== 'kind') continue;
      const v = tree[key];
      if (v !== null && typeof v !== 'string') {
        return unrecognized(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${lower === 'kind' ? 'kind' : 'apiVersion'} of type string`, body);
      }
      if (lower === 'kind') kind = v ?? ''; else apiVersion = v ?? '';
    }
  }

  // schema.ParseGroupVersion then gvkWithDefaults(actual, v1 Endpoints).
  let group = '';
  let version = '';
  if (apiVersion !== '' && apiVersion !== '/') {
    const slashes = apiVersion.split('/').length - 1;
    if (slashes > 1) return unrecognized(`unexpected GroupVersion string: ${apiVersion}`, body);
    if (slashes === 1) [group, version] = apiVersion.split('/');
    else version = apiVersion;
  }
  if (kind === '') kind = 'Endpoints';
  if (version === '' && group === '') version = 'v1';
  if (version === '' && group === '') version = 'v1';

  if (!(group === '' && version === 'v1' && kind === 'Endpoints')) {
    const gv = group ? `${group}/${version}` : version;
    const prefix = `${kind} in version ${JSON.stringify(version)} cannot be handled as a Endpoints: `;
    if (registeredKinds.get(gv)?.has(kind)) {
      return { ok: false, message: `${prefix}converting (v1.${kind}) to (core.Endpoints): unknown conversion`, syntaxError: false };
    }
    return { ok: false, message: `${prefix}no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(gv)} in scheme ${JSON.stringify(schemeName)}`, syntaxError: false };
  }

  const ctx: DecodeContext = { unknown: [] };
  const decoded = tree === null ? {} : decodeStruct(tree as JsonObject, endpoints, ctx, '', '');
  const prefix = 'Endpoints in version "v1" cannot be handled as a Endpoints: ';
  if (ctx.typeError) return { ok: false, message: prefix + ctx.typeError, syntaxError: false };
  const result = decoded as unknown as Endpoints;
  result.metadata ??= {};
  const strictProblems = [...ctx.unknown, ...duplicates.map((p) => `duplicate field ${JSON.stringify(p)}`)];
  return { ok: true, endpoints: result, strictProblems };
}

/** The 400 message for strict problems under fieldValidation=Strict (R25). */
export function strictDecodingMessage(problems: readonly string[]): string {
  return `Endpoints in version "v1" cannot be handled as a Endpoints: strict decoding error: ${problems.join(', ')}`;
}

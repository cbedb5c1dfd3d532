/**
 * The shape of the request bodies the generators build (a subset of core/v1 Endpoints, with
 * room for wrong types), their conversion to plain JSON, and the contract field paths a body
 * exercises (for the coverage report).
 */
import type { JsonValue } from './case.ts';

export interface ObjectReferenceBody {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EndpointAddressBody {
  ip?: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReferenceBody;
}

export interface EndpointPortBody {
  name?: string;
  /** JsonValue so that wrong types (R23) can be expressed. */
  port?: JsonValue;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSubsetBody {
  addresses?: EndpointAddressBody[];
  notReadyAddresses?: EndpointAddressBody[];
  ports?: EndpointPortBody[];
}

export interface OwnerReferenceBody {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMetaBody {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReferenceBody[];
  finalizers?: string[];
}

export interface EndpointsBody {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetaBody;
  subsets?: EndpointSubsetBody[];
}

export type AddressList = 'addresses' | 'notReadyAddresses';

/** Sets an own member, `__proto__` included (a plain assignment would change the prototype). */
export function setMember<V>(target: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Plain JSON: undefined members dropped, prototypes normalised, a deep copy. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`not JSON: ${value}`);
      return value;
    case 'object': {
      if (Array.isArray(value)) {
        const items: JsonValue[] = new Array<JsonValue>(value.length);
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          items[index] = toJsonValue(item === undefined ? null : item);
        }
        return items;
      }
      const result: { [key: string]: JsonValue } = {};
      const record = value as Record<string, unknown>;
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
        const item = record[key];
        if (item !== undefined) setMember(result, key, toJsonValue(item));
      }
      return result;
    }
    default:
      throw new Error(`not JSON: ${typeof value}`);
  }
}

/** Whether `value` is JSON data already: no undefined members, finite numbers only. */
export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index += 1) if (!isJsonValue(value[index])) return false;
        return true;
      }
      const record = value as Record<string, unknown>;
      for (const key in record) if (!isJsonValue(record[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** `value` as JSON data for a case that will only be read: the value itself when it already is
 * plain JSON (the common case: nothing is copied), else a cleaned copy (toJsonValue). Never
 * mutate what this returns. */
export function jsonView(value: unknown): JsonValue {
  return isJsonValue(value) ? value : toJsonValue(value);
}

/** A deep copy of plain data (objects, arrays, primitives; members that are undefined kept).
 * What the generators copy is always such data, so this is all `structuredClone` would do
 * for them, at a fraction of its cost. Spread copies keep each object's shape (and define
 * `__proto__` as an own member, as JSON.parse does). */
export function copyPlainData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => copyPlainData(item)) as T;
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in result) {
    const item = result[key];
    if (item !== null && typeof item === 'object') result[key] = copyPlainData(item);
  }
  return result as T;
}

/** A deep, mutable copy of a body (generated values must never be mutated in place). */
export function copyBody(body: EndpointsBody): EndpointsBody {
  return copyPlainData(body);
}

/** Maps whose keys are data, not fields: exercised as a whole. */
const mapFields = new Set(['metadata.labels', 'metadata.annotations']);

/** `path.key` (or `key` at the top), remembered: bodies repeat the same few paths. */
const childPaths = new Map<string, Map<string, string>>();
function childPath(path: string, key: string): string {
  let children = childPaths.get(path);
  if (children === undefined) {
    children = new Map();
    childPaths.set(path, children);
  }
  let child = children.get(key);
  if (child === undefined) {
    child = path === '' ? key : `${path}.${key}`;
    // generated keys (labels, annotations) live under map fields and never get here; the
    // bound only guards against a caller walking arbitrary JSON
    if (children.size < 1024) children.set(key, child);
  }
  return child;
}
const itemPaths = new Map<string, string>();
function itemPath(path: string): string {
  let item = itemPaths.get(path);
  if (item === undefined) {
    item = `${path}[]`;
    if (itemPaths.size < 1024) itemPaths.set(path, item);
  }
  return item;
}

/** Contract field paths present in a JSON body, arrays written `[]`:
 * e.g. 'subsets[].addresses[].ip', 'metadata.labels'. Sorted, distinct. */
export function exercisedFields(body: JsonValue): string[] {
  const found = new Set<string>();
  const walk = (value: JsonValue, path: string): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) found.add(path);
      const inner = itemPath(path);
      for (let index = 0; index < value.length; index += 1) walk(value[index], inner);
      return;
    }
    if (value !== null && typeof value === 'object' && !mapFields.has(path)) {
      let empty = true;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        empty = false;
        walk(value[key], childPath(path, key));
      }
      if (empty && path !== '') found.add(path);
      return;
    }
    if (path !== '') found.add(path);
  };
  walk(body, '');
  return [...found].sort();
}

/** The exercised-field path of a concrete cause field: 'subsets[1].ports[0].name' → 'subsets[].ports[].name'. */
export function fieldPattern(field: string): string {
  return field.replace(/\[\d+\]/g, '[]');
}

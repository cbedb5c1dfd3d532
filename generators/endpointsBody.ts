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
      if (Array.isArray(value)) return value.map((item) => toJsonValue(item === undefined ? null : item));
      const result: { [key: string]: JsonValue } = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item !== undefined) result[key] = toJsonValue(item);
      }
      return result;
    }
    default:
      throw new Error(`not JSON: ${typeof value}`);
  }
}

/** A deep, mutable copy of a body (generated values must never be mutated in place). */
export function copyBody(body: EndpointsBody): EndpointsBody {
  return structuredClone(body);
}

/** Maps whose keys are data, not fields: exercised as a whole. */
const mapFields = new Set(['metadata.labels', 'metadata.annotations']);

/** Contract field paths present in a JSON body, arrays written `[]`:
 * e.g. 'subsets[].addresses[].ip', 'metadata.labels'. Sorted, distinct. */
export function exercisedFields(body: JsonValue): string[] {
  const found = new Set<string>();
  const walk = (value: JsonValue, path: string): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) found.add(path);
      for (const item of value) walk(item, `${path}[]`);
      return;
    }
    if (value !== null && typeof value === 'object' && !mapFields.has(path)) {
      const entries = Object.entries(value);
      if (entries.length === 0 && path !== '') found.add(path);
      for (const [key, item] of entries) walk(item, path === '' ? key : `${path}.${key}`);
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

/** Comparing JSON values the way Kubernetes serialises them: unknown fields pruned by the
 * contract's schema, empty values (null, "", [], {}) treated as absent (Go's omitempty). */
import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import { isJsonObject, shortJson } from './answerBody.ts';

type Schema = OpenAPIV3.SchemaObject;

function asSchema(value: unknown): Schema | undefined {
  return isJsonObject(value) ? (value as Schema) : undefined;
}

/** `value` with only the properties the (dereferenced) schema declares, recursively. */
export function pruneToSchema(value: unknown, schema: Schema | undefined): unknown {
  if (schema === undefined) return value;
  if (Array.isArray(value)) {
    const items = schema.type === 'array' ? asSchema((schema as OpenAPIV3.ArraySchemaObject).items) : undefined;
    return value.map((item) => pruneToSchema(item, items));
  }
  if (isJsonObject(value) && schema.properties !== undefined) {
    const pruned: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const property = asSchema(schema.properties[key]);
      if (property !== undefined) pruned[key] = pruneToSchema(item, property);
    }
    return pruned;
  }
  return value;
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isJsonObject(value) && Object.keys(value).length === 0)
  );
}

/** `value` with empty members dropped from objects (recursively), as omitempty would. */
export function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (isJsonObject(value)) {
    const kept: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const normalised = withoutEmpty(item);
      if (!isEmpty(normalised)) kept[key] = normalised;
    }
    return kept;
  }
  return value;
}

/** A value normalised as a member of an object would be: empty → undefined. */
export function normalisedMember(value: unknown): unknown {
  return (withoutEmpty({ value }) as { value?: unknown }).value;
}

/** The first place two JSON values differ, as "path: expected X, got Y", or undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (isDeepStrictEqual(expected, actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      return `${path || '(root)'}: expected ${expected.length} items, got ${actual.length}`;
    }
    for (let index = 0; index < expected.length; index += 1) {
      const found = firstDifference(expected[index], actual[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
  }
  if (isJsonObject(expected) && isJsonObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const found = firstDifference(expected[key], actual[key], path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return `${path || '(root)'}: expected ${shortJson(expected, 120)}, got ${shortJson(actual, 120)}`;
}

/** Typed reads from a parsed answer body: the object, its metadata, a meta/v1 Status. */
import type { ParsedBody } from './exchange.ts';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The body when it is a JSON object. */
export function bodyObject(body: ParsedBody): JsonObject | undefined {
  return body.kind === 'json' && isJsonObject(body.value) ? body.value : undefined;
}

/** `metadata.<key>` of an object body. */
export function metadataValue(body: ParsedBody, key: string): unknown {
  const object = bodyObject(body);
  if (object === undefined || !isJsonObject(object.metadata)) return undefined;
  return object.metadata[key];
}

export interface StatusBody {
  reason: unknown;
  code: unknown;
  causes: Array<{ field: unknown; reason: unknown }>;
}

/** The body as a meta/v1 Status (kind "Status"), if it is one. */
export function statusBody(body: ParsedBody): StatusBody | undefined {
  const object = bodyObject(body);
  if (object === undefined || object.kind !== 'Status') return undefined;
  const details = isJsonObject(object.details) ? object.details : undefined;
  const causes = details !== undefined && Array.isArray(details.causes) ? details.causes : [];
  return {
    reason: object.reason,
    code: object.code,
    causes: causes.map((cause) => (isJsonObject(cause) ? { field: cause.field, reason: cause.reason } : { field: undefined, reason: undefined })),
  };
}

/** A short, one-line rendering of a value for expected/actual texts. */
export function shortJson(value: unknown, maxLength = 200): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

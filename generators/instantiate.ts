/**
 * Fills the `{{…}}` placeholders of a case step (see case.ts) just before it is fired.
 *
 * - `{{namespace}}`, `{{missingNamespace}}`, `{{unique}}`, `{{runId}}` come from the context.
 * - `{{stepN.a.b.0.c}}` is read from the parsed JSON body of step N's response. When a JSON
 *   string is exactly one such placeholder the value keeps its JSON type; inside a longer
 *   string it is inserted as text. In a path it is percent-encoded.
 * An unknown placeholder, or a step value that is missing, throws a `PlaceholderError` with a
 * one-line message (the runner reports the step as not runnable).
 */
import type { CaseBody, CaseRequest, CaseStep, JsonValue } from './case.ts';
import { isJsonValue, setMember } from './endpointsBody.ts';

export interface InstanceContext {
  namespace: string;
  missingNamespace: string;
  unique: string;
  runId: string;
}

export class PlaceholderError extends Error {
  override name = 'PlaceholderError';
}

const placeholderPattern = /\{\{([A-Za-z0-9_.-]+)\}\}/g;
const wholePlaceholder = /^\{\{([A-Za-z0-9_.-]+)\}\}$/;
const stepReference = /^step(\d+)((?:\.[A-Za-z0-9_-]+)+)$/;

type TextEncoding = (text: string) => string;
const asIs: TextEncoding = (text) => text;

/** The value a placeholder stands for, keeping its JSON type. */
function placeholderValue(
  token: string,
  context: InstanceContext,
  priorResponseBodies: ReadonlyArray<unknown>,
): JsonValue {
  switch (token) {
    case 'namespace':
      return context.namespace;
    case 'missingNamespace':
      return context.missingNamespace;
    case 'unique':
      return context.unique;
    case 'runId':
      return context.runId;
  }
  const reference = stepReference.exec(token);
  if (reference === null) throw new PlaceholderError(`unknown placeholder {{${token}}}`);
  const stepIndex = Number(reference[1]);
  if (stepIndex >= priorResponseBodies.length) {
    throw new PlaceholderError(`placeholder {{${token}}} refers to step ${stepIndex}, which has not run`);
  }
  let current: unknown = priorResponseBodies[stepIndex];
  for (const key of reference[2].slice(1).split('.')) {
    if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      throw new PlaceholderError(`placeholder {{${token}}}: step ${stepIndex}'s response has no such value`);
    }
  }
  if (!isJsonValue(current)) {
    throw new PlaceholderError(`placeholder {{${token}}}: step ${stepIndex}'s value is not JSON data`);
  }
  return current;
}

function valueAsText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fillText(
  text: string,
  context: InstanceContext,
  priorResponseBodies: ReadonlyArray<unknown>,
  encode: TextEncoding = asIs,
): string {
  if (!text.includes('{{')) return text;
  return text.replace(placeholderPattern, (_match, token: string) =>
    encode(valueAsText(placeholderValue(token, context, priorResponseBodies))),
  );
}

/** `value` with its placeholders filled. Parts without placeholders are returned as they are
 * (shared with the case, which nothing mutates): only the objects on the way to a placeholder
 * are copied. */
function fillJson(value: JsonValue, context: InstanceContext, priorResponseBodies: ReadonlyArray<unknown>): JsonValue {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const whole = wholePlaceholder.exec(value);
    if (whole !== null) return placeholderValue(whole[1], context, priorResponseBodies);
    return fillText(value, context, priorResponseBodies);
  }
  if (Array.isArray(value)) {
    let items: JsonValue[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const filled = fillJson(value[index], context, priorResponseBodies);
      if (filled !== value[index]) {
        items ??= value.slice();
        items[index] = filled;
      }
    }
    return items ?? value;
  }
  if (value !== null && typeof value === 'object') {
    let filled: { [key: string]: JsonValue } | undefined;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const filledKey = key.includes('{{') ? fillText(key, context, priorResponseBodies) : key;
      const item = fillJson(value[key], context, priorResponseBodies);
      if (filled === undefined && (filledKey !== key || item !== value[key])) {
        // the first change: the members before it were all unchanged
        filled = {};
        for (const earlier in value) {
          if (earlier === key) break;
          if (Object.prototype.hasOwnProperty.call(value, earlier)) setMember(filled, earlier, value[earlier]);
        }
      }
      if (filled !== undefined) setMember(filled, filledKey, item);
    }
    return filled ?? value;
  }
  return value;
}

function fillBody(body: CaseBody, context: InstanceContext, priorResponseBodies: ReadonlyArray<unknown>): CaseBody {
  switch (body.kind) {
    case 'json':
      return { kind: 'json', value: fillJson(body.value, context, priorResponseBodies) };
    case 'raw':
      return { kind: 'raw', text: fillText(body.text, context, priorResponseBodies) };
    case 'none':
      return body;
  }
}

function fillRequest(
  request: CaseRequest,
  context: InstanceContext,
  priorResponseBodies: ReadonlyArray<unknown>,
): CaseRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = fillText(value, context, priorResponseBodies);
  }
  return {
    method: request.method,
    path: fillText(request.path, context, priorResponseBodies, encodeURIComponent),
    query: request.query.map(([name, value]): [string, string] => [
      fillText(name, context, priorResponseBodies),
      fillText(value, context, priorResponseBodies),
    ]),
    headers,
    body: fillBody(request.body, context, priorResponseBodies),
    auth: request.auth,
  };
}

/** A copy of `step`'s request with every placeholder filled. The expectation is the case's own
 * (shared, not copied): nothing downstream writes to an expectation. */
export function instantiateStep(
  step: CaseStep,
  context: InstanceContext,
  priorResponseBodies: ReadonlyArray<unknown>,
): CaseStep {
  return {
    request: fillRequest(step.request, context, priorResponseBodies),
    expect: step.expect,
  };
}

/**
 * How a case's requests and expectations are written: the resource path (placeholders kept,
 * everything else percent-encoded), PUT/GET steps, and the common expectations.
 */
import type { CaseAuth, CaseBody, CaseRequest, CaseStep, ExpectedCause, StepExpectation } from './case.ts';

const placeholder = /(\{\{[A-Za-z0-9_.-]+\}\})/;

/** Percent-encodes a path segment template, leaving `{{…}}` placeholders intact. */
export function encodeSegmentTemplate(template: string): string {
  return template
    .split(placeholder)
    .map((part) => (placeholder.test(part) ? part : encodeURIComponent(part)))
    .join('');
}

export function endpointsPath(nameTemplate: string, namespaceTemplate = '{{namespace}}'): string {
  return `/api/v1/namespaces/${encodeSegmentTemplate(namespaceTemplate)}/endpoints/${encodeSegmentTemplate(nameTemplate)}`;
}

export interface RequestOptions {
  method?: CaseRequest['method'];
  /** Object name in the URL (template). */
  name: string;
  namespace?: string;
  query?: Array<[string, string]>;
  headers?: Record<string, string>;
  auth?: CaseAuth;
}

export function request(options: RequestOptions, body: CaseBody): CaseRequest {
  return {
    method: options.method ?? 'PUT',
    path: endpointsPath(options.name, options.namespace),
    query: options.query ?? [],
    headers: options.headers ?? {},
    body,
    auth: options.auth ?? 'valid',
  };
}

export function step(req: CaseRequest, expect: StepExpectation): CaseStep {
  return { request: req, expect };
}

/** A GET of the object, e.g. after a dryRun step. */
export function getRequest(name: string): CaseRequest {
  return request({ method: 'GET', name }, { kind: 'none' });
}

export const expectCreated = (): StepExpectation => ({ status: [201], echo: true, createsObject: true });

export function expectInvalid(causes: ExpectedCause[]): StepExpectation {
  return { status: [422], reason: ['Invalid'], causes: distinctCauses(causes), invalidInput: true };
}

export const expectBadRequest = (): StepExpectation => ({ status: [400], reason: ['BadRequest'], invalidInput: true });

/** The distinct (field, type) pairs, in first-seen order. */
export function distinctCauses(causes: ExpectedCause[]): ExpectedCause[] {
  const seen = new Set<string>();
  const result: ExpectedCause[] = [];
  for (const cause of causes) {
    const key = `${cause.field}\u0000${cause.type}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push({ field: cause.field, type: cause.type });
    }
  }
  return result;
}

/** Query pairs → exercised-field names ('query.dryRun'). */
export function queryFields(query: Array<[string, string]>): string[] {
  return [...new Set(query.map(([name]) => `query.${name}`))];
}

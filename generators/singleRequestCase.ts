/**
 * Assembles the common one-request case: a PUT (or other method) of a body, what a conformant
 * server answers, and which contract fields it exercises validly and invalidly.
 */
import type { CaseAuth, CaseBody, CaseRequest, ConformanceCase, StepExpectation } from './case.ts';
import { exercisedFields, jsonView, type EndpointsBody } from './endpointsBody.ts';
import { queryFields, request, step } from './requestShape.ts';

const headerNames: Record<string, string> = {
  'content-type': 'header.Content-Type',
  accept: 'header.Accept',
};

export function headerFields(headers: Record<string, string>): string[] {
  return Object.keys(headers).map((name) => headerNames[name] ?? `header.${name}`);
}

export interface SingleRequestOptions {
  category: string;
  description: string;
  /** A typed body (sent as JSON) or an explicit CaseBody (raw text, none). */
  body: EndpointsBody | CaseBody;
  /** URL name template; defaults to the body's metadata.name. */
  name?: string;
  namespace?: string;
  method?: CaseRequest['method'];
  query?: Array<[string, string]>;
  headers?: Record<string, string>;
  auth?: CaseAuth;
  expect: StepExpectation;
  /** Contract fields this case makes invalid (e.g. 'subsets[].addresses[].ip', 'query.dryRun'). */
  invalidFields: string[];
  needs?: ConformanceCase['needs'];
}

function isCaseBody(body: EndpointsBody | CaseBody): body is CaseBody {
  return 'kind' in body && (body.kind === 'json' || body.kind === 'raw' || body.kind === 'none') && !('metadata' in body);
}

export function bodyName(body: EndpointsBody | CaseBody): string {
  if (!isCaseBody(body)) return body.metadata.name ?? '{{unique}}';
  return '{{unique}}';
}

export function singleRequestCase(options: SingleRequestOptions): ConformanceCase {
  const caseBody: CaseBody = isCaseBody(options.body) ? options.body : { kind: 'json', value: jsonView(options.body) };
  const query = options.query ?? [];
  const headers = options.headers ?? {};
  const bodyFields = caseBody.kind === 'json' ? exercisedFields(caseBody.value) : [];
  const invalid = [...new Set(options.invalidFields)];
  const valid = [...new Set(['path.namespace', 'path.name', ...bodyFields, ...queryFields(query), ...headerFields(headers)])]
    .filter((field) => !invalid.includes(field));
  const req = request(
    { method: options.method, name: options.name ?? bodyName(options.body), namespace: options.namespace, query, headers, auth: options.auth },
    caseBody,
  );
  return {
    category: options.category,
    description: options.description,
    steps: [step(req, options.expect)],
    exercises: { valid, invalid },
    needs: options.needs ?? [],
  };
}

/** Turns an instantiated case step into the request that goes on the wire: base URL + path +
 * query, default Content-Type/Accept, credentials per `step.request.auth`, dryRun=All added
 * under --dry-run-only. */
import type { CaseAuth, CaseRequest } from '../../generators/case.ts';
import { authHeaders } from '../connection/types.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import type { OutgoingRequest } from '../transport/types.ts';

/** Sent for `auth: 'invalid'`: no target issues it. Not a secret. */
export const invalidToken = 'conformance-invalid-token-7f3a9c';

export interface PreparedRequest {
  request: OutgoingRequest;
  /** The query carries dryRun (from the case or added). */
  dryRun: boolean;
  /** Which credential went out, for masking and curl rendering. */
  credential: CaseAuth;
}

export function isWriteMethod(method: string): boolean {
  return method === 'PUT' || method === 'POST';
}

function queryString(query: ReadonlyArray<[string, string]>): string {
  if (query.length === 0) return '';
  return `?${query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

function credentialHeaders(auth: CaseAuth, connection: ResolvedConnection): Record<string, string> {
  switch (auth) {
    case 'valid':
      return connection.auth.token === undefined ? {} : authHeaders(connection.auth.scheme, connection.auth.token);
    case 'readonly':
      return connection.auth.readonlyToken === undefined ? {} : authHeaders(connection.auth.scheme, connection.auth.readonlyToken);
    case 'invalid':
      return authHeaders(connection.auth.scheme, invalidToken);
    case 'none':
      return {};
  }
}

export function prepareRequest(
  caseRequest: CaseRequest,
  connection: ResolvedConnection,
  options: { dryRunOnly: boolean },
): PreparedRequest {
  const query = [...caseRequest.query];
  let dryRun = query.some(([name]) => name === 'dryRun');
  if (options.dryRunOnly && caseRequest.method === 'PUT' && !dryRun) {
    query.push(['dryRun', 'All']);
    dryRun = true;
  }
  let body: string | undefined;
  if (caseRequest.body.kind === 'json') body = JSON.stringify(caseRequest.body.value);
  else if (caseRequest.body.kind === 'raw') body = caseRequest.body.text;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(caseRequest.headers)) {
    const lower = name.toLowerCase();
    if (value === '') delete headers[lower];
    else headers[lower] = value;
  }
  Object.assign(headers, credentialHeaders(caseRequest.auth, connection));
  // a run-time credential (exec plugin, client certificate) is added when the request is sent
  const authenticate = caseRequest.auth === 'valid' && connection.auth.token === undefined && connection.credentials !== undefined;
  const request: OutgoingRequest = {
    method: caseRequest.method,
    url: `${connection.baseUrl}${caseRequest.path}${queryString(query)}`,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(authenticate ? { authenticate: true as const } : {}),
  };
  return { request, dryRun, credential: caseRequest.auth };
}

/** The object a write to `/api/v1/namespaces/{namespace}/endpoints/{name}` targets, when it
 * is in the run's namespace (the janitor's concern); undefined otherwise. */
export function writtenObjectName(path: string, namespace: string): string | undefined {
  const match = /^\/api\/v1\/namespaces\/([^/?]+)\/endpoints\/([^/?]+)$/.exec(path);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]) === namespace ? decodeURIComponent(match[2]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Token authentication and the simple authorization this server models: a read-write token may
 * do everything, a read-only token may only read, an update-only token may update but not create
 * (R4). Tokens come from `Authorization: Bearer <t>` (Kubernetes) or `X-Auth-Token: <t>` (vendor).
 */
import type { IncomingHttpHeaders } from 'node:http';

export type Identity =
  | { kind: 'readWrite'; user: string }
  | { kind: 'readOnly'; user: string }
  | { kind: 'updateOnly'; user: string }
  | { kind: 'none' };

export interface TokenTable {
  readWrite: ReadonlySet<string>;
  readOnly: ReadonlySet<string>;
  updateOnly: ReadonlySet<string>;
}

/** Go's strings.TrimSpace for the ASCII white space a header value can hold. */
function trimAsciiSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
}

/**
 * The bearer token as the apiserver's bearertoken authenticator reads it: the header trimmed,
 * split on single spaces, the first part "bearer" in any case, the token the second part when it
 * is not empty. So "Bearer  t" (two spaces) and "Bearer\tt" carry no token, and "Bearer a b"
 * carries "a". (apiserver pkg/authentication/request/bearertoken/bearertoken.go)
 */
function bearerToken(authorization: string): string | undefined {
  const parts = trimAsciiSpace(authorization).split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer' || parts[1] === '') return undefined;
  return parts[1];
}

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const token = bearerToken(auth);
    if (token !== undefined) return token;
  }
  const vendor = headers['x-auth-token'];
  if (typeof vendor === 'string' && vendor !== '') return vendor.trim();
  return undefined;
}

const anonymous: Identity = Object.freeze({ kind: 'none' });
const readWriteUser: Identity = Object.freeze({ kind: 'readWrite', user: 'conformance' });
const readOnlyUser: Identity = Object.freeze({ kind: 'readOnly', user: 'readonly' });
const updateOnlyUser: Identity = Object.freeze({ kind: 'updateOnly', user: 'update-only' });

/** Whether the request presents a token at all (a wrong one is still presented: 401 even where
 * anonymous authentication is on, as the apiserver's token authenticator fails the request). */
export function presentsToken(headers: IncomingHttpHeaders): boolean {
  return presentedToken(headers) !== undefined;
}

export function authenticate(headers: IncomingHttpHeaders, tokens: TokenTable): Identity {
  const t = presentedToken(headers);
  if (t === undefined) return anonymous;
  if (tokens.readWrite.has(t)) return readWriteUser;
  if (tokens.readOnly.has(t)) return readOnlyUser;
  if (tokens.updateOnly.has(t)) return updateOnlyUser;
  return anonymous;
}

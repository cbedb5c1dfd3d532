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

/** "Bearer <t>" with one space and a token of visible ASCII: what the general rule below gives is <t>. */
function plainBearerToken(auth: string): string | undefined {
  if (auth.length <= 7 || !auth.startsWith('Bearer ')) return undefined;
  for (let i = 7; i < auth.length; i++) {
    const c = auth.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return undefined;
  }
  return auth.slice(7);
}

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const plain = plainBearerToken(auth);
    if (plain !== undefined) return plain;
    const m = /^bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1].trim();
  }
  const vendor = headers['x-auth-token'];
  if (typeof vendor === 'string' && vendor !== '') return vendor.trim();
  return undefined;
}

const anonymous: Identity = Object.freeze({ kind: 'none' });
const readWriteUser: Identity = Object.freeze({ kind: 'readWrite', user: 'conformance' });
const readOnlyUser: Identity = Object.freeze({ kind: 'readOnly', user: 'readonly' });
const updateOnlyUser: Identity = Object.freeze({ kind: 'updateOnly', user: 'update-only' });

export function authenticate(headers: IncomingHttpHeaders, tokens: TokenTable): Identity {
  const t = presentedToken(headers);
  if (t === undefined) return anonymous;
  if (tokens.readWrite.has(t)) return readWriteUser;
  if (tokens.readOnly.has(t)) return readOnlyUser;
  if (tokens.updateOnly.has(t)) return updateOnlyUser;
  return anonymous;
}

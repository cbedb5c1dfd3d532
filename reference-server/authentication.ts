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

function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1].trim();
  }
  const vendor = headers['x-auth-token'];
  if (typeof vendor === 'string' && vendor !== '') return vendor.trim();
  return undefined;
}

export function authenticate(headers: IncomingHttpHeaders, tokens: TokenTable): Identity {
  const t = presentedToken(headers);
  if (t === undefined) return { kind: 'none' };
  if (tokens.readWrite.has(t)) return { kind: 'readWrite', user: 'conformance' };
  if (tokens.readOnly.has(t)) return { kind: 'readOnly', user: 'readonly' };
  if (tokens.updateOnly.has(t)) return { kind: 'updateOnly', user: 'update-only' };
  return { kind: 'none' };
}

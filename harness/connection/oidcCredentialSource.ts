/**
 * The legacy `oidc` auth-provider, through @kubernetes/client-node's own support: its id-token is
 * used while it is valid, and client-node refreshes it with the refresh-token at the issuer once
 * it has expired. The expiry comes from the id-token's `exp` claim, so the harness asks again
 * before it runs out (and once more after a 401).
 */
import type { User } from '@kubernetes/client-node';
import { renewingCredentialSource } from './credentialSource.ts';
import type { CredentialOutcome, CredentialSource } from './credentialSource.ts';

/** `exp` of a JWT in milliseconds, when it has one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function oidcCredentialSource(user: User, server: string): CredentialSource {
  const kind = 'oidc auth-provider';
  const obtain = async (): Promise<CredentialOutcome> => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    config.loadFromClusterAndUser({ name: 'target', server, skipTLSVerify: false }, user);
    const options: { headers: Record<string, string> } = { headers: {} };
    try {
      await config.applyToHTTPSOptions(options);
    } catch (error) {
      return { ok: false, error: `${kind}: the id-token could not be refreshed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
    }
    const header = options.headers.Authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (token === '') {
      return { ok: false, error: `${kind}: the id-token has expired and cannot be refreshed (idp-issuer-url, client-id and refresh-token are needed); log in again` };
    }
    const expiresAt = jwtExpiry(token);
    return { ok: true, credential: { token, ...(expiresAt === undefined ? {} : { expiresAt }) } };
  };
  return renewingCredentialSource(kind, obtain);
}

/** Where the harness sends requests and with which credentials, resolved once per run from
 * flags, environment and kubeconfig. Secrets live only here and in the transport. */
import type { CredentialSource } from './credentialSource.ts';

export type AuthScheme = 'x-auth-token' | 'bearer';

export interface ResolvedConnection {
  /** Base URL of the target, no trailing slash (may carry a path prefix). */
  baseUrl: string;
  /** Namespace the run writes to. */
  namespace: string;
  auth: {
    scheme: AuthScheme;
    /** Absent: no credentials available (auth categories needing them are skipped). */
    token?: string;
    /** A token that may read but not write (embedded server, or --readonly-token-file). */
    readonlyToken?: string;
  };
  /** The run's own credential when it is obtained per request rather than fixed in `auth.token`:
   * an exec plugin, a client certificate (presented only on requests that carry the run's
   * credential), an oidc id-token. Sent in `auth.scheme`. */
  credentials?: CredentialSource;
  tls: {
    /** PEM CA bundle to trust (from --ca-file or kubeconfig). */
    caPem?: string;
    /** Client certificate and key (PEM) presented on every connection. A kubeconfig's client
     * certificate is not put here but in `credentials`, so that requests meant to carry no or
     * other credentials (the auth cases) are not authenticated by it. */
    certPem?: string;
    keyPem?: string;
    /** Explicit opt-in to skip verification. */
    insecure: boolean;
    /** Name to verify the server certificate against and send as SNI (kubeconfig tls-server-name). */
    serverName?: string;
  };
  /** http(s) or socks5 proxy every request goes through (kubeconfig proxy-url). */
  proxyUrl?: string;
  /** Where the connection came from, for the report (never contains secrets). */
  describedAs: string;
}

/** Headers carrying the given credential in the configured scheme. */
export function authHeaders(scheme: AuthScheme, token: string): Record<string, string> {
  return scheme === 'bearer' ? { authorization: `Bearer ${token}` } : { 'x-auth-token': token };
}

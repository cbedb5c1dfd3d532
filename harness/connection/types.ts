/** Where the harness sends requests and with which credentials, resolved once per run from
 * flags, environment and kubeconfig. Secrets live only here and in the transport. */

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
  tls: {
    /** PEM CA bundle to trust (from --ca-file or kubeconfig). */
    caPem?: string;
    /** Client certificate and key (PEM), from kubeconfig or flags. */
    certPem?: string;
    keyPem?: string;
    /** Explicit opt-in to skip verification. */
    insecure: boolean;
  };
  /** Where the connection came from, for the report (never contains secrets). */
  describedAs: string;
}

/** Headers carrying the given credential in the configured scheme. */
export function authHeaders(scheme: AuthScheme, token: string): Record<string, string> {
  return scheme === 'bearer' ? { authorization: `Bearer ${token}` } : { 'x-auth-token': token };
}

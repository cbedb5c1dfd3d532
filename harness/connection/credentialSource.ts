/**
 * Where the run's own ("valid") credential comes from, asked per request instead of being fixed
 * into headers once: a static credential (a client certificate from a kubeconfig), or one that
 * is obtained at run time and may expire (an exec credential plugin, an OIDC id-token). The
 * transport asks `current()` before each authenticated request and `renew()` once after a 401.
 */

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
}

export interface Credential {
  /** Sent as `Authorization: Bearer` (or the run's auth scheme). */
  token?: string;
  /** Presented in the TLS handshake of the request's connection. */
  clientCertificate?: ClientCertificate;
  /** Milliseconds since the epoch; absent: does not expire. */
  expiresAt?: number;
}

export type CredentialOutcome = { ok: true; credential: Credential } | { ok: false; error: string };

export interface CredentialSource {
  /** What it is, for reports and errors: the kind only ("exec plugin `aws`", "client
   * certificate from kubeconfig"), never a secret. */
  readonly kind: string;
  /** The credential to use now (cached; obtained again shortly before it expires). Concurrent
   * callers share one attempt. Never throws. */
  current(): Promise<CredentialOutcome>;
  /** The server refused `stale` (401): obtain a fresh one, unless that already happened since
   * `stale` was handed out. Sources that cannot renew return `stale` again. Never throws. */
  renew(stale: Credential): Promise<CredentialOutcome>;
  /** Every secret handed out so far (tokens, private keys), for masking. */
  secrets(): string[];
  /** Set once obtaining the credential failed for good: why, in one line. */
  readonly failure: string | undefined;
}

/** A credential that never changes (a kubeconfig client certificate, with or without a token). */
export function fixedCredentialSource(credential: Credential, kind: string): CredentialSource {
  const outcome: CredentialOutcome = { ok: true, credential };
  const secrets = [credential.token, credential.clientCertificate?.keyPem].filter((secret): secret is string => secret !== undefined);
  return {
    kind,
    current: () => Promise.resolve(outcome),
    renew: () => Promise.resolve(outcome),
    secrets: () => secrets,
    failure: undefined,
  };
}

/** How long before its expiry a credential is obtained again: a tenth of its life, at least one
 * second and at most a minute (a token living 15 minutes is renewed a minute early). */
export function renewalMargin(obtainedAt: number, expiresAt: number): number {
  const life = Math.max(0, expiresAt - obtainedAt);
  return Math.min(60_000, Math.max(1_000, life / 10));
}

/**
 * The caching, expiry and single-flight logic shared by sources that obtain credentials at run
 * time: `obtain` is called at most once at a time; a credential is reused until shortly before
 * it expires (never more often than once a second, even if it arrives already expired); a 401
 * renews it once per credential handed out; the first failure is final (every later call gets
 * it at once instead of running a failing plugin again and again).
 */
export function renewingCredentialSource(
  kind: string,
  obtain: () => Promise<CredentialOutcome>,
  now: () => number = Date.now,
): CredentialSource & { readonly obtained: number } {
  let cached: { credential: Credential; obtainedAt: number } | undefined;
  let pending: Promise<CredentialOutcome> | undefined;
  let failure: string | undefined;
  let obtained = 0;
  const secrets = new Set<string>();

  const fresh = (): Promise<CredentialOutcome> => {
    pending ??= (async (): Promise<CredentialOutcome> => {
      let outcome: CredentialOutcome;
      try {
        outcome = await obtain();
      } catch (error) {
        outcome = { ok: false, error: `${kind}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
      }
      obtained += 1;
      if (outcome.ok) {
        cached = { credential: outcome.credential, obtainedAt: now() };
        if (outcome.credential.token !== undefined) secrets.add(outcome.credential.token);
        if (outcome.credential.clientCertificate !== undefined) secrets.add(outcome.credential.clientCertificate.keyPem);
      } else {
        failure = outcome.error;
        cached = undefined;
      }
      return outcome;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const stillGood = (entry: { credential: Credential; obtainedAt: number }): boolean => {
    const { expiresAt } = entry.credential;
    if (expiresAt === undefined) return true;
    const renewAt = Math.max(entry.obtainedAt + 1_000, expiresAt - renewalMargin(entry.obtainedAt, expiresAt));
    return now() < renewAt;
  };

  return {
    kind,
    async current() {
      if (failure !== undefined) return { ok: false, error: failure };
      if (pending !== undefined) return pending;
      if (cached !== undefined && stillGood(cached)) return { ok: true, credential: cached.credential };
      return fresh();
    },
    async renew(stale) {
      if (failure !== undefined) return { ok: false, error: failure };
      if (pending !== undefined) return pending;
      if (cached !== undefined && cached.credential !== stale) return { ok: true, credential: cached.credential };
      return fresh();
    },
    secrets: () => [...secrets],
    get failure() {
      return failure;
    },
    get obtained() {
      return obtained;
    },
  };
}

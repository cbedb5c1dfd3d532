/**
 * The connection of a process running in a pod, the way in-cluster Kubernetes clients make it:
 * the API server at https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, and the pod's
 * service-account token, CA bundle and namespace from its mount
 * (/var/run/secrets/kubernetes.io/serviceaccount, or another folder laid out the same way).
 * The token is sent as `Authorization: Bearer` and re-read when the file changes (projected
 * tokens rotate). Errors are one line naming the file or variable, never a secret.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError, readPemFile, readTokenFile } from './readCredentialFiles.ts';
import { rotatingTokenFile } from './rotatingTokenFile.ts';
import type { RotatingToken } from './rotatingTokenFile.ts';
import type { AuthScheme, ResolvedConnection } from './types.ts';

export const serviceAccountMount = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterFlags {
  /** Folder with `token`, `ca.crt` and `namespace` (default: the pod's mount). */
  serviceAccountDir?: string;
  /** Overrides the mount's `namespace` file. */
  namespace?: string;
  readonlyTokenFile?: string;
  authScheme?: AuthScheme;
  /** How often the token file is looked at for a new token (default 1000 ms). */
  tokenCheckEveryMs?: number;
  env: NodeJS.ProcessEnv;
}

export type InClusterResult =
  | { ok: true; connection: ResolvedConnection; warnings: string[]; token: RotatingToken }
  | { ok: false; error: string };

/**
 * Whether a run without target flags should go in-cluster: KUBERNETES_SERVICE_HOST is set and
 * the service-account token is there (a process in a pod). `--in-cluster` forces it,
 * `--no-in-cluster` forbids it.
 */
export function detectInCluster(flag: boolean | undefined, serviceAccountDir: string | undefined, env: NodeJS.ProcessEnv, exists: (file: string) => boolean): boolean {
  if (flag !== undefined) return flag;
  if (!env.KUBERNETES_SERVICE_HOST) return false;
  return exists(path.join(serviceAccountDir ?? serviceAccountMount, 'token'));
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** https://HOST:PORT from the variables every pod gets (IPv6 hosts bracketed). */
export function inClusterBaseUrl(env: NodeJS.ProcessEnv): { ok: true; baseUrl: string } | { ok: false; error: string } {
  const host = env.KUBERNETES_SERVICE_HOST?.trim();
  const port = env.KUBERNETES_SERVICE_PORT?.trim();
  if (!host) return { ok: false, error: 'in-cluster: KUBERNETES_SERVICE_HOST is not set (is this a pod?)' };
  if (!port) return { ok: false, error: 'in-cluster: KUBERNETES_SERVICE_PORT is not set (is this a pod?)' };
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return { ok: false, error: `in-cluster: KUBERNETES_SERVICE_PORT ${JSON.stringify(port)} is not a port number` };
  }
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) return { ok: false, error: `in-cluster: KUBERNETES_SERVICE_HOST ${JSON.stringify(host)} is not a host name or address` };
  return { ok: true, baseUrl: `https://${host.includes(':') ? `[${host}]` : host}:${port}` };
}

export async function resolveInClusterConnection(flags: InClusterFlags): Promise<InClusterResult> {
  const dir = flags.serviceAccountDir ?? serviceAccountMount;
  const source = flags.serviceAccountDir === undefined ? 'in-cluster' : '--service-account-dir';
  const base = inClusterBaseUrl(flags.env);
  if (!base.ok) return base;
  const warnings: string[] = [];

  const tokenFile = path.join(dir, 'token');
  const token = await readTokenFile(tokenFile, source);
  if (!token.ok) return token;
  // The kubelet mounts the token readable by the pod's group: not a reason to warn in a pod.
  const ca = await readPemFile(path.join(dir, 'ca.crt'), source, 'certificate');
  if (!ca.ok) return ca;

  let namespace = flags.namespace;
  if (namespace === undefined) {
    const file = path.join(dir, 'namespace');
    try {
      namespace = (await readFile(file, 'utf8')).trim();
    } catch (error) {
      return { ok: false, error: `${source} ${file}: cannot read the namespace (${describeFsError(error)}); pass --namespace` };
    }
  }
  if (namespace.length > 63 || !NAMESPACE.test(namespace)) {
    return { ok: false, error: `${flags.namespace !== undefined ? '--namespace' : `${source} ${path.join(dir, 'namespace')}`} ${JSON.stringify(namespace)}: not a valid namespace name` };
  }

  let readonlyToken: string | undefined;
  if (flags.readonlyTokenFile !== undefined) {
    const read = await readTokenFile(flags.readonlyTokenFile, '--readonly-token-file');
    if (!read.ok) return read;
    readonlyToken = read.value;
  }
  if (readonlyToken !== undefined && readonlyToken === token.value) {
    return { ok: false, error: 'the read-only token is the same as the service account token: give a token that may only read' };
  }

  const rotating = rotatingTokenFile(tokenFile, token.value, flags.tokenCheckEveryMs === undefined ? {} : { checkEveryMs: flags.tokenCheckEveryMs });
  const auth: ResolvedConnection['auth'] = {
    scheme: flags.authScheme ?? 'bearer',
    // read on every request: a rotated token is picked up without restarting the run
    get token(): string {
      return rotating.current();
    },
    ...(readonlyToken === undefined ? {} : { readonlyToken }),
  };
  const connection: ResolvedConnection = {
    baseUrl: base.baseUrl,
    namespace,
    auth,
    tls: { caPem: ca.value, insecure: false },
    describedAs: `${base.baseUrl} (in-cluster, service account token from ${dir}, namespace ${namespace})`,
  };
  return { ok: true, connection, warnings, token: rotating };
}

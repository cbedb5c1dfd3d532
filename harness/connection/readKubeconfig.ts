/**
 * Reads one context of a kubeconfig (one file, or a KUBECONFIG list merged as kubectl merges
 * it) with @kubernetes/client-node's loader and turns it into what the harness needs: server,
 * namespace, CA, tls-server-name, proxy-url, insecure, and the user's credential (token, client
 * certificate, exec plugin, or oidc auth-provider). Every problem is one line naming the file
 * (and context); never a secret.
 */
import type { User } from '@kubernetes/client-node';
import { parseExecConfig } from './execCredentialPlugin.ts';
import type { ExecConfig } from './execCredentialPlugin.ts';
import { mergeKubeconfigFiles } from './mergeKubeconfigFiles.ts';
import { type FileRead, pemCertificateProblem, pemKeyProblem, permissionWarning, readPemFile } from './readCredentialFiles.ts';

export interface KubeconfigConnection {
  /** The file read (the first, when a KUBECONFIG list was merged). */
  file: string;
  /** Every file read, in order. */
  files: string[];
  context: string;
  /** Cluster server URL, no trailing slash. */
  server: string;
  namespace?: string;
  token?: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  insecure: boolean;
  /** The name the server's certificate is checked against (and sent as SNI). */
  tlsServerName?: string;
  /** http(s) or socks5 proxy the requests go through. */
  proxyUrl?: string;
  /** The user's exec credential plugin. */
  exec?: ExecConfig;
  /** The user, when it authenticates with the oidc auth-provider (client-node refreshes it). */
  oidcUser?: User;
  /** The context's user name (for messages). */
  userName?: string;
  warnings: string[];
}

export type KubeconfigResult = { ok: true; kubeconfig: KubeconfigConnection } | { ok: false; error: string };

/**
 * A PEM a kubeconfig gives either inline (`<what>-data`, base64) or as a file (`<what>`): the inline
 * form wins, as in kubectl. Undefined when neither is set.
 */
async function kubeconfigPem(data: string | undefined, file: string | undefined, source: string, kind: 'certificate' | 'key'): Promise<FileRead<string | undefined>> {
  if (data) {
    const pem = Buffer.from(data, 'base64').toString('utf8');
    const problem = kind === 'certificate' ? pemCertificateProblem(pem) : pemKeyProblem(pem);
    return problem ? { ok: false, error: `${source}-data: ${problem}` } : { ok: true, value: pem, warnings: [] };
  }
  if (file) return readPemFile(file, source, kind);
  return { ok: true, value: undefined, warnings: [] };
}

/** The auth-providers kubectl removed, and the exec plugin that replaced each. */
const removedAuthProviders: Record<string, string> = {
  gcp: 'the gcp auth-provider was removed from kubectl in 1.26: install gke-gcloud-auth-plugin and run `gcloud container clusters get-credentials CLUSTER` to get an exec kubeconfig',
  azure: 'the azure auth-provider was removed from kubectl in 1.26: install kubelogin and run `kubelogin convert-kubeconfig -l azurecli` to get an exec kubeconfig',
};

/**
 * Reads `contextName` (else the current context) from `files`: one file (--kubeconfig), or a
 * KUBECONFIG list merged as kubectl merges it (`fromList`: missing files are skipped).
 */
export async function readKubeconfig(files: string | string[], contextName: string | undefined, options: { fromList?: boolean } = {}): Promise<KubeconfigResult> {
  const list = typeof files === 'string' ? [files] : files;
  const merged = await mergeKubeconfigFiles(list, { skipMissing: options.fromList === true && list.length > 1 });
  if (!merged.ok) return merged;
  const file = merged.files[0]!;
  const where = merged.files.length === 1 ? `kubeconfig ${file}` : `KUBECONFIG ${merged.files.join(':')}`;
  const config = merged.config;

  const context = contextName ?? (config.getCurrentContext() || undefined);
  if (!context) return { ok: false, error: `${where} has no current-context; pass --context NAME` };
  const known = (config.getContexts() ?? []).map((entry) => entry.name);
  if (!known.includes(context)) {
    const source = contextName !== undefined ? `--context ${context}` : `current-context ${context}`;
    return { ok: false, error: `${source}: no such context in ${where} (contexts: ${known.join(', ') || 'none'})` };
  }
  config.setCurrentContext(context);
  const contextObject = config.getContextObject(context);
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    return { ok: false, error: `${where}: context ${context} names cluster "${contextObject?.cluster ?? ''}", which the file does not define` };
  }
  if (!cluster.server) return { ok: false, error: `${where}: cluster ${cluster.name} has no server` };

  const warnings: string[] = [];
  const result: KubeconfigConnection = {
    file,
    files: merged.files,
    context,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: contextObject?.namespace || undefined,
    insecure: cluster.skipTLSVerify === true,
    warnings,
  };

  const ca = await kubeconfigPem(cluster.caData, cluster.caFile, `${where}: cluster ${cluster.name} certificate-authority`, 'certificate');
  if (!ca.ok) return ca;
  if (ca.value !== undefined) result.caPem = ca.value;
  if (cluster.tlsServerName) result.tlsServerName = cluster.tlsServerName;
  if (cluster.proxyUrl) {
    let proxy: URL | undefined;
    try {
      proxy = new URL(cluster.proxyUrl);
    } catch {
      proxy = undefined;
    }
    if (proxy === undefined || !['http:', 'https:', 'socks5:'].includes(proxy.protocol) || proxy.hostname === '') {
      return { ok: false, error: `${where}: cluster ${cluster.name} proxy-url is not an http, https or socks5 URL` };
    }
    result.proxyUrl = cluster.proxyUrl;
  }

  const user = config.getCurrentUser();
  if (user) {
    result.userName = user.name;
    const cert = await kubeconfigPem(user.certData, user.certFile, `${where}: user ${user.name} client-certificate`, 'certificate');
    if (!cert.ok) return cert;
    const key = await kubeconfigPem(user.keyData, user.keyFile, `${where}: user ${user.name} client-key`, 'key');
    if (!key.ok) return key;
    if (cert.value !== undefined) result.certPem = cert.value;
    if (key.value !== undefined) result.keyPem = key.value;
    warnings.push(...cert.warnings, ...key.warnings);
    if ((result.certPem === undefined) !== (result.keyPem === undefined)) {
      return { ok: false, error: `${where}: user ${user.name} has a client certificate without its key, or a key without its certificate` };
    }
    if (user.token) {
      const token = user.token.replace(/[\r\n]+$/, '');
      if (token !== '') result.token = token;
      for (const source of merged.files) {
        const warning = await permissionWarning(source, 'kubeconfig (it holds a token)');
        if (warning) warnings.push(warning);
      }
    }
    if (user.exec) {
      if (user.authProvider) return { ok: false, error: `${where}: user ${user.name} sets both exec and auth-provider; kubectl allows only one` };
      if (result.token !== undefined) return { ok: false, error: `${where}: user ${user.name} sets both a token and an exec plugin; use one` };
      const exec = parseExecConfig(user.exec);
      if (!exec.ok) return { ok: false, error: `${where}: user ${user.name}: ${exec.problem}` };
      result.exec = exec.value;
    } else if (user.authProvider) {
      const name = typeof user.authProvider.name === 'string' ? user.authProvider.name : '';
      const removed = removedAuthProviders[name];
      if (removed !== undefined) return { ok: false, error: `${where}: user ${user.name}: ${removed}` };
      if (name !== 'oidc') return { ok: false, error: `${where}: user ${user.name} uses auth-provider ${JSON.stringify(name)}, which the harness does not support (oidc is; or use an exec plugin)` };
      if (result.token !== undefined) return { ok: false, error: `${where}: user ${user.name} sets both a token and the oidc auth-provider; use one` };
      const providerConfig = (user.authProvider.config ?? {}) as Record<string, unknown>;
      if (typeof providerConfig['id-token'] !== 'string' || providerConfig['id-token'] === '') {
        return { ok: false, error: `${where}: user ${user.name}: the oidc auth-provider has no id-token (log in with your OIDC tool first, e.g. kubelogin)` };
      }
      result.oidcUser = user;
    } else if (result.token === undefined && result.certPem === undefined && user.username) {
      warnings.push(`${where}: user ${user.name} uses basic auth, which the harness does not support; no credentials from kubeconfig`);
    }
  }
  return { ok: true, kubeconfig: result };
}

/**
 * Reads one context of a kubeconfig file with @kubernetes/client-node's loader and turns it
 * into what the harness needs: server, namespace, token, CA, client certificate, insecure.
 * Every problem is one line naming the file (and context); never a secret.
 */
import { readFile } from 'node:fs/promises';
import { describeFsError, type FileRead, pemCertificateProblem, pemKeyProblem, permissionWarning, readPemFile } from './readCredentialFiles.ts';

export interface KubeconfigConnection {
  file: string;
  context: string;
  /** Cluster server URL, no trailing slash. */
  server: string;
  namespace?: string;
  token?: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  insecure: boolean;
  warnings: string[];
}

export type KubeconfigResult = { ok: true; kubeconfig: KubeconfigConnection } | { ok: false; error: string };

function oneLineReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('E')) return describeFsError(error);
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/\s+/g, ' ').trim().slice(0, 200) || 'unreadable';
}

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

/** The kubeconfig file to use: the flag, else the first entry of KUBECONFIG. */
export function kubeconfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): { file?: string; fromEnv: boolean; ignored: string[] } {
  if (flag !== undefined && flag !== '') return { file: flag, fromEnv: false, ignored: [] };
  const list = (env.KUBECONFIG ?? '').split(':').filter((entry) => entry !== '');
  return { file: list[0], fromEnv: list.length > 0, ignored: list.slice(1) };
}

export async function readKubeconfig(file: string, contextName: string | undefined): Promise<KubeconfigResult> {
  const where = `kubeconfig ${file}`;
  try {
    await readFile(file);
  } catch (error) {
    return { ok: false, error: `${where}: cannot read it (${describeFsError(error)})` };
  }
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    return { ok: false, error: `${where}: ${oneLineReason(error)}` };
  }

  const context = contextName ?? config.getCurrentContext();
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
    context,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: contextObject?.namespace || undefined,
    insecure: cluster.skipTLSVerify === true,
    warnings,
  };

  const ca = await kubeconfigPem(cluster.caData, cluster.caFile, `${where}: cluster ${cluster.name} certificate-authority`, 'certificate');
  if (!ca.ok) return ca;
  if (ca.value !== undefined) result.caPem = ca.value;
  if (cluster.proxyUrl) warnings.push(`${where}: cluster ${cluster.name} proxy-url is ignored; requests go straight to the server`);
  if (cluster.tlsServerName) warnings.push(`${where}: cluster ${cluster.name} tls-server-name is ignored`);

  const user = config.getCurrentUser();
  if (user) {
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
      const warning = await permissionWarning(file, 'kubeconfig (it holds a token)');
      if (warning) warnings.push(warning);
    }
    if (result.token === undefined && result.certPem === undefined) {
      if (user.exec) warnings.push(`${where}: user ${user.name} authenticates with an exec plugin, which the harness does not run; no credentials from kubeconfig`);
      else if (user.authProvider) warnings.push(`${where}: user ${user.name} uses an auth-provider, which the harness does not support; no credentials from kubeconfig`);
      else if (user.username) warnings.push(`${where}: user ${user.name} uses basic auth, which the harness does not support; no credentials from kubeconfig`);
    }
  }
  return { ok: true, kubeconfig: result };
}

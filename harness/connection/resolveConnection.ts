/**
 * Resolves where a run sends requests and with which credentials, once, from (in order of
 * precedence) explicit flags, the environment (CONFORMANCE_TOKEN, CONFORMANCE_READONLY_TOKEN)
 * and a kubeconfig (--kubeconfig FILE / --context NAME, else the first file in KUBECONFIG).
 *
 * Safety rules:
 * - kubeconfig credentials and TLS material are only used for the kubeconfig's own server:
 *   with a --target pointing elsewhere they are not sent (a warning says so);
 * - KUBECONFIG is read only when no --target is given or when --context asks for it;
 * - TLS verification is skipped only on --insecure or the kubeconfig's insecure-skip-tls-verify;
 * - errors are one line naming the flag or file; nothing here ever contains a secret except
 *   `auth.token`, `auth.readonlyToken`, `tls.keyPem` and what `credentials` hands out.
 * - a kubeconfig user with a client certificate, an exec plugin or the oidc auth-provider gives
 *   a credential source (`credentials`), asked per request (see kubeconfigCredentials.ts).
 */
import { homedir } from 'node:os';
import type { AuthScheme, ResolvedConnection } from './types.ts';
import { readPemFile, readTokenFile } from './readCredentialFiles.ts';
import { readKubeconfig } from './readKubeconfig.ts';
import type { KubeconfigConnection } from './readKubeconfig.ts';
import { kubeconfigCredentials } from './kubeconfigCredentials.ts';
import { kubeconfigFiles } from './mergeKubeconfigFiles.ts';

export interface ConnectionFlags {
  target?: string;
  namespace?: string;
  tokenFile?: string;
  readonlyTokenFile?: string;
  authScheme?: AuthScheme;
  caFile?: string;
  insecure?: boolean;
  kubeconfig?: string;
  context?: string;
  env: NodeJS.ProcessEnv;
  /** An exec credential plugin is stopped after this long (default 30 s). */
  execTimeoutMs?: number;
  /** Where an exec credential plugin's stderr goes (default: dropped). */
  pluginStderr?: (text: string) => void;
}

export type ConnectionResult = { ok: true; connection: ResolvedConnection; warnings: string[] } | { ok: false; error: string };

/** True when the flags point at a real target (so the embedded reference server is not wanted).
 * The KUBECONFIG variable alone does not count: a run never reaches a cluster by accident. */
export function wantsExternalTarget(flags: Pick<ConnectionFlags, 'target' | 'kubeconfig' | 'context'>): boolean {
  return Boolean(flags.target || flags.kubeconfig || flags.context);
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type ParsedUrl = { ok: true; baseUrl: string; url: URL } | { ok: false; problem: string };

/** An http(s) URL with a host, no credentials, query or fragment; the base keeps a path prefix. */
export function parseBaseUrl(text: string): ParsedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: `scheme ${url.protocol} is not http or https` };
  if (url.hostname === '') return { ok: false, problem: 'the URL has no host' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'the URL must not carry credentials (user:password@)' };
  if (url.search !== '' || url.hash !== '') return { ok: false, problem: 'the URL must not carry a query or fragment' };
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  return { ok: true, baseUrl: base, url };
}

/** Same server: scheme, host, port (defaults filled) and path prefix. */
function sameServer(a: string, b: string): boolean {
  const left = parseBaseUrl(a);
  const right = parseBaseUrl(b);
  return left.ok && right.ok && left.baseUrl.toLowerCase() === right.baseUrl.toLowerCase();
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

function tildePath(file: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || homedir();
  return home && (file === home || file.startsWith(`${home}/`)) ? `~${file.slice(home.length)}` : file;
}

function envToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const token = value.replace(/[\r\n]+$/, '');
  return token.trim() === '' ? undefined : token;
}

export async function resolveConnection(flags: ConnectionFlags): Promise<ConnectionResult> {
  try {
    return await resolve(flags);
  } catch (error) {
    // Defensive: every known failure is handled below; this keeps the promise from rejecting.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, error: `cannot resolve the connection: ${reason}` };
  }
}

async function resolve(flags: ConnectionFlags): Promise<ConnectionResult> {
  const warnings: string[] = [];
  const env = flags.env;

  // 1. Target from --target.
  let target: Extract<ParsedUrl, { ok: true }> | undefined;
  if (flags.target !== undefined) {
    const parsed = parseBaseUrl(flags.target);
    if (!parsed.ok) return { ok: false, error: `--target ${JSON.stringify(flags.target)}: ${parsed.problem}` };
    target = parsed;
  }

  // 2. Kubeconfig, when asked for (or when it is the only way to a target).
  let kube: KubeconfigConnection | undefined;
  const wantsKubeconfig = flags.kubeconfig !== undefined || flags.context !== undefined || target === undefined;
  if (wantsKubeconfig) {
    const located = kubeconfigFiles(flags.kubeconfig, env);
    if (located.files.length === 0) {
      if (flags.context !== undefined) {
        return { ok: false, error: `--context ${flags.context}: no kubeconfig to read it from (pass --kubeconfig FILE or set KUBECONFIG)` };
      }
      return { ok: false, error: 'no target: pass --target URL with --namespace, or --kubeconfig FILE (without either, use the embedded reference server)' };
    }
    const read = await readKubeconfig(located.files, flags.context, { fromList: located.fromEnv });
    if (!read.ok) return read;
    kube = read.kubeconfig;
    warnings.push(...kube.warnings);
  }

  // 3. Base URL; kubeconfig material only for its own server.
  let useKube = kube !== undefined;
  let baseUrl: string;
  let hostname: string;
  if (target) {
    baseUrl = target.baseUrl;
    hostname = target.url.hostname;
    if (kube && !sameServer(kube.server, target.baseUrl)) {
      useKube = false;
      warnings.push(
        `kubeconfig ${tildePath(kube.file, env)} context ${kube.context} is for ${kube.server}, not --target ${target.baseUrl}: its credentials, CA and namespace are not used`,
      );
    }
  } else if (kube) {
    const parsed = parseBaseUrl(kube.server);
    if (!parsed.ok) return { ok: false, error: `kubeconfig ${kube.file}: cluster server ${JSON.stringify(kube.server)}: ${parsed.problem}` };
    baseUrl = parsed.baseUrl;
    hostname = parsed.url.hostname;
  } else {
    return { ok: false, error: 'no target: pass --target URL with --namespace, or --kubeconfig FILE' };
  }
  const fromKube = useKube ? kube : undefined;

  // 4. Namespace.
  const namespace = flags.namespace ?? fromKube?.namespace;
  if (namespace === undefined || namespace === '') {
    if (fromKube) return { ok: false, error: `--namespace is required: kubeconfig context ${fromKube.context} sets no namespace` };
    return { ok: false, error: '--namespace is required with --target' };
  }
  if (namespace.length > 63 || !NAMESPACE.test(namespace)) {
    const source = flags.namespace !== undefined ? '--namespace' : `kubeconfig context ${fromKube?.context ?? ''} namespace`;
    return { ok: false, error: `${source} ${JSON.stringify(namespace)}: not a valid namespace name (lowercase letters, digits and '-', at most 63)` };
  }

  // 5. Credentials.
  let token: string | undefined;
  let tokenSource: string | undefined;
  if (flags.tokenFile !== undefined) {
    const read = await readTokenFile(flags.tokenFile, '--token-file');
    if (!read.ok) return read;
    token = read.value;
    tokenSource = '--token-file';
    warnings.push(...read.warnings);
  } else if (envToken(env.CONFORMANCE_TOKEN) !== undefined) {
    token = envToken(env.CONFORMANCE_TOKEN);
    tokenSource = 'CONFORMANCE_TOKEN';
  }
  // the kubeconfig user's credential, unless a token from the flag or environment replaces it
  const kubeCredentials = token === undefined && fromKube !== undefined
    ? kubeconfigCredentials(fromKube, { env, execTimeoutMs: flags.execTimeoutMs ?? 30_000, ...(flags.pluginStderr === undefined ? {} : { pluginStderr: flags.pluginStderr }) })
    : undefined;
  if (kubeCredentials !== undefined) {
    warnings.push(...kubeCredentials.warnings);
    if (kubeCredentials.token !== undefined) {
      token = kubeCredentials.token;
      tokenSource = 'kubeconfig';
    }
  }
  const credentials = kubeCredentials?.source;
  let readonlyToken: string | undefined;
  if (flags.readonlyTokenFile !== undefined) {
    const read = await readTokenFile(flags.readonlyTokenFile, '--readonly-token-file');
    if (!read.ok) return read;
    readonlyToken = read.value;
    warnings.push(...read.warnings);
  } else {
    readonlyToken = envToken(env.CONFORMANCE_READONLY_TOKEN);
  }
  if (token !== undefined && readonlyToken !== undefined && token === readonlyToken) {
    return { ok: false, error: 'the read-only token is the same as the token: give a token that may only read' };
  }
  const scheme: AuthScheme = flags.authScheme ?? (tokenSource === 'kubeconfig' || credentials !== undefined ? 'bearer' : 'x-auth-token');

  // 6. TLS.
  let caPem: string | undefined;
  if (flags.caFile !== undefined) {
    const read = await readPemFile(flags.caFile, '--ca-file', 'certificate');
    if (!read.ok) return read;
    caPem = read.value;
  } else {
    caPem = fromKube?.caPem;
  }
  const insecure = flags.insecure === true || fromKube?.insecure === true;
  const https = baseUrl.startsWith('https:');
  if (insecure && https) {
    const why = flags.insecure === true ? '--insecure' : `kubeconfig cluster insecure-skip-tls-verify`;
    warnings.push(`TLS certificate verification is OFF for ${baseUrl} (${why})`);
  }
  if (!https && (flags.caFile !== undefined || flags.insecure === true)) {
    warnings.push(`${baseUrl} is plain http: --ca-file and --insecure have no effect`);
  }
  if (!https && (token !== undefined || readonlyToken !== undefined) && !isLoopback(hostname)) {
    warnings.push(`tokens will be sent unencrypted over plain http to ${hostname}`);
  }

  // 7. Where it came from, for the report: never a secret.
  const origin = fromKube
    ? `kubeconfig ${fromKube.files.map((file) => tildePath(file, env)).join(' + ')}, context ${fromKube.context}${fromKube.proxyUrl === undefined ? '' : ', through its proxy-url'}`
    : '--target';
  const credentialKind = tokenSource ? `token from ${tokenSource}` : credentials !== undefined ? credentials.kind : 'no credentials';
  const connection: ResolvedConnection = {
    baseUrl,
    namespace,
    auth: { scheme, ...(token !== undefined ? { token } : {}), ...(readonlyToken !== undefined ? { readonlyToken } : {}) },
    ...(credentials === undefined ? {} : { credentials }),
    tls: {
      ...(caPem !== undefined ? { caPem } : {}),
      insecure,
      ...(fromKube?.tlsServerName !== undefined ? { serverName: fromKube.tlsServerName } : {}),
    },
    ...(fromKube?.proxyUrl !== undefined ? { proxyUrl: fromKube.proxyUrl } : {}),
    describedAs: `${baseUrl} (${origin}, namespace ${namespace}, ${credentialKind})`,
  };
  return { ok: true, connection, warnings };
}

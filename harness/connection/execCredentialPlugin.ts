/**
 * Runs a kubeconfig `exec` credential plugin the way kubectl (client-go) does, and reads the
 * `ExecCredential` it prints: `client.authentication.k8s.io/v1` or `v1beta1`; command, args and
 * env; `KUBERNETES_EXEC_INFO` (with the cluster when `provideClusterInfo` is set); a token or a
 * client certificate; `status.expirationTimestamp`. Added over client-node's ExecAuth (which
 * does none of these): a time limit (a plugin that hangs is killed, with its children), the
 * ExecCredential is checked (kind, apiVersion, status, a certificate with its key, the expiry),
 * the plugin's stderr is passed on as it comes, `installHint` is shown when the command is
 * missing, and every failure is one line that never quotes stdout (it may hold a token).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pemCertificateProblem, pemKeyProblem } from './readCredentialFiles.ts';
import type { Credential, CredentialOutcome } from './credentialSource.ts';

export const execApiVersions = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
export type ExecApiVersion = (typeof execApiVersions)[number];
export type InteractiveMode = 'Never' | 'IfAvailable' | 'Always';

/** The `user.exec` stanza of a kubeconfig. */
export interface ExecConfig {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: ExecApiVersion;
  interactiveMode: InteractiveMode;
  provideClusterInfo: boolean;
  installHint?: string;
}

/** What `provideClusterInfo` hands the plugin (ExecCredential `spec.cluster`). */
export interface ExecClusterInfo {
  server: string;
  tlsServerName?: string;
  insecureSkipTlsVerify: boolean;
  caPem?: string;
  proxyUrl?: string;
  /** The cluster's `client.authentication.k8s.io/exec` extension, passed through. */
  config?: unknown;
}

export interface ExecRunOptions {
  /** The plugin is killed after this long. */
  timeoutMs: number;
  /** Where the plugin's stderr goes (kubectl passes it to the user); default: dropped. */
  stderr?: (text: string) => void;
  /** The harness's environment, which the plugin inherits (plus the stanza's env). */
  env: NodeJS.ProcessEnv;
}

/** `aws` for `/usr/local/bin/aws`: how the plugin is named in reports and errors. */
export function execPluginName(command: string): string {
  return path.basename(command) || command;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads and checks a kubeconfig `user.exec` stanza (the problem is one line, no secret). */
export function parseExecConfig(raw: unknown): Parsed<ExecConfig> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, problem: 'exec is not a map' };
  const stanza = raw as Record<string, unknown>;
  const command = stanza.command;
  if (typeof command !== 'string' || command === '') return { ok: false, problem: 'exec has no command' };
  const apiVersion = stanza.apiVersion;
  if (apiVersion === 'client.authentication.k8s.io/v1alpha1') {
    return { ok: false, problem: 'exec apiVersion client.authentication.k8s.io/v1alpha1 was removed in Kubernetes 1.24; use client.authentication.k8s.io/v1 (or v1beta1)' };
  }
  if (typeof apiVersion !== 'string' || !(execApiVersions as readonly string[]).includes(apiVersion)) {
    return { ok: false, problem: `exec apiVersion ${JSON.stringify(apiVersion ?? null)} is not one of ${execApiVersions.join(', ')}` };
  }
  const args = stanza.args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) return { ok: false, problem: 'exec args is not a list of strings' };
  const env = stanza.env ?? [];
  if (
    !Array.isArray(env) ||
    !env.every((entry) => typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' && typeof (entry as { value?: unknown }).value === 'string')
  ) {
    return { ok: false, problem: 'exec env is not a list of {name, value} strings' };
  }
  let interactiveMode = stanza.interactiveMode;
  if (interactiveMode === undefined || interactiveMode === '') {
    // client-go: required in v1, IfAvailable by default in v1beta1
    if (apiVersion === 'client.authentication.k8s.io/v1') return { ok: false, problem: 'exec interactiveMode must be set for client.authentication.k8s.io/v1 (Never, IfAvailable or Always)' };
    interactiveMode = 'IfAvailable';
  }
  if (interactiveMode !== 'Never' && interactiveMode !== 'IfAvailable' && interactiveMode !== 'Always') {
    return { ok: false, problem: `exec interactiveMode ${JSON.stringify(interactiveMode)} is not Never, IfAvailable or Always` };
  }
  const provideClusterInfo = stanza.provideClusterInfo ?? false;
  if (typeof provideClusterInfo !== 'boolean') return { ok: false, problem: 'exec provideClusterInfo is not true or false' };
  return {
    ok: true,
    value: {
      command,
      args: args as string[],
      env: (env as Array<{ name: string; value: string }>).map(({ name, value }) => ({ name, value })),
      apiVersion: apiVersion as ExecApiVersion,
      interactiveMode,
      provideClusterInfo,
      ...(typeof stanza.installHint === 'string' && stanza.installHint.trim() !== '' ? { installHint: stanza.installHint } : {}),
    },
  };
}

/** The KUBERNETES_EXEC_INFO value: the request's apiVersion, never interactive, the cluster when asked for. */
export function execInfo(config: ExecConfig, cluster: ExecClusterInfo): string {
  const spec: Record<string, unknown> = { interactive: false };
  if (config.provideClusterInfo) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.tlsServerName !== undefined ? { 'tls-server-name': cluster.tlsServerName } : {}),
      ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster.caPem !== undefined ? { 'certificate-authority-data': Buffer.from(cluster.caPem, 'utf8').toString('base64') } : {}),
      ...(cluster.proxyUrl !== undefined ? { 'proxy-url': cluster.proxyUrl } : {}),
      ...(cluster.config !== undefined ? { config: cluster.config } : {}),
    };
  }
  return JSON.stringify({ apiVersion: config.apiVersion, kind: 'ExecCredential', spec });
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const last = lines[lines.length - 1] ?? '';
  return last.length > 200 ? `${last.slice(0, 199)}…` : last;
}

/** Checks what the plugin printed; never quotes it (it may carry a token). */
export function readExecCredential(stdout: string, config: ExecConfig): Parsed<Credential> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    const size = Buffer.byteLength(stdout);
    return { ok: false, problem: size === 0 ? 'printed nothing on stdout (an ExecCredential as JSON was expected)' : `printed something that is not JSON (${size} bytes on stdout; an ExecCredential was expected)` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'printed JSON that is not an ExecCredential object' };
  const object = parsed as Record<string, unknown>;
  if (object.kind !== 'ExecCredential') return { ok: false, problem: `printed kind ${JSON.stringify(object.kind ?? null)}, not ExecCredential` };
  if (object.apiVersion !== config.apiVersion) {
    return { ok: false, problem: `printed apiVersion ${JSON.stringify(object.apiVersion ?? null)}; the kubeconfig asks for ${config.apiVersion}` };
  }
  const status = object.status;
  if (typeof status !== 'object' || status === null || Array.isArray(status)) return { ok: false, problem: 'printed an ExecCredential without status' };
  const { token, clientCertificateData, clientKeyData, expirationTimestamp } = status as Record<string, unknown>;
  const credential: Credential = {};
  if (token !== undefined && token !== '') {
    if (typeof token !== 'string') return { ok: false, problem: 'status.token is not a string' };
    credential.token = token;
  }
  const hasCert = typeof clientCertificateData === 'string' && clientCertificateData !== '';
  const hasKey = typeof clientKeyData === 'string' && clientKeyData !== '';
  if (hasCert !== hasKey) return { ok: false, problem: 'status has clientCertificateData without clientKeyData, or the key without the certificate' };
  if (hasCert && hasKey) {
    const certPem = clientCertificateData as string;
    const keyPem = clientKeyData as string;
    const certProblem = pemCertificateProblem(certPem);
    if (certProblem !== undefined) return { ok: false, problem: `status.clientCertificateData: ${certProblem}` };
    const keyProblem = pemKeyProblem(keyPem);
    if (keyProblem !== undefined) return { ok: false, problem: `status.clientKeyData: ${keyProblem}` };
    credential.clientCertificate = { certPem, keyPem };
  }
  if (credential.token === undefined && credential.clientCertificate === undefined) {
    return { ok: false, problem: 'status has neither a token nor clientCertificateData and clientKeyData' };
  }
  if (expirationTimestamp !== undefined && expirationTimestamp !== null && expirationTimestamp !== '') {
    const time = typeof expirationTimestamp === 'string' ? Date.parse(expirationTimestamp) : Number.NaN;
    if (!Number.isFinite(time)) return { ok: false, problem: `status.expirationTimestamp ${JSON.stringify(expirationTimestamp)} is not an RFC 3339 time` };
    credential.expiresAt = time;
  }
  return { ok: true, value: credential };
}

/** Runs the plugin once: its credential, or why not (one line naming the plugin). */
export function runExecPlugin(config: ExecConfig, cluster: ExecClusterInfo, options: ExecRunOptions): Promise<CredentialOutcome> {
  const name = `exec plugin ${execPluginName(config.command)}`;
  const fail = (problem: string): CredentialOutcome => ({ ok: false, error: `${name}: ${problem}` });
  if (config.interactiveMode === 'Always') {
    return Promise.resolve(
      fail('interactiveMode is Always, but the harness is not interactive (the plugin gets no terminal); log in with the plugin first, or set interactiveMode IfAvailable if it can work without a terminal'),
    );
  }
  const env: NodeJS.ProcessEnv = { ...options.env };
  for (const { name: key, value } of config.env) env[key] = value;
  env.KUBERNETES_EXEC_INFO = execInfo(config, cluster);

  return new Promise<CredentialOutcome>((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: CredentialOutcome): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      resolve(outcome);
    };
    let child;
    try {
      // its own process group, so that a plugin that hangs is ended with whatever it started;
      // stdin closed: the harness is never interactive
      child = spawn(config.command, config.args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      finish(fail(`cannot be started (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`));
      return;
    }
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    timer = setTimeout(() => {
      killGroup();
      finish(fail(`did not finish within ${options.timeoutMs} ms and was stopped (it may be waiting for input: the harness is not interactive)`));
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      options.stderr?.(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        const hint = config.installHint === undefined ? '' : `; ${config.installHint.replace(/\s+/g, ' ').trim().slice(0, 300)}`;
        finish(fail(`command ${JSON.stringify(config.command)} not found${hint}`));
      } else if (error.code === 'EACCES') finish(fail(`command ${JSON.stringify(config.command)} is not executable`));
      else finish(fail(`cannot be started (${error.message.split('\n')[0]})`));
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const why = signal !== null ? `was ended by ${signal}` : `exited with status ${code}`;
        const said = lastLine(stderr);
        const mode = config.interactiveMode === 'Never' ? ' (interactiveMode Never: it may not prompt)' : '';
        finish(fail(`${why}${mode}${said === '' ? '' : `: ${said}`}`));
        return;
      }
      const read = readExecCredential(stdout, config);
      finish(read.ok ? { ok: true, credential: read.value } : fail(read.problem));
    });
  });
}

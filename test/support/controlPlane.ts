/**
 * A real Kubernetes control plane for the project's tests, envtest style: etcd and kube-apiserver
 * from the folder named by KUBEBUILDER_ASSETS (or unpacked by ../shared/kubernetes/setup.sh when
 * that is beside the project), on free loopback ports, with
 *   - an admin token (group system:masters),
 *   - a read-only token (user "reader", RBAC get/list/watch on endpoints and namespaces),
 *   - the namespace "conformance",
 *   - a kubeconfig, token files and the serving CA written into its own temporary folder.
 * Both processes run in their own process groups and are ended by their ids in `stop()`, and on
 * process exit in any case. One instance is shared by every spec file of a mocha run
 * (`sharedControlPlane`, stopped by the root hook in `test/support/rootHooks.ts`); a test that
 * needs other apiserver flags starts its own with `startControlPlane`.
 *
 * Without assets, `controlPlaneAssets()` says why in one line, and a suite skips with that reason,
 * unless REQUIRE_CONTROL_PLANE=1 (set in .ci/run), which turns the skip into a failure.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

export const adminToken = 'admin-token';
export const readerToken = 'reader-token';
export const conformanceNamespace = 'conformance';

export interface ControlPlaneOptions {
  /** Extra kube-apiserver flags, e.g. ['--client-ca-file', file]. */
  apiserverFlags?: string[];
  /** Extra lines for the static token file: `token,user,uid,"group1,group2"`. */
  extraTokens?: string[];
  /** How long start-up may take (default 120 s: 10–20 s is usual on 2 cores, more when busy). */
  startTimeoutMs?: number;
}

export interface RunningControlPlane {
  /** https://127.0.0.1:PORT */
  url: string;
  /** `kube-apiserver --version`, e.g. "v1.20.2". */
  version: string;
  /** The folder holding everything below (removed by stop). */
  dir: string;
  kubeconfigPath: string;
  /** PEM of the apiserver's self-signed serving certificate (the CA to trust). */
  caFile: string;
  adminTokenFile: string;
  readerTokenFile: string;
  /** The cert-dir the apiserver wrote its serving key pair to. */
  certDir: string;
  /** Sends one request with the admin token (or `token`); the body is parsed JSON when it is JSON. */
  api(method: string, apiPath: string, body?: unknown, token?: string): Promise<{ status: number; body: unknown; text: string }>;
  stop(): Promise<void>;
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedSetup = path.resolve(projectRoot, '../shared/kubernetes/setup.sh');

/** The folder with `kube-apiserver` and `etcd`, or why there is none. */
export function controlPlaneAssets(): { ok: true; dir: string } | { ok: false; reason: string } {
  const named = process.env.KUBEBUILDER_ASSETS;
  if (named !== undefined && named !== '') {
    const missing = ['kube-apiserver', 'etcd'].filter((binary) => !existsSync(path.join(named, binary)));
    if (missing.length > 0) return { ok: false, reason: `KUBEBUILDER_ASSETS=${named} has no ${missing.join(' or ')}` };
    return { ok: true, dir: named };
  }
  if (existsSync(sharedSetup)) {
    try {
      const dir = execFileSync(sharedSetup, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      return { ok: true, dir };
    } catch (error) {
      return { ok: false, reason: `${sharedSetup} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
  }
  return { ok: false, reason: 'no real control plane: set KUBEBUILDER_ASSETS to a folder with kube-apiserver and etcd (envtest binaries), or put ../shared/kubernetes beside the project' };
}

/** Whether a missing control plane must fail the tests instead of skipping them (CI). */
export function controlPlaneRequired(): boolean {
  return process.env.REQUIRE_CONTROL_PLANE === '1';
}

/**
 * For a mocha `before` hook: returns the shared control plane, or skips the suite with the reason
 * (fails instead when REQUIRE_CONTROL_PLANE=1).
 */
export async function controlPlaneOrSkip(context: Mocha.Context): Promise<RunningControlPlane> {
  const assets = controlPlaneAssets();
  if (!assets.ok) {
    if (controlPlaneRequired()) throw new Error(`REQUIRE_CONTROL_PLANE=1 but ${assets.reason}`);
    console.log(`      (skipped: ${assets.reason})`);
    context.skip();
  }
  context.timeout(180_000);
  return sharedControlPlane();
}

let shared: Promise<RunningControlPlane> | undefined;

/** One control plane for the whole mocha run, started on first use. */
export function sharedControlPlane(): Promise<RunningControlPlane> {
  shared ??= startControlPlane();
  return shared;
}

/** Stops the shared control plane if one was started (the root hook calls this). */
export async function stopSharedControlPlane(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running !== undefined) await (await running.catch(() => undefined))?.stop();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;
function killGroupNow(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroupNow(pid, 'SIGKILL');
  });
}

async function endGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroupNow(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroupNow(pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  liveGroups.delete(pid);
}

function tail(file: string, lines = 5): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
  } catch {
    return '(no log)';
  }
}

/** Starts etcd + kube-apiserver and waits until /readyz answers ok, RBAC and namespace in place. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<RunningControlPlane> {
  const assets = controlPlaneAssets();
  if (!assets.ok) throw new Error(assets.reason);
  installExitHook();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'endpoints-conformance-cp-'));
  const certDir = path.join(dir, 'certs');
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const tokens = [`${adminToken},admin,uid-admin,"system:masters"`, `${readerToken},reader,uid-reader,`, ...(options.extraTokens ?? [])];
  writeFileSync(path.join(dir, 'tokens.csv'), `${tokens.join('\n')}\n`, { mode: 0o600 });
  execFileSync('openssl', ['genrsa', '-out', path.join(dir, 'sa.key'), '2048'], { stdio: 'ignore' });
  const version = execFileSync(path.join(assets.dir, 'kube-apiserver'), ['--version'], { encoding: 'utf8' }).trim().replace(/^Kubernetes\s+/, '');

  const etcdLog = path.join(dir, 'etcd.log');
  const apiserverLog = path.join(dir, 'apiserver.log');
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of [...children].reverse()) await endGroup(child);
    children.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    children.push(
      spawnLogged(path.join(assets.dir, 'etcd'), [
        '--data-dir', path.join(dir, 'etcd'),
        '--listen-client-urls', `http://127.0.0.1:${etcdPort}`, '--advertise-client-urls', `http://127.0.0.1:${etcdPort}`,
        '--listen-peer-urls', `http://127.0.0.1:${peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
        '--initial-cluster', `default=http://127.0.0.1:${peerPort}`, '--log-level', 'warn',
      ], etcdLog),
    );
    children.push(
      spawnLogged(path.join(assets.dir, 'kube-apiserver'), [
        '--etcd-servers', `http://127.0.0.1:${etcdPort}`, '--bind-address', '127.0.0.1', '--advertise-address', '127.0.0.1',
        '--secure-port', String(apiPort), '--insecure-port', '0', '--cert-dir', certDir,
        '--token-auth-file', path.join(dir, 'tokens.csv'), '--authorization-mode', 'RBAC',
        '--service-account-issuer', 'https://kubernetes.default.svc',
        '--service-account-key-file', path.join(dir, 'sa.key'), '--service-account-signing-key-file', path.join(dir, 'sa.key'),
        '--service-cluster-ip-range', '10.96.0.0/16', '--endpoint-reconciler-type', 'none',
        ...(options.apiserverFlags ?? []),
      ], apiserverLog),
    );
    const url = `https://127.0.0.1:${apiPort}`;
    const caFile = path.join(certDir, 'apiserver.crt');
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    let dispatcher: Agent | undefined;
    for (;;) {
      const apiserver = children[1];
      if (apiserver !== undefined && (apiserver.exitCode !== null || apiserver.signalCode !== null)) {
        throw new Error(`kube-apiserver exited at start: ${tail(apiserverLog)}`);
      }
      if (Date.now() > deadline) throw new Error(`kube-apiserver not ready in time: ${tail(apiserverLog)}`);
      if (dispatcher === undefined && existsSync(caFile)) dispatcher = new Agent({ connect: { ca: readFileSync(caFile) } });
      if (dispatcher !== undefined) {
        const ready = await request(`${url}/readyz`, { headers: { authorization: `Bearer ${adminToken}` }, dispatcher })
          .then(async (answer) => answer.statusCode === 200 && (await answer.body.text()).trim() === 'ok')
          .catch(() => false);
        if (ready) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const agent = dispatcher;
    const api: RunningControlPlane['api'] = async (method, apiPath, body, token = adminToken) => {
      const answer = await request(`${url}${apiPath}`, {
        method: method as 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        dispatcher: agent,
      });
      const text = await answer.body.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: answer.statusCode, body: parsed, text };
    };
    await createOrKeep(api, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: conformanceNamespace } });
    await createOrKeep(api, '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'endpoints-reader' },
      rules: [{ apiGroups: [''], resources: ['endpoints', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
    });
    await createOrKeep(api, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'endpoints-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'endpoints-reader' },
      subjects: [{ kind: 'User', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    const adminTokenFile = path.join(dir, 'admin-token');
    const readerTokenFile = path.join(dir, 'reader-token');
    writeFileSync(adminTokenFile, adminToken, { mode: 0o600 });
    writeFileSync(readerTokenFile, readerToken, { mode: 0o600 });
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: local, cluster: {server: "${url}", certificate-authority: "${caFile}"}}]`,
        `users: [{name: admin, user: {token: "${adminToken}"}}]`,
        `contexts: [{name: local, context: {cluster: local, user: admin, namespace: ${conformanceNamespace}}}]`,
        'current-context: local',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    return {
      url, version, dir, kubeconfigPath, caFile, adminTokenFile, readerTokenFile, certDir, api,
      stop: async () => {
        await agent?.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function spawnLogged(binary: string, args: string[], logFile: string): ChildProcess {
  writeFileSync(logFile, '');
  const child = spawn('/bin/sh', ['-c', 'exec "$0" "$@" >>"$LOG" 2>&1', binary, ...args], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, LOG: logFile },
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  child.unref();
  return child;
}

async function createOrKeep(api: RunningControlPlane['api'], collection: string, object: { metadata: { name: string } } & Record<string, unknown>): Promise<void> {
  const answer = await api('POST', collection, object);
  if (answer.status !== 201 && answer.status !== 409) {
    throw new Error(`creating ${object.metadata.name} at ${collection}: ${answer.status} ${answer.text.slice(0, 200)}`);
  }
}

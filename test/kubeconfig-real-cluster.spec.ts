/**
 * Every kind of kubeconfig credential, through the command line, against a real kube-apiserver
 * (one private control plane for this file, with a client CA and two extra static tokens):
 * an exec plugin (token, expiring token, token refused once, client certificate), a client
 * certificate from the kubeconfig, a KUBECONFIG of two files, tls-server-name, proxy-url through
 * a CONNECT proxy on loopback, and plugins that fail, hang or print garbage (exit 2, one line).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as netConnect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { controlPlaneAssets, controlPlaneRequired, startControlPlane } from './support/controlPlane.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';
import { writePluginScripts } from './support/execPluginScripts.ts';
import type { PluginFolder } from './support/execPluginScripts.ts';
import { runConformanceCli } from './support/conformanceCli.ts';
import type { CliRun } from './support/conformanceCli.ts';

const execToken1 = 'exec-token-one-0a1b2c3d';
const execToken2 = 'exec-token-two-4e5f6a7b';

/** At most three command lines at once (the machine has two cores and the apiserver needs one). */
const inTurn = (() => {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= 3) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await work();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
})();


interface Summary {
  verdict: string;
  target: string;
  totals: { cases: number; failed: number; skipped: number; notRun: number };
  checks: Array<{ name: string; failed: number }>;
  categories: Array<{ name: string; cases: number; failed: number; skipped: number }>;
  cleanup: { leftOver: string[]; verified: boolean };
  error?: { cause: string; reason: string };
}

function describeFailures(summary: Summary): string {
  return summary.categories.filter((category) => category.failed > 0).map((category) => `${category.name}: ${category.failed}`).join(', ');
}

/** A client CA and a client certificate it signed (CN=someone, O=system:masters), with openssl. */
function clientPki(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const file = (name: string): string => path.join(dir, name);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('client-ca.key'), '-out', file('client-ca.crt'), '-days', '2', '-subj', '/CN=conformance-client-ca']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('someone.key'), '-out', file('someone.csr'), '-subj', '/O=system:masters/CN=someone']);
  run(['x509', '-req', '-in', file('someone.csr'), '-CA', file('client-ca.crt'), '-CAkey', file('client-ca.key'), '-CAcreateserial', '-out', file('someone.crt'), '-days', '2']);
  return { caFile: file('client-ca.crt'), certFile: file('someone.crt'), keyFile: file('someone.key') };
}

/** An HTTP CONNECT proxy on loopback that records every tunnel's destination. */
async function connectProxy(): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.once('data', (head) => {
      const match = /^CONNECT ([^\s]+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'));
      if (match === null) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
        return;
      }
      const [host, port] = [match[1].slice(0, match[1].lastIndexOf(':')), Number(match[1].slice(match[1].lastIndexOf(':') + 1))];
      tunnels.push(match[1]);
      const upstream = netConnect(port, host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('kubeconfig credentials against a real kube-apiserver (through the command line)', function () {
  let plane: RunningControlPlane;
  let dir: string;
  let pki: { caFile: string; certFile: string; keyFile: string };
  let caData: string;
  let runNumber = 0;

  before(async function () {
    const assets = controlPlaneAssets();
    if (!assets.ok) {
      if (controlPlaneRequired()) throw new Error(`REQUIRE_CONTROL_PLANE=1 but ${assets.reason}`);
      console.log(`      (skipped: ${assets.reason})`);
      this.skip();
    }
    this.timeout(180_000);
    dir = await mkdtemp(path.join(tmpdir(), 'kubeconfig-real-'));
    pki = clientPki(dir);
    plane = await startControlPlane({
      apiserverFlags: ['--client-ca-file', pki.caFile],
      extraTokens: [`${execToken1},exec-one,uid-exec-one,"system:masters"`, `${execToken2},exec-two,uid-exec-two,"system:masters"`],
    });
    caData = Buffer.from(await readFile(plane.caFile)).toString('base64');
    // the runs are independent (own kubeconfig, own plugin folder): three at a time, asserted below
    for (const [name, body] of Object.entries(scenarios)) {
      started.set(name, body().then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
    }
  });

  after(async function () {
    this.timeout(180_000);
    await Promise.all(started.values());
    await plane?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** A kubeconfig for the private control plane with the given user (and cluster extras). */
  async function kubeconfig(name: string, user: Record<string, unknown>, cluster: Record<string, unknown> = {}): Promise<string> {
    const file = path.join(dir, `${name}.kubeconfig`);
    await writeFile(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'local',
        clusters: [{ name: 'local', cluster: { server: plane.url, 'certificate-authority-data': caData, ...cluster } }],
        users: [{ name: 'someone', user }],
        contexts: [{ name: 'local', context: { cluster: 'local', user: 'someone', namespace: 'conformance' } }],
      }),
      { mode: 0o600 },
    );
    return file;
  }

  function execUser(command: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never', ...extra } };
  }

  /** Runs the CLI against the control plane; returns the result and the summary (when written). */
  async function conformance(args: string[], env: Record<string, string> = {}): Promise<{ result: CliRun; summary?: Summary; reportDir: string }> {
    runNumber += 1;
    const reportDir = path.join(dir, `reports-${runNumber}`);
    const result = await inTurn(() => runConformanceCli(['--readonly-token-file', plane.readerTokenFile, '--seed', '7', '--report-dir', reportDir, ...args], env));
    const text = await readFile(path.join(reportDir, 'summary.json'), 'utf8').catch(() => undefined);
    return { result, reportDir, ...(text === undefined ? {} : { summary: JSON.parse(text) as Summary }) };
  }

  function assertPassed(run: { result: CliRun; summary?: Summary }): Summary {
    const { result, summary } = run;
    assert.ok(summary !== undefined, `no summary.json; exit ${result.code}; stderr: ${result.stderr}`);
    assert.equal(summary.totals.failed, 0, `failures: ${describeFailures(summary)}; stderr: ${result.stderr}`);
    assert.equal(result.code, 0, `exit code; stderr: ${result.stderr}`);
    assert.equal(summary.verdict, 'pass');
    assert.ok(summary.totals.cases > 0);
    assert.deepEqual([summary.cleanup.verified, summary.cleanup.leftOver], [true, []], 'cleaned up with the same credential');
    return summary;
  }

  async function assertNoSecret(reportDir: string, secrets: string[]): Promise<void> {
    for (const name of await readdir(reportDir)) {
      const text = await readFile(path.join(reportDir, name), 'utf8').catch(() => '');
      for (const secret of secrets) assert.ok(!text.includes(secret), `${name} holds a secret`);
    }
  }

  /** A plugin folder of its own per scenario (calls are counted per folder). */
  async function pluginFolder(name: string): Promise<PluginFolder> {
    const folder = path.join(dir, `plugins-${name}`);
    await mkdir(folder);
    return writePluginScripts(folder);
  }

  type Run = Awaited<ReturnType<typeof conformance>>;
  const scenarios: Record<string, () => Promise<{ run: Run; plugins?: PluginFolder; extra?: unknown }>> = {
    exec: async () => {
      const plugins = await pluginFolder('exec');
      await plugins.respond({ token: execToken1 });
      const file = await kubeconfig('exec', execUser(plugins.plugin, { args: ['get-token', '--cluster', 'local'], env: [{ name: 'GREETING', value: 'hello' }], provideClusterInfo: true }));
      return { run: await conformance(['--kubeconfig', file, '--runs', '3']), plugins };
    },
    expiring: async () => {
      const plugins = await pluginFolder('expiring');
      await plugins.respond({ token: execToken1, expirationTimestamp: '@SOON@' }, 1);
      await plugins.respond({ token: execToken2, expirationTimestamp: '@SOON@' });
      const file = await kubeconfig('expiring', execUser(plugins.plugin));
      // --rate-limit makes the run last at least 4 s (about 80 requests at 20/s) on any machine
      const args = ['--kubeconfig', file, '--runs', '12', '--only', 'valid-endpoints,create-then-replace,noop-replace,auth-invalid', '--rate-limit', '20'];
      return { run: await conformance(args), plugins };
    },
    refused: async () => {
      const plugins = await pluginFolder('refused');
      await plugins.respond({ token: 'revoked-token-0000' }, 1);
      await plugins.respond({ token: execToken2 });
      const file = await kubeconfig('revoked', execUser(plugins.plugin));
      return { run: await conformance(['--kubeconfig', file, '--runs', '2', '--only', 'valid-endpoints,create-then-replace,auth-invalid']), plugins };
    },
    execCertificate: async () => {
      const plugins = await pluginFolder('exec-cert');
      const [certPem, keyPem] = await Promise.all([readFile(pki.certFile, 'utf8'), readFile(pki.keyFile, 'utf8')]);
      await plugins.respond({ clientCertificateData: certPem, clientKeyData: keyPem }, undefined, 'client.authentication.k8s.io/v1beta1');
      const file = await kubeconfig('exec-cert', { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugins.plugin } });
      return { run: await conformance(['--kubeconfig', file, '--runs', '2', '--only', 'valid-endpoints,create-then-replace,auth-missing,auth-invalid,auth-readonly']), plugins };
    },
    certificate: async () => {
      const file = await kubeconfig('cert', { 'client-certificate': pki.certFile, 'client-key': pki.keyFile });
      return { run: await conformance(['--kubeconfig', file, '--runs', '2']) };
    },
    merged: async () => {
      const first = path.join(dir, 'first.kubeconfig');
      const second = path.join(dir, 'second.kubeconfig');
      await writeFile(first, stringify({ apiVersion: 'v1', kind: 'Config', users: [{ name: 'someone', user: { token: execToken1 } }], clusters: [], contexts: [] }), { mode: 0o600 });
      await writeFile(
        second,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          'current-context': 'second-ctx',
          clusters: [{ name: 'local', cluster: { server: plane.url, 'certificate-authority-data': caData } }],
          users: [{ name: 'someone', user: { token: 'shadowed-token-ignored' } }],
          contexts: [{ name: 'second-ctx', context: { cluster: 'local', user: 'someone', namespace: 'conformance' } }],
        }),
        { mode: 0o600 },
      );
      const args = ['--context', 'second-ctx', '--runs', '2', '--only', 'valid-endpoints,create-then-replace,auth-invalid'];
      return { run: await conformance(args, { KUBECONFIG: `${first}:${path.join(dir, 'absent.kubeconfig')}:${second}` }) };
    },
    serverNameGood: async () => {
      const file = await kubeconfig('sni-good', { token: execToken1 }, { 'tls-server-name': 'kubernetes.default' });
      return { run: await conformance(['--kubeconfig', file, '--runs', '1', '--only', 'valid-endpoints']) };
    },
    serverNameBad: async () => {
      const file = await kubeconfig('sni-bad', { token: execToken1 }, { 'tls-server-name': 'not-the-apiserver.example' });
      return { run: await conformance(['--kubeconfig', file, '--runs', '1', '--only', 'valid-endpoints']) };
    },
    proxied: async () => {
      const proxy = await connectProxy();
      try {
        const file = await kubeconfig('proxied', { token: execToken1 }, { 'proxy-url': proxy.url });
        return { run: await conformance(['--kubeconfig', file, '--runs', '2', '--only', 'valid-endpoints,create-then-replace,auth-readonly']), extra: [...proxy.tunnels] };
      } finally {
        await proxy.close();
      }
    },
    ...Object.fromEntries(
      (['failing', 'hanging', 'garbage'] as const).map((kind) => [
        `misbehaving-${kind}`,
        async () => {
          const plugins = await pluginFolder(kind);
          const file = await kubeconfig(`bad-${kind}`, execUser(plugins[kind]));
          const extra = kind === 'hanging' ? ['--exec-timeout', '1500'] : [];
          return { run: await conformance(['--kubeconfig', file, '--runs', '1', '--only', 'valid-endpoints', ...extra]), plugins };
        },
      ]),
    ),
  };
  const started = new Map<string, Promise<{ ok: true; value: Awaited<ReturnType<(typeof scenarios)[string]>> } | { ok: false; error: unknown }>>();
  async function outcome(name: string): Promise<Awaited<ReturnType<(typeof scenarios)[string]>>> {
    const settled = await started.get(name);
    if (settled === undefined) throw new Error(`scenario ${name} was not started`);
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  it('an exec plugin (v1, args, env, provideClusterInfo) → every category passes; the plugin ran once and saw the cluster', async function () {
    this.timeout(180_000);
    const { run, plugins } = await outcome('exec');
    const summary = assertPassed(run);
    assert.equal(summary.categories.filter((category) => category.skipped > 0).length, 0, 'nothing skipped for want of credentials');
    assert.match(summary.target, /exec plugin `plugin\.sh`/);
    assert.equal(await plugins!.calls(), 1);
    assert.equal(await plugins!.args(), 'get-token --cluster local');
    assert.match(run.result.stderr, /test-plugin: call 1 \(greeting=hello\)/, 'the plugin stderr reaches the user');
    const info = (await plugins!.execInfo()) as { apiVersion: string; kind: string; spec: { interactive: boolean; cluster: Record<string, unknown> } };
    assert.equal(info.apiVersion, 'client.authentication.k8s.io/v1');
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.spec.interactive, false);
    assert.equal(info.spec.cluster.server, plane.url);
    assert.equal(info.spec.cluster['certificate-authority-data'], caData);
    await assertNoSecret(run.reportDir, [execToken1]);
  });

  it('a token that expires two seconds into the run → the plugin runs again before it expires; nothing fails', async function () {
    this.timeout(180_000);
    const { run, plugins } = await outcome('expiring');
    assertPassed(run);
    const calls = await plugins!.calls();
    assert.ok(calls >= 2, `the plugin ran ${calls} time(s) in a run longer than the token's life`);
    await assertNoSecret(run.reportDir, [execToken1, execToken2]);
  });

  it('a token the server refuses (401) → the plugin runs once more, the request is sent again, nothing fails', async function () {
    this.timeout(180_000);
    const { run, plugins } = await outcome('refused');
    assertPassed(run);
    assert.equal(await plugins!.calls(), 2);
  });

  it('an exec plugin returning a client certificate (v1beta1) → passes, the auth cases included', async function () {
    this.timeout(180_000);
    const { run } = await outcome('execCertificate');
    assertPassed(run);
    assert.match(run.result.stderr, /not interactive/, 'interactiveMode IfAvailable (v1beta1 default): says the harness is not interactive');
  });

  it('a client certificate from the kubeconfig (signed by the client CA, O=system:masters) → every category passes', async function () {
    this.timeout(180_000);
    const { run } = await outcome('certificate');
    const summary = assertPassed(run);
    assert.match(summary.target, /client certificate from kubeconfig/);
    assert.ok(summary.categories.some((category) => category.name === 'auth-invalid' && category.cases > 0), 'the auth cases ran (the certificate is not presented on them)');
    await assertNoSecret(run.reportDir, [await readFile(pki.keyFile, 'utf8')]);
  });

  it('KUBECONFIG of two files, the context in the second → passes (first file wins a user name both define)', async function () {
    this.timeout(180_000);
    const { run } = await outcome('merged');
    const summary = assertPassed(run);
    assert.match(summary.target, /first\.kubeconfig \+ .*second\.kubeconfig, context second-ctx/);
  });

  it('tls-server-name: a name on the serving certificate passes, another fails the TLS check (exit 2)', async function () {
    this.timeout(180_000);
    assertPassed((await outcome('serverNameGood')).run);
    const { result } = (await outcome('serverNameBad')).run;
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /not-the-apiserver\.example/);
  });

  it('proxy-url: every connection is tunnelled through the proxy (HTTP CONNECT on loopback) and the run passes', async function () {
    this.timeout(180_000);
    const { run, extra } = await outcome('proxied');
    const summary = assertPassed(run);
    assert.match(summary.target, /through its proxy-url/);
    const tunnels = extra as string[];
    assert.ok(tunnels.length > 0, 'tunnels were opened');
    assert.deepEqual([...new Set(tunnels)], [new URL(plane.url).host]);
  });

  const misbehaving: Array<[string, RegExp]> = [
    ['failing', /exec plugin failing\.sh: exited with status 1 \(interactiveMode Never: it may not prompt\): error: the SSO session has expired/],
    ['hanging', /exec plugin hanging\.sh: did not finish within 1500 ms and was stopped/],
    ['garbage', /exec plugin garbage\.sh: printed something that is not JSON/],
  ];
  for (const [kind, message] of misbehaving) {
    it(`a plugin that is ${kind} → exit 2, one line from the harness (after what the plugin said)`, async function () {
      this.timeout(180_000);
      const { result, summary, reportDir } = (await outcome(`misbehaving-${kind}`)).run;
      assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
      // the run still ends in its reports, blaming the credential, not the target
      assert.equal(summary?.verdict, 'error', 'summary.json says error');
      assert.equal(summary?.error?.cause, 'credentials');
      assert.match(await readFile(path.join(reportDir, 'junit.xml'), 'utf8'), /<error [^>]*type="credentials"/);
      const ours = result.stderr.split('\n').filter((line) => line.startsWith('endpoints-conformance:'));
      assert.equal(ours.length, 1, result.stderr);
      assert.match(ours[0]!, message);
      assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    });
  }
});

/**
 * The credential layer without a server: the renewing source (expiry, single flight, renew after
 * a 401, a failure is final), exec plugins as kubectl runs them (and every way they go wrong),
 * the transport wrapper that adds the credential per request, kubectl's KUBECONFIG merge, the
 * auth-providers, tls-server-name and proxy-url.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { fixedCredentialSource, renewingCredentialSource } from '../harness/connection/credentialSource.ts';
import type { CredentialOutcome } from '../harness/connection/credentialSource.ts';
import { parseExecConfig, runExecPlugin } from '../harness/connection/execCredentialPlugin.ts';
import type { ExecConfig } from '../harness/connection/execCredentialPlugin.ts';
import { readKubeconfig } from '../harness/connection/readKubeconfig.ts';
import { resolveConnection } from '../harness/connection/resolveConnection.ts';
import { withCredentials } from '../harness/transport/connectionTransport.ts';
import type { OutgoingRequest, Transport, TransportOutcome } from '../harness/transport/types.ts';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';
import { selfSignedPems } from './fixtures/brokenServers.ts';
import { resetCalls, writePluginScripts } from './support/execPluginScripts.ts';
import type { PluginFolder } from './support/execPluginScripts.ts';

const cluster = { server: 'https://127.0.0.1:6443', insecureSkipTlsVerify: false };

function execConfig(command: string, extra: Partial<ExecConfig> = {}): ExecConfig {
  return { command, args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', provideClusterInfo: false, ...extra };
}

function errorOf(outcome: CredentialOutcome): string {
  if (outcome.ok) assert.fail('expected a failure');
  assert.doesNotMatch(outcome.error, /\n/, 'one line');
  return outcome.error;
}

describe('credentials: the renewing source', function () {
  it('reuses a credential until shortly before it expires, then obtains a new one', async () => {
    let clock = 1_000_000;
    let calls = 0;
    const source = renewingCredentialSource('test', async () => {
      calls += 1;
      return { ok: true, credential: { token: `t${calls}`, expiresAt: clock + 20_000 } };
    }, () => clock);
    assert.equal(((await source.current()) as { credential: { token: string } }).credential.token, 't1');
    clock += 17_000; // 3 s left: more than the 2 s margin (a tenth of the life, at least 1 s)
    assert.equal(((await source.current()) as { credential: { token: string } }).credential.token, 't1');
    clock += 1_500; // 1.5 s left: renewed before it expires
    assert.equal(((await source.current()) as { credential: { token: string } }).credential.token, 't2');
    assert.equal(calls, 2);
    assert.deepEqual(source.secrets(), ['t1', 't2']);
  });

  it('a credential without expiry is obtained once; concurrent callers share one attempt', async () => {
    let calls = 0;
    const source = renewingCredentialSource('test', async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { ok: true, credential: { token: 'forever' } };
    });
    const outcomes = await Promise.all(Array.from({ length: 16 }, () => source.current()));
    assert.ok(outcomes.every((outcome) => outcome.ok));
    await source.current();
    assert.equal(calls, 1);
  });

  it('renew after a 401: once for every caller holding the refused credential, not again for an older one', async () => {
    let calls = 0;
    const source = renewingCredentialSource('test', async () => {
      calls += 1;
      return { ok: true, credential: { token: `t${calls}` } };
    });
    const first = await source.current();
    assert.ok(first.ok);
    const renewed = await Promise.all(Array.from({ length: 8 }, () => source.renew(first.credential)));
    assert.equal(calls, 2);
    assert.ok(renewed.every((outcome) => outcome.ok && outcome.credential.token === 't2'));
    const late = await source.renew(first.credential);
    assert.ok(late.ok && late.credential.token === 't2');
    assert.equal(calls, 2);
  });

  it('the first failure is final: later calls get it without running the plugin again', async () => {
    let calls = 0;
    const source = renewingCredentialSource('test', async () => {
      calls += 1;
      return { ok: false, error: 'exec plugin x: exited with status 1' };
    });
    assert.match(errorOf(await source.current()), /status 1/);
    assert.match(errorOf(await source.current()), /status 1/);
    assert.equal(source.failure, 'exec plugin x: exited with status 1');
    assert.equal(calls, 1);
  });
});

describe('credentials: exec plugins', function () {
  let dir: string;
  let plugins: PluginFolder;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'exec-plugin-'));
    plugins = await writePluginScripts(dir);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetCalls(plugins);
  });
  const run = (config: ExecConfig, timeoutMs = 5_000, stderr?: (text: string) => void): Promise<CredentialOutcome> =>
    runExecPlugin(config, { ...cluster, caPem: 'PEM' }, { timeoutMs, env: { PATH: process.env.PATH ?? '' }, ...(stderr === undefined ? {} : { stderr }) });

  it('v1beta1 with args and env: token and expiry read; KUBERNETES_EXEC_INFO without the cluster unless asked', async () => {
    await plugins.respond({ token: 'tok-1', expirationTimestamp: '2030-01-02T03:04:05Z' }, undefined, 'client.authentication.k8s.io/v1beta1');
    let said = '';
    const outcome = await run(
      execConfig(plugins.plugin, { apiVersion: 'client.authentication.k8s.io/v1beta1', args: ['a', 'b'], env: [{ name: 'GREETING', value: 'hi' }], interactiveMode: 'IfAvailable' }),
      5_000,
      (text) => (said += text),
    );
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    assert.deepEqual(outcome.credential, { token: 'tok-1', expiresAt: Date.parse('2030-01-02T03:04:05Z') });
    assert.equal(await plugins.args(), 'a b');
    assert.match(said, /test-plugin: call 1 \(greeting=hi\)/);
    assert.deepEqual(await plugins.execInfo(), { apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', spec: { interactive: false } });
  });

  it('provideClusterInfo: the cluster (server, CA as base64) is in KUBERNETES_EXEC_INFO', async () => {
    await plugins.respond({ token: 'tok-2' });
    const outcome = await run(execConfig(plugins.plugin, { provideClusterInfo: true }));
    assert.ok(outcome.ok);
    assert.deepEqual(await plugins.execInfo(), {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: cluster.server, 'certificate-authority-data': Buffer.from('PEM').toString('base64') } },
    });
  });

  it('a client certificate from the plugin is read (and checked)', async () => {
    const pems = await selfSignedPems();
    await plugins.respond({ clientCertificateData: pems.clientCert, clientKeyData: pems.clientKey });
    const outcome = await run(execConfig(plugins.plugin));
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.credential, { clientCertificate: { certPem: pems.clientCert, keyPem: pems.clientKey } });
  });

  const badAnswers: Array<[string, () => Promise<void>, RegExp]> = [
    ['another apiVersion', () => plugins.respond({ token: 'x' }, undefined, 'client.authentication.k8s.io/v1beta1'), /printed apiVersion "client\.authentication\.k8s\.io\/v1beta1"; the kubeconfig asks for client\.authentication\.k8s\.io\/v1/],
    ['no token, no certificate', () => plugins.respond({}), /neither a token nor clientCertificateData/],
    ['a certificate without its key', () => plugins.respond({ clientCertificateData: 'x' }), /without clientKeyData/],
    ['a bad expirationTimestamp', () => plugins.respond({ token: 'secret-tok', expirationTimestamp: 'tomorrow' }), /expirationTimestamp "tomorrow" is not an RFC 3339 time/],
  ];
  for (const [what, respond, message] of badAnswers) {
    it(`an ExecCredential with ${what} → one line naming the plugin`, async () => {
      await respond();
      const error = errorOf(await run(execConfig(plugins.plugin)));
      assert.match(error, /^exec plugin plugin\.sh: /);
      assert.match(error, message);
      assert.ok(!error.includes('secret-tok'));
    });
  }

  it('non-JSON output is described, never quoted', async () => {
    const error = errorOf(await run(execConfig(plugins.garbage)));
    assert.match(error, /^exec plugin garbage\.sh: printed something that is not JSON \(\d+ bytes on stdout/);
    assert.ok(!error.includes('html'));
  });

  it('exit status 1: the status and the last line of stderr', async () => {
    let said = '';
    const error = errorOf(await run(execConfig(plugins.failing), 5_000, (text) => (said += text)));
    assert.match(error, /^exec plugin failing\.sh: exited with status 1 \(interactiveMode Never: it may not prompt\): error: the SSO session has expired; run: login-tool sso login$/);
    assert.match(said, /SSO session has expired/);
  });

  it('a plugin that hangs is stopped (with its children) at the time limit', async () => {
    const started = Date.now();
    const error = errorOf(await run(execConfig(plugins.hanging), 300));
    assert.match(error, /^exec plugin hanging\.sh: did not finish within 300 ms and was stopped/);
    assert.ok(Date.now() - started < 3_000);
  });

  it('a command that does not exist: the installHint is shown', async () => {
    const error = errorOf(await run(execConfig('no-such-plugin-7c1e', { installHint: 'Install it with:\n  brew install no-such-plugin' })));
    assert.equal(error, 'exec plugin no-such-plugin-7c1e: command "no-such-plugin-7c1e" not found; Install it with: brew install no-such-plugin');
  });

  it('interactiveMode Always: refused without running the plugin (the harness is not interactive)', async () => {
    const error = errorOf(await run(execConfig(plugins.plugin, { interactiveMode: 'Always' })));
    assert.match(error, /interactiveMode is Always, but the harness is not interactive/);
    assert.equal(await plugins.calls(), 0);
  });

  it('the exec stanza is checked as client-go checks it', () => {
    const problem = (raw: unknown): string => {
      const parsed = parseExecConfig(raw);
      assert.equal(parsed.ok, false);
      return parsed.ok ? '' : parsed.problem;
    };
    assert.match(problem({ apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x' }), /v1alpha1 was removed in Kubernetes 1\.24/);
    assert.match(problem({ apiVersion: 'client.authentication.k8s.io/v1', command: 'x' }), /interactiveMode must be set/);
    assert.match(problem({ apiVersion: 'client.authentication.k8s.io/v1', command: 'x', interactiveMode: 'Sometimes' }), /not Never, IfAvailable or Always/);
    assert.match(problem({ apiVersion: 'client.authentication.k8s.io/v1beta1' }), /no command/);
    const beta = parseExecConfig({ apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'x' });
    assert.ok(beta.ok && beta.value.interactiveMode === 'IfAvailable', 'v1beta1 defaults to IfAvailable');
  });
});

describe('credentials: the transport adds them per request', function () {
  function recordingTransport(statuses: number[]): Transport & { sent: OutgoingRequest[] } {
    const sent: OutgoingRequest[] = [];
    return {
      sent,
      send: async (request): Promise<TransportOutcome> => {
        sent.push(request);
        const status = statuses.shift() ?? 200;
        return { ok: true, response: { status, headers: {}, bodyText: '{}', bodyTruncated: false, durationMs: 1 } };
      },
      close: async () => undefined,
    };
  }
  const request = (authenticate: boolean): OutgoingRequest => ({ method: 'GET', url: 'https://x/api', headers: { accept: 'application/json' }, ...(authenticate ? { authenticate: true as const } : {}) });

  it('only requests marked authenticate get the credential; a 401 renews it once and the request is sent again', async () => {
    let calls = 0;
    const source = renewingCredentialSource('exec plugin `t`', async () => {
      calls += 1;
      return { ok: true, credential: { token: `tok-${calls}` } };
    });
    const inner = recordingTransport([200, 200, 401, 200, 401, 401]);
    const transport = withCredentials(inner, { auth: { scheme: 'bearer' }, credentials: source });
    await transport.send(request(false));
    await transport.send(request(true));
    const renewed = await transport.send(request(true));
    assert.ok(renewed.ok && renewed.response.status === 200, 'the request sent again got through');
    const refused = await transport.send(request(true));
    assert.ok(refused.ok && refused.response.status === 401, 'refused twice: the 401 is the answer');
    assert.deepEqual(
      inner.sent.map((sent) => sent.headers.authorization),
      [undefined, 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2', 'Bearer tok-3'],
    );
    assert.ok(inner.sent.every((sent) => sent.authenticate === undefined));
    assert.equal(calls, 3);
  });

  it('a client certificate goes with the request (not in a header); a fixed source is not asked again on a 401', async () => {
    const pems = await selfSignedPems();
    const inner = recordingTransport([401]);
    const transport = withCredentials(inner, { auth: { scheme: 'bearer' }, credentials: fixedCredentialSource({ clientCertificate: { certPem: pems.clientCert, keyPem: pems.clientKey } }, 'client certificate') });
    const outcome = await transport.send(request(true));
    assert.ok(outcome.ok && outcome.response.status === 401);
    assert.equal(inner.sent.length, 1);
    assert.equal(inner.sent[0]!.headers.authorization, undefined);
    assert.equal(inner.sent[0]!.clientCertificate?.certPem, pems.clientCert);
    await transport.send(request(false));
    assert.equal(inner.sent[1]!.clientCertificate, undefined, 'unauthenticated requests never carry the certificate');
  });

  it('no credential → the request is not sent: a failure of kind credentials', async () => {
    const inner = recordingTransport([]);
    const transport = withCredentials(inner, { auth: { scheme: 'bearer' }, credentials: renewingCredentialSource('x', async () => ({ ok: false, error: 'exec plugin x: exited with status 1' })) });
    const outcome = await transport.send(request(true));
    assert.ok(!outcome.ok && outcome.failure.kind === 'credentials' && /status 1/.test(outcome.failure.message));
    assert.equal(inner.sent.length, 0);
  });
});

describe('credentials: kubeconfig files and users', function () {
  let dir: string;
  const file = (name: string): string => path.join(dir, name);
  const write = (name: string, config: Record<string, unknown>): Promise<void> =>
    writeFile(file(name), stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], ...config }), { mode: 0o600 });
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kubeconfig-merge-'));
    await write('a', {
      users: [{ name: 'u', user: { token: 'token-from-a' } }],
      clusters: [{ name: 'c', cluster: { server: 'https://a.example:6443' } }],
      contexts: [{ name: 'shared', context: { cluster: 'c', user: 'u', namespace: 'from-a' } }],
    });
    await write('b', {
      'current-context': 'only-in-b',
      users: [
        { name: 'u', user: { token: 'token-from-b' } },
        { name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/get-token', interactiveMode: 'Never' } } },
      ],
      clusters: [{ name: 'c', cluster: { server: 'https://b.example:6443' } }, { name: 'proxied', cluster: { server: 'https://c.example', 'proxy-url': 'http://user:pw@proxy.example:3128', 'tls-server-name': 'api.internal' } }],
      contexts: [
        { name: 'shared', context: { cluster: 'c', user: 'u', namespace: 'from-b' } },
        { name: 'only-in-b', context: { cluster: 'c', user: 'u', namespace: 'b-ns' } },
        { name: 'exec', context: { cluster: 'proxied', user: 'exec-user', namespace: 'n' } },
      ],
    });
    await write('c', { 'current-context': 'shared' });
    await write('providers', {
      clusters: [{ name: 'c', cluster: { server: 'https://p.example' } }],
      users: [
        { name: 'gke', user: { 'auth-provider': { name: 'gcp', config: {} } } },
        { name: 'aks', user: { 'auth-provider': { name: 'azure', config: {} } } },
        { name: 'odd', user: { 'auth-provider': { name: 'openstack', config: {} } } },
        { name: 'oidc', user: { 'auth-provider': { name: 'oidc', config: { 'id-token': jwt(Date.now() / 1000 + 3600), 'client-id': 'k' } } } },
        { name: 'oidc-none', user: { 'auth-provider': { name: 'oidc', config: { 'client-id': 'k' } } } },
      ],
      contexts: ['gke', 'aks', 'odd', 'oidc', 'oidc-none'].map((name) => ({ name, context: { cluster: 'c', user: name, namespace: 'n' } })),
    });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function jwt(exp: number): string {
    const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none' })}.${part({ exp: Math.floor(exp), sub: 'someone' })}.sig`;
  }

  it('KUBECONFIG a:b: the first file to define a name wins; current-context from the first file that sets one', async () => {
    const read = await readKubeconfig([file('a'), file('b')], undefined, { fromList: true });
    assert.ok(read.ok, read.ok ? '' : read.error);
    assert.equal(read.kubeconfig.context, 'only-in-b');
    assert.equal(read.kubeconfig.server, 'https://a.example:6443', 'cluster c from a');
    assert.equal(read.kubeconfig.token, 'token-from-a', 'user u from a');
    const shared = await readKubeconfig([file('c'), file('b'), file('a')], undefined, { fromList: true });
    assert.ok(shared.ok);
    assert.equal(shared.kubeconfig.context, 'shared', 'c sets current-context first');
    assert.equal(shared.kubeconfig.namespace, 'from-b', 'context shared from b (before a)');
    assert.equal(shared.kubeconfig.server, 'https://b.example:6443');
  });

  it('a missing file in the list is skipped; all missing, or a missing --kubeconfig, is an error', async () => {
    const skipped = await readKubeconfig([file('absent'), file('b')], undefined, { fromList: true });
    assert.ok(skipped.ok && skipped.kubeconfig.context === 'only-in-b');
    const none = await readKubeconfig([file('absent'), file('gone')], undefined, { fromList: true });
    assert.ok(!none.ok && /none of the KUBECONFIG files exists/.test(none.error));
    const flag = await readKubeconfig(file('absent'), undefined);
    assert.ok(!flag.ok && /cannot read it \(no such file\)/.test(flag.error));
  });

  it('through resolveConnection: the merged list, tls-server-name, proxy-url (never in the description), a relative exec command resolved against its file', async () => {
    const result = await resolveConnection({ env: { HOME: dir, KUBECONFIG: `${file('a')}:${file('b')}` }, context: 'exec' });
    assert.ok(result.ok, result.ok ? '' : result.error);
    const { connection } = result;
    assert.equal(connection.tls.serverName, 'api.internal');
    assert.equal(connection.proxyUrl, 'http://user:pw@proxy.example:3128');
    assert.equal(connection.credentials?.kind, 'exec plugin `get-token`');
    assert.match(connection.describedAs, /kubeconfig ~\/a \+ ~\/b, context exec, through its proxy-url/);
    assert.ok(!connection.describedAs.includes('pw@'));
    const outcome = await connection.credentials!.current();
    assert.ok(!outcome.ok && outcome.error.includes(`command "${path.join(dir, 'bin/get-token')}" not found`), outcome.ok ? '' : outcome.error);
  });

  it('gcp and azure auth-providers name the exec plugin that replaced them; other providers are refused clearly', async () => {
    const error = async (context: string): Promise<string> => {
      const read = await readKubeconfig(file('providers'), context);
      assert.ok(!read.ok);
      assert.doesNotMatch(read.error, /\n/);
      return read.error;
    };
    assert.match(await error('gke'), /user gke: the gcp auth-provider was removed from kubectl in 1\.26: install gke-gcloud-auth-plugin/);
    assert.match(await error('aks'), /user aks: the azure auth-provider was removed from kubectl in 1\.26: install kubelogin and run `kubelogin convert-kubeconfig -l azurecli`/);
    assert.match(await error('odd'), /auth-provider "openstack", which the harness does not support/);
    assert.match(await error('oidc-none'), /oidc auth-provider has no id-token/);
  });

  it('oidc: a valid id-token is used through client-node, with its exp as the expiry', async () => {
    const result = await resolveConnection({ env: { HOME: dir }, kubeconfig: file('providers'), context: 'oidc' });
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.connection.credentials?.kind, 'oidc auth-provider');
    const outcome = await result.connection.credentials!.current();
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    assert.equal(outcome.credential.token?.split('.').length, 3);
    assert.ok(outcome.credential.expiresAt !== undefined && outcome.credential.expiresAt > Date.now());
  });

  it('a proxy-url that is not http, https or socks5 is refused', async () => {
    await write('bad-proxy', { 'current-context': 'x', clusters: [{ name: 'c', cluster: { server: 'https://p.example', 'proxy-url': 'ftp://proxy' } }], contexts: [{ name: 'x', context: { cluster: 'c', namespace: 'n' } }] });
    const read = await readKubeconfig(file('bad-proxy'), undefined);
    assert.ok(!read.ok && /proxy-url is not an http, https or socks5 URL/.test(read.error));
  });
});

describe('credentials: a whole run with a credential that expires mid-run (reference server)', function () {
  let server: RunningReferenceServer;
  let contract: Contract;
  before(async () => {
    server = await startReferenceServer({});
    contract = await loadContract();
  });
  after(async () => {
    await server?.close();
  });

  /** A run of about 3 s (60 requests at 20/s) whose credential lives 1.2 s; `second` is what the
   * second attempt to obtain it gives. */
  async function runWith(second: CredentialOutcome): Promise<{ result: RunResult; obtained: number }> {
    const source = renewingCredentialSource('exec plugin `fake`', async () =>
      source.obtained === 0 ? { ok: true, credential: { token: server.tokens[0]!, expiresAt: Date.now() + 1_200 } } : second,
    );
    const selected = resolveSelection(caseCategories, checkRegistry, ['valid-endpoints'], []);
    assert.ok(selected.ok);
    const base = embeddedConnection(server);
    const outcome = await runConformance({
      connection: { ...base, auth: { scheme: 'bearer' }, credentials: source },
      targetDescription: 'reference server (test)',
      selection: selected.selection,
      runs: 60,
      seed: 5,
      concurrency: 4,
      rateLimit: 20,
      contract,
    });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
    return { result: outcome.result, obtained: source.obtained };
  }

  it('renewed before it expires: the run passes and the credential was obtained twice', async function () {
    this.timeout(30_000);
    const { result, obtained } = await runWith({ ok: true, credential: { token: server.tokens[0]! } });
    assert.equal(result.verdict, 'pass', result.stoppedEarly);
    assert.equal(obtained, 2);
  });

  it('renewal fails: the run stops at once and says why (the rest not run)', async function () {
    this.timeout(30_000);
    const { result, obtained } = await runWith({ ok: false, error: 'exec plugin fake: exited with status 1: login expired' });
    assert.equal(result.verdict, 'fail');
    assert.match(result.stoppedEarly ?? '', /the run's credential could not be obtained \(exec plugin fake: exited with status 1: login expired\)/);
    assert.ok(result.totals.notRun > 0 && result.totals.cases > 0);
    assert.equal(obtained, 2);
  });
});

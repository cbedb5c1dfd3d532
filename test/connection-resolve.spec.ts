/**
 * resolveConnection: flags > environment > kubeconfig, kubeconfig material only for its own
 * server, one-line errors naming the flag or file, token-file permission warnings, and a
 * description that never carries a secret.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { resolveConnection, wantsExternalTarget } from '../harness/connection/resolveConnection.ts';
import type { ConnectionFlags, ConnectionResult } from '../harness/connection/resolveConnection.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { selfSignedPems } from './fixtures/brokenServers.ts';
import type { SelfSignedPems } from './fixtures/brokenServers.ts';

const DEV_TOKEN = 'dev-kube-token-0123456789';
const FILE_TOKEN = 'file-token-abcdef';
const ENV_TOKEN = 'env-token-zyxwvu';
const DEV_SERVER = 'https://127.0.0.1:6443';
const PROD_SERVER = 'https://10.20.30.40:443/prefix';

async function clientCertificateOf(connection: ResolvedConnection): Promise<unknown> {
  const outcome = await connection.credentials?.current();
  if (outcome === undefined || !outcome.ok) assert.fail(`no credential: ${outcome === undefined ? 'no source' : outcome.error}`);
  return outcome.credential.clientCertificate;
}

function ok(result: ConnectionResult): { connection: ResolvedConnection; warnings: string[] } {
  if (!result.ok) assert.fail(`expected success, got error: ${result.error}`);
  return result;
}

function failed(result: ConnectionResult): string {
  assert.equal(result.ok, false, `expected an error, got ${JSON.stringify(result).slice(0, 300)}`);
  if (result.ok) throw new Error('unreachable');
  assert.doesNotMatch(result.error, /\n/, 'error is one line');
  assert.doesNotMatch(result.error, /\bat .+:\d+:\d+/, 'error carries no stack frame');
  return result.error;
}

function secretsOf(connection: ResolvedConnection): string[] {
  return [connection.auth.token, connection.auth.readonlyToken, connection.tls.keyPem, ...(connection.credentials?.secrets() ?? [])].filter((s): s is string => !!s);
}

describe('connection: resolveConnection', function () {
  let dir: string;
  let pems: SelfSignedPems;
  let kubeconfig: string;
  const file = (name: string): string => path.join(dir, name);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'conn-'));
    pems = await selfSignedPems();
    await writeFile(file('client.crt'), pems.clientCert);
    await writeFile(file('client.key'), pems.clientKey, { mode: 0o600 });
    await writeFile(file('ca.crt'), pems.cert);
    await writeFile(file('not-a-cert.pem'), 'hello\n');
    await writeFile(file('token'), `${FILE_TOKEN}\n`, { mode: 0o600 });
    await writeFile(file('token-loose'), `${FILE_TOKEN}\n`, { mode: 0o644 });
    await chmod(file('token-loose'), 0o644);
    await writeFile(file('token-empty'), '\n', { mode: 0o600 });
    await writeFile(file('ro-token'), 'readonly-token-42\n', { mode: 0o600 });
    kubeconfig = file('config');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'dev',
        clusters: [
          { name: 'dev-cluster', cluster: { server: `${DEV_SERVER}/`, 'certificate-authority-data': Buffer.from(pems.cert).toString('base64') } },
          { name: 'prod-cluster', cluster: { server: PROD_SERVER, 'insecure-skip-tls-verify': true } },
          { name: 'exec-cluster', cluster: { server: 'https://127.0.0.1:7443', 'certificate-authority': 'ca.crt' } },
        ],
        users: [
          { name: 'dev-user', user: { token: DEV_TOKEN } },
          { name: 'prod-user', user: { 'client-certificate': 'client.crt', 'client-key': 'client.key' } },
          { name: 'data-user', user: { 'client-certificate-data': Buffer.from(pems.clientCert).toString('base64'), 'client-key-data': Buffer.from(pems.clientKey).toString('base64') } },
          { name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'get-token', interactiveMode: 'Never' } } },
        ],
        contexts: [
          { name: 'dev', context: { cluster: 'dev-cluster', user: 'dev-user', namespace: 'dev-ns' } },
          { name: 'prod', context: { cluster: 'prod-cluster', user: 'prod-user' } },
          { name: 'data', context: { cluster: 'dev-cluster', user: 'data-user', namespace: 'data-ns' } },
          { name: 'exec', context: { cluster: 'exec-cluster', user: 'exec-user', namespace: 'x' } },
          { name: 'dangling', context: { cluster: 'nowhere', user: 'dev-user' } },
        ],
      }),
      { mode: 0o600 },
    );
    await writeFile(
      file('no-server'),
      stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'a', clusters: [{ name: 'c', cluster: {} }], users: [], contexts: [{ name: 'a', context: { cluster: 'c', user: 'u' } }] }),
      { mode: 0o600 },
    );
    await writeFile(file('no-current'), stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }), { mode: 0o600 });
    await writeFile(file('garbage'), 'clusters: [unclosed\n  - : :', { mode: 0o600 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const flags = (extra: Partial<ConnectionFlags>): ConnectionFlags => ({ env: { HOME: dir }, ...extra });

  describe('explicit target', function () {
    it('--target, --namespace, --token-file → that target, token without its newline, x-auth-token', async () => {
      const { connection, warnings } = ok(
        await resolveConnection(flags({ target: 'http://127.0.0.1:8080/', namespace: 'conf', tokenFile: file('token') })),
      );
      assert.equal(connection.baseUrl, 'http://127.0.0.1:8080');
      assert.equal(connection.namespace, 'conf');
      assert.equal(connection.auth.token, FILE_TOKEN);
      assert.equal(connection.auth.scheme, 'x-auth-token');
      assert.equal(connection.tls.insecure, false);
      assert.deepEqual(warnings, []);
      assert.match(connection.describedAs, /^http:\/\/127\.0\.0\.1:8080 \(--target/);
    });

    it('keeps a path prefix, drops the trailing slash', async () => {
      const { connection } = ok(await resolveConnection(flags({ target: 'https://example.test/k8s/clusters/c1/', namespace: 'n' })));
      assert.equal(connection.baseUrl, 'https://example.test/k8s/clusters/c1');
      assert.equal(connection.auth.token, undefined);
    });

    it('a group- or world-readable token file → a warning naming it', async () => {
      const { connection, warnings } = ok(await resolveConnection(flags({ target: 'http://127.0.0.1:1', namespace: 'n', tokenFile: file('token-loose') })));
      assert.equal(connection.auth.token, FILE_TOKEN);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /token-loose.*readable by group or others.*0644/);
    });

    it('CONFORMANCE_TOKEN is used without --token-file; --token-file wins over it', async () => {
      const env = { HOME: dir, CONFORMANCE_TOKEN: `${ENV_TOKEN}\n`, CONFORMANCE_READONLY_TOKEN: 'ro-env-token' };
      const fromEnv = ok(await resolveConnection({ env, target: 'http://127.0.0.1:1', namespace: 'n' }));
      assert.equal(fromEnv.connection.auth.token, ENV_TOKEN);
      assert.equal(fromEnv.connection.auth.readonlyToken, 'ro-env-token');
      assert.match(fromEnv.connection.describedAs, /token from CONFORMANCE_TOKEN/);
      const fromFile = ok(
        await resolveConnection({ env, target: 'http://127.0.0.1:1', namespace: 'n', tokenFile: file('token'), readonlyTokenFile: file('ro-token') }),
      );
      assert.equal(fromFile.connection.auth.token, FILE_TOKEN);
      assert.equal(fromFile.connection.auth.readonlyToken, 'readonly-token-42');
    });

    it('--auth-scheme bearer is honoured', async () => {
      const { connection } = ok(await resolveConnection(flags({ target: 'http://127.0.0.1:1', namespace: 'n', tokenFile: file('token'), authScheme: 'bearer' })));
      assert.equal(connection.auth.scheme, 'bearer');
    });

    it('--ca-file is read; --insecure only when asked, with a warning', async () => {
      const withCa = ok(await resolveConnection(flags({ target: 'https://127.0.0.1:6443', namespace: 'n', caFile: file('ca.crt') })));
      assert.equal(withCa.connection.tls.caPem, pems.cert);
      assert.equal(withCa.connection.tls.insecure, false);
      const insecure = ok(await resolveConnection(flags({ target: 'https://127.0.0.1:6443', namespace: 'n', insecure: true })));
      assert.equal(insecure.connection.tls.insecure, true);
      assert.ok(insecure.warnings.some((w) => /verification is OFF.*--insecure/.test(w)));
    });

    it('warns when tokens would travel over plain http to a non-loopback host', async () => {
      const { warnings } = ok(await resolveConnection(flags({ target: 'http://10.1.2.3:8080', namespace: 'n', tokenFile: file('token') })));
      assert.ok(warnings.some((w) => /unencrypted over plain http to 10\.1\.2\.3/.test(w)), warnings.join(' | '));
    });

    it('the KUBECONFIG variable is not read with --target (a broken one does not matter)', async () => {
      const { connection } = ok(
        await resolveConnection({ env: { HOME: dir, KUBECONFIG: file('garbage') }, target: 'http://127.0.0.1:1', namespace: 'n' }),
      );
      assert.equal(connection.baseUrl, 'http://127.0.0.1:1');
    });
  });

  describe('kubeconfig', function () {
    it('current context: server, namespace, token (bearer), CA data; described with ~ and the context', async () => {
      const { connection, warnings } = ok(await resolveConnection(flags({ kubeconfig })));
      assert.equal(connection.baseUrl, DEV_SERVER);
      assert.equal(connection.namespace, 'dev-ns');
      assert.equal(connection.auth.token, DEV_TOKEN);
      assert.equal(connection.auth.scheme, 'bearer');
      assert.equal(connection.tls.caPem, pems.cert);
      assert.equal(connection.tls.insecure, false);
      assert.equal(connection.describedAs, `${DEV_SERVER} (kubeconfig ~/config, context dev, namespace dev-ns, token from kubeconfig)`);
      assert.deepEqual(warnings, []);
    });

    it('KUBECONFIG is used when there is no --target and no --kubeconfig', async () => {
      const { connection } = ok(await resolveConnection({ env: { HOME: dir, KUBECONFIG: `${kubeconfig}:/nonexistent` } }));
      assert.equal(connection.baseUrl, DEV_SERVER);
    });

    it('--context prod: client certificate and key files (relative to the kubeconfig), insecure with a warning', async () => {
      const { connection, warnings } = ok(await resolveConnection(flags({ kubeconfig, context: 'prod', namespace: 'p' })));
      assert.equal(connection.baseUrl, 'https://10.20.30.40/prefix', 'the default port is dropped, the prefix kept');
      assert.equal(connection.tls.certPem, undefined, 'not on every connection: only on requests carrying the run credential');
      assert.deepEqual(await clientCertificateOf(connection), { certPem: pems.clientCert, keyPem: pems.clientKey });
      assert.equal(connection.tls.insecure, true);
      assert.equal(connection.auth.token, undefined);
      assert.equal(connection.auth.scheme, 'bearer');
      assert.ok(warnings.some((w) => /verification is OFF.*insecure-skip-tls-verify/.test(w)));
      assert.match(connection.describedAs, /context prod.*client certificate/);
    });

    it('client-certificate-data / client-key-data are decoded', async () => {
      const { connection } = ok(await resolveConnection(flags({ kubeconfig, context: 'data' })));
      assert.deepEqual(await clientCertificateOf(connection), { certPem: pems.clientCert, keyPem: pems.clientKey });
      assert.equal(connection.namespace, 'data-ns');
    });

    it('a context without a namespace needs --namespace', async () => {
      const error = failed(await resolveConnection(flags({ kubeconfig, context: 'prod' })));
      assert.match(error, /--namespace is required.*context prod/);
    });

    it('flags win over kubeconfig: --namespace, --token-file, --ca-file, --insecure', async () => {
      const { connection } = ok(
        await resolveConnection(flags({ kubeconfig, namespace: 'mine', tokenFile: file('token'), caFile: file('client.crt'), insecure: true })),
      );
      assert.equal(connection.namespace, 'mine');
      assert.equal(connection.auth.token, FILE_TOKEN);
      assert.equal(connection.auth.scheme, 'x-auth-token');
      assert.equal(connection.tls.caPem, pems.clientCert);
      assert.equal(connection.tls.insecure, true);
    });

    it('the environment wins over kubeconfig', async () => {
      const { connection } = ok(await resolveConnection({ env: { HOME: dir, CONFORMANCE_TOKEN: ENV_TOKEN }, kubeconfig }));
      assert.equal(connection.auth.token, ENV_TOKEN);
    });

    it('--target equal to the kubeconfig server → kubeconfig credentials are used', async () => {
      const { connection } = ok(await resolveConnection(flags({ kubeconfig, target: 'https://127.0.0.1:6443/' })));
      assert.equal(connection.auth.token, DEV_TOKEN);
      assert.equal(connection.namespace, 'dev-ns');
    });

    it('--target elsewhere → kubeconfig credentials, CA and namespace are NOT sent there', async () => {
      const result = await resolveConnection(flags({ kubeconfig, target: 'https://127.0.0.1:9999', namespace: 'n' }));
      const { connection, warnings } = ok(result);
      assert.equal(connection.auth.token, undefined);
      assert.equal(connection.tls.caPem, undefined);
      assert.ok(warnings.some((w) => /not --target https:\/\/127\.0\.0\.1:9999.*not used/.test(w)), warnings.join(' | '));
    });

    it('an exec-plugin user → a credential source named after the plugin (run only when a request needs it)', async () => {
      const { connection, warnings } = ok(await resolveConnection(flags({ kubeconfig, context: 'exec' })));
      assert.equal(connection.auth.token, undefined);
      assert.equal(connection.auth.scheme, 'bearer');
      assert.equal(connection.credentials?.kind, 'exec plugin `get-token`');
      assert.match(connection.describedAs, /context exec, namespace x, exec plugin `get-token`\)$/);
      assert.equal(connection.tls.caPem, pems.cert, 'certificate-authority is read relative to the kubeconfig');
      assert.deepEqual(warnings, []);
    });
  });

  describe('errors: one line naming the flag or file', function () {
    const cases: Array<[string, () => Partial<ConnectionFlags>, RegExp]> = [
      ['missing token file', () => ({ target: 'http://127.0.0.1:1', namespace: 'n', tokenFile: file('nope') }), /--token-file .*nope: cannot read the token file \(no such file\)/],
      ['empty token file', () => ({ target: 'http://127.0.0.1:1', namespace: 'n', tokenFile: file('token-empty') }), /--token-file .*token-empty: the token file is empty/],
      ['missing read-only token file', () => ({ target: 'http://127.0.0.1:1', namespace: 'n', readonlyTokenFile: file('nope') }), /--readonly-token-file .*nope/],
      ['unknown context', () => ({ kubeconfig, context: 'staging' }), /--context staging: no such context in kubeconfig .*config \(contexts: dev, prod, data, exec, dangling\)/],
      ['context naming a missing cluster', () => ({ kubeconfig, context: 'dangling' }), /kubeconfig .*config: context dangling names cluster "nowhere"/],
      ['malformed URL', () => ({ target: 'htp//oops', namespace: 'n' }), /--target "htp\/\/oops": not a valid URL/],
      ['non-http scheme', () => ({ target: 'ftp://127.0.0.1/', namespace: 'n' }), /--target "ftp:\/\/127\.0\.0\.1\/": scheme ftp: is not http or https/],
      ['credentials in the URL', () => ({ target: 'https://u:p@127.0.0.1/', namespace: 'n' }), /must not carry credentials/],
      ['target without namespace', () => ({ target: 'http://127.0.0.1:1' }), /--namespace is required with --target/],
      ['invalid namespace', () => ({ target: 'http://127.0.0.1:1', namespace: 'Bad_NS' }), /--namespace "Bad_NS": not a valid namespace name/],
      ['unreadable CA file', () => ({ target: 'https://127.0.0.1:1', namespace: 'n', caFile: file('missing-ca.pem') }), /--ca-file .*missing-ca\.pem: cannot read it \(no such file\)/],
      ['CA file that is not PEM', () => ({ target: 'https://127.0.0.1:1', namespace: 'n', caFile: file('not-a-cert.pem') }), /--ca-file .*not-a-cert\.pem: not a PEM certificate/],
      ['kubeconfig without a server', () => ({ kubeconfig: file('no-server') }), /kubeconfig .*no-server: clusters\[0\]\.cluster\.server is missing/],
      ['kubeconfig without current-context', () => ({ kubeconfig: file('no-current') }), /kubeconfig .*no-current has no current-context; pass --context NAME/],
      ['missing kubeconfig', () => ({ kubeconfig: file('absent') }), /kubeconfig .*absent: cannot read it \(no such file\)/],
      ['kubeconfig that is not YAML', () => ({ kubeconfig: file('garbage') }), /kubeconfig .*garbage: /],
      ['--context without any kubeconfig', () => ({ context: 'dev' }), /--context dev: no kubeconfig/],
      ['nothing at all', () => ({}), /no target/],
      ['read-only token equal to the token', () => ({ target: 'http://127.0.0.1:1', namespace: 'n', tokenFile: file('token'), readonlyTokenFile: file('token') }), /read-only token is the same/],
    ];
    for (const [what, extra, pattern] of cases) {
      it(what, async () => {
        const error = failed(await resolveConnection(flags(extra())));
        assert.match(error, pattern);
        for (const secret of [DEV_TOKEN, FILE_TOKEN, pems.clientKey]) assert.ok(!error.includes(secret));
      });
    }
  });

  it('describedAs and warnings never contain a secret', async () => {
    const variants: Array<Partial<ConnectionFlags>> = [
      { kubeconfig },
      { kubeconfig, context: 'data' },
      { kubeconfig, context: 'prod', namespace: 'p', tokenFile: file('token-loose') },
      { target: 'http://10.0.0.9', namespace: 'n', tokenFile: file('token'), readonlyTokenFile: file('ro-token') },
    ];
    for (const extra of variants) {
      const { connection, warnings } = ok(await resolveConnection(flags(extra)));
      const secrets = secretsOf(connection);
      assert.ok(secrets.length > 0);
      for (const secret of secrets) {
        assert.ok(!connection.describedAs.includes(secret), connection.describedAs);
        for (const warning of warnings) assert.ok(!warning.includes(secret), warning);
      }
    }
  });

  it('wantsExternalTarget: only explicit flags, never the KUBECONFIG variable alone', () => {
    assert.equal(wantsExternalTarget({}), false);
    assert.equal(wantsExternalTarget({ target: 'http://x' }), true);
    assert.equal(wantsExternalTarget({ kubeconfig: '/k' }), true);
    assert.equal(wantsExternalTarget({ context: 'c' }), true);
  });
});

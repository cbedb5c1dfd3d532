/**
 * Real clients against the reference server: @kubernetes/client-node (http and TLS), kubectl
 * (replace and get over TLS with a token; skipped when kubectl is not installed), the
 * worker-thread variant, and the command-line entry.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { startReferenceServerInWorker } from '../reference-server/inWorker.ts';
import { epPath, get, put, start, TOKEN, uniqueName, validBody } from './reference-support.ts';

const run = promisify(execFile);

function coreApi(server: RunningReferenceServer, token: string, tls: 'skip' | 'ca'): k8s.CoreV1Api {
  const kc = new k8s.KubeConfig();
  const cluster = tls === 'skip'
    ? { name: 'ref', server: server.url, skipTLSVerify: true }
    : { name: 'ref', server: server.url, caData: Buffer.from(server.caCertPem ?? '').toString('base64'), skipTLSVerify: false };
  kc.loadFromOptions({ clusters: [cluster], users: [{ name: 'u', token }], contexts: [{ name: 'c', cluster: 'ref', user: 'u' }], currentContext: 'c' });
  return kc.makeApiClient(k8s.CoreV1Api);
}

const endpointsBody = (name: string, ip: string): k8s.V1Endpoints => ({
  apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default' },
  subsets: [{ addresses: [{ ip }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
});

describe('reference server: real clients', () => {
  describe('@kubernetes/client-node replaceNamespacedEndpoints', () => {
    let server: RunningReferenceServer;
    before(async () => { server = await start(); });
    after(async () => { await server.close(); });

    it('creates, replaces, dry-runs, and surfaces a 422 as ApiException (http + skipTLSVerify)', async () => {
      const api = coreApi(server, TOKEN, 'skip');
      const name = uniqueName();
      const created = await api.replaceNamespacedEndpointsWithHttpInfo({ name, namespace: 'default', body: endpointsBody(name, '10.0.0.1'), fieldManager: 'harness' });
      assert.equal(created.httpStatusCode, 201);
      assert.equal(created.data.metadata?.managedFields?.[0].manager, 'harness');
      const replaced = await api.replaceNamespacedEndpoints({ name, namespace: 'default', body: endpointsBody(name, '10.0.0.2'), pretty: 'true' });
      assert.equal(replaced.subsets?.[0].addresses?.[0].ip, '10.0.0.2');
      assert.equal(replaced.metadata?.uid, created.data.metadata?.uid);
      const dry = await api.replaceNamespacedEndpoints({ name, namespace: 'default', body: endpointsBody(name, '10.0.0.3'), dryRun: 'All' });
      assert.equal(dry.subsets?.[0].addresses?.[0].ip, '10.0.0.3');
      assert.equal((await api.readNamespacedEndpoints({ name, namespace: 'default' })).subsets?.[0].addresses?.[0].ip, '10.0.0.2');
      await assert.rejects(api.replaceNamespacedEndpoints({ name, namespace: 'default', body: endpointsBody(name, '127.0.0.1') }), (e: unknown) => {
        assert.ok(e instanceof k8s.ApiException);
        assert.equal(e.code, 422);
        const s = JSON.parse(String(e.body)) as { reason: string; details: { causes: Array<{ field: string }> } };
        assert.equal(s.reason, 'Invalid');
        assert.equal(s.details.causes[0].field, 'subsets[0].addresses[0].ip');
        return true;
      });
    });

    it('a wrong token → ApiException 401', async () => {
      const api = coreApi(server, 'wrong-token', 'skip');
      await assert.rejects(api.replaceNamespacedEndpoints({ name: 'x', namespace: 'default', body: endpointsBody('x', '10.0.0.1') }), (e: unknown) => e instanceof k8s.ApiException && e.code === 401);
    });

    it('works over TLS with the generated CA', async () => {
      const tlsServer = await start({ tls: true });
      try {
        assert.match(tlsServer.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        assert.match(tlsServer.caCertPem ?? '', /BEGIN CERTIFICATE/);
        const api = coreApi(tlsServer, TOKEN, 'ca');
        const name = uniqueName();
        const res = await api.replaceNamespacedEndpointsWithHttpInfo({ name, namespace: 'default', body: endpointsBody(name, '10.0.0.1') });
        assert.equal(res.httpStatusCode, 201);
      } finally { await tlsServer.close(); }
    });
  });

  describe('kubectl (over TLS with a token)', function () {
    const kubectls = ['/usr/bin/kubectl', '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'].filter((p) => existsSync(p));
    let server: RunningReferenceServer;
    let dir: string;
    before(async function () {
      if (kubectls.length === 0) this.skip();
      server = await start({ tls: true });
      dir = mkdtempSync(join(tmpdir(), 'reference-kubectl-'));
      writeFileSync(join(dir, 'ca.pem'), server.caCertPem ?? '');
    });
    after(async () => {
      if (server) await server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const kubectl of ['/usr/bin/kubectl', '/usr/lib/google-cloud-sdk/bin/kubectl.1.32']) {
      it(`${kubectl}: replace -f creates then replaces, get shows it, a bad ip is refused with the Status message`, async function () {
        if (!existsSync(kubectl)) this.skip();
        const name = uniqueName('kubectl');
        const cache = mkdtempSync(join(dir, 'cache-'));
        const file = join(dir, `${name}.yaml`);
        const base = ['--server', server.url, '--token', TOKEN, '--certificate-authority', join(dir, 'ca.pem'), `--cache-dir=${cache}`];
        const env = { ...process.env, KUBECONFIG: join(dir, 'no-kubeconfig'), HOME: dir };
        const write = (ip: string) => writeFileSync(file, `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ${name}\n  namespace: default\nsubsets:\n- addresses:\n  - ip: ${ip}\n  ports:\n  - port: 80\n`);
        write('10.0.0.1');
        const first = await run(kubectl, [...base, 'replace', '-f', file], { env });
        assert.equal(first.stdout.trim(), `endpoints/${name} replaced`);
        assert.match(first.stderr, /Warning: v1 Endpoints is deprecated in v1\.33\+/);
        write('10.0.0.2');
        await run(kubectl, [...base, 'replace', '-f', file], { env });
        const shown = await run(kubectl, [...base, 'get', 'endpoints', name, '-n', 'default', '-o', 'json'], { env });
        const obj = JSON.parse(shown.stdout) as { subsets: Array<{ addresses: Array<{ ip: string }>; ports: Array<{ protocol: string }> }> };
        assert.equal(obj.subsets[0].addresses[0].ip, '10.0.0.2');
        assert.equal(obj.subsets[0].ports[0].protocol, 'TCP');
        const table = await run(kubectl, [...base, 'get', 'endpoints', name, '-n', 'default'], { env });
        assert.match(table.stdout, new RegExp(`^NAME\\s+AGE\\n${name}\\s+`));
        write('127.0.0.1');
        await assert.rejects(run(kubectl, [...base, 'replace', '-f', file], { env }), (e: unknown) => {
          assert.match(String((e as { stderr: string }).stderr), /is invalid: subsets\[0\]\.addresses\[0\]\.ip: Invalid value: "127\.0\.0\.1": may not be in the loopback range/);
          return true;
        });
        await assert.rejects(run(kubectl, [...base, 'get', 'endpoints', 'nope', '-n', 'default'], { env }), (e: unknown) => {
          assert.match(String((e as { stderr: string }).stderr), /Error from server \(NotFound\): endpoints "nope" not found/);
          return true;
        });
      });
    }
  });

  describe('worker-thread variant', () => {
    it('startReferenceServerInWorker serves the same API and closes', async () => {
      const server = await startReferenceServerInWorker({ faults: ['accept-port-zero'], namespaces: ['w'] });
      try {
        assert.deepEqual(server.faults, ['accept-port-zero']);
        assert.deepEqual(server.namespaces, ['w']);
        assert.deepEqual(server.tokens, ['conformance-token']);
        const name = uniqueName();
        const res = await put(server, name, { metadata: { name }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 0 }] }] }, {}, 'w');
        assert.equal(res.status, 201, 'the fault reached the worker');
        assert.equal((await get(server, epPath(name, 'w'))).status, 200);
        assert.equal((await put(server, name, validBody(name, '127.0.0.1'), {}, 'w')).status, 422);
      } finally { await server.close(); }
      await assert.rejects(get(server, '/version'), 'closed: connection refused');
    });
    it('a failing start (port in use) rejects with a one-line error', async () => {
      const first = await start();
      try {
        await assert.rejects(startReferenceServerInWorker({ port: Number(new URL(first.url).port) }), /EADDRINUSE/);
      } finally { await first.close(); }
    });
  });

  describe('command line (cli/reference.mjs: npm run reference)', () => {
    const cli = join(process.cwd(), 'cli', 'reference.mjs');
    it('prints the defaults then one "listening on <url>" line, serves, and exits 0 on SIGTERM', async () => {
      const child = spawn(process.execPath, [cli, '--port', '0', '--fault', 'accept-port-zero', '--namespaces', 'a,b'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      assert.match(out, /^tokens: conformance-token$/m);
      assert.match(out, /^namespaces: a, b$/m);
      assert.match(out, /^faults: accept-port-zero$/m);
      assert.equal(out.match(/listening on/g)?.length, 1);
      const res = await fetch(`${url}/version`);
      assert.equal(res.status, 200);
      const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
      assert.equal(code, 0);
    });
    it('bad flags → one-line error, exit 2; --list-faults prints the catalogue', async () => {
      for (const args of [['--port', 'abc'], ['--fault', 'no-such-fault'], ['--bogus']]) {
        await assert.rejects(run(process.execPath, [cli, ...args]), (e: unknown) => {
          const err = e as { code: number; stderr: string };
          assert.equal(err.code, 2, args.join(' '));
          assert.equal(err.stderr.trim().split('\n').length, 1, err.stderr);
          assert.match(err.stderr, /^error: /);
          return true;
        });
      }
      const list = await run(process.execPath, [cli, '--list-faults']);
      assert.match(list.stdout, /^accept-loopback-ip {2}\[validation; caught by negative_data_rejection\]$/m);
      assert.match(list.stdout, /^wrong-cause-type /m);
    });
  });
});

/**
 * A resolved connection drives the transport end to end: a kubeconfig with CA data, a client
 * certificate and a token reaches an https server that demands all three.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { stringify } from 'yaml';
import { resolveConnection } from '../harness/connection/resolveConnection.ts';
import { connectionTransport } from '../harness/transport/connectionTransport.ts';
import { selfSignedPems } from './fixtures/brokenServers.ts';

describe('connection → transport (mutual TLS from a kubeconfig)', function () {
  it('the CA, client certificate and bearer token from kubeconfig reach the server', async () => {
    const pems = await selfSignedPems();
    const seen: Array<{ authorization?: string; clientCn?: string | string[] }> = [];
    const server = https.createServer(
      { key: pems.key, cert: pems.cert, ca: pems.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        seen.push({ authorization: req.headers.authorization, clientCn: socket.getPeerCertificate().subject?.CN });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"kind":"EndpointsList","items":[]}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = await mkdtemp(path.join(tmpdir(), 'conn-tls-'));
    const kubeconfig = path.join(dir, 'config');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'local',
        clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': Buffer.from(pems.cert).toString('base64') } }],
        users: [
          {
            name: 'u',
            user: {
              token: 'mtls-bearer-token',
              'client-certificate-data': Buffer.from(pems.clientCert).toString('base64'),
              'client-key-data': Buffer.from(pems.clientKey).toString('base64'),
            },
          },
        ],
        contexts: [{ name: 'local', context: { cluster: 'c', user: 'u', namespace: 'conformance' } }],
      }),
      { mode: 0o600 },
    );
    const transport = (await (async () => {
      const result = await resolveConnection({ kubeconfig, env: {} });
      if (!result.ok) assert.fail(result.error);
      const { connection } = result;
      const t = connectionTransport(connection, { timeoutMs: 2_000, maxBodyBytes: 1 << 20, connections: 1 });
      const outcome = await t.send({
        method: 'GET',
        url: `${connection.baseUrl}/api/v1/namespaces/${connection.namespace}/endpoints`,
        headers: { accept: 'application/json' },
        authenticate: true,
      });
      if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
      assert.equal(outcome.response.status, 200);
      return t;
    })());
    try {
      assert.deepEqual(seen, [{ authorization: 'Bearer mtls-bearer-token', clientCn: 'conformance-client' }]);
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Against the real kube-apiserver (the shared control plane of test/support/controlPlane.ts):
 * detection reads its release and the PUT's query parameters, and the judgement that follows is
 * the table's; the URL-name path-segment answers of the reference server emulating the same
 * release are the real server's, status and message, for PUT, GET and DELETE.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { caseCategories } from '../generators/categories.ts';
import { detectTargetRelease } from '../harness/release/detectTargetRelease.ts';
import { judgeByRelease } from '../harness/release/releaseJudgement.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import { emulatedVersion } from '../reference-server/emulatedRelease.ts';
import { startReferenceServer, type RunningReferenceServer } from '../reference-server/index.ts';
import { parseKubernetesRelease } from '../spec/kubernetesReleaseDifferences.ts';
import { adminToken, conformanceNamespace, controlPlaneOrSkip, type RunningControlPlane } from './support/controlPlane.ts';

/** Sends the path exactly as given (no URL normalisation of '.', '..', '%2E'). */
function send(base: string, token: string, method: string, path: string, body?: string, ca?: string): Promise<{ status: number; message: string }> {
  const url = new URL(base);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      { host: url.hostname, port: url.port, method, path, ...(ca === undefined ? {} : { ca }), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let message = '';
          try {
            message = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: unknown }).message ?? '');
          } catch {
            message = '<not json>';
          }
          resolve({ status: res.statusCode ?? 0, message });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the real kube-apiserver: its release, and the URL-name rule', function () {
  let plane: RunningControlPlane;
  let reference: RunningReferenceServer;

  before(async function () {
    plane = await controlPlaneOrSkip(this);
    const release = parseKubernetesRelease(plane.version);
    assert.ok(release, plane.version);
    reference = await startReferenceServer({ version: emulatedVersion(release), namespaces: [conformanceNamespace], tokens: [adminToken] });
  });
  after(async () => {
    await reference?.close();
  });

  it('detection reads gitVersion from /version and the PUT parameters from the OpenAPI the release serves', async function () {
    const ca = readFileSync(plane.caFile, 'utf8');
    const transport = createTransport({ timeoutMs: 30_000, maxBodyBytes: 4 * 1024 * 1024, connections: 2, tls: { insecure: false, caPem: ca } });
    try {
      const facts = await detectTargetRelease({
        connection: { baseUrl: plane.url, namespace: conformanceNamespace, auth: { scheme: 'bearer', token: adminToken }, tls: { insecure: false, caPem: ca }, describedAs: 'real' },
        transport,
      });
      assert.equal(facts.gitVersion, plane.version);
      assert.equal(facts.releaseSource, 'detected');
      assert.ok(facts.putQueryParameters?.includes('dryRun') && facts.putQueryParameters.includes('fieldManager'), facts.detection.join('\n'));
      const advertised = facts.putQueryParameters?.includes('fieldValidation');
      const judged = new Map(judgeByRelease(facts, caseCategories).report.categories.map((c) => [c.category, c.action]));
      if (advertised !== true) assert.equal(judged.get('field-validation-invalid'), 'adapted');
    } finally {
      await transport.close();
    }
  });

  for (const [encoded, name] of [['a%25b', 'a%b'], ['%2E', '.'], ['..', '..'], ['x%252Fy', 'x%2Fy'], ['a%2Fb', 'a/b']]) {
    it(`URL name ${JSON.stringify(name)}: the reference server answers as the real one (PUT, GET, DELETE)`, async () => {
      const ca = readFileSync(plane.caFile, 'utf8');
      const path = `/api/v1/namespaces/${conformanceNamespace}/endpoints/${encoded}`;
      const body = JSON.stringify({ metadata: { name }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] });
      for (const method of ['PUT', 'GET', 'DELETE']) {
        const real = await send(plane.url, adminToken, method, path, method === 'PUT' ? body : undefined, ca);
        const modelled = await send(reference.url, adminToken, method, path, method === 'PUT' ? body : undefined);
        assert.equal(modelled.status, real.status, `${method} ${path}: real ${real.status} ${real.message}`);
        assert.equal(modelled.message, real.message, `${method} ${path}`);
      }
    });
  }
});

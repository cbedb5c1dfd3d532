/**
 * Which Kubernetes the harness faces: the table of release differences is well-formed, detection
 * reads /version and the OpenAPI of 1.20-like and current-like targets and never fails on a
 * target that answers 404 or garbage, each category is judged by the row that applies (adapted or
 * skipped, with the reason; skipped is counted, never a pass), and the judgement matters: a
 * 1.20 server judged as a current release fails.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { detectTargetRelease, putQueryParametersOf, type TargetReleaseFacts } from '../harness/release/detectTargetRelease.ts';
import { judgeByRelease } from '../harness/release/releaseJudgement.ts';
import { buildSummary } from '../harness/report/summary.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { Transport } from '../harness/transport/types.ts';
import { emulatedVersion } from '../reference-server/emulatedRelease.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import {
  kubernetesReleaseDifferences,
  parseKubernetesRelease,
  releaseFromVersionDocument,
  variantFor,
} from '../spec/kubernetesReleaseDifferences.ts';

type Answer = { status: number; body: string };

/** A loopback server answering GET paths from a table (anything else: 404). */
async function fakeTarget(routes: Record<string, Answer>): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    const answer = routes[req.url ?? ''] ?? { status: 404, body: '{"kind":"Status","code":404,"reason":"NotFound"}' };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    asked,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function connectionTo(url: string): ResolvedConnection {
  return { baseUrl: url, namespace: 'conformance', auth: { scheme: 'bearer', token: 't' }, tls: { insecure: false }, describedAs: url };
}

const v2Endpoints = (parameters: string[]): string =>
  JSON.stringify({
    swagger: '2.0',
    paths: {
      '/api/v1/namespaces/{namespace}/endpoints/{name}': {
        put: { parameters: [{ name: 'body', in: 'body' }, ...parameters.map((name) => ({ name, in: 'query', type: 'string' }))] },
        parameters: [{ $ref: '#/parameters/pretty-x' }, { name: 'name', in: 'path' }],
      },
    },
    parameters: { 'pretty-x': { name: 'pretty', in: 'query' } },
  });

async function detect(url: string, transport?: Transport, kubernetesVersion?: string): Promise<TargetReleaseFacts> {
  const own = transport ?? createTransport({ timeoutMs: 5000, maxBodyBytes: 4 * 1024 * 1024, connections: 2, tls: { insecure: false } });
  try {
    return await detectTargetRelease({ connection: connectionTo(url), transport: own, ...(kubernetesVersion === undefined ? {} : { kubernetesVersion }) });
  } finally {
    if (transport === undefined) await own.close();
  }
}

const byName = (facts: TargetReleaseFacts): Map<string, { action: string; reason: string }> =>
  new Map(judgeByRelease(facts, caseCategories).report.categories.map((c) => [c.category, c]));

describe('Kubernetes releases: the table of differences', () => {
  it('every row names its subject and sources; its variants cover every 1.x release exactly once', () => {
    const names = new Set(caseCategories.map((category) => category.name));
    for (const row of kubernetesReleaseDifferences) {
      assert.ok(row.subject.length > 10 && row.sources.length > 0, row.id);
      for (const category of row.categories) assert.ok(names.has(category), `${row.id} names unknown category ${category}`);
      for (let minor = 0; minor <= 60; minor += 1) {
        const holding = row.variants.filter((v) => (v.fromMinor === undefined || minor >= v.fromMinor) && (v.untilMinor === undefined || minor <= v.untilMinor));
        assert.equal(holding.length, 1, `${row.id} at 1.${minor}`);
      }
    }
    assert.deepEqual(
      kubernetesReleaseDifferences.map((row) => row.id).sort(),
      ['endpoints-deprecation-warning', 'field-validation', 'ip-format-warnings', 'ipv4-leading-zeros', 'name-and-namespace-mismatch', 'resource-version-not-a-number', 'url-name-path-segment'],
    );
  });

  it('the rows hold where upstream says: fieldValidation from 1.23 (on by default 1.25), deprecation warning from 1.33, strict IPs from 1.36', () => {
    assert.match(variantFor('field-validation', 20).behaviour, /ignored/);
    assert.match(variantFor('field-validation', 23).behaviour, /alpha/);
    assert.match(variantFor('field-validation', 25).behaviour, /Strict/);
    assert.match(variantFor('endpoints-deprecation-warning', 32).behaviour, /no deprecation/);
    assert.match(variantFor('endpoints-deprecation-warning', 33).behaviour, /deprecated in v1\.33/);
    assert.match(variantFor('ipv4-leading-zeros', 35).behaviour, /accepted/);
    assert.match(variantFor('ipv4-leading-zeros', 36).behaviour, /rejected/);
    assert.match(variantFor('name-and-namespace-mismatch', 20).behaviour, /^the name/);
  });

  it('release text: v1.20.2, 1.20, 1.20+ and vendor suffixes parse; anything else does not', () => {
    for (const text of ['v1.20.2', '1.20', '1.20+', 'v1.20.2-eks-1234', ' 1.20 ']) assert.deepEqual(parseKubernetesRelease(text), { major: 1, minor: 20 }, text);
    for (const text of ['', '1', 'x1.20', '1.x', 'latest', '1..2']) assert.equal(parseKubernetesRelease(text), undefined, text);
    assert.deepEqual(releaseFromVersionDocument({ major: '1', minor: '27+', gitVersion: 'weird' }), { major: 1, minor: 27 });
    for (const junk of [null, 'v1.20.2', [], {}, { gitVersion: 3 }]) assert.equal(releaseFromVersionDocument(junk), undefined);
  });
});

describe('Kubernetes releases: detection', () => {
  it('a 1.20-like target (no /openapi/v3): release from /version, parameters from /openapi/v2 → fieldValidation categories adapted', async () => {
    const target = await fakeTarget({
      '/version': { status: 200, body: JSON.stringify({ major: '1', minor: '20', gitVersion: 'v1.20.2' }) },
      '/openapi/v2': { status: 200, body: v2Endpoints(['dryRun', 'fieldManager']) },
    });
    try {
      const facts = await detect(target.url);
      assert.deepEqual(facts.release, { major: 1, minor: 20 });
      assert.equal(facts.gitVersion, 'v1.20.2');
      assert.equal(facts.releaseSource, 'detected');
      assert.deepEqual(facts.putQueryParameters, ['dryRun', 'fieldManager', 'pretty']);
      assert.equal(facts.openApiDocument, '/openapi/v2');
      const judged = byName(facts);
      assert.equal(judged.get('field-validation-invalid')?.action, 'adapted');
      assert.equal(judged.get('unknown-field-strict')?.action, 'adapted');
      assert.equal(judged.has('ip-leading-zero'), false, 'before 1.22 either answer passes: nothing to adapt');
    } finally {
      await target.close();
    }
  });

  it('a current-like target: /openapi/v3 root → its api/v1 document lists fieldValidation; leading zeros adapted to 201', async () => {
    const v3 = { paths: { '/api/v1/namespaces/{namespace}/endpoints/{name}': { put: { parameters: [{ name: 'fieldValidation', in: 'query' }, { $ref: '#/components/parameters/dry' }] } } }, components: { parameters: { dry: { name: 'dryRun', in: 'query' } } } };
    const target = await fakeTarget({
      '/version': { status: 200, body: JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.1' }) },
      '/openapi/v3': { status: 200, body: JSON.stringify({ paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=AB' } } }) },
      '/openapi/v3/api/v1?hash=AB': { status: 200, body: JSON.stringify(v3) },
    });
    try {
      const facts = await detect(target.url);
      assert.deepEqual(facts.putQueryParameters, ['dryRun', 'fieldValidation']);
      assert.equal(facts.openApiDocument, '/openapi/v3/api/v1');
      assert.ok(!target.asked.includes('/openapi/v2'), 'v2 (megabytes) is not fetched when v3 answers');
      const judged = byName(facts);
      assert.equal(judged.has('field-validation-invalid'), false);
      assert.equal(judged.get('ip-leading-zero')?.action, 'adapted');
    } finally {
      await target.close();
    }
  });

  it('a target answering 404 everywhere, or garbage, or more than the body cap: "unknown", never an error; judged by the contract', async () => {
    const garbage = { status: 200, body: '<html>not json' };
    const huge = { status: 200, body: JSON.stringify({ gitVersion: 'v1.20.2', pad: 'x'.repeat(5000) }) };
    const cases: Array<[string, Record<string, Answer>, Transport | undefined]> = [
      ['404', {}, undefined],
      ['garbage', { '/version': garbage, '/openapi/v3': garbage, '/openapi/v2': garbage }, undefined],
      ['wrong shapes', { '/version': { status: 200, body: '[1,2]' }, '/openapi/v3': { status: 200, body: '{"paths":3}' }, '/openapi/v2': { status: 200, body: '{"paths":{}}' } }, undefined],
      ['over the cap', { '/version': huge, '/openapi/v2': huge }, createTransport({ timeoutMs: 5000, maxBodyBytes: 1000, connections: 2, tls: { insecure: false } })],
    ];
    for (const [what, routes, transport] of cases) {
      const target = await fakeTarget(routes);
      try {
        const facts = await detect(target.url, transport);
        assert.equal(facts.releaseSource, 'unknown', what);
        assert.equal(facts.release, undefined, what);
        assert.equal(facts.putQueryParameters, undefined, what);
        assert.equal(facts.detection.length, 3, what);
        if (what === 'over the cap') assert.match(facts.detection[2], /not asked/);
        assert.deepEqual(judgeByRelease(facts, caseCategories).report.categories, [], `${what}: nothing adapted or skipped`);
      } finally {
        await transport?.close();
        await target.close();
      }
    }
  });

  it('an unreachable target: every question "no answer", still no error', async () => {
    const target = await fakeTarget({});
    const url = target.url;
    await target.close();
    const facts = await detect(url);
    assert.equal(facts.releaseSource, 'unknown');
    assert.ok(facts.detection.every((line) => line.includes('no answer')), facts.detection.join('\n'));
  });

  it('--kubernetes-version overrides detection: nothing is asked', async () => {
    const target = await fakeTarget({ '/version': { status: 200, body: JSON.stringify({ gitVersion: 'v1.35.0' }) } });
    try {
      const facts = await detect(target.url, undefined, '1.20');
      assert.deepEqual(facts.release, { major: 1, minor: 20 });
      assert.equal(facts.releaseSource, 'override');
      assert.deepEqual(target.asked, []);
    } finally {
      await target.close();
    }
  });

  it('1.23 and 1.24 (fieldValidation alpha, off by default): the fieldValidation categories are skipped, with the reason', () => {
    const judged = byName({ release: { major: 1, minor: 23 }, releaseSource: 'detected', detection: [] });
    assert.equal(judged.get('field-validation-invalid')?.action, 'skipped');
    assert.match(judged.get('unknown-field-strict')?.reason ?? '', /alpha/);
  });

  it('the reference server tells its release the same way: default current with fieldValidation, 1.20 without', async () => {
    for (const [version, minor, advertised] of [[undefined, 35, true], [emulatedVersion({ major: 1, minor: 20 }), 20, false]] as const) {
      const server = await startReferenceServer(version === undefined ? {} : { version });
      try {
        const transport = createTransport({ timeoutMs: 5000, maxBodyBytes: 4 * 1024 * 1024, connections: 2, tls: { insecure: false } });
        try {
          const facts = await detectTargetRelease({ connection: embeddedConnection(server), transport });
          assert.equal(facts.release?.minor, minor);
          assert.equal(facts.putQueryParameters?.includes('fieldValidation'), advertised);
          assert.equal(facts.openApiDocument, minor >= 24 ? '/openapi/v3/api/v1' : '/openapi/v2');
        } finally {
          await transport.close();
        }
      } finally {
        await server.close();
      }
    }
  });

  it('putQueryParametersOf: no Endpoints PUT in the document → undefined', () => {
    assert.equal(putQueryParametersOf({ paths: { '/api/v1/namespaces/{namespace}/endpoints/{name}': { get: {} } } }), undefined);
    assert.equal(putQueryParametersOf('x'), undefined);
  });
});

describe('Kubernetes releases: judging a run by the release', function () {
  const only = (names: string[]) => {
    const resolved = resolveSelection(caseCategories, checkRegistry, names, []);
    assert.ok(resolved.ok);
    return resolved.selection;
  };

  it('a 1.20 server judged by its detected release passes; judged as 1.35 it fails field-validation-invalid and unknown-field-strict', async () => {
    const server = await startReferenceServer({ version: emulatedVersion({ major: 1, minor: 20 }) });
    try {
      const base = { connection: embeddedConnection(server), targetDescription: '1.20 reference (test)', selection: only(['field-validation-invalid', 'unknown-field-strict', 'ip-leading-zero']), runs: 8, seed: 7, concurrency: 4, timeoutMs: 5000 };
      const detected = await runConformance(base);
      assert.ok(detected.ok);
      assert.equal(detected.result.verdict, 'pass', JSON.stringify(detected.result.categories.map((c) => [c.name, c.failed])));
      assert.equal(detected.result.targetRelease?.release, '1.20');
      const summary = buildSummary(detected.result);
      assert.deepEqual(summary.targetRelease?.categories.map((c) => `${c.action} ${c.category}`).sort(), ['adapted field-validation-invalid', 'adapted unknown-field-strict']);

      const misjudged = await runConformance({ ...base, kubernetesVersion: '1.35' });
      assert.ok(misjudged.ok);
      assert.equal(misjudged.result.verdict, 'fail');
      const failed = misjudged.result.categories.filter((c) => c.failed > 0).map((c) => c.name).sort();
      assert.deepEqual(failed, ['field-validation-invalid', 'ip-leading-zero', 'unknown-field-strict']);
    } finally {
      await server.close();
    }
  });

  it('a category skipped for the release is counted and listed as skipped, with its reason, never as a pass', async () => {
    const server = await startReferenceServer();
    try {
      const outcome = await runConformance({
        connection: embeddedConnection(server), targetDescription: 'reference (test)', selection: only(['field-validation-invalid', 'valid-endpoints']),
        runs: 4, seed: 3, concurrency: 4, timeoutMs: 5000, kubernetesVersion: '1.24',
      });
      assert.ok(outcome.ok);
      const skipped = outcome.result.categories.find((c) => c.name === 'field-validation-invalid');
      assert.equal(skipped?.skipped, 4);
      assert.equal(skipped?.cases, 0);
      assert.match(Object.keys(skipped?.skipReasons ?? {})[0] ?? '', /alpha in Kubernetes 1\.24/);
      assert.equal(outcome.result.totals.skipped, 4);
      assert.deepEqual(outcome.result.targetRelease?.categories.map((c) => c.action), ['skipped']);
    } finally {
      await server.close();
    }
  });
});

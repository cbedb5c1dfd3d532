/**
 * A run whose namespace does not exist ends in verdict `error` naming it, before any case: the
 * list of a missing namespace answers 200 with no items (real Kubernetes, and the reference
 * server alike), so the harness asks for the namespace itself. Only Kubernetes' own NotFound for
 * that namespace counts; an identity that may not read namespaces (403), a server without the
 * route, or no answer leave the run as it was.
 */
import assert from 'node:assert/strict';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { probeNamespace } from '../harness/run/namespaceProbe.ts';
import { exitCodeFor, runConformance } from '../harness/run/runConformance.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { connectionTransport } from '../harness/transport/connectionTransport.ts';
import type { OutgoingRequest, Transport, TransportOutcome } from '../harness/transport/types.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';

const connection: ResolvedConnection = {
  baseUrl: 'http://target.invalid',
  namespace: 'team-a',
  auth: { scheme: 'bearer', token: 't' },
  tls: { insecure: false },
  describedAs: 'test',
};

/** A transport answering every request with `status` and `body`, keeping what was asked. */
function answering(status: number | undefined, body: unknown): Transport & { asked: OutgoingRequest[] } {
  const asked: OutgoingRequest[] = [];
  return {
    asked,
    send: async (request): Promise<TransportOutcome> => {
      asked.push(request);
      if (status === undefined) return { ok: false, failure: { kind: 'timeout', message: 'no answer' }, durationMs: 5 };
      return { ok: true, response: { status, headers: {}, bodyText: typeof body === 'string' ? body : JSON.stringify(body), bodyTruncated: false, durationMs: 1 } };
    },
    close: async () => undefined,
  };
}

const notFound = (kind: string, name = 'team-a'): unknown => ({
  kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${kind} "${name}" not found`, reason: 'NotFound', details: { name, kind }, code: 404,
});

describe('harness: the run\'s namespace must exist', function () {
  it('Kubernetes\' NotFound for the namespace: missing, with the request and answer kept', async () => {
    const transport = answering(404, notFound('namespaces'));
    const probe = await probeNamespace(transport, connection);
    assert.equal(transport.asked[0]?.url, 'http://target.invalid/api/v1/namespaces/team-a');
    assert.equal(transport.asked[0]?.headers.authorization, 'Bearer t');
    assert.ok(probe.missing);
    assert.match(probe.reason, /the namespace team-a does not exist on the target .*name another with --namespace/);
    assert.equal(probe.exchange.status, 404);
  });

  for (const [label, status, body] of [
    ['the namespace exists (200)', 200, { kind: 'Namespace', metadata: { name: 'team-a' } }],
    ['the identity may not read namespaces (403)', 403, { kind: 'Status', reason: 'Forbidden', code: 403 }],
    ['a 404 that is not Kubernetes\' (no such route)', 404, '404 page not found'],
    ['a NotFound about something else', 404, notFound('endpoints')],
    ['a NotFound naming another namespace', 404, notFound('namespaces', 'team-b')],
    ['no answer', undefined, ''],
  ] as const) {
    it(`${label}: not missing, the run goes on`, async () => {
      assert.deepEqual(await probeNamespace(answering(status, body), connection), { missing: false });
    });
  }

  describe('a run against the reference server', function () {
    let server: RunningReferenceServer;
    before(async () => {
      server = await startReferenceServer();
    });
    after(async () => {
      await server.close();
    });

    it('lists a missing namespace as empty, as Kubernetes does, and answers NotFound for the namespace itself', async () => {
      const missing = { ...embeddedConnection(server), namespace: 'no-such-namespace' };
      const transport = connectionTransport(missing, { timeoutMs: 5000, maxBodyBytes: 1 << 20, connections: 2 });
      try {
        assert.equal((await probeNamespace(transport, missing)).missing, true);
        assert.equal((await probeNamespace(transport, embeddedConnection(server))).missing, false);
      } finally {
        await transport.close();
      }
    });

    it('a run in a missing namespace: verdict error (access-denied, exit 2), not a failure per case; nothing fired', async () => {
      const selected = resolveSelection(caseCategories, checkRegistry, ['valid-endpoints', 'create-then-replace'], []);
      assert.ok(selected.ok);
      const outcome = await runConformance({
        connection: { ...embeddedConnection(server), namespace: 'no-such-namespace' },
        targetDescription: 'test',
        selection: selected.selection,
        runs: 5,
        seed: 3,
        contract: await loadContract(),
      });
      assert.ok(outcome.ok);
      const result = outcome.result;
      assert.equal(result.verdict, 'error');
      assert.equal(result.error?.cause, 'access-denied');
      assert.match(result.error?.reason ?? '', /no-such-namespace does not exist/);
      assert.equal(result.totals.cases, 0);
      assert.equal(result.totals.requests, 0, 'no case request went out');
      assert.match(result.stoppedEarly ?? '', /^not started: /);
      assert.equal(exitCodeFor(result), 2);
    });
  });
});

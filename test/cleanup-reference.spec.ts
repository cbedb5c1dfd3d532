/**
 * The janitor against the embedded reference server: objects that existed before the run are
 * untouched byte for byte (same resourceVersion), the run's objects are gone, nothing is left.
 */
import assert from 'node:assert/strict';
import { createJanitor } from '../harness/cleanup/janitor.ts';
import { authHeaders } from '../harness/connection/types.ts';
import type { ResolvedConnection } from '../harness/connection/types.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { Transport } from '../harness/transport/types.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';

const RUN = 'refrun7';
const LABEL = { key: 'endpoints-conformance/run', value: RUN };
const NS = 'conformance';

describe('cleanup: janitor against the reference server', function () {
  let server: RunningReferenceServer;
  let transport: Transport;
  let connection: ResolvedConnection;

  before(async () => {
    server = await startReferenceServer({});
    transport = createTransport({ timeoutMs: 2_000, maxBodyBytes: 4 << 20, connections: 4, tls: { insecure: false } });
    connection = {
      baseUrl: server.url,
      namespace: NS,
      auth: { scheme: 'x-auth-token', token: server.tokens[0]! },
      tls: { insecure: false },
      describedAs: 'reference server (test)',
    };
  });
  after(async () => {
    await transport.close();
    await server.close();
  });

  const itemUrl = (name: string): string => `${server.url}/api/v1/namespaces/${NS}/endpoints/${name}`;
  const headers = (): Record<string, string> => ({
    accept: 'application/json',
    'content-type': 'application/json',
    ...authHeaders('x-auth-token', server.tokens[0]!),
  });

  async function put(name: string, labels?: Record<string, string>): Promise<void> {
    const body = JSON.stringify({
      kind: 'Endpoints',
      apiVersion: 'v1',
      metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
      subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    });
    const outcome = await transport.send({ method: 'PUT', url: itemUrl(name), headers: headers(), body });
    if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
    assert.ok([200, 201].includes(outcome.response.status), `PUT ${name}: ${outcome.response.status} ${outcome.response.bodyText}`);
  }

  async function getText(name: string): Promise<{ status: number; text: string }> {
    const outcome = await transport.send({ method: 'GET', url: itemUrl(name), headers: headers() });
    if (!outcome.ok) assert.fail(`${outcome.failure.kind}: ${outcome.failure.message}`);
    return { status: outcome.response.status, text: outcome.response.bodyText };
  }

  it('deletes the run objects, leaves pre-existing ones byte for byte, and proves nothing is left', async () => {
    await put('their-web', { app: 'web' });
    await put('their-labelled', { [LABEL.key]: RUN }); // existed before the run, even with our label
    const beforeRun = { web: await getText('their-web'), labelled: await getText('their-labelled') };
    assert.equal(beforeRun.web.status, 200);

    const janitor = createJanitor({ transport, connection, runId: RUN, runLabel: LABEL });
    assert.deepEqual(await janitor.preflight(), { ok: true });
    assert.equal(janitor.mayWrite('their-web'), false);
    assert.equal(janitor.mayWrite('their-labelled'), false);
    assert.equal(janitor.mayWrite(`ec-${RUN}-1`), true);

    await put(`ec-${RUN}-1`, { [LABEL.key]: RUN });
    janitor.recordWrite(`ec-${RUN}-1`, 'created');
    await put(`ec-${RUN}-2`); // as if the server had dropped the label: created by this run
    janitor.recordWrite(`ec-${RUN}-2`, 'created');
    await put(`ec-${RUN}-3`, { [LABEL.key]: RUN, tier: 'x' }); // outcome unknown, but labelled
    janitor.recordWrite(`ec-${RUN}-3`, 'unknown');
    janitor.recordWrite(`ec-${RUN}-4`, 'unknown'); // never stored
    await put(`ec-${RUN}-5`, { [LABEL.key]: RUN }); // not recorded: found by label
    janitor.recordWrite('their-web', 'created'); // a runner bug must not hurt them

    const report = await janitor.cleanup();
    assert.deepEqual(report.deleted, [`ec-${RUN}-1`, `ec-${RUN}-2`, `ec-${RUN}-3`, `ec-${RUN}-5`]);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.leftOver, []);
    assert.equal(report.verified, true);

    for (const n of [1, 2, 3, 4, 5]) assert.equal((await getText(`ec-${RUN}-${n}`)).status, 404, `ec-${RUN}-${n} should be gone`);
    const afterRun = { web: await getText('their-web'), labelled: await getText('their-labelled') };
    assert.equal(afterRun.web.text, beforeRun.web.text, 'pre-existing object changed');
    assert.equal(afterRun.labelled.text, beforeRun.labelled.text, 'pre-existing object carrying the run label changed');
    const rv = (text: string): unknown => (JSON.parse(text) as { metadata: { resourceVersion: unknown } }).metadata.resourceVersion;
    assert.equal(rv(afterRun.web.text), rv(beforeRun.web.text));
  });

  it('preflight with a read-only token still works; with a wrong token it fails in one line', async () => {
    const readonly = createJanitor({
      transport,
      connection: { ...connection, auth: { scheme: 'x-auth-token', token: server.readonlyTokens[0]! } },
      runId: RUN,
      runLabel: LABEL,
    });
    assert.deepEqual(await readonly.preflight(), { ok: true });
    const wrong = createJanitor({ transport, connection: { ...connection, auth: { scheme: 'x-auth-token', token: 'nope-nope' } }, runId: RUN, runLabel: LABEL });
    const result = await wrong.preflight();
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.error, /401/);
      assert.doesNotMatch(result.error, /\n/);
    }
  });
});

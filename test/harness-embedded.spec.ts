/**
 * The runner end to end against the reference server (in-process here; the CLI uses its
 * worker variant): a clean run conforms, --dry-run-only stores nothing, a dying target trips
 * the circuit breaker, 429s are waited out and re-sent, failures are capped and shrunk.
 */
import assert from 'node:assert/strict';
import { caseCategories, findCategory } from '../generators/categories.ts';
import { replayCase } from '../generators/generateCases.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { exitCodeFor, runConformance } from '../harness/run/runConformance.ts';
import type { RunOptions } from '../harness/run/runConformance.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { parseCaseId } from '../harness/run/caseId.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { OutgoingRequest, Transport } from '../harness/transport/types.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';
import type { FaultName } from '../reference-server/faults.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';

const seed = 20261124;

function selection(only: string[] = [], skip: string[] = []): RunOptions['selection'] {
  const resolved = resolveSelection(caseCategories, checkRegistry, only, skip);
  assert.ok(resolved.ok, resolved.ok ? '' : resolved.error);
  return resolved.selection;
}

/** One line per failing category×check, for assertion messages. */
export function describeFailures(result: RunResult): string {
  const lines: string[] = [];
  for (const category of result.categories) {
    for (const check of category.checks) {
      const first = check.failures[0];
      if (first !== undefined) lines.push(`${check.check} in ${first.caseId} (${first.description}): expected ${first.expected}; got ${first.actual}`);
    }
    for (const error of category.caseErrors) lines.push(error);
  }
  if (result.stoppedEarly !== undefined) lines.push(result.stoppedEarly);
  return lines.join('\n');
}

async function run(server: RunningReferenceServer, contract: Contract, overrides: Partial<RunOptions>): Promise<RunResult> {
  const outcome = await runConformance({
    connection: embeddedConnection(server),
    targetDescription: 'reference server (test)',
    selection: selection(),
    runs: 20,
    seed,
    concurrency: 8,
    timeoutMs: 5000,
    contract,
    ...overrides,
  });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
  return outcome.result;
}

/** A transport that lets a test see or alter exchanges. */
function wrappedTransport(inner: Transport, intercept: (request: OutgoingRequest) => ReturnType<Transport['send']> | undefined): Transport {
  return {
    send: (request) => intercept(request) ?? inner.send(request),
    close: () => inner.close(),
  };
}

async function storedRunObjects(server: RunningReferenceServer, runId: string): Promise<unknown[]> {
  const transport = createTransport({ timeoutMs: 5000, maxBodyBytes: 1 << 22, connections: 1, tls: { insecure: false } });
  try {
    const outcome = await transport.send({
      method: 'GET',
      url: `${server.url}/api/v1/namespaces/conformance/endpoints?labelSelector=${encodeURIComponent(`endpoints-conformance/run=${runId}`)}`,
      headers: { 'x-auth-token': server.tokens[0], accept: 'application/json' },
    });
    assert.ok(outcome.ok && outcome.response.status === 200, 'the list answered');
    return (JSON.parse(outcome.response.bodyText) as { items?: unknown[] }).items ?? [];
  } finally {
    await transport.close();
  }
}

describe('harness run against the reference server', function () {
  this.timeout(120_000);
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  describe('with no fault', () => {
    let server: RunningReferenceServer;
    before(async () => {
      server = await startReferenceServer({});
    });
    after(async () => {
      await server.close();
    });

    it('conforms: every category, every check, zero failures, nothing left behind', async () => {
      const result = await run(server, contract, {});
      assert.equal(result.verdict, 'pass', describeFailures(result));
      assert.equal(exitCodeFor(result), 0);
      assert.equal(result.totals.failed, 0);
      assert.equal(result.totals.notRun, 0);
      assert.equal(result.totals.cases + result.totals.skipped, caseCategories.length * 20);
      for (const check of result.checks) {
        assert.ok(check.applicable > 0, `${check.name} judged nothing: a check that never applies proves nothing`);
        assert.equal(check.failed, 0, check.name);
      }
      assert.ok(result.upstreamBehaviour.some((record) => record.category === 'resource-version-malformed'), 'M17 reported as upstream behaviour');
      assert.ok(result.cleanup.deleted.length > 0, 'the run created objects and deleted them');
      assert.deepEqual(result.cleanup.leftOver, []);
      assert.equal(result.cleanup.verified, true);
      assert.deepEqual(await storedRunObjects(server, result.runId), []);
      assert.ok(result.coverage.fields.invalid.length > 0 && result.coverage.fields.valid.length > 0);
      assert.ok((result.coverage.statusesElicited['422'] ?? 0) > 0 && (result.coverage.statusesElicited['201'] ?? 0) > 0);
    });

    it('the same seed fires the same cases', async () => {
      const first = await run(server, contract, { only: [], selection: selection(['ip-loopback', 'port-zero']), runs: 10 });
      const second = await run(server, contract, { selection: selection(['ip-loopback', 'port-zero']), runs: 10 });
      assert.deepEqual(first.coverage.statusesElicited, second.coverage.statusesElicited);
      assert.deepEqual(first.checks, second.checks);
    });

    it('--dry-run-only: every PUT carries dryRun, stored-object cases are skipped with the reason, nothing is stored', async () => {
      const inner = createTransport({ timeoutMs: 5000, maxBodyBytes: 1 << 22, connections: 8, tls: { insecure: false } });
      const puts: string[] = [];
      const transport = wrappedTransport(inner, (request) => {
        if (request.method === 'PUT') puts.push(request.url);
        return undefined;
      });
      try {
        const result = await run(server, contract, { dryRunOnly: true, transport, runs: 10 });
        assert.equal(result.verdict, 'pass', describeFailures(result));
        assert.ok(puts.length > 0);
        for (const url of puts) assert.match(url, /[?&]dryRun=/, url);
        const semantics = result.categories.find((category) => category.name === 'create-then-replace');
        assert.equal(semantics?.skipped, 10);
        assert.match(Object.keys(semantics?.skipReasons ?? {})[0] ?? '', /dry-run-only/);
        assert.deepEqual(result.cleanup.deleted, []);
        assert.deepEqual(await storedRunObjects(server, result.runId), []);
      } finally {
        await inner.close();
      }
    });

    it('429 answers are waited out (Retry-After) and re-sent at most 3 times; the final answer is judged and the retries reported', async () => {
      const inner = createTransport({ timeoutMs: 5000, maxBodyBytes: 1 << 22, connections: 8, tls: { insecure: false } });
      let puts = 0;
      const tooMany = (): ReturnType<Transport['send']> =>
        Promise.resolve({ ok: true, response: { status: 429, headers: { 'retry-after': '0', 'content-type': 'application/json' }, bodyText: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"TooManyRequests","code":429}', bodyTruncated: false, durationMs: 0 } });
      // the first 2 PUTs are throttled once each: waited out, re-sent, and the run still conforms
      const throttledTwice = wrappedTransport(inner, (request) => (request.method === 'PUT' && ++puts <= 2 ? tooMany() : undefined));
      try {
        const result = await run(server, contract, { selection: selection(['valid-endpoints']), runs: 5, transport: throttledTwice, concurrency: 1 });
        assert.equal(result.verdict, 'pass', describeFailures(result));
        assert.equal(result.retries429, 2);
        assert.ok(result.notes.some((note) => note.includes('429')));
        assert.equal(result.totals.requests, 5 + 2);
      } finally {
        await inner.close();
      }
      const inner2 = createTransport({ timeoutMs: 5000, maxBodyBytes: 1 << 22, connections: 8, tls: { insecure: false } });
      let sent = 0;
      const alwaysThrottled = wrappedTransport(inner2, (request) => (request.method === 'PUT' ? (sent += 1, tooMany()) : undefined));
      try {
        const result = await run(server, contract, { selection: selection(['valid-endpoints']), runs: 2, transport: alwaysThrottled, concurrency: 1, maxShrinks: 0 });
        assert.equal(sent, 2 * 4, 'each PUT sent once and re-sent 3 times');
        assert.equal(result.verdict, 'fail', 'a 429 that never ends is judged, not hidden');
        assert.equal(result.checks.find((check) => check.name === 'status_code_conformance')?.failed, 2);
      } finally {
        await inner2.close();
      }
      // a target that throttles everything ends the run early instead of waiting forever
      const inner3 = createTransport({ timeoutMs: 5000, maxBodyBytes: 1 << 22, connections: 8, tls: { insecure: false } });
      const throttlesAll = wrappedTransport(inner3, (request) => (request.method === 'PUT' ? tooMany() : undefined));
      try {
        const result = await run(server, contract, { runs: 20, transport: throttlesAll, maxShrinks: 0 });
        assert.match(result.stoppedEarly ?? '', /429 Too Many Requests after every retry/);
        assert.ok(result.totals.notRun > 0);
        // a 429 storm says the run could not be made, not that the target is wrong
        assert.equal(result.verdict, 'error');
        assert.equal(result.error?.cause, 'throttled');
        assert.equal(result.error?.exchange?.status, 429);
        assert.equal(exitCodeFor(result), 2);
      } finally {
        await inner3.close();
      }
    });
  });

  it('a target that stops answering trips the circuit breaker: remaining cases not run, run fails (exit 1)', async () => {
    const server = await startReferenceServer({});
    let closing: Promise<void> | undefined;
    try {
      const result = await run(server, contract, {
        runs: 20,
        concurrency: 4,
        maxShrinks: 0,
        onProgress: (progress) => {
          if (progress.done >= 40 && closing === undefined) closing = server.close();
        },
      });
      assert.equal(result.verdict, 'fail');
      assert.match(result.stoppedEarly ?? '', /stopped early: \d+ consecutive requests got no usable answer/);
      assert.ok(result.totals.notRun > 0, 'cases were left unrun');
      assert.ok(result.totals.cases + result.totals.skipped + result.totals.notRun === caseCategories.length * 20);
      assert.equal(exitCodeFor(result), 1);
    } finally {
      await (closing ?? server.close());
    }
  });

  it('a run against a target that refuses from the start cannot be made: verdict error, with the reason as data', async () => {
    const server = await startReferenceServer({});
    const connection = embeddedConnection(server);
    await server.close();
    const outcome = await runConformance({ connection, targetDescription: 'gone', selection: selection(), runs: 1, contract });
    assert.ok(outcome.ok);
    const result = outcome.result;
    assert.equal(result.verdict, 'error');
    assert.equal(result.error?.cause, 'no-answer');
    assert.ok(!(result.error?.reason ?? '\n').includes('\n'));
    assert.equal(result.error?.exchange?.failure?.kind, 'refused');
    assert.equal(result.totals.requests, 0, 'no case was fired');
    assert.equal(result.totals.notRun, result.categories.length);
    assert.equal(exitCodeFor(result), 2);
  });

  describe('with a fault', () => {
    const fault: FaultName = 'accept-loopback-ip';
    let server: RunningReferenceServer;
    before(async () => {
      server = await startReferenceServer({ faults: [fault] });
    });
    after(async () => {
      await server.close();
    });

    it('records at most 20 failures per category×check (the rest counted), and shrinks the first one to a replayable case', async () => {
      const result = await run(server, contract, { selection: selection(['ip-loopback']), runs: 30 });
      assert.equal(result.verdict, 'fail');
      const check = result.categories[0].checks.find((item) => item.check === 'negative_data_rejection');
      assert.ok(check !== undefined && check.failed === 30, describeFailures(result));
      assert.equal(check.failures.length, 20);
      assert.equal(check.failuresOmitted, 10);
      const shrink = result.shrinks.find((item) => item.check === 'negative_data_rejection');
      assert.ok(shrink?.shrunk !== undefined, JSON.stringify(shrink));
      assert.equal(shrink.originalCaseId, check.failures[0].caseId);
      const address = parseCaseId(shrink.shrunk.caseId);
      assert.ok(address !== undefined);
      assert.ok(address.path.startsWith(`${check.failures[0].path}:`) || shrink.shrunk.numShrinks === 0);
      const category = findCategory('ip-loopback');
      assert.ok(category !== undefined);
      const replayed = replayCase(category, contract, address.seed, address.path);
      assert.equal(replayed?.description, shrink.shrunk.description, 'the shrunk case id replays to the shrunk case');
      assert.ok(JSON.stringify(shrink.shrunk.exchanges).length <= JSON.stringify(check.failures[0].exchanges).length, 'the shrunk case is no larger');
    });
  });
});

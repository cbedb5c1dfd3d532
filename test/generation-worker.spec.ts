/**
 * Cases generated on a worker thread (workerCaseFeed.ts, generationWorker.ts) are exactly the
 * cases the runner's thread generates — same order, numbers, data and sizes, judged by the same
 * release — and a worker that judges differently or cannot begin ends its feed with a failure;
 * a run with `generateOnWorker` judges as a run without it, and fails where it should. The
 * runner's thread meanwhile sends first and judges in idle turns (idleTimeQueue.ts), and the
 * thread feed generates ahead (`fillAhead`) without changing what it hands out.
 */
import assert from 'node:assert/strict';
import { caseCategories, findCategory } from '../generators/categories.ts';
import type { CaseCategory } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import type { TargetReleaseFacts } from '../harness/release/detectTargetRelease.ts';
import { judgeByRelease } from '../harness/release/releaseJudgement.ts';
import { openCaseFeed } from '../harness/run/caseFeed.ts';
import type { CaseFeed, FedCase } from '../harness/run/caseFeed.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { createIdleTimeQueue } from '../harness/run/idleTimeQueue.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import type { RunResult } from '../harness/run/runResult.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { startWorkerCaseFeed } from '../harness/run/workerCaseFeed.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import type { FaultName } from '../reference-server/faults.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';

function category(name: string): CaseCategory {
  const found = findCategory(name);
  assert.ok(found, name);
  return found;
}

async function drain(feed: CaseFeed): Promise<FedCase[]> {
  const all: FedCase[] = [];
  for (;;) {
    const offered = feed.next();
    const fed = offered instanceof Promise ? await offered : offered;
    if (fed === undefined) return all;
    all.push(fed);
  }
}

/** What a fed case is, as data (its category by name). */
function plain(fed: FedCase): unknown {
  return { category: fed.category.name, number: fed.number, bodyChars: fed.bodyChars, generated: fed.generated };
}

const release120: TargetReleaseFacts = { release: { major: 1, minor: 20 }, releaseSource: 'override', detection: ['--kubernetes-version 1.20'] };

describe('harness: cases generated on a worker thread', function () {
  this.timeout(60_000);
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  const unknownRelease: TargetReleaseFacts = { releaseSource: 'unknown', detection: [] };
  /** The worker's cases for `names` judged by `facts`, begun after `delayMs` (it generates ahead
   * meanwhile), and the failures it reported. */
  async function workerCases(names: string[], facts: TargetReleaseFacts, delayMs: number, seed = 21, runs = 9, contractSha256 = contract.sha256): Promise<{ cases: FedCase[] | undefined; failures: string[]; judged: CaseCategory[] }> {
    const judged = judgeByRelease(facts, names.map(category)).categories;
    const worker = startWorkerCaseFeed({ categoryNames: names, contractSha256, seed, runs, aheadCases: 16 });
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const failures: string[] = [];
      const feed = worker.begin({
        categories: judged,
        releaseFacts: facts,
        onCategoryError: () => assert.fail('no category fails'),
        onFailure: (message) => failures.push(message),
      });
      return { cases: feed === undefined ? undefined : await drain(feed), failures, judged };
    } finally {
      await worker.close();
    }
  }
  function threadCases(names: string[], facts: TargetReleaseFacts, seed = 21, runs = 9): FedCase[] {
    const judged = judgeByRelease(facts, names.map(category)).categories;
    const feed = openCaseFeed({ categories: judged, contract, seed, runs, onCategoryError: () => assert.fail('no category fails') });
    const all: FedCase[] = [];
    for (let fed = feed.next(); fed !== undefined; fed = feed.next()) all.push(fed);
    return all;
  }

  const adaptedFirst = ['field-validation-invalid', 'valid-endpoints', 'unknown-field-strict', 'annotations-too-large', 'create-then-replace', 'port-zero'];
  // more categories than the turn window (8): the adapted ones join late
  const adaptedLast = ['valid-endpoints', 'create-then-replace', 'port-zero', 'ip-loopback', 'noop-replace', 'uid-mismatch', 'annotations-too-large', 'ip-unspecified', 'ip-link-local', 'field-validation-invalid', 'unknown-field-strict'];
  for (const [label, names, facts, delayMs] of [
    ['a target of unknown release, begun at once', adaptedFirst, unknownRelease, 0],
    ['a target of unknown release, begun after the worker generated ahead', adaptedFirst, unknownRelease, 400],
    ['Kubernetes 1.20 adapting categories that already produced cases ahead (it starts over)', adaptedFirst, release120, 400],
    ['Kubernetes 1.20 adapting categories that had not joined yet (they are swapped)', adaptedLast, release120, 400],
  ] as const) {
    it(`hands out exactly the cases of the runner's own feed: ${label}`, async () => {
      const expected = threadCases([...names], facts);
      const { cases, failures, judged } = await workerCases([...names], facts, delayMs);
      assert.deepEqual(failures, []);
      assert.ok(cases !== undefined);
      assert.equal(cases.length, names.length * 9);
      assert.deepEqual(cases.map(plain), expected.map(plain));
      // the categories handed out are the runner's own objects, adapted ones included
      for (const fed of cases) assert.ok(judged.includes(fed.category));
    });
  }

  it('hands out exactly the runner\'s own cases over a long run (its buffer compacted as it goes)', async () => {
    const names = ['valid-endpoints', 'port-zero', 'ip-loopback'];
    const expected = threadCases(names, unknownRelease, 4, 450);
    const judged = judgeByRelease(unknownRelease, names.map(category)).categories;
    const worker = startWorkerCaseFeed({ categoryNames: names, contractSha256: contract.sha256, seed: 4, runs: 450, aheadCases: 64 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const feed = worker.begin({ categories: judged, releaseFacts: unknownRelease, onCategoryError: () => assert.fail('no category fails'), onFailure: (message) => assert.fail(message) });
      assert.ok(feed !== undefined);
      const cases: FedCase[] = [];
      for (;;) {
        const offered = feed.next();
        const fed = offered instanceof Promise ? await offered : offered;
        if (fed === undefined) break;
        cases.push(fed);
        // a pool slow enough for the worker to stay ahead
        if (cases.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(cases.length, 1350);
      assert.deepEqual(cases.map(plain), expected.map(plain));
    } finally {
      await worker.close();
    }
  });

  it('a worker that judges the categories differently from the runner fails, and its feed ends', async () => {
    const worker = startWorkerCaseFeed({ categoryNames: ['valid-endpoints'], contractSha256: contract.sha256, seed: 1, runs: 100, aheadCases: 8 });
    try {
      // loaded first, so that it fails as soon as it is told to begin
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const failures: string[] = [];
      const feed = worker.begin({
        // the runner says it runs a category the worker's judgement does not have
        categories: [category('valid-endpoints'), category('port-zero')],
        releaseFacts: release120,
        onCategoryError: () => undefined,
        onFailure: (message) => failures.push(message),
      });
      assert.ok(feed !== undefined);
      assert.deepEqual(await drain(feed), [], 'no case is handed out');
      assert.equal(failures.length, 1);
      assert.match(failures[0], /the case generator failed: .*judged the categories by release differently/);
    } finally {
      await worker.close();
    }
  });

  it('a worker told of another contract document generates nothing from its own: it fails, at once or after begin', async () => {
    // begun at once: the worker learns of the mismatch once loaded, fails, and hands out nothing
    const late = await workerCases(['valid-endpoints', 'port-zero'], unknownRelease, 0, 1, 200, '0'.repeat(64));
    assert.deepEqual(late.cases, []);
    assert.match(late.failures.join('\n'), /another contract document/);
    // begun after the worker loaded: it already said so, and the runner generates on its own thread
    const early = await workerCases(['valid-endpoints', 'port-zero'], unknownRelease, 1500, 1, 3, '0'.repeat(64));
    assert.equal(early.cases, undefined);
  });

  describe('a run with generateOnWorker', function () {
    const only = ['valid-endpoints', 'create-then-replace', 'ip-loopback', 'port-zero', 'stale-resource-version'];
    async function run(generateOnWorker: boolean, faults: FaultName[] = []): Promise<RunResult> {
      const server = await startReferenceServer({ faults });
      try {
        const selected = resolveSelection(caseCategories, checkRegistry, only, []);
        assert.ok(selected.ok);
        const outcome = await runConformance({
          connection: embeddedConnection(server),
          targetDescription: 'test',
          selection: selected.selection,
          runs: 12,
          seed: 8,
          contract,
          maxShrinks: 0,
          generateOnWorker,
        });
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
        return outcome.result;
      } finally {
        await server.close();
      }
    }
    const judgedAs = (result: RunResult): unknown => ({
      verdict: result.verdict,
      totals: result.totals,
      checks: result.checks.map(({ name, applicable, passed, failed }) => ({ name, applicable, passed, failed })),
      categories: result.categories.map(({ name, cases, failed }) => ({ name, cases, failed })),
    });

    it('passes a conforming server exactly as a run generating on its own thread does', async () => {
      const onWorker = await run(true);
      assert.equal(onWorker.verdict, 'pass', JSON.stringify(onWorker.notes));
      assert.deepEqual(judgedAs(onWorker), judgedAs(await run(false)));
    });

    it('fails a faulty server exactly as a run generating on its own thread does', async () => {
      const onWorker = await run(true, ['create-returns-200']);
      assert.equal(onWorker.verdict, 'fail');
      assert.ok(onWorker.totals.failed > 0);
      assert.deepEqual(judgedAs(onWorker), judgedAs(await run(false, ['create-returns-200'])));
    });
  });
});

describe('harness: the runner thread sends first, then judges and generates ahead', function () {
  it('queued work waits until the pushing code lets go of the thread, then runs in a later turn; flush() runs it at once', async () => {
    let done = 0;
    const queue = createIdleTimeQueue({ sliceMs: 50, maxPending: 100, onError: (error) => assert.fail(String(error)) });
    for (let task = 0; task < 10; task += 1) queue.push(() => (done += 1));
    assert.equal(done, 0, 'nothing runs while the pushing code still holds the thread (the next request goes out first)');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, 10, 'done in the next turn of the event loop');
    for (let task = 0; task < 5; task += 1) queue.push(() => (done += 1));
    queue.flush();
    assert.equal(done, 15);
  });

  it('never holds more than maxPending tasks; a task that throws goes to onError and the rest still run', () => {
    const errors: unknown[] = [];
    let done = 0;
    const queue = createIdleTimeQueue({ sliceMs: 1, maxPending: 3, onError: (error) => errors.push(error) });
    for (let task = 0; task < 10; task += 1) {
      queue.push(() => {
        done += 1;
        if (task === 4) throw new Error('a bug in a check');
      });
    }
    assert.equal(done, 7, 'the oldest are done at once beyond three waiting');
    queue.flush();
    assert.equal(done, 10);
    assert.equal(errors.length, 1);
  });

  it('gives onIdle turns while the queue is empty, until it has no more to do', async () => {
    let turns = 0;
    const queue = createIdleTimeQueue({ sliceMs: 5, maxPending: 10, onIdle: () => (turns += 1) < 4, onError: () => undefined });
    queue.wake();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(turns, 4);
  });

  it('a thread feed generating ahead hands out the very cases it hands out without', async () => {
    const contract = await loadContract();
    const categories = ['valid-endpoints', 'ip-loopback', 'annotations-too-large'].map(category);
    const plainFeed = openCaseFeed({ categories, contract, seed: 3, runs: 7, onCategoryError: () => undefined });
    const aheadFeed = openCaseFeed({ categories, contract, seed: 3, runs: 7, onCategoryError: () => undefined });
    const expected = await drain(plainFeed);
    const got: FedCase[] = [];
    for (;;) {
      while (aheadFeed.fillAhead(5));
      const fed = aheadFeed.next();
      if (fed === undefined) break;
      got.push(fed);
    }
    assert.deepEqual(got.map(plain), expected.map(plain));
  });
});

/**
 * How a run gets its cases and paces them: generation a range at a time reproduces the
 * category-at-once cases exactly (so replay paths hold), the feed hands every case out once in
 * turns across categories with small chunks, huge cases are kept from piling up, body sizes are
 * estimated right, and a run measures its phases (summary.json included).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { ConformanceCase } from '../generators/case.ts';
import { caseCategories, findCategory } from '../generators/categories.ts';
import type { CaseCategory } from '../generators/categories.ts';
import { caseRange, categorySeed, generateCases, replayCase } from '../generators/generateCases.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { writeReports } from '../harness/report/writeReports.ts';
import { defaultMaxChunkCases } from '../harness/run/caseChunks.ts';
import { openCaseFeed } from '../harness/run/caseFeed.ts';
import type { FedCase } from '../harness/run/caseFeed.ts';
import { bodyChars, caseBodyChars } from '../harness/run/caseSize.ts';
import { embeddedConnection } from '../harness/run/embeddedConnection.ts';
import { createHugeCaseGate, hugeCaseChars } from '../harness/run/hugeCaseGate.ts';
import { runConformance } from '../harness/run/runConformance.ts';
import { resolveSelection } from '../harness/run/selection.ts';
import { startReferenceServer } from '../reference-server/index.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';

function category(name: string): CaseCategory {
  const found = findCategory(name);
  assert.ok(found, name);
  return found;
}

function drain(next: () => FedCase | undefined): FedCase[] {
  const all: FedCase[] = [];
  for (let fed = next(); fed !== undefined; fed = next()) all.push(fed);
  return all;
}

describe('harness: case feed, huge-case gate, run phases', function () {
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  it('caseRange in any chunking gives exactly the cases generateCases gives, at the same paths', () => {
    for (const name of ['valid-endpoints', 'ip-loopback', 'create-then-replace', 'annotations-too-large']) {
      const seed = categorySeed(11, name);
      const whole = generateCases(category(name), contract, { seed, runs: 23 });
      for (const chunk of [1, 3, 4, 16]) {
        const range = caseRange(category(name), contract, seed);
        const pieces = [];
        for (let start = 0; start < 23; start += chunk) pieces.push(...range(start, Math.min(chunk, 23 - start)));
        assert.deepEqual(pieces, whole, `${name} in chunks of ${chunk}`);
      }
      // out of order too: a range is a pure function of (seed, start, count)
      const range = caseRange(category(name), contract, seed);
      assert.deepEqual(range(20, 3), whole.slice(20));
      assert.deepEqual(range(0, 2), whole.slice(0, 2));
      assert.deepEqual(replayCase(category(name), contract, seed, whole[17].path), whole[17].case);
    }
  });

  it('the feed hands out every case once, numbered in order, each the one at its replay path, categories taking turns', () => {
    const categories = ['valid-endpoints', 'ip-loopback', 'port-zero', 'annotations-too-large'].map(category);
    const runs = 9;
    const errors: string[] = [];
    const feed = openCaseFeed({ categories, contract, seed: 5, runs, turnWindow: 8, onCategoryError: (c, e) => errors.push(`${c.name}: ${e}`) });
    const all = drain(() => feed.next());
    assert.deepEqual(errors, []);
    assert.equal(all.length, categories.length * runs);
    assert.deepEqual(all.map((fed) => fed.number), all.map((_, index) => index + 1));
    for (const each of categories) {
      const expected = generateCases(each, contract, { seed: categorySeed(5, each.name), runs });
      const fed = all.filter((item) => item.category === each).map((item) => item.generated);
      assert.deepEqual(fed, expected, each.name);
    }
    // taking turns: the first cases come from every category, not all from the first one
    assert.deepEqual(new Set(all.slice(0, categories.length).map((fed) => fed.category.name)), new Set(categories.map((c) => c.name)));
    assert.ok(feed.generationMs > 0);
  });

  it('chunks stay small, and cases with huge bodies come one at a time', () => {
    const huge = category('annotations-too-large');
    const small = category('ip-loopback');
    const feed = openCaseFeed({ categories: [huge, small], contract, seed: 3, runs: 30, onCategoryError: () => assert.fail('no error expected') });
    const all = drain(() => feed.next());
    // while both categories have cases left, each turn gives one chunk: count the longest stretch
    // of consecutive cases from one category in that part
    const longestStretch = (of: CaseCategory, part: FedCase[]): number => {
      let longest = 0;
      let stretch = 0;
      for (const fed of part) {
        stretch = fed.category === of ? stretch + 1 : 0;
        longest = Math.max(longest, stretch);
      }
      return longest;
    };
    const both = all.slice(0, Math.min(all.map((fed) => fed.category).lastIndexOf(huge), all.map((fed) => fed.category).lastIndexOf(small)));
    assert.ok(both.length > 20);
    assert.equal(longestStretch(huge, both), 1, 'a huge case is generated on its own');
    const smallStretch = longestStretch(small, both);
    assert.ok(smallStretch >= 2 && smallStretch <= defaultMaxChunkCases, `small cases in chunks of 2..${defaultMaxChunkCases} (saw ${smallStretch})`);
    for (const fed of all) {
      if (fed.category === huge) assert.ok(fed.bodyChars >= hugeCaseChars, `huge body: ${fed.bodyChars}`);
      else assert.ok(fed.bodyChars < hugeCaseChars);
    }
  });

  it('only a window of categories takes turns at a time; the next joins when one finishes', () => {
    const categories = ['valid-endpoints', 'ip-loopback', 'port-zero', 'port-negative', 'hostname-invalid'].map(category);
    const feed = openCaseFeed({ categories, contract, seed: 6, runs: 5, turnWindow: 2, onCategoryError: () => assert.fail('no error expected') });
    const order = drain(() => feed.next()).map((fed) => categories.indexOf(fed.category));
    assert.equal(order.length, 25);
    // a category starts only once all but one of those before it are finished
    for (let index = 2; index < categories.length; index += 1) {
      const firstOfThis = order.indexOf(index);
      const stillRunning = [...Array(index).keys()].filter((earlier) => order.lastIndexOf(earlier) > firstOfThis);
      assert.ok(stillRunning.length <= 1, `category ${index} joined while ${stillRunning.join(', ')} still ran`);
    }
    // and while two are in the window they alternate
    assert.deepEqual(order.slice(0, 2), [0, 1]);
  });

  it('a category whose generation fails is reported once and the others still run', () => {
    let calls = 0;
    const failing: CaseCategory = {
      name: 'always-fails',
      description: 'test',
      source: 'test',
      group: 'valid',
      arbitrary: () =>
        fc.integer().map((value): ConformanceCase => {
          calls += 1;
          if (calls > 2) throw new Error('generator broke\nsecond line');
          return { category: 'always-fails', description: String(value), steps: [], exercises: { valid: [], invalid: [] }, needs: [] } as unknown as ConformanceCase;
        }),
    };
    const errors: string[] = [];
    const feed = openCaseFeed({
      categories: [failing, category('port-zero')],
      contract,
      seed: 1,
      runs: 6,
      onCategoryError: (c, e) => errors.push(`${c.name}: ${e}`),
    });
    const all = drain(() => feed.next());
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^always-fails: .*generator broke/);
    assert.ok(!errors[0].includes('second line'), 'one line');
    assert.equal(all.filter((fed) => fed.category.name === 'port-zero').length, 6);
    assert.ok(all.filter((fed) => fed.category === failing).length < 6);
  });

  it('the huge-case gate lets at most its slots in, first come first served; ordinary cases never wait', async () => {
    const gate = createHugeCaseGate(2);
    const order: string[] = [];
    const inside = new Set<string>();
    let most = 0;
    const visit = async (name: string, chars: number, holdMs: number): Promise<void> => {
      await gate.enter(chars);
      inside.add(name);
      order.push(name);
      most = Math.max(most, [...inside].filter((entry) => entry.startsWith('huge')).length);
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      inside.delete(name);
      gate.leave(chars);
    };
    const started = performance.now();
    const visits = [
      visit('huge-1', hugeCaseChars, 30),
      visit('huge-2', hugeCaseChars * 3, 30),
      visit('huge-3', hugeCaseChars, 5),
      visit('huge-4', hugeCaseChars, 5),
      visit('small-1', hugeCaseChars - 1, 1),
      visit('small-2', 10, 1),
    ];
    await Promise.all(visits);
    assert.equal(most, 2, 'never more than two huge cases inside');
    assert.deepEqual(order.slice(0, 4), ['huge-1', 'huge-2', 'small-1', 'small-2'], 'small cases went straight in');
    assert.deepEqual(order.slice(4), ['huge-3', 'huge-4'], 'waiting huge cases in arrival order');
    assert.ok(performance.now() - started >= 30);
  });

  it('caseBodyChars is close to the length of the JSON sent, and exact for raw bodies', () => {
    for (const name of ['valid-endpoints', 'annotations-too-large', 'create-then-replace', 'ip-not-an-ip']) {
      for (const generated of generateCases(category(name), contract, { seed: categorySeed(2, name), runs: 10 })) {
        let sent = 0;
        for (const step of generated.case.steps) {
          const body = step.request.body;
          sent += body.kind === 'json' ? JSON.stringify(body.value).length : body.kind === 'raw' ? body.text.length : 0;
        }
        const estimate = caseBodyChars(generated.case);
        assert.ok(Math.abs(estimate - sent) <= Math.max(64, sent * 0.25), `${name}: estimated ${estimate}, sent ${sent}`);
      }
    }
    assert.equal(bodyChars({ kind: 'raw', text: 'x'.repeat(1234) }), 1234);
    assert.equal(bodyChars({ kind: 'none' }), 0);
  });

  it('a run reports its phases; writeReports adds the reports phase to summary.json', async () => {
    const server = await startReferenceServer();
    const reportDir = await mkdtemp(path.join(tmpdir(), 'phases-'));
    try {
      const selected = resolveSelection(caseCategories, checkRegistry, ['valid-endpoints', 'ip-loopback', 'create-then-replace'], []);
      assert.ok(selected.ok);
      const began = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 25));
      const outcome = await runConformance({
        connection: embeddedConnection(server),
        targetDescription: 'test',
        selection: selected.selection,
        runs: 8,
        seed: 4,
        contract,
        startupBeganAt: began,
      });
      const total = performance.now() - began;
      assert.ok(outcome.ok, outcome.ok ? '' : outcome.error);
      const { phases } = outcome.result;
      assert.ok(phases !== undefined);
      assert.equal(outcome.result.totals.cases, 24);
      for (const [name, value] of Object.entries(phases)) assert.ok(Number.isInteger(value) && value >= 0, `${name} = ${value}`);
      assert.ok(phases.startupMs >= 20, `start-up counts from startupBeganAt (${phases.startupMs})`);
      assert.ok(phases.generationMs > 0 && phases.requestsMs > 0 && phases.checksMs > 0);
      assert.ok(phases.cleanupMs > 0, 'the run created objects, so cleanup took time');
      assert.equal(phases.reportsMs, 0);
      const sum = phases.startupMs + phases.generationMs + phases.requestsMs + phases.checksMs + phases.shrinkingMs + phases.cleanupMs;
      // the phases split the run's time between them: together never more than the run took
      assert.ok(sum <= total + 5, `phases add up to no more than the run (${sum} of ${Math.round(total)} ms)`);

      const written = await writeReports(outcome.result, { reportDir, redact: (text) => text, replayCommand: (id) => id });
      const summary = JSON.parse(await readFile(written.summary, 'utf8')) as { phases?: Record<string, number> };
      assert.ok(summary.phases !== undefined);
      assert.ok(summary.phases.reportsMs > 0, 'the reports took time and say so');
      assert.ok(summary.phases.reportsMs <= Math.ceil(written.reportsMs));
      assert.equal(summary.phases.requestsMs, phases.requestsMs);
    } finally {
      await server.close();
      await rm(reportDir, { recursive: true, force: true });
    }
  });
});

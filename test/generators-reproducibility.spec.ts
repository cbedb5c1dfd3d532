import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConformanceCase } from '../generators/case.ts';
import { caseCategories } from '../generators/categories.ts';
import { categorySeed, generateCases, replayCase } from '../generators/generateCases.ts';
import { loadContract, type Contract } from '../spec/loadContract.ts';

describe('generators: seeded and reproducible', function () {
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  for (const category of caseCategories) {
    it(`${category.name}: same seed gives the same cases, another seed others, and each path replays its case`, () => {
      const seed = categorySeed(77, category.name);
      const first = generateCases(category, contract, { seed, runs: 60 });
      const again = generateCases(category, contract, { seed, runs: 60 });
      assert.deepEqual(again, first);
      assert.deepEqual(first.map((generated) => generated.seed), first.map(() => seed));
      const other = generateCases(category, contract, { seed: seed + 1, runs: 60 });
      assert.notDeepEqual(other.map((generated) => generated.case), first.map((generated) => generated.case));
      for (const index of [0, 1, 17, 59]) {
        assert.deepEqual(replayCase(category, contract, seed, first[index].path), first[index].case, `path ${first[index].path}`);
      }
    });
  }

  it('the runner can shrink from a replay path with fast-check', () => {
    const category = caseCategories.find((candidate) => candidate.name === 'ip-loopback');
    assert.ok(category);
    const seed = categorySeed(5, category.name);
    const generated = generateCases(category, contract, { seed, runs: 30 });
    const target = generated[23];
    // a "server" that fails every case: fast-check starts at the path and shrinks from there
    const details = fc.check(fc.property(category.arbitrary(contract), (_case: ConformanceCase) => false), { seed, path: target.path });
    assert.equal(details.failed, true);
    const counterexample = details.counterexample?.[0];
    assert.ok(counterexample !== undefined && counterexample !== null);
    assert.equal(counterexample.category, 'ip-loopback');
    assert.ok(JSON.stringify(counterexample).length <= JSON.stringify(target.case).length, 'shrinking does not grow the case');
  });

  it('categorySeed is a stable 32-bit integer that differs between categories and run seeds', () => {
    const seeds = caseCategories.map((category) => categorySeed(42, category.name));
    assert.deepEqual(caseCategories.map((category) => categorySeed(42, category.name)), seeds);
    assert.equal(new Set(seeds).size, seeds.length);
    for (const seed of seeds) assert.ok(Number.isInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 31);
    assert.notEqual(categorySeed(43, 'ip-loopback'), categorySeed(42, 'ip-loopback'));
    assert.equal(categorySeed(42, 'ip-loopback'), categorySeed(42, 'ip-loopback'));
  });

  it('a malformed replay path gives no case', () => {
    const category = caseCategories[0];
    for (const path of ['', 'abc', '-1', '1:x', '1::2']) assert.equal(replayCase(category, contract, 3, path), undefined, JSON.stringify(path));
  });

  it('zero runs give no cases', () => {
    assert.deepEqual(generateCases(caseCategories[0], contract, { seed: 1, runs: 0 }), []);
  });
});

import assert from 'node:assert/strict';
import { caseCategories } from '../generators/categories.ts';
import { categorySeed, generateCases } from '../generators/generateCases.ts';
import { loadContract, type Contract } from '../spec/loadContract.ts';

const runs = 100;

describe('generators: many distinct cases, spread over positions and variants', function () {
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  for (const category of caseCategories) {
    it(`${category.name}: at least 80% of ${runs} cases are distinct`, () => {
      const cases = generateCases(category, contract, { seed: categorySeed(9, category.name), runs }).map((generated) => generated.case);
      const distinct = new Set(cases.map((conformanceCase) => JSON.stringify(conformanceCase))).size;
      assert.ok(distinct >= 0.8 * runs, `${distinct} distinct of ${runs}`);
    });
  }

  const positional = caseCategories.filter((category) => ['ip', 'port', 'address'].includes(category.group) && category.name !== 'port-wrong-type');
  for (const category of positional) {
    it(`${category.name}: the broken field moves over subsets and indices`, () => {
      const fields = generateCases(category, contract, { seed: categorySeed(9, category.name), runs })
        .flatMap((generated) => generated.case.steps[0].expect.causes ?? [])
        .map((cause) => cause.field);
      const subsetIndices = new Set(fields.map((field) => /^subsets\[(\d+)\]/.exec(field)?.[1]));
      assert.ok(subsetIndices.size >= 2, `subset indices ${[...subsetIndices].join(',')}`);
      const itemIndices = new Set(fields.map((field) => /^subsets\[\d+\]\.\w+\[(\d+)\]/.exec(field)?.[1]).filter((index) => index !== undefined));
      if (category.name !== 'subset-without-addresses') assert.ok(itemIndices.size >= 2, `item indices ${[...itemIndices].join(',')}`);
      if (category.group === 'ip' || category.group === 'address') {
        if (category.name !== 'subset-without-addresses') {
          assert.ok(fields.some((field) => field.includes('.addresses[')), 'some in addresses');
          assert.ok(fields.some((field) => field.includes('.notReadyAddresses[')), 'some in notReadyAddresses');
        }
      }
    });
  }

  it('invalid values come in several variants per category', () => {
    for (const name of ['ip-not-an-ip', 'ip-link-local-multicast', 'port-name-invalid', 'name-invalid', 'body-unparsable', 'kind-wrong', 'finalizer-invalid', 'dry-run-invalid']) {
      const category = caseCategories.find((candidate) => candidate.name === name);
      assert.ok(category, name);
      const descriptions = generateCases(category, contract, { seed: categorySeed(9, name), runs }).map((generated) => generated.case.description.replace(/ at subsets.*$/, ''));
      assert.ok(new Set(descriptions).size >= 8, `${name}: ${new Set(descriptions).size} distinct descriptions`);
    }
  });

  it('valid-protocol-defaulted sends protocol "" and omits it, on create and on replace', () => {
    const category = caseCategories.find((candidate) => candidate.name === 'valid-protocol-defaulted');
    assert.ok(category);
    const forms = new Set<string>();
    for (const { case: conformanceCase } of generateCases(category, contract, { seed: categorySeed(9, category.name), runs })) {
      const last = conformanceCase.steps[conformanceCase.steps.length - 1];
      const kind = conformanceCase.steps.length === 1 ? 'create' : 'replace';
      const body = (last.request.body.kind === 'json' ? last.request.body.value : {}) as { subsets?: Array<{ ports?: Array<Record<string, unknown>> }> };
      for (const port of (body.subsets ?? []).flatMap((subset) => subset.ports ?? [])) {
        if (port.protocol === '') forms.add(`${kind} ""`);
        if (!('protocol' in port)) forms.add(`${kind} omitted`);
      }
    }
    assert.deepEqual([...forms].sort(), ['create ""', 'create omitted', 'replace ""', 'replace omitted']);
  });

  it('link-local multicast IPv6 cases use several flag nibbles (ff02::, ff12::, ff32::…)', () => {
    const category = caseCategories.find((candidate) => candidate.name === 'ip-link-local-multicast');
    assert.ok(category);
    const prefixes = new Set(
      generateCases(category, contract, { seed: categorySeed(9, category.name), runs: 200 })
        .map((generated) => /"(ff[0-9a-f]2):/.exec(generated.case.description)?.[1])
        .filter((prefix) => prefix !== undefined),
    );
    assert.ok(prefixes.size >= 3, [...prefixes].join(','));
  });
});

/**
 * The labels the generators put on their cases are true, judged by an independent oracle
 * (test/generators-oracle.ts: the rules note re-implemented with ipaddr.js, net.isIP and the
 * note's regexes) and by the contract schema for valid bodies.
 */
import assert from 'node:assert/strict';
import type { CaseStep, ConformanceCase, JsonValue } from '../generators/case.ts';
import { caseCategories, findCategory } from '../generators/categories.ts';
import { categorySeed, generateCases } from '../generators/generateCases.ts';
import { instantiateStep, type InstanceContext } from '../generators/instantiate.ts';
import { loadContract, type Contract } from '../spec/loadContract.ts';
import { contractValidator } from '../spec/contractValidator.ts';
import {
  classifyIp,
  isDnsLabel,
  isDnsSubdomain,
  isGoPrintable,
  isObject,
  isQualifiedName,
  judgeBody,
  portsWithDefaultedProtocol,
  sameCauses,
  unknownMembers,
  valueAt,
  type IpClass,
} from './generators-oracle.ts';

const runs = 100;

function contextFor(index: number): InstanceContext {
  return { namespace: 'conformance', missingNamespace: 'no-such-namespace-zz', unique: `gt7k2-${index}`, runId: 'gt7k2' };
}

/** Steps with placeholders filled; step-response placeholders get plausible stand-ins. */
function instantiate(conformanceCase: ConformanceCase, index: number): CaseStep[] {
  const stand = { metadata: { resourceVersion: '12345', uid: '0b7a2c3e-1111-4222-8333-944445555666', name: 'x' } };
  const done: CaseStep[] = [];
  for (const caseStep of conformanceCase.steps) done.push(instantiateStep(caseStep, contextFor(index), done.map(() => stand)));
  return done;
}

const jsonOf = (caseStep: CaseStep): JsonValue | undefined => (caseStep.request.body.kind === 'json' ? caseStep.request.body.value : undefined);
const urlName = (caseStep: CaseStep): string => decodeURIComponent(caseStep.request.path.split('/').pop() ?? '');
const urlNamespace = (caseStep: CaseStep): string => decodeURIComponent(caseStep.request.path.split('/')[4] ?? '');
const queryValues = (caseStep: CaseStep, name: string): string[] => caseStep.request.query.filter(([key]) => key === name).map(([, value]) => value);
const metadataOf = (caseStep: CaseStep): Record<string, JsonValue> => {
  const body = jsonOf(caseStep);
  return isObject(body) && isObject(body.metadata) ? body.metadata : {};
};
const onlyCauseField = (caseStep: CaseStep): string => {
  const causes = caseStep.expect.causes ?? [];
  assert.equal(causes.length, 1, `one expected cause, got ${JSON.stringify(causes)}`);
  return causes[0].field;
};

function ipCheck(expected: IpClass) {
  return (_c: ConformanceCase, steps: CaseStep[]): void => {
    const field = onlyCauseField(steps[0]);
    const ip = valueAt(jsonOf(steps[0]), field);
    assert.equal(typeof ip, 'string', `${field} holds a string`);
    assert.equal(classifyIp(ip as string), expected, `${JSON.stringify(ip)} at ${field} is ${expected}`);
  };
}

function portValue(steps: CaseStep[]): unknown {
  return valueAt(jsonOf(steps[0]), onlyCauseField(steps[0]));
}

const acceptedMediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Category-specific truths beyond the oracle's verdict on the body. */
const specificChecks: Record<string, (conformanceCase: ConformanceCase, steps: CaseStep[]) => void> = {
  'valid-endpoints': (_c, steps) => {
    assert.equal(queryValues(steps[0], 'dryRun').length, 0);
    assert.ok(steps[0].expect.createsObject);
  },
  'valid-dry-run': (_c, steps) => {
    assert.ok(steps.some((caseStep) => queryValues(caseStep, 'dryRun').length > 0 && queryValues(caseStep, 'dryRun').every((value) => value === 'All')));
    const last = steps[steps.length - 1];
    assert.equal(last.request.method, 'GET');
    assert.ok(last.expect.absent === true || last.expect.storedEquals === 0);
  },
  'valid-protocol-defaulted': (_c, steps) => {
    const last = steps[steps.length - 1];
    assert.equal(last.request.method, 'PUT');
    assert.ok(portsWithDefaultedProtocol(jsonOf(last)).length > 0, 'some port is sent without a protocol (omitted or "")');
    assert.equal(last.expect.echo, true, 'the answer must echo the defaulted protocol');
    assert.ok(steps.length === 1 ? last.expect.createsObject === true : last.expect.replacesObject === true);
    assert.deepEqual(last.expect.status, [steps.length === 1 ? 201 : 200]);
  },
  'create-then-replace': (_c, steps) => {
    assert.equal(steps.length, 2);
    assert.equal(metadataOf(steps[1]).resourceVersion, '12345');
    assert.notDeepEqual(jsonOf(steps[1]), jsonOf(steps[0]));
  },
  'noop-replace': (_c, steps) => {
    const second = structuredClone(metadataOf(steps[1]));
    delete second.resourceVersion;
    assert.deepEqual(second, metadataOf(steps[0]));
    assert.deepEqual((jsonOf(steps[1]) as Record<string, JsonValue>).subsets, (jsonOf(steps[0]) as Record<string, JsonValue>).subsets);
  },
  'stale-resource-version': (_c, steps) => {
    assert.equal(steps.length, 3);
    assert.equal(metadataOf(steps[2]).resourceVersion, '12345');
    assert.notDeepEqual(jsonOf(steps[1]), jsonOf(steps[0]), 'the middle update changes the object');
  },
  'uid-mismatch': (_c, steps) => assert.match(String(metadataOf(steps[1]).uid), /^[0-9a-f-]{36}$/),
  'uid-on-absent': (_c, steps) => {
    assert.equal(steps.length, 1);
    assert.match(String(metadataOf(steps[0]).uid), /^[0-9a-f-]{36}$/);
  },
  'unconditional-replace': (_c, steps) => assert.ok([undefined, '', '0'].includes(metadataOf(steps[1]).resourceVersion as string | undefined)),
  'ip-not-an-ip': ipCheck('invalid'),
  'ip-unspecified': ipCheck('unspecified'),
  'ip-loopback': ipCheck('loopback'),
  'ip-link-local': ipCheck('link-local'),
  'ip-link-local-multicast': ipCheck('link-local-multicast'),
  'ip-missing': (_c, steps) => assert.equal(valueAt(jsonOf(steps[0]), onlyCauseField(steps[0])), 'missing'),
  'ip-leading-zero': (_c, steps) => {
    assert.deepEqual(judgeBody(jsonOf(steps[0]), steps[0].request.query).nonStandardIps, [onlyCauseField(steps[0])]);
    assert.deepEqual(steps[0].expect.status, [201, 422]);
  },
  'port-missing': (_c, steps) => assert.equal(portValue(steps), 'missing'),
  'port-zero': (_c, steps) => assert.equal(portValue(steps), 0),
  'port-negative': (_c, steps) => assert.ok((portValue(steps) as number) < 0),
  'port-too-large': (_c, steps) => assert.ok((portValue(steps) as number) > 65535 && (portValue(steps) as number) <= 2 ** 31 - 1),
  'port-wrong-type': (_c, steps) => assert.equal(judgeBody(jsonOf(steps[0])).typeErrors.length, 1),
  'protocol-unsupported': (_c, steps) => assert.ok(!['TCP', 'UDP', 'SCTP', ''].includes(portValue(steps) as string)),
  'port-name-invalid': (_c, steps) => assert.ok(!isDnsLabel(portValue(steps) as string)),
  'app-protocol-invalid': (_c, steps) => assert.ok(!isQualifiedName(portValue(steps) as string)),
  'port-names-missing': (_c, steps) => {
    for (const cause of steps[0].expect.causes ?? []) assert.ok(['missing', ''].includes(valueAt(jsonOf(steps[0]), cause.field) as string));
  },
  'hostname-invalid': (_c, steps) => assert.ok(!isDnsLabel(portValue(steps) as string)),
  'node-name-invalid': (_c, steps) => assert.ok(!isDnsSubdomain(portValue(steps) as string)),
  'subset-without-addresses': () => undefined,
  'name-mismatch': (_c, steps) => {
    assert.notEqual(metadataOf(steps[0]).name, urlName(steps[0]));
    assert.ok(isDnsSubdomain(urlName(steps[0])) && isDnsSubdomain(String(metadataOf(steps[0]).name)));
  },
  'namespace-mismatch': (_c, steps) => {
    assert.equal(typeof metadataOf(steps[0]).namespace, 'string');
    assert.notEqual(metadataOf(steps[0]).namespace, urlNamespace(steps[0]));
  },
  'name-empty': (_c, steps) => assert.ok([undefined, ''].includes(metadataOf(steps[0]).name as string | undefined)),
  'name-invalid': (_c, steps) => {
    assert.equal(urlName(steps[0]), metadataOf(steps[0]).name);
    assert.ok(!isDnsSubdomain(urlName(steps[0])));
  },
  'name-path-segment-invalid': (_c, steps) => {
    const name = urlName(steps[0]);
    assert.equal(name, metadataOf(steps[0]).name);
    assert.ok(name.includes('%') || name.includes('/'), name);
    assert.deepEqual(steps[0].expect.status, name.includes('/') ? [404] : [400]);
  },
  'label-key-invalid': () => undefined,
  'label-value-invalid': () => undefined,
  'annotation-key-invalid': () => undefined,
  'annotations-too-large': () => undefined,
  'owner-reference-invalid': () => undefined,
  'owner-reference-banned-kind': () => undefined,
  'owner-reference-two-controllers': () => undefined,
  'finalizer-invalid': () => undefined,
  'dry-run-invalid': () => undefined,
  'field-manager-too-long': (_c, steps) => assert.ok(queryValues(steps[0], 'fieldManager').every(isGoPrintable)),
  'field-manager-unprintable': (_c, steps) => assert.ok(queryValues(steps[0], 'fieldManager').every((value) => Buffer.byteLength(value) <= 128)),
  'field-validation-invalid': () => undefined,
  'unknown-field-strict': (_c, steps) => {
    assert.deepEqual(queryValues(steps[0], 'fieldValidation'), ['Strict']);
    assertUnknownOrDuplicate(steps[0]);
  },
  'unknown-field-warn': (_c, steps) => {
    assert.ok(['', 'Warn'].includes(queryValues(steps[0], 'fieldValidation').join('')));
    assertUnknownOrDuplicate(steps[0]);
  },
  'content-type-unsupported': (_c, steps) => {
    const mediaType = (steps[0].request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    assert.ok(!acceptedMediaTypes.includes(mediaType), mediaType);
  },
  'body-unparsable': (_c, steps) => {
    const body = steps[0].request.body;
    assert.equal(body.kind, 'raw');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.kind === 'raw' ? body.text : '');
    } catch {
      return;
    }
    assert.ok(!isObject(parsed), 'a raw body that parses is not a JSON object');
  },
  'kind-wrong': (_c, steps) => {
    const body = jsonOf(steps[0]) as Record<string, JsonValue>;
    assert.notDeepEqual([body.apiVersion ?? 'v1', body.kind ?? 'Endpoints'], ['v1', 'Endpoints']);
  },
  'accept-unsatisfiable': (_c, steps) => {
    const ranges = (steps[0].request.headers.accept ?? '').split(',').map((range) => range.split(';')[0].trim());
    assert.ok(ranges.every((range) => !['*/*', 'application/*', ...acceptedMediaTypes].includes(range)));
  },
  'auth-missing': (_c, steps) => assert.equal(steps[0].request.auth, 'none'),
  'auth-invalid': (_c, steps) => assert.equal(steps[0].request.auth, 'invalid'),
  'auth-readonly': (_c, steps) => assert.equal(steps[0].request.auth, 'readonly'),
  'namespace-missing': (_c, steps) => assert.equal(urlNamespace(steps[0]), contextFor(0).missingNamespace),
  'method-not-allowed': (_c, steps) => assert.equal(steps[0].request.method, 'POST'),
  'resource-version-malformed': (_c, steps) => {
    const resourceVersion = String(metadataOf(steps[0]).resourceVersion);
    assert.ok(!/^\d+$/.test(resourceVersion) || BigInt(resourceVersion) > 2n ** 64n - 1n, resourceVersion);
  },
};

function assertUnknownOrDuplicate(caseStep: CaseStep): void {
  const body = caseStep.request.body;
  if (body.kind === 'raw') {
    assert.ok(body.text.split('"kind":"Endpoints"').length - 1 >= 2, 'the raw body repeats the kind member');
  } else {
    assert.equal(unknownMembers(jsonOf(caseStep)).length, 1, 'exactly one unknown member');
  }
}

describe('generators: labels are true (independent oracle)', function () {
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  it('every category has a specific check here', () => {
    assert.deepEqual(
      caseCategories.map((category) => category.name).filter((name) => !(name in specificChecks)),
      [],
    );
  });

  for (const category of caseCategories) {
    it(`${category.name}: expectations agree with the oracle`, () => {
      const generated = generateCases(category, contract, { seed: categorySeed(20260101, category.name), runs });
      assert.equal(generated.length, runs);
      generated.forEach(({ case: conformanceCase }, index) => {
        const where = `${category.name} case ${index}: ${conformanceCase.description}`;
        try {
          assert.equal(conformanceCase.category, category.name);
          assert.ok(conformanceCase.steps.length > 0);
          const steps = instantiate(conformanceCase, index);
          for (const caseStep of steps) {
            const expect = caseStep.expect;
            assert.ok(expect.status.length > 0);
            assert.match(caseStep.request.path, /^\/api\/v1\/namespaces\/[^/]+\/endpoints\/[^/]+$/);
            if (caseStep.request.method !== 'GET') assert.ok(urlName(caseStep).includes(contextFor(index).unique), 'written names carry {{unique}}');
            const body = jsonOf(caseStep);
            const labels = isObject(body) && isObject(body.metadata) && isObject(body.metadata.labels) ? body.metadata.labels : undefined;
            if (labels !== undefined) assert.equal(labels['endpoints-conformance/run'], contextFor(index).runId);
            if (caseStep.request.method === 'GET') continue;
            const verdict = judgeBody(body, caseStep.request.query);
            const onlySuccess = expect.status.every((status) => status < 300);
            if (expect.causes !== undefined) {
              assert.deepEqual(expect.status.includes(422), true);
              const named = category.name === 'ip-leading-zero' ? [] : expect.causes;
              assert.ok(sameCauses(verdict.causes, named), `oracle causes ${JSON.stringify(verdict.causes)} vs expected ${JSON.stringify(expect.causes)}`);
            } else if (body !== undefined && category.name !== 'name-path-segment-invalid') {
              // (a name that is no usable path segment is refused before the body is validated)
              assert.deepEqual(verdict.causes, [], 'nothing else is invalid in the body');
            }
            if (category.name !== 'port-wrong-type' && body !== undefined) assert.deepEqual(verdict.typeErrors, []);
            if (category.name !== 'ip-leading-zero') assert.deepEqual(verdict.nonStandardIps, []);
            if (onlySuccess) {
              assert.ok(expect.invalidInput !== true);
            } else if (expect.status.some((status) => status >= 400) && expect.unauthorized !== true && expect.staleResourceVersion !== true && category.name !== 'ip-leading-zero') {
              assert.equal(expect.invalidInput, true, 'an invalid step says invalidInput');
            }
            if (expect.status.includes(422)) assert.deepEqual(expect.reason, ['Invalid']);
            // (resource-version-malformed: Kubernetes' 500 or a better 400; no reason is asked of either)
            if (expect.status.includes(400) && expect.upstreamServerError === undefined) assert.deepEqual(expect.reason, ['BadRequest']);
          }
          specificChecks[category.name](conformanceCase, steps);
          if (category.group === 'valid' || category.group === 'semantics') {
            const validator = contractValidator(contract);
            for (const caseStep of steps) {
              const body = jsonOf(caseStep);
              if (body === undefined || caseStep.expect.status.some((status) => status >= 400)) continue;
              const result = validator.validate('Endpoints', body);
              assert.ok(result.valid, `contract schema rejects a valid body: ${JSON.stringify(result.errors).slice(0, 400)}`);
            }
          }
          assert.ok(conformanceCase.exercises.valid.length + conformanceCase.exercises.invalid.length > 0);
          if (category.group !== 'valid' && category.group !== 'semantics' && !['ip-leading-zero', 'unknown-field-warn', 'auth-readonly'].includes(category.name)) {
            assert.ok(conformanceCase.exercises.invalid.length > 0, 'an invalid case names the field it breaks');
          }
        } catch (error) {
          throw new Error(`${where}\n${error instanceof Error ? error.message : String(error)}`);
        }
      });
    });
  }

  it('findCategory finds every category by name and nothing else', () => {
    for (const category of caseCategories) assert.equal(findCategory(category.name), category);
    assert.equal(findCategory('no-such-category'), undefined);
    assert.equal(new Set(caseCategories.map((category) => category.name)).size, caseCategories.length);
    for (const category of caseCategories) assert.match(category.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

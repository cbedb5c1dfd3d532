/**
 * The ajv validator over the contract's schemas: valid bodies pass, each kind of schema
 * violation is named by path, and the name patterns are exactly Kubernetes' rules (no valid
 * request is made invalid by them).
 */
import { strict as assert } from 'node:assert';
import { ContractError, loadContract, type Contract } from '../spec/loadContract.ts';
import { contractValidator, type ContractValidator } from '../spec/contractValidator.ts';
import { precompiledValidatorsPath, readPrecompiledValidators } from '../spec/precompiledValidators.ts';
import { caseCategories } from '../generators/categories.ts';
import { generateCases } from '../generators/generateCases.ts';

type Json = Record<string, unknown>;

/** A valid Endpoints body with one address and one port; `change` edits a copy. */
function endpoints(change: (body: { metadata: Json; subsets: Array<{ addresses: Json[]; ports: Json[] }> }) => void = () => {}): Json {
  const body = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'ep-1', namespace: 'ns-1', labels: { app: 'web' } },
    subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
  };
  change(body);
  return body;
}

describe('spec: contract validator (ajv)', () => {
  let contract: Contract;
  let validator: ContractValidator;
  before(async () => {
    contract = await loadContract();
    validator = contractValidator(contract);
  });

  const errorsOf = (value: unknown, schema = 'Endpoints'): string[] => validator.validate(schema, value).errors;
  const isValid = (value: unknown, schema = 'Endpoints'): boolean => validator.validate(schema, value).valid;

  it('is built once per contract and names unknown schemas', () => {
    assert.equal(contractValidator(contract), validator);
    assert.throws(() => validator.validate('Pod', {}), (error: unknown) => error instanceof ContractError && /no schema named Pod/.test(error.message));
  });

  it('accepts valid bodies, with or without optional fields, and fields servers add', () => {
    assert.deepEqual(validator.validate('Endpoints', endpoints()), { valid: true, errors: [] });
    assert.ok(isValid({}));
    assert.ok(isValid(endpoints((body) => {
      delete body.subsets[0]!.ports[0]!.protocol;
      delete body.subsets[0]!.ports[0]!.name;
      body.metadata.uid = '3907aa64-c3f3-4de0-b938-9d23e8d12f94';
      body.metadata.resourceVersion = '263561274';
      body.metadata.creationTimestamp = '2023-03-28T13:55:52Z';
      body.metadata.managedFields = [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2023-03-28T13:55:52Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:subsets': {} } }];
      body.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'u-1', controller: true }];
      (body as Json).someServerField = { added: true };
    })));
  });

  it('names each port violation by its path', () => {
    assert.deepEqual(errorsOf(endpoints((body) => { body.subsets[0]!.ports[0]!.port = 65536; })), ['/subsets/0/ports/0/port must be <= 65535']);
    assert.deepEqual(errorsOf(endpoints((body) => { body.subsets[0]!.ports[0]!.port = 0; })), ['/subsets/0/ports/0/port must be >= 1']);
    assert.deepEqual(errorsOf(endpoints((body) => { body.subsets[0]!.ports[0]!.port = '80'; })), ['/subsets/0/ports/0/port must be integer']);
    assert.deepEqual(errorsOf(endpoints((body) => { delete body.subsets[0]!.ports[0]!.port; })), ["/subsets/0/ports/0 must have required property 'port'"]);
    assert.deepEqual(errorsOf(endpoints((body) => { body.subsets[0]!.ports[0]!.protocol = 'tcp'; })), [
      '/subsets/0/ports/0/protocol must be equal to one of the allowed values: "TCP", "UDP", "SCTP", ""',
    ]);
    // "" is the unset protocol, accepted and defaulted to TCP (rules S19)
    assert.deepEqual(errorsOf(endpoints((body) => { body.subsets[0]!.ports[0]!.protocol = ''; })), []);
  });

  it('reports every error at once, and the root as "/"', () => {
    const errors = errorsOf(endpoints((body) => {
      body.subsets[0]!.ports[0]!.port = 70000;
      delete body.subsets[0]!.addresses[0]!.ip;
    }));
    assert.deepEqual(errors.sort(), ["/subsets/0/addresses/0 must have required property 'ip'", '/subsets/0/ports/0/port must be <= 65535']);
    assert.deepEqual(errorsOf(42), ['/ must be object']);
  });

  it('keeps server-set metadata to its types: resourceVersion and uid are strings, timestamps date-times', () => {
    assert.deepEqual(errorsOf(endpoints((body) => { body.metadata.resourceVersion = 263561274; })), ['/metadata/resourceVersion must be string']);
    assert.deepEqual(errorsOf(endpoints((body) => { body.metadata.uid = 7; })), ['/metadata/uid must be string']);
    assert.deepEqual(errorsOf(endpoints((body) => { body.metadata.creationTimestamp = 'yesterday'; })), ['/metadata/creationTimestamp must match format "date-time"']);
    // ajv-formats also reports the int64 format for a non-integer
    assert.ok(errorsOf(endpoints((body) => { body.metadata.generation = 1.5; })).includes('/metadata/generation must be integer'));
  });

  it('hostname: empty allowed, otherwise a DNS-1123 label of at most 63', () => {
    const withHostname = (hostname: string): Json => endpoints((body) => { body.subsets[0]!.addresses[0]!.hostname = hostname; });
    for (const good of ['', 'a', 'web-0', '0abc', 'a'.repeat(63)]) assert.ok(isValid(withHostname(good)), good);
    for (const bad of ['Web', 'a.b', '-a', 'a-', 'a_b', 'a'.repeat(64)]) assert.ok(!isValid(withHostname(bad)), bad);
  });

  it('nodeName: a DNS-1123 subdomain of at most 253; empty is not allowed', () => {
    const withNodeName = (nodeName: string): Json => endpoints((body) => { body.subsets[0]!.addresses[0]!.nodeName = nodeName; });
    for (const good of ['node-1', 'node-1.example.com', '10.10.1.1', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`]) {
      assert.ok(isValid(withNodeName(good)), good);
    }
    for (const bad of ['', 'Node', 'node_1', 'a..b', '.a', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`]) {
      assert.ok(!isValid(withNodeName(bad)), bad);
    }
  });

  it('port name: empty allowed (one port), otherwise a DNS-1123 label', () => {
    const withName = (name: string): Json => endpoints((body) => { body.subsets[0]!.ports[0]!.name = name; });
    for (const good of ['', 'http', 'service0', 'a'.repeat(63)]) assert.ok(isValid(withName(good)), good);
    for (const bad of ['HTTP', 'my_port', 'a.b', 'a'.repeat(64)]) assert.ok(!isValid(withName(bad)), bad);
  });

  it('object name: a DNS-1123 subdomain', () => {
    const withName = (name: string): Json => endpoints((body) => { body.metadata.name = name; });
    for (const good of ['a', 'test-endpoint', 'a.b-c', 'a'.repeat(253)]) assert.ok(isValid(withName(good)), good);
    for (const bad of ['', 'Foo', 'a_b', '-a', 'a'.repeat(254)]) assert.ok(!isValid(withName(bad)), bad);
  });

  it('appProtocol: a qualified name (optional DNS-subdomain prefix of at most 253, name part of at most 63)', () => {
    const withAppProtocol = (value: string): Json => endpoints((body) => { body.subsets[0]!.ports[0]!.appProtocol = value; });
    const longPrefix = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`; // 253
    for (const good of ['HTTP', 'h2c', 'kubernetes.io/h2c', 'mycompany.com/my-custom-protocol', 'My.Name_1', `${longPrefix}/x`, 'A'.repeat(63)]) {
      assert.ok(isValid(withAppProtocol(good)), good);
    }
    for (const bad of ['', '-http', 'http-', 'a/b/c', '/x', 'Example.com/x', 'example.com/', `${longPrefix}d/x`, 'A'.repeat(64), 'kubernetes.io/a b']) {
      assert.ok(!isValid(withAppProtocol(bad)), bad);
    }
  });

  it('label values: empty or at most 63 of alphanumerics, - _ . starting and ending alphanumeric', () => {
    const withLabel = (value: string): Json => endpoints((body) => { body.metadata.labels = { app: value }; });
    for (const good of ['', 'web', 'v1.2_3-x', 'a'.repeat(63)]) assert.ok(isValid(withLabel(good)), good);
    for (const bad of ['a b', '-a', 'a.', 'a'.repeat(64)]) assert.ok(!isValid(withLabel(bad)), bad);
  });

  it('leaves the x- rules to the checks: a subset with neither address list is schema-valid', () => {
    // x-requires-one-of (S2), x-required-when (S21) and the IP ranges are not JSON Schema.
    assert.ok(isValid(endpoints((body) => { body.subsets = [{ ports: [{ port: 80 }] } as never]; })));
    assert.ok(isValid(endpoints((body) => { body.subsets[0]!.addresses[0]!.ip = '127.0.0.1'; })));
  });

  it('validates Status bodies', () => {
    const invalid = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Endpoints "foo" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      reason: 'Invalid',
      details: {
        name: 'foo',
        kind: 'Endpoints',
        causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)', field: 'subsets[0].addresses[0].ip' }],
      },
      code: 422,
    };
    assert.deepEqual(validator.validate('Status', invalid), { valid: true, errors: [] });
    assert.deepEqual(errorsOf({ ...invalid, code: '422' }, 'Status'), ['/code must be integer']);
    assert.deepEqual(errorsOf({ ...invalid, status: 'Error' }, 'Status'), ['/status must be equal to one of the allowed values: "Success", "Failure"']);
    assert.deepEqual(errorsOf({ ...invalid, details: { causes: [{ field: 3 }] } }, 'Status'), ['/details/causes/0/field must be string']);
  });
});

describe('spec: the build-compiled schemas (ajv standalone code)', () => {
  it('are those of this very contract, and judge every generated body exactly as ajv compiling at run time does', async () => {
    const contract = await loadContract();
    const precompiled = readPrecompiledValidators(contract);
    assert.ok(precompiled !== undefined, `no compiled schemas for this contract at ${precompiledValidatorsPath}: npm run build writes them (npm test runs it first)`);
    assert.deepEqual(Object.keys(precompiled).sort(), Object.keys(contract.schemas).sort());
    // another document (even with the same schemas) is never judged by them: it compiles its own
    assert.equal(readPrecompiledValidators({ ...contract, documentPath: '/elsewhere/contract.yaml' }), undefined);
    assert.equal(readPrecompiledValidators({ ...contract, sha256: '0'.repeat(64) }), undefined);
    const atRunTime = contractValidator({ ...contract, documentPath: '/elsewhere/contract.yaml' });
    const built = contractValidator(contract);
    const bodies: unknown[] = [];
    for (const category of caseCategories) {
      for (const generated of generateCases(category, contract, { seed: 5, runs: 4 })) {
        for (const step of generated.case.steps) if (step.request.body.kind === 'json') bodies.push(step.request.body.value);
      }
    }
    bodies.push(null, 'text', 7, [], { kind: 'Status', status: 'Failure', code: 422, details: { causes: [{ field: 'x', reason: 'FieldValueInvalid' }] } });
    let invalid = 0;
    for (const body of bodies) {
      for (const schema of ['Endpoints', 'Status', 'ObjectMeta']) {
        const expected = atRunTime.validate(schema, body);
        assert.deepEqual(built.validate(schema, body), expected, `${schema}: ${JSON.stringify(body).slice(0, 200)}`);
        if (!expected.valid) invalid += 1;
      }
    }
    assert.ok(bodies.length > 200 && invalid > 100, `${bodies.length} bodies, ${invalid} invalid verdicts compared`);
  });
});

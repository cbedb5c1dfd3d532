/**
 * Each check of the registry judged on hand-built exchanges: one that passes, and the ways it
 * must fail. The checks are the harness's oracle: a check that cannot fail would hide faults.
 */
import assert from 'node:assert/strict';
import type { CaseStep, JsonValue, StepExpectation } from '../generators/case.ts';
import type { CheckEnvironment, CheckVerdict, EarlierAnswer, ParsedBody, StepExchange } from '../harness/checks/exchange.ts';
import { checkNames, checkRegistry, findCheck, judgeExchange } from '../harness/checks/registry.ts';
import { contractValidator } from '../spec/contractValidator.ts';
import { loadContract } from '../spec/loadContract.ts';

const expectedNames = [
  'not_a_server_error',
  'status_code_conformance',
  'status_code_documented',
  'negative_data_rejection',
  'response_schema_conformance',
  'response_content_type_json',
  'status_body_code_matches',
  'status_reason_conformance',
  'status_causes_conformance',
  'success_echo_conformance',
  'create_on_put',
  'resource_version_semantics',
  'identity_preserved',
  'stale_resource_version_conflict',
  'dry_run_persists_nothing',
  'auth_enforced',
];

const sentBody = {
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'ec-abc-1', namespace: 'conformance', labels: { 'endpoints-conformance/run': 'abc' } },
  subsets: [{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80 }] }],
};

function storedObject(overrides: { resourceVersion?: unknown; uid?: string; subsets?: unknown; creationTimestamp?: string } = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'ec-abc-1',
      namespace: 'conformance',
      labels: { 'endpoints-conformance/run': 'abc' },
      uid: overrides.uid ?? '6f0d7c1e-9a55-4a53-9f61-2a4a8f0e7b11',
      resourceVersion: overrides.resourceVersion ?? '12',
      creationTimestamp: overrides.creationTimestamp ?? '2026-11-24T08:00:00Z',
    },
    subsets: overrides.subsets ?? [
      { addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    ],
  };
}

function statusObject(code: number, reason: string, causes: Array<{ field: string; reason: string }> = []): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Endpoints "ec-abc-1" is invalid',
    reason,
    details: { name: 'ec-abc-1', kind: 'Endpoints', causes: causes.map((cause) => ({ ...cause, message: 'Invalid value' })) },
    code,
  };
}

interface ExchangeSpec {
  expect: StepExpectation;
  /** The PUT body sent (default `sentBody`). */
  sent?: unknown;
  status?: number;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
  method?: 'PUT' | 'GET';
  earlier?: EarlierAnswer[];
  noAnswer?: boolean;
}

function exchange(spec: ExchangeSpec): StepExchange {
  const method = spec.method ?? 'PUT';
  const step: CaseStep = {
    request: {
      method,
      path: '/api/v1/namespaces/conformance/endpoints/ec-abc-1',
      query: [],
      headers: {},
      body: method === 'PUT' ? { kind: 'json', value: (spec.sent ?? sentBody) as JsonValue } : { kind: 'none' },
      auth: 'valid',
    },
    expect: spec.expect,
  };
  const bodyText = spec.rawBody ?? (spec.body === undefined ? '' : JSON.stringify(spec.body));
  let body: ParsedBody = { kind: 'empty' };
  if (bodyText !== '') {
    try {
      body = { kind: 'json', value: JSON.parse(bodyText) as unknown };
    } catch {
      body = { kind: 'unparsable', error: 'not JSON' };
    }
  }
  const request = { method, url: 'http://127.0.0.1:1/api/v1/namespaces/conformance/endpoints/ec-abc-1', headers: {} };
  if (spec.noAnswer === true) {
    return { stepIndex: spec.earlier?.length ?? 0, step, request, dryRun: false, failure: { kind: 'refused', message: 'connect ECONNREFUSED' }, body: { kind: 'empty' }, earlier: spec.earlier ?? [] };
  }
  return {
    stepIndex: spec.earlier?.length ?? 0,
    step,
    request,
    dryRun: false,
    response: {
      status: spec.status ?? 200,
      headers: { 'content-type': spec.contentType ?? 'application/json' },
      bodyText,
      bodyTruncated: false,
      durationMs: 1,
    },
    body,
    earlier: spec.earlier ?? [],
  };
}

function earlierObject(object: Record<string, unknown>, status = 201): EarlierAnswer {
  return { status, body: { kind: 'json', value: object } };
}

let environment: CheckEnvironment;

function verdictOf(checkName: string, spec: ExchangeSpec): CheckVerdict | 'not applicable' {
  const check = findCheck(checkName);
  assert.ok(check, `check ${checkName} exists`);
  const built = exchange(spec);
  return check.appliesTo(built) ? check.judge(built, environment) : 'not applicable';
}

function assertPass(checkName: string, spec: ExchangeSpec): void {
  const verdict = verdictOf(checkName, spec);
  assert.deepEqual(verdict, { result: 'pass' }, `${checkName} should pass`);
}

function assertFail(checkName: string, spec: ExchangeSpec, actualIncludes?: string): void {
  const verdict = verdictOf(checkName, spec);
  assert.ok(verdict !== 'not applicable' && verdict.result === 'fail', `${checkName} should fail, got ${JSON.stringify(verdict)}`);
  if (actualIncludes !== undefined) assert.ok(verdict.actual.includes(actualIncludes), `${verdict.actual} mentions ${actualIncludes}`);
}

function assertNotApplicable(checkName: string, spec: ExchangeSpec): void {
  assert.equal(verdictOf(checkName, spec), 'not applicable', `${checkName} should not apply`);
}

describe('harness checks', () => {
  before(async () => {
    const contract = await loadContract();
    environment = { contract, validator: contractValidator(contract) };
  });

  it('the registry holds exactly the named checks, in report order', () => {
    assert.deepEqual([...checkNames], expectedNames);
    assert.equal(new Set(checkRegistry.map((check) => check.description)).size, checkRegistry.length);
  });

  it('not_a_server_error: passes below 500, fails on 5xx and on no answer, names Kubernetes-like 5xx upstream behaviour', () => {
    assertPass('not_a_server_error', { expect: { status: [201] }, status: 422, body: statusObject(422, 'Invalid') });
    assertFail('not_a_server_error', { expect: { status: [201] }, status: 500, body: statusObject(500, '') }, '500');
    assertFail('not_a_server_error', { expect: { status: [201] }, noAnswer: true }, 'refused');
    const upstream = verdictOf('not_a_server_error', { expect: { status: [500], upstreamServerError: 'M17: malformed resourceVersion' }, status: 500 });
    assert.ok(upstream !== 'not applicable' && upstream.result === 'upstream' && upstream.note.includes('M17'));
  });

  it('status_code_conformance: the status must be one the case expects', () => {
    assertPass('status_code_conformance', { expect: { status: [401, 403] }, status: 403 });
    assertFail('status_code_conformance', { expect: { status: [422] }, status: 201, body: storedObject() }, '201');
    assertNotApplicable('status_code_conformance', { expect: { status: [422] }, noAnswer: true });
  });

  it('status_code_documented: PUT answers must carry a status the contract documents', () => {
    assertPass('status_code_documented', { expect: { status: [409] }, status: 409 });
    assertFail('status_code_documented', { expect: { status: [409] }, status: 412 }, '412');
    assertNotApplicable('status_code_documented', { expect: { status: [404] }, status: 418, method: 'GET' });
  });

  it('negative_data_rejection: an invalid input answered 2xx fails, unless the case allows that 2xx', () => {
    assertPass('negative_data_rejection', { expect: { status: [422], invalidInput: true }, status: 422 });
    assertFail('negative_data_rejection', { expect: { status: [422], invalidInput: true }, status: 201, body: storedObject() }, '201');
    assertPass('negative_data_rejection', { expect: { status: [201, 422], invalidInput: true, why: 'releases differ' }, status: 201 });
    assertNotApplicable('negative_data_rejection', { expect: { status: [201] }, status: 201 });
  });

  it('response_schema_conformance: 2xx bodies are Endpoints, error bodies are Status', () => {
    assertPass('response_schema_conformance', { expect: { status: [201] }, status: 201, body: storedObject() });
    assertPass('response_schema_conformance', { expect: { status: [422] }, status: 422, body: statusObject(422, 'Invalid') });
    assertFail('response_schema_conformance', { expect: { status: [201] }, status: 201, body: storedObject({ resourceVersion: 12 }) });
    assertFail('response_schema_conformance', { expect: { status: [422] }, status: 422, rawBody: 'Error: invalid' }, 'not JSON');
    assertFail('response_schema_conformance', { expect: { status: [422] }, status: 422 }, 'empty');
  });

  it('response_content_type_json: bodies are application/json, parameters allowed', () => {
    assertPass('response_content_type_json', { expect: { status: [201] }, status: 201, body: storedObject(), contentType: 'application/json; charset=utf-8' });
    assertFail('response_content_type_json', { expect: { status: [422] }, status: 422, rawBody: 'Error: invalid', contentType: 'text/plain' }, 'text/plain');
    assertNotApplicable('response_content_type_json', { expect: { status: [404] }, status: 404, contentType: 'text/plain' });
  });

  it("status_body_code_matches: a Status body's code is the HTTP status", () => {
    assertPass('status_body_code_matches', { expect: { status: [409] }, status: 409, body: statusObject(409, 'Conflict') });
    assertFail('status_body_code_matches', { expect: { status: [409] }, status: 409, body: statusObject(500, 'Conflict') }, '500');
    assertNotApplicable('status_body_code_matches', { expect: { status: [201] }, status: 201, body: storedObject() });
  });

  it('status_reason_conformance: the reason is one the case expects, judged on error answers', () => {
    assertPass('status_reason_conformance', { expect: { status: [422], reason: ['Invalid'] }, status: 422, body: statusObject(422, 'Invalid') });
    assertFail('status_reason_conformance', { expect: { status: [422], reason: ['Invalid'] }, status: 400, body: statusObject(400, 'BadRequest') }, 'BadRequest');
    assertFail('status_reason_conformance', { expect: { status: [422], reason: ['Invalid'] }, status: 422, rawBody: 'Error' }, 'without a Status');
    assertNotApplicable('status_reason_conformance', { expect: { status: [201, 422], reason: ['Invalid'] }, status: 201, body: storedObject() });
  });

  it('status_causes_conformance: the distinct (field, type) pairs equal the expected ones exactly', () => {
    const expect: StepExpectation = { status: [422], causes: [{ field: 'subsets[0].addresses[1].ip', type: 'FieldValueInvalid' }] };
    const twice = [
      { field: 'subsets[0].addresses[1].ip', reason: 'FieldValueInvalid' },
      { field: 'subsets[0].addresses[1].ip', reason: 'FieldValueInvalid' },
    ];
    assertPass('status_causes_conformance', { expect, status: 422, body: statusObject(422, 'Invalid', twice) });
    assertFail('status_causes_conformance', { expect, status: 422, body: statusObject(422, 'Invalid', [{ field: 'subsets.addresses.ip', reason: 'FieldValueInvalid' }]) }, 'missing');
    assertFail('status_causes_conformance', { expect, status: 422, body: statusObject(422, 'Invalid', [{ field: 'subsets[0].addresses[1].ip', reason: 'FieldValueRequired' }]) });
    assertFail('status_causes_conformance', { expect, status: 422, body: statusObject(422, 'Invalid', [...twice, { field: 'metadata.name', reason: 'FieldValueInvalid' }]) }, 'unexpected');
    assertNotApplicable('status_causes_conformance', { expect, status: 400, body: statusObject(400, 'BadRequest') });
  });

  it('success_echo_conformance: subsets, name, namespace, labels echoed as sent, protocol defaulted to TCP', () => {
    const expect: StepExpectation = { status: [201], echo: true };
    assertPass('success_echo_conformance', { expect, status: 201, body: storedObject() });
    const noDefault = storedObject({ subsets: [{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80 }] }] });
    assertFail('success_echo_conformance', { expect, status: 201, body: noDefault }, 'protocol');
    const dropped = storedObject({ subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }] });
    assertFail('success_echo_conformance', { expect, status: 201, body: dropped }, 'notReadyAddresses');
    const renamed = storedObject();
    (renamed.metadata as Record<string, unknown>).name = 'other';
    assertFail('success_echo_conformance', { expect, status: 201, body: renamed }, 'metadata.name');
    assertNotApplicable('success_echo_conformance', { expect, status: 422, body: statusObject(422, 'Invalid') });
  });

  it('success_echo_conformance: protocol "" is unset, echoed as TCP (rules S19)', () => {
    const expect: StepExpectation = { status: [201], echo: true };
    const ports = (protocol: string | undefined): Array<Record<string, unknown>> => [
      { name: 'http', port: 80, ...(protocol === undefined ? {} : { protocol }) },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ];
    const sent = { ...sentBody, subsets: [{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: ports('') }] };
    const answered = (protocol: string | undefined): Record<string, unknown> =>
      storedObject({ subsets: [{ addresses: [{ ip: '10.0.0.1' }], notReadyAddresses: [{ ip: '10.0.0.2' }], ports: ports(protocol) }] });
    assertPass('success_echo_conformance', { sent, expect, status: 201, body: answered('TCP') });
    assertFail('success_echo_conformance', { sent, expect, status: 201, body: answered('') }, 'protocol');
    assertFail('success_echo_conformance', { sent, expect, status: 201, body: answered(undefined) }, 'protocol');
    assertFail('success_echo_conformance', { sent, expect, status: 201, body: answered('UDP') }, 'UDP');
    assertPass('response_schema_conformance', { sent, expect, status: 201, body: answered('TCP') });
  });

  it('create_on_put: 201 when the PUT creates, 200 when it replaces', () => {
    assertPass('create_on_put', { expect: { status: [201], createsObject: true }, status: 201, body: storedObject() });
    assertFail('create_on_put', { expect: { status: [201], createsObject: true }, status: 200, body: storedObject() }, '200');
    assertPass('create_on_put', { expect: { status: [200], replacesObject: true }, status: 200, body: storedObject() });
    assertFail('create_on_put', { expect: { status: [200], replacesObject: true }, status: 201, body: storedObject() }, '201');
  });

  it('resource_version_semantics: changed on a write, unchanged on a no-op', () => {
    const earlier = [earlierObject(storedObject({ resourceVersion: '12' }))];
    const changed: StepExpectation = { status: [200], resourceVersion: { ofStep: 0, relation: 'changed' } };
    const unchanged: StepExpectation = { status: [200], resourceVersion: { ofStep: 0, relation: 'unchanged' } };
    assertPass('resource_version_semantics', { expect: changed, status: 200, body: storedObject({ resourceVersion: '13' }), earlier });
    assertFail('resource_version_semantics', { expect: changed, status: 200, body: storedObject({ resourceVersion: '12' }), earlier });
    assertPass('resource_version_semantics', { expect: unchanged, status: 200, body: storedObject({ resourceVersion: '12' }), earlier });
    assertFail('resource_version_semantics', { expect: unchanged, status: 200, body: storedObject({ resourceVersion: '14' }), earlier });
    assertFail('resource_version_semantics', { expect: changed, status: 422, body: statusObject(422, 'Invalid'), earlier }, 'no object');
  });

  it('identity_preserved: uid and creationTimestamp survive an update', () => {
    const earlier = [earlierObject(storedObject())];
    const expect: StepExpectation = { status: [200], identityOf: 0 };
    assertPass('identity_preserved', { expect, status: 200, body: storedObject({ resourceVersion: '13' }), earlier });
    assertFail('identity_preserved', { expect, status: 200, body: storedObject({ uid: '0b5a7c2e-1111-4a53-9f61-2a4a8f0e7b11' }), earlier }, 'uid');
    assertFail('identity_preserved', { expect, status: 200, body: storedObject({ creationTimestamp: '2026-11-24T09:00:00Z' }), earlier }, 'creationTimestamp');
  });

  it('stale_resource_version_conflict: a stale write is refused with 409', () => {
    assertPass('stale_resource_version_conflict', { expect: { status: [409], staleResourceVersion: true }, status: 409, body: statusObject(409, 'Conflict') });
    assertFail('stale_resource_version_conflict', { expect: { status: [409], staleResourceVersion: true }, status: 200, body: storedObject() });
    assertFail('stale_resource_version_conflict', { expect: { status: [409], staleResourceVersion: true }, status: 412, body: statusObject(412, 'PreconditionFailed') });
  });

  it('dry_run_persists_nothing: absent after a dryRun create, unchanged after a dryRun update', () => {
    assertPass('dry_run_persists_nothing', { expect: { status: [404], absent: true }, status: 404, method: 'GET', body: statusObject(404, 'NotFound') });
    assertFail('dry_run_persists_nothing', { expect: { status: [404], absent: true }, status: 200, method: 'GET', body: storedObject() }, '200');
    const earlier = [earlierObject(storedObject()), earlierObject(storedObject(), 200)];
    const expect: StepExpectation = { status: [200], storedEquals: 0 };
    assertPass('dry_run_persists_nothing', { expect, status: 200, method: 'GET', body: storedObject(), earlier });
    assertFail('dry_run_persists_nothing', { expect, status: 200, method: 'GET', body: storedObject({ resourceVersion: '13' }), earlier }, 'resourceVersion');
    assertFail('dry_run_persists_nothing', { expect, status: 200, method: 'GET', body: storedObject({ subsets: [{ addresses: [{ ip: '10.9.9.9' }] }] }), earlier }, 'subsets');
  });

  it('auth_enforced: missing, wrong or read-only credentials are refused with 401/403', () => {
    assertPass('auth_enforced', { expect: { status: [401], unauthorized: true }, status: 401 });
    assertPass('auth_enforced', { expect: { status: [403], unauthorized: true }, status: 403 });
    assertFail('auth_enforced', { expect: { status: [401], unauthorized: true }, status: 201, body: storedObject() }, '201');
    assertFail('auth_enforced', { expect: { status: [401], unauthorized: true }, status: 422 });
  });

  it('judgeExchange judges only the checks that apply, and a transport failure only by not_a_server_error', () => {
    const judged = judgeExchange(exchange({ expect: { status: [201], echo: true, createsObject: true }, noAnswer: true }), checkRegistry, environment);
    assert.deepEqual(judged.map((item) => item.check.name), ['not_a_server_error']);
    assert.equal(judged[0].verdict.result, 'fail');
  });
});

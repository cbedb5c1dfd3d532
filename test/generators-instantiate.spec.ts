import assert from 'node:assert/strict';
import type { CaseStep } from '../generators/case.ts';
import { instantiateStep, PlaceholderError, type InstanceContext } from '../generators/instantiate.ts';

const context: InstanceContext = { namespace: 'conformance', missingNamespace: 'gone-ns', unique: 'r1x-7', runId: 'r1x' };

function putStep(overrides: Partial<CaseStep['request']>): CaseStep {
  return {
    request: {
      method: 'PUT',
      path: '/api/v1/namespaces/{{namespace}}/endpoints/{{unique}}-a',
      query: [],
      headers: {},
      body: { kind: 'none' },
      auth: 'valid',
      ...overrides,
    },
    expect: { status: [201], echo: true },
  };
}

describe('generators: instantiateStep', () => {
  it('fills context placeholders in path, query, headers, JSON strings and keys, raw text', () => {
    const step = putStep({
      query: [['fieldManager', 'm-{{runId}}']],
      headers: { 'x-note': '{{missingNamespace}}' },
      body: {
        kind: 'json',
        value: { metadata: { name: '{{unique}}-a', namespace: '{{namespace}}', labels: { 'endpoints-conformance/run': '{{runId}}', '{{runId}}-k': 'v' } } },
      },
    });
    const filled = instantiateStep(step, context, []);
    assert.equal(filled.request.path, '/api/v1/namespaces/conformance/endpoints/r1x-7-a');
    assert.deepEqual(filled.request.query, [['fieldManager', 'm-r1x']]);
    assert.deepEqual(filled.request.headers, { 'x-note': 'gone-ns' });
    assert.deepEqual(filled.request.body, {
      kind: 'json',
      value: { metadata: { name: 'r1x-7-a', namespace: 'conformance', labels: { 'endpoints-conformance/run': 'r1x', 'r1x-k': 'v' } } },
    });
    const raw = instantiateStep(putStep({ body: { kind: 'raw', text: '{"metadata":{"name":"{{unique}}"' } }), context, []);
    assert.deepEqual(raw.request.body, { kind: 'raw', text: '{"metadata":{"name":"r1x-7"' });
  });

  it('does not change the step it was given', () => {
    const step = putStep({ body: { kind: 'json', value: { a: '{{unique}}' } } });
    const before = structuredClone(step);
    instantiateStep(step, context, []);
    assert.deepEqual(step, before);
  });

  it('reads {{stepN.path}} from earlier response bodies, keeping the JSON type of a whole-string placeholder', () => {
    const step = putStep({
      body: {
        kind: 'json',
        value: {
          metadata: { resourceVersion: '{{step0.metadata.resourceVersion}}', uid: '{{step1.metadata.uid}}' },
          generation: '{{step0.metadata.generation}}',
          note: 'rv={{step0.metadata.resourceVersion}} first ip {{step0.subsets.0.addresses.0.ip}}',
        },
      },
    });
    const prior = [
      { metadata: { resourceVersion: '42', generation: 3 }, subsets: [{ addresses: [{ ip: '10.1.2.3' }] }] },
      { metadata: { uid: 'u-1' } },
    ];
    const filled = instantiateStep(step, context, prior);
    assert.deepEqual(filled.request.body, {
      kind: 'json',
      value: { metadata: { resourceVersion: '42', uid: 'u-1' }, generation: 3, note: 'rv=42 first ip 10.1.2.3' },
    });
  });

  it('percent-encodes step values placed in a path', () => {
    const filled = instantiateStep(putStep({ path: '/api/v1/namespaces/{{namespace}}/endpoints/{{step0.metadata.name}}' }), context, [{ metadata: { name: 'a b/c' } }]);
    assert.equal(filled.request.path, '/api/v1/namespaces/conformance/endpoints/a%20b%2Fc');
  });

  it('throws a one-line PlaceholderError for unknown placeholders, missing steps and missing values', () => {
    const unknown = putStep({ query: [['x', '{{nothing}}']] });
    assert.throws(() => instantiateStep(unknown, context, []), (error: unknown) => error instanceof PlaceholderError && !error.message.includes('\n'));
    const later = putStep({ body: { kind: 'json', value: { rv: '{{step2.metadata.resourceVersion}}' } } });
    assert.throws(() => instantiateStep(later, context, [{}]), PlaceholderError);
    const missing = putStep({ body: { kind: 'json', value: { rv: '{{step0.metadata.resourceVersion}}' } } });
    assert.throws(() => instantiateStep(missing, context, [{ metadata: {} }]), PlaceholderError);
    assert.throws(() => instantiateStep(missing, context, ['not an object']), PlaceholderError);
  });
});

/**
 * Multi-step cases on one object: a PUT step of a body, the expectation of a replace, and the
 * case around the steps (exercised fields from every JSON body sent, a stored object needed).
 */
import type { CaseStep, ConformanceCase, JsonValue, StepExpectation } from '../case.ts';
import { exercisedFields, jsonView, type EndpointsBody } from '../endpointsBody.ts';
import { queryFields, request, step } from '../requestShape.ts';

/** A PUT of `body` to the object `name`, expecting `expect`. */
export function putStep(name: string, query: Array<[string, string]>, body: EndpointsBody, expect: StepExpectation): CaseStep {
  return step(request({ name, query }, { kind: 'json', value: jsonView(body) }), expect);
}

/** A replace of the object step 0 created: 200, echoed, same identity, a new resourceVersion. */
export const replaced = (extra: Partial<StepExpectation> = {}): StepExpectation => ({
  status: [200],
  echo: true,
  replacesObject: true,
  identityOf: 0,
  resourceVersion: { ofStep: 0, relation: 'changed' },
  ...extra,
});

/** The case of `steps`, which need a target that stores objects; `query` is every query sent. */
export function scenarioCase(category: string, description: string, steps: CaseStep[], query: Array<[string, string]>): ConformanceCase {
  const fields = steps.flatMap((caseStep) => (caseStep.request.body.kind === 'json' ? exercisedFields(caseStep.request.body.value as JsonValue) : []));
  return {
    category,
    description,
    steps,
    exercises: { valid: [...new Set(['path.namespace', 'path.name', ...fields, ...queryFields(query)])], invalid: [] },
    needs: ['stored-object'],
  };
}

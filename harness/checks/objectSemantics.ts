/** Checks on what a write does to the stored object: created vs replaced, resourceVersion,
 * identity across updates, optimistic concurrency, and dryRun storing nothing. */
import { bodyObject, isJsonObject, metadataValue, shortJson } from './answerBody.ts';
import { describeAnswer, fail, isSuccess, pass } from './exchange.ts';
import type { Check, CheckVerdict, EarlierAnswer, StepExchange } from './exchange.ts';
import { firstDifference, normalisedMember } from './jsonComparison.ts';

export const createOnPut: Check = {
  name: 'create_on_put',
  description: 'a PUT that creates answers 201, a PUT that replaces answers 200',
  appliesTo: (exchange) =>
    (exchange.step.expect.createsObject === true || exchange.step.expect.replacesObject === true) &&
    exchange.response !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    if (exchange.step.expect.createsObject === true) {
      return status === 201 ? pass : fail('HTTP 201 Created (the PUT creates the object)', `HTTP ${status}`);
    }
    return status === 200 ? pass : fail('HTTP 200 OK (the PUT replaces the stored object)', `HTTP ${status}`);
  },
};

/** The earlier step's answer an expectation refers to, when it carried an object. */
function referencedObject(exchange: StepExchange, stepIndex: number): EarlierAnswer | string {
  const earlier = exchange.earlier[stepIndex];
  if (earlier === undefined) return `step ${stepIndex} did not run`;
  if (earlier.status === undefined || !isSuccess(earlier.status) || bodyObject(earlier.body) === undefined) {
    return `step ${stepIndex} returned no object (HTTP ${earlier.status ?? 'none'})`;
  }
  return earlier;
}

/** Fails unless this step answered 2xx with an object (then undefined). */
function requireObject(exchange: StepExchange, what: string): CheckVerdict | undefined {
  const status = exchange.response?.status;
  if (status !== undefined && isSuccess(status) && bodyObject(exchange.body) !== undefined) return undefined;
  return fail(what, `no object in the answer (${describeAnswer(exchange)})`);
}

export const resourceVersionSemantics: Check = {
  name: 'resource_version_semantics',
  description: 'metadata.resourceVersion changes on a real write and stays on a no-op write',
  appliesTo: (exchange) => exchange.step.expect.resourceVersion !== undefined && exchange.response !== undefined,
  judge(exchange) {
    const rule = exchange.step.expect.resourceVersion;
    if (rule === undefined) return pass;
    const wanted = `resourceVersion ${rule.relation} against step ${rule.ofStep}`;
    const missing = requireObject(exchange, wanted);
    if (missing !== undefined) return missing;
    const reference = referencedObject(exchange, rule.ofStep);
    if (typeof reference === 'string') return fail(wanted, reference);
    const before = metadataValue(reference.body, 'resourceVersion');
    const after = metadataValue(exchange.body, 'resourceVersion');
    if (typeof after !== 'string' || after === '') return fail(wanted, `resourceVersion ${shortJson(after)}`);
    const changed = before !== after;
    if (changed === (rule.relation === 'changed')) return pass;
    return fail(wanted, `step ${rule.ofStep} had ${shortJson(before)}, this answer has ${shortJson(after)}`);
  },
};

export const identityPreserved: Check = {
  name: 'identity_preserved',
  description: 'uid and creationTimestamp survive an update',
  appliesTo: (exchange) => exchange.step.expect.identityOf !== undefined && exchange.response !== undefined,
  judge(exchange) {
    const ofStep = exchange.step.expect.identityOf ?? 0;
    const wanted = `uid and creationTimestamp of step ${ofStep}`;
    const missing = requireObject(exchange, wanted);
    if (missing !== undefined) return missing;
    const reference = referencedObject(exchange, ofStep);
    if (typeof reference === 'string') return fail(wanted, reference);
    for (const key of ['uid', 'creationTimestamp']) {
      const before = metadataValue(reference.body, key);
      const after = metadataValue(exchange.body, key);
      if (before === undefined || before !== after) {
        return fail(wanted, `${key} was ${shortJson(before)}, now ${shortJson(after)}`);
      }
    }
    return pass;
  },
};

export const staleResourceVersionConflict: Check = {
  name: 'stale_resource_version_conflict',
  description: 'a write carrying a stale resourceVersion is refused with 409 Conflict',
  appliesTo: (exchange) => exchange.step.expect.staleResourceVersion === true && exchange.response !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    return status === 409 ? pass : fail('HTTP 409 Conflict (stale resourceVersion)', `HTTP ${status}`);
  },
};

/** A GET after a dryRun write: absent (404), or the stored object exactly as step N left it. */
export const dryRunPersistsNothing: Check = {
  name: 'dry_run_persists_nothing',
  description: 'a dryRun write stores nothing: a later GET finds no object, or the object unchanged',
  appliesTo: (exchange) =>
    (exchange.step.expect.absent === true || exchange.step.expect.storedEquals !== undefined) &&
    exchange.response !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    if (exchange.step.expect.absent === true) {
      return status === 404 ? pass : fail('HTTP 404: the dryRun create stored nothing', `HTTP ${status}`);
    }
    const ofStep = exchange.step.expect.storedEquals ?? 0;
    const wanted = `the stored object unchanged since step ${ofStep}`;
    const missing = requireObject(exchange, wanted);
    if (missing !== undefined) return missing;
    const reference = referencedObject(exchange, ofStep);
    if (typeof reference === 'string') return fail(wanted, reference);
    const stored = bodyObject(exchange.body) ?? {};
    const before = bodyObject(reference.body) ?? {};
    const metadataOf = (object: Record<string, unknown>): Record<string, unknown> =>
      isJsonObject(object.metadata) ? object.metadata : {};
    const comparisons: Array<[string, unknown, unknown]> = [
      ['metadata.uid', metadataOf(before).uid, metadataOf(stored).uid],
      ['metadata.resourceVersion', metadataOf(before).resourceVersion, metadataOf(stored).resourceVersion],
      ['metadata.labels', normalisedMember(metadataOf(before).labels), normalisedMember(metadataOf(stored).labels)],
      ['subsets', normalisedMember(before.subsets), normalisedMember(stored.subsets)],
    ];
    for (const [field, expected, actual] of comparisons) {
      const difference = firstDifference(expected, actual, field);
      if (difference !== undefined) return fail(wanted, difference);
    }
    return pass;
  },
};

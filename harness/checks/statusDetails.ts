/** Checks on what an error Status says: its reason and, for a 422, its causes. */
import { shortJson, statusBody } from './answerBody.ts';
import { fail, pass } from './exchange.ts';
import type { Check } from './exchange.ts';

/** Judged on error answers only: where the case allows a 2xx too (a 2xx is then judged by
 * the status checks), a reason is only asked of the error answer. */
export const statusReasonConformance: Check = {
  name: 'status_reason_conformance',
  description: 'an error Status names the reason the case expects (e.g. Invalid, BadRequest, Conflict)',
  appliesTo: (exchange) =>
    exchange.step.expect.reason !== undefined && exchange.response !== undefined && exchange.response.status >= 400,
  judge(exchange) {
    const expected = exchange.step.expect.reason ?? [];
    const status = statusBody(exchange.body);
    const wanted = `Status.reason ${expected.length === 1 ? expected[0] : `one of ${expected.join(', ')}`}`;
    if (status === undefined) return fail(wanted, `HTTP ${exchange.response?.status ?? 0} without a Status body`);
    if (typeof status.reason === 'string' && expected.includes(status.reason)) return pass;
    return fail(wanted, `Status.reason ${shortJson(status.reason)}`);
  },
};

function causeKey(field: unknown, type: unknown): string {
  return `${String(field)} ${String(type)}`;
}

/** The distinct (field, reason) pairs of details.causes must equal the expected set exactly:
 * none missing, none extra (duplicates, as Kubernetes gives for a bad IP, count once). */
export const statusCausesConformance: Check = {
  name: 'status_causes_conformance',
  description: 'a 422 names exactly the expected (field, cause type) pairs in details.causes',
  appliesTo: (exchange) => exchange.step.expect.causes !== undefined && exchange.response?.status === 422,
  judge(exchange) {
    const expected = new Set((exchange.step.expect.causes ?? []).map((cause) => causeKey(cause.field, cause.type)));
    const actual = new Set((statusBody(exchange.body)?.causes ?? []).map((cause) => causeKey(cause.field, cause.reason)));
    const missing = [...expected].filter((key) => !actual.has(key));
    const extra = [...actual].filter((key) => !expected.has(key));
    if (missing.length === 0 && extra.length === 0) return pass;
    return fail(
      `causes ${shortJson([...expected].sort())}`,
      `causes ${shortJson([...actual].sort())}${missing.length > 0 ? `; missing ${shortJson(missing)}` : ''}${extra.length > 0 ? `; unexpected ${shortJson(extra)}` : ''}`,
    );
  },
};

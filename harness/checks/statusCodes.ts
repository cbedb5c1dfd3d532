/** Checks on the HTTP status alone. */
import { fail, isSuccess, pass } from './exchange.ts';
import type { Check } from './exchange.ts';

function statusList(statuses: readonly number[]): string {
  return statuses.length === 1 ? String(statuses[0]) : `one of ${statuses.join(', ')}`;
}

export const statusCodeConformance: Check = {
  name: 'status_code_conformance',
  description: 'the status is one the case expects (computed by construction from the rules)',
  appliesTo: (exchange) => exchange.response !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    const expected = exchange.step.expect.status;
    if (expected.includes(status)) return pass;
    const why = exchange.step.expect.why === undefined ? '' : ` (${exchange.step.expect.why})`;
    return fail(`HTTP ${statusList(expected)}${why}`, `HTTP ${status}`);
  },
};

/** Judged on the contract's own operation (PUT) only: the contract documents nothing else. */
export const statusCodeDocumented: Check = {
  name: 'status_code_documented',
  description: 'the status of a PUT answer is one the contract documents',
  appliesTo: (exchange) => exchange.response !== undefined && exchange.request.method === 'PUT',
  judge(exchange, environment) {
    const status = exchange.response?.status ?? 0;
    const documented = environment.contract.documentedStatuses;
    if (documented.includes(status)) return pass;
    return fail(`a documented status (${documented.join(', ')})`, `HTTP ${status}`);
  },
};

/** An invalid input answered 2xx fails — unless the case itself names that 2xx as acceptable
 * (Kubernetes releases differ there, e.g. leading-zero IPs: `expect.why` says so). */
export const negativeDataRejection: Check = {
  name: 'negative_data_rejection',
  description: 'invalid input is never accepted (no 2xx answer the case does not allow)',
  appliesTo: (exchange) => exchange.step.expect.invalidInput === true && exchange.response !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    if (!isSuccess(status) || exchange.step.expect.status.includes(status)) return pass;
    return fail('the invalid input rejected (4xx)', `accepted with HTTP ${status}`);
  },
};

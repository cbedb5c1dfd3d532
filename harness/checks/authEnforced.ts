/** auth_enforced: missing, wrong or read-only credentials never get a write through. */
import { fail, pass } from './exchange.ts';
import type { Check } from './exchange.ts';

export const authEnforced: Check = {
  name: 'auth_enforced',
  description: 'a request without, with wrong, or with read-only credentials is refused with 401 or 403',
  appliesTo: (exchange) => exchange.step.expect.unauthorized === true && exchange.response !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    if (status === 401 || status === 403) return pass;
    return fail('HTTP 401 or 403 (credentials refused)', `HTTP ${status}`);
  },
};

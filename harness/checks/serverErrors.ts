/** not_a_server_error: no 5xx, and an answer at all (a transport failure — refused, reset,
 * timeout — is folded into this check: the server failed to answer). Where Kubernetes itself
 * answers 500 (rules note M17, `expect.upstreamServerError`) a 5xx is upstream behaviour. */
import { describeAnswer, fail, pass } from './exchange.ts';
import type { Check } from './exchange.ts';

export const notAServerError: Check = {
  name: 'not_a_server_error',
  description: 'the target answers every request, and never with a 5xx (except where Kubernetes itself does: upstream behaviour)',
  appliesTo: () => true,
  judge(exchange) {
    const response = exchange.response;
    if (response === undefined) return fail('an HTTP answer', describeAnswer(exchange));
    if (response.status < 500) return pass;
    const upstream = exchange.step.expect.upstreamServerError;
    if (upstream !== undefined) return { result: 'upstream', note: `HTTP ${response.status}: ${upstream}` };
    return fail('a status below 500', `HTTP ${response.status}`);
  },
};

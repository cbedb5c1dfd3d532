/** What two targets' answers to the same request are compared on: the HTTP status, and for an
 * error answer its Status reason and the distinct (field, cause type) pairs of details.causes.
 * Messages, resourceVersions, uids and timestamps differ between any two servers and are not
 * compared. */
import type { ParsedBody } from '../checks/exchange.ts';
import type { FiredStep } from '../run/fireCase.ts';

/** One step's answer, reduced to what is compared (plus a body excerpt to show a reader). */
export interface ComparableAnswer {
  /** Absent when the request got no answer. */
  status?: number;
  /** Status.reason of an error answer (absent on success, or when the body is no Status). */
  reason?: string;
  /** Distinct `field type` pairs of details.causes, sorted. */
  causes: string[];
  /** Why there is no answer (transport failure), when there is none. */
  noAnswer?: string;
  /** The start of the answer's body, for the side-by-side view. */
  bodyExcerpt: string;
}

export const bodyExcerptChars = 600;

function member(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function statusReason(body: ParsedBody): string | undefined {
  if (body.kind !== 'json') return undefined;
  const reason = member(body.value, 'reason');
  return typeof reason === 'string' ? reason : undefined;
}

function statusCauses(body: ParsedBody): string[] {
  if (body.kind !== 'json') return [];
  const causes = member(member(body.value, 'details'), 'causes');
  if (!Array.isArray(causes)) return [];
  const pairs = new Set(causes.map((cause) => `${String(member(cause, 'field'))} ${String(member(cause, 'reason'))}`));
  return [...pairs].sort();
}

/** The comparable part of one fired step; `undefined` (the step was never fired) is kept apart. */
export function comparableAnswer(fired: FiredStep): ComparableAnswer {
  const { exchange } = fired;
  const response = exchange.response;
  if (response === undefined) {
    const failure = exchange.failure;
    return { causes: [], noAnswer: failure === undefined ? 'no answer' : `${failure.kind}: ${failure.message}`, bodyExcerpt: '' };
  }
  const isError = response.status >= 400;
  const reason = isError ? statusReason(exchange.body) : undefined;
  return {
    status: response.status,
    ...(reason === undefined ? {} : { reason }),
    causes: isError ? statusCauses(exchange.body) : [],
    bodyExcerpt: response.bodyText.slice(0, bodyExcerptChars),
  };
}

/** One line per way the two answers differ ([] when they agree on status, reason and causes). */
export function answerDifferences(first: ComparableAnswer, second: ComparableAnswer): string[] {
  const differences: string[] = [];
  const statusOf = (answer: ComparableAnswer): string => (answer.status === undefined ? `no answer (${answer.noAnswer ?? '?'})` : String(answer.status));
  if (first.status !== second.status) differences.push(`status ${statusOf(first)} vs ${statusOf(second)}`);
  if (first.reason !== second.reason) differences.push(`reason ${first.reason ?? '(none)'} vs ${second.reason ?? '(none)'}`);
  const onlyFirst = first.causes.filter((cause) => !second.causes.includes(cause));
  const onlySecond = second.causes.filter((cause) => !first.causes.includes(cause));
  if (onlyFirst.length > 0 || onlySecond.length > 0) {
    const parts = [
      ...(onlyFirst.length > 0 ? [`only first: ${onlyFirst.join(', ')}`] : []),
      ...(onlySecond.length > 0 ? [`only second: ${onlySecond.join(', ')}`] : []),
    ];
    differences.push(`causes differ (${parts.join('; ')})`);
  }
  return differences;
}

/** One line for an answer, as shown side by side: `422 Invalid [subsets[0].addresses[0].ip FieldValueInvalid]`. */
export function answerLine(answer: ComparableAnswer | undefined): string {
  if (answer === undefined) return 'not fired (an earlier step ended the case)';
  if (answer.status === undefined) return `no answer (${answer.noAnswer ?? '?'})`;
  const causes = answer.causes.length > 0 ? ` [${answer.causes.join(', ')}]` : '';
  return `${answer.status}${answer.reason === undefined ? '' : ` ${answer.reason}`}${causes}`;
}

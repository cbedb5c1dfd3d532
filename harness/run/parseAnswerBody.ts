/** Parses an answer body once per exchange, whatever its Content-Type says (the checks judge
 * the Content-Type separately). */
import type { ParsedBody } from '../checks/exchange.ts';
import type { ReceivedResponse } from '../transport/types.ts';

const empty: ParsedBody = Object.freeze({ kind: 'empty' });

export function parseAnswerBody(response: ReceivedResponse | undefined): ParsedBody {
  if (response === undefined || response.bodyText.length === 0) return empty;
  if (response.bodyTruncated) return { kind: 'unparsable', error: 'body cut at the size cap' };
  // JSON exchanged between systems must be UTF-8 (RFC 8259 §8.1)
  if (response.bodyNotUtf8 === true) return { kind: 'unparsable', error: 'the body is not valid UTF-8' };
  try {
    return { kind: 'json', value: JSON.parse(response.bodyText) as unknown };
  } catch (error) {
    return { kind: 'unparsable', error: error instanceof Error ? error.message.split('\n')[0] : 'not JSON' };
  }
}

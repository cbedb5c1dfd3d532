/** What one request asked and what came back, condensed for a report: status, content type,
 * the first characters of the body with control characters escaped, timings. Credentials are not
 * part of it (no headers are kept); the report writers mask any secret the body may echo. */
import type { OutgoingRequest, TransportOutcome } from '../transport/types.ts';
import type { AnswerProbe } from './runResult.ts';

export const probeBodyChars = 512;

/** Printable: control characters (except tab and newline) as \xNN, so binary bodies stay one
 * readable string in JSON, XML and HTML. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export function answerProbe(request: Pick<OutgoingRequest, 'method' | 'url'>, outcome: TransportOutcome): AnswerProbe {
  const probe: AnswerProbe = { request: { method: request.method, url: request.url }, durationMs: 0 };
  if (!outcome.ok) {
    probe.failure = outcome.failure;
    probe.durationMs = Math.round(outcome.durationMs);
    return probe;
  }
  const response = outcome.response;
  probe.status = response.status;
  const contentType = headerText(response.headers['content-type']);
  if (contentType !== undefined) probe.contentType = contentType;
  probe.bodyStart = printable(response.bodyText.slice(0, probeBodyChars));
  probe.bodyChars = response.bodyText.length;
  if (response.bodyTruncated) probe.bodyCut = true;
  if (response.bodyNotUtf8 === true) probe.bodyNotUtf8 = true;
  probe.durationMs = Math.round(response.durationMs);
  return probe;
}

/** One line: `GET <url> → HTTP 502 text/html, 123 bytes: <html>…` or `→ no answer: timeout: …`. */
export function describeProbe(probe: AnswerProbe): string {
  const asked = `${probe.request.method} ${probe.request.url}`;
  if (probe.failure !== undefined) return `${asked} → no answer after ${probe.durationMs} ms: ${probe.failure.message}`;
  const type = probe.contentType === undefined ? 'no Content-Type' : probe.contentType;
  const start = (probe.bodyStart ?? '').replace(/\s+/g, ' ').trim();
  const body = start === '' ? 'empty body' : `${probe.bodyCut === true ? 'body cut at the cap' : `${probe.bodyChars ?? 0} characters`}: ${start.length > 120 ? `${start.slice(0, 119)}…` : start}`;
  return `${asked} → HTTP ${probe.status ?? '?'} (${type}) after ${probe.durationMs} ms, ${body}`;
}

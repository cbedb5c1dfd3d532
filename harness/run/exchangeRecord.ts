/** Turns fired steps into report records: credentials masked, bodies capped. */
import type { FiredStep } from './fireCase.ts';
import type { ExchangeRecord } from './runResult.ts';

export const recordedBodyChars = 4096;
const credentialHeaderNames = new Set(['authorization', 'x-auth-token', 'cookie', 'proxy-authorization']);
export const maskedValue = '***';

function capped(text: string): { text: string; cut: boolean } {
  return text.length > recordedBodyChars ? { text: text.slice(0, recordedBodyChars), cut: true } : { text, cut: false };
}

export function maskCredentialHeaders(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    masked[name] = credentialHeaderNames.has(name.toLowerCase()) ? maskedValue : value;
  }
  return masked;
}

export function exchangeRecord(fired: FiredStep): ExchangeRecord {
  const { exchange } = fired;
  const request: ExchangeRecord['request'] = {
    method: exchange.request.method,
    url: exchange.request.url,
    headers: maskCredentialHeaders(exchange.request.headers),
  };
  if (exchange.request.body !== undefined) {
    const body = capped(exchange.request.body);
    request.body = body.text;
    if (body.cut) request.bodyCut = true;
  }
  const record: ExchangeRecord = { step: exchange.stepIndex, request, credential: exchange.step.request.auth, retries429: fired.retries429 };
  if (exchange.response !== undefined) {
    const body = capped(exchange.response.bodyText);
    record.response = {
      status: exchange.response.status,
      headers: exchange.response.headers,
      body: body.text,
      bodyCut: body.cut || exchange.response.bodyTruncated,
      durationMs: Math.round(exchange.response.durationMs * 10) / 10,
    };
  }
  if (exchange.failure !== undefined) record.failure = exchange.failure;
  return record;
}

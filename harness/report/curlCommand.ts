/** A curl command line that replays one recorded request. Credentials are never written: a
 * masked header becomes a reference to an environment variable the user sets. */
import { invalidToken } from '../run/outgoingRequest.ts';
import type { ExchangeRecord } from '../run/runResult.ts';
import { maskedValue } from '../run/exchangeRecord.ts';

const tokenVariables: Record<ExchangeRecord['credential'], string | undefined> = {
  valid: '$CONFORMANCE_TOKEN',
  readonly: '$CONFORMANCE_READONLY_TOKEN',
  invalid: undefined,
  none: undefined,
};

/** Single-quoted for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function credentialValue(name: string, credential: ExchangeRecord['credential']): string {
  const token = tokenVariables[credential] ?? (credential === 'invalid' ? invalidToken : '$CONFORMANCE_TOKEN');
  const value = name.toLowerCase() === 'authorization' ? `Bearer ${token}` : token;
  // double quotes so the shell expands the variable; the value holds no other specials
  return `"${name}: ${value}"`;
}

export function curlCommand(exchange: ExchangeRecord): string {
  const parts = ['curl', '-sS', '-i', '-X', exchange.request.method];
  for (const [name, value] of Object.entries(exchange.request.headers)) {
    parts.push('-H', value === maskedValue ? credentialValue(name, exchange.credential) : shellQuote(`${name}: ${value}`));
  }
  const sent = new Set(Object.keys(exchange.request.headers).map((name) => name.toLowerCase()));
  // curl adds these on its own: an empty value stops it, so the replay sends what the run sent
  if (!sent.has('accept')) parts.push('-H', shellQuote('Accept:'));
  if (exchange.request.body !== undefined) {
    if (!sent.has('content-type')) parts.push('-H', shellQuote('Content-Type:'));
    parts.push('--data-binary', shellQuote(exchange.request.body));
  }
  parts.push(shellQuote(exchange.request.url));
  const command = parts.join(' ');
  return exchange.request.bodyCut === true ? `${command}   # the body was cut for this report` : command;
}

/**
 * Query string decoding with Go's net/url ParseQuery semantics: '&'-separated pairs, '+' is a
 * space, pairs containing ';' or a malformed %-escape are dropped, a name may repeat.
 */
import { goQuote } from './goText.ts';

export type QueryParameters = ReadonlyMap<string, readonly string[]>;

const escapeRun = /%(?![0-9a-fA-F]{2})/;

function unescape(s: string): string | null {
  if (escapeRun.test(s)) return null;
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  const bytes: number[] = [];
  for (let i = 0; i < plus.length; i++) {
    const c = plus.charCodeAt(i);
    if (c === 0x25) {
      bytes.push(parseInt(plus.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      const enc = Buffer.from(plus[i], 'utf8');
      for (const b of enc) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function parseQuery(raw: string): QueryParameters {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  for (const pair of raw.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = unescape(eq < 0 ? pair : pair.slice(0, eq));
    const v = unescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (k === null || v === null) continue;
    const list = out.get(k);
    if (list) list.push(v); else out.set(k, [v]);
  }
  return out;
}

/** The first value of `name`, or '' (Go's Convert_Slice_string_To_string). */
export function firstValue(q: QueryParameters, name: string): string {
  return q.get(name)?.[0] ?? '';
}

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** strconv.ParseInt(s, 10, 64), as Convert_Slice_string_To_int64 uses it: the value or Go's error text. */
export function goParseInt64(s: string): bigint | string {
  if (!/^[+-]?[0-9]+$/.test(s)) return `strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`;
  const n = BigInt(s);
  if (n > int64Max || n < int64Min) return `strconv.ParseInt: parsing ${goQuote(s)}: value out of range`;
  return n;
}

/** strconv.ParseBool. */
export function goParseBool(s: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return null;
}

const durationPart = /^([0-9]*(\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/;

/** time.ParseDuration's verdict: null when valid, else Go's error text. */
export function goDurationError(orig: string): string | null {
  let s = orig;
  const quoted = JSON.stringify(orig);
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return null;
  if (s === '') return `time: invalid duration ${quoted}`;
  while (s !== '') {
    const num = /^[0-9]*(\.[0-9]*)?/.exec(s)?.[0] ?? '';
    if (num === '' || num === '.') return `time: invalid duration ${quoted}`;
    const m = durationPart.exec(s);
    if (!m) {
      const rest = s.slice(num.length);
      return rest === '' || /^[0-9.]/.test(rest) ? `time: missing unit in duration ${quoted}` : `time: unknown unit ${JSON.stringify(rest.replace(/[0-9.].*$/, ''))} in duration ${quoted}`;
    }
    s = s.slice(m[0].length);
  }
  return null;
}

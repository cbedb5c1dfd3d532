/**
 * Turns whatever Node.js / undici threw while moving a request into one of the transport's
 * failure kinds and a one-line message. Pure: no I/O, cheap, never throws.
 */
import type { TransportFailureKind } from './types.ts';

export interface ClassifiedFailure {
  kind: TransportFailureKind;
  message: string;
}

/** What the transport knows about the request when it classifies a failure. */
export interface FailureContext {
  /** `host:port` the request went to. */
  origin: string;
  timeoutMs: number;
  /** True when the transport's own whole-response deadline fired. */
  deadlineFired: boolean;
}

const REFUSED = new Set(['ECONNREFUSED']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);
const TIMEOUT = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'ABORT_ERR',
]);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const PROTOCOL = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RESPONSE_EXCEEDED_MAX_SIZE',
  'UND_ERR_INFO',
  'UND_ERR_NOT_SUPPORTED',
  'HPE_INVALID_CONSTANT',
]);
/** OpenSSL certificate-verification codes that Node puts on `err.code`. */
const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
]);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

/** The most specific error code in the chain (own code, then AggregateError members, then cause). */
function findCode(error: unknown, depth = 0): string | undefined {
  const e = asErrorLike(error);
  if (!e || depth > 4) return undefined;
  if (typeof e.code === 'string' && e.code !== '') {
    // undici wraps a socket error in its own SocketError; prefer the OS code underneath.
    if (e.code === 'UND_ERR_SOCKET') return findCode(e.cause, depth + 1) ?? e.code;
    return e.code;
  }
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = findCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return findCode(e.cause, depth + 1);
}

function findMessage(error: unknown): string {
  const e = asErrorLike(error);
  if (!e) return String(error);
  let message = typeof e.message === 'string' ? e.message : '';
  if (message === '' && Array.isArray(e.errors)) {
    const first = asErrorLike(e.errors[0]);
    if (first && typeof first.message === 'string') message = first.message;
  }
  return message === '' ? String(e.name ?? 'unknown error') : message;
}

/** One line, bounded length. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function kindOf(code: string | undefined, message: string, name: unknown): TransportFailureKind {
  if (code !== undefined) {
    if (REFUSED.has(code)) return 'refused';
    if (RESET.has(code)) return 'reset';
    if (TIMEOUT.has(code)) return 'timeout';
    if (DNS.has(code)) return 'dns';
    if (TLS_CERT_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'tls';
    if (code === 'EPROTO' && /ssl|tls|certificate|handshake/i.test(message)) return 'tls';
    if (code.startsWith('HPE_') || PROTOCOL.has(code) || code === 'EPROTO') return 'protocol';
  }
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  if (name === 'HTTPParserError') return 'protocol';
  if (/certificate|ssl|tls/i.test(message)) return 'tls';
  if (/socket hang up|other side closed/i.test(message)) return 'reset';
  return 'other';
}

function describe(kind: TransportFailureKind, code: string | undefined, raw: string, ctx: FailureContext): string {
  const detail = code && !raw.includes(code) ? `${code}: ${raw}` : raw;
  switch (kind) {
    case 'refused':
      return `connection refused by ${ctx.origin}`;
    case 'reset':
      return `connection to ${ctx.origin} was closed or reset before the response was complete (${detail})`;
    case 'timeout':
      return `no complete response from ${ctx.origin} within ${ctx.timeoutMs} ms`;
    case 'dns':
      return `cannot resolve the host of ${ctx.origin} (${detail})`;
    case 'tls':
      return `TLS handshake with ${ctx.origin} failed: ${detail}`;
    case 'protocol':
      return `${ctx.origin} answered with malformed HTTP: ${detail}`;
    default:
      return `request to ${ctx.origin} failed: ${detail}`;
  }
}

/** Classifies a thrown value. The deadline wins: once our own timer fired, whatever undici
 * reports (aborted, socket destroyed) is a timeout. */
export function classifyFailure(error: unknown, ctx: FailureContext): ClassifiedFailure {
  try {
    const code = findCode(error);
    const raw = findMessage(error);
    const kind = ctx.deadlineFired ? 'timeout' : kindOf(code, raw, asErrorLike(error)?.name);
    return { kind, message: oneLine(describe(kind, code, raw, ctx)) };
  } catch {
    return { kind: 'other', message: `request to ${ctx.origin} failed` };
  }
}

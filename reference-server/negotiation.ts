/**
 * Content negotiation as the apiserver does it: the Accept header picks the output (R5, 406),
 * the Content-Type header picks the decoder (R15-R17, 415), pretty printing (R14).
 */
import { boundedMemo } from './boundedMemo.ts';
import { goParseBool, type QueryParameters } from './queryParameters.ts';

export type OutputFormat = 'json' | 'yaml';

export interface OutputChoice { format: OutputFormat; prettyParam: boolean }

/**
 * Negotiates the response format from Accept. Media types are matched case-sensitively; clauses
 * with q=0 are skipped; Table/PartialObjectMetadata (`as=`) clauses are answered with the plain
 * object. Protobuf is listed as accepted by Kubernetes but this server cannot write it, so a
 * protobuf-only Accept gets 406. Returns null for 406.
 */
export function negotiateOutput(accept: string | undefined): OutputChoice | null {
  return accept === undefined ? defaultOutput : negotiateAcceptOnce(accept);
}

const defaultOutput: OutputChoice = Object.freeze({ format: 'json', prettyParam: false });
/** How many distinct Accept or Content-Type values are remembered. */
const maxCachedHeaderValues = 256;
// A client sends the same few Accept values over and over: each is negotiated once.
const negotiateAcceptOnce = boundedMemo(maxCachedHeaderValues, negotiateAccept);

function negotiateAccept(accept: string): OutputChoice | null {
  if (accept.trim() === '') return defaultOutput;
  const clauses: Array<{ type: string; q: number; pretty: boolean; order: number }> = [];
  accept.split(',').forEach((raw, order) => {
    const parts = raw.split(';').map((p) => p.trim());
    const type = parts[0];
    let q = 1;
    let pretty = false;
    for (const p of parts.slice(1)) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim();
      const v = p.slice(eq + 1).trim();
      if (k === 'q') { const n = Number(v); q = Number.isFinite(n) ? n : 1; }
      if (k === 'pretty') pretty = v === '1' || v === 'true';
    }
    if (type && q > 0) clauses.push({ type, q, pretty, order });
  });
  clauses.sort((a, b) => b.q - a.q || a.order - b.order);
  for (const c of clauses) {
    if (c.type === 'application/json' || c.type === '*/*' || c.type === 'application/*') return Object.freeze({ format: 'json', prettyParam: c.pretty });
    if (c.type === 'application/yaml') return Object.freeze({ format: 'yaml', prettyParam: c.pretty });
  }
  return null;
}

/** isPrettyPrint: ?pretty=<bool> wins when non-empty; else curl/Wget/Mozilla user agents. */
export function wantsPretty(q: QueryParameters, rawQuery: string, userAgent: string, choice: OutputChoice | null): boolean {
  if (choice?.prettyParam) return true;
  if (rawQuery.includes('pretty')) {
    const pp = q.get('pretty')?.[0] ?? '';
    if (pp.length > 0) return goParseBool(pp) ?? false;
  }
  return userAgent.startsWith('curl') || userAgent.startsWith('Wget') || userAgent.startsWith('Mozilla/5.0');
}

export type InputFormat = 'json' | 'yaml' | 'protobuf';

const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const mediaTypeRe = new RegExp(`^(${token})(?:/(${token}))?$`);
const paramRe = new RegExp(`^\\s*(${token})\\s*=\\s*(?:${token}|"(?:[^"\\\\]|\\\\.)*")\\s*$`);

/** mime.ParseMediaType + SerializerInfoForMediaType; null = 415. Missing → JSON. */
export function negotiateInput(contentType: string | undefined): InputFormat | null {
  return contentType === undefined || contentType === '' ? 'json' : parseContentTypeOnce(contentType);
}

const parseContentTypeOnce = boundedMemo(maxCachedHeaderValues, parseContentType);

function parseContentType(contentType: string): InputFormat | null {
  const [base, ...params] = contentType.split(';');
  const mediaType = base.trim().toLowerCase();
  if (!mediaTypeRe.test(mediaType)) return null;
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p.trim() === '' && i === params.length - 1) break;
    if (!paramRe.test(p)) return null;
  }
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/yaml') return 'yaml';
  if (mediaType === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  return null;
}

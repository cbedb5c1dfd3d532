/**
 * List continue tokens in Kubernetes' own format (k8s.io/apiserver/pkg/storage/continue.go):
 * base64.RawURLEncoding of the JSON `{"v":"meta.k8s.io/v1","rv":<int64>,"start":"<key>"}`, where
 * `start` is the storage key to resume from, relative to the list's key prefix (for a namespaced
 * list the object name, for the cluster-wide list `<namespace>/<name>`), followed by "\x00" so the
 * next page starts right after the last key returned. Decoding follows DecodeContinue step by step,
 * with Go's error texts (the list handler answers them as `400 invalid continue token: <error>`).
 */
import { goJson } from './endpointsSerialization.ts';
import { isObject, jsonKind } from './decodeEndpoints.ts';
import { JsonNumber, JsonSyntaxError, scanJson, type JsonTree } from './jsonScanner.ts';
import { goParseInt64 } from './queryParameters.ts';

const genericInvalid = 'continue key is not valid';

/** EncodeContinue(key, keyPrefix, rv) with the key already relative to the prefix. */
export function encodeContinue(relativeStartKey: string, resourceVersion: bigint | number): string {
  // json.Marshal of the token struct: fields in declaration order, Go's HTML-safe escaping.
  const start = goJson(relativeStartKey, false).slice(0, -1);
  const json = `{"v":"meta.k8s.io/v1","rv":${String(resourceVersion)},"start":${start}}`;
  return Buffer.from(json, 'utf8').toString('base64url');
}

export type DecodedContinue = { ok: true; startKey: string; resourceVersion: bigint } | { ok: false; error: string };

const base64UrlValue = new Int8Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => { base64UrlValue[c.charCodeAt(0)] = i; });

/**
 * base64.RawURLEncoding.DecodeString: the bytes, or Go's CorruptInputError offset. Mirrors
 * decodeQuantum: '\r' and '\n' are skipped, any other byte outside the URL alphabet (padding
 * included: Raw encodings have none) is an error at its offset, and a lone trailing character is
 * an error at `len(src) - 1`. Trailing bits are not checked (the encoding is not Strict).
 */
export function decodeRawUrlBase64(text: string): Buffer | { corruptAt: number } {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const quantum: number[] = [];
    while (quantum.length < 4) {
      if (si === src.length) {
        if (quantum.length === 0) return Buffer.from(out);
        if (quantum.length === 1) return { corruptAt: si - 1 };
        break;
      }
      const byte = src[si];
      si += 1;
      const value = base64UrlValue[byte];
      if (value >= 0) { quantum.push(value); continue; }
      if (byte === 0x0a || byte === 0x0d) continue;
      return { corruptAt: si - 1 };
    }
    const [a, b, c = 0, d = 0] = quantum;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    out.push((bits >> 16) & 0xff);
    if (quantum.length > 2) out.push((bits >> 8) & 0xff);
    if (quantum.length > 3) out.push(bits & 0xff);
  }
  return Buffer.from(out);
}

/** path.Clean(key) === key, for a key that starts with "/". */
function isCleanRootedPath(key: string): boolean {
  if (key === '/') return true;
  if (key.endsWith('/')) return false;
  return key.slice(1).split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const unmarshalTarget = 'Go struct field continueToken';

/**
 * json.Unmarshal(data, &continueToken{}) with encoding/json's rules: keys matched
 * case-insensitively, the last occurrence wins, unknown keys ignored, null leaves the zero value,
 * the first type mismatch reported (after the rest was decoded).
 */
function unmarshalToken(data: Buffer): { v: string; rv: bigint; start: string } | string {
  let tree: JsonTree;
  try {
    tree = scanJson(data.toString('utf8')).value;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e.message;
    throw e;
  }
  const token = { v: '', rv: 0n, start: '' };
  if (tree === null) return token;
  if (!isObject(tree)) return `json: cannot unmarshal ${jsonKind(tree)} into Go value of type storage.continueToken`;
  let typeError: string | undefined;
  for (const key of Object.keys(tree)) {
    const field = key.toLowerCase();
    if (field !== 'v' && field !== 'rv' && field !== 'start') continue;
    const value = tree[key];
    if (value === null) continue;
    if (field === 'rv') {
      if (!(value instanceof JsonNumber) && typeof value !== 'number') {
        typeError ??= `json: cannot unmarshal ${jsonKind(value)} into ${unmarshalTarget}.rv of type int64`;
        continue;
      }
      const literal = typeof value === 'number' ? String(value) : value.text;
      const n = goParseInt64(literal);
      if (typeof n === 'string') {
        typeError ??= `json: cannot unmarshal number ${literal} into ${unmarshalTarget}.rv of type int64`;
        continue;
      }
      token.rv = n;
    } else if (typeof value !== 'string') {
      typeError ??= `json: cannot unmarshal ${jsonKind(value)} into ${unmarshalTarget}.${field} of type string`;
    } else {
      token[field] = value;
    }
  }
  return typeError ?? token;
}

/**
 * DecodeContinue: the start key (relative to the list's key prefix, as `keyPrefix + cleaned[1:]`
 * would leave it) and the token's resourceVersion, or the error text.
 */
export function decodeContinue(continueValue: string): DecodedContinue {
  const data = decodeRawUrlBase64(continueValue);
  if (!Buffer.isBuffer(data)) return { ok: false, error: `${genericInvalid}: illegal base64 data at input byte ${data.corruptAt}` };
  const token = unmarshalToken(data);
  if (typeof token === 'string') return { ok: false, error: `${genericInvalid}: ${token}` };
  if (token.v !== 'meta.k8s.io/v1') {
    return { ok: false, error: `${genericInvalid}: server does not recognize this encoded version ${token.v}` };
  }
  if (token.rv === 0n) {
    return { ok: false, error: `${genericInvalid}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)` };
  }
  if (token.start.length === 0) {
    return { ok: false, error: `${genericInvalid}: encoded start key empty (version meta.k8s.io/v1)` };
  }
  // Defends against path traversal: the start key may not climb above the list's prefix.
  const key = token.start.startsWith('/') ? token.start : `/${token.start}`;
  if (!isCleanRootedPath(key)) return { ok: false, error: `${genericInvalid}: ${token.start}` };
  return { ok: true, startKey: key.slice(1), resourceVersion: token.rv };
}

/**
 * A JSON parser shaped like Go's encoding/json scanner: syntax errors worded as Go words them,
 * number literals kept as text (so `80.0` or `1e2` can be refused for an int32 field), objects
 * with a null prototype (so `__proto__` is an ordinary key), duplicate keys recorded with their
 * path (last value wins, like Go), lone surrogate escapes replaced by U+FFFD. Iterative, so deep
 * nesting cannot overflow the stack; depth is capped at Go's 10000.
 */

export class JsonNumber {
  constructor(readonly text: string) {}
}
export type JsonObject = { [key: string]: JsonTree };
/** Numbers are JsonNumber (literal kept) from scanJson; plain integers from the fast path. */
export type JsonTree = null | boolean | string | number | JsonNumber | JsonTree[] | JsonObject;

export class JsonSyntaxError extends Error {}

export interface ScanResult {
  value: JsonTree;
  /** Paths of keys that appeared more than once in one object, e.g. `metadata.name`. */
  duplicates: string[];
}

const maxDepth = 10000;

/** Go's quoteChar for the byte at the start of `ch` (non-ASCII: its first UTF-8 byte). */
function quoteChar(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  let c = ch.charCodeAt(0);
  if (c >= 0x80) c = Buffer.from(ch, 'utf8')[0];
  if (c === 0x5c) return "'\\\\'";
  if (c < 0x20 || c === 0x7f) {
    const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
    return `'${named[c] ?? '\\x' + c.toString(16).padStart(2, '0')}'`;
  }
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16)}'`;
  if (c === 0xad) return "'\\u00ad'";
  return `'${String.fromCharCode(c)}'`;
}

function fail(s: string, pos: number, context: string): never {
  if (pos >= s.length) throw new JsonSyntaxError('unexpected end of JSON input');
  throw new JsonSyntaxError(`invalid character ${quoteChar(String.fromCodePoint(s.codePointAt(pos) as number))} ${context}`);
}

const plainRun = /[^"\\\x00-\x1f]*/y;
const hex4 = /^[0-9a-fA-F]{4}$/;

function parseString(s: string, start: number): [string, number] {
  // s[start] === '"'
  let pos = start + 1;
  let out = '';
  for (;;) {
    plainRun.lastIndex = pos;
    plainRun.test(s);
    const runEnd = plainRun.lastIndex;
    if (runEnd > pos) out += s.slice(pos, runEnd);
    pos = runEnd;
    if (pos >= s.length) fail(s, pos, '');
    const c = s[pos];
    if (c === '"') return [out, pos + 1];
    if (c !== '\\') fail(s, pos, 'in string literal');
    pos++;
    if (pos >= s.length) fail(s, pos, '');
    const e = s[pos];
    switch (e) {
      case '"': out += '"'; pos++; continue;
      case '\\': out += '\\'; pos++; continue;
      case '/': out += '/'; pos++; continue;
      case 'b': out += '\b'; pos++; continue;
      case 'f': out += '\f'; pos++; continue;
      case 'n': out += '\n'; pos++; continue;
      case 'r': out += '\r'; pos++; continue;
      case 't': out += '\t'; pos++; continue;
      case 'u': {
        for (let k = 1; k <= 4; k++) {
          const h = s[pos + k];
          if (h === undefined) fail(s, pos + k, '');
          if (!/[0-9a-fA-F]/.test(h)) fail(s, pos + k, 'in \\u hexadecimal character escape');
        }
        let cu = parseInt(s.slice(pos + 1, pos + 5), 16);
        pos += 5;
        if (cu >= 0xd800 && cu <= 0xdbff) {
          const next = s.slice(pos, pos + 6);
          if (next.length === 6 && next[0] === '\\' && next[1] === 'u' && hex4.test(next.slice(2))) {
            const lo = parseInt(next.slice(2), 16);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              out += String.fromCharCode(cu, lo);
              pos += 6;
              continue;
            }
          }
          cu = 0xfffd;
        } else if (cu >= 0xdc00 && cu <= 0xdfff) {
          cu = 0xfffd;
        }
        out += String.fromCharCode(cu);
        continue;
      }
      default:
        fail(s, pos, 'in string escape code');
    }
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function parseNumber(s: string, start: number): [JsonNumber, number] {
  let pos = start;
  if (s[pos] === '-') {
    pos++;
    if (!isDigit(s[pos])) fail(s, pos, 'in numeric literal');
  }
  if (s[pos] === '0') pos++;
  else while (isDigit(s[pos])) pos++;
  if (s[pos] === '.') {
    pos++;
    if (!isDigit(s[pos])) fail(s, pos, 'after decimal point in numeric literal');
    while (isDigit(s[pos])) pos++;
  }
  if (s[pos] === 'e' || s[pos] === 'E') {
    pos++;
    if (s[pos] === '+' || s[pos] === '-') pos++;
    if (!isDigit(s[pos])) fail(s, pos, 'in exponent of numeric literal');
    while (isDigit(s[pos])) pos++;
  }
  return [new JsonNumber(s.slice(start, pos)), pos];
}

function parseLiteral(s: string, pos: number, word: string): number {
  for (let k = 1; k < word.length; k++) {
    if (pos + k >= s.length) fail(s, pos + k, '');
    if (s[pos + k] !== word[k]) fail(s, pos + k, `in literal ${word} (expecting '${word[k]}')`);
  }
  return pos + word.length;
}

function skipSpace(s: string, pos: number): number {
  for (;;) {
    const c = s.charCodeAt(pos);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return pos;
  }
}

interface ObjectFrame { obj: JsonObject; key: string }
interface ArrayFrame { arr: JsonTree[] }
type Frame = ObjectFrame | ArrayFrame;

function framePath(stack: Frame[], extraKey: string): string {
  let path = '';
  for (const f of stack) {
    if ('arr' in f) path += `[${f.arr.length}]`;
    else path += path ? `.${f.key}` : f.key;
  }
  // The innermost frame is the object holding the duplicate: its `key` is the duplicate key.
  return path || extraKey;
}

/** Parses one JSON document (Go semantics), throwing JsonSyntaxError with Go's wording. */
export function scanJson(s: string): ScanResult {
  const duplicates: string[] = [];
  const stack: Frame[] = [];
  let pos = skipSpace(s, 0);
  let value: JsonTree = null;

  // Each iteration parses one value start; containers push a frame and continue.
  for (;;) {
    // --- parse a value beginning at pos ---
    const c = s[pos];
    let produced = true;
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) fail(s, pos, 'exceeded max depth');
      pos = skipSpace(s, pos + 1);
      if (c === '{') {
        const obj: JsonObject = Object.create(null) as JsonObject;
        if (s[pos] === '}') { value = obj; pos++; }
        else {
          if (s[pos] !== '"') fail(s, pos, 'looking for beginning of object key string');
          const [key, end] = parseString(s, pos);
          pos = skipSpace(s, end);
          if (s[pos] !== ':') fail(s, pos, 'after object key');
          pos = skipSpace(s, pos + 1);
          stack.push({ obj, key });
          produced = false;
        }
      } else {
        const arr: JsonTree[] = [];
        if (s[pos] === ']') { value = arr; pos++; }
        else { stack.push({ arr }); produced = false; }
      }
    } else if (c === '"') {
      [value, pos] = parseString(s, pos);
    } else if (c === '-' || isDigit(c)) {
      [value, pos] = parseNumber(s, pos);
    } else if (c === 't') { pos = parseLiteral(s, pos, 'true'); value = true; }
    else if (c === 'f') { pos = parseLiteral(s, pos, 'false'); value = false; }
    else if (c === 'n') { pos = parseLiteral(s, pos, 'null'); value = null; }
    else fail(s, pos, 'looking for beginning of value');

    if (!produced) continue;

    // --- attach the produced value to its parents, closing containers as they end ---
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        pos = skipSpace(s, pos);
        if (pos < s.length) fail(s, pos, 'after top-level value');
        return { value: value, duplicates };
      }
      pos = skipSpace(s, pos);
      if ('arr' in top) {
        top.arr.push(value);
        if (s[pos] === ',') { pos = skipSpace(s, pos + 1); break; }
        if (s[pos] === ']') { stack.pop(); value = top.arr; pos++; continue; }
        fail(s, pos, 'after array element');
      } else {
        if (Object.prototype.hasOwnProperty.call(top.obj, top.key)) duplicates.push(framePath(stack, top.key));
        top.obj[top.key] = value;
        if (s[pos] === ',') {
          pos = skipSpace(s, pos + 1);
          if (s[pos] !== '"') fail(s, pos, 'looking for beginning of object key string');
          const [key, end] = parseString(s, pos);
          pos = skipSpace(s, end);
          if (s[pos] !== ':') fail(s, pos, 'after object key');
          pos = skipSpace(s, pos + 1);
          top.key = key;
          break;
        }
        if (s[pos] === '}') { stack.pop(); value = top.obj; pos++; continue; }
        fail(s, pos, 'after object key:value pair');
      }
    }
  }
}

/** A number literal with a fraction or exponent (outside strings, as far as a cheap test can tell). */
const nonIntegerNumber = /[:[,]\s*-?\d+(?:\.|[eE])/;
/** \uD800-\uDFFF escapes: Go replaces lone surrogates, JSON.parse keeps them. */
const surrogateEscape = /\\u[dD][89a-fA-F]/;

function countKeys(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += countKeys(x);
    return n;
  }
  for (const k in v as Record<string, unknown>) n += 1 + countKeys((v as Record<string, unknown>)[k]);
  return n;
}

const keyMarker = /"[ \t\r\n]*:/g;

/**
 * Every object key in valid JSON is a closing quote followed (after whitespace) by a colon; the
 * only other matches are escaped quotes inside strings, which can only make the count larger.
 */
function countKeyMarkers(s: string): number {
  return s.match(keyMarker)?.length ?? 0;
}

/**
 * The fast path: JSON.parse (native) when its result is provably what scanJson would give — valid
 * JSON, every number an integer literal of at most 15 digits, no surrogate escapes, and no
 * duplicate keys (the number of key markers in the text equals the number of keys parsed: a
 * duplicate makes the parsed count smaller, an escaped quote before a colon makes the marker count
 * larger, so equality proves neither happened). Returns null when the careful scanner must run.
 */
export function fastScanJson(s: string): ScanResult | null {
  if (nonIntegerNumber.test(s) || surrogateEscape.test(s)) return null;
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch {
    return null;
  }
  if (countKeys(value) !== countKeyMarkers(s)) return null;
  if (!integersAreSafe(value)) return null;
  return { value: value as JsonTree, duplicates: [] };
}

function integersAreSafe(v: unknown): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && Math.abs(v) < 1e15;
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) return v.every(integersAreSafe);
  for (const k in v as Record<string, unknown>) if (!integersAreSafe((v as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * Go text conventions the apiserver's messages use: strconv.Quote (%q), unicode.IsPrint,
 * and the rendering of a field error's bad value (field.Error.ErrorBody).
 */

const printableRune = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint for one code point (ASCII space counts as printable). */
export function isPrintableRune(ch: string): boolean {
  return printableRune.test(ch);
}

const needsQuoting = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

/** Go's strconv.Quote: the Go-syntax double-quoted form of s. */
export function goQuote(s: string): string {
  if (!needsQuoting.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) { out += '\\ufffd'; continue; }
    if (cp < 0x20 || cp === 0x7f) { out += '\\x' + cp.toString(16).padStart(2, '0'); continue; }
    if (cp < 0x80 || isPrintableRune(ch)) { out += ch; continue; }
    out += cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/** Go's `%#U` for a rune: U+0009 (non-printable) or U+0041 'A'. */
export function goRuneName(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrintableRune(ch) ? `${hex} '${ch}'` : hex;
}

/** A value carried by a field error, tagged with the Go type it has there. */
export type BadValue =
  | { go: 'string'; value: string }
  | { go: 'int'; value: number | bigint }
  | { go: 'bool'; value: boolean }
  | { go: 'stringList'; value: readonly string[] }
  /** A struct or list of structs: rendered as JSON (≥1.34) or Go syntax (≤1.33). */
  | { go: 'struct'; value: unknown; goSyntax: string }
  | { go: 'null' }
  | { go: 'omit' };

/** How the bad value is rendered after the error type (≥1.34 renders composites as JSON). */
export function renderBadValue(v: BadValue, jsonRendering: boolean): string {
  switch (v.go) {
    case 'string': return goQuote(v.value);
    case 'int': return String(v.value);
    case 'bool': return String(v.value);
    case 'null': return 'null';
    case 'omit': return '';
    case 'stringList':
      return jsonRendering
        ? JSON.stringify(v.value)
        : `[]string{${v.value.map(goQuote).join(', ')}}`;
    case 'struct':
      return jsonRendering ? JSON.stringify(v.value) : v.goSyntax;
  }
}

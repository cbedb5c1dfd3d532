/**
 * k8s.io/apimachinery/pkg/util/validation name rules: each returns the list of messages
 * (empty when valid), exactly as the Go functions word them. Lengths are in bytes, like Go's len().
 */

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** What a rule returns for a valid value (shared; callers only read it). */
const noErrors: readonly string[] = Object.freeze([]);

function isLowerAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
}

/**
 * The valid common case of each rule, decided by one pass over the characters (ASCII only, so
 * length is the byte length); anything it does not accept goes through the regexes for the exact
 * messages.
 */
function plainDNS1123Label(v: string): boolean {
  const n = v.length;
  if (n === 0 || n > 63 || !isLowerAlnum(v.charCodeAt(0)) || !isLowerAlnum(v.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = v.charCodeAt(i);
    if (!isLowerAlnum(c) && c !== 0x2d) return false;
  }
  return true;
}

/** [a-z0-9]([-a-z0-9]*[a-z0-9])? labels joined by dots, at most 253 characters. */
function plainDNS1123Subdomain(v: string, from: number, to: number): boolean {
  const n = to - from;
  if (n === 0 || n > 253 || !isLowerAlnum(v.charCodeAt(from)) || !isLowerAlnum(v.charCodeAt(to - 1))) return false;
  for (let i = from + 1; i < to - 1; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x2e) {
      if (!isLowerAlnum(v.charCodeAt(i - 1)) || !isLowerAlnum(v.charCodeAt(i + 1))) return false;
    } else if (!isLowerAlnum(c) && c !== 0x2d) {
      return false;
    }
  }
  return true;
}

/** ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9], 1 to 63 characters. */
function plainQualifiedNamePart(v: string, from: number): boolean {
  const n = v.length - from;
  if (n === 0 || n > 63 || !isAlnum(v.charCodeAt(from)) || !isAlnum(v.charCodeAt(v.length - 1))) return false;
  for (let i = from + 1; i < v.length - 1; i++) {
    const c = v.charCodeAt(i);
    if (!isAlnum(c) && c !== 0x2d && c !== 0x5f && c !== 0x2e) return false;
  }
  return true;
}

function plainQualifiedName(v: string): boolean {
  const slash = v.indexOf('/');
  if (slash < 0) return plainQualifiedNamePart(v, 0);
  return v.indexOf('/', slash + 1) < 0 && plainDNS1123Subdomain(v, 0, slash) && plainQualifiedNamePart(v, slash + 1);
}

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = msg + ' (e.g. ';
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return out + `regex used for validation is '${fmt}')`;
}

const dns1123LabelMsg = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  dns1123LabelFmt, 'my-name', '123-abc');
const dns1123SubdomainMsg = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  dns1123SubdomainFmt, 'example.com');
const qualifiedNameMsg = regexError(
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  qualifiedNameFmt, 'MyName', 'my.name', '123-abc');
const labelValueMsg = regexError(
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  labelValueFmt, 'MyValue', 'my_value', '12345');

/** IsDNS1123Label. */
export function isDNS1123Label(value: string): readonly string[] {
  if (plainDNS1123Label(value)) return noErrors;
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    errs.push(dns1123SubdomainRe.test(value) ? 'must not contain dots' : dns1123LabelMsg);
  }
  return errs;
}

/** IsDNS1123Subdomain. */
export function isDNS1123Subdomain(value: string): readonly string[] {
  if (plainDNS1123Subdomain(value, 0, value.length)) return noErrors;
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) errs.push(dns1123SubdomainMsg);
  return errs;
}

/** NameIsDNSSubdomain(name, prefix): with prefix, a trailing '-' is masked (generateName). */
export function nameIsDNSSubdomain(name: string, prefix: boolean): readonly string[] {
  // maskTrailingDash really drops two characters: name[:len(name)-2] + "a".
  if (prefix && name.length > 1 && name.endsWith('-')) name = name.slice(0, -2) + 'a';
  return isDNS1123Subdomain(name);
}

/** IsQualifiedName: optional DNS-subdomain prefix and '/', then a name part of ≤63. */
export function isQualifiedName(value: string): readonly string[] {
  if (plainQualifiedName(value)) return noErrors;
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    errs.push('a qualified name ' + qualifiedNameMsg + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push('name part ' + maxLenError(63));
  if (!qualifiedNameRe.test(name)) errs.push('name part ' + qualifiedNameMsg);
  return errs;
}

/** IsValidLabelValue. */
export function isValidLabelValue(value: string): readonly string[] {
  if (value === '' || plainQualifiedNamePart(value, 0)) return noErrors;
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) errs.push(labelValueMsg);
  return errs;
}

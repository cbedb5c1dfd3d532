/**
 * Arbitraries for Kubernetes name formats (rules note S13, S15, S23, S25, M7, M9), valid by
 * construction, and invalid ones that each break the format in one named way.
 *   DNS-1123 label      [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63
 *   DNS-1123 subdomain  labels joined by '.', at most 253
 *   qualified name      [prefix '/'] name; name ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] at most 63,
 *                       prefix a DNS-1123 subdomain
 *   label value         '' or a qualified-name name part
 */
import fc from 'fast-check';
import { alphabetString } from './alphabetString.ts';

const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const mixedAlnum = lowerAlnum + upper;

const lowerAlnumChar = fc.constantFrom(...lowerAlnum);
const labelInnerAlphabet = lowerAlnum + '-';
const mixedAlnumChar = fc.constantFrom(...mixedAlnum);
const namePartInnerAlphabet = mixedAlnum + '-_.';

/** Words that make names read like real ones, mixed with random labels. */
const commonLabels = ['http', 'https', 'grpc', 'metrics', 'dns', 'dns-tcp', 'web', 'api', 'node-1', 'a', 'p8080', 'x1'];

/** A DNS-1123 label of at most `maxLength` (≤ 63) characters. */
export function dnsLabel(maxLength = 63): fc.Arbitrary<string> {
  const random = fc
    .tuple(lowerAlnumChar, alphabetString(labelInnerAlphabet, { maxLength: Math.max(0, maxLength - 2) }), lowerAlnumChar, fc.boolean())
    .map(([first, inner, last, single]) => (single ? first : first + inner + last));
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...commonLabels.filter((word) => word.length <= maxLength)) }, { weight: 3, arbitrary: random });
}

/** A DNS-1123 subdomain of at most `maxLength` (≤ 253) characters. */
export function dnsSubdomain(maxLength = 253): fc.Arbitrary<string> {
  return fc
    .array(dnsLabel(Math.min(63, maxLength)), { minLength: 1, maxLength: 4 })
    .map((labels) => {
      const kept: string[] = [];
      let length = -1;
      for (const label of labels) {
        if (length + 1 + label.length > maxLength) break;
        kept.push(label);
        length += 1 + label.length;
      }
      return kept.length > 0 ? kept.join('.') : labels[0].slice(0, Math.min(1, maxLength));
    });
}

/** The name part of a qualified name (also a non-empty label value): at most 63. */
export function qualifiedNamePart(maxLength = 63): fc.Arbitrary<string> {
  return fc
    .tuple(mixedAlnumChar, alphabetString(namePartInnerAlphabet, { maxLength: Math.max(0, maxLength - 2) }), mixedAlnumChar, fc.boolean())
    .map(([first, inner, last, single]) => (single ? first : first + inner + last));
}

/** A qualified name (label key, annotation key, appProtocol), optionally prefixed. */
export function qualifiedName(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.option(dnsSubdomain(60), { nil: undefined }), qualifiedNamePart(40))
    .map(([prefix, name]) => (prefix === undefined ? name : `${prefix}/${name}`));
}

/** A label value: '' or a name part of at most 63. */
export function labelValue(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 6, arbitrary: qualifiedNamePart(63) });
}

/** An invalid value together with a short description of what is wrong with it. */
export interface InvalidValue {
  value: string;
  flaw: string;
}

export function insertAt(text: string, position: number, inserted: string): string {
  const at = position % (text.length + 1);
  return text.slice(0, at) + inserted + text.slice(at);
}

/** Characters no DNS name or qualified name may contain. */
const foreignChars = [' ', '@', '#', ':', ';', ',', '*', '+', '=', '!', '?', '~', '$', '&', '(', '"', "'", '\\', 'é', 'ß', '名', '\t'];

/** A DNS-1123 label that is not one: uppercase, foreign character, dot, underscore,
 * leading/trailing '-', or too long. Never empty (empty is context-dependent). */
export function invalidDnsLabel(): fc.Arbitrary<InvalidValue> {
  return fc.oneof(
    fc.tuple(dnsLabel(60), fc.constantFrom(...upper), fc.nat()).map(([label, letter, at]) => ({ value: insertAt(label, at, letter), flaw: 'uppercase letter' })),
    fc.tuple(dnsLabel(60), fc.constantFrom('_', '.', '/', ...foreignChars), fc.nat()).map(([label, bad, at]) => ({ value: insertAt(label, at, bad), flaw: `contains ${JSON.stringify(bad)}` })),
    dnsLabel(60).map((label) => ({ value: `-${label}`, flaw: "starts with '-'" })),
    dnsLabel(60).map((label) => ({ value: `${label}-`, flaw: "ends with '-'" })),
    fc.tuple(dnsLabel(2), dnsLabel(2)).map(([a, b]) => ({ value: `${a}.${b}`, flaw: 'contains a dot (subdomain, not label)' })),
    fc.tuple(fc.integer({ min: 64, max: 100 }), lowerAlnumChar, dnsLabel()).map(([length, pad, label]) => ({ value: (label + pad.repeat(length)).slice(0, length), flaw: `${length} characters (over 63)` })),
  );
}

/** A DNS-1123 subdomain that is not one (never empty). */
export function invalidDnsSubdomain(): fc.Arbitrary<InvalidValue> {
  return fc.oneof(
    fc.tuple(dnsSubdomain(200), fc.constantFrom(...upper), fc.nat()).map(([name, letter, at]) => ({ value: insertAt(name, at, letter), flaw: 'uppercase letter' })),
    fc.tuple(dnsSubdomain(200), fc.constantFrom('_', '/', ...foreignChars), fc.nat()).map(([name, bad, at]) => ({ value: insertAt(name, at, bad), flaw: `contains ${JSON.stringify(bad)}` })),
    fc.tuple(dnsSubdomain(200), fc.constantFrom('-', '.')).map(([name, edge]) => ({ value: `${edge}${name}`, flaw: `starts with '${edge}'` })),
    fc.tuple(dnsSubdomain(200), fc.constantFrom('-', '.')).map(([name, edge]) => ({ value: `${name}${edge}`, flaw: `ends with '${edge}'` })),
    fc.tuple(dnsLabel(20), dnsLabel(20)).map(([a, b]) => ({ value: `${a}..${b}`, flaw: 'empty label (..)' })),
    fc.tuple(dnsLabel(20), dnsLabel(20)).map(([a, b]) => ({ value: `${a}.-${b}`, flaw: "label starts with '-'" })),
    fc.tuple(fc.integer({ min: 254, max: 300 }), dnsLabel(60)).map(([length, label]) => ({ value: longSubdomain(length, label), flaw: `${length} characters (over 253)` })),
  );
}

/** A syntactically valid subdomain of exactly `length` characters (> 253 makes it invalid). */
export function longSubdomain(length: number, label: string): string {
  let name = label;
  while (name.length < length) name += `.${label}`;
  name = name.slice(0, length);
  // never end with '.' or '-': the only flaw must be the length
  return name.replace(/[.-]+$/, (tail) => 'a'.repeat(tail.length));
}

/** A qualified name (label/annotation key, appProtocol, finalizer) that is not one. */
export function invalidQualifiedName(): fc.Arbitrary<InvalidValue> {
  return fc.oneof(
    fc.tuple(qualifiedNamePart(40), fc.constantFrom('-', '_', '.')).map(([name, edge]) => ({ value: `${edge}${name}`, flaw: `name starts with '${edge}'` })),
    fc.tuple(qualifiedNamePart(40), fc.constantFrom('-', '_', '.')).map(([name, edge]) => ({ value: `${name}${edge}`, flaw: `name ends with '${edge}'` })),
    fc.tuple(qualifiedNamePart(40), fc.constantFrom(...foreignChars), fc.nat()).map(([name, bad, at]) => ({ value: insertAt(name, at, bad), flaw: `contains ${JSON.stringify(bad)}` })),
    fc.tuple(fc.integer({ min: 64, max: 90 }), qualifiedNamePart(10)).map(([length, name]) => ({ value: (name + 'x'.repeat(length)).slice(0, length - 1) + 'z', flaw: `name part of ${length} characters (over 63)` })),
    fc.tuple(dnsSubdomain(40), fc.constantFrom(...upper), qualifiedNamePart(20)).map(([prefix, letter, name]) => ({ value: `${letter}${prefix}/${name}`, flaw: 'uppercase letter in prefix' })),
    fc.tuple(dnsLabel(20), qualifiedNamePart(20)).map(([prefix, name]) => ({ value: `${prefix}_x/${name}`, flaw: "'_' in prefix" })),
    qualifiedNamePart(20).map((name) => ({ value: `/${name}`, flaw: 'empty prefix' })),
    dnsSubdomain(40).map((prefix) => ({ value: `${prefix}/`, flaw: 'empty name after prefix' })),
    fc.tuple(dnsLabel(20), dnsLabel(20), qualifiedNamePart(20)).map(([a, b, name]) => ({ value: `${a}/${b}/${name}`, flaw: "two '/'" })),
    fc.constant({ value: '', flaw: 'empty' }),
  );
}

/** A label value that is not one (never empty). */
export function invalidLabelValue(): fc.Arbitrary<InvalidValue> {
  return fc.oneof(
    fc.tuple(qualifiedNamePart(40), fc.constantFrom('-', '_', '.')).map(([name, edge]) => ({ value: `${edge}${name}`, flaw: `starts with '${edge}'` })),
    fc.tuple(qualifiedNamePart(40), fc.constantFrom('-', '_', '.')).map(([name, edge]) => ({ value: `${name}${edge}`, flaw: `ends with '${edge}'` })),
    fc.tuple(qualifiedNamePart(40), fc.constantFrom('/', ...foreignChars), fc.nat()).map(([name, bad, at]) => ({ value: insertAt(name, at, bad), flaw: `contains ${JSON.stringify(bad)}` })),
    fc.tuple(fc.integer({ min: 64, max: 120 }), qualifiedNamePart(10)).map(([length, name]) => ({ value: (name + 'v'.repeat(length)).slice(0, length - 1) + '9', flaw: `${length} characters (over 63)` })),
  );
}

export type NameFormat = 'dns-1123-label' | 'dns-1123-subdomain' | 'qualified-name' | 'label-value';

/** A valid value of a name format. */
export function validName(format: NameFormat): fc.Arbitrary<string> {
  switch (format) {
    case 'dns-1123-label':
      return dnsLabel();
    case 'dns-1123-subdomain':
      return dnsSubdomain(100);
    case 'qualified-name':
      return qualifiedName();
    case 'label-value':
      return labelValue();
  }
}

/** A value breaking a name format (never empty: whether '' is allowed depends on the field). */
export function invalidName(format: NameFormat): fc.Arbitrary<InvalidValue> {
  switch (format) {
    case 'dns-1123-label':
      return invalidDnsLabel();
    case 'dns-1123-subdomain':
      return invalidDnsSubdomain();
    case 'qualified-name':
      return invalidQualifiedName().filter((bad) => bad.value !== '');
    case 'label-value':
      return invalidLabelValue();
  }
}

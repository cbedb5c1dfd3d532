/**
 * IP address rules for Endpoints addresses: a port of k8s.io/utils/net ParseIPSloppy (Go ≤1.16
 * net.ParseIP, which accepts IPv4 octets with leading zeros as decimal), Go's net.IP range
 * predicates, and apimachinery's GetWarningsForIP. Canonical text comes from ipaddr.js.
 */
import ipaddr from 'ipaddr.js';
import { boundedMemo } from './boundedMemo.ts';

const big = 0xffffff;

function dtoi(s: string, from: number): [n: number, end: number, ok: boolean] {
  let n = 0;
  let i = from;
  for (; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    if (n >= big) return [big, i, false];
  }
  if (i === from) return [0, i, false];
  return [n, i, true];
}

function xtoi(s: string, from: number): [n: number, end: number, ok: boolean] {
  let n = 0;
  let i = from;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n = n * 16 + (c - 48);
    else if (c >= 97 && c <= 102) n = n * 16 + (c - 87);
    else if (c >= 65 && c <= 70) n = n * 16 + (c - 55);
    else break;
    if (n >= big) return [0, i, false];
  }
  if (i === from) return [0, i, false];
  return [n, i, true];
}

/** parseIPv4 of the fork: 4 decimal octets, any number of leading zeros. Returns 4 bytes. */
function parseIPv4(s: string, from: number): Uint8Array | null {
  const p = new Uint8Array(4);
  let pos = from;
  for (let i = 0; i < 4; i++) {
    if (pos >= s.length) return null;
    if (i > 0) {
      if (s[pos] !== '.') return null;
      pos++;
    }
    const [n, end, ok] = dtoi(s, pos);
    if (!ok || n > 0xff) return null;
    pos = end;
    p[i] = n;
  }
  return pos === s.length ? p : null;
}

function parseIPv6(s: string): Uint8Array | null {
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  let pos = 0;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    pos = 2;
    if (pos === s.length) return ip;
  }
  let i = 0;
  while (i < 16) {
    const [n, end, ok] = xtoi(s, pos);
    if (!ok || n > 0xffff) return null;
    if (end < s.length && s[end] === '.') {
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const ip4 = parseIPv4(s, pos);
      if (!ip4) return null;
      ip.set(ip4, i);
      pos = s.length;
      i += 4;
      break;
    }
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    pos = end;
    if (pos === s.length) break;
    if (s[pos] !== ':' || pos + 1 === s.length) return null;
    pos++;
    if (s[pos] === ':') {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      pos++;
      if (pos === s.length) break;
    }
  }
  if (pos !== s.length) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return null;
  }
  return ip;
}

/** A parsed address: always 16 bytes (IPv4 as ::ffff:a.b.c.d), like Go's net.IP from ParseIP. */
export type ParsedIP = Uint8Array;

/** netutils.ParseIPSloppy. */
export function parseIPSloppy(s: string): ParsedIP | null {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '.') {
      const v4 = parseIPv4(s, 0);
      if (!v4) return null;
      const ip = new Uint8Array(16);
      ip[10] = 0xff;
      ip[11] = 0xff;
      ip.set(v4, 12);
      return ip;
    }
    if (c === ':') return parseIPv6(s);
  }
  return null;
}

/**
 * The address as a 32-bit number when ParseIPSloppy reads `s` as IPv4 (its first '.' or ':' is a
 * '.', and parseIPv4 accepts it); -1 otherwise (IPv6, or not an address). No allocation.
 */
export function sloppyIPv4Value(s: string): number {
  let value = 0;
  let pos = 0;
  for (let i = 0; i < 4; i++) {
    if (pos >= s.length) return -1;
    if (i > 0) {
      if (s.charCodeAt(pos) !== 0x2e) return -1;
      pos++;
    }
    // dtoi, inline
    const start = pos;
    let n = 0;
    for (; pos < s.length; pos++) {
      const c = s.charCodeAt(pos);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      if (n >= big) return -1;
    }
    if (pos === start || n > 0xff) return -1;
    value = value * 256 + n;
  }
  return pos === s.length ? value : -1;
}

/** net.IP.To4 != nil: IPv4 or IPv4-mapped (the four bytes are then ip[12..15]). */
function isV4(ip: ParsedIP): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

function to4(ip: ParsedIP): Uint8Array | null {
  return isV4(ip) ? ip.subarray(12) : null;
}

export function isUnspecified(ip: ParsedIP): boolean {
  if (isV4(ip)) return ip[12] === 0 && ip[13] === 0 && ip[14] === 0 && ip[15] === 0;
  for (let i = 0; i < 16; i++) if (ip[i] !== 0) return false;
  return true;
}
export function isLoopback(ip: ParsedIP): boolean {
  if (isV4(ip)) return ip[12] === 127;
  for (let i = 0; i < 15; i++) if (ip[i] !== 0) return false;
  return ip[15] === 1;
}
export function isLinkLocalUnicast(ip: ParsedIP): boolean {
  if (isV4(ip)) return ip[12] === 169 && ip[13] === 254;
  return ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80;
}
export function isLinkLocalMulticast(ip: ParsedIP): boolean {
  if (isV4(ip)) return ip[12] === 224 && ip[13] === 0 && ip[14] === 0;
  return ip[0] === 0xff && (ip[1] & 0x0f) === 0x02;
}

/** Go's net.IP.String(): dotted for IPv4(-mapped), RFC 5952 otherwise. */
export function goIPString(ip: ParsedIP): string {
  const v4 = to4(ip);
  if (v4) return `${v4[0]}.${v4[1]}.${v4[2]}.${v4[3]}`;
  const parts: number[] = [];
  for (let i = 0; i < 16; i += 2) parts.push((ip[i] << 8) | ip[i + 1]);
  return new ipaddr.IPv6(parts).toRFC5952String();
}

const strictIPv4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * netip.ParseAddr's verdict on a string ParseIPSloppy accepted: 'v4', 'v6', 'v4in6' (IPv4-mapped
 * IPv6) or null when netip rejects it (IPv4 leading zeros, hex groups of more than 4 digits,
 * leading zeros inside an embedded IPv4).
 */
function strictParse(value: string, ip: ParsedIP): 'v4' | 'v6' | 'v4in6' | null {
  if (!value.includes(':')) return strictIPv4.test(value) ? 'v4' : null;
  const groups = value.split(':');
  const last = groups[groups.length - 1];
  if (last.includes('.') && !strictIPv4.test(last)) return null;
  for (const g of groups) if (!g.includes('.') && g.length > 4) return null;
  return to4(ip) ? 'v4in6' : 'v6';
}

/** By imitated minor version: the warning of an address, remembered. */
const warningTails = new Map<number, (value: string) => string | null>();

/**
 * GetWarningsForIP for a valid address: the warning that follows its "<path>: " prefix, or null
 * when there is none.
 */
export function ipWarning(value: string, minor: number): string | null {
  if (strictIPv4.test(value)) return null;
  let tailOf = warningTails.get(minor);
  if (tailOf === undefined) {
    tailOf = boundedMemo(4096, (address: string) => ipWarningTail(address, minor));
    warningTails.set(minor, tailOf);
  }
  return tailOf(value);
}

function ipWarningTail(value: string, minor: number): string | null {
  const ip = parseIPSloppy(value);
  if (!ip) return null;
  const strict = strictParse(value, ip);
  if (strict === null || strict === 'v4in6') {
    const tail = minor >= 36 ? 'is invalid' : 'will be considered invalid in a future Kubernetes release';
    return `non-standard IP address ${JSON.stringify(value)} ${tail}: use ${JSON.stringify(goIPString(ip))}`;
  }
  if (strict === 'v6') {
    const canonical = goIPString(ip);
    if (canonical !== value) return `IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`;
  }
  return null;
}

/**
 * IP address arbitraries (rules note S5–S12). Valid addresses are built so that they cannot
 * fall in a forbidden range (no filtering); forbidden ones are drawn from the contract's CIDRs.
 */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import type { ForbiddenIpRange } from './contractConstraints.ts';

const octet = fc.integer({ min: 0, max: 255 });
const hextet = fc.integer({ min: 0, max: 0xffff });

/** Unicast IPv4 outside 0/8, 127/8, 169.254/16 and 224/4 (so never unspecified, loopback,
 * link-local or link-local multicast). */
export function validIpv4(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 1, max: 222 }), octet, octet, octet)
    .map(([first, second, third, fourth]) => {
      const a = first >= 127 ? first + 1 : first; // 1..126, 128..223
      const b = a === 169 && second === 254 ? 253 : second;
      return `${a}.${b}.${third}.${fourth}`;
    });
}

/** Global unicast (2000::/3) or unique-local (fc00::/7) IPv6: never ::, ::1, fe80::/10 or ff00::/8.
 * Written in RFC 5952 form, or fully expanded (valid, warns on ≥1.30: rules note S6). */
export function validIpv6(): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.oneof(fc.integer({ min: 0x2000, max: 0x3fff }), fc.integer({ min: 0xfc00, max: 0xfdff })),
      fc.array(hextet, { minLength: 7, maxLength: 7 }),
      fc.constantFrom<'canonical' | 'expanded'>('canonical', 'canonical', 'canonical', 'expanded'),
    )
    .map(([first, rest, form]) => {
      const address = new ipaddr.IPv6([first, ...rest]);
      return form === 'canonical' ? address.toRFC5952String() : address.toNormalizedString();
    });
}

export function validIp(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: validIpv4() }, { weight: 2, arbitrary: validIpv6() });
}

function bytesToText(bytes: number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  return new ipaddr.IPv6(Array.from({ length: 8 }, (_unused, index) => bytes[2 * index] * 256 + bytes[2 * index + 1])).toRFC5952String();
}

/** An address inside `cidr`: the network bits kept, host bits drawn. With `anyFlags`, the
 * IPv6 multicast flags nibble (high nibble of byte 1) is drawn too. */
function addressInCidr(cidr: string, anyFlags: boolean): fc.Arbitrary<string> {
  const [network, prefixLength] = ipaddr.parseCIDR(cidr);
  const networkBytes = network.toByteArray();
  const width = networkBytes.length;
  return fc
    .tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: width, maxLength: width }), fc.integer({ min: 0, max: 15 }))
    .map(([random, flags]) => {
      const bytes = networkBytes.map((networkByte, index) => {
        const keptBits = Math.max(0, Math.min(8, prefixLength - 8 * index));
        const mask = (0xff << (8 - keptBits)) & 0xff;
        return (networkByte & mask) | (random[index] & ~mask & 0xff);
      });
      if (anyFlags && width === 16 && bytes[0] === 0xff) bytes[1] = (flags << 4) | (bytes[1] & 0x0f);
      return bytesToText(bytes);
    });
}

/** Other spellings Go's parser reads as the same special address (rules note S8/S9). */
function alternativeSpellings(range: ForbiddenIpRange): string[] {
  switch (range.name) {
    case 'unspecified':
      return ['0:0:0:0:0:0:0:0', '::0', '0::', '::ffff:0.0.0.0'];
    default:
      return [];
  }
}

/** An IP inside one of the range's CIDRs (IPv4 addresses sometimes written IPv4-mapped,
 * `::ffff:a.b.c.d`, which Go treats the same: S8/S9/S10/S11). */
export function ipInForbiddenRange(range: ForbiddenIpRange): fc.Arbitrary<string> {
  const inRanges = range.ranges.map((cidr) => {
    const inCidr = addressInCidr(cidr, range.anyIpv6Flags);
    if (ipaddr.parseCIDR(cidr)[0].kind() !== 'ipv4') return inCidr;
    return fc.oneof({ weight: 5, arbitrary: inCidr }, { weight: 1, arbitrary: inCidr.map((ip) => `::ffff:${ip}`) });
  });
  const spellings = alternativeSpellings(range);
  return spellings.length === 0
    ? fc.oneof(...inRanges)
    : fc.oneof(...inRanges.map((arbitrary) => ({ weight: 2, arbitrary })), { weight: 1, arbitrary: fc.constantFrom(...spellings) });
}

/** A string that is not an IP address in any form Go's netutils.ParseIPSloppy accepts (S5). */
export function notAnIp(): fc.Arbitrary<{ value: string; flaw: string }> {
  return fc.oneof(
    fc.constant({ value: '', flaw: 'empty' }),
    fc.constantFrom('garbage', 'not-an-ip', 'localhost', 'abc', 'ip', 'null', 'x.y.z.w').map((value) => ({ value, flaw: 'garbage' })),
    fc.tuple(fc.constantFrom('node', 'host', 'svc', 'db'), fc.nat(999), fc.constantFrom('.example.com', '.cluster.local', '')).map(([word, n, domain]) => ({ value: `${word}-${n}${domain}`, flaw: 'hostname' })),
    fc.tuple(validIpv4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => ({ value: `${ip}/${bits}`, flaw: 'CIDR' })),
    fc.tuple(validIpv6(), fc.integer({ min: 0, max: 128 })).map(([ip, bits]) => ({ value: `${ip}/${bits}`, flaw: 'CIDR' })),
    fc.tuple(validIpv4(), fc.integer({ min: 1, max: 65535 })).map(([ip, port]) => ({ value: `${ip}:${port}`, flaw: 'ip:port' })),
    validIpv6().map((ip) => ({ value: `[${ip}]`, flaw: 'bracketed IPv6' })),
    fc.tuple(validIpv6(), fc.integer({ min: 1, max: 65535 })).map(([ip, port]) => ({ value: `[${ip}]:${port}`, flaw: 'bracketed IPv6 with port' })),
    fc.tuple(fc.integer({ min: 1, max: 0xffff }), fc.constantFrom('eth0', 'lo', '1', 'en0')).map(([suffix, zone]) => ({ value: `fe80::${suffix.toString(16)}%${zone}`, flaw: 'zoned IPv6' })),
    fc.tuple(validIpv6(), fc.constantFrom('eth0', '2')).map(([ip, zone]) => ({ value: `${ip}%${zone}`, flaw: 'zoned IPv6' })),
    fc.tuple(validIpv4(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 256, max: 999 })).map(([ip, position, big]) => {
      const parts = ip.split('.');
      parts[position] = String(big);
      return { value: parts.join('.'), flaw: 'octet out of range' };
    }),
    validIpv4().map((ip) => ({ value: ip.split('.').slice(0, 3).join('.'), flaw: 'three octets' })),
    fc.tuple(validIpv4(), fc.integer({ min: 0, max: 255 })).map(([ip, extra]) => ({ value: `${ip}.${extra}`, flaw: 'five octets' })),
    fc.tuple(validIpv4(), fc.constantFrom(' ', '\t', '\n')).map(([ip, space]) => ({ value: `${space}${ip}`, flaw: 'leading whitespace' })),
    fc.tuple(validIpv4(), fc.constantFrom(' ', '\n')).map(([ip, space]) => ({ value: `${ip}${space}`, flaw: 'trailing whitespace' })),
    fc.array(hextet, { minLength: 9, maxLength: 10 }).map((groups) => ({ value: groups.map((group) => group.toString(16)).join(':'), flaw: 'too many IPv6 groups' })),
    fc.tuple(fc.integer({ min: 0x10000, max: 0xfffff }), fc.integer({ min: 0, max: 0xffff })).map(([big, tail]) => ({ value: `2001:${big.toString(16)}::${tail.toString(16)}`, flaw: 'IPv6 group over 4 hex digits' })),
    fc.tuple(octet, octet, octet).map(([b, c, d]) => ({ value: `0x0a.${b}.${c}.${d}`, flaw: 'hex octet' })),
    fc.integer({ min: 16777216, max: 4294967295 }).map((value) => ({ value: String(value), flaw: 'single integer' })),
  );
}

/** An otherwise valid unicast IPv4 in a non-standard form (S7): an octet with leading zeros,
 * or an IPv4-mapped IPv6 address. */
export function nonStandardIp(): fc.Arbitrary<{ value: string; flaw: string }> {
  return fc.oneof(
    fc.tuple(validIpv4(), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 99 })).map(([ip, position, small]) => {
      const parts = ip.split('.');
      parts[position] = String(small).padStart(3, '0');
      return { value: parts.join('.'), flaw: 'leading zeros' };
    }),
    validIpv4().map((ip) => ({ value: `::ffff:${ip}`, flaw: 'IPv4-mapped IPv6' })),
  );
}

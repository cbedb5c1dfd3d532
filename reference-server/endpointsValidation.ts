/**
 * ValidateEndpoints (create) and ValidateEndpointsUpdate (update) in Kubernetes' order:
 * object metadata first, then subsets (S1-S27), plus the IP warnings of the strategy (§7).
 */
import { type FieldErrorList, int, invalid, notSupported, required, str } from './fieldErrors.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './nameRules.ts';
import { ipWarning, isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, parseIPSloppy, sloppyIPv4Value } from './ipRules.ts';
import { type SharedMetaChecks, validateObjectMetaCreate, validateObjectMetaUpdate } from './objectMetaValidation.ts';
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints } from './endpointsTypes.ts';
import type { FaultSet } from './faults.ts';

function validateHostAndNode(a: EndpointAddress, path: string, errs: FieldErrorList): void {
  if (a.hostname) {
    for (const msg of isDNS1123Label(a.hostname)) errs.push(invalid(`${path}.hostname`, str(a.hostname), msg));
  }
  if (a.nodeName !== undefined) {
    for (const msg of isDNS1123Subdomain(a.nodeName)) errs.push(invalid(`${path}.nodeName`, str(a.nodeName), msg));
  }
}

/** The same checks as below for an IPv4 address held as a number (the common case, no allocation). */
function validateIPv4Address(a: EndpointAddress, ip: string, v4: number, path: string, faults: FaultSet, errs: FieldErrorList): void {
  validateHostAndNode(a, path, errs);
  const first = Math.floor(v4 / 0x1000000);
  const second = Math.floor(v4 / 0x10000) % 256;
  if (v4 === 0) errs.push(invalid(`${path}.ip`, str(ip), `may not be unspecified (${ip})`));
  if (first === 127 && !faults.has('accept-loopback-ip')) {
    errs.push(invalid(`${path}.ip`, str(ip), 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if (first === 169 && second === 254 && !faults.has('accept-link-local-ip')) {
    errs.push(invalid(`${path}.ip`, str(ip), 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (first === 224 && second === 0 && Math.floor(v4 / 0x100) % 256 === 0) {
    errs.push(invalid(`${path}.ip`, str(ip), 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
}

/** 'sloppy': k8s.io/utils/net ParseIPSloppy (1.22+); 'go-strict-ipv4': Go >= 1.17 net.ParseIP,
 * which refuses an IPv4 part with a leading zero (the measured 1.20.2 build). */
export type IpParsing = 'sloppy' | 'go-strict-ipv4';

/** A dotted IPv4 part (alone or ending an IPv6) with a leading zero. */
const ipv4LeadingZero = /(^|[.:])0\d/;

function hasIPv4LeadingZero(ip: string): boolean {
  const lastColon = ip.lastIndexOf(':');
  const dotted = lastColon < 0 ? ip : ip.slice(lastColon + 1);
  return dotted.includes('.') && ipv4LeadingZero.test(dotted);
}

function validateEndpointAddress(a: EndpointAddress, path: string, faults: FaultSet, errs: FieldErrorList, parsing: IpParsing): void {
  const ip = a.ip ?? '';
  const refused = parsing === 'go-strict-ipv4' && hasIPv4LeadingZero(ip);
  const v4 = refused ? -1 : sloppyIPv4Value(ip);
  if (v4 >= 0) return validateIPv4Address(a, ip, v4, path, faults, errs);
  const ipPath = `${path}.ip`;
  const parsed = refused ? null : parseIPSloppy(ip);
  if (!parsed) errs.push(invalid(ipPath, str(ip), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  validateHostAndNode(a, path, errs);
  // ValidateNonSpecialIP
  if (!parsed) {
    errs.push(invalid(ipPath, str(ip), 'must be a valid IP address'));
    return;
  }
  if (isUnspecified(parsed)) errs.push(invalid(ipPath, str(ip), `may not be unspecified (${ip})`));
  if (isLoopback(parsed) && !faults.has('accept-loopback-ip')) {
    errs.push(invalid(ipPath, str(ip), 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if (isLinkLocalUnicast(parsed) && !faults.has('accept-link-local-ip')) {
    errs.push(invalid(ipPath, str(ip), 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (isLinkLocalMulticast(parsed)) {
    errs.push(invalid(ipPath, str(ip), 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
}

const supportedProtocols = ['SCTP', 'TCP', 'UDP'];

function validateEndpointPort(p: EndpointPort, requireName: boolean, path: string, faults: FaultSet, errs: FieldErrorList): void {
  const name = p.name ?? '';
  if (requireName && name === '') {
    if (!faults.has('accept-unnamed-ports')) errs.push(required(`${path}.name`));
  } else if (name !== '') {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, str(name), msg));
  }
  const port = p.port ?? 0;
  if ((port < 1 || port > 65535) && !(port === 0 && faults.has('accept-port-zero'))) {
    errs.push(invalid(`${path}.port`, int(port), 'must be between 1 and 65535, inclusive'));
  }
  const protocol = p.protocol ?? '';
  if (protocol === '') {
    // Unreachable through REST (the decoder defaults TCP) unless defaulting is broken by a fault.
    if (!faults.has('no-protocol-default')) errs.push(required(`${path}.protocol`));
  } else {
    const candidate = faults.has('accept-lowercase-protocol') ? protocol.toUpperCase() : protocol;
    if (!supportedProtocols.includes(candidate)) errs.push(notSupported(`${path}.protocol`, str(protocol), supportedProtocols));
  }
  if (p.appProtocol !== undefined) {
    for (const msg of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, str(p.appProtocol), msg));
  }
}

function validateEndpointSubsets(subsets: EndpointSubset[] | undefined, faults: FaultSet, errs: FieldErrorList, parsing: IpParsing): void {
  if (!subsets) return;
  subsets.forEach((ss, i) => {
    const idx = `subsets[${i}]`;
    const addresses = ss.addresses ?? [];
    const notReady = ss.notReadyAddresses ?? [];
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(idx, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => validateEndpointAddress(a, `${idx}.addresses[${j}]`, faults, errs, parsing));
    if (!faults.has('skip-not-ready-validation')) {
      notReady.forEach((a, j) => validateEndpointAddress(a, `${idx}.notReadyAddresses[${j}]`, faults, errs, parsing));
    }
    const ports = ss.ports ?? [];
    ports.forEach((p, k) => validateEndpointPort(p, ports.length > 1, `${idx}.ports[${k}]`, faults, errs));
  });
}

/** ValidateEndpoints: the strategy's Validate on create. */
export function validateEndpointsCreate(e: Endpoints, faults: FaultSet, cache: SharedMetaChecks = {}, parsing: IpParsing = 'sloppy'): FieldErrorList {
  const errs = validateObjectMetaCreate(e.metadata, true, cache);
  validateEndpointSubsets(e.subsets, faults, errs, parsing);
  return errs;
}

/**
 * BeforeUpdate's validation: validateCommonFields (generic create-meta + update-meta), then the
 * strategy's ValidateEndpointsUpdate (core update-meta + ValidateEndpoints) — which is why a bad
 * label appears four times on update.
 */
export function validateEndpointsUpdate(e: Endpoints, old: Endpoints, faults: FaultSet, parsing: IpParsing = 'sloppy'): FieldErrorList {
  const cache: SharedMetaChecks = {};
  const errs: FieldErrorList = [];
  errs.push(...validateObjectMetaCreate(e.metadata, false, cache));
  errs.push(...validateObjectMetaUpdate(e.metadata, old.metadata, false, cache));
  errs.push(...validateObjectMetaUpdate(e.metadata, old.metadata, true, cache));
  errs.push(...validateEndpointsCreate(e, faults, cache, parsing));
  return errs;
}

function addressWarnings(addresses: EndpointAddress[] | undefined, subset: number, list: string, minor: number, out: string[]): void {
  if (!addresses) return;
  for (let j = 0; j < addresses.length; j++) {
    const warning = ipWarning(addresses[j].ip ?? '', minor);
    if (warning !== null) out.push(`subsets[${subset}].${list}[${j}].ip: ${warning}`);
  }
}

/** endpointsWarnings: IP warnings for every address, unless managed by the endpoint controller. */
export function endpointsWarnings(e: Endpoints, minor: number): string[] {
  if (minor < 30) return [];
  if (e.metadata.labels?.['endpoints.kubernetes.io/managed-by'] === 'endpoint-controller') return [];
  const out: string[] = [];
  const subsets = e.subsets ?? [];
  for (let i = 0; i < subsets.length; i++) {
    addressWarnings(subsets[i].addresses, i, 'addresses', minor, out);
    addressWarnings(subsets[i].notReadyAddresses, i, 'notReadyAddresses', minor, out);
  }
  return out;
}

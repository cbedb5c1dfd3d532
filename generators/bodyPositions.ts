/**
 * Picking the place in a valid body where a category breaks something: an address (in
 * `addresses` or `notReadyAddresses`) or a port, at any subset and index — an existing one or a
 * fresh one appended. Picks are plain naturals reduced modulo the sizes, so they shrink to the
 * first position. The body is copied, never mutated.
 */
import fc from 'fast-check';
import type { ContractConstraints } from './contractConstraints.ts';
import { copyBody, copyPlainData, type AddressList, type EndpointAddressBody, type EndpointPortBody, type EndpointsBody } from './endpointsBody.ts';
import { validAddress, validPort } from './validEndpoints.ts';

export interface AddressPick {
  subset: number;
  notReady: boolean;
  index: number;
  /** Used when the pick lands after the last address. */
  fresh: EndpointAddressBody;
}

export function addressPick(constraints: ContractConstraints): fc.Arbitrary<AddressPick> {
  return fc.record({ subset: fc.nat(), notReady: fc.boolean(), index: fc.nat(), fresh: validAddress(constraints) }, { noNullPrototype: true });
}

export interface PlacedAt {
  body: EndpointsBody;
  /** Kubernetes field path of the place, e.g. 'subsets[1].notReadyAddresses[0]'. */
  path: string;
}

/** Applies `edit` to the picked address of a copy of `body` (which must have a subset). */
export function editAddress(body: EndpointsBody, pick: AddressPick, edit: (address: EndpointAddressBody) => EndpointAddressBody): PlacedAt {
  const copy = copyBody(body);
  const subsets = copy.subsets ?? [];
  if (subsets.length === 0) throw new Error('editAddress needs a body with at least one subset');
  const subsetIndex = pick.subset % subsets.length;
  const subset = subsets[subsetIndex];
  const list: AddressList = pick.notReady ? 'notReadyAddresses' : 'addresses';
  const addresses = subset[list] ?? [];
  const index = pick.index % (addresses.length + 1);
  const target = index < addresses.length ? addresses[index] : copyPlainData(pick.fresh);
  addresses[index] = edit(target);
  subset[list] = addresses;
  return { body: copy, path: `subsets[${subsetIndex}].${list}[${index}]` };
}

export interface PortPick {
  subset: number;
  index: number;
  fresh: EndpointPortBody;
}

export function portPick(constraints: ContractConstraints): fc.Arbitrary<PortPick> {
  return fc.record({ subset: fc.nat(), index: fc.nat(), fresh: validPort(constraints, false) }, { noNullPrototype: true });
}

/** Names every unnamed port of a subset that has several (S21), skipping `except`. */
function nameUnnamedPorts(ports: EndpointPortBody[], except: number): void {
  if (ports.length < 2) return;
  ports.forEach((port, index) => {
    if (index !== except && (port.name === undefined || port.name === '')) port.name = `port-${index}`;
  });
}

/** Applies `edit` to the picked port of a copy of `body` (which must have a subset). When the
 * subset ends up with several ports, the other ports all carry names; the edited one keeps or
 * gets a name too unless `edit` removes it. */
export function editPort(body: EndpointsBody, pick: PortPick, edit: (port: EndpointPortBody) => EndpointPortBody): PlacedAt {
  const copy = copyBody(body);
  const subsets = copy.subsets ?? [];
  if (subsets.length === 0) throw new Error('editPort needs a body with at least one subset');
  const subsetIndex = pick.subset % subsets.length;
  const subset = subsets[subsetIndex];
  const ports = subset.ports ?? [];
  const index = pick.index % (ports.length + 1);
  ports[index] = index < ports.length ? ports[index] : copyPlainData(pick.fresh);
  nameUnnamedPorts(ports, -1);
  ports[index] = edit(ports[index]);
  subset.ports = ports;
  return { body: copy, path: `subsets[${subsetIndex}].ports[${index}]` };
}

/** Picks a subset index of a copy of `body`. */
export function editSubset(body: EndpointsBody, pick: number, edit: (subset: NonNullable<EndpointsBody['subsets']>[number]) => NonNullable<EndpointsBody['subsets']>[number]): PlacedAt {
  const copy = copyBody(body);
  const subsets = copy.subsets ?? [];
  if (subsets.length === 0) throw new Error('editSubset needs a body with at least one subset');
  const subsetIndex = pick % subsets.length;
  subsets[subsetIndex] = edit(subsets[subsetIndex]);
  return { body: copy, path: `subsets[${subsetIndex}]` };
}

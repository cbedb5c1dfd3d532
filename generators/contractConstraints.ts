/**
 * The constraints the generators read from the contract document (never repeated here):
 * port range, protocol values, forbidden IP ranges, fieldManager limit, dryRun and
 * fieldValidation values, annotation size limit. One place that talks to spec/contractRules.ts.
 */
import type { Contract } from '../spec/loadContract.ts';
import {
  annotationsMaxTotalBytes,
  defaultProtocol,
  dryRunValues,
  emptyProtocolDefaulted,
  fieldManagerLimit,
  fieldValidationValues,
  forbiddenIpRanges,
  keyNameFormatOf,
  nameFormatOf,
  portRange,
  protocolValues,
  schemaAt,
  type NameFormat,
} from '../spec/contractRules.ts';

export type { NameFormat };

/** The name syntax (`x-name-format` / `x-key-name-format`) of each name-like field. */
export interface FieldNameFormats {
  hostname: NameFormat;
  nodeName: NameFormat;
  portName: NameFormat;
  appProtocol: NameFormat;
  labelKey: NameFormat;
  labelValue: NameFormat;
  annotationKey: NameFormat;
}

export type ForbiddenRangeName = 'unspecified' | 'loopback' | 'link-local' | 'link-local-multicast';

export interface ForbiddenIpRange {
  name: ForbiddenRangeName;
  /** CIDRs, e.g. '127.0.0.0/8', '::1/128'. */
  ranges: string[];
  /** IPv6 ranges also match with any multicast flags nibble (ff02::/16 covers ff12::, ff32::…). */
  anyIpv6Flags: boolean;
}

export interface ContractConstraints {
  port: { min: number; max: number };
  /** The protocols a server stores and answers ('' is never one of them). */
  protocols: string[];
  /** What a server fills in for an omitted protocol, and for '' when `emptyProtocolDefaulted`. */
  protocolDefault: string;
  /** The contract accepts protocol '' as unset (Kubernetes S19). */
  emptyProtocolDefaulted: boolean;
  fieldManager: { maxBytes: number; printableOnly: boolean };
  dryRunValues: string[];
  /** Accepted fieldValidation values, '' included when the contract lists it. */
  fieldValidationValues: string[];
  annotationsMaxTotalBytes: number;
  forbiddenIpRanges: ForbiddenIpRange[];
  nameFormats: FieldNameFormats;
}

function required(format: NameFormat | undefined, what: string): NameFormat {
  if (format === undefined) throw new Error(`the contract gives ${what} no name format`);
  return format;
}

function nameFormatsOf(contract: Contract): FieldNameFormats {
  const valueFormat = (schema: string, path: string): NameFormat => required(nameFormatOf(schemaAt(contract, schema, path)), `${schema}.${path}`);
  const keyFormat = (schema: string, path: string): NameFormat => required(keyNameFormatOf(schemaAt(contract, schema, path)), `the keys of ${schema}.${path}`);
  const labels = schemaAt(contract, 'ObjectMeta', 'labels');
  const labelValues = typeof labels.additionalProperties === 'object' && !('$ref' in labels.additionalProperties) ? labels.additionalProperties : undefined;
  return {
    hostname: valueFormat('EndpointAddress', 'hostname'),
    nodeName: valueFormat('EndpointAddress', 'nodeName'),
    portName: valueFormat('EndpointPort', 'name'),
    appProtocol: valueFormat('EndpointPort', 'appProtocol'),
    labelKey: keyFormat('ObjectMeta', 'labels'),
    labelValue: required(labelValues === undefined ? undefined : nameFormatOf(labelValues), 'ObjectMeta.labels values'),
    annotationKey: keyFormat('ObjectMeta', 'annotations'),
  };
}

const cache = new WeakMap<Contract, ContractConstraints>();

export function constraintsOf(contract: Contract): ContractConstraints {
  const cached = cache.get(contract);
  if (cached !== undefined) return cached;
  const constraints: ContractConstraints = {
    port: portRange(contract),
    protocols: [...protocolValues(contract)],
    protocolDefault: defaultProtocol(contract),
    emptyProtocolDefaulted: emptyProtocolDefaulted(contract),
    fieldManager: fieldManagerLimit(contract),
    dryRunValues: [...dryRunValues(contract)],
    fieldValidationValues: [...fieldValidationValues(contract)],
    annotationsMaxTotalBytes: annotationsMaxTotalBytes(contract),
    forbiddenIpRanges: forbiddenIpRanges(contract).map((range) => ({
      name: range.name,
      ranges: [...range.ranges],
      anyIpv6Flags: range.anyIpv6Flags,
    })),
    nameFormats: nameFormatsOf(contract),
  };
  cache.set(contract, constraints);
  return constraints;
}

export function forbiddenRange(constraints: ContractConstraints, name: ForbiddenRangeName): ForbiddenIpRange {
  const range = constraints.forbiddenIpRanges.find((candidate) => candidate.name === name);
  if (range === undefined) throw new Error(`the contract lists no forbidden IP range named ${name}`);
  return range;
}

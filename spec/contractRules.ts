/**
 * Typed accessors for the rules the contract document states: JSON Schema keywords on known
 * fields and the document's `x-` extensions. Each accessor reads the document and throws a
 * ContractError (one line) when the document does not say what it should.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { ContractError, type Contract } from './loadContract.ts';

export type SourceOrigin = 'vendor-table' | 'vendor-prose' | 'kubernetes';

/** Where a parameter, schema, property or rule comes from (`x-source`). */
export interface ContractSource {
  origin: SourceOrigin;
  /** Table name / row, or a rules-note id such as S9. */
  ref: string;
}

export type NameFormat = 'dns-1123-label' | 'dns-1123-subdomain' | 'qualified-name' | 'label-value';

export type ForbiddenIpRangeName = 'unspecified' | 'loopback' | 'link-local' | 'link-local-multicast';

export interface ForbiddenIpRangeRule {
  name: ForbiddenIpRangeName;
  /** CIDRs, e.g. '127.0.0.0/8', '::1/128'. */
  ranges: string[];
  /** The message Kubernetes gives, e.g. 'may not be in the loopback range (127.0.0.0/8, ::1/128)'. */
  message: string;
  /** The IPv6 range matches with any multicast flags nibble (ff02::/16 also covers ff12::, ff32::…). */
  anyIpv6Flags: boolean;
  source: ContractSource;
}

/** Any object of the document that may carry `x-` extensions. */
export type ExtensibleNode = object;

const sourceOrigins: readonly SourceOrigin[] = ['vendor-table', 'vendor-prose', 'kubernetes'];
const nameFormats: readonly NameFormat[] = ['dns-1123-label', 'dns-1123-subdomain', 'qualified-name', 'label-value'];
const forbiddenRangeNames: readonly ForbiddenIpRangeName[] = ['unspecified', 'loopback', 'link-local', 'link-local-multicast'];

// ---------------------------------------------------------------- generic readers

/** The value of an `x-` extension on any document node, or undefined. */
export function extensionOf(node: ExtensibleNode, name: `x-${string}`): unknown {
  return (node as Record<string, unknown>)[name];
}

/** `x-source` of a parameter, schema, property or response; undefined when absent or malformed. */
export function sourceOf(node: ExtensibleNode): ContractSource | undefined {
  return asSource(extensionOf(node, 'x-source'));
}

/** Where one keyword of a node comes from: `x-rule-sources[keyword]`, else the node's `x-source`. */
export function ruleSourceOf(node: ExtensibleNode, keyword: string): ContractSource | undefined {
  const ruleSources = extensionOf(node, 'x-rule-sources');
  if (isRecord(ruleSources)) {
    const source = asSource(ruleSources[keyword]);
    if (source !== undefined) return source;
  }
  return sourceOf(node);
}

/** True when the node is marked `x-not-on-vendor-page: true`. */
export function isNotOnVendorPage(node: ExtensibleNode): boolean {
  return extensionOf(node, 'x-not-on-vendor-page') === true;
}

/** `x-name-format` of a string schema. */
export function nameFormatOf(schema: OpenAPIV3.SchemaObject): NameFormat | undefined {
  return asNameFormat(extensionOf(schema, 'x-name-format'));
}

/** `x-key-name-format` of a map schema (labels, annotations): the syntax of its keys. */
export function keyNameFormatOf(schema: OpenAPIV3.SchemaObject): NameFormat | undefined {
  return asNameFormat(extensionOf(schema, 'x-key-name-format'));
}

/** `x-required-when` of a property, e.g. 'more than one port in the subset'. */
export function requiredWhenOf(schema: OpenAPIV3.SchemaObject): string | undefined {
  const value = extensionOf(schema, 'x-required-when');
  return typeof value === 'string' ? value : undefined;
}

/** `x-requires-one-of` of an object schema: at least one of these properties must be present. */
export function requiresOneOfOf(schema: OpenAPIV3.SchemaObject): string[] | undefined {
  const value = extensionOf(schema, 'x-requires-one-of');
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : undefined;
}

/** A property of an object schema, looking through a single-`allOf` wrapper
 * (`{description, allOf: [<ObjectMeta>]}`) to the schema it wraps. */
export function propertySchema(schema: OpenAPIV3.SchemaObject, property: string): OpenAPIV3.SchemaObject | undefined {
  const value = schema.properties?.[property];
  if (value === undefined || '$ref' in value) return undefined;
  return value;
}

/** The schema a property wrapper stands for: itself, or the one schema of its `allOf`. */
export function unwrapSchema(schema: OpenAPIV3.SchemaObject): OpenAPIV3.SchemaObject {
  if (schema.type === undefined && schema.allOf?.length === 1) {
    const inner = schema.allOf[0];
    if (inner !== undefined && !('$ref' in inner)) return inner;
  }
  return schema;
}

/** The schema at a dotted path from a named component schema; `[]` steps into array items.
 * E.g. `schemaAt(contract, 'Endpoints', 'subsets[].ports[].port')`. Wrappers are unwrapped
 * except for the last step (so its own `x-source` and description stay visible). */
export function schemaAt(contract: Contract, schemaName: string, path: string): OpenAPIV3.SchemaObject {
  let schema = contract.schemas[schemaName];
  if (schema === undefined) throw new ContractError(`the contract has no schema named ${schemaName}`);
  const steps = path === '' ? [] : path.split('.');
  for (const step of steps) {
    const isArray = step.endsWith('[]');
    const property = isArray ? step.slice(0, -2) : step;
    const next = propertySchema(unwrapSchema(schema), property);
    if (next === undefined) throw new ContractError(`the contract has no ${schemaName}.${path} (no property ${property})`);
    schema = next;
    if (isArray) {
      const items = schema.type === 'array' ? schema.items : undefined;
      if (items === undefined || '$ref' in items) {
        throw new ContractError(`the contract's ${schemaName}.${path}: ${property} is not an array of schemas`);
      }
      schema = items;
    }
  }
  return schema;
}

// ---------------------------------------------------------------- the rules

/** The IP ranges an endpoint address may not be in (`x-ip-forbidden-ranges` on EndpointAddress.ip). */
export function forbiddenIpRanges(contract: Contract): ForbiddenIpRangeRule[] {
  const ip = schemaAt(contract, 'EndpointAddress', 'ip');
  const value = extensionOf(ip, 'x-ip-forbidden-ranges');
  if (!Array.isArray(value)) throw new ContractError('the contract has no x-ip-forbidden-ranges on EndpointAddress.ip');
  return value.map((entry: unknown, index): ForbiddenIpRangeRule => {
    const where = `EndpointAddress.ip x-ip-forbidden-ranges[${index}]`;
    if (!isRecord(entry)) throw new ContractError(`the contract's ${where} is not an object`);
    const { name, ranges, message } = entry;
    if (typeof name !== 'string' || !(forbiddenRangeNames as readonly string[]).includes(name)) {
      throw new ContractError(`the contract's ${where} has an unknown name ${JSON.stringify(name)}`);
    }
    if (!Array.isArray(ranges) || ranges.length === 0 || !ranges.every((range) => typeof range === 'string')) {
      throw new ContractError(`the contract's ${where} has no list of CIDR ranges`);
    }
    if (typeof message !== 'string') throw new ContractError(`the contract's ${where} has no message`);
    const source = asSource(entry.source);
    if (source === undefined) throw new ContractError(`the contract's ${where} has no valid source`);
    return {
      name: name as ForbiddenIpRangeName,
      ranges: [...(ranges as string[])],
      message,
      anyIpv6Flags: entry['x-ipv6-any-flags'] === true,
      source,
    };
  });
}

/** EndpointPort.port minimum and maximum. */
export function portRange(contract: Contract): { min: number; max: number } {
  const port = schemaAt(contract, 'EndpointPort', 'port');
  if (typeof port.minimum !== 'number' || typeof port.maximum !== 'number') {
    throw new ContractError('the contract gives EndpointPort.port no minimum and maximum');
  }
  return { min: port.minimum, max: port.maximum };
}

/** EndpointPort.protocol's values a server stores and answers (case-sensitive). An empty
 * string in the document's enum is not one of them: it is the unset value (see
 * `emptyProtocolDefaulted`). */
export function protocolValues(contract: Contract): string[] {
  return stringEnum(schemaAt(contract, 'EndpointPort', 'protocol'), 'EndpointPort.protocol').filter((value) => value !== '');
}

/** Whether the contract accepts EndpointPort.protocol "" as unset: the document's enum lists ""
 * beside a default, and a server stores and answers the default for it, as for an omitted
 * protocol (Kubernetes S19). */
export function emptyProtocolDefaulted(contract: Contract): boolean {
  const protocol = schemaAt(contract, 'EndpointPort', 'protocol');
  if (!stringEnum(protocol, 'EndpointPort.protocol').includes('')) return false;
  if (typeof protocol.default !== 'string' || protocol.default === '') {
    throw new ContractError('the contract lists "" for EndpointPort.protocol but gives no default to take its place');
  }
  return true;
}

/** EndpointPort.protocol's default (what a server fills in when it is absent). */
export function defaultProtocol(contract: Contract): string {
  const protocol = schemaAt(contract, 'EndpointPort', 'protocol');
  if (typeof protocol.default !== 'string') throw new ContractError('the contract gives EndpointPort.protocol no default');
  return protocol.default;
}

/** The fieldManager query parameter's limits. */
export function fieldManagerLimit(contract: Contract): { maxBytes: number; printableOnly: boolean } {
  const parameter = parameterNamed(contract, 'fieldManager');
  const maxBytes = extensionOf(parameter, 'x-max-bytes');
  if (typeof maxBytes !== 'number') throw new ContractError('the contract gives the fieldManager parameter no x-max-bytes');
  return { maxBytes, printableOnly: extensionOf(parameter, 'x-printable-only') === true };
}

/** The dryRun query parameter's allowed values. */
export function dryRunValues(contract: Contract): string[] {
  return stringEnum(parameterSchema(contract, 'dryRun'), 'the dryRun parameter');
}

/** The fieldValidation query parameter's allowed values ('' included when the document lists it). */
export function fieldValidationValues(contract: Contract): string[] {
  return stringEnum(parameterSchema(contract, 'fieldValidation'), 'the fieldValidation parameter');
}

/** ManagedFieldsEntry.operation's allowed values. */
export function managedFieldsOperationValues(contract: Contract): string[] {
  return stringEnum(schemaAt(contract, 'ManagedFieldsEntry', 'operation'), 'ManagedFieldsEntry.operation');
}

/** ManagedFieldsEntry.fieldsType's allowed values. */
export function managedFieldsTypeValues(contract: Contract): string[] {
  return stringEnum(schemaAt(contract, 'ManagedFieldsEntry', 'fieldsType'), 'ManagedFieldsEntry.fieldsType');
}

/** Status.status's allowed values. */
export function statusValues(contract: Contract): string[] {
  return stringEnum(schemaAt(contract, 'Status', 'status'), 'Status.status');
}

/** ObjectMeta.annotations' limit on the total bytes of all keys and values. */
export function annotationsMaxTotalBytes(contract: Contract): number {
  const annotations = schemaAt(contract, 'ObjectMeta', 'annotations');
  const value = extensionOf(annotations, 'x-max-total-bytes');
  if (typeof value !== 'number') throw new ContractError('the contract gives ObjectMeta.annotations no x-max-total-bytes');
  return value;
}

/** A string schema's maxLength, e.g. `maxLengthOf(schemaAt(contract, 'EndpointAddress', 'hostname'))`. */
export function maxLengthOf(schema: OpenAPIV3.SchemaObject): number | undefined {
  return typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
}

// ---------------------------------------------------------------- internals

function parameterNamed(contract: Contract, name: string): OpenAPIV3.ParameterObject {
  const parameter = contract.parameters[name];
  if (parameter === undefined) throw new ContractError(`the contract has no ${name} parameter`);
  return parameter;
}

function parameterSchema(contract: Contract, name: string): OpenAPIV3.SchemaObject {
  const schema = parameterNamed(contract, name).schema;
  if (schema === undefined || '$ref' in schema) throw new ContractError(`the contract's ${name} parameter has no schema`);
  return schema;
}

function stringEnum(schema: OpenAPIV3.SchemaObject, what: string): string[] {
  const values = schema.enum;
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
    throw new ContractError(`the contract gives ${what} no list of string values`);
  }
  return [...(values as string[])];
}

function asSource(value: unknown): ContractSource | undefined {
  if (!isRecord(value)) return undefined;
  const { origin, ref } = value;
  if (typeof origin !== 'string' || !(sourceOrigins as readonly string[]).includes(origin)) return undefined;
  if (typeof ref !== 'string' || ref === '') return undefined;
  return { origin: origin as SourceOrigin, ref };
}

function asNameFormat(value: unknown): NameFormat | undefined {
  return typeof value === 'string' && (nameFormats as readonly string[]).includes(value) ? (value as NameFormat) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

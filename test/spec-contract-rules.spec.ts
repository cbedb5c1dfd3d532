/**
 * The typed accessors return what the document says — and follow the document when it
 * changes (altered copies), so they cannot be constants in disguise.
 */
import { strict as assert } from 'node:assert';
import { ContractError, loadContract, type Contract } from '../spec/loadContract.ts';
import {
  annotationsMaxTotalBytes,
  defaultProtocol,
  dryRunValues,
  emptyProtocolDefaulted,
  fieldManagerLimit,
  fieldValidationValues,
  forbiddenIpRanges,
  keyNameFormatOf,
  managedFieldsOperationValues,
  managedFieldsTypeValues,
  maxLengthOf,
  nameFormatOf,
  portRange,
  protocolValues,
  requiredWhenOf,
  requiresOneOfOf,
  ruleSourceOf,
  schemaAt,
  sourceOf,
  statusValues,
} from '../spec/contractRules.ts';
import { alteredContractFile, at, rawParameter } from './fixtures/spec/contractCopies.ts';

describe('spec: contract rules (x- extensions and keywords)', () => {
  let contract: Contract;
  before(async () => {
    contract = await loadContract();
  });

  it('port range, protocols and their default', () => {
    assert.deepEqual(portRange(contract), { min: 1, max: 65535 });
    assert.deepEqual(protocolValues(contract), ['TCP', 'UDP', 'SCTP']);
    assert.equal(defaultProtocol(contract), 'TCP');
    assert.equal(emptyProtocolDefaulted(contract), true, 'the enum lists "" (unset, defaulted: Kubernetes S19)');
    assert.deepEqual(ruleSourceOf(schemaAt(contract, 'EndpointPort', 'port'), 'maximum'), { origin: 'kubernetes', ref: 'S18' });
    assert.equal(ruleSourceOf(schemaAt(contract, 'EndpointPort', 'protocol'), 'enum')?.origin, 'vendor-prose');
  });

  it('query parameter values and limits', () => {
    assert.deepEqual(dryRunValues(contract), ['All']);
    assert.deepEqual(fieldValidationValues(contract), ['', 'Ignore', 'Warn', 'Strict']);
    assert.deepEqual(fieldManagerLimit(contract), { maxBytes: 128, printableOnly: true });
  });

  it('managedFields, Status and annotation rules', () => {
    assert.deepEqual(managedFieldsOperationValues(contract), ['Apply', 'Update']);
    assert.deepEqual(managedFieldsTypeValues(contract), ['FieldsV1']);
    assert.deepEqual(statusValues(contract), ['Success', 'Failure']);
    assert.equal(annotationsMaxTotalBytes(contract), 262144);
  });

  it('forbidden IP ranges, with their messages, flags and sources', () => {
    const ranges = forbiddenIpRanges(contract);
    assert.deepEqual(
      ranges.map(({ name, ranges: cidrs, anyIpv6Flags }) => ({ name, cidrs, anyIpv6Flags })),
      [
        { name: 'unspecified', cidrs: ['0.0.0.0/32', '::/128'], anyIpv6Flags: false },
        { name: 'loopback', cidrs: ['127.0.0.0/8', '::1/128'], anyIpv6Flags: false },
        { name: 'link-local', cidrs: ['169.254.0.0/16', 'fe80::/10'], anyIpv6Flags: false },
        { name: 'link-local-multicast', cidrs: ['224.0.0.0/24', 'ff02::/16'], anyIpv6Flags: true },
      ],
    );
    assert.deepEqual(ranges.map((range) => range.message), [
      'may not be unspecified (0.0.0.0)',
      'may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
    assert.deepEqual(ranges.map((range) => range.source.origin), ['kubernetes', 'vendor-prose', 'vendor-prose', 'vendor-prose']);
    assert.equal(ranges[0]?.source.ref, 'S8');
  });

  it('name formats, conditional requirements and sources of fields', () => {
    assert.equal(nameFormatOf(schemaAt(contract, 'EndpointAddress', 'hostname')), 'dns-1123-label');
    assert.equal(maxLengthOf(schemaAt(contract, 'EndpointAddress', 'hostname')), 63);
    assert.equal(nameFormatOf(schemaAt(contract, 'EndpointAddress', 'nodeName')), 'dns-1123-subdomain');
    assert.equal(nameFormatOf(schemaAt(contract, 'ObjectMeta', 'name')), 'dns-1123-subdomain');
    assert.equal(maxLengthOf(schemaAt(contract, 'ObjectMeta', 'name')), 253);
    assert.equal(nameFormatOf(schemaAt(contract, 'EndpointPort', 'appProtocol')), 'qualified-name');
    assert.equal(nameFormatOf(schemaAt(contract, 'EndpointAddress', 'ip')), undefined);
    assert.equal(keyNameFormatOf(schemaAt(contract, 'ObjectMeta', 'labels')), 'qualified-name');
    assert.equal(keyNameFormatOf(schemaAt(contract, 'ObjectMeta', 'annotations')), 'qualified-name');
    assert.equal(requiredWhenOf(schemaAt(contract, 'EndpointPort', 'name')), 'more than one port in the subset');
    assert.deepEqual(requiresOneOfOf(contract.schemas.EndpointSubset!), ['addresses', 'notReadyAddresses']);
    // paths through arrays and allOf wrappers
    assert.equal(schemaAt(contract, 'Endpoints', 'subsets[].ports[].port'), schemaAt(contract, 'EndpointPort', 'port'));
    assert.equal(nameFormatOf(schemaAt(contract, 'Endpoints', 'metadata.name')), 'dns-1123-subdomain');
    assert.deepEqual(sourceOf(schemaAt(contract, 'EndpointAddress', 'ip')), { origin: 'vendor-table', ref: 'table 8 EndpointAddress, row ip' });
    assert.throws(() => schemaAt(contract, 'Endpoints', 'subsets[].nope'), ContractError);
  });

  it('follow the document when it changes', async () => {
    const path = await alteredContractFile((document) => {
      const port = at(document, 'components', 'schemas', 'EndpointPort', 'properties', 'port');
      port.minimum = 2;
      port.maximum = 1024;
      at(document, 'components', 'schemas', 'EndpointPort', 'properties', 'protocol').enum = ['TCP'];
      rawParameter(document, 'fieldManager')['x-max-bytes'] = 64;
      rawParameter(document, 'fieldManager')['x-printable-only'] = false;
      const ip = at(document, 'components', 'schemas', 'EndpointAddress', 'properties', 'ip');
      ip['x-ip-forbidden-ranges'] = (ip['x-ip-forbidden-ranges'] as unknown[]).slice(1, 2);
      at(document, 'components', 'schemas', 'ObjectMeta', 'properties', 'annotations')['x-max-total-bytes'] = 1000;
    });
    const altered = await loadContract(path);
    assert.deepEqual(portRange(altered), { min: 2, max: 1024 });
    assert.deepEqual(protocolValues(altered), ['TCP']);
    assert.equal(emptyProtocolDefaulted(altered), false);
    assert.deepEqual(fieldManagerLimit(altered), { maxBytes: 64, printableOnly: false });
    assert.deepEqual(forbiddenIpRanges(altered).map((range) => range.name), ['loopback']);
    assert.equal(annotationsMaxTotalBytes(altered), 1000);
  });

  it('say clearly when the document lacks a rule', async () => {
    const path = await alteredContractFile((document) => {
      delete at(document, 'components', 'schemas', 'EndpointPort', 'properties', 'port').maximum;
      delete at(document, 'components', 'schemas', 'EndpointAddress', 'properties', 'ip')['x-ip-forbidden-ranges'];
      delete at(document, 'components', 'schemas', 'ObjectMeta', 'properties', 'annotations')['x-max-total-bytes'];
    });
    const altered = await loadContract(path);
    assert.throws(() => portRange(altered), /^ContractError: the contract gives EndpointPort\.port no minimum and maximum$/);
    assert.throws(() => forbiddenIpRanges(altered), /x-ip-forbidden-ranges/);
    assert.throws(() => annotationsMaxTotalBytes(altered), /x-max-total-bytes/);
  });

  it('call a protocol "" without a default to take its place an error', async () => {
    const path = await alteredContractFile((document) => {
      delete at(document, 'components', 'schemas', 'EndpointPort', 'properties', 'protocol').default;
    });
    const altered = await loadContract(path);
    assert.throws(() => emptyProtocolDefaulted(altered), /^ContractError: the contract lists "" for EndpointPort\.protocol but gives no default/);
  });

  it('rejects a forbidden range with an unknown name', async () => {
    const path = await alteredContractFile((document) => {
      const ip = at(document, 'components', 'schemas', 'EndpointAddress', 'properties', 'ip');
      (ip['x-ip-forbidden-ranges'] as Array<Record<string, unknown>>)[0]!.name = 'private';
    });
    const altered = await loadContract(path);
    assert.throws(() => forbiddenIpRanges(altered), /unknown name "private"/);
  });
});


/**
 * Port categories (rules note S18–S25, R23; vendor page EndpointPort): each breaks one port of
 * a valid body, at any subset and port index (an existing port or a new one appended).
 */
import fc from 'fast-check';
import type { Contract } from '../../spec/loadContract.ts';
import type { CaseCategory } from '../categories.ts';
import { editPort, editSubset, portPick } from '../bodyPositions.ts';
import { constraintsOf } from '../contractConstraints.ts';
import { fieldPattern, type EndpointPortBody } from '../endpointsBody.ts';
import type { JsonValue } from '../case.ts';
import { invalidName, type InvalidValue } from '../nameFormats.ts';
import { expectBadRequest, expectInvalid } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { validEndpointsBody, validPort, validQuery } from '../validEndpoints.ts';

/** One port edit: the new port, what is wrong, which member of the port carries the error. */
interface PortBreak {
  edit: (port: EndpointPortBody) => EndpointPortBody;
  flaw: string;
  member: 'port' | 'protocol' | 'name' | 'appProtocol';
}

type Outcome = { kind: 'invalid'; causeType: string } | { kind: 'bad-request' };

function badPortCategory(
  name: string,
  description: string,
  source: string,
  breaks: (contract: Contract) => fc.Arbitrary<PortBreak>,
  outcome: Outcome,
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'port',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(validEndpointsBody(constraints, { minSubsets: 1 }), portPick(constraints), breaks(contract), validQuery(constraints))
        .map(([body, pick, broken, query]) => {
          const placed = editPort(body, pick, broken.edit);
          const field = `${placed.path}.${broken.member}`;
          return singleRequestCase({
            category: name,
            description: `${broken.flaw} at ${field}`,
            body: placed.body,
            query,
            expect: outcome.kind === 'invalid' ? expectInvalid([{ field, type: outcome.causeType }]) : expectBadRequest(),
            invalidFields: [fieldPattern(field)],
          });
        });
    },
  };
}

function setPort(value: JsonValue | undefined, flaw: string): PortBreak {
  return {
    edit: (port) => {
      const edited = { ...port };
      if (value === undefined) delete edited.port;
      else edited.port = value;
      return edited;
    },
    flaw,
    member: 'port',
  };
}

/** Every casing of `value` other than itself, e.g. TCP → tcp, Tcp, tCP… */
function otherCasings(value: string): string[] {
  const lower = value.toLowerCase();
  const variants = new Set([lower, value.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1), lower.slice(0, -1) + lower.slice(-1).toUpperCase()]);
  variants.delete(value);
  return [...variants];
}

const int32Max = 2 ** 31 - 1;

const portNumberFlaws = (low: number) => fc.integer({ min: -(2 ** 31), max: low });

export const portCategories: readonly CaseCategory[] = [
  badPortCategory(
    'port-missing',
    'a port without port number (decodes to 0, outside 1..65535): 422 FieldValueInvalid',
    'rules S18, §5b; vendor page EndpointPort.port required',
    () => fc.constant(setPort(undefined, 'port without number')),
    { kind: 'invalid', causeType: 'FieldValueInvalid' },
  ),
  badPortCategory(
    'port-zero',
    'port number 0, outside the contract range: 422 FieldValueInvalid',
    'rules S18; contract EndpointPort.port minimum',
    () => fc.constant(setPort(0, 'port 0')),
    { kind: 'invalid', causeType: 'FieldValueInvalid' },
  ),
  badPortCategory(
    'port-negative',
    'a negative port number (within int32): 422 FieldValueInvalid',
    'rules S18; contract EndpointPort.port minimum',
    (contract) => portNumberFlaws(Math.min(-1, constraintsOf(contract).port.min - 1)).map((value) => setPort(value, `port ${value}`)),
    { kind: 'invalid', causeType: 'FieldValueInvalid' },
  ),
  badPortCategory(
    'port-too-large',
    'a port number above the contract maximum (65536..2^31-1): 422 FieldValueInvalid',
    'rules S18; contract EndpointPort.port maximum',
    (contract) => fc.integer({ min: constraintsOf(contract).port.max + 1, max: int32Max }).map((value) => setPort(value, `port ${value}`)),
    { kind: 'invalid', causeType: 'FieldValueInvalid' },
  ),
  badPortCategory(
    'port-wrong-type',
    'a port that is not an int32 (string, fraction, beyond int32, boolean, array, object): the body cannot be decoded, 400',
    'rules R23',
    () =>
      fc.oneof(
        fc.integer({ min: 1, max: 65535 }).map((value) => setPort(String(value), `port as string "${value}"`)),
        fc.tuple(fc.integer({ min: 1, max: 65534 }), fc.constantFrom(0.5, 0.25, 0.001)).map(([value, fraction]) => setPort(value + fraction, `fractional port ${value + fraction}`)),
        fc.integer({ min: int32Max + 1, max: Number.MAX_SAFE_INTEGER }).map((value) => setPort(value, `port ${value} beyond int32`)),
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 }).map((value) => setPort(value, `port ${value} below int32`)),
        fc.boolean().map((value) => setPort(value, `boolean port ${value}`)),
        fc.integer({ min: 1, max: 65535 }).map((value) => setPort([value], `port as array [${value}]`)),
        fc.constant(setPort({}, 'port as object')),
      ),
    { kind: 'bad-request' },
  ),
  badPortCategory(
    'protocol-unsupported',
    'a protocol other than the contract values (case matters: tcp, Tcp, HTTP…): 422 FieldValueNotSupported',
    'rules S20; vendor page EndpointPort.protocol "Must be UDP, TCP, or SCTP"; contract protocol enum',
    (contract) => {
      const allowed = constraintsOf(contract).protocols;
      const candidates = [...new Set([...allowed.flatMap(otherCasings), 'HTTP', 'HTTPS', 'ICMP', 'GRPC', 'TCP/UDP', 'any', 'TCP ', ' UDP', 'QUIC', 'SCTP6'])].filter(
        (candidate) => candidate !== '' && !allowed.includes(candidate),
      );
      return fc.constantFrom(...candidates).map((protocol): PortBreak => ({ edit: (port) => ({ ...port, protocol }), flaw: `protocol ${JSON.stringify(protocol)}`, member: 'protocol' }));
    },
    { kind: 'invalid', causeType: 'FieldValueNotSupported' },
  ),
  badPortCategory(
    'port-name-invalid',
    'a port name that is not a DNS-1123 label (uppercase, "_", dots, edges, over 63): 422 FieldValueInvalid',
    'rules S23; vendor page EndpointPort.name "Must be a DNS_LABEL"',
    (contract) => invalidName(constraintsOf(contract).nameFormats.portName).map((bad): PortBreak => ({ edit: (port) => ({ ...port, name: bad.value }), flaw: `port name ${JSON.stringify(bad.value)} (${bad.flaw})`, member: 'name' })),
    { kind: 'invalid', causeType: 'FieldValueInvalid' },
  ),
  badPortCategory(
    'app-protocol-invalid',
    'an appProtocol that is not a qualified name (label-key syntax): 422 FieldValueInvalid',
    'rules S25; vendor page EndpointPort.appProtocol "follows standard Kubernetes label syntax"',
    (contract) =>
      fc.oneof(invalidName(constraintsOf(contract).nameFormats.appProtocol), fc.constant<InvalidValue>({ value: '', flaw: 'empty' })).map((bad): PortBreak => ({
        edit: (port) => ({ ...port, appProtocol: bad.value }),
        flaw: `appProtocol ${JSON.stringify(bad.value)} (${bad.flaw})`,
        member: 'appProtocol',
      })),
    { kind: 'invalid', causeType: 'FieldValueInvalid' },
  ),
  portNamesMissing(),
];

/** Several ports in one subset, one or more without a name: FieldValueRequired at each (S21). */
function portNamesMissing(): CaseCategory {
  const name = 'port-names-missing';
  return {
    name,
    description: 'a subset with several ports where some have no name (required when more than one port): 422 FieldValueRequired at each',
    source: 'rules S21; vendor page EndpointPort.name "Optional only if one port is defined"',
    group: 'port',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(
          validEndpointsBody(constraints, { minSubsets: 1 }),
          fc.nat(),
          fc.array(validPort(constraints, true), { minLength: 2, maxLength: 4 }),
          fc.nat(),
          fc.boolean(),
          validQuery(constraints),
        )
        .map(([body, subsetPick, freshPorts, unnamedPick, emptyString, query]) => {
          let unnamed: number[] = [];
          const placed = editSubset(body, subsetPick, (subset) => {
            const existing = subset.ports ?? [];
            const ports = [...existing, ...freshPorts].slice(0, Math.max(existing.length, freshPorts.length));
            const all = ports.length;
            // a non-empty set of indices, from the bits of the pick
            const mask = (unnamedPick % (2 ** all - 1)) + 1;
            unnamed = ports.map((_port, index) => index).filter((index) => (mask >> index) & 1);
            return {
              ...subset,
              ports: ports.map((port, index) => {
                if (!unnamed.includes(index)) return { ...port, name: port.name === undefined || port.name === '' ? `port-${index}` : port.name };
                const withoutName = { ...port };
                if (emptyString) withoutName.name = '';
                else delete withoutName.name;
                return withoutName;
              }),
            };
          });
          const fields = unnamed.map((index) => `${placed.path}.ports[${index}].name`);
          return singleRequestCase({
            category: name,
            description: `${unnamed.length} unnamed port(s) ${emptyString ? '(name "")' : '(no name)'} at ${fields.join(', ')}`,
            body: placed.body,
            query,
            expect: expectInvalid(fields.map((field) => ({ field, type: 'FieldValueRequired' }))),
            invalidFields: ['subsets[].ports[].name'],
          });
        });
    },
  };
}

/**
 * Valid requests (rules note S1–S27 valid rows, M4, R7, R14, R20, §6): the body is created
 * (201) and echoed; ports without a protocol are echoed with the default; dryRun=All persists
 * nothing.
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import type { ConformanceCase } from '../case.ts';
import { editPort, portPick } from '../bodyPositions.ts';
import { constraintsOf, type ContractConstraints } from '../contractConstraints.ts';
import type { EndpointPortBody, EndpointsBody } from '../endpointsBody.ts';
import { expectCreated, getRequest, step } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { validEndpointsBody, validQuery, type ValidBodyOptions } from '../validEndpoints.ts';
import { changedBody, describeBody } from './scenarioBodies.ts';
import { putStep, replaced, scenarioCase } from './scenarioCase.ts';

function dryRunQuery(constraints: ContractConstraints): fc.Arbitrary<Array<[string, string]>> {
  return fc
    .tuple(fc.constantFrom(...constraints.dryRunValues), fc.boolean())
    .map(([value, twice]): Array<[string, string]> => (twice ? [['dryRun', value], ['dryRun', value]] : [['dryRun', value]]));
}

function validEndpoints(): CaseCategory {
  const name = 'valid-endpoints';
  return {
    name,
    description: 'a valid Endpoints body (subsets, IPv4/IPv6 addresses, ports, labels, annotations, owner references) and valid query: created (201) and echoed',
    source: 'rules S1, S3, S4, S6, S12, S14, S17, S19, S22, S24, S26, M4, M18, R14, R20, §6; vendor page request/response tables',
    group: 'valid',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc.tuple(validEndpointsBody(constraints), validQuery(constraints)).map(([body, query]) =>
        singleRequestCase({
          category: name,
          description: `valid: ${describeBody(body)}${query.length > 0 ? `; query ${query.map(([key]) => key).join(',')}` : ''}`,
          body,
          query,
          expect: expectCreated(),
          invalidFields: [],
        }),
      );
    },
  };
}

function validDryRun(): CaseCategory {
  const name = 'valid-dry-run';
  return {
    name,
    description: 'dryRun=All on a valid body: 201 for a new object / 200 for an existing one, and nothing is persisted',
    source: 'rules R7, §6 (dryRun rows); vendor page query dryRun',
    group: 'valid',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      const scenarioBody = validEndpointsBody(constraints, { ownerReferences: false });
      const onAbsent = fc.tuple(validEndpointsBody(constraints), validQuery(constraints), dryRunQuery(constraints)).map(([body, query, dryRun]): ConformanceCase => {
        const single = singleRequestCase({
          category: name,
          description: `dryRun on a new object: ${describeBody(body)}`,
          body,
          query: [...query, ...dryRun],
          expect: { status: [201], echo: true },
          invalidFields: [],
        });
        const objectName = body.metadata.name ?? '{{unique}}';
        return {
          ...single,
          steps: [...single.steps, step(getRequest(objectName), { status: [404], reason: ['NotFound'], absent: true })],
        };
      });
      const onExisting = fc
        .tuple(scenarioBody, scenarioBody, validQuery(constraints), dryRunQuery(constraints))
        .map(([first, other, query, dryRun]): ConformanceCase => {
          const objectName = first.metadata.name ?? '{{unique}}';
          const second = changedBody(first, other, 1);
          return scenarioCase(name, `dryRun replace of an existing object: ${describeBody(second)}`, [
            putStep(objectName, query, first, expectCreated()),
            putStep(objectName, [...query, ...dryRun], second, { status: [200], echo: true }),
            step(getRequest(objectName), { status: [200], storedEquals: 0 }),
          ], [...query, ...dryRun]);
        });
      return fc.oneof(onAbsent, onExisting);
    },
  };
}

/** How a port leaves its protocol unset: `""` (when the contract accepts it) or no member. */
type UnsetProtocol = 'empty' | 'omitted';

function unsetProtocol(constraints: ContractConstraints): fc.Arbitrary<UnsetProtocol> {
  if (!constraints.emptyProtocolDefaulted) return fc.constant<UnsetProtocol>('omitted');
  // "" is what no other category sends; omission is also common in valid-endpoints
  return fc.oneof({ weight: 2, arbitrary: fc.constant<UnsetProtocol>('empty') }, { weight: 1, arbitrary: fc.constant<UnsetProtocol>('omitted') });
}

function withProtocolUnset(port: EndpointPortBody, how: UnsetProtocol): EndpointPortBody {
  const edited = { ...port };
  if (how === 'empty') edited.protocol = '';
  else delete edited.protocol;
  return edited;
}

interface DefaultedBody {
  body: EndpointsBody;
  /** The ports sent without a protocol, e.g. 'subsets[0].ports[1] ""', 'subsets[1].ports[0] omitted'. */
  unset: string[];
}

/** A valid body (at least one subset) in which the picked port (an existing one or one appended),
 * and any others `more` picks, carry protocol "" or none: Kubernetes defaults each to the
 * contract's default (S19). editPort keeps a subset with several ports all named (S21). */
function defaultedBody(constraints: ContractConstraints, options: ValidBodyOptions = {}): fc.Arbitrary<DefaultedBody> {
  const how = unsetProtocol(constraints);
  return fc
    .tuple(validEndpointsBody(constraints, { ...options, minSubsets: 1 }), portPick(constraints), how, fc.array(fc.option(how, { nil: undefined }), { maxLength: 8 }))
    .map(([body, pick, first, more]): DefaultedBody => {
      const placed = editPort(body, pick, (port) => withProtocolUnset(port, first));
      const unset: string[] = [];
      let next = 0;
      (placed.body.subsets ?? []).forEach((subset, i) =>
        (subset.ports ?? []).forEach((port, k, ports) => {
          const extra = more[next++];
          const edited = extra === undefined ? port : withProtocolUnset(port, extra);
          ports[k] = edited;
          if (edited.protocol === undefined || edited.protocol === '') unset.push(`subsets[${i}].ports[${k}] ${edited.protocol === '' ? '""' : 'omitted'}`);
        }),
      );
      return { body: placed.body, unset };
    });
}

function validProtocolDefaulted(): CaseCategory {
  const name = 'valid-protocol-defaulted';
  return {
    name,
    description: 'ports whose protocol is "" or omitted (valid, unset): created (201) or replaced (200), echoed with the default protocol TCP',
    source: 'rules S19, §6 (Defaulting); vendor page EndpointPort.protocol "Default is TCP"; contract protocol default',
    group: 'valid',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      const defaulted = (unset: string[]): string => `protocol unset at ${unset.join(', ')} (expected ${constraints.protocolDefault})`;
      const onCreate = fc.tuple(defaultedBody(constraints), validQuery(constraints)).map(([{ body, unset }, query]) =>
        singleRequestCase({
          category: name,
          description: `create, ${defaulted(unset)}: ${describeBody(body)}`,
          body,
          query,
          expect: expectCreated(),
          invalidFields: [],
        }),
      );
      // A server may default on create and forget it on update (another code path).
      const onReplace = fc
        .tuple(validEndpointsBody(constraints, { ownerReferences: false }), defaultedBody(constraints, { ownerReferences: false }), validQuery(constraints))
        .map(([first, { body: other, unset }, query]): ConformanceCase => {
          const objectName = first.metadata.name ?? '{{unique}}';
          const second = changedBody(first, other, 1);
          return scenarioCase(name, `replace, ${defaulted(unset)}: ${describeBody(second)}`, [
            putStep(objectName, query, first, expectCreated()),
            putStep(objectName, query, second, replaced()),
          ], query);
        });
      return fc.oneof(onCreate, onReplace);
    },
  };
}

export const validCategories: readonly CaseCategory[] = [validEndpoints(), validDryRun(), validProtocolDefaulted()];

/**
 * Address and subset categories (rules note S2, S13, S15; vendor page EndpointAddress,
 * EndpointSubset).
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import { addressPick, editAddress } from '../bodyPositions.ts';
import { constraintsOf, type ContractConstraints } from '../contractConstraints.ts';
import { copyBody, fieldPattern, type EndpointSubsetBody } from '../endpointsBody.ts';
import { invalidName, type InvalidValue } from '../nameFormats.ts';
import { expectInvalid } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { validEndpointsBody, validPort, validQuery } from '../validEndpoints.ts';

function badAddressMemberCategory(
  name: string,
  description: string,
  source: string,
  member: 'hostname' | 'nodeName',
  badValue: (constraints: ContractConstraints) => fc.Arbitrary<InvalidValue>,
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'address',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(validEndpointsBody(constraints, { minSubsets: 1 }), addressPick(constraints), badValue(constraints), validQuery(constraints))
        .map(([body, pick, bad, query]) => {
          const placed = editAddress(body, pick, (address) => ({ ...address, [member]: bad.value }));
          const field = `${placed.path}.${member}`;
          return singleRequestCase({
            category: name,
            description: `${member} ${JSON.stringify(bad.value)} (${bad.flaw}) at ${field}`,
            body: placed.body,
            query,
            expect: expectInvalid([{ field, type: 'FieldValueInvalid' }]),
            invalidFields: [fieldPattern(field)],
          });
        });
    },
  };
}

/** Subsets with neither addresses nor notReadyAddresses, in the shapes a client may send. */
type EmptySubsetShape = 'empty object' | 'ports only' | 'empty lists' | 'empty lists with ports';

function subsetWithoutAddresses(): CaseCategory {
  const name = 'subset-without-addresses';
  return {
    name,
    description: 'a subset with neither addresses nor notReadyAddresses: 422 FieldValueRequired on the subset',
    source: 'rules S2',
    group: 'address',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(
          validEndpointsBody(constraints, { minSubsets: 0 }),
          fc.nat(),
          fc.boolean(),
          fc.constantFrom<EmptySubsetShape>('empty object', 'ports only', 'empty lists', 'empty lists with ports'),
          validPort(constraints, false),
          validQuery(constraints),
        )
        .map(([body, pick, insert, shape, port, query]) => {
          const copy = copyBody(body);
          const subsets = copy.subsets ?? [];
          const index = pick % (subsets.length + (insert || subsets.length === 0 ? 1 : 0));
          const broken: EndpointSubsetBody =
            shape === 'empty object'
              ? {}
              : shape === 'ports only'
                ? { ports: [port] }
                : shape === 'empty lists'
                  ? { addresses: [], notReadyAddresses: [] }
                  : { addresses: [], ports: [port] };
          if (insert || index >= subsets.length) subsets.splice(index, 0, broken);
          else subsets[index] = broken;
          copy.subsets = subsets;
          const field = `subsets[${index}]`;
          return singleRequestCase({
            category: name,
            description: `subset ${index} without addresses (${shape})`,
            body: copy,
            query,
            expect: expectInvalid([{ field, type: 'FieldValueRequired' }]),
            invalidFields: ['subsets[].addresses', 'subsets[].notReadyAddresses'],
          });
        });
    },
  };
}

export const addressCategories: readonly CaseCategory[] = [
  badAddressMemberCategory(
    'hostname-invalid',
    'an address hostname that is not a DNS-1123 label (uppercase, "_", dots, edges, over 63): 422 FieldValueInvalid',
    'rules S13',
    'hostname',
    (constraints) => invalidName(constraints.nameFormats.hostname),
  ),
  badAddressMemberCategory(
    'node-name-invalid',
    'an address nodeName that is not a DNS-1123 subdomain, empty included: 422 FieldValueInvalid',
    'rules S15',
    'nodeName',
    (constraints) => fc.oneof({ weight: 1, arbitrary: fc.constant<InvalidValue>({ value: '', flaw: 'empty' }) }, { weight: 6, arbitrary: invalidName(constraints.nameFormats.nodeName) }),
  ),
  subsetWithoutAddresses(),
];

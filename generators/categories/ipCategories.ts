/**
 * IP categories (rules note S5–S11, vendor page EndpointAddress.ip): each puts one bad IP into
 * `addresses` or `notReadyAddresses` of a valid body, at any subset and address index.
 */
import fc from 'fast-check';
import type { Contract } from '../../spec/loadContract.ts';
import type { StepExpectation } from '../case.ts';
import type { CaseCategory } from '../categories.ts';
import { addressPick, editAddress } from '../bodyPositions.ts';
import { constraintsOf, forbiddenRange, type ForbiddenRangeName } from '../contractConstraints.ts';
import { fieldPattern } from '../endpointsBody.ts';
import { ipInForbiddenRange, nonStandardIp, notAnIp } from '../ipAddresses.ts';
import { expectInvalid } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { validEndpointsBody, validQuery } from '../validEndpoints.ts';

/** A category whose cases set one address's ip to a value drawn from `badIp`. */
function badIpCategory(
  name: string,
  description: string,
  source: string,
  badIp: (contract: Contract) => fc.Arbitrary<{ value: string | undefined; flaw: string }>,
  build: (placed: { ipField: string; flaw: string; value: string | undefined }) => { description: string; expect: StepExpectation },
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'ip',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(validEndpointsBody(constraints, { minSubsets: 1 }), addressPick(constraints), badIp(contract), validQuery(constraints))
        .map(([body, pick, bad, query]) => {
          const placed = editAddress(body, pick, (address) => {
            const edited = { ...address };
            if (bad.value === undefined) delete edited.ip;
            else edited.ip = bad.value;
            return edited;
          });
          const ipField = `${placed.path}.ip`;
          const built = build({ ipField, flaw: bad.flaw, value: bad.value });
          return singleRequestCase({
            category: name,
            description: built.description,
            body: placed.body,
            query,
            expect: built.expect,
            invalidFields: [fieldPattern(ipField)],
          });
        });
    },
  };
}

function forbiddenRangeCategory(name: string, rangeName: ForbiddenRangeName, words: string, source: string): CaseCategory {
  return badIpCategory(
    name,
    `an address ip in the ${words} range, which Endpoints may not use (422 FieldValueInvalid)`,
    source,
    (contract) => ipInForbiddenRange(forbiddenRange(constraintsOf(contract), rangeName)).map((value) => ({ value, flaw: words })),
    ({ ipField, value }) => ({
      description: `${words} ${JSON.stringify(value)} at ${ipField}`,
      expect: expectInvalid([{ field: ipField, type: 'FieldValueInvalid' }]),
    }),
  );
}

export const ipCategories: readonly CaseCategory[] = [
  badIpCategory(
    'ip-not-an-ip',
    'an address ip that is not an IP address (garbage, hostname, CIDR, ip:port, bracketed or zoned IPv6, bad octets, empty): 422, two causes on the field',
    'rules S5; vendor page EndpointAddress.ip (required, "The IP of this endpoint")',
    () => notAnIp(),
    ({ ipField, flaw, value }) => ({
      description: `not an IP (${flaw}) ${JSON.stringify(value)} at ${ipField}`,
      expect: expectInvalid([{ field: ipField, type: 'FieldValueInvalid' }]),
    }),
  ),
  forbiddenRangeCategory('ip-unspecified', 'unspecified', 'unspecified', 'rules S8; contract x-ip-forbidden-ranges'),
  forbiddenRangeCategory('ip-loopback', 'loopback', 'loopback', 'rules S9; vendor page EndpointAddress.ip "May not be loopback (127.0.0.0/8)"'),
  forbiddenRangeCategory('ip-link-local', 'link-local', 'link-local', 'rules S10; vendor page EndpointAddress.ip "link-local (169.254.0.0/16)"'),
  forbiddenRangeCategory(
    'ip-link-local-multicast',
    'link-local-multicast',
    'link-local multicast',
    'rules S11; vendor page EndpointAddress.ip "link-local multicast (224.0.0.0/24)"',
  ),
  badIpCategory(
    'ip-missing',
    'an address without ip (decodes to "", so invalid like an empty ip): 422, two causes on the field',
    'rules S5, §5b; vendor page EndpointAddress.ip required',
    () => fc.constant({ value: undefined, flaw: 'missing' }),
    ({ ipField }) => ({
      description: `address without ip at ${ipField}`,
      expect: expectInvalid([{ field: ipField, type: 'FieldValueInvalid' }]),
    }),
  ),
  badIpCategory(
    'ip-leading-zero',
    'an IPv4 with leading zeros or an IPv4-mapped IPv6: accepted with a warning up to 1.35, rejected from 1.36 (StrictIPCIDRValidation)',
    'rules S7, §8; KEP-4858',
    () => nonStandardIp(),
    ({ ipField, flaw, value }) => ({
      description: `non-standard IP (${flaw}) ${JSON.stringify(value)} at ${ipField}`,
      expect: {
        status: [201, 422],
        why: 'Kubernetes ≤1.35 accepts it with a Warning (201); 1.36 with StrictIPCIDRValidation rejects it (422 FieldValueInvalid)',
        reason: ['Invalid'],
        causes: [{ field: ipField, type: 'FieldValueInvalid' }],
      },
    }),
  ),
];

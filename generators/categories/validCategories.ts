/**
 * Valid requests (rules note S1–S27 valid rows, M4, R7, R14, R20, §6): the body is created
 * (201) and echoed; dryRun=All persists nothing.
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import type { ConformanceCase } from '../case.ts';
import { constraintsOf, type ContractConstraints } from '../contractConstraints.ts';
import { exercisedFields, jsonView } from '../endpointsBody.ts';
import { expectCreated, getRequest, queryFields, request, step } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { validEndpointsBody, validQuery } from '../validEndpoints.ts';
import { changedBody, describeBody } from './scenarioBodies.ts';

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
          const firstJson = jsonView(first);
          const secondJson = jsonView(second);
          return {
            category: name,
            description: `dryRun replace of an existing object: ${describeBody(second)}`,
            steps: [
              step(request({ name: objectName, query }, { kind: 'json', value: firstJson }), expectCreated()),
              step(request({ name: objectName, query: [...query, ...dryRun] }, { kind: 'json', value: secondJson }), { status: [200], echo: true }),
              step(getRequest(objectName), { status: [200], storedEquals: 0 }),
            ],
            exercises: {
              valid: [...new Set(['path.namespace', 'path.name', ...exercisedFields(firstJson), ...exercisedFields(secondJson), ...queryFields([...query, ...dryRun])])],
              invalid: [],
            },
            needs: ['stored-object'],
          };
        });
      return fc.oneof(onAbsent, onExisting);
    },
  };
}

export const validCategories: readonly CaseCategory[] = [validEndpoints(), validDryRun()];

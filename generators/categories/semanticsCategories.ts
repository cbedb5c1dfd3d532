/**
 * Multi-step semantics scenarios (rules note M12–M16, §1 step 13, §6): create on PUT, replace,
 * no-op replace, optimistic concurrency, uid preconditions, unconditional replace. All need a
 * target that stores objects.
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import type { CaseStep } from '../case.ts';
import { constraintsOf } from '../contractConstraints.ts';
import type { EndpointsBody } from '../endpointsBody.ts';
import { expectCreated } from '../requestShape.ts';
import { validEndpointsBody, validQuery } from '../validEndpoints.ts';
import { changedBody, describeBody } from './scenarioBodies.ts';
import { putStep, replaced, scenarioCase } from './scenarioCase.ts';

const step0ResourceVersion = '{{step0.metadata.resourceVersion}}';

interface ScenarioParts {
  first: EndpointsBody;
  other: EndpointsBody;
  third: EndpointsBody;
  query: Array<[string, string]>;
  uid: string;
  choice: number;
}

function withResourceVersion(body: EndpointsBody, resourceVersion: string | undefined): EndpointsBody {
  const metadata = { ...body.metadata };
  if (resourceVersion === undefined) delete metadata.resourceVersion;
  else metadata.resourceVersion = resourceVersion;
  return { ...body, metadata };
}

function scenarioCategory(
  name: string,
  description: string,
  source: string,
  build: (parts: ScenarioParts, objectName: string) => { description: string; steps: CaseStep[] },
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'semantics',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      const body = validEndpointsBody(constraints, { ownerReferences: false });
      return fc
        .record({ first: body, other: body, third: body, query: validQuery(constraints), uid: fc.uuid(), choice: fc.nat() }, { noNullPrototype: true })
        .map((parts) => {
          const objectName = parts.first.metadata.name ?? '{{unique}}';
          const built = build(parts, objectName);
          return scenarioCase(name, built.description, built.steps, parts.query);
        });
    },
  };
}

export const semanticsCategories: readonly CaseCategory[] = [
  scenarioCategory(
    'create-then-replace',
    'PUT creates the object (201), a second PUT with its resourceVersion replaces it (200): same uid and creationTimestamp, new resourceVersion',
    'rules M18, §1 step 13e, §6; vendor page status 200/201',
    ({ first, other, query }, objectName) => {
      const second = withResourceVersion(changedBody(first, other, 1), step0ResourceVersion);
      return {
        description: `create ${describeBody(first)}, then replace with its resourceVersion`,
        steps: [putStep(objectName, query, first, expectCreated()), putStep(objectName, query, second, replaced())],
      };
    },
  ),
  scenarioCategory(
    'noop-replace',
    'replacing an object with an identical body: 200, resourceVersion unchanged (no write)',
    'rules §1 step 13f, §6 resourceVersion row',
    ({ first, query, choice }, objectName) => {
      const same = choice % 2 === 0 ? first : withResourceVersion(first, step0ResourceVersion);
      return {
        description: `create ${describeBody(first)}, then PUT the identical body${choice % 2 === 0 ? '' : ' with its resourceVersion'}`,
        steps: [
          putStep(objectName, query, first, expectCreated()),
          putStep(objectName, query, same, { status: [200], echo: true, replacesObject: true, identityOf: 0, resourceVersion: { ofStep: 0, relation: 'unchanged' } }),
        ],
      };
    },
  ),
  scenarioCategory(
    'stale-resource-version',
    'a PUT carrying a resourceVersion older than the stored one (after another update): 409 Conflict',
    'rules M16',
    ({ first, other, third, query, choice }, objectName) => {
      const update = changedBody(first, other, 1);
      const stale = withResourceVersion(changedBody(first, third, 2), step0ResourceVersion);
      return {
        description: `create, update${choice % 2 === 0 ? '' : ' (conditional)'}, then PUT with the first resourceVersion`,
        steps: [
          putStep(objectName, query, first, expectCreated()),
          putStep(objectName, query, choice % 2 === 0 ? update : withResourceVersion(update, step0ResourceVersion), replaced()),
          putStep(objectName, query, stale, { status: [409], reason: ['Conflict'], staleResourceVersion: true }),
        ],
      };
    },
  ),
  scenarioCategory(
    'uid-mismatch',
    'a PUT whose metadata.uid differs from the stored object\'s: 409 Conflict (uid precondition)',
    'rules M12',
    ({ first, other, uid, query, choice }, objectName) => {
      const base = choice % 2 === 0 ? first : changedBody(first, other, 1);
      const mismatched: EndpointsBody = { ...base, metadata: { ...base.metadata, uid } };
      return {
        description: `create, then PUT ${choice % 2 === 0 ? 'the same' : 'a changed'} body with uid ${uid}`,
        steps: [
          putStep(objectName, query, first, expectCreated()),
          putStep(objectName, query, mismatched, { status: [409], reason: ['Conflict'], invalidInput: true }),
        ],
      };
    },
  ),
  scenarioCategory(
    'uid-on-absent',
    'a PUT that would create an object but carries a metadata.uid: 409 Conflict, not 201',
    'rules M13',
    ({ first, uid, query }, objectName) => ({
      description: `PUT a new object with uid ${uid}: ${describeBody(first)}`,
      steps: [putStep(objectName, query, { ...first, metadata: { ...first.metadata, uid } }, { status: [409], reason: ['Conflict'], invalidInput: true })],
    }),
  ),
  scenarioCategory(
    'unconditional-replace',
    'a replacing PUT without resourceVersion (or "" / "0"): an unconditional update, 200',
    'rules M15',
    ({ first, other, query, choice }, objectName) => {
      const resourceVersion = [undefined, '', '0'][choice % 3];
      const second = withResourceVersion(changedBody(first, other, 1), resourceVersion);
      return {
        description: `create, then replace with resourceVersion ${resourceVersion === undefined ? 'absent' : JSON.stringify(resourceVersion)}`,
        steps: [putStep(objectName, query, first, expectCreated()), putStep(objectName, query, second, replaced())],
      };
    },
  ),
];

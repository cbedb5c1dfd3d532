/**
 * Query-parameter categories (rules note R7–R12, R24–R26; vendor page query parameters
 * dryRun, fieldManager).
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import type { CaseBody, JsonValue, StepExpectation } from '../case.ts';
import { constraintsOf, type ContractConstraints } from '../contractConstraints.ts';
import { toJsonValue, type EndpointsBody } from '../endpointsBody.ts';
import { insertAt } from '../nameFormats.ts';
import { expectBadRequest, expectInvalid } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { truncateToBytes, validEndpointsBody, validFieldManager, validQuery } from '../validEndpoints.ts';

type QueryPairs = Array<[string, string]>;

function withoutParameter(query: QueryPairs, name: string): QueryPairs {
  return query.filter(([key]) => key !== name);
}

/** Case variants of each value, e.g. All → all, ALL, aLL…, minus the accepted values. */
function otherCasings(values: string[]): string[] {
  const variants = new Set<string>();
  for (const value of values) {
    const lower = value.toLowerCase();
    for (const variant of [lower, value.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1), value.charAt(0).toLowerCase() + value.slice(1)]) variants.add(variant);
  }
  return [...variants].filter((variant) => !values.includes(variant));
}

interface QueryBreak {
  query: QueryPairs;
  flaw: string;
}

function queryCategory(
  name: string,
  description: string,
  source: string,
  breaks: (constraints: ContractConstraints) => fc.Arbitrary<QueryBreak>,
  invalidParameter: string,
  expect: () => StepExpectation,
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'query',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(validEndpointsBody(constraints), validQuery(constraints), breaks(constraints), fc.boolean())
        .map(([body, query, broken, badFirst]) => {
          const rest = withoutParameter(query, invalidParameter);
          return singleRequestCase({
            category: name,
            description: broken.flaw,
            body,
            query: badFirst ? [...broken.query, ...rest] : [...rest, ...broken.query],
            expect: expect(),
            invalidFields: [`query.${invalidParameter}`],
          });
        });
    },
  };
}

function dryRunBreak(constraints: ContractConstraints): fc.Arbitrary<QueryBreak> {
  const accepted = constraints.dryRunValues;
  const single = fc.constantFrom(...new Set([...otherCasings(accepted), 'true', 'false', '1', '0', '', 'None', 'Server', 'client', 'All ', ' All', 'All,All', 'yes']));
  const singleAccepted = fc.constantFrom(...accepted);
  return fc.oneof(
    single.filter((value) => !accepted.includes(value)).map((value) => ({ query: [['dryRun', value]] as QueryPairs, flaw: `dryRun=${JSON.stringify(value)}` })),
    fc
      .tuple(singleAccepted, single.filter((value) => !accepted.includes(value)), fc.boolean())
      .map(([good, bad, goodFirst]) => {
        const values = goodFirst ? [good, bad] : [bad, good];
        return { query: values.map((value): [string, string] => ['dryRun', value]), flaw: `dryRun repeated ${JSON.stringify(values)} (one unsupported)` };
      }),
  );
}

/** Characters Go's unicode.IsPrint rejects: controls, non-ASCII spaces, format characters. */
const unprintable = ['\t', '\n', '\r', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u200b', '\u2028', '\u2029', '\ufeff', '\u3000'];

function fieldManagerTooLong(constraints: ContractConstraints): fc.Arbitrary<QueryBreak> {
  const maxBytes = constraints.fieldManager.maxBytes;
  return fc
    .tuple(fc.constantFrom('m', 'x', 'é', '名', '✓'), fc.integer({ min: 1, max: 200 }), validFieldManager(constraints))
    .map(([unit, over, prefix]) => {
      const unitBytes = Buffer.byteLength(unit);
      const head = truncateToBytes(prefix, maxBytes);
      const units = Math.ceil((maxBytes + over - Buffer.byteLength(head)) / unitBytes);
      const value = head + unit.repeat(Math.max(1, units));
      return {
        query: [['fieldManager', value]] as QueryPairs,
        flaw: `fieldManager of ${Buffer.byteLength(value)} bytes (${[...value].length} characters), over ${maxBytes}`,
      };
    });
}

function fieldManagerUnprintable(constraints: ContractConstraints): fc.Arbitrary<QueryBreak> {
  const maxBytes = constraints.fieldManager.maxBytes;
  return fc
    .tuple(validFieldManager(constraints), fc.array(fc.tuple(fc.constantFrom(...unprintable), fc.nat()), { minLength: 1, maxLength: 3 }))
    .map(([base, insertions]) => {
      const room = truncateToBytes(base, maxBytes - 3 * insertions.length);
      const value = insertions.reduce((text, [char, at]) => insertAt(text, at, char), room);
      const shown = [...new Set(insertions.map(([char]) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))].join(', ');
      return { query: [['fieldManager', value]] as QueryPairs, flaw: `fieldManager with unprintable ${shown}` };
    });
}

function fieldValidationBreak(constraints: ContractConstraints): fc.Arbitrary<QueryBreak> {
  const accepted = constraints.fieldValidationValues;
  const candidates = [...new Set([...otherCasings(accepted.filter((value) => value !== '')), 'true', 'false', 'None', 'Error', 'Strict ', ' Warn', 'x', '1', 'Strict,Warn'])].filter(
    (value) => !accepted.includes(value),
  );
  return fc.tuple(fc.constantFrom(...candidates), fc.option(fc.constantFrom(...accepted), { nil: undefined })).map(([bad, later]) => ({
    // a repeated parameter uses its first value (R12): the bad one comes first
    query: later === undefined ? ([['fieldValidation', bad]] as QueryPairs) : ([['fieldValidation', bad], ['fieldValidation', later]] as QueryPairs),
    flaw: `fieldValidation=${JSON.stringify(bad)}${later === undefined ? '' : ` then ${JSON.stringify(later)}`}`,
  }));
}

/** Where an unknown field goes, and names that are not fields there (JSON decoding is
 * case-sensitive, so another casing of a real field is unknown too). */
type UnknownPlace = 'top' | 'metadata' | 'subset' | 'address' | 'port';
const unknownNames: Record<UnknownPlace, string[]> = {
  top: ['spec', 'status', 'foo', 'Subsets', 'data', 'endpoints'],
  metadata: ['foo', 'Name', 'owner', 'label', 'spec'],
  subset: ['foo', 'Addresses', 'ready', 'port'],
  address: ['foo', 'IP', 'Hostname', 'ipAddress', 'zone'],
  port: ['foo', 'Port', 'number', 'targetPort', 'nodePort'],
};

interface UnknownField {
  body: CaseBody;
  where: string;
  /** The unknown field sits outside subsets (the echo of subsets stays exact). */
  outsideSubsets: boolean;
}

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

function objectsIn(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A copy of `body` with one unknown field added at `place` (or, for `duplicate`, raw JSON
 * whose "kind" member appears twice with the same value: R24/R25). */
function bodyWithUnknownField(body: EndpointsBody, place: UnknownPlace, pick: number, value: string, duplicate: boolean): UnknownField {
  if (duplicate) {
    const { apiVersion: _apiVersion, kind: _kind, ...rest } = body;
    const json = JSON.stringify(toJsonValue({ apiVersion: 'v1', kind: 'Endpoints', ...rest }));
    return { body: { kind: 'raw', text: `{"kind":"Endpoints",${json.slice(1)}` }, where: 'duplicate field "kind"', outsideSubsets: true };
  }
  const json = toJsonValue(body);
  if (!isObject(json)) throw new Error('an Endpoints body is a JSON object');
  const fieldName = unknownNames[place][pick % unknownNames[place].length];
  const result = (where: string, outsideSubsets: boolean): UnknownField => ({ body: { kind: 'json', value: json }, where, outsideSubsets });
  const subsets = objectsIn(json.subsets);
  if (place === 'metadata' && isObject(json.metadata)) {
    json.metadata[fieldName] = value;
    return result(`"metadata.${fieldName}"`, true);
  }
  if (place === 'top' || place === 'metadata' || subsets.length === 0) {
    const topName = unknownNames.top[pick % unknownNames.top.length];
    json[topName] = value;
    return result(`top-level "${topName}"`, true);
  }
  const subsetIndex = pick % subsets.length;
  const subset = subsets[subsetIndex];
  const listName = place === 'port' ? 'ports' : subset.addresses !== undefined ? 'addresses' : 'notReadyAddresses';
  const items = objectsIn(subset[listName]);
  if (place === 'subset' || items.length === 0) {
    subset[fieldName] = value;
    return result(`"subsets[${subsetIndex}].${fieldName}"`, false);
  }
  const itemIndex = pick % items.length;
  items[itemIndex][fieldName] = value;
  return result(`"subsets[${subsetIndex}].${listName}[${itemIndex}].${fieldName}"`, false);
}

function unknownFieldCategory(name: string, strict: boolean): CaseCategory {
  return {
    name,
    description: strict
      ? 'fieldValidation=Strict and an unknown or duplicate field in the body: 400 BadRequest'
      : 'an unknown or duplicate field with fieldValidation absent or Warn: accepted (201) with a Warning, the field dropped',
    source: strict ? 'rules R25' : 'rules R24',
    group: 'query',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(
          validEndpointsBody(constraints),
          validQuery(constraints),
          fc.constantFrom<UnknownPlace>('top', 'metadata', 'subset', 'address', 'port'),
          fc.nat(),
          fc.constantFrom('x', 'unknown', '{"a":1}'),
          fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
          fc.boolean(),
        )
        .map(([body, query, where, pick, value, duplicate, explicitWarn]) => {
          const unknown = bodyWithUnknownField(body, where, pick, value, duplicate);
          const rest = withoutParameter(query, 'fieldValidation');
          const fieldValidation: QueryPairs = strict ? [['fieldValidation', 'Strict']] : explicitWarn ? [['fieldValidation', 'Warn']] : [];
          const expect: StepExpectation = strict
            ? expectBadRequest()
            : { status: [201], createsObject: true, echo: unknown.outsideSubsets && unknown.body.kind === 'json' };
          return singleRequestCase({
            category: name,
            description: `unknown field ${unknown.where} with ${fieldValidation.length === 0 ? 'no fieldValidation' : `fieldValidation=${fieldValidation[0][1]}`}`,
            body: unknown.body,
            name: body.metadata.name,
            query: [...rest, ...fieldValidation],
            expect,
            invalidFields: strict ? ['body.unknownField'] : [],
          });
        });
    },
  };
}

export const queryCategories: readonly CaseCategory[] = [
  queryCategory(
    'dry-run-invalid',
    'a dryRun value other than the contract values (all, true, empty, All+x…): 422 FieldValueNotSupported on dryRun',
    'rules R8; vendor page query dryRun "An invalid or unrecognized dryRun directive will result in an error response"',
    dryRunBreak,
    'dryRun',
    () => expectInvalid([{ field: 'dryRun', type: 'FieldValueNotSupported' }]),
  ),
  queryCategory(
    'field-manager-too-long',
    'a printable fieldManager longer than the contract limit in bytes: 422 FieldValueTooLong on fieldManager',
    'rules R9; vendor page query fieldManager "less than or 128 characters"',
    fieldManagerTooLong,
    'fieldManager',
    () => expectInvalid([{ field: 'fieldManager', type: 'FieldValueTooLong' }]),
  ),
  queryCategory(
    'field-manager-unprintable',
    'a fieldManager with non-printable characters (controls, non-ASCII spaces, format characters): 422 FieldValueInvalid on fieldManager',
    'rules R10; vendor page query fieldManager "only contain printable characters"',
    fieldManagerUnprintable,
    'fieldManager',
    () => expectInvalid([{ field: 'fieldManager', type: 'FieldValueInvalid' }]),
  ),
  queryCategory(
    'field-validation-invalid',
    'a fieldValidation value other than the contract values (case-sensitive): 422 FieldValueNotSupported on fieldValidation',
    'rules R11, R12',
    fieldValidationBreak,
    'fieldValidation',
    () => expectInvalid([{ field: 'fieldValidation', type: 'FieldValueNotSupported' }]),
  ),
  unknownFieldCategory('unknown-field-strict', true),
  unknownFieldCategory('unknown-field-warn', false),
];

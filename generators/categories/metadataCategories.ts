/**
 * Metadata categories (rules note M1–M3, M7, M9, M10, M24, M25, M27–M29).
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import { constraintsOf, type ContractConstraints } from '../contractConstraints.ts';
import type { ExpectedCause } from '../case.ts';
import { copyBody, type EndpointsBody, type ObjectMetaBody, type OwnerReferenceBody } from '../endpointsBody.ts';
import {
  dnsLabel,
  dnsSubdomain,
  insertAt,
  invalidName,
  invalidQualifiedName,
  longSubdomain,
  qualifiedNamePart,
  validName,
  type InvalidValue,
} from '../nameFormats.ts';
import { expectBadRequest, expectInvalid } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import type { StepExpectation } from '../case.ts';
import { validEndpointsBody, validObjectName, validQuery } from '../validEndpoints.ts';

interface MetadataBreak {
  /** Edits a copy of the metadata. */
  edit: (metadata: ObjectMetaBody) => ObjectMetaBody;
  flaw: string;
  /** URL name when it differs from the body's. */
  urlName?: string;
  expect: StepExpectation;
  invalidFields: string[];
}

function metadataCategory(
  name: string,
  description: string,
  source: string,
  breaks: (constraints: ContractConstraints) => fc.Arbitrary<MetadataBreak>,
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'metadata',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      return fc
        .tuple(validEndpointsBody(constraints), breaks(constraints), validQuery(constraints))
        .map(([body, broken, query]) => {
          const copy: EndpointsBody = copyBody(body);
          const urlName = broken.urlName ?? copy.metadata.name ?? '{{unique}}';
          copy.metadata = broken.edit(copy.metadata);
          return singleRequestCase({
            category: name,
            description: broken.flaw,
            body: copy,
            name: broken.urlName ?? copy.metadata.name ?? urlName,
            query,
            expect: broken.expect,
            invalidFields: broken.invalidFields,
          });
        });
    },
  };
}

const invalidCause = (field: string): ExpectedCause => ({ field, type: 'FieldValueInvalid' });

/** Object names containing `{{unique}}` that are not DNS-1123 subdomains (M7, M8). */
function invalidObjectName(): fc.Arbitrary<InvalidValue> {
  // '%' (and '/') are refused earlier, as a URL path segment: category name-path-segment-invalid.
  const nameChars = ['_', ' ', '@', ':', 'é', '+', '!', '*', "'", '(', '$', '&', '=', ',', '~', 'Ω'];
  return fc.oneof(
    fc.tuple(dnsLabel(20), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.nat()).map(([label, letter, at]) => ({ value: `{{unique}}-${insertAt(label, at, letter)}`, flaw: 'uppercase letter' })),
    fc.tuple(fc.constantFrom(...nameChars), dnsLabel(20)).map(([bad, label]) => ({ value: `{{unique}}${bad}${label}`, flaw: `contains ${JSON.stringify(bad)}` })),
    fc.tuple(fc.constantFrom('-', '.'), fc.option(dnsLabel(20), { nil: undefined })).map(([edge, label]) => ({ value: `{{unique}}${label === undefined ? '' : `-${label}`}${edge}`, flaw: `ends with '${edge}'` })),
    fc.constantFrom('-', '.').map((edge) => ({ value: `${edge}{{unique}}`, flaw: `starts with '${edge}'` })),
    dnsLabel(20).map((label) => ({ value: `{{unique}}..${label}`, flaw: 'empty label (..)' })),
    dnsLabel(20).map((label) => ({ value: `{{unique}}.-${label}`, flaw: "label starting with '-'" })),
    fc.tuple(fc.integer({ min: 254, max: 300 }), dnsLabel(60)).map(([length, label]) => ({ value: `{{unique}}.${longSubdomain(length, label)}`, flaw: `over 253 characters` })),
  );
}

/** Annotation keys are lower-cased before the check (M10): an uppercase prefix is fine there. */
function invalidAnnotationKey(constraints: ContractConstraints): fc.Arbitrary<InvalidValue> {
  return fc
    .oneof(invalidName(constraints.nameFormats.annotationKey), fc.constant<InvalidValue>({ value: '', flaw: 'empty' }))
    .filter((bad) => bad.flaw !== 'uppercase letter in prefix');
}

function ownerReference(): fc.Arbitrary<OwnerReferenceBody> {
  return fc.record(
    { apiVersion: fc.constantFrom('v1', 'apps/v1', 'example.com/v1'), kind: fc.constantFrom('Pod', 'ReplicaSet', 'Widget'), name: dnsSubdomain(40), uid: fc.uuid() },
    { noNullPrototype: true },
  );
}

type OwnerMember = 'apiVersion' | 'kind' | 'name' | 'uid';

/** An owner reference with one member empty or (apiVersion) without a version (M24). */
function brokenOwnerReference(): fc.Arbitrary<{ reference: OwnerReferenceBody; member: OwnerMember; flaw: string }> {
  return fc
    .tuple(
      ownerReference(),
      fc.constantFrom<OwnerMember>('apiVersion', 'kind', 'name', 'uid'),
      fc.boolean(),
      fc.constantFrom('apps/', '/', 'a/b/c', 'example.com/'),
    )
    .map(([reference, member, absent, versionless]) => {
      const broken: OwnerReferenceBody = { ...reference };
      if (member === 'apiVersion' && !absent) {
        broken.apiVersion = versionless;
        return { reference: broken, member, flaw: `apiVersion ${JSON.stringify(versionless)} has no version` };
      }
      if (absent) delete broken[member];
      else broken[member] = '';
      return { reference: broken, member, flaw: `${member} ${absent ? 'missing' : 'empty'}` };
    });
}

function withoutControllers(references: OwnerReferenceBody[] | undefined): OwnerReferenceBody[] {
  return (references ?? []).map((reference) => ({ ...reference, controller: false }));
}

type FinalizerShape = 'bad prefixed name' | 'bad name without slash' | 'unqualified non-standard' | 'orphan and foregroundDeletion';
const standardFinalizers = ['kubernetes', 'orphan', 'foregroundDeletion'];

function finalizerBreak(): fc.Arbitrary<MetadataBreak> {
  const badNamePart = invalidQualifiedName().filter((bad) => !bad.value.includes('/') && bad.flaw !== 'empty prefix');
  return fc
    .tuple(
      fc.constantFrom<FinalizerShape>('bad prefixed name', 'bad name without slash', 'unqualified non-standard', 'orphan and foregroundDeletion'),
      fc.integer({ min: 0, max: 3 }),
      dnsSubdomain(40),
      badNamePart,
      qualifiedNamePart(30),
      fc.boolean(),
    )
    .map(([shape, before, prefix, bad, plain, orphanFirst]) => {
      const preceding = Array.from({ length: before }, (_unused, index) => `endpoints-conformance.test/f${index}`);
      let finalizers: string[];
      let causes: ExpectedCause[];
      if (shape === 'orphan and foregroundDeletion') {
        finalizers = [...preceding, ...(orphanFirst ? ['orphan', 'foregroundDeletion'] : ['foregroundDeletion', 'orphan'])];
        causes = [invalidCause('metadata.finalizers')];
      } else if (shape === 'bad prefixed name') {
        finalizers = [...preceding, `${prefix}/${bad.value}`];
        causes = [invalidCause('metadata.finalizers')];
      } else if (shape === 'bad name without slash') {
        finalizers = [...preceding, bad.value];
        causes = [invalidCause('metadata.finalizers'), invalidCause(`metadata.finalizers[${before}]`)];
      } else {
        const name = standardFinalizers.includes(plain) ? `${plain}x` : plain;
        finalizers = [...preceding, name];
        causes = [invalidCause(`metadata.finalizers[${before}]`)];
      }
      return {
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, finalizers }),
        flaw: `finalizers ${JSON.stringify(finalizers)} (${shape})`,
        expect: expectInvalid(causes),
        invalidFields: ['metadata.finalizers'],
      };
    });
}

function annotationsTooLarge(constraints: ContractConstraints): fc.Arbitrary<MetadataBreak> {
  const limit = constraints.annotationsMaxTotalBytes;
  return fc
    .tuple(fc.uniqueArray(validName(constraints.nameFormats.annotationKey), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4096 }), fc.constantFrom('a', 'Z', 'é', '名'))
    .map(([keys, overflow, unit]) => {
      const keyBytes = keys.reduce((sum, key) => sum + Buffer.byteLength(key), 0);
      const valueBytes = limit + overflow - keyBytes;
      const unitBytes = Buffer.byteLength(unit);
      const annotations: Record<string, string> = {};
      let remaining = valueBytes;
      keys.forEach((key, index) => {
        const share = index === keys.length - 1 ? remaining : Math.floor(valueBytes / keys.length);
        const units = Math.ceil(share / unitBytes);
        annotations[key] = unit.repeat(units);
        remaining -= units * unitBytes;
      });
      const total = Object.entries(annotations).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
      return {
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, annotations }),
        flaw: `${keys.length} annotation(s) totalling ${total} bytes (${JSON.stringify(unit)} values), over ${limit}`,
        expect: expectInvalid([{ field: 'metadata.annotations', type: 'FieldValueTooLong' }]),
        invalidFields: ['metadata.annotations'],
      };
    });
}

export const metadataCategories: readonly CaseCategory[] = [
  metadataCategory(
    'name-mismatch',
    'body metadata.name differs from the name in the URL: 400 BadRequest',
    'rules M1; vendor page path parameter name',
    () =>
      fc.tuple(validObjectName(), dnsLabel(20), fc.boolean()).map(([bodyName, extra, longerInUrl]) => {
        const urlName = longerInUrl ? `${bodyName}-${extra}` : bodyName;
        const otherName = longerInUrl ? bodyName : `${bodyName}-${extra}`;
        return {
          edit: (metadata: ObjectMetaBody) => ({ ...metadata, name: otherName }),
          flaw: `body name ${otherName} ≠ URL name ${urlName}`,
          urlName,
          expect: expectBadRequest(),
          invalidFields: ['metadata.name'],
        };
      }),
  ),
  metadataCategory(
    'namespace-mismatch',
    'body metadata.namespace set and different from the URL namespace: 400 BadRequest',
    'rules M3; vendor page path parameter namespace',
    () =>
      fc.oneof(
        dnsLabel(20).map((label) => `{{namespace}}-${label}`),
        fc.constant('{{missingNamespace}}'),
        dnsLabel(20).map((label) => `${label}-{{namespace}}`),
      ).map((namespace) => ({
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, namespace }),
        flaw: `body namespace ${namespace} ≠ URL namespace {{namespace}}`,
        expect: expectBadRequest(),
        invalidFields: ['metadata.namespace'],
      })),
  ),
  metadataCategory(
    'name-empty',
    'body metadata.name empty or absent (the name is mandatory for PUT): 400 BadRequest',
    'rules M2',
    () =>
      fc.tuple(validObjectName(), fc.boolean()).map(([urlName, absent]) => ({
        edit: (metadata: ObjectMetaBody) => {
          const edited = { ...metadata };
          if (absent) delete edited.name;
          else edited.name = '';
          return edited;
        },
        flaw: `body name ${absent ? 'absent' : 'empty'}, URL name ${urlName}`,
        urlName,
        expect: expectBadRequest(),
        invalidFields: ['metadata.name'],
      })),
  ),
  metadataCategory(
    'name-invalid',
    'an object name (URL == body) that is not a DNS-1123 subdomain: 422 FieldValueInvalid on metadata.name',
    'rules M7, M8; contract x-name-format dns-1123-subdomain',
    () =>
      invalidObjectName().map((bad) => ({
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, name: bad.value }),
        flaw: `name ${JSON.stringify(bad.value)} (${bad.flaw})`,
        urlName: bad.value,
        expect: expectInvalid([invalidCause('metadata.name')]),
        invalidFields: ['metadata.name', 'path.name'],
      })),
  ),
  metadataCategory(
    'name-path-segment-invalid',
    'a URL name (== body name) containing "%": refused as a path segment before validation, 400 BadRequest; containing an encoded "/": the decoded path reaches no route, 404 NotFound',
    'every release: the store key function path.IsValidPathSegmentName (registry/generic/registry/store.go); measured against kube-apiserver v1.20.2',
    () =>
      fc.tuple(fc.constantFrom('%', '%2F', '%25', '/'), dnsLabel(20), fc.boolean()).map(([bad, label, atEnd]): MetadataBreak => {
        const value = bad === '/' || !atEnd ? `{{unique}}${bad}${label}` : `{{unique}}-${label}${bad}`;
        return {
          edit: (metadata: ObjectMetaBody) => ({ ...metadata, name: value }),
          flaw: `name ${JSON.stringify(value)} (contains ${JSON.stringify(bad)})`,
          urlName: value,
          expect: bad === '/'
            ? { status: [404], reason: ['NotFound'], invalidInput: true, why: 'the URL path is decoded before routing: the encoded "/" makes one segment too many' }
            : expectBadRequest(),
          invalidFields: ['metadata.name', 'path.name'],
        };
      }),
  ),
  metadataCategory(
    'label-key-invalid',
    'a label key that is not a qualified name: 422 FieldValueInvalid on metadata.labels',
    'rules M9',
    (constraints) =>
      fc.tuple(fc.oneof(invalidName(constraints.nameFormats.labelKey), fc.constant<InvalidValue>({ value: '', flaw: 'empty' })), validName(constraints.nameFormats.labelValue)).map(([bad, value]) => ({
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, labels: { ...metadata.labels, [bad.value]: value } }),
        flaw: `label key ${JSON.stringify(bad.value)} (${bad.flaw})`,
        expect: expectInvalid([invalidCause('metadata.labels')]),
        invalidFields: ['metadata.labels'],
      })),
  ),
  metadataCategory(
    'label-value-invalid',
    'a label value that is not empty nor a valid value (over 63, bad edges or characters): 422 FieldValueInvalid on metadata.labels',
    'rules M9',
    (constraints) =>
      fc.tuple(validName(constraints.nameFormats.labelKey), invalidName(constraints.nameFormats.labelValue)).map(([key, bad]) => ({
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, labels: { ...metadata.labels, [key]: bad.value } }),
        flaw: `label ${key}=${JSON.stringify(bad.value)} (${bad.flaw})`,
        expect: expectInvalid([invalidCause('metadata.labels')]),
        invalidFields: ['metadata.labels'],
      })),
  ),
  metadataCategory(
    'annotation-key-invalid',
    'an annotation key that is not a qualified name once lower-cased: 422 FieldValueInvalid on metadata.annotations',
    'rules M10',
    (constraints) =>
      fc.tuple(invalidAnnotationKey(constraints), fc.string({ maxLength: 20 })).map(([bad, value]) => ({
        edit: (metadata: ObjectMetaBody) => ({ ...metadata, annotations: { ...metadata.annotations, [bad.value]: value } }),
        flaw: `annotation key ${JSON.stringify(bad.value)} (${bad.flaw})`,
        expect: expectInvalid([invalidCause('metadata.annotations')]),
        invalidFields: ['metadata.annotations'],
      })),
  ),
  metadataCategory(
    'annotations-too-large',
    'annotations whose keys and values total more bytes than the contract limit: 422 FieldValueTooLong on metadata.annotations',
    'rules M10; contract annotations size limit',
    annotationsTooLarge,
  ),
  metadataCategory(
    'owner-reference-invalid',
    'an owner reference with an empty apiVersion version, kind, name or uid: 422 FieldValueInvalid on metadata.ownerReferences.<member> (no index)',
    'rules M24; vendor page OwnerReference (apiVersion, kind, name, uid required)',
    () =>
      fc.tuple(brokenOwnerReference(), fc.nat()).map(([broken, at]) => ({
        edit: (metadata: ObjectMetaBody) => {
          const references = withoutControllers(metadata.ownerReferences);
          references.splice(at % (references.length + 1), 0, broken.reference);
          return { ...metadata, ownerReferences: references };
        },
        flaw: `owner reference ${broken.flaw}`,
        expect: expectInvalid([invalidCause(`metadata.ownerReferences.${broken.member}`)]),
        invalidFields: [`metadata.ownerReferences[].${broken.member}`],
      })),
  ),
  metadataCategory(
    'owner-reference-banned-kind',
    'an owner reference to a v1 Event, which may not own objects: 422 FieldValueInvalid on metadata.ownerReferences',
    'rules M25',
    () =>
      fc.tuple(dnsSubdomain(40), fc.uuid(), fc.nat()).map(([ownerName, uid, at]) => ({
        edit: (metadata: ObjectMetaBody) => {
          const references = withoutControllers(metadata.ownerReferences);
          references.splice(at % (references.length + 1), 0, { apiVersion: 'v1', kind: 'Event', name: ownerName, uid });
          return { ...metadata, ownerReferences: references };
        },
        flaw: `owner reference to v1 Event ${ownerName}`,
        expect: expectInvalid([invalidCause('metadata.ownerReferences')]),
        invalidFields: ['metadata.ownerReferences[].kind'],
      })),
  ),
  metadataCategory(
    'owner-reference-two-controllers',
    'two owner references with controller: true: 422 FieldValueInvalid on metadata.ownerReferences',
    'rules M25',
    () =>
      fc.uniqueArray(ownerReference(), { minLength: 2, maxLength: 3, selector: (reference) => reference.uid }).map((references) => ({
        edit: (metadata: ObjectMetaBody) => ({
          ...metadata,
          ownerReferences: references.map((reference, index) => ({ ...reference, controller: index < 2 })),
        }),
        flaw: `${references.length} owner references, 2 with controller: true`,
        expect: expectInvalid([invalidCause('metadata.ownerReferences')]),
        invalidFields: ['metadata.ownerReferences[].controller'],
      })),
  ),
  metadataCategory(
    'finalizer-invalid',
    'a finalizer that is not a qualified name (metadata.finalizers), has no "/" and is not standard (metadata.finalizers[i]), or orphan with foregroundDeletion: 422',
    'rules M27, M28, M29',
    finalizerBreak,
  ),
];

/**
 * ObjectMeta validation in Kubernetes' terms: ValidateObjectMetaAccessor (create rules),
 * ValidateObjectMetaAccessorUpdate (update rules) and the core finalizer-name check (M7-M11,
 * M21, M22, M24, M25, M27-M29).
 */
import { type FieldErrorList, int, invalid, str, tooLong, type FieldError } from './fieldErrors.ts';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from './nameRules.ts';
import { formatTime } from './endpointsSerialization.ts';
import type { ObjectMeta, OwnerReference } from './endpointsTypes.ts';

const sortedKeys = (m: Record<string, string>): string[] => Object.keys(m).sort();

function validateLabels(labels: Record<string, string> | undefined, errs: FieldErrorList): void {
  if (!labels) return;
  for (const k of sortedKeys(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid('metadata.labels', str(k), msg));
    for (const msg of isValidLabelValue(labels[k])) errs.push(invalid('metadata.labels', str(labels[k]), msg));
  }
}

const totalAnnotationSizeLimit = 256 * 1024;

function validateAnnotations(annotations: Record<string, string> | undefined, errs: FieldErrorList): void {
  if (!annotations) return;
  let total = 0;
  for (const k of sortedKeys(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid('metadata.annotations', str(k), msg));
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(annotations[k], 'utf8');
  }
  if (total > totalAnnotationSizeLimit) errs.push(tooLong('metadata.annotations', totalAnnotationSizeLimit));
}

function ownerReferenceJson(r: OwnerReference): Record<string, unknown> {
  const o: Record<string, unknown> = { apiVersion: r.apiVersion ?? '', kind: r.kind ?? '', name: r.name ?? '', uid: r.uid ?? '' };
  if (r.controller !== undefined) o.controller = r.controller;
  if (r.blockOwnerDeletion !== undefined) o.blockOwnerDeletion = r.blockOwnerDeletion;
  return o;
}

function ownerReferenceGo(r: OwnerReference): string {
  const ptr = (b: boolean | undefined): string => (b === undefined ? '(*bool)(nil)' : `(*bool)(${b})`);
  return `v1.OwnerReference{APIVersion:${JSON.stringify(r.apiVersion ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}, UID:${JSON.stringify(r.uid ?? '')}, Controller:${ptr(r.controller)}, BlockOwnerDeletion:${ptr(r.blockOwnerDeletion)}}`;
}

function validateOwnerReferences(refs: OwnerReference[] | undefined, errs: FieldErrorList): void {
  if (!refs) return;
  const p = 'metadata.ownerReferences';
  let firstController = '';
  for (const r of refs) {
    // schema.FromAPIVersionAndKind: an unparsable apiVersion leaves the version empty.
    const av = r.apiVersion ?? '';
    const slashes = av.split('/').length - 1;
    const version = av === '' || av === '/' || slashes > 1 ? '' : slashes === 1 ? av.split('/')[1] : av;
    const group = slashes === 1 ? av.split('/')[0] : '';
    if (version === '') errs.push(invalid(`${p}.apiVersion`, str(av), 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${p}.kind`, str(r.kind ?? ''), 'must not be empty'));
    if (!r.name) errs.push(invalid(`${p}.name`, str(r.name ?? ''), 'must not be empty'));
    if (!r.uid) errs.push(invalid(`${p}.uid`, str(r.uid ?? ''), 'must not be empty'));
    if (group === '' && version === 'v1' && r.kind === 'Event') {
      errs.push(invalid(p, { go: 'struct', value: ownerReferenceJson(r), goSyntax: ownerReferenceGo(r) }, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (r.controller === true) {
      const current = `${r.kind ?? ''}/${r.name ?? ''}`;
      if (firstController) {
        errs.push(invalid(p, { go: 'struct', value: refs.map(ownerReferenceJson), goSyntax: `[]v1.OwnerReference{${refs.map(ownerReferenceGo).join(', ')}}` },
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
      } else {
        firstController = current;
      }
    }
  }
}

function validateFinalizers(finalizers: string[] | undefined, errs: FieldErrorList): void {
  if (!finalizers) return;
  let orphan = false;
  let foreground = false;
  for (const f of finalizers) {
    for (const msg of isQualifiedName(f)) errs.push(invalid('metadata.finalizers', str(f), msg));
    if (f === 'orphan') orphan = true;
    if (f === 'foregroundDeletion') foreground = true;
  }
  if (orphan && foreground) {
    errs.push(invalid('metadata.finalizers', { go: 'stringList', value: finalizers }, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/**
 * validateKubeFinalizerName for each finalizer (the core ValidateObjectMeta/ValidateObjectMetaUpdate
 * extra pass): only the standard-name rule, indexed, for names without a '/' — it does not repeat
 * the qualified-name check, which ValidateFinalizers already reported without an index.
 */
function validateKubeFinalizerNames(finalizers: string[] | undefined, errs: FieldErrorList): void {
  if (!finalizers) return;
  finalizers.forEach((f, i) => {
    if (!f.includes('/') && !standardFinalizers.has(f)) {
      errs.push(invalid(`metadata.finalizers[${i}]`, str(f), 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
}

/**
 * The checks that run more than once per request (create-meta and update-meta both validate
 * labels, annotations and ownerReferences; on update they run four times): computed once per
 * request and reused, so repeating them costs nothing while the causes still repeat.
 */
export interface SharedMetaChecks {
  labels?: FieldErrorList;
  annotations?: FieldErrorList;
  ownerReferences?: FieldErrorList;
  kubeFinalizers?: FieldErrorList;
}

function shared(cache: SharedMetaChecks, key: keyof SharedMetaChecks, compute: (errs: FieldErrorList) => void): FieldErrorList {
  let v = cache[key];
  if (v === undefined) {
    v = [];
    compute(v);
    cache[key] = v;
  }
  return v;
}

/**
 * ValidateObjectMetaAccessor with the DNS-subdomain name rule; `core` adds the core package's
 * finalizer-name pass (pkg/apis/core/validation ValidateObjectMeta) after it.
 */
export function validateObjectMetaCreate(meta: ObjectMeta, core: boolean, cache: SharedMetaChecks = {}): FieldErrorList {
  const errs: FieldErrorList = [];
  if (meta.generateName) {
    for (const msg of nameIsDNSSubdomain(meta.generateName, true)) errs.push(invalid('metadata.generateName', str(meta.generateName), msg));
  }
  if (!meta.name) {
    errs.push({ type: 'FieldValueRequired', field: 'metadata.name', badValue: { go: 'omit' }, detail: 'name or generateName is required' });
  } else {
    for (const msg of nameIsDNSSubdomain(meta.name, false)) errs.push(invalid('metadata.name', str(meta.name), msg));
  }
  if (!meta.namespace) {
    errs.push({ type: 'FieldValueRequired', field: 'metadata.namespace', badValue: { go: 'omit' }, detail: '' });
  } else {
    for (const msg of isDNS1123Label(meta.namespace)) errs.push(invalid('metadata.namespace', str(meta.namespace), msg));
  }
  const generation = meta.generation ?? 0;
  if (generation < 0) errs.push(invalid('metadata.generation', int(generation), 'must be greater than or equal to 0'));
  errs.push(...shared(cache, 'labels', (e) => validateLabels(meta.labels, e)));
  errs.push(...shared(cache, 'annotations', (e) => validateAnnotations(meta.annotations, e)));
  errs.push(...shared(cache, 'ownerReferences', (e) => validateOwnerReferences(meta.ownerReferences, e)));
  validateFinalizers(meta.finalizers, errs);
  if (core) errs.push(...shared(cache, 'kubeFinalizers', (e) => validateKubeFinalizerNames(meta.finalizers, e)));
  return errs;
}

function immutable(path: string, newValue: number | bigint | undefined, oldValue: number | bigint | undefined, render: 'time' | 'int'): FieldError | null {
  if (newValue === oldValue) return null;
  if (newValue === undefined) return invalid(path, { go: 'null' }, 'field is immutable');
  return invalid(path, render === 'time' ? str(formatTime(Number(newValue))) : int(newValue), 'field is immutable');
}

/**
 * ValidateObjectMetaAccessorUpdate (name/namespace/uid/creationTimestamp are carried over before it
 * runs); `core` adds the core package's finalizer-name pass.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, core: boolean, cache: SharedMetaChecks = {}): FieldErrorList {
  const errs: FieldErrorList = [];
  if ((meta.generation ?? 0) < (old.generation ?? 0)) errs.push(invalid('metadata.generation', int(meta.generation ?? 0), 'must not be decremented'));
  const dt = immutable('metadata.deletionTimestamp', meta.deletionTimestamp, old.deletionTimestamp, 'time');
  if (dt) errs.push(dt);
  const dg = immutable('metadata.deletionGracePeriodSeconds', meta.deletionGracePeriodSeconds, old.deletionGracePeriodSeconds, 'int');
  if (dg) errs.push(dg);
  errs.push(...shared(cache, 'labels', (e) => validateLabels(meta.labels, e)));
  errs.push(...shared(cache, 'annotations', (e) => validateAnnotations(meta.annotations, e)));
  errs.push(...shared(cache, 'ownerReferences', (e) => validateOwnerReferences(meta.ownerReferences, e)));
  if (core) errs.push(...shared(cache, 'kubeFinalizers', (e) => validateKubeFinalizerNames(meta.finalizers, e)));
  return errs;
}

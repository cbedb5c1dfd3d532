/**
 * The PUT /api/v1/namespaces/{ns}/endpoints/{name} handler from UpdateOptions onwards, in the
 * apiserver's order (rules §1 steps 6-13): UpdateOptions (422) → Content-Type (415) → decode
 * (400) → strict fields → namespace then name checks (400) → uid precondition (409) → namespace
 * exists (404) → resourceVersion syntax (500) → create (201) or update (200), each with
 * validation (422). The compare-and-write is synchronous: no await between check and write.
 */
import { randomUUID } from 'node:crypto';
import YAML from 'yaml';
import { decodeEndpoints, strictDecodingMessage, type DecodeOutcome } from './decodeEndpoints.ts';
import { endpointsJson } from './endpointsJson.ts';
import { endpointsWire } from './endpointsSerialization.ts';
import { endpointsWarnings, validateEndpointsCreate, validateEndpointsUpdate, type IpParsing } from './endpointsValidation.ts';
import { checksNameBeforeNamespace, hasFieldValidation, pathSegmentNameProblem, rejectsIPv4LeadingZeros } from './emulatedRelease.ts';
import type { EndpointsStore } from './endpointsStore.ts';
import type { Endpoints, OwnerReference } from './endpointsTypes.ts';
import { goQuote } from './goText.ts';
import type { Identity } from './authentication.ts';
import { computeManagedFields, trackedLeaves } from './managedFields.ts';
import { negotiateInput } from './negotiation.ts';
import type { QueryParameters } from './queryParameters.ts';
import type { Reply, ServerSettings } from './reply.ts';
import { badRequest, conflict, failure, forbidden, invalidStatus, notFound, rawServerError, unsupportedMediaType } from './statusBodies.ts';
import { fieldValidationMode, isDryRun, managerName, updateOptionsFromQuery, validateUpdateOptions } from './updateOptions.ts';

export interface ReplaceRequest {
  namespace: string;
  name: string;
  query: QueryParameters;
  contentType: string | undefined;
  userAgent: string;
  identity: Identity;
  body: Buffer;
}

export interface ServerState {
  store: EndpointsStore;
  settings: ServerSettings;
}

export function bodyAsJsonText(format: 'json' | 'yaml', body: Buffer): string | { yamlError: string } {
  const text = body.toString('utf8');
  if (format === 'json') return text;
  try {
    const doc = YAML.parse(text, { uniqueKeys: false, merge: false, maxAliasCount: 100 }) as unknown;
    return JSON.stringify(doc === undefined ? null : doc);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { yamlError: `error converting YAML to JSON: yaml: ${msg}` };
  }
}

function summarize(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  if (body[0] === 0x7b) return body.length > 30 ? body.subarray(0, 30).toString('utf8') + ' ...' : body.toString('utf8');
  return body.length > 30 ? body.subarray(0, 30).toString('hex') + ' ...' : body.toString('hex');
}

/** dedupOwnerReferences: exact duplicates removed, their UIDs reported once each. */
function dedupOwnerReferences(refs: OwnerReference[]): { refs: OwnerReference[]; duplicateUids: string[] } {
  const seen = new Set<string>();
  const out: OwnerReference[] = [];
  const dups: string[] = [];
  for (const r of refs) {
    const key = JSON.stringify([r.apiVersion, r.kind, r.name, r.uid, r.controller, r.blockOwnerDeletion]);
    if (seen.has(key)) { if (!dups.includes(r.uid ?? '')) dups.push(r.uid ?? ''); continue; }
    seen.add(key);
    out.push(r);
  }
  return { refs: out, duplicateUids: dups };
}

const maxUint64 = 2n ** 64n - 1n;

/** storage.APIObjectVersioner.ObjectResourceVersion: 0 for "", else strconv.ParseUint. */
function parseResourceVersion(rv: string): bigint | string {
  if (rv === '') return 0n;
  if (!/^[0-9]+$/.test(rv)) return `strconv.ParseUint: parsing ${goQuote(rv)}: invalid syntax`;
  const n = BigInt(rv);
  if (n > maxUint64) return `strconv.ParseUint: parsing ${goQuote(rv)}: value out of range`;
  return n;
}

/**
 * Answers with the stored serialization when nothing asks for another rendering (the common case:
 * no second serialization), else renders the object again.
 */
function answerObject(reply: Reply, code: number, e: Endpoints, json: string, numericResourceVersion: boolean): void {
  if (reply.format === 'json' && !reply.pretty && !numericResourceVersion) reply.json(code, json);
  else reply.object(code, endpointsWire(e, { numericResourceVersion }));
}

/** How IPs are parsed: Go >= 1.17 net.ParseIP (leading zeros refused) before 1.22 or with the fault. */
function ipParsing(settings: ServerSettings): IpParsing {
  return rejectsIPv4LeadingZeros(settings.minor) || settings.faults.has('reject-leading-zero-ip') ? 'go-strict-ipv4' : 'sloppy';
}

export function replaceEndpoints(r: ReplaceRequest, server: ServerState, reply: Reply): void {
  const { settings, store } = server;
  const faults = settings.faults;

  // 6. UpdateOptions
  const options = updateOptionsFromQuery(r.query);
  // Before 1.23 there is no such parameter: whatever it says is ignored (release differences table).
  if (!hasFieldValidation(settings.minor)) options.fieldValidation = 'Ignore';
  const optionErrors = validateUpdateOptions(options, faults);
  if (optionErrors.length) return reply.status(invalidStatus('UpdateOptions', 'meta.k8s.io', '', optionErrors, settings.jsonRendering));

  // 7. Content-Type
  let input = negotiateInput(r.contentType);
  if (faults.has('ignore-content-type')) input = 'json';
  if (input === null || input === 'protobuf') return reply.status(unsupportedMediaType());

  // 8. decode
  const text = bodyAsJsonText(input, r.body);
  let decoded: DecodeOutcome;
  if (typeof text !== 'string') {
    decoded = { ok: false, message: `the object provided is unrecognized (must be of type Endpoints): ${text.yamlError} (${summarize(r.body)})`, syntaxError: true };
  } else {
    decoded = decodeEndpoints(text, r.body);
  }
  if (!decoded.ok) {
    if (decoded.syntaxError && faults.has('crash-on-bad-json')) {
      throw new SyntaxError('Unexpected token in JSON body');
    }
    return reply.status(badRequest(decoded.message));
  }
  const mode = faults.has('ignore-field-validation') ? 'Ignore' : fieldValidationMode(options);
  if (decoded.strictProblems.length) {
    if (mode === 'Strict') return reply.status(badRequest(strictDecodingMessage(decoded.strictProblems)));
    if (mode === 'Warn') for (const p of decoded.strictProblems) reply.addWarning(p);
  }
  const obj = decoded.endpoints;
  const meta = obj.metadata;
  // SetDefaults_Endpoints: protocol "" → TCP (done by the decoder in Kubernetes)
  if (!faults.has('no-protocol-default')) {
    for (const ss of obj.subsets ?? []) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
  }

  // 10-11. namespace then name (before 1.21: checkName, the name first, then its own namespace message)
  const nameFirst = checksNameBeforeNamespace(settings.minor);
  if (nameFirst && meta.name && meta.name !== r.name && !faults.has('accept-name-mismatch')) {
    return reply.status(badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${r.name})`));
  }
  if (meta.namespace && meta.namespace !== r.namespace) {
    return reply.status(badRequest(nameFirst
      ? `the namespace of the object (${meta.namespace}) does not match the namespace on the request (${r.namespace})`
      : 'the namespace of the provided object does not match the namespace sent on the request'));
  }
  meta.namespace = r.namespace;
  if (!meta.name) {
    return reply.status(badRequest(`the name of the object (${r.name} based on URL) was undeterminable: name must be provided`));
  }
  if (meta.name !== r.name) {
    if (!faults.has('accept-name-mismatch')) {
      return reply.status(badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${r.name})`));
    }
    meta.name = r.name;
  }

  // 12. ownerReferences dedup
  if (meta.ownerReferences?.length) {
    const { refs, duplicateUids } = dedupOwnerReferences(meta.ownerReferences);
    if (duplicateUids.length) {
      meta.ownerReferences = refs;
      reply.addWarning(`.metadata.ownerReferences contains duplicate entries; API server dedups owner references in 1.20+, and may reject such requests as early as 1.24; please fix your requests; duplicate UID(s) observed: ${duplicateUids.join(', ')}`);
    }
  }

  // 13. the store's key function: the URL name must be a usable path segment (every release)
  const segmentProblem = faults.has('no-path-segment-check') ? null : pathSegmentNameProblem(r.name);
  if (segmentProblem !== null) return reply.status(badRequest(segmentProblem));

  // 13a. uid precondition
  const stored = store.get(r.namespace, r.name);
  if (meta.uid) {
    const storedUid = stored?.object.metadata.uid ?? '';
    if (meta.uid !== storedUid) {
      return reply.status(conflict(r.name, `StorageError: invalid object, Code: 4, Key: /registry/services/endpoints/${r.namespace}/${r.name}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${storedUid}`));
    }
  }

  // 13b. admission: NamespaceLifecycle
  if (!stored && !store.namespace(r.namespace)) return reply.status(notFound('namespaces', r.namespace));

  // 13c. resourceVersion syntax
  const requestedRv = faults.has('accept-malformed-resource-version') && !/^[0-9]*$/.test(meta.resourceVersion ?? '')
    ? 0n
    : parseResourceVersion(meta.resourceVersion ?? '');
  if (typeof requestedRv === 'string') return reply.status(rawServerError(requestedRv));

  const dryRun = isDryRun(options) && !faults.has('ignore-dry-run');
  const manager = managerName(options, r.userAgent);
  const now = Date.now();
  delete meta.selfLink;

  if (!stored) {
    // 13d. create
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    meta.uid = randomUUID();
    meta.creationTimestamp = Math.floor(now / 1000) * 1000;
    const errs = validateEndpointsCreate(obj, faults, {}, ipParsing(settings));
    if (errs.length) return reply.status(invalidStatus('Endpoints', '', meta.name, errs, settings.jsonRendering));
    if (r.identity.kind === 'updateOnly') return reply.status(forbidden(r.identity.user, 'create', 'endpoints', r.name, r.namespace));
    for (const w of endpointsWarnings(obj, settings.minor)) reply.addWarning(w);
    const leaves = trackedLeaves(obj);
    meta.managedFields = computeManagedFields(undefined, undefined, obj, leaves, manager, now);
    if (faults.has('drop-not-ready-addresses')) for (const ss of obj.subsets ?? []) delete ss.notReadyAddresses;
    if (!dryRun) meta.resourceVersion = store.nextRevision();
    const json = endpointsJson(obj);
    if (!dryRun) store.set(r.namespace, r.name, { object: obj, json, leaves });
    const code = faults.has('create-returns-200') ? 200 : 201;
    return answerObject(reply, code, obj, json, faults.has('numeric-resource-version'));
  }

  // 13e. update
  const old = stored.object;
  const oldMeta = old.metadata;
  if (requestedRv !== 0n && requestedRv !== BigInt(oldMeta.resourceVersion ?? '0') && !faults.has('no-conflict-on-stale')) {
    const message = 'the object has been modified; please apply your changes to the latest version and try again';
    if (faults.has('precondition-failed-on-stale')) {
      return reply.status(failure(412, 'Conflict', `Operation cannot be fulfilled on endpoints ${JSON.stringify(r.name)}: ${message}`, { name: r.name, kind: 'endpoints' }));
    }
    return reply.status(conflict(r.name, message));
  }
  meta.resourceVersion = oldMeta.resourceVersion;
  // BeforeUpdate
  if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation; else delete meta.generation;
  if (!meta.uid) meta.uid = oldMeta.uid;
  if (oldMeta.creationTimestamp !== undefined) meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp !== undefined) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  }
  const errs = validateEndpointsUpdate(obj, old, faults, ipParsing(settings));
  if (errs.length) return reply.status(invalidStatus('Endpoints', '', meta.name, errs, settings.jsonRendering));
  for (const w of endpointsWarnings(obj, settings.minor)) reply.addWarning(w);
  const leaves = trackedLeaves(obj);
  meta.managedFields = computeManagedFields(old, stored.leaves, obj, leaves, manager, now);
  if (faults.has('drop-not-ready-addresses')) for (const ss of obj.subsets ?? []) delete ss.notReadyAddresses;
  if (faults.has('regenerate-uid-on-update')) {
    meta.uid = randomUUID();
    meta.creationTimestamp = Math.floor(now / 1000) * 1000;
  }
  const numericResourceVersion = faults.has('numeric-resource-version');
  // With the stored resourceVersion in place, identical bytes mean a no-op: no write, RV unchanged.
  let json = endpointsJson(obj);
  if (json === stored.json && !faults.has('bump-on-noop')) {
    return answerObject(reply, 200, old, stored.json, numericResourceVersion);
  }
  if (!dryRun) {
    if (!faults.has('never-bump-resource-version')) {
      const previousRv = meta.resourceVersion ?? '';
      meta.resourceVersion = store.nextRevision();
      // resourceVersion precedes labels/annotations in ObjectMeta, so the first match is the field itself.
      json = json.replace(`"resourceVersion":"${previousRv}"`, `"resourceVersion":"${meta.resourceVersion}"`);
    }
    store.set(r.namespace, r.name, { object: obj, json, leaves });
  }
  return answerObject(reply, 200, obj, json, numericResourceVersion);
}

/**
 * GET/DELETE of one Endpoints (DELETE with DeleteOptions: preconditions, dryRun), the namespaced
 * and cluster-wide Endpoints lists (labelSelector, limit/continue), and the Namespace objects.
 */
import { decodeContinue, encodeContinue } from './continueToken.ts';
import { pathSegmentNameProblem } from './emulatedRelease.ts';
import { deleteOptionsFrom, isDryRunDelete, validateDeleteOptions } from './deleteOptions.ts';
import { endpointsWire, formatTime, objectMetaWire } from './endpointsSerialization.ts';
import type { EndpointsStore, StoredEndpoints, StoredNamespace } from './endpointsStore.ts';
import { parseLabelSelector } from './labelSelector.ts';
import { firstValue, goParseInt64, type QueryParameters } from './queryParameters.ts';
import type { Reply } from './reply.ts';
import { badRequest, conflictOn, invalidStatus, notFound, success, unsupportedMediaType } from './statusBodies.ts';
import type { FaultSet } from './faults.ts';

export function getEndpoints(store: EndpointsStore, namespace: string, name: string, faults: FaultSet, reply: Reply): void {
  const segmentProblem = faults.has('no-path-segment-check') ? null : pathSegmentNameProblem(name);
  if (segmentProblem !== null) return reply.status(badRequest(segmentProblem));
  const stored = store.get(namespace, name);
  if (!stored) return reply.status(notFound('endpoints', name));
  reply.object(200, endpointsWire(stored.object, { numericResourceVersion: faults.has('numeric-resource-version') }));
}

export interface DeleteRequest {
  namespace: string;
  name: string;
  query: QueryParameters;
  body: Buffer;
  contentType: string | undefined;
}

/**
 * DELETE of one Endpoints in the apiserver's order: DeleteOptions from the body, or from the query
 * when there is no body (415, 400), ValidateDeleteOptions (422), then Store.Delete: the object must
 * exist (404, before any precondition), rest.BeforeDelete checks the uid then the resourceVersion
 * precondition (409), and the object is deleted unless dryRun=All. Endpoints have no graceful
 * deletion and the registry does not set ReturnDeletedObject, so success is 200 with a Success
 * Status naming the deleted object's uid, for a dry run too.
 *
 * This server has no garbage collector and nothing depends on an Endpoints: propagationPolicy
 * Orphan/Foreground, which on a cluster first add a finalizer for the collector to remove, here
 * delete at once, the state a cluster reaches once the collector has run. gracePeriodSeconds has
 * no effect on Endpoints in Kubernetes either.
 */
export function deleteEndpoints(store: EndpointsStore, r: DeleteRequest, reply: Reply): void {
  const decoded = deleteOptionsFrom(r.body, r.contentType, r.query);
  if (!decoded.ok) return reply.status(decoded.kind === 'unsupportedMediaType' ? unsupportedMediaType() : badRequest(decoded.message));
  const options = decoded.options;
  const optionErrors = validateDeleteOptions(options);
  if (optionErrors.length) return reply.status(invalidStatus('DeleteOptions', 'meta.k8s.io', '', optionErrors, reply.settings.jsonRendering));

  // Store.Delete: the key function refuses a name that is not a usable path segment first.
  const segmentProblem = reply.settings.faults.has('no-path-segment-check') ? null : pathSegmentNameProblem(r.name);
  if (segmentProblem !== null) return reply.status(badRequest(segmentProblem));
  const stored = store.get(r.namespace, r.name);
  if (!stored) return reply.status(notFound('endpoints', r.name));
  const meta = stored.object.metadata;
  const uid = meta.uid ?? '';
  const resourceVersion = meta.resourceVersion ?? '';
  const wanted = options.preconditions;
  // rest.BeforeDelete: NewConflict(GroupResource{Group: gvk.Group, Resource: gvk.Kind}, ...).
  if (wanted?.uid !== undefined && wanted.uid !== uid) {
    return reply.status(conflictOn('Endpoints', r.name, `the UID in the precondition (${wanted.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`));
  }
  if (wanted?.resourceVersion !== undefined && wanted.resourceVersion !== resourceVersion) {
    return reply.status(conflictOn('Endpoints', r.name, `the ResourceVersion in the precondition (${wanted.resourceVersion}) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`));
  }
  if (!isDryRunDelete(options)) {
    store.delete(r.namespace, r.name);
    store.nextRevision();
  }
  reply.object(200, success(r.name, 'endpoints', uid));
}

/** etcd orders keys by bytes; names are ASCII, a decoded start key need not be. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The namespaced and cluster-wide Endpoints lists, as etcd3 store.GetList answers them: items in
 * key order (by name; by namespace/name for the cluster-wide list), labelSelector applied, and
 * with limit=N at most N items. When a key follows the last item returned, metadata.continue holds
 * a token to resume right after it, and, when no selector is given, metadata.remainingItemCount
 * the number of objects after this page. A malformed limit or continue token is a 400.
 *
 * Kubernetes serves every page of one list from the same etcd revision (the token's rv). This
 * server keeps no history: a page asked with a token is served from the current state, starting
 * after the token's start key, and carries the token's resourceVersion, as Kubernetes would. An
 * object created or deleted between pages is therefore seen (or missed) by the later pages,
 * where Kubernetes would show the snapshot; no object is ever returned twice.
 */
export function listEndpoints(store: EndpointsStore, namespace: string | undefined, query: QueryParameters, faults: FaultSet, reply: Reply): void {
  const labelSelector = firstValue(query, 'labelSelector');
  const selector = parseLabelSelector(labelSelector);
  if (typeof selector !== 'function') return reply.status(badRequest(selector.error));
  let limit = 0n;
  const limitValues = query.get('limit');
  if (limitValues?.length) {
    const parsed = goParseInt64(limitValues[0]);
    if (typeof parsed === 'string') return reply.status(badRequest(parsed));
    limit = parsed;
  }
  const paging = limit > 0n;

  let startKey = '';
  let listRevision: string = store.currentRevision();
  const continueValue = firstValue(query, 'continue');
  if (continueValue !== '') {
    const token = decodeContinue(continueValue);
    if (!token.ok) return reply.status(badRequest(`invalid continue token: ${token.error}`));
    const rv = firstValue(query, 'resourceVersion');
    if (rv !== '' && rv !== '0') return reply.status(badRequest('specifying resource version is not allowed when using continue'));
    startKey = token.startKey;
    // A negative rv asks for the latest state (and so gets the current revision).
    if (token.resourceVersion > 0n) listRevision = String(token.resourceVersion);
  }

  const numericResourceVersion = faults.has('numeric-resource-version');
  const keyOf = namespace === undefined
    ? (s: StoredEndpoints): string => `${s.object.metadata.namespace ?? ''}/${s.object.metadata.name ?? ''}`
    : (s: StoredEndpoints): string => s.object.metadata.name ?? '';
  const all = store.list(namespace);
  let from = 0;
  if (startKey !== '') while (from < all.length && compareKeys(keyOf(all[from]), startKey) < 0) from += 1;

  const items = [];
  let lastKey = '';
  let hasMore = false;
  for (let i = from; i < all.length; i++) {
    const s = all[i];
    if (paging && BigInt(items.length) >= limit) { hasMore = true; break; }
    lastKey = keyOf(s);
    if (!selector(s.object.metadata.labels)) continue;
    items.push({ metadata: objectMetaWire(s.object.metadata, { numericResourceVersion }), ...(s.object.subsets?.length ? { subsets: endpointsWire(s.object).subsets } : {}) });
  }
  const metadata: Record<string, unknown> = { resourceVersion: listRevision };
  if (hasMore) {
    metadata.continue = encodeContinue(`${lastKey}\u0000`, BigInt(listRevision));
    // getResp.Count - limit: only when nothing was filtered out, so the count is exact.
    if (labelSelector.trim() === '') metadata.remainingItemCount = all.length - from - Number(limit);
  }
  reply.object(200, { kind: 'EndpointsList', apiVersion: 'v1', metadata, items });
}

function namespaceWire(ns: StoredNamespace, withTypeMeta: boolean): Record<string, unknown> {
  return {
    ...(withTypeMeta ? { kind: 'Namespace', apiVersion: 'v1' } : {}),
    metadata: {
      name: ns.name, uid: ns.uid, resourceVersion: ns.resourceVersion, creationTimestamp: formatTime(ns.creationTimestamp),
      labels: { 'kubernetes.io/metadata.name': ns.name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function getNamespace(store: EndpointsStore, name: string, reply: Reply): void {
  const ns = store.namespace(name);
  if (!ns) return reply.status(notFound('namespaces', name));
  reply.object(200, namespaceWire(ns, true));
}

export function listNamespaces(store: EndpointsStore, reply: Reply): void {
  reply.object(200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: store.currentRevision() }, items: store.namespaceList().map((n) => namespaceWire(n, false)) });
}

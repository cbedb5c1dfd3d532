/**
 * GET/DELETE of one Endpoints, the namespaced and cluster-wide Endpoints lists (with
 * labelSelector), and the Namespace objects.
 */
import { endpointsWire, formatTime, objectMetaWire } from './endpointsSerialization.ts';
import type { EndpointsStore, StoredNamespace } from './endpointsStore.ts';
import { parseLabelSelector } from './labelSelector.ts';
import { firstValue, type QueryParameters } from './queryParameters.ts';
import type { Reply } from './reply.ts';
import { badRequest, notFound, success } from './statusBodies.ts';
import type { FaultSet } from './faults.ts';

export function getEndpoints(store: EndpointsStore, namespace: string, name: string, faults: FaultSet, reply: Reply): void {
  const stored = store.get(namespace, name);
  if (!stored) return reply.status(notFound('endpoints', name));
  reply.object(200, endpointsWire(stored.object, { numericResourceVersion: faults.has('numeric-resource-version') }));
}

export function deleteEndpoints(store: EndpointsStore, namespace: string, name: string, query: QueryParameters, reply: Reply): void {
  const stored = store.get(namespace, name);
  if (!stored) return reply.status(notFound('endpoints', name));
  const dryRun = (query.get('dryRun') ?? []).length > 0;
  if (!dryRun) {
    store.delete(namespace, name);
    store.nextRevision();
  }
  reply.object(200, success(name, 'endpoints', stored.object.metadata.uid ?? ''));
}

export function listEndpoints(store: EndpointsStore, namespace: string | undefined, query: QueryParameters, faults: FaultSet, reply: Reply): void {
  const selector = parseLabelSelector(firstValue(query, 'labelSelector'));
  if (typeof selector !== 'function') return reply.status(badRequest(selector.error));
  const numericResourceVersion = faults.has('numeric-resource-version');
  const items = [];
  for (const s of store.list(namespace)) {
    if (!selector(s.object.metadata.labels)) continue;
    items.push({ metadata: objectMetaWire(s.object.metadata, { numericResourceVersion }), ...(s.object.subsets?.length ? { subsets: endpointsWire(s.object).subsets } : {}) });
  }
  reply.object(200, { kind: 'EndpointsList', apiVersion: 'v1', metadata: { resourceVersion: store.currentRevision() }, items });
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

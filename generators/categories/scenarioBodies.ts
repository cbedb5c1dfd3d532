/**
 * Bodies for multi-step scenarios: a later body for the same object that certainly differs
 * from the earlier ones, and one-line summaries of bodies for case descriptions.
 */
import { copyBody, type EndpointsBody } from '../endpointsBody.ts';

export const revisionAnnotation = 'endpoints-conformance/revision';

/** `other`'s content under `base`'s name and namespace, marked with revision `revision` (≥ 1)
 * so it differs from `base` (which carries no such annotation) and from other revisions. */
export function changedBody(base: EndpointsBody, other: EndpointsBody, revision: number): EndpointsBody {
  const changed = copyBody(other);
  changed.metadata = {
    ...changed.metadata,
    name: base.metadata.name,
    namespace: base.metadata.namespace,
    annotations: { ...changed.metadata.annotations, [revisionAnnotation]: String(revision) },
  };
  if (changed.metadata.namespace === undefined) delete changed.metadata.namespace;
  return changed;
}

/** E.g. "2 subsets, 3 addresses (1 IPv6), 1 not-ready, 2 ports". */
export function describeBody(body: EndpointsBody): string {
  const subsets = body.subsets ?? [];
  const addresses = subsets.flatMap((subset) => subset.addresses ?? []);
  const notReady = subsets.flatMap((subset) => subset.notReadyAddresses ?? []);
  const ipv6 = [...addresses, ...notReady].filter((address) => address.ip?.includes(':')).length;
  const ports = subsets.flatMap((subset) => subset.ports ?? []).length;
  const parts = [`${subsets.length} subset(s)`];
  if (addresses.length > 0) parts.push(`${addresses.length} address(es)`);
  if (notReady.length > 0) parts.push(`${notReady.length} not-ready`);
  if (ipv6 > 0) parts.push(`${ipv6} IPv6`);
  if (ports > 0) parts.push(`${ports} port(s)`);
  parts.push(`name ${body.metadata.name ?? '(none)'}`);
  return parts.join(', ');
}

/**
 * Whether the run's namespace exists. Kubernetes answers a list in a namespace that does not
 * exist with 200 and no items, so the preflight list cannot tell; every write of the run would
 * then be answered 404 NotFound, and a correct server would be judged failing case after case
 * (seen on the real kube-apiserver v1.20.2 with a mistyped --namespace). One
 * `GET /api/v1/namespaces/{namespace}`: only Kubernetes' own NotFound naming that namespace
 * (a Status with reason NotFound and details.kind "namespaces") counts as missing. Anything
 * else — 200, 403 for an identity that may not read namespaces (a namespaced Role, as the
 * project's Jobs have), a server without that route, no answer — leaves the run as it was.
 */
import { bodyObject, isJsonObject } from '../checks/answerBody.ts';
import { ownRequest } from '../cleanup/endpointsApi.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import type { Transport } from '../transport/types.ts';
import { answerProbe } from './answerProbe.ts';
import { parseAnswerBody } from './parseAnswerBody.ts';
import type { AnswerProbe } from './runResult.ts';

export type NamespaceProbe = { missing: false } | { missing: true; reason: string; exchange: AnswerProbe };

export async function probeNamespace(transport: Transport, connection: ResolvedConnection): Promise<NamespaceProbe> {
  const path = `/api/v1/namespaces/${encodeURIComponent(connection.namespace)}`;
  const request = ownRequest(connection, 'GET', `${connection.baseUrl}${path}`);
  const outcome = await transport.send(request);
  if (!outcome.ok || outcome.response.status !== 404) return { missing: false };
  const body = bodyObject(parseAnswerBody(outcome.response));
  const notFound =
    body !== undefined &&
    body.kind === 'Status' &&
    body.reason === 'NotFound' &&
    isJsonObject(body.details) &&
    body.details.kind === 'namespaces' &&
    (body.details.name === undefined || body.details.name === connection.namespace);
  if (!notFound) return { missing: false };
  return {
    missing: true,
    reason: `the namespace ${connection.namespace} does not exist on the target (GET ${path} answered 404 NotFound): every write would be refused there; create it, or name another with --namespace`,
    exchange: answerProbe(request, outcome),
  };
}

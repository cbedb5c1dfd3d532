/**
 * Which Kubernetes the target is, asked at the start of a run: GET /version (gitVersion) and its
 * published OpenAPI (/openapi/v3 → the api/v1 document, else /openapi/v2, each read once under the
 * run's body cap) for the query parameters of the PUT on endpoints. A target that answers neither
 * (a vendor's own server) is "unknown": never an error, the run goes on and is judged by the
 * contract. `--kubernetes-version` skips the questions.
 */
import { authHeaders } from '../connection/types.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import type { Transport, TransportOutcome } from '../transport/types.ts';
import { parseKubernetesRelease, releaseFromVersionDocument, type KubernetesRelease } from '../../spec/kubernetesReleaseDifferences.ts';
import { isJsonObject } from '../checks/answerBody.ts';
import type { JsonObject } from '../checks/answerBody.ts';

export interface TargetReleaseFacts {
  /** The release judged by; absent when neither the override nor /version told it. */
  release?: KubernetesRelease;
  gitVersion?: string;
  releaseSource: 'override' | 'detected' | 'unknown';
  /** Query parameter names the target's OpenAPI lists for PUT endpoints; absent when not read. */
  putQueryParameters?: string[];
  /** Where the OpenAPI answer came from ('/openapi/v3/api/v1', '/openapi/v2'), when read. */
  openApiDocument?: string;
  /** One line per question asked and what came back. */
  detection: string[];
}

const endpointsItemPath = '/api/v1/namespaces/{namespace}/endpoints/{name}';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** One line on an answer that did not help. */
function unusable(outcome: TransportOutcome): string {
  if (!outcome.ok) return `no answer (${outcome.failure.kind})`;
  const { status, bodyTruncated } = outcome.response;
  if (bodyTruncated) return `HTTP ${status}, body larger than the body cap (cut)`;
  return status === 200 ? 'HTTP 200, not a document this harness understands' : `HTTP ${status}`;
}

/** Resolves `{$ref: '#/parameters/x'}` (v2) or `#/components/parameters/x` (v3) inside the document. */
function resolveParameter(document: JsonObject, parameter: unknown): JsonObject | undefined {
  if (!isJsonObject(parameter)) return undefined;
  const ref = parameter.$ref;
  if (typeof ref !== 'string') return parameter;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split('/')) node = isJsonObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return isJsonObject(node) ? node : undefined;
}

/** The query parameter names of PUT on the Endpoints item path, or undefined when the document has no such operation. */
export function putQueryParametersOf(document: unknown): string[] | undefined {
  if (!isJsonObject(document) || !isJsonObject(document.paths)) return undefined;
  const item = document.paths[endpointsItemPath];
  if (!isJsonObject(item) || !isJsonObject(item.put)) return undefined;
  const listed = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(item.put.parameters) ? item.put.parameters : [])];
  const names = new Set<string>();
  for (const entry of listed) {
    const parameter = resolveParameter(document, entry);
    if (parameter !== undefined && parameter.in === 'query' && typeof parameter.name === 'string') names.add(parameter.name);
  }
  return [...names].sort();
}

export interface DetectionOptions {
  connection: ResolvedConnection;
  /** The run's transport (its body cap applies to the OpenAPI documents too). */
  transport: Transport;
  /** For /version and the /openapi/v3 root, documents of a few KB: a transport with a small body
   * cap, so a broken target that answers megabytes costs little. Default: `transport`. */
  smallDocumentTransport?: Transport;
  /** `--kubernetes-version X.Y`: no question is asked. */
  kubernetesVersion?: string;
}

export async function detectTargetRelease(options: DetectionOptions): Promise<TargetReleaseFacts> {
  if (options.kubernetesVersion !== undefined) {
    const release = parseKubernetesRelease(options.kubernetesVersion);
    if (release !== undefined) {
      return { release, releaseSource: 'override', detection: [`--kubernetes-version ${options.kubernetesVersion}: not asked`] };
    }
  }
  const { connection, transport } = options;
  const token = connection.auth.token;
  const headers: Record<string, string> = { accept: 'application/json', ...(token === undefined ? {} : authHeaders(connection.auth.scheme, token)) };
  // a run-time credential (exec plugin, client certificate) is added by the connection's transport
  const mark = token === undefined && connection.credentials !== undefined ? { authenticate: true as const } : {};
  const get = (path: string, via: Transport = transport): Promise<TransportOutcome> => via.send({ method: 'GET', url: `${connection.baseUrl}${path}`, headers, ...mark });
  const small = options.smallDocumentTransport ?? transport;
  const document = (outcome: TransportOutcome): unknown =>
    outcome.ok && outcome.response.status === 200 && !outcome.response.bodyTruncated ? parseJson(outcome.response.bodyText) : undefined;

  const facts: TargetReleaseFacts = { releaseSource: 'unknown', detection: [] };
  // Asked together: a target that is slow on one question costs one timeout, not two.
  const [version, root] = await Promise.all([get('/version', small), get('/openapi/v3', small)]);
  const versionDocument = document(version);
  const release = releaseFromVersionDocument(versionDocument);
  if (release !== undefined) {
    facts.release = release;
    facts.releaseSource = 'detected';
    if (isJsonObject(versionDocument) && typeof versionDocument.gitVersion === 'string') facts.gitVersion = versionDocument.gitVersion.slice(0, 80);
    facts.detection.push(`GET /version: ${facts.gitVersion ?? `${release.major}.${release.minor}`}`);
  } else {
    facts.detection.push(`GET /version: ${unusable(version)}`);
  }

  // v3 first (small, per group-version), v2 where v3 is not served.
  const rootDocument = document(root);
  let v3Path: string | undefined;
  if (isJsonObject(rootDocument) && isJsonObject(rootDocument.paths) && isJsonObject(rootDocument.paths['api/v1'])) {
    const relative = rootDocument.paths['api/v1'].serverRelativeURL;
    v3Path = typeof relative === 'string' && relative.startsWith('/') ? relative : '/openapi/v3/api/v1';
  }
  if (v3Path !== undefined) {
    const v3 = await get(v3Path);
    const parameters = putQueryParametersOf(document(v3));
    if (parameters !== undefined) {
      facts.putQueryParameters = parameters;
      facts.openApiDocument = '/openapi/v3/api/v1';
      facts.detection.push(`GET /openapi/v3/api/v1: PUT endpoints query parameters ${parameters.join(', ') || '(none)'}`);
      return facts;
    }
    facts.detection.push(`GET /openapi/v3/api/v1: ${unusable(v3)}`);
  } else {
    facts.detection.push(`GET /openapi/v3: ${unusable(root)}`);
  }
  // A target that answers the small questions with more than their body cap is broken, not a
  // Kubernetes: the megabytes of /openapi/v2 are not asked for.
  const cut = (outcome: TransportOutcome): boolean => outcome.ok && outcome.response.bodyTruncated;
  if (cut(version) || cut(root)) {
    facts.detection.push('GET /openapi/v2: not asked (the small documents already came back larger than their body cap)');
    return facts;
  }
  const v2 = await get('/openapi/v2');
  const parameters = putQueryParametersOf(document(v2));
  if (parameters !== undefined) {
    facts.putQueryParameters = parameters;
    facts.openApiDocument = '/openapi/v2';
    facts.detection.push(`GET /openapi/v2: PUT endpoints query parameters ${parameters.join(', ') || '(none)'}`);
  } else {
    facts.detection.push(`GET /openapi/v2: ${unusable(v2)}`);
  }
  return facts;
}

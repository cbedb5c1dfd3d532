/**
 * The few Endpoints calls cleanup needs (list with pagination, get, delete with a uid
 * precondition), over the harness transport, with the connection's credentials. Every answer
 * becomes data; nothing throws.
 */
import { authHeaders } from '../connection/types.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import type { OutgoingRequest, Transport, TransportOutcome } from '../transport/types.ts';

export interface StoredEndpoints {
  name: string;
  uid?: string;
  resourceVersion?: string;
  labels: Record<string, string>;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status?: number; error: string };

/** A list can in theory go on forever (a server that always returns a continue token). */
const MAX_PAGES = 200;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toStored(value: unknown): StoredEndpoints | undefined {
  if (!isObject(value) || !isObject(value.metadata)) return undefined;
  const metadata = value.metadata;
  if (typeof metadata.name !== 'string') return undefined;
  const labels: Record<string, string> = {};
  if (isObject(metadata.labels)) {
    for (const [key, label] of Object.entries(metadata.labels)) if (typeof label === 'string') labels[key] = label;
  }
  return {
    name: metadata.name,
    ...(typeof metadata.uid === 'string' ? { uid: metadata.uid } : {}),
    ...(typeof metadata.resourceVersion === 'string' ? { resourceVersion: metadata.resourceVersion } : {}),
    labels,
  };
}

/** `403 Forbidden: endpoints is forbidden: User "x" cannot list …` — one line, bounded. */
export function describeAnswer(outcome: TransportOutcome): string {
  if (!outcome.ok) return `${outcome.failure.kind}: ${outcome.failure.message}`;
  const { status, bodyText } = outcome.response;
  const body = parseJson(bodyText);
  const message = isObject(body) && typeof body.message === 'string' ? body.message : bodyText.slice(0, 160);
  const reason = isObject(body) && typeof body.reason === 'string' ? ` ${body.reason}` : '';
  return `${status}${reason}: ${message}`.replace(/\s+/g, ' ').trim().slice(0, 300);
}

export interface EndpointsApi {
  list(labelSelector?: string): Promise<ApiResult<StoredEndpoints[]>>;
  get(name: string): Promise<ApiResult<StoredEndpoints | null>>;
  /** `gone` when the object was already absent (404). With a resourceVersion too, the server
   * refuses (409) unless the object is exactly that version. */
  delete(name: string, uid: string | undefined, resourceVersion?: string): Promise<ApiResult<'deleted' | 'gone'>>;
}

/** A request of the harness's own (not a case's) carrying the run's credential, built per request:
 * an in-cluster token may have been rotated since the last one. */
export function ownRequest(connection: ResolvedConnection, method: OutgoingRequest['method'], url: string): OutgoingRequest {
  return {
    method,
    url,
    headers: {
      accept: 'application/json',
      ...(connection.auth.token !== undefined ? authHeaders(connection.auth.scheme, connection.auth.token) : {}),
    },
    // a run-time credential (exec plugin, client certificate) is added by the connection's transport
    ...(connection.auth.token === undefined && connection.credentials !== undefined ? { authenticate: true as const } : {}),
  };
}

export function createEndpointsApi(transport: Transport, connection: ResolvedConnection, pageSize = 500): EndpointsApi {
  const collection = `${connection.baseUrl}/api/v1/namespaces/${encodeURIComponent(connection.namespace)}/endpoints`;

  async function list(labelSelector?: string): Promise<ApiResult<StoredEndpoints[]>> {
    const items: StoredEndpoints[] = [];
    const seenContinue = new Set<string>();
    let continueToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (labelSelector !== undefined) query.set('labelSelector', labelSelector);
      if (continueToken !== undefined) query.set('continue', continueToken);
      const outcome = await transport.send(ownRequest(connection, 'GET', `${collection}?${query.toString()}`));
      if (!outcome.ok || outcome.response.status !== 200) {
        return { ok: false, ...(outcome.ok ? { status: outcome.response.status } : {}), error: describeAnswer(outcome) };
      }
      if (outcome.response.bodyTruncated) return { ok: false, status: 200, error: 'the list answer was larger than the byte cap' };
      if (outcome.response.bodyNotUtf8 === true) return { ok: false, status: 200, error: 'the list answer is not valid UTF-8' };
      const body = parseJson(outcome.response.bodyText);
      if (!isObject(body) || !Array.isArray(body.items)) {
        return { ok: false, status: 200, error: 'the list answer is not an EndpointsList (no items array)' };
      }
      for (const item of body.items) {
        const stored = toStored(item);
        if (!stored) return { ok: false, status: 200, error: 'the list answer holds an item without metadata.name' };
        items.push(stored);
      }
      const next = isObject(body.metadata) && typeof body.metadata.continue === 'string' ? body.metadata.continue : '';
      if (next === '') return { ok: true, value: items };
      if (seenContinue.has(next)) return { ok: false, status: 200, error: 'the server repeated a continue token: pagination loops' };
      seenContinue.add(next);
      continueToken = next;
    }
    return { ok: false, status: 200, error: `the list did not end after ${MAX_PAGES} pages` };
  }

  async function get(name: string): Promise<ApiResult<StoredEndpoints | null>> {
    const outcome = await transport.send(ownRequest(connection, 'GET', `${collection}/${encodeURIComponent(name)}`));
    if (outcome.ok && outcome.response.status === 404) return { ok: true, value: null };
    if (!outcome.ok || outcome.response.status !== 200) {
      return { ok: false, ...(outcome.ok ? { status: outcome.response.status } : {}), error: describeAnswer(outcome) };
    }
    const stored = toStored(parseJson(outcome.response.bodyText));
    if (!stored || stored.name !== name) return { ok: false, status: 200, error: 'the answer is not the Endpoints object asked for' };
    return { ok: true, value: stored };
  }

  async function remove(name: string, uid: string | undefined, resourceVersion?: string): Promise<ApiResult<'deleted' | 'gone'>> {
    // The uid precondition makes the server refuse (409) if the object was replaced by
    // someone else's between our GET and this DELETE.
    const body =
      uid === undefined
        ? undefined
        : JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: resourceVersion === undefined ? { uid } : { uid, resourceVersion } });
    const request = ownRequest(connection, 'DELETE', `${collection}/${encodeURIComponent(name)}`);
    const outcome = await transport.send(body === undefined ? request : { ...request, headers: { ...request.headers, 'content-type': 'application/json' }, body });
    if (outcome.ok && (outcome.response.status === 200 || outcome.response.status === 202)) return { ok: true, value: 'deleted' };
    if (outcome.ok && outcome.response.status === 404) return { ok: true, value: 'gone' };
    return { ok: false, ...(outcome.ok ? { status: outcome.response.status } : {}), error: describeAnswer(outcome) };
  }

  return { list, get, delete: remove };
}

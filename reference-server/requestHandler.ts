/**
 * The node:http request listener: filters (timeout parameter, authentication, authorization),
 * routing, the handler-level steps shared by the Endpoints routes (deprecation warning, Accept,
 * body limit), and a top-level guard that turns any escaped exception into a 500 Status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type Identity, type TokenTable } from './authentication.ts';
import { apiGroupListDocument, apiVersionsDocument, coreV1ResourceList, openApiRoot, versionDocument, type VersionInfo } from './discovery.ts';
import { servesOpenApiV3 } from './emulatedRelease.ts';
import { openApiCoreV1For, openApiV2For } from './openApiByRelease.ts';
import { negotiateOutput, wantsPretty } from './negotiation.ts';
import { goDurationError, parseQuery, type QueryParameters } from './queryParameters.ts';
import { deleteEndpoints, getEndpoints, getNamespace, listEndpoints, listNamespaces } from './readHandlers.ts';
import { replaceEndpoints, type ServerState } from './replaceEndpoints.ts';
import { Reply } from './reply.ts';
import { badRequest, entityTooLarge, forbidden, internalError, methodNotAllowed, notAcceptable, pathNotFound, unauthorized } from './statusBodies.ts';

export const maxRequestBodyBytes = 3 * 1024 * 1024;

export interface HandlerState extends ServerState {
  tokens: TokenTable;
  version: VersionInfo;
}

type Verb = 'get' | 'list' | 'update' | 'delete';

/** Go's url unescape for a path: %XX → byte (invalid UTF-8 kept as U+FFFD); null when malformed. */
function unescapePath(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) { bytes.push(parseInt(raw.slice(i + 1, i + 3), 16)); i += 2; }
    else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(raw[i], 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

/** Authorization: who may do what (the faults no-auth and readonly-can-write live here). */
function authorize(identity: Identity, verb: Verb, state: HandlerState): 'ok' | 'unauthenticated' | 'forbidden' {
  const faults = state.settings.faults;
  if (identity.kind === 'none') return faults.has('no-auth') ? 'ok' : 'unauthenticated';
  if (identity.kind === 'readOnly' && (verb === 'update' || verb === 'delete')) return faults.has('readonly-can-write') ? 'ok' : 'forbidden';
  return 'ok';
}

function userOf(identity: Identity): string {
  return identity.kind === 'none' ? 'system:anonymous' : identity.user;
}

function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | null) => void): void {
  // An oversized body is drained to its end before the 413 is written, so clients still
  // uploading read the answer instead of a reset connection. A body that came in one chunk (the
  // usual small PUT) is used as it is, without a copy.
  let chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (tooLarge) return;
    if (size > limit) { tooLarge = true; chunks = []; return; }
    chunks.push(chunk);
  });
  req.on('end', () => done(tooLarge ? null : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
}

export function createRequestHandler(state: HandlerState): (req: IncomingMessage, res: ServerResponse) => void {
  const guard = (reply: Reply, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!reply.sent) reply.status(internalError(e instanceof Error ? e.message : String(e)));
    }
  };

  return (req, res) => {
    const reply = new Reply(res, state.settings);
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    guard(reply, () => route(req, reply, state, guard));
  };
}

function route(req: IncomingMessage, reply: Reply, state: HandlerState, guard: (reply: Reply, fn: () => void) => void): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = parseQuery(rawQuery);
  const userAgent = headerValue(req.headers['user-agent']) ?? '';
  const method = req.method ?? 'GET';

  const output = negotiateOutput(headerValue(req.headers.accept));
  reply.pretty = wantsPretty(query, rawQuery, userAgent, output);

  const path = unescapePath(rawPath);
  if (path === null) return reply.status(badRequest(`parse ${JSON.stringify(rawPath)}: invalid URL escape`));

  // WithRequestDeadline: an unparsable ?timeout= is refused before authentication (R13).
  const timeouts = query.get('timeout');
  if (timeouts?.[0]) {
    const err = goDurationError(timeouts[0]);
    if (err) return reply.status(badRequest(`invalid timeout specified in the request URL - ${err}`));
  }

  // Unauthenticated endpoints.
  if (method === 'GET') {
    if (path === '/version') return reply.object(200, versionDocument(state.version));
    if (path === '/healthz' || path === '/livez' || path === '/readyz') {
      reply.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
      reply.sent = true;
      reply.res.end('ok');
      return;
    }
  }

  const identity = authenticate(req.headers, state.tokens);
  const segments = path.split('/');
  // ['', 'api', 'v1', 'namespaces', ns, 'endpoints', name]
  const isCore = segments[1] === 'api' && segments[2] === 'v1';
  const endpointsItem = isCore && segments.length === 7 && segments[3] === 'namespaces' && segments[5] === 'endpoints' && segments[4] !== '' && segments[6] !== '';
  const endpointsCollection = isCore && segments.length === 6 && segments[3] === 'namespaces' && segments[5] === 'endpoints' && segments[4] !== '';
  const allEndpoints = isCore && segments.length === 4 && segments[3] === 'endpoints';

  if (endpointsItem || endpointsCollection || allEndpoints) {
    const namespace = segments[4] ?? '';
    const name = endpointsItem ? segments[6] : '';
    let verb: Verb;
    if (endpointsItem && method === 'GET') verb = 'get';
    else if (endpointsItem && method === 'PUT') verb = 'update';
    else if (endpointsItem && method === 'DELETE') verb = 'delete';
    else if (!endpointsItem && method === 'GET') verb = 'list';
    else {
      if (authorize(identity, 'get', state) === 'unauthenticated') return reply.status(unauthorized());
      return reply.status(methodNotAllowed());
    }
    const decision = authorize(identity, verb, state);
    if (decision === 'unauthenticated') return reply.status(unauthorized());
    if (decision === 'forbidden') return reply.status(forbidden(userOf(identity), verb, 'endpoints', name, namespace));

    // Inside the route handler: every answer carries the deprecation warning.
    reply.markDeprecatedResource();
    if (!output) return reply.status(notAcceptable());
    reply.format = output.format;
    const faults = state.settings.faults;
    if (verb === 'get') return getEndpoints(state.store, namespace, name, faults, reply);
    if (verb === 'list') return listEndpoints(state.store, allEndpoints ? undefined : namespace, query, faults, reply);
    return readBody(req, maxRequestBodyBytes, (body) => guard(reply, () => {
      if (body === null) return reply.status(entityTooLarge(maxRequestBodyBytes));
      if (verb === 'delete') {
        return deleteEndpoints(state.store, { namespace, name, query, body, contentType: headerValue(req.headers['content-type']) }, reply);
      }
      replaceEndpoints({
        namespace, name, query, userAgent, identity, body,
        contentType: headerValue(req.headers['content-type']),
      }, state, reply);
    }));
  }

  // Everything else needs any valid token.
  if (authorize(identity, 'get', state) === 'unauthenticated') return reply.status(unauthorized());
  if (!output) return reply.status(notAcceptable());
  reply.format = output.format;
  if (method !== 'GET') return reply.status(isKnownPath(segments, path) ? methodNotAllowed() : pathNotFound());
  if (path === '/api' || path === '/api/') return reply.object(200, apiVersionsDocument(headerValue(req.headers.host) ?? '127.0.0.1'));
  if (path === '/apis' || path === '/apis/') return reply.object(200, apiGroupListDocument);
  if (path === '/api/v1' || path === '/api/v1/') return reply.object(200, coreV1ResourceList);
  const minor = state.settings.minor;
  if (path === '/openapi/v2') return reply.object(200, openApiV2For(minor, state.version.gitVersion));
  if ((path === '/openapi/v3' || path === '/openapi/v3/') && servesOpenApiV3(minor)) return reply.object(200, openApiRoot);
  if (path === '/openapi/v3/api/v1' && servesOpenApiV3(minor)) return reply.object(200, openApiCoreV1For(minor, state.version.gitVersion));
  if (isCore && segments.length === 4 && segments[3] === 'namespaces') return listNamespaces(state.store, reply);
  if (isCore && segments.length === 5 && segments[3] === 'namespaces' && segments[4] !== '') return getNamespace(state.store, segments[4], reply);
  return reply.status(pathNotFound());
}

function isKnownPath(segments: string[], path: string): boolean {
  if (['/api', '/apis', '/api/v1', '/openapi/v2', '/openapi/v3', '/openapi/v3/api/v1'].includes(path)) return true;
  return segments[1] === 'api' && segments[2] === 'v1' && segments[3] === 'namespaces' && (segments.length === 4 || segments.length === 5);
}

export type { QueryParameters };

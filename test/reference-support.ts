/**
 * Shared helpers for the reference server's own tests (test/reference-*.spec.ts).
 */
import http from 'node:http';
import request from 'supertest';
import type { Response } from 'supertest';
import { startReferenceServer, type ReferenceServerOptions, type RunningReferenceServer } from '../reference-server/index.ts';

export const TOKEN = 'conformance-token';
export const READONLY = 'conformance-readonly-token';

export interface StatusShape {
  kind: string; apiVersion: string; status: string; message: string; reason?: string; code: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ reason: string; message: string; field: string }> };
}

let counter = 0;
/** A fresh object name per call so tests never collide. */
export function uniqueName(prefix = 'ep'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export function validBody(name: string, ip = '10.0.0.1', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets: [{ addresses: [{ ip }], ports: [{ name: 'http', port: 80 }] }], ...extra };
}

export function bodyWithSubsets(name: string, subsets: unknown, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return { metadata: { name, ...meta }, subsets };
}

export async function start(options: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  return startReferenceServer(options);
}

export function epPath(name: string, ns = 'default'): string {
  return `/api/v1/namespaces/${ns}/endpoints/${name}`;
}

/** PUT a JSON body with the read-write token via supertest. */
export function put(server: RunningReferenceServer, name: string, body: unknown, query: Record<string, string> = {}, ns = 'default'): Promise<Response> {
  return request(server.url).put(epPath(name, ns)).query(query).set('Authorization', `Bearer ${TOKEN}`)
    .set('Content-Type', 'application/json').send(JSON.stringify(body)).ok(() => true);
}

export function get(server: RunningReferenceServer, path: string, token = TOKEN): Promise<Response> {
  return request(server.url).get(path).set('Authorization', `Bearer ${token}`).ok(() => true);
}

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; text: string; json(): StatusShape & Record<string, unknown> }

/** A request with exactly the given headers (no defaults added), for header-level rules. */
export function raw(server: RunningReferenceServer, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawResponse> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as StatusShape & Record<string, unknown> });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body); else req.end();
  });
}

export function status(res: Response): StatusShape {
  return res.body as StatusShape;
}

export function causes(res: Response): Array<[string, string]> {
  return (status(res).details?.causes ?? []).map((c) => [c.field, c.reason]);
}

/** Warning header values as a list (node joins repeated headers with ', '). */
export function warnings(res: { headers: Record<string, unknown> }): string[] {
  const h = res.headers.warning;
  if (h === undefined) return [];
  const text = Array.isArray(h) ? h.join(', ') : String(h);
  return text.split(/, (?=299 - ")/);
}

export const deprecation = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';

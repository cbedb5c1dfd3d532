/** autocannon against the reference server: valid PUTs, or a recorded request mix sent in order
 * across all connections. */
import autocannon from 'autocannon';
import type { AutocannonRequest } from 'autocannon';
import type { OutgoingRequest } from '../harness/transport/types.ts';

export interface LoadFigures {
  requestsPerSecond: number;
  requests: number;
  /** Answers outside 2xx (expected for a mix, a fault for the valid PUT). */
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationSeconds: number;
}

/** autocannon with every request built by `setup` (so each connection sends the next one). */
async function run(options: LoadOptions, request: AutocannonRequest, setup: () => AutocannonRequest): Promise<LoadFigures> {
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    requests: [{ ...request, setupRequest: () => setup() }],
  });
  const requests = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return { requestsPerSecond: requests / result.duration, requests, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

/** Valid PUTs over 200 names with a changing address: the first round creates the objects,
 * then every PUT is a real update. */
export function validPutLoad(options: LoadOptions & { token: string; namespace: string }): Promise<LoadFigures> {
  let sent = 0;
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': options.token };
  return run(options, { method: 'PUT', path: '/', headers }, () => {
    sent += 1;
    const name = `bench-put-${sent % 200}`;
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: options.namespace, labels: { app: 'bench' } },
      subsets: [
        {
          addresses: [{ ip: `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${(sent & 255) || 1}`, nodeName: 'node-1' }, { ip: '10.1.0.2' }],
          notReadyAddresses: [{ ip: '10.1.0.3' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090 }],
        },
      ],
    });
    return { method: 'PUT', path: `/api/v1/namespaces/${options.namespace}/endpoints/${name}`, headers, body };
  });
}

/** The recorded requests, each connection taking the next one in order (so every part of the
 * mix is sent, in proportion, however long the load lasts). */
export function replayLoad(options: LoadOptions, recorded: readonly OutgoingRequest[]): Promise<LoadFigures> {
  if (recorded.length === 0) throw new Error('nothing recorded to replay');
  const prepared: AutocannonRequest[] = recorded.map((request) => {
    const url = new URL(request.url);
    return {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    };
  });
  let next = 0;
  return run(options, prepared[0], () => {
    const request = prepared[next % prepared.length];
    next += 1;
    return request;
  });
}

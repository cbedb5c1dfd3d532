/**
 * The harness's transport (undici, a keep-alive pool per origin) next to supertest firing the
 * same recorded requests at the reference server, 16 at a time each. supertest (superagent on
 * node:http) sends `Connection: close` and opens a connection per request; it serves the
 * project's own tests, while the conformance run goes through undici.
 */
import request from 'supertest';
import { createTransport } from '../harness/transport/createTransport.ts';
import type { OutgoingRequest } from '../harness/transport/types.ts';
import { startBenchServer } from './serverThread.ts';

export interface TransportFigures {
  requests: number;
  undiciPerSecond: number;
  supertestPerSecond: number;
  /** Requests that got no answer (should be 0 for both). */
  undiciFailures: number;
  supertestFailures: number;
}

type Send = (request: OutgoingRequest) => Promise<boolean>;

async function fireAll(requests: readonly OutgoingRequest[], concurrency: number, send: Send): Promise<{ perSecond: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const item = requests[next];
        next += 1;
        if (!(await send(item))) failures += 1;
      }
    }),
  );
  return { perSecond: (requests.length / (performance.now() - started)) * 1000, failures };
}

function pointedAt(baseUrl: string, recorded: readonly OutgoingRequest[]): OutgoingRequest[] {
  return recorded.map((item) => {
    const url = new URL(item.url);
    return { ...item, url: `${baseUrl}${url.pathname}${url.search}` };
  });
}

export async function compareTransports(recorded: readonly OutgoingRequest[], concurrency = 16): Promise<TransportFigures> {
  if (recorded.length === 0) throw new Error('no recorded requests to fire');
  const bench = await startBenchServer();
  const transport = createTransport({ timeoutMs: 10_000, maxBodyBytes: 4 << 20, connections: concurrency, tls: { insecure: false } });
  try {
    const requests = pointedAt(bench.server.url, recorded);
    const agent = request(bench.server.url);
    const viaSupertest: Send = async (item) => {
      const url = new URL(item.url);
      const method = item.method.toLowerCase() as 'put' | 'post' | 'get' | 'delete';
      try {
        let test = agent[method](`${url.pathname}${url.search}`).buffer(true);
        for (const [name, value] of Object.entries(item.headers)) test = test.set(name, value);
        await (item.body === undefined ? test : test.send(item.body));
        return true;
      } catch {
        return false;
      }
    };
    const viaUndici: Send = async (item) => (await transport.send(item)).ok;
    // warm both paths, then measure undici, supertest
    await fireAll(requests.slice(0, 200), concurrency, viaUndici);
    await fireAll(requests.slice(0, 200), concurrency, viaSupertest);
    const undici = await fireAll(requests, concurrency, viaUndici);
    const supertest = await fireAll(requests, concurrency, viaSupertest);
    return {
      requests: requests.length,
      undiciPerSecond: undici.perSecond,
      supertestPerSecond: supertest.perSecond,
      undiciFailures: undici.failures,
      supertestFailures: supertest.failures,
    };
  } finally {
    await transport.close();
    await bench.close();
  }
}

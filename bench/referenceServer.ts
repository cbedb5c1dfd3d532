/**
 * Benchmark: valid PUTs per second of the reference server next to a bare node:http server
 * answering a fixed 200, measured the same way in the same run: each server on its own worker
 * thread, autocannon driving both with the same request stream from the main thread, rounds
 * alternating (bare, reference, bare, …) and medians compared. Prints both rates and the ratio
 * (target ≥ 40%).
 *
 * This machine is shared and has 2 cores, so wall-clock rates swing with other load (the same
 * server measured twice can differ 3×). Each round therefore also reads how busy the server's
 * thread was (event-loop utilization): busy time per request gives a capacity — requests per
 * second of one fully busy thread — that hardly depends on the neighbours. Both are printed.
 *
 *   npx tsx bench/referenceServer.ts     (BENCH_ROUNDS=5 alternating rounds of BENCH_SECONDS=2 each side)
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startReferenceServerWorker } from '../reference-server/inWorker.ts';

interface AutocannonRequest { method?: string; path?: string; headers?: Record<string, string>; body?: string }
interface AutocannonOptions {
  url: string; connections: number; duration: number; headers?: Record<string, string>;
  requests?: Array<{ setupRequest?: (req: AutocannonRequest) => AutocannonRequest }>;
}
interface AutocannonResult { requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number }
type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult>;

// autocannon ships no type declarations; it is loaded through require and typed above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface ReferenceServerBenchmark {
  /** Median autocannon rate of valid PUTs against the reference server. */
  referencePutsPerSec: number;
  /** Median autocannon rate against the bare node:http server (same requests). */
  barePerSec: number;
  /** referencePutsPerSec / barePerSec. */
  ratio: number;
  /** Requests per second one fully busy server thread would answer (median over rounds). */
  referenceCapacityPerSec: number;
  bareCapacityPerSec: number;
  capacityRatio: number;
}

const token = 'conformance-token';

function startBareServerInWorker(): Promise<{ url: string; worker: Worker; close(): Promise<void> }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const http = require('node:http');
    const body = '{"kind":"Status","apiVersion":"v1","status":"Success"}\\n';
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }); res.end(body); });
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage('http://127.0.0.1:' + server.address().port));
    parentPort.on('message', () => { server.close(); server.closeAllConnections(); parentPort.postMessage('closed'); });`;
  const worker = new Worker(code, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (url: string) => resolve({
      url, worker,
      close: () => new Promise<void>((done) => { worker.once('message', () => { void worker.terminate().then(() => done()); }); worker.postMessage('close'); }),
    }));
  });
}

/** A rotating set of valid bodies: 200 names, a changing address each time (creates, then real updates). */
function validPutRequests(): AutocannonOptions['requests'] {
  let i = 0;
  return [{
    setupRequest: (req) => {
      i += 1;
      const name = `bench-${i % 200}`;
      const body = JSON.stringify({
        apiVersion: 'v1', kind: 'Endpoints',
        metadata: { name, labels: { app: 'bench', shard: String(i % 7) } },
        subsets: [{
          addresses: [{ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255 || 1}` }, { ip: '2001:db8::1', nodeName: 'node-a' }],
          notReadyAddresses: [{ ip: '10.200.0.1' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090 }],
        }],
      });
      return { ...req, method: 'PUT', path: `/api/v1/namespaces/default/endpoints/${name}`, body };
    },
  }];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** One autocannon round; returns the rate and the capacity from the server thread's busy time. */
async function measure(url: string, worker: Worker, seconds: number): Promise<{ rate: number; capacity: number }> {
  const before = worker.performance.eventLoopUtilization();
  const r = await autocannon({ url, connections, duration: seconds, headers, requests: validPutRequests() });
  const used = worker.performance.eventLoopUtilization(before);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url} answered ${r.non2xx} non-2xx and ${r.errors} errors to valid PUTs`);
  const busySeconds = used.active / 1000;
  return { rate: r.requests.average, capacity: busySeconds > 0 ? r.requests.total / busySeconds : 0 };
}

export async function benchReferenceServer(
  roundSeconds = Number(process.env.BENCH_SECONDS ?? 2),
  rounds = Number(process.env.BENCH_ROUNDS ?? 5),
): Promise<ReferenceServerBenchmark> {
  const bare = await startBareServerInWorker();
  const { server, worker } = await startReferenceServerWorker();
  const bareRuns: Array<{ rate: number; capacity: number }> = [];
  const referenceRuns: Array<{ rate: number; capacity: number }> = [];
  try {
    await measure(server.url, worker, 1); // warm-up: JIT, and the 200 objects get created
    await measure(bare.url, bare.worker, 1);
    for (let round = 0; round < rounds; round++) {
      bareRuns.push(await measure(bare.url, bare.worker, roundSeconds));
      referenceRuns.push(await measure(server.url, worker, roundSeconds));
    }
  } finally {
    await Promise.all([bare.close(), server.close()]);
  }
  const barePerSec = median(bareRuns.map((r) => r.rate));
  const referencePutsPerSec = median(referenceRuns.map((r) => r.rate));
  const bareCapacityPerSec = median(bareRuns.map((r) => r.capacity));
  const referenceCapacityPerSec = median(referenceRuns.map((r) => r.capacity));
  return {
    referencePutsPerSec, barePerSec, ratio: referencePutsPerSec / barePerSec,
    referenceCapacityPerSec, bareCapacityPerSec, capacityRatio: referenceCapacityPerSec / bareCapacityPerSec,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchReferenceServer().then((r) => {
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    console.log('                                 autocannon rate    capacity (req/s of one busy thread)');
    console.log(`bare node:http (fixed 200)       ${r.barePerSec.toFixed(0).padStart(8)} req/s    ${r.bareCapacityPerSec.toFixed(0).padStart(8)}`);
    console.log(`reference server (valid PUTs)    ${r.referencePutsPerSec.toFixed(0).padStart(8)} req/s    ${r.referenceCapacityPerSec.toFixed(0).padStart(8)}`);
    console.log(`ratio (target ≥ 40%)             ${pct(r.ratio).padStart(8)}          ${pct(r.capacityRatio).padStart(8)}`);
  }, (e: unknown) => {
    console.error(`benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}

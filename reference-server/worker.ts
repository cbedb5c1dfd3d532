/**
 * Worker-thread entry: starts a reference server inside the worker and reports its public
 * description to the parent; closes it when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startReferenceServer, type ReferenceServerOptions } from './index.ts';

if (!parentPort) throw new Error('reference-server/worker.ts must run in a worker thread');
const port = parentPort;

startReferenceServer(workerData as ReferenceServerOptions).then(
  (server) => {
    const { close, ...description } = server;
    port.on('message', (m: unknown) => {
      if (m === 'close') void close().then(() => port.postMessage({ type: 'closed' }));
    });
    port.postMessage({ type: 'started', server: description });
  },
  (e: unknown) => port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
);

/** A worker_threads Worker running a TypeScript entry point. Node 20 does not apply tsx to a
 * worker's .ts entry, so an evaluated bootstrap registers tsx's ESM hooks inside the worker and
 * then imports the entry (as reference-server/inWorker.ts does). A failure to load the entry is
 * posted as `{ type: 'failed', message }`. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WorkerLoadFailure {
  type: 'failed';
  message: string;
}

export function startTypeScriptWorker(entry: URL, workerData: unknown): Worker {
  // Resolved with require so it works whether this module runs as ESM (tsx CLI) or compiled to
  // CJS (mocha's `require: tsx`, where import.meta.resolve is missing); the ESM build of tsx's
  // API sits next to the CJS one.
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'failed', message: String(e && e.message || e) }); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

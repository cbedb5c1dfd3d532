/**
 * A worker_threads Worker running one of this project's modules, whether the project runs
 * compiled (dist/, what the command line runs: the worker imports the .js beside the caller) or
 * from its TypeScript sources (tsx): Node 20 does not apply `--import tsx` to a worker's .ts
 * entry point, so a small evaluated bootstrap registers tsx's ESM hooks inside the worker, then
 * imports the TypeScript entry. A bootstrap that fails posts `{ type: 'failed', message }`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ResourceLimits } from 'node:worker_threads';

/** `callerUrl`: the caller's `import.meta.url`; `entry`: the worker module's path relative to
 * the caller, without its extension (e.g. './worker'); `resourceLimits`: the worker's heap
 * (Node's own option; a worker that outgrows it ends with ERR_WORKER_OUT_OF_MEMORY). */
export function startModuleWorker(callerUrl: string, entry: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const compiled = new URL(callerUrl).pathname.endsWith('.js');
  const entryUrl = new URL(`${entry}${compiled ? '.js' : '.ts'}`, callerUrl).href;
  const failed = `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'failed', message: String(e && e.message || e) }); });`;
  let bootstrap: string;
  if (compiled) bootstrap = `import(${JSON.stringify(entryUrl)})${failed}`;
  else {
    // resolved from here so it works whether this module runs as ESM (tsx CLI) or compiled to CJS
    // (mocha's `require: tsx`); the ESM build of the API sits next to the CJS one
    const tsxApi = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entryUrl)}); })${failed}`;
  }
  return new Worker(bootstrap, { eval: true, workerData, ...(resourceLimits === undefined ? {} : { resourceLimits }) });
}

/**
 * The reference server running in a worker_threads Worker, so the harness and the server each get
 * a core. tsx is registered inside the worker by an evaluated bootstrap (see below).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReferenceServerOptions, RunningReferenceServer } from './index.ts';

type WorkerMessage =
  | { type: 'started'; server: Omit<RunningReferenceServer, 'close'> }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

export function startReferenceServerInWorker(options: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  return startReferenceServerWorker(options).then(({ server }) => server);
}

/** The same, also handing back the Worker (e.g. to read its event-loop utilization in a benchmark). */
export function startReferenceServerWorker(options: ReferenceServerOptions = {}): Promise<{ server: RunningReferenceServer; worker: Worker }> {
  // Node 20 does not apply `--import tsx` to a worker's .ts entry point, so a small evaluated
  // bootstrap registers tsx's ESM hooks inside the worker, then imports the TypeScript entry.
  // Resolved from here so it works whether this module runs as ESM (tsx CLI) or compiled to CJS
  // (mocha's `require: tsx`); the ESM build of the API sits next to the CJS one.
  // Compiled (dist/, what the command line runs) this module is a .js file beside worker.js, and
  // the worker imports it directly, without tsx.
  const compiled = new URL(import.meta.url).pathname.endsWith('.js');
  const entry = new URL(compiled ? './worker.js' : './worker.ts', import.meta.url).href;
  const failed = `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'failed', message: String(e && e.message || e) }); });`;
  let bootstrap: string;
  if (compiled) bootstrap = `import(${JSON.stringify(entry)})${failed}`;
  else {
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })${failed}`;
  }
  const worker = new Worker(bootstrap, { eval: true, workerData: options });
  return new Promise<{ server: RunningReferenceServer; worker: Worker }>((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`reference server worker exited with code ${code} before starting`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', function onStart(m: WorkerMessage) {
      if (m.type === 'failed') {
        worker.off('exit', onExit);
        void worker.terminate();
        reject(new Error(m.message));
        return;
      }
      if (m.type !== 'started') return;
      worker.off('message', onStart);
      worker.off('exit', onExit);
      worker.off('error', reject);
      worker.on('error', () => undefined);
      let closing: Promise<void> | undefined;
      const server: RunningReferenceServer = {
        ...m.server,
        close(): Promise<void> {
          closing ??= new Promise<void>((done) => {
            const finish = (): void => { void worker.terminate().then(() => done(), () => done()); };
            const timer = setTimeout(finish, 2000);
            worker.on('message', (msg: WorkerMessage) => {
              if (msg.type === 'closed') { clearTimeout(timer); finish(); }
            });
            worker.once('exit', () => { clearTimeout(timer); done(); });
            worker.postMessage('close');
          });
          return closing;
        },
      };
      resolve({ server, worker });
    });
  });
}

/**
 * The reference server running in a worker_threads Worker, so the harness and the server each get
 * a core (runtime/moduleWorker.ts starts it, compiled or from the TypeScript sources).
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../runtime/moduleWorker.ts';
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
  const worker = startModuleWorker(import.meta.url, './worker', options);
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

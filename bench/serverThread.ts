/**
 * The reference server on its own worker thread — the same entry (reference-server/worker.ts)
 * and the same tsx bootstrap the CLI's embedded target uses — with the Worker kept at hand so
 * the benchmark can read how busy the server's thread was (event-loop utilisation) while a
 * client drove it.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { startTypeScriptWorker } from './typeScriptWorker.ts';
import type { ReferenceServerOptions, RunningReferenceServer } from '../reference-server/index.ts';

export interface BenchServer {
  server: RunningReferenceServer;
  /** A reading to pass to `busySince` later. */
  utilization(): EventLoopUtilization;
  /** Share of wall time the server's thread was busy since `since` (0…1). */
  busySince(since: EventLoopUtilization): number;
  close(): Promise<void>;
}

type WorkerMessage =
  | { type: 'started'; server: Omit<RunningReferenceServer, 'close'> }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

export function startBenchServer(options: ReferenceServerOptions = {}): Promise<BenchServer> {
  // resolved the way reference-server/inWorker.ts does it (import.meta.resolve is missing under mocha's require hook)
  const worker = startTypeScriptWorker(new URL('../reference-server/worker.ts', import.meta.url), options);
  return new Promise<BenchServer>((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`reference server worker exited with code ${code} before starting`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.on('message', function onStart(message: WorkerMessage) {
      if (message.type === 'failed') {
        void worker.terminate();
        reject(new Error(message.message));
        return;
      }
      if (message.type !== 'started') return;
      worker.off('message', onStart);
      worker.off('exit', onExit);
      worker.off('error', reject);
      worker.on('error', () => undefined);
      let closing: Promise<void> | undefined;
      const close = (): Promise<void> =>
        (closing ??= new Promise<void>((done) => {
          const finish = (): void => void worker.terminate().then(() => done(), () => done());
          const timer = setTimeout(finish, 2000);
          worker.on('message', (reply: WorkerMessage) => {
            if (reply.type === 'closed') {
              clearTimeout(timer);
              finish();
            }
          });
          worker.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          worker.postMessage('close');
        }));
      resolve({
        server: { ...message.server, close },
        utilization: () => worker.performance.eventLoopUtilization(),
        busySince: (since) => worker.performance.eventLoopUtilization(since).utilization,
        close,
      });
    });
  });
}

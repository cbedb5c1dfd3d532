/**
 * The reference server on its own worker thread, as the CLI's embedded target runs it
 * (reference-server/inWorker.ts), with the Worker kept at hand so the benchmark can read how busy
 * the server's thread was (event-loop utilisation) while a client drove it.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { startReferenceServerWorker } from '../reference-server/inWorker.ts';
import type { ReferenceServerOptions, RunningReferenceServer } from '../reference-server/index.ts';

export interface BenchServer {
  server: RunningReferenceServer;
  /** A reading to pass to `busySince` later. */
  utilization(): EventLoopUtilization;
  /** Share of wall time the server's thread was busy since `since` (0…1). */
  busySince(since: EventLoopUtilization): number;
  close(): Promise<void>;
}

export async function startBenchServer(options: ReferenceServerOptions = {}): Promise<BenchServer> {
  const { server, worker } = await startReferenceServerWorker(options);
  return {
    server,
    utilization: () => worker.performance.eventLoopUtilization(),
    busySince: (since) => worker.performance.eventLoopUtilization(since).utilization,
    close: () => server.close(),
  };
}

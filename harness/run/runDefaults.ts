/** A run's defaults (the command line's too), in a module of their own so the command line can
 * show them without loading the runner. */
import { availableParallelism } from 'node:os';

export const runDefaults = {
  runs: 100,
  concurrency: 16,
  timeoutMs: 10_000,
  maxShrinks: 10,
  circuitThreshold: 5,
  maxBodyBytes: 4 * 1024 * 1024,
} as const;

/** Objects a finished case wrote are deleted while the run goes on, this many at a time, on
 * connections of their own beside the run's (none under a rate limit: cleanup then waits for the
 * end, as the limit is for the run's requests). */
export function eagerCleanupConcurrency(concurrency: number, rateLimited: boolean): number {
  return rateLimited ? 0 : Math.max(1, Math.ceil(concurrency / 4));
}

/** Cases are generated on a worker thread (workerCaseFeed.ts) when the machine has a core for it:
 * measured on 2 cores, a default run got faster with it against the embedded server (5.1–5.4 s
 * to 4.8 s end to end) and against a target 20 ms away, and no slower against a real
 * kube-apiserver on the same machine. */
export function generatesOnWorkerByDefault(): boolean {
  return availableParallelism() > 1;
}

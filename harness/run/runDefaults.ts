/** A run's defaults (the command line's too), in a module of their own so the command line can
 * show them without loading the runner. */
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

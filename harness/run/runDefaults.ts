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

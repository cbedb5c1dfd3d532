/** Where a run's wall time went. Generation and checks are interleaved with the requests (cases
 * come in chunks as the pool pulls them; answers are judged in the thread's idle moments): their
 * figures are the runner thread's time they cost — for generation on a worker thread
 * (workerCaseFeed.ts), the time the pool waited for cases — and `requestsMs` is the rest of the
 * firing phase: sending, waiting for and reading answers. So `generationMs + requestsMs + checksMs` is the firing
 * phase's wall time, and the seven phases together are the run's wall time from `startupMs`'s
 * origin to the reports being written. */
export interface RunPhases {
  /** From the run's start (RunOptions.startupBeganAt; the process start when an entry point
   * passes 0) to the first case: loading, an embedded server, the contract, the preflight. */
  startupMs: number;
  generationMs: number;
  requestsMs: number;
  checksMs: number;
  /** Shrinking the first failure of each failing check (0 when everything passed). */
  shrinkingMs: number;
  /** Deleting what the run wrote and verifying nothing is left. */
  cleanupMs: number;
  /** index.html, junit.xml and summary.json (0 until the reports are written). */
  reportsMs: number;
}

/** The phases, and a moment inside them: when the first request (the preflight list) went on the
 * wire, from the same origin as `startupMs` (inside start-up; what a user waits through before
 * anything reaches the target). summary.json's `phases` carries it beside the phases. */
export interface RunTimings extends RunPhases {
  firstRequestAtMs?: number;
}

/** Time spent in one kind of synchronous work, added up across calls. */
export class TimeSpent {
  totalMs = 0;

  measure<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.totalMs += performance.now() - started;
    }
  }
}

export function roundedPhases(phases: RunTimings): RunTimings {
  const round = (ms: number): number => Math.round(Math.max(0, ms));
  return {
    startupMs: round(phases.startupMs),
    generationMs: round(phases.generationMs),
    requestsMs: round(phases.requestsMs),
    checksMs: round(phases.checksMs),
    shrinkingMs: round(phases.shrinkingMs),
    cleanupMs: round(phases.cleanupMs),
    reportsMs: round(phases.reportsMs),
    ...(phases.firstRequestAtMs === undefined ? {} : { firstRequestAtMs: round(phases.firstRequestAtMs) }),
  };
}

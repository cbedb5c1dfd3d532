/** What stops a run from the outside, watched from the moment the flags are read (not only once
 * the run began): Ctrl-C and SIGTERM (the signal name becomes the abort reason: an interruption),
 * and an exception or rejection nobody caught (the error becomes the reason: a crash of ours).
 * The run then ends as usual: cleanup, reports, verdict `error`. */
export interface StopSignals {
  signal: AbortSignal;
  /** The first uncaught exception or rejection, if any. */
  uncaught(): unknown;
  /** Stops watching (the process's default handling applies again). */
  dispose(): void;
}

export function watchStopSignals(): StopSignals {
  const controller = new AbortController();
  let uncaught: unknown;
  const interrupt = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\n${signal}: stopping, cleaning up and writing the reports…\n`);
    controller.abort(signal);
  };
  const crashed = (error: unknown): void => {
    uncaught ??= error;
    if (!controller.signal.aborted) controller.abort(error instanceof Error ? error : new Error(String(error)));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  process.on('uncaughtException', crashed);
  process.on('unhandledRejection', crashed);
  return {
    signal: controller.signal,
    uncaught: () => uncaught,
    dispose() {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      process.off('uncaughtException', crashed);
      process.off('unhandledRejection', crashed);
    },
  };
}

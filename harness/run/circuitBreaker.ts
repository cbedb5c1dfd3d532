/** Stops a run against a target that no longer answers: after `threshold` consecutive
 * transport-level failures (refused, reset, timeout...) the circuit opens for good. */
export interface CircuitBreaker {
  recordAnswer(): void;
  recordTransportFailure(description: string): void;
  readonly open: boolean;
  /** Why it opened (one line), once open. */
  readonly reason: string | undefined;
}

export function createCircuitBreaker(threshold: number): CircuitBreaker {
  let consecutive = 0;
  let reason: string | undefined;
  return {
    recordAnswer() {
      if (reason === undefined) consecutive = 0;
    },
    recordTransportFailure(description) {
      consecutive += 1;
      if (reason === undefined && consecutive >= threshold) {
        reason = `${consecutive} consecutive requests got no answer (last: ${description})`;
      }
    },
    get open() {
      return reason !== undefined;
    },
    get reason() {
      return reason;
    },
  };
}

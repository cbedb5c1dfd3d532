/** Stops a run against a target that no longer answers usefully: after `threshold`
 * consecutive requests that got no answer (refused, reset, timeout...) or an answer too large to
 * read (cut at the body cap), or were still throttled (429) after every retry, the circuit opens
 * for good. */
export interface CircuitBreaker {
  recordAnswer(): void;
  /** No answer, or none that could be read (`description` says which, in one line). */
  recordTransportFailure(description: string): void;
  /** A request whose final answer, after its retries, is still 429. */
  recordThrottled(): void;
  readonly open: boolean;
  /** Why it opened (one line), once open. */
  readonly reason: string | undefined;
  /** What opened it: no usable answers, or 429s past the retry budget. */
  readonly openedBy: 'no-answer' | 'throttled' | undefined;
}

export function createCircuitBreaker(threshold: number): CircuitBreaker {
  let consecutive = 0;
  let throttled = 0;
  let reason: string | undefined;
  let openedBy: 'no-answer' | 'throttled' | undefined;
  return {
    recordAnswer() {
      if (reason === undefined) {
        consecutive = 0;
        throttled = 0;
      }
    },
    recordTransportFailure(description) {
      consecutive += 1;
      throttled = 0;
      if (reason === undefined && consecutive >= threshold) {
        reason = `${consecutive} consecutive requests got no usable answer (last: ${description})`;
        openedBy = 'no-answer';
      }
    },
    recordThrottled() {
      throttled += 1;
      consecutive = 0;
      if (reason === undefined && throttled >= threshold) {
        reason = `${throttled} consecutive requests were still answered 429 Too Many Requests after every retry`;
        openedBy = 'throttled';
      }
    },
    get open() {
      return reason !== undefined;
    },
    get reason() {
      return reason;
    },
    get openedBy() {
      return openedBy;
    },
  };
}

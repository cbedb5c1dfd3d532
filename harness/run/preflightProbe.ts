/**
 * The preflight list, watched: a transport for the janitor that re-sends a 429 after its
 * Retry-After (at most `maxRetries429` times, as the run does for its cases) and keeps what the
 * last request asked and got, so a failed preflight can be reported as data and sorted by whose
 * problem it is:
 *
 * - no answer at all (refused, unresolvable, TLS, timeout, reset, not HTTP): the run cannot be
 *   made (`error`);
 * - 429 still after every retry: the run cannot be made (`error`), with the count and the wait;
 * - 401, 403, 404: credentials or namespace (the user's flags): the run cannot be made (`error`);
 * - no credential to send (an exec plugin failed): the run cannot be made (`error`), nothing sent;
 * - any other answer (5xx, HTML, not JSON, cut, a redirect...): the target answered, and wrongly.
 *   The run goes on without writing (see noWriteMode.ts) and judges what it can.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Transport, TransportOutcome } from '../transport/types.ts';
import { answerProbe, describeProbe } from './answerProbe.ts';
import { retryAfterMs } from './pacing.ts';
import type { AnswerProbe, RunErrorCause } from './runResult.ts';

export interface WatchedTransport {
  transport: Transport;
  /** The last request sent through it, and its answer. */
  last(): AnswerProbe | undefined;
}

export function watchedTransport(inner: Transport, options: { maxRetries429: number; signal?: AbortSignal }): WatchedTransport {
  let last: AnswerProbe | undefined;
  return {
    transport: {
      async send(request) {
        let answers429 = 0;
        let waitedMs = 0;
        let outcome: TransportOutcome;
        for (;;) {
          outcome = await inner.send(request);
          const throttled = outcome.ok && outcome.response.status === 429;
          if (!throttled || answers429 >= options.maxRetries429 || options.signal?.aborted === true) break;
          answers429 += 1;
          const waitMs = outcome.ok ? retryAfterMs(outcome.response) : 0;
          const began = performance.now();
          await sleep(waitMs, undefined, { signal: options.signal }).catch(() => undefined);
          waitedMs += performance.now() - began;
        }
        last = answerProbe(request, outcome);
        const final429 = outcome.ok && outcome.response.status === 429 ? 1 : 0;
        if (answers429 + final429 > 0) last.throttled = { answers: answers429 + final429, waitedMs: Math.round(waitedMs) };
        return outcome;
      },
      close: () => inner.close(),
    },
    last: () => last,
  };
}

export type PreflightVerdict =
  | { kind: 'cannot-run'; cause: Extract<RunErrorCause, 'no-answer' | 'access-denied' | 'credentials' | 'throttled'>; reason: string }
  | { kind: 'answered-wrongly'; reason: string };

/** Sorts a failed preflight (`error` is the janitor's one-line message) by what came back. */
export function judgePreflight(error: string, probe: AnswerProbe | undefined): PreflightVerdict {
  if (probe?.failure?.kind === 'credentials') {
    // nothing was sent: the user's credential (an exec plugin, a token source) gave none
    return { kind: 'cannot-run', cause: 'credentials', reason: `no credential could be obtained for the run, so nothing was sent: ${probe.failure.message}` };
  }
  if (probe === undefined || probe.failure !== undefined) {
    const what = probe === undefined ? error : `the target gave no answer to the preflight list: ${describeProbe(probe)}`;
    return { kind: 'cannot-run', cause: 'no-answer', reason: what };
  }
  if (probe.status === 429) {
    const answers = probe.throttled?.answers ?? 1;
    const waited = ((probe.throttled?.waitedMs ?? 0) / 1000).toFixed(1);
    return {
      kind: 'cannot-run',
      cause: 'throttled',
      reason: `the target answered the preflight list 429 Too Many Requests ${answers} times in a row (waited ${waited} s for Retry-After between them): it throttles past the retry budget`,
    };
  }
  if (probe.status === 401 || probe.status === 403 || probe.status === 404) {
    return { kind: 'cannot-run', cause: 'access-denied', reason: error };
  }
  // a 200 that is no list: the janitor's words say what is wrong with it
  const what = probe.status === 200 ? ` (${error.replace(/^cannot list Endpoints in namespace [^:]*: /, '')})` : '';
  return { kind: 'answered-wrongly', reason: `the preflight list was answered wrongly${what}: ${describeProbe(probe)}` };
}

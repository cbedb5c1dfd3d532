/** A transport that keeps every request it sends (for autocannon and supertest to fire the
 * same requests again). */
import type { OutgoingRequest, Transport } from '../harness/transport/types.ts';

export interface RecordingTransport extends Transport {
  readonly requests: OutgoingRequest[];
}

export function recordingTransport(inner: Transport): RecordingTransport {
  const requests: OutgoingRequest[] = [];
  return {
    requests,
    send(request) {
      requests.push(request);
      return inner.send(request);
    },
    close: () => inner.close(),
  };
}

/** The cases' own requests out of everything a run sent: the janitor's preflight lists come
 * first and its cleanup after the cases, so they are the `count` requests after the leading
 * collection GETs (`count`: the run's totals.requests). */
export function caseRequests(recorded: readonly OutgoingRequest[], count: number): OutgoingRequest[] {
  let first = 0;
  while (first < recorded.length && recorded[first].method === 'GET' && new URL(recorded[first].url).pathname.endsWith('/endpoints')) first += 1;
  return recorded.slice(first, first + count);
}

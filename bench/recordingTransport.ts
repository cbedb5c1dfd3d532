/** A transport that keeps every request it sends (for autocannon to replay the same mix). */
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

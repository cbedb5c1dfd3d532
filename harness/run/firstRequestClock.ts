/** Notes when the first request of a run went on the wire (a `performance.now()` reading, which
 * counts from the process start), for the start-up figure a user waits through. */
import type { Transport } from '../transport/types.ts';

export interface FirstRequestClock {
  /** The transport to send through: passes every request on, noting the first. */
  transport: Transport;
  /** When the first request was handed to the transport; undefined until then. */
  readonly sentAt: number | undefined;
}

export function watchFirstRequest(inner: Transport): FirstRequestClock {
  let sentAt: number | undefined;
  return {
    transport: {
      send(request) {
        sentAt ??= performance.now();
        return inner.send(request);
      },
      close: () => inner.close(),
    },
    get sentAt() {
      return sentAt;
    },
  };
}

/**
 * Work held back to the end of the event-loop turn, then done together. The server writes its
 * answers this way: the requests read in one turn are answered back to back, so the client is
 * woken once for the batch instead of once per answer (on a busy loopback that wake-up is most of
 * the cost of a write). Nothing is reordered: one connection has one request in flight, and the
 * batch keeps the order answers became ready in.
 */
export interface Flushable {
  flush(): void;
}

let batch: Flushable[] = [];

function flushBatch(): void {
  const due = batch;
  batch = [];
  for (const item of due) {
    try {
      item.flush();
    } catch {
      // Like an answer that failed to write synchronously: dropped, never fatal to the server.
    }
  }
}

/** Runs `item.flush()` once every request read in this turn has been handled. */
export function flushAtTurnEnd(item: Flushable): void {
  if (batch.push(item) === 1) setImmediate(flushBatch);
}

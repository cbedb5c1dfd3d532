/** A bounded background queue: items pushed are worked on at most `limit` at a time while the
 * caller goes on with other things; `drain()` stops taking new items and resolves once every item
 * taken is done. `work` must not throw (a throw is caught and dropped). */
export interface BackgroundLane<T> {
  /** false once draining began (the item is not taken). */
  push(item: T): boolean;
  /** `widenTo`: the caller's own work is over, so what is still queued may be worked on this many
   * at a time (never fewer than the lane's limit). */
  drain(widenTo?: number): Promise<void>;
}

export function createBackgroundLane<T>(limit: number, work: (item: T) => Promise<void>): BackgroundLane<T> {
  const queue: T[] = [];
  let running = 0;
  let width = limit;
  let draining = false;
  let idle: (() => void) | undefined;

  const pump = (): void => {
    while (running < width && queue.length > 0) {
      const item = queue.shift() as T;
      running += 1;
      void work(item)
        .catch(() => undefined)
        .finally(() => {
          running -= 1;
          pump();
        });
    }
    if (running === 0 && queue.length === 0) idle?.();
  };

  return {
    push(item) {
      if (draining) return false;
      queue.push(item);
      pump();
      return true;
    },
    drain(widenTo) {
      draining = true;
      if (running === 0 && queue.length === 0) return Promise.resolve();
      const idled = new Promise<void>((resolve) => {
        idle = resolve;
      });
      if (widenTo !== undefined && widenTo > width) {
        width = Math.floor(widenTo);
        pump();
      }
      return idled;
    },
  };
}

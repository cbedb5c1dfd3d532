/**
 * Keeps cases with huge request bodies (hundreds of KiB, such as the annotations-over-the-limit
 * category) from piling up in flight: at most `slots` of them at a time, first come first
 * served; every other case goes at once. Each huge case in flight holds several copies of its
 * body (generated, filled in, serialised, on the socket), and enough of them at once would make
 * a run's memory depend on how its cases happen to line up.
 */
export interface HugeCaseGate {
  /** Resolves when a case carrying `chars` characters of request bodies may go. */
  enter(chars: number): Promise<void>;
  /** After the case (entered with the same `chars`) is done. */
  leave(chars: number): void;
}

/** Cases carrying at least this many characters of request bodies are huge. Ordinary cases
 * carry a few KiB. */
export const hugeCaseChars = 64 * 1024;
export const defaultHugeCaseSlots = 2;

export function createHugeCaseGate(slots: number = defaultHugeCaseSlots, threshold: number = hugeCaseChars): HugeCaseGate {
  let free = Math.max(1, Math.floor(slots));
  const waiting: Array<() => void> = [];
  return {
    enter(chars) {
      if (chars < threshold) return Promise.resolve();
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise<void>((admit) => {
        waiting.push(admit);
      });
    },
    leave(chars) {
      if (chars < threshold) return;
      const next = waiting.shift();
      if (next !== undefined) next();
      else free += 1;
    },
  };
}

/**
 * Bounds the request text of the cases in flight, so that a run's memory does not depend on how
 * many big cases it holds at once: a case is admitted while the text in flight plus its own stays
 * within the budget, and always when nothing else is in flight (a case bigger than the budget
 * then runs alone). Admission is first come, first served: a big case waiting for room is not
 * overtaken by small ones. Cases of ordinary size never wait.
 */
export interface BodyBudget {
  /** Resolves when a case carrying `chars` may go. */
  acquire(chars: number): Promise<void>;
  release(chars: number): void;
  readonly inFlightChars: number;
}

/** 256 Ki characters: one huge case (a ~256 KiB annotations body) at a time; ordinary cases
 * (a few KiB each) never come near it. */
export const defaultBodyBudgetChars = 256 * 1024;

export function createBodyBudget(limitChars: number = defaultBodyBudgetChars): BodyBudget {
  let inFlight = 0;
  let running = 0;
  const waiting: Array<{ chars: number; admit: () => void }> = [];
  const fits = (chars: number): boolean => running === 0 || inFlight + chars <= limitChars;
  const admitWaiting = (): void => {
    while (waiting.length > 0 && fits(waiting[0].chars)) {
      const next = waiting.shift();
      if (next === undefined) return;
      inFlight += next.chars;
      running += 1;
      next.admit();
    }
  };
  return {
    acquire(chars) {
      if (waiting.length === 0 && fits(chars)) {
        inFlight += chars;
        running += 1;
        return Promise.resolve();
      }
      return new Promise<void>((admit) => {
        waiting.push({ chars, admit });
      });
    },
    release(chars) {
      inFlight -= chars;
      running -= 1;
      admitWaiting();
    },
    get inFlightChars() {
      return inFlight;
    },
  };
}

/**
 * Work the runner's thread does in the moments no answer is waiting for it: judging answers
 * already read, and generating cases ahead of the pool. Against a target some milliseconds away,
 * the answers of a round of requests arrive together; if each were judged (and the next case
 * generated) before the next request went out, the last of the round would wait for all the
 * others' work, and every round would be that much longer than the target's latency. Queued
 * here instead, the work runs after the poll phase has handed every arrived answer to its
 * worker (a `setImmediate`), in slices of about `sliceMs`, so answers arriving meanwhile wait at
 * most one slice.
 *
 * `onIdle` is asked for more work when the queue is empty (it returns true while it has some);
 * `wake()` gives it a turn. At most `maxPending` tasks wait: beyond that the oldest is done at
 * once, so a thread that cannot keep up slows the pool rather than growing the queue. A task or
 * `onIdle` that throws is passed to `onError`, and the queue goes on.
 */
export interface IdleTimeQueue {
  push(task: () => void): void;
  /** Gives `onIdle` a turn soon. */
  wake(): void;
  /** Does everything queued now. */
  flush(): void;
}

export interface IdleTimeQueueOptions {
  sliceMs: number;
  maxPending: number;
  onIdle?: () => boolean;
  onError: (error: unknown) => void;
}

export function createIdleTimeQueue(options: IdleTimeQueueOptions): IdleTimeQueue {
  const tasks: Array<() => void> = [];
  let head = 0;
  let scheduled = false;

  const runOne = (): void => {
    const task = tasks[head];
    tasks[head] = noTask;
    head += 1;
    if (head === tasks.length) {
      tasks.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > tasks.length) {
      tasks.splice(0, head);
      head = 0;
    }
    try {
      task();
    } catch (error) {
      options.onError(error);
    }
  };

  const idleTurn = (): boolean => {
    try {
      return options.onIdle?.() === true;
    } catch (error) {
      options.onError(error);
      return false;
    }
  };

  const slice = (): void => {
    scheduled = false;
    const ends = performance.now() + options.sliceMs;
    let more = true;
    while (performance.now() < ends) {
      if (head < tasks.length) runOne();
      else if (!(more = idleTurn())) break;
    }
    if (head < tasks.length || more) schedule();
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(slice);
  };

  return {
    push(task) {
      tasks.push(task);
      while (tasks.length - head > options.maxPending) runOne();
      schedule();
    },
    wake: schedule,
    flush() {
      while (head < tasks.length) runOne();
    },
  };
}

function noTask(): void {}

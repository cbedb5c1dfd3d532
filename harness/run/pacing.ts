/** Request pacing: an optional requests-per-second limit shared by every worker, and the
 * wait a 429 asks for (Retry-After, capped). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReceivedResponse } from '../transport/types.ts';

export interface RateLimiter {
  /** Resolves when the next request may go out. */
  acquire(): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: Clock = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/** Spaces requests 1/N s apart (N per second); no limit when N is undefined. */
export function createRateLimiter(perSecond: number | undefined, clock: Clock = realClock): RateLimiter {
  if (perSecond === undefined || perSecond <= 0) return { acquire: () => Promise.resolve() };
  const spacingMs = 1000 / perSecond;
  let nextSlot = Number.NEGATIVE_INFINITY;
  return {
    async acquire() {
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + spacingMs;
      if (slot > now) await clock.sleep(slot - now);
    },
  };
}

export const maxRetryAfterMs = 10_000;
const defaultRetryAfterMs = 1_000;

/** How long a 429 asks the client to wait: Retry-After in seconds or as an HTTP date,
 * 1 s when absent or unreadable, never more than 10 s. */
export function retryAfterMs(response: ReceivedResponse, now = Date.now()): number {
  const header = response.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  let waitMs = defaultRetryAfterMs;
  if (value !== undefined) {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) waitMs = Number(trimmed) * 1000;
    else {
      const date = Date.parse(trimmed);
      if (!Number.isNaN(date)) waitMs = Math.max(0, date - now);
    }
  }
  return Math.min(waitMs, maxRetryAfterMs);
}

/**
 * A token file that may be replaced while a run goes on (a pod's projected service-account token
 * is rotated by the kubelet, which swaps the file atomically). `current()` returns the token,
 * re-reading the file when its identity (inode, size or mtime) changed; the file is looked at
 * no more often than every `checkEveryMs`. A re-read that fails or finds an empty file keeps the
 * last good token (the next check tries again). Synchronous on purpose: it is called while a
 * request's headers are built, and a stat of a local file costs microseconds.
 */
import { readFileSync, statSync } from 'node:fs';

export interface RotatingToken {
  /** The token as of the latest check. */
  current(): string;
  /** Every distinct token read so far (for masking reports), oldest first. */
  seen(): string[];
  /** How many times the file was read after the first time with a new token in it. */
  readonly rotations: number;
}

export interface RotatingTokenOptions {
  /** Default 1000 ms. */
  checkEveryMs?: number;
  /** For tests. */
  now?: () => number;
}

function fileIdentity(file: string): string {
  const info = statSync(file);
  return `${info.ino}:${info.size}:${info.mtimeMs}`;
}

function tokenIn(file: string): string | undefined {
  const token = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
  return token.trim() === '' || /[\r\n]/.test(token) ? undefined : token;
}

/** `first` is the token already read (and checked) from `file` when the run was set up. */
export function rotatingTokenFile(file: string, first: string, options: RotatingTokenOptions = {}): RotatingToken {
  const checkEveryMs = options.checkEveryMs ?? 1000;
  const now = options.now ?? Date.now;
  let token = first;
  const tokens = [first];
  let identity: string | undefined;
  try {
    identity = fileIdentity(file);
  } catch {
    identity = undefined;
  }
  let checkedAt = now();
  let rotations = 0;
  return {
    current() {
      const time = now();
      if (time - checkedAt < checkEveryMs) return token;
      checkedAt = time;
      try {
        const seenNow = fileIdentity(file);
        if (seenNow === identity) return token;
        const fresh = tokenIn(file);
        if (fresh === undefined) return token;
        identity = seenNow;
        if (fresh !== token) {
          token = fresh;
          rotations += 1;
          if (!tokens.includes(fresh)) tokens.push(fresh);
        }
      } catch {
        // unreadable for a moment (mid-swap): keep the last good token
      }
      return token;
    },
    seen: () => [...tokens],
    get rotations() {
      return rotations;
    },
  };
}

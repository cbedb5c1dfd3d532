/** The harness's own version, from package.json (read once). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../spec/projectRoot.ts';

let cached: string | undefined;

export function harnessVersion(): string {
  if (cached === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: unknown };
      cached = typeof manifest.version === 'string' ? manifest.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}

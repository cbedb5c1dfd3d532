/**
 * The contract document as swagger-parser validated and dereferenced it, stored as JSON under
 * dist/ by the build (cli/cacheContract.ts, run by `npm run build`), so a run starts without
 * loading swagger-parser and validating the OpenAPI document again (about 0.4 s of start-up).
 * The entry names the SHA-256 of the YAML bytes it was made from: a document that changed since
 * is never served from it (loadContract validates it afresh). Only the default contract is
 * cached.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { projectRoot } from './projectRoot.ts';

export const contractCachePath: string = join(projectRoot, 'dist', 'spec', 'endpoints-replace.openapi.json');

interface CacheEntry {
  sha256: string;
  document: OpenAPIV3.Document;
}

/** The validated, dereferenced document made from YAML bytes with this SHA-256, if the cache has it. */
export function readCachedDocument(sha256: string, cachePath: string = contractCachePath): OpenAPIV3.Document | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(readFileSync(cachePath, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { sha256: cachedSha, document } = entry as Partial<CacheEntry>;
  if (cachedSha !== sha256 || typeof document !== 'object' || document === null) return undefined;
  return document;
}

export async function writeContractCache(sha256: string, document: OpenAPIV3.Document, cachePath: string = contractCachePath): Promise<void> {
  const entry: CacheEntry = { sha256, document };
  await mkdir(dirname(cachePath), { recursive: true });
  await writeFile(cachePath, `${JSON.stringify(entry)}\n`);
}

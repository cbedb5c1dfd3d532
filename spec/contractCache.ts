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
  /** The document in sharedGraph form. */
  document: unknown;
}

/* swagger-parser's dereferenced document shares objects: every `$ref` to a schema became that
 * very schema object, and code compares schemas by identity. Plain JSON would turn each share into
 * a copy, so the cache writes an object met more than once as {"$cacheId": n, "$cacheValue": …}
 * the first time and {"$cacheRef": n} after that (cycles included), and reading rebuilds the same
 * sharing. */
const idKey = '$cacheId';
const valueKey = '$cacheValue';
const refKey = '$cacheRef';

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

function toSharedGraph(root: unknown): unknown {
  const seen = new Set<Container>();
  const shared = new Set<Container>();
  const count = (value: unknown): void => {
    if (!isContainer(value)) return;
    if (seen.has(value)) {
      shared.add(value);
      return;
    }
    seen.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) count(child);
  };
  count(root);
  const ids = new Map<Container, number>();
  const encode = (value: unknown): unknown => {
    if (!isContainer(value)) return value;
    const id = ids.get(value);
    if (id !== undefined) return { [refKey]: id };
    if (shared.has(value)) ids.set(value, ids.size);
    const encoded = Array.isArray(value) ? value.map(encode) : Object.fromEntries(Object.entries(value).map(([key, child]) => [key, encode(child)]));
    return shared.has(value) ? { [idKey]: ids.get(value), [valueKey]: encoded } : encoded;
  };
  return encode(root);
}

function fromSharedGraph(root: unknown): unknown {
  const byId = new Map<number, Container>();
  const decode = (value: unknown): unknown => {
    if (!isContainer(value)) return value;
    if (Array.isArray(value)) return value.map(decode);
    if (typeof value[refKey] === 'number') {
      const target = byId.get(value[refKey]);
      if (target === undefined) throw new Error('dangling reference in the contract cache');
      return target;
    }
    if (typeof value[idKey] === 'number' && valueKey in value) {
      const inner = value[valueKey];
      const target: Container = Array.isArray(inner) ? [] : {};
      byId.set(value[idKey], target);
      if (Array.isArray(inner) && Array.isArray(target)) for (const child of inner) target.push(decode(child));
      else if (isContainer(inner) && !Array.isArray(target)) for (const [key, child] of Object.entries(inner)) target[key] = decode(child);
      return target;
    }
    const decoded: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) decoded[key] = decode(child);
    return decoded;
  };
  return decode(root);
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
  try {
    return fromSharedGraph(document) as OpenAPIV3.Document;
  } catch {
    return undefined;
  }
}

/** Writes the cache entry; false (nothing written) when the document itself uses the cache's markers. */
export async function writeContractCache(sha256: string, document: OpenAPIV3.Document, cachePath: string = contractCachePath): Promise<boolean> {
  if (containsCacheKeys(document)) return false;
  const graph = toSharedGraph(document);
  const entry: CacheEntry = { sha256, document: graph };
  await mkdir(dirname(cachePath), { recursive: true });
  await writeFile(cachePath, `${JSON.stringify(entry)}\n`);
  return true;
}

/** The cache's markers may not occur in the document itself. */
function containsCacheKeys(root: unknown): boolean {
  const seen = new Set<Container>();
  const visit = (value: unknown): boolean => {
    if (!isContainer(value) || seen.has(value)) return false;
    seen.add(value);
    if (Array.isArray(value)) return value.some(visit);
    return [idKey, valueKey, refKey].some((key) => key in value) || Object.values(value).some(visit);
  };
  return visit(root);
}

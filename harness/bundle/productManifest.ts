/** The product under test, in the spirit of the CNCF k8s-conformance PRODUCT.yaml: who makes it,
 * what it is, which version, where its documentation is. Given as a small YAML file or as flags;
 * stored in a bundle as PRODUCT.yaml. */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

export interface ProductManifest {
  vendor: string;
  name: string;
  version: string;
  documentation_url: string;
  website_url?: string;
  repo_url?: string;
  type?: string;
  description?: string;
  contact_email_address?: string;
}

const required = ['vendor', 'name', 'version', 'documentation_url'] as const;
const optional = ['website_url', 'repo_url', 'type', 'description', 'contact_email_address'] as const;

export type ManifestRead = { ok: true; manifest: ProductManifest } | { ok: false; error: string };

export function checkManifest(value: unknown): ManifestRead {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'the product manifest is not a mapping' };
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (![...required, ...optional].includes(key as (typeof required)[number])) {
      return { ok: false, error: `the product manifest has an unknown key "${key}" (known: ${[...required, ...optional].join(', ')})` };
    }
    if (typeof fields[key] !== 'string') return { ok: false, error: `product manifest: ${key} is not a string` };
  }
  const missing = required.filter((key) => typeof fields[key] !== 'string' || (fields[key] as string).trim() === '');
  if (missing.length > 0) return { ok: false, error: `the product manifest lacks ${missing.join(', ')}` };
  try {
    const url = new URL(fields.documentation_url as string);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    return { ok: false, error: `product manifest: documentation_url is not an http(s) URL: ${String(fields.documentation_url)}` };
  }
  return { ok: true, manifest: fields as unknown as ProductManifest };
}

export function parseManifest(text: string): ManifestRead {
  try {
    return checkManifest(parseYaml(text));
  } catch (error) {
    return { ok: false, error: `the product manifest is not YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

export async function readManifest(file: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read the product manifest ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const read = parseManifest(text);
  return read.ok ? read : { ok: false, error: `${file}: ${read.error}` };
}

export function manifestYaml(manifest: ProductManifest): string {
  return stringifyYaml(manifest);
}

/** A baseline: the failures a team has accepted for now, so that a CI gate fails only on new
 * ones. A small YAML (or JSON) file:
 *
 *   knownFailures:
 *     - check: negative_data_rejection      # by check and category
 *       category: ip-loopback
 *       note: tracked in TICKET-12
 *     - caseId: ip-link-local@-1359542818:5  # or one case (for a fixed --seed)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseCaseId } from '../run/caseId.ts';
import type { RunResult } from '../run/runResult.ts';

export interface BaselineEntry {
  check?: string;
  category?: string;
  caseId?: string;
  note?: string;
}

export interface Baseline {
  knownFailures: BaselineEntry[];
}

export type BaselineRead = { ok: true; baseline: Baseline } | { ok: false; error: string };

/** Names a baseline may use: anything else is a typo that would hide nothing, so it is refused. */
export interface KnownNames {
  checks: readonly string[];
  categories: readonly string[];
}

function entryProblem(entry: unknown, index: number, names: KnownNames): string | undefined {
  const where = `knownFailures[${index}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `${where} is not a mapping`;
  const fields = entry as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!['check', 'category', 'caseId', 'note'].includes(key)) return `${where} has an unknown key "${key}" (check, category, caseId, note)`;
    if (typeof fields[key] !== 'string') return `${where}.${key} is not a string`;
  }
  const { check, category, caseId } = fields as BaselineEntry;
  if (check !== undefined && !names.checks.includes(check)) return `${where}: unknown check "${check}"`;
  if (category !== undefined && !names.categories.includes(category)) return `${where}: unknown category "${category}"`;
  if (caseId !== undefined) {
    const address = parseCaseId(caseId);
    if (address === undefined) return `${where}: "${caseId}" is not a case id (<category>@<seed>:<path>)`;
    if (!names.categories.includes(address.category)) return `${where}: unknown category in case id "${caseId}"`;
    return undefined;
  }
  if (check === undefined || category === undefined) return `${where} needs check and category, or caseId`;
  return undefined;
}

export function parseBaseline(text: string, names: KnownNames): BaselineRead {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    return { ok: false, error: `not YAML or JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  if (parsed === null || parsed === undefined) return { ok: true, baseline: { knownFailures: [] } };
  const list = (parsed as { knownFailures?: unknown }).knownFailures;
  if (typeof parsed !== 'object' || !Array.isArray(list)) return { ok: false, error: 'expected a mapping with a knownFailures list' };
  for (const [index, entry] of list.entries()) {
    const problem = entryProblem(entry, index, names);
    if (problem !== undefined) return { ok: false, error: problem };
  }
  return { ok: true, baseline: { knownFailures: list as BaselineEntry[] } };
}

/** A missing file is an empty baseline (so `--baseline-update` can create it). */
export async function readBaseline(file: string, names: KnownNames, missingIsEmpty: boolean): Promise<BaselineRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (missingIsEmpty && (error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, baseline: { knownFailures: [] } };
    return { ok: false, error: `cannot read the baseline ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const read = parseBaseline(text, names);
  return read.ok ? read : { ok: false, error: `baseline ${file}: ${read.error}` };
}

/** This run's failures as a baseline, by check and category; notes of entries kept from `previous`. */
export function baselineFromRun(result: RunResult, previous: Baseline): Baseline {
  const notes = new Map(previous.knownFailures.filter((entry) => entry.note !== undefined).map((entry) => [`${entry.check} ${entry.category}`, entry.note]));
  const knownFailures: BaselineEntry[] = [];
  for (const category of result.categories) {
    for (const check of category.checks) {
      if (check.failed === 0) continue;
      const note = notes.get(`${check.check} ${category.name}`);
      knownFailures.push({ check: check.check, category: category.name, ...(note === undefined ? {} : { note }) });
    }
  }
  return { knownFailures };
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  const header = '# endpoints-conformance baseline: accepted known failures (a CI gate fails only on new ones).\n';
  await writeFile(file, header + stringifyYaml(baseline));
}

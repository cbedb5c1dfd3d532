/**
 * run-result.json: the whole RunResult of a run (credentials masked), written beside the three
 * reports. It is what `endpoints-conformance merge` reads to combine shards: summary.json and
 * junit.xml are condensed, this is not.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from '../connection/readCredentialFiles.ts';
import type { RunResult } from '../run/runResult.ts';

export const runResultFileName = 'run-result.json';

export async function writeRunResultFile(result: RunResult, reportDir: string, redact: (text: string) => string): Promise<string> {
  const file = path.resolve(reportDir, runResultFileName);
  await writeFile(file, `${redact(JSON.stringify(result))}\n`);
  return file;
}

export type RunResultRead = { ok: true; result: RunResult; file: string } | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a run-result.json must hold for the merge to work on it; the first field missing, or undefined. */
export function runResultProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not a JSON object';
  const needs: Array<[string, (field: unknown) => boolean]> = [
    ['verdict', (field) => field === 'pass' || field === 'fail'],
    ['seed', (field) => typeof field === 'number'],
    ['runId', (field) => typeof field === 'string'],
    ['harnessVersion', (field) => typeof field === 'string'],
    ['specSha256', (field) => typeof field === 'string'],
    ['startedAt', (field) => typeof field === 'string'],
    ['durationMs', (field) => typeof field === 'number'],
    ['options', isRecord],
    ['totals', isRecord],
    ['checks', Array.isArray],
    ['categories', Array.isArray],
    ['coverage', isRecord],
    ['cleanup', isRecord],
    ['documentedStatuses', Array.isArray],
  ];
  for (const [name, valid] of needs) if (!valid(value[name])) return `no valid "${name}"`;
  return undefined;
}

/** Reads a shard's result from its report folder (or the run-result.json itself). */
export async function readRunResultFile(source: string): Promise<RunResultRead>;
/** …or, when `accept` says the JSON is something else it knows (a ConfigMap list), that JSON. */
export async function readRunResultFile(source: string, accept: (document: unknown) => boolean): Promise<RunResultRead | { ok: true; document: unknown }>;
export async function readRunResultFile(source: string, accept?: (document: unknown) => boolean): Promise<RunResultRead | { ok: true; document: unknown }> {
  let file = source;
  try {
    if ((await stat(source)).isDirectory()) file = path.join(source, runResultFileName);
  } catch (error) {
    return { ok: false, error: `${source}: ${describeFsError(error)}` };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `${file}: cannot read it (${describeFsError(error)}); a run writes it beside summary.json` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: `${file}: not JSON` };
  }
  if (accept?.(parsed) === true) return { ok: true, document: parsed };
  const problem = runResultProblem(parsed);
  if (problem !== undefined) return { ok: false, error: `${file}: not a run result (${problem})` };
  return { ok: true, result: parsed as RunResult, file };
}

/** The identity of one run: its id (names and labels every object the run writes) and its seed. */
import { randomBytes, randomInt } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 8 lowercase alphanumerics, starting with a letter (valid in DNS names and label values). */
export function newRunId(): string {
  const bytes = randomBytes(8);
  let id = alphabet[bytes[0] % 26];
  for (let index = 1; index < 8; index += 1) id += alphabet[bytes[index] % alphabet.length];
  return id;
}

/** A fresh run seed: a non-negative 31-bit integer, printable and accepted back by --seed. */
export function newRunSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}

/** `{{unique}}` for the n-th case of a run (and for shrink attempts, prefixed by their own tag). */
export function uniqueName(runId: string, caseNumber: number, tag = ''): string {
  return `ec-${runId}-${tag}${caseNumber}`;
}

/** `{{missingNamespace}}`: a namespace no target has. */
export function missingNamespaceName(runId: string): string {
  return `ec-${runId}-absent`;
}

/** The label every object of the run carries (case.ts). */
export function runLabel(runId: string): { key: string; value: string } {
  return { key: 'endpoints-conformance/run', value: runId };
}

/** Case ids as printed in reports and accepted by --replay: `<category>@<seed>:<path>`, where
 * seed is the category's fast-check seed and path its fast-check replay path. */

export interface CaseAddress {
  category: string;
  seed: number;
  path: string;
}

export function formatCaseId(address: CaseAddress): string {
  return `${address.category}@${address.seed}:${address.path}`;
}

const caseIdPattern = /^([a-z0-9][a-z0-9-]*)@(-?\d{1,10}):(\d+(?::\d+)*)$/;

export function parseCaseId(text: string): CaseAddress | undefined {
  const match = caseIdPattern.exec(text.trim());
  if (match === null) return undefined;
  const seed = Number(match[2]);
  if (!Number.isSafeInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) return undefined;
  return { category: match[1], seed, path: match[3] };
}

/** The contract's fields against what a run exercised: for each field of the contract document,
 * whether a case sent it with a valid value and whether one sent it with an invalid value; and the
 * names the run sent that the contract does not have (unknown or miscased fields, on purpose). */
import type { RunResult } from '../run/runResult.ts';

export interface FieldCoverage {
  field: string;
  /** Sent valid, itself or through a field inside it. */
  valid: boolean;
  /** Sent invalid, the field itself. */
  invalid: boolean;
}

export interface CoverageGrid {
  rows: FieldCoverage[];
  validCount: number;
  invalidCount: number;
  /** Exercised names that are not contract fields (e.g. `metadata.foo`, `header.Accept`). */
  outsideContract: string[];
}

/** `subsets[]` → `subsets`: the generators sometimes name a list's item, the contract the list. */
function normalised(field: string): string {
  return field.endsWith('[]') ? field.slice(0, -2) : field;
}

function within(field: string, ancestor: string): boolean {
  return field === ancestor || field.startsWith(`${ancestor}.`) || field.startsWith(`${ancestor}[]`);
}

export function coverageGrid(contractFields: readonly string[], coverage: RunResult['coverage']['fields']): CoverageGrid {
  const valid = coverage.valid.map(normalised);
  const invalid = new Set(coverage.invalid.map(normalised));
  const rows = contractFields.map((field) => ({
    field,
    valid: valid.some((sent) => within(sent, field)),
    invalid: invalid.has(field),
  }));
  const known = new Set(contractFields);
  // a name under a leaf field (a map: labels, annotations) belongs to it; anything else not in the document is outside
  const leaves = contractFields.filter((field) => !contractFields.some((other) => other !== field && within(other, field)));
  const outsideContract = [...new Set([...valid, ...invalid])]
    .filter((sent) => !known.has(sent) && !leaves.some((leaf) => sent.startsWith(`${leaf}.`)))
    .sort();
  return {
    rows,
    validCount: rows.filter((row) => row.valid).length,
    invalidCount: rows.filter((row) => row.invalid).length,
    outsideContract,
  };
}

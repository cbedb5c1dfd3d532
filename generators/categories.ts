/**
 * Every named class of request the harness fires: valid ones, multi-step semantics scenarios,
 * and invalid ones that each break exactly one thing of a valid request. Each category's
 * arbitrary is built from the contract (constraints are read from it, not repeated) and labels
 * its cases by construction with the answer a conformant server gives.
 */
import type fc from 'fast-check';
import type { Contract } from '../spec/loadContract.ts';
import type { ConformanceCase } from './case.ts';
import { addressCategories } from './categories/addressCategories.ts';
import { ipCategories } from './categories/ipCategories.ts';
import { metadataCategories } from './categories/metadataCategories.ts';
import { portCategories } from './categories/portCategories.ts';
import { queryCategories } from './categories/queryCategories.ts';
import { requestCategories } from './categories/requestCategories.ts';
import { semanticsCategories } from './categories/semanticsCategories.ts';
import { validCategories } from './categories/validCategories.ts';

export interface CaseCategory {
  /** Stable id, kebab-case, e.g. 'ip-loopback' (appears in reports and on the command line). */
  name: string;
  /** One line: what it breaks and why that is invalid. */
  description: string;
  /** The rule's source: rules-note ids and/or vendor page row. */
  source: string;
  group: 'valid' | 'semantics' | 'ip' | 'port' | 'address' | 'metadata' | 'query' | 'request';
  arbitrary(contract: Contract): fc.Arbitrary<ConformanceCase>;
}

export const caseCategories: readonly CaseCategory[] = Object.freeze([
  ...validCategories,
  ...semanticsCategories,
  ...ipCategories,
  ...portCategories,
  ...addressCategories,
  ...metadataCategories,
  ...queryCategories,
  ...requestCategories,
]);

export function findCategory(name: string): CaseCategory | undefined {
  return caseCategories.find((category) => category.name === name);
}

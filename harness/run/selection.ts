/** --only / --skip: comma-separated category AND check names, resolved to what the run fires
 * and judges. Unknown names are an error listing every valid name. */
import type { CaseCategory } from '../../generators/categories.ts';
import type { Check } from '../checks/exchange.ts';

export interface Selection {
  categories: CaseCategory[];
  checks: Check[];
}

export type SelectionResult = { ok: true; selection: Selection } | { ok: false; error: string };

export function splitNameList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

export function resolveSelection(
  allCategories: readonly CaseCategory[],
  allChecks: readonly Check[],
  only: readonly string[],
  skip: readonly string[],
): SelectionResult {
  const categoryNames = new Set(allCategories.map((category) => category.name));
  const checkNames = new Set(allChecks.map((check) => check.name));
  for (const [flag, names] of [['--only', only], ['--skip', skip]] as const) {
    const unknown = names.filter((name) => !categoryNames.has(name) && !checkNames.has(name));
    if (unknown.length > 0) {
      return {
        ok: false,
        error:
          `unknown name${unknown.length > 1 ? 's' : ''} in ${flag}: ${unknown.join(', ')}. ` +
          `Valid categories: ${[...categoryNames].join(', ')}. Valid checks: ${[...checkNames].join(', ')}.`,
      };
    }
  }
  const onlyCategories = only.filter((name) => categoryNames.has(name));
  const onlyChecks = only.filter((name) => checkNames.has(name));
  const categories = allCategories.filter(
    (category) => (onlyCategories.length === 0 || onlyCategories.includes(category.name)) && !skip.includes(category.name),
  );
  const checks = allChecks.filter(
    (check) => (onlyChecks.length === 0 || onlyChecks.includes(check.name)) && !skip.includes(check.name),
  );
  if (categories.length === 0) return { ok: false, error: 'the selection leaves no category to run' };
  if (checks.length === 0) return { ok: false, error: 'the selection leaves no check to judge' };
  return { ok: true, selection: { categories, checks } };
}

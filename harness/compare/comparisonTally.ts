/** Accumulates a comparison case by case: the two firings of each case are compared step by
 * step, and the first step where status, reason or causes differ is recorded. */
import type { CaseCategory } from '../../generators/categories.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import { formatCaseId } from '../run/caseId.ts';
import type { CaseFiring } from '../run/fireCase.ts';
import { answerDifferences, comparableAnswer } from './comparableAnswer.ts';
import type { ComparisonCategory, DifferenceRecord } from './comparisonResult.ts';

/** Differing cases recorded in full per category (the rest are counted). */
export const differencesPerCategory = 50;

/** The first step where two firings of the same case differ, or undefined when they agree. */
export function firstDifference(first: CaseFiring, second: CaseFiring): Pick<DifferenceRecord, 'step' | 'request' | 'differences' | 'first' | 'second'> | undefined {
  const steps = Math.max(first.steps.length, second.steps.length);
  for (let step = 0; step < steps; step += 1) {
    const left = first.steps[step];
    const right = second.steps[step];
    const a = left === undefined ? undefined : comparableAnswer(left);
    const b = right === undefined ? undefined : comparableAnswer(right);
    const exchange = (left ?? right)?.exchange;
    const request = exchange === undefined ? '' : `${exchange.request.method} ${pathOf(exchange.request.url)}`;
    if (a === undefined || b === undefined) {
      return {
        step,
        request,
        differences: [`step ${step} was fired at the ${a === undefined ? 'comparison' : 'first'} target only`],
        ...(a === undefined ? {} : { first: a }),
        ...(b === undefined ? {} : { second: b }),
      };
    }
    const differences = answerDifferences(a, b);
    if (differences.length > 0) return { step, request, differences, first: a, second: b };
  }
  return undefined;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

export class ComparisonTally {
  private readonly categories = new Map<string, ComparisonCategory>();

  constructor(categories: readonly CaseCategory[], private readonly limit = differencesPerCategory) {
    for (const category of categories) {
      this.categories.set(category.name, {
        name: category.name,
        compared: 0,
        differing: 0,
        notCompared: 0,
        notComparedReasons: {},
        differences: [],
        differencesOmitted: 0,
      });
    }
  }

  private category(name: string): ComparisonCategory {
    const found = this.categories.get(name);
    if (found === undefined) throw new Error(`category ${name} is not part of this comparison`);
    return found;
  }

  recordNotCompared(categoryName: string, reason: string): void {
    const category = this.category(categoryName);
    category.notCompared += 1;
    category.notComparedReasons[reason] = (category.notComparedReasons[reason] ?? 0) + 1;
  }

  recordPair(categoryName: string, generated: GeneratedCase, first: CaseFiring, second: CaseFiring): void {
    const category = this.category(categoryName);
    category.compared += 1;
    const difference = firstDifference(first, second);
    if (difference === undefined) return;
    category.differing += 1;
    if (category.differences.length >= this.limit) {
      category.differencesOmitted += 1;
      return;
    }
    category.differences.push({
      caseId: formatCaseId({ category: categoryName, seed: generated.seed, path: generated.path }),
      category: categoryName,
      description: generated.case.description,
      ...difference,
    });
  }

  results(): ComparisonCategory[] {
    return [...this.categories.values()];
  }
}

/**
 * The comparison of two targets (--compare-with) as a mocha suite for the HTML and JUnit reports:
 * one `it` per category, which fails when some case got a different status, reason or causes from
 * the comparison target, and shows every differing case side by side with its replay lines.
 * The run's verdict is not changed by it (the first target is judged by the checks).
 */
import { createRequire } from 'node:module';
import Mocha from 'mocha';
import { differenceLines } from '../harness/compare/comparisonReport.ts';
import type { ComparisonReplay } from '../harness/compare/comparisonReport.ts';
import type { ComparisonResult } from '../harness/compare/comparisonResult.ts';

type ContextValue = string | { title: string; value: unknown };
const require = createRequire(import.meta.url);
const addContext = require('mochawesome/addContext.js') as (test: Mocha.Context, context: ContextValue) => void;

export interface ComparisonSuiteOptions extends ComparisonReplay {
  redact: (text: string) => string;
  /** Differing cases shown with both answer bodies per test (the rest side by side only). */
  detailedDifferences?: number;
}

function differencesFailure(message: string, lines: string[]): Error {
  const error = new Error(message);
  error.stack = lines.join('\n');
  return error;
}

export function addComparisonSuite(root: Mocha.Suite, comparison: ComparisonResult, options: ComparisonSuiteOptions): void {
  const { compared, differing, notCompared } = comparison.totals;
  const suite = Mocha.Suite.create(root, `comparison with ${options.redact(comparison.target)}: ${differing} of ${compared} cases answered differently`);
  const detailed = options.detailedDifferences ?? 5;
  suite.addTest(
    new Mocha.Test('what is compared', function (this: Mocha.Context) {
      addContext(this, {
        title: 'comparison',
        value: options.redact(
          [
            `every case fired at the run's target was fired at ${comparison.target} too (its own names: run id ${comparison.runId})`,
            'compared step by step: HTTP status, Status reason and the (field, cause type) pairs of details.causes',
            `${compared} cases compared, ${differing} differ, ${notCompared} not compared`,
            ...comparison.notes,
          ].join('\n'),
        ),
      });
      addContext(this, { title: 'cleanup of the comparison target', value: comparison.cleanup });
    }),
  );
  for (const category of comparison.categories) {
    for (const [reason, count] of Object.entries(category.notComparedReasons)) {
      suite.addTest(new Mocha.Test(`${category.name}: ${count} cases not compared: ${reason}`));
    }
    if (category.compared === 0) continue;
    suite.addTest(
      new Mocha.Test(`${category.name}: ${category.differing} of ${category.compared} cases differ`, function (this: Mocha.Context) {
        if (category.differing === 0) return;
        for (const difference of category.differences.slice(0, detailed)) {
          addContext(this, { title: `difference ${difference.caseId}`, value: options.redact(differenceLines(difference, options).join('\n')) });
          addContext(this, {
            title: `answers of ${difference.caseId} at step ${difference.step} (first target, comparison target)`,
            value: options.redact(`${difference.first?.bodyExcerpt ?? '(not fired)'}\n\n${difference.second?.bodyExcerpt ?? '(not fired)'}`),
          });
        }
        const lines = category.differences.flatMap((difference) => differenceLines(difference, options));
        if (category.differencesOmitted > 0) lines.push(`… and ${category.differencesOmitted} more differing cases not recorded`);
        throw differencesFailure(options.redact(`${category.differing} of ${category.compared} cases answered differently`), lines.map(options.redact));
      }),
    );
  }
}

/** Shrinks the first failing case of a check with fast-check's own machinery: replay the case
 * from its seed and path, fire it, and let fast-check search smaller cases that still fail the
 * same check. Bounded in requests and time; the last failing firing is the counterexample. */
import fc from 'fast-check';
import type { ConformanceCase } from '../../generators/case.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { formatCaseId } from './caseId.ts';
import { exchangeRecord } from './exchangeRecord.ts';
import { fireCase } from './fireCase.ts';
import type { CaseFiring, FiringContext } from './fireCase.ts';
import type { CounterexampleRecord, ShrinkRecord } from './runResult.ts';
import type { FirstFailure } from './runTally.ts';

export interface ShrinkBudget {
  maxRequests: number;
  timeLimitMs: number;
}

export const defaultShrinkBudget: ShrinkBudget = { maxRequests: 50, timeLimitMs: 5_000 };

function failingVerdict(firing: CaseFiring, checkName: string): { step: number; expected: string; actual: string } | undefined {
  for (const fired of firing.steps) {
    for (const { check, verdict } of fired.judgements) {
      if (check.name === checkName && verdict.result === 'fail') {
        return { step: fired.exchange.stepIndex, expected: verdict.expected, actual: verdict.actual };
      }
    }
  }
  return undefined;
}

export async function shrinkFailure(
  first: FirstFailure,
  contract: Contract,
  context: FiringContext,
  nextUnique: () => string,
  budget: ShrinkBudget = defaultShrinkBudget,
): Promise<ShrinkRecord> {
  const { generated, category, check } = first;
  const base: ShrinkRecord = { check, category: category.name, originalCaseId: first.record.caseId };
  let requests = 0;
  let lastFailure: { value: ConformanceCase; firing: CaseFiring; verdict: NonNullable<ReturnType<typeof failingVerdict>> } | undefined;
  const countingContext: FiringContext = {
    ...context,
    onRequest: (outcome) => {
      requests += 1;
      context.onRequest?.(outcome);
    },
  };
  const stillFails = fc.asyncProperty(category.arbitrary(contract), async (value: ConformanceCase) => {
    if (requests >= budget.maxRequests || context.circuit.open) return true;
    const firing = await fireCase(value, nextUnique(), countingContext);
    const verdict = failingVerdict(firing, check);
    if (verdict === undefined) return true;
    lastFailure = { value, firing, verdict };
    return false;
  });
  let details;
  try {
    details = await fc.check(stillFails, {
      seed: generated.seed,
      path: generated.path,
      numRuns: 1,
      interruptAfterTimeLimit: budget.timeLimitMs,
      markInterruptAsFailure: false,
    });
  } catch (error) {
    return { ...base, note: `shrinking failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  if (!details.failed || lastFailure === undefined || details.counterexamplePath === null) {
    return { ...base, note: 'the failure did not reproduce when the case was fired again' };
  }
  const path = details.counterexamplePath;
  const shrunk: CounterexampleRecord & { numShrinks: number } = {
    caseId: formatCaseId({ category: category.name, seed: generated.seed, path }),
    seed: generated.seed,
    path,
    description: lastFailure.value.description,
    step: lastFailure.verdict.step,
    expected: lastFailure.verdict.expected,
    actual: lastFailure.verdict.actual,
    exchanges: lastFailure.firing.steps.map(exchangeRecord),
    numShrinks: details.numShrinks,
  };
  const limits: string[] = [];
  if (requests >= budget.maxRequests) limits.push(`stopped at the budget of ${budget.maxRequests} requests`);
  if (details.interrupted) limits.push(`stopped at the time limit of ${budget.timeLimitMs} ms`);
  return { ...base, shrunk, ...(limits.length > 0 ? { note: `shrinking ${limits.join(' and ')}` } : {}) };
}

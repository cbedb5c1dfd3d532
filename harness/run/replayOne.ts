/** --replay CASE_ID: regenerate one case from its category, seed and path, fire it, judge it,
 * and shrink it when it fails. */
import { findCategory } from '../../generators/categories.ts';
import { detectTargetRelease } from '../release/detectTargetRelease.ts';
import { judgeByRelease } from '../release/releaseJudgement.ts';
import { replayCase } from '../../generators/generateCases.ts';
import { contractValidator } from '../../spec/contractValidator.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { createJanitor } from '../cleanup/janitor.ts';
import type { Check } from '../checks/exchange.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import { connectionTransport } from '../transport/connectionTransport.ts';
import { parseCaseId } from './caseId.ts';
import { skipReason } from './caseNeeds.ts';
import { createCircuitBreaker } from './circuitBreaker.ts';
import { exchangeRecord } from './exchangeRecord.ts';
import { fireCase } from './fireCase.ts';
import type { FiringContext } from './fireCase.ts';
import { createRateLimiter } from './pacing.ts';
import { runDefaults } from './runConformance.ts';
import { newRunId, runLabel, uniqueName } from './runIdentity.ts';
import type { CleanupSummary, ExchangeRecord, ShrinkRecord } from './runResult.ts';
import { shrinkFailure } from './shrinkFailure.ts';

export interface ReplayOptions {
  caseId: string;
  connection: ResolvedConnection;
  contract: Contract;
  checks: readonly Check[];
  dryRunOnly: boolean;
  timeoutMs: number;
  shrink: boolean;
  /** `--kubernetes-version X.Y`: judge by that release instead of asking the target. */
  kubernetesVersion?: string;
}

export interface ReplayReport {
  caseId: string;
  category: string;
  description: string;
  exchanges: ExchangeRecord[];
  verdicts: Array<{ step: number; check: string; result: 'pass' | 'fail' | 'upstream'; expected?: string; actual?: string; note?: string }>;
  failed: boolean;
  stopped?: string;
  skipped?: string;
  shrinks: ShrinkRecord[];
  cleanup: CleanupSummary;
}

export type ReplayOutcome = { ok: true; report: ReplayReport } | { ok: false; error: string };

export async function replayOne(options: ReplayOptions): Promise<ReplayOutcome> {
  const address = parseCaseId(options.caseId);
  if (address === undefined) return { ok: false, error: `not a case id: ${options.caseId} (expected <category>@<seed>:<path>, as printed in reports)` };
  const contractCategory = findCategory(address.category);
  if (contractCategory === undefined) return { ok: false, error: `unknown category ${address.category} in case id ${options.caseId}` };
  const runId = newRunId();
  const transport = connectionTransport(options.connection, { timeoutMs: options.timeoutMs, maxBodyBytes: runDefaults.maxBodyBytes, connections: 2 });
  try {
    const janitor = createJanitor({ transport, connection: options.connection, runId, runLabel: runLabel(runId) });
    const preflight = await janitor.preflight();
    if (!preflight.ok) return { ok: false, error: preflight.error };
    // The case is judged as the run judged it: by the target's release.
    const byRelease = judgeByRelease(
      await detectTargetRelease({ connection: options.connection, transport, ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }) }),
      [contractCategory],
    );
    const category = byRelease.categories[0];
    let conformanceCase;
    try {
      conformanceCase = replayCase(category, options.contract, address.seed, address.path);
    } catch (error) {
      return { ok: false, error: `case ${options.caseId} could not be regenerated: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
    if (conformanceCase === undefined) return { ok: false, error: `case ${options.caseId} could not be regenerated (path not found)` };
    const base = { caseId: options.caseId, category: category.name, description: conformanceCase.description };
    const skipped = byRelease.skipped.get(category.name) ?? skipReason(conformanceCase, options.connection, { dryRunOnly: options.dryRunOnly });
    if (skipped !== undefined) {
      return { ok: true, report: { ...base, exchanges: [], verdicts: [], failed: false, skipped, shrinks: [], cleanup: await janitor.cleanup() } };
    }
    const context: FiringContext = {
      transport,
      connection: options.connection,
      runId,
      dryRunOnly: options.dryRunOnly,
      limiter: createRateLimiter(undefined),
      checks: options.checks,
      environment: { contract: options.contract, validator: contractValidator(options.contract) },
      writeGuard: janitor,
      circuit: createCircuitBreaker(runDefaults.circuitThreshold),
      maxRetries429: 3,
    };
    const firing = await fireCase(conformanceCase, uniqueName(runId, 1, 'r'), context);
    const verdicts: ReplayReport['verdicts'] = [];
    const failedChecks = new Map<string, { step: number; expected: string; actual: string }>();
    for (const fired of firing.steps) {
      for (const { check, verdict } of fired.judgements) {
        const step = fired.exchange.stepIndex;
        if (verdict.result === 'fail') {
          verdicts.push({ step, check: check.name, result: 'fail', expected: verdict.expected, actual: verdict.actual });
          if (!failedChecks.has(check.name)) failedChecks.set(check.name, { step, expected: verdict.expected, actual: verdict.actual });
        } else if (verdict.result === 'upstream') verdicts.push({ step, check: check.name, result: 'upstream', note: verdict.note });
        else verdicts.push({ step, check: check.name, result: 'pass' });
      }
    }
    const exchanges = firing.steps.map(exchangeRecord);
    const shrinks: ShrinkRecord[] = [];
    if (options.shrink) {
      let shrinkNumber = 0;
      for (const [check, failure] of failedChecks) {
        shrinks.push(
          await shrinkFailure(
            {
              check,
              category,
              generated: { case: conformanceCase, seed: address.seed, path: address.path },
              record: { ...base, ...failure, check, seed: address.seed, path: address.path, exchanges },
            },
            options.contract,
            context,
            () => uniqueName(runId, (shrinkNumber += 1), 's'),
          ),
        );
      }
    }
    const failed = failedChecks.size > 0 || firing.stopped !== undefined;
    return {
      ok: true,
      report: {
        ...base,
        exchanges,
        verdicts,
        failed,
        ...(firing.stopped === undefined ? {} : { stopped: firing.stopped.reason }),
        shrinks,
        cleanup: await janitor.cleanup(),
      },
    };
  } finally {
    await transport.close();
  }
}

/**
 * The second target of a comparison (`--compare-with`): every case the run fires at its target
 * is fired at this one too, in this target's own names (its own run id and label), through its
 * own transport, rate limiter and circuit breaker, and cleaned up by its own janitor. Nothing is
 * judged here: the two firings are compared (comparisonTally.ts).
 */
import type { ConformanceCase } from '../../generators/case.ts';
import type { CaseCategory } from '../../generators/categories.ts';
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { ContractValidator } from '../../spec/contractValidator.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { createJanitor } from '../cleanup/janitor.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import { skipReason } from '../run/caseNeeds.ts';
import { createCircuitBreaker } from '../run/circuitBreaker.ts';
import { fireCase } from '../run/fireCase.ts';
import type { CaseFiring, FiringContext } from '../run/fireCase.ts';
import { createRateLimiter } from '../run/pacing.ts';
import { newRunId, runLabel, uniqueName } from '../run/runIdentity.ts';
import type { CleanupSummary } from '../run/runResult.ts';
import { connectionTransport, withCredentials } from '../transport/connectionTransport.ts';
import type { Transport } from '../transport/types.ts';
import type { ComparisonResult } from './comparisonResult.ts';
import { ComparisonTally } from './comparisonTally.ts';

/** The target to compare with, resolved like the run's own. */
export interface ComparisonTargetOptions {
  connection: ResolvedConnection;
  /** For reports: never a secret. */
  description: string;
  /** A transport to use instead of creating one (closed by the caller). */
  transport?: Transport;
}

/** What the run shares with its comparison (the run's own settings). */
export interface ComparisonSettings {
  categories: readonly CaseCategory[];
  contract: Contract;
  validator: ContractValidator;
  dryRunOnly: boolean;
  concurrency: number;
  timeoutMs: number;
  maxBodyBytes: number;
  circuitThreshold: number;
  rateLimit?: number;
  signal?: AbortSignal;
}

/** A case fired at the comparison target, or why it was not. */
export type ComparisonFiring = { fired: CaseFiring } | { notCompared: string };

export interface OpenComparison {
  /** Lists the comparison target's namespace (its janitor's preflight); an error ends the run. */
  preflight(): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Fires one case (the run's `number`-th) at the comparison target. */
  fire(conformanceCase: ConformanceCase, number: number): Promise<ComparisonFiring>;
  /** Compares the run's firing of a case with the comparison target's. */
  record(categoryName: string, generated: GeneratedCase, first: CaseFiring, second: ComparisonFiring): void;
  /** Cleans up the comparison target and returns the comparison. */
  finish(): Promise<ComparisonResult>;
  /** Closes the transport this comparison opened. */
  close(): Promise<void>;
}

const noCleanup: CleanupSummary = { deleted: [], failed: [], leftOver: [], verified: true };

export function openComparison(target: ComparisonTargetOptions, settings: ComparisonSettings): OpenComparison {
  const { connection } = target;
  const runId = newRunId();
  const transport =
    target.transport === undefined
      ? connectionTransport(connection, { timeoutMs: settings.timeoutMs, maxBodyBytes: settings.maxBodyBytes, connections: settings.concurrency })
      : withCredentials(target.transport, connection);
  const janitor = createJanitor({
    transport,
    connection,
    runId,
    runLabel: runLabel(runId),
    ...(settings.rateLimit === undefined ? { concurrency: settings.concurrency } : {}),
  });
  const circuit = createCircuitBreaker(settings.circuitThreshold);
  const context: FiringContext = {
    transport,
    connection,
    runId,
    dryRunOnly: settings.dryRunOnly,
    limiter: createRateLimiter(settings.rateLimit),
    checks: [],
    environment: { contract: settings.contract, validator: settings.validator },
    writeGuard: janitor,
    circuit,
    maxRetries429: 3,
    ...(settings.signal === undefined ? {} : { signal: settings.signal }),
  };
  const tally = new ComparisonTally(settings.categories);
  const notes: string[] = [];

  return {
    preflight: async () => {
      const ready = await janitor.preflight();
      return ready.ok ? ready : { ok: false, error: `comparison target ${target.description}: ${ready.error}` };
    },
    fire: async (conformanceCase, number) => {
      const reason = skipReason(conformanceCase, connection, { dryRunOnly: settings.dryRunOnly });
      if (reason !== undefined) return { notCompared: `the comparison target cannot run it: ${reason}` };
      if (circuit.open) return { notCompared: 'the comparison target stopped answering' };
      const fired = await fireCase(conformanceCase, uniqueName(runId, number), context);
      if (fired.stopped?.kind === 'not-ours' && fired.steps.length === 0) {
        return { notCompared: 'its object name existed on the comparison target before the run' };
      }
      return { fired };
    },
    record: (categoryName, generated, first, second) => {
      if ('notCompared' in second) tally.recordNotCompared(categoryName, second.notCompared);
      else tally.recordPair(categoryName, generated, first, second.fired);
    },
    finish: async () => {
      if (circuit.open) notes.push(`the comparison target stopped answering: ${circuit.reason ?? 'no usable answers'}`);
      let cleanup: CleanupSummary = noCleanup;
      try {
        cleanup = await janitor.cleanup();
      } catch (error) {
        cleanup = { ...noCleanup, verified: false };
        notes.push(`cleanup of the comparison target failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
      if (cleanup.leftOver.length > 0) notes.push(`cleanup left ${cleanup.leftOver.length} object(s) on the comparison target: ${cleanup.leftOver.join(', ')}`);
      if (cleanup.failed.length > 0) {
        notes.push(`cleanup of the comparison target could not finish ${cleanup.failed.length} step(s): ${cleanup.failed.map((f) => `${f.name}: ${f.error}`).join('; ')}`);
      }
      const categories = tally.results();
      const sum = (pick: (category: (typeof categories)[number]) => number): number => categories.reduce((total, category) => total + pick(category), 0);
      return {
        target: target.description,
        runId,
        totals: { compared: sum((c) => c.compared), differing: sum((c) => c.differing), notCompared: sum((c) => c.notCompared) },
        categories,
        cleanup,
        notes,
      };
    },
    close: async () => {
      if (target.transport === undefined) await transport.close();
    },
  };
}

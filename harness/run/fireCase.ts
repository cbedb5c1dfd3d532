/** Fires the steps of one case in order and judges each exchange with the enabled checks.
 * A step whose request gets no answer ends the case (later steps depend on it); 429 answers
 * are re-sent after Retry-After at most `maxRetries429` times, and the final answer is judged.
 * Sending (`sendCaseSteps`) and judging (`judgeCaseSteps`) are apart, so a runner can send its
 * next request before it judges the answers it has (no step depends on a judgement). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConformanceCase } from '../../generators/case.ts';
import { instantiateStep } from '../../generators/instantiate.ts';
import type { Check, CheckEnvironment, EarlierAnswer, StepExchange } from '../checks/exchange.ts';
import { judgeExchange } from '../checks/registry.ts';
import type { CheckJudgement } from '../checks/registry.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import type { Transport, TransportOutcome } from '../transport/types.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';
import { isWriteMethod, prepareRequest, writtenObjectName } from './outgoingRequest.ts';
import type { RateLimiter } from './pacing.ts';
import type { TimeSpent } from './runPhases.ts';
import { retryAfterMs } from './pacing.ts';
import { parseAnswerBody } from './parseAnswerBody.ts';
import { missingNamespaceName } from './runIdentity.ts';

/** The part of the janitor a firing needs. */
export interface WriteGuard {
  mayWrite(name: string): boolean;
  recordWrite(name: string, outcome: 'created' | 'unknown'): void;
}

export interface FiringContext {
  transport: Transport;
  connection: ResolvedConnection;
  runId: string;
  dryRunOnly: boolean;
  limiter: RateLimiter;
  checks: readonly Check[];
  environment: CheckEnvironment;
  writeGuard: WriteGuard;
  circuit: CircuitBreaker;
  maxRetries429: number;
  /** Ends waits for Retry-After early (the run is being stopped). */
  signal?: AbortSignal;
  /** Called once per request that went out (retries included). */
  onRequest?: (outcome: TransportOutcome) => void;
  /** Adds up the time spent judging exchanges (the run's checks phase). */
  checkTime?: TimeSpent;
  /** Called with how long the runner waited for a 429's Retry-After. */
  onRetryWait?: (waitedMs: number) => void;
}

export interface FiredStep {
  exchange: StepExchange;
  judgements: CheckJudgement[];
  /** How many times a 429 made the runner wait and re-send this step. */
  retries429: number;
}

/** Why a case's steps stopped before the last: one line, and which step. */
export interface FiringStop {
  step: number;
  reason: string;
  kind: 'unbuildable' | 'not-ours' | 'no-answer';
}

export interface CaseFiring {
  steps: FiredStep[];
  /** Set when a step could not be fired: why (one line), and which step. */
  stopped?: FiringStop;
}

/** A case's steps as sent and answered, not judged yet. */
export interface SentCase {
  steps: Array<Omit<FiredStep, 'judgements'>>;
  stopped?: FiringStop;
}

async function sendWithRetries(
  context: FiringContext,
  request: StepExchange['request'],
  expectsTooManyRequests: boolean,
): Promise<{ outcome: TransportOutcome; retries: number }> {
  let retries = 0;
  for (;;) {
    await context.limiter.acquire();
    const outcome = await context.transport.send(request);
    context.onRequest?.(outcome);
    if (!outcome.ok) {
      context.circuit.recordTransportFailure(`${outcome.failure.kind}: ${outcome.failure.message}`);
      return { outcome, retries };
    }
    if (outcome.response.bodyTruncated) {
      // an answer larger than the cap is judged (and fails), but it is no sign of a working
      // target: a server that always sends such answers stops the run like a silent one
      context.circuit.recordTransportFailure(`the answer (HTTP ${outcome.response.status}) was larger than the body cap and was cut`);
      return { outcome, retries };
    }
    const throttled = outcome.response.status === 429 && !expectsTooManyRequests;
    const stopping = context.circuit.open || context.signal?.aborted === true;
    if (!throttled || retries >= context.maxRetries429 || stopping) {
      if (throttled) context.circuit.recordThrottled();
      else context.circuit.recordAnswer();
      return { outcome, retries };
    }
    retries += 1;
    const waitBegan = performance.now();
    await sleep(retryAfterMs(outcome.response), undefined, { signal: context.signal }).catch(() => undefined);
    context.onRetryWait?.(performance.now() - waitBegan);
  }
}

/** Sends a case's steps and judges every exchange. */
export async function fireCase(conformanceCase: ConformanceCase, unique: string, context: FiringContext): Promise<CaseFiring> {
  return judgeCaseSteps(await sendCaseSteps(conformanceCase, unique, context), context);
}

/** Judges every exchange of a sent case with the context's checks (the time it takes goes to
 * `checkTime`). */
export function judgeCaseSteps(sent: SentCase, context: Pick<FiringContext, 'checks' | 'environment' | 'checkTime'>): CaseFiring {
  const judgeAll = (): FiredStep[] =>
    sent.steps.map((step) => ({ ...step, judgements: judgeExchange(step.exchange, context.checks, context.environment) }));
  const steps = context.checkTime === undefined ? judgeAll() : context.checkTime.measure(judgeAll);
  return sent.stopped === undefined ? { steps } : { steps, stopped: sent.stopped };
}

/** Sends a case's steps in order, each built from the answers before it; nothing is judged. */
export async function sendCaseSteps(conformanceCase: ConformanceCase, unique: string, context: FiringContext): Promise<SentCase> {
  const instance = {
    namespace: context.connection.namespace,
    missingNamespace: missingNamespaceName(context.runId),
    unique,
    runId: context.runId,
  };
  const steps: SentCase['steps'] = [];
  const earlier: EarlierAnswer[] = [];
  const priorBodies: unknown[] = [];
  for (let index = 0; index < conformanceCase.steps.length; index += 1) {
    let step;
    try {
      step = instantiateStep(conformanceCase.steps[index], instance, priorBodies);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { steps, stopped: { step: index, reason: `step ${index} could not be built: ${reason}`, kind: 'unbuildable' } };
    }
    const prepared = prepareRequest(step.request, context.connection, { dryRunOnly: context.dryRunOnly });
    const writes = isWriteMethod(step.request.method) && !prepared.dryRun;
    const objectName = writes ? writtenObjectName(step.request.path, context.connection.namespace) : undefined;
    if (objectName !== undefined && !context.writeGuard.mayWrite(objectName)) {
      return {
        steps,
        stopped: { step: index, reason: `object ${objectName} existed before the run: never written`, kind: 'not-ours' },
      };
    }
    const { outcome, retries } = await sendWithRetries(context, prepared.request, step.expect.status.includes(429));
    const response = outcome.ok ? outcome.response : undefined;
    if (objectName !== undefined) {
      if (response === undefined || response.status >= 500) context.writeGuard.recordWrite(objectName, 'unknown');
      else if (response.status >= 200 && response.status < 300) context.writeGuard.recordWrite(objectName, 'created');
    }
    const body = parseAnswerBody(response);
    const exchange: StepExchange = {
      stepIndex: index,
      step,
      request: prepared.request,
      dryRun: prepared.dryRun,
      ...(response === undefined ? {} : { response }),
      ...(outcome.ok ? {} : { failure: outcome.failure }),
      body,
      earlier: [...earlier],
    };
    steps.push({ exchange, retries429: retries });
    if (!outcome.ok) {
      return {
        steps,
        stopped: { step: index, reason: `step ${index} got no answer (${outcome.failure.kind})`, kind: 'no-answer' },
      };
    }
    earlier.push({ status: response?.status, body });
    priorBodies.push(body.kind === 'json' ? body.value : undefined);
  }
  return { steps };
}

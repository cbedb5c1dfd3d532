/**
 * What a check sees: one fired step of a case (the request as sent, the answer or the
 * transport failure, the body parsed once) and the answers of the case's earlier steps.
 * And what a check says: pass, fail (expected vs actual, one line each), or upstream behaviour.
 */
import type { CaseStep } from '../../generators/case.ts';
import type { ContractValidator } from '../../spec/contractValidator.ts';
import type { Contract } from '../../spec/loadContract.ts';
import type { OutgoingRequest, ReceivedResponse, TransportFailureKind } from '../transport/types.ts';

/** A response body, parsed once per exchange. */
export type ParsedBody =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'unparsable'; error: string };

/** The answer of an earlier step of the same case, as later checks need it. */
export interface EarlierAnswer {
  status: number | undefined;
  body: ParsedBody;
}

export interface StepExchange {
  /** Index of this step in its case. */
  stepIndex: number;
  /** The step with every placeholder filled. */
  step: CaseStep;
  /** The request exactly as it went out (credentials included: never report it as is). */
  request: OutgoingRequest;
  /** Whether the request carried dryRun (sent by the case or added by --dry-run-only). */
  dryRun: boolean;
  /** Absent when the request failed below HTTP. */
  response?: ReceivedResponse;
  failure?: { kind: TransportFailureKind; message: string };
  body: ParsedBody;
  /** Answers of steps 0..stepIndex-1. */
  earlier: ReadonlyArray<EarlierAnswer>;
}

export interface CheckEnvironment {
  contract: Contract;
  validator: ContractValidator;
}

export type CheckVerdict =
  | { result: 'pass' }
  | { result: 'fail'; expected: string; actual: string }
  /** The target behaves as Kubernetes itself does, though the contract would call it a failure. */
  | { result: 'upstream'; note: string };

export interface Check {
  /** Stable name, reported and accepted by --only/--skip. */
  name: string;
  /** One line: what the check asserts. */
  description: string;
  /** True when the step carries the expectation this check judges (and the check can judge
   * this kind of outcome). Applicability is counted per check. */
  appliesTo(exchange: StepExchange): boolean;
  judge(exchange: StepExchange, environment: CheckEnvironment): CheckVerdict;
}

export const pass: CheckVerdict = Object.freeze({ result: 'pass' });

export function fail(expected: string, actual: string): CheckVerdict {
  return { result: 'fail', expected, actual };
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The answer's status, or a one-line description of why there is none. */
export function describeAnswer(exchange: StepExchange): string {
  if (exchange.response !== undefined) return `HTTP ${exchange.response.status}`;
  return `no answer (${exchange.failure?.kind ?? 'other'}: ${exchange.failure?.message ?? 'unknown failure'})`;
}

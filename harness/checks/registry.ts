/** The registry of named checks, in report order. Each is judged and reported on its own and
 * can be switched off by name (--skip / --only). */
import { authEnforced } from './authEnforced.ts';
import type { Check, CheckEnvironment, CheckVerdict, StepExchange } from './exchange.ts';
import {
  createOnPut,
  dryRunPersistsNothing,
  identityPreserved,
  resourceVersionSemantics,
  staleResourceVersionConflict,
} from './objectSemantics.ts';
import { responseContentTypeJson, responseSchemaConformance, statusBodyCodeMatches } from './responseShape.ts';
import { notAServerError } from './serverErrors.ts';
import { negativeDataRejection, statusCodeConformance, statusCodeDocumented } from './statusCodes.ts';
import { statusCausesConformance, statusReasonConformance } from './statusDetails.ts';
import { successEchoConformance } from './successEcho.ts';

export const checkRegistry: readonly Check[] = Object.freeze([
  notAServerError,
  statusCodeConformance,
  statusCodeDocumented,
  negativeDataRejection,
  responseSchemaConformance,
  responseContentTypeJson,
  statusBodyCodeMatches,
  statusReasonConformance,
  statusCausesConformance,
  successEchoConformance,
  createOnPut,
  resourceVersionSemantics,
  identityPreserved,
  staleResourceVersionConflict,
  dryRunPersistsNothing,
  authEnforced,
]);

export const checkNames: readonly string[] = Object.freeze(checkRegistry.map((check) => check.name));

export function findCheck(name: string): Check | undefined {
  return checkRegistry.find((check) => check.name === name);
}

export interface CheckJudgement {
  check: Check;
  verdict: CheckVerdict;
}

/** Every given check that applies to the exchange, with its verdict. */
export function judgeExchange(
  exchange: StepExchange,
  checks: readonly Check[],
  environment: CheckEnvironment,
): CheckJudgement[] {
  const judgements: CheckJudgement[] = [];
  for (const check of checks) {
    if (check.appliesTo(exchange)) judgements.push({ check, verdict: check.judge(exchange, environment) });
  }
  return judgements;
}

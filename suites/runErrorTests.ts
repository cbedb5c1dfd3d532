/** The tests that put a run's `error` verdict and a failed preflight at the top of the verdict
 * section: the reason as the test's message, what was asked and what came back as context.
 * The error test's title starts with `runErrorTitlePrefix`, so junit.xml carries it as an
 * `<error>` (harness/report/junitErrors.ts). */
import { createRequire } from 'node:module';
import Mocha from 'mocha';
import { describeProbe } from '../harness/run/answerProbe.ts';
import { runErrorTitlePrefix } from '../harness/report/junitErrors.ts';
import type { AnswerProbe, PreflightRecord, RunErrorRecord } from '../harness/run/runResult.ts';

type ContextValue = string | { title: string; value: unknown };
const require = createRequire(import.meta.url);
const addContext = require('mochawesome/addContext.js') as (test: Mocha.Context, context: ContextValue) => void;

const causeWords: Record<RunErrorRecord['cause'], string> = {
  'no-answer': 'the target never answered',
  'access-denied': 'the credentials or the namespace were refused',
  credentials: 'no credential could be obtained (the kubeconfig\'s exec plugin or token source failed)',
  throttled: 'the target throttled every request past the retry budget (429)',
  interrupted: 'the run was interrupted',
  crash: 'the harness failed (a bug of ours, not the target\'s)',
};

/** A failure whose message is the reason; its "stack" the lines a reader needs (no code stack). */
function reasonFailure(message: string, lines: string[]): Error {
  const error = new Error(message);
  error.stack = lines.join('\n');
  return error;
}

function probeLines(probe: AnswerProbe | undefined): string[] {
  if (probe === undefined) return [];
  const lines = [`request: ${probe.request.method} ${probe.request.url}`];
  if (probe.failure !== undefined) lines.push(`no answer: ${probe.failure.kind}: ${probe.failure.message}`);
  if (probe.status !== undefined) {
    lines.push(`answer: HTTP ${probe.status}, Content-Type: ${probe.contentType ?? '(none)'}`);
    lines.push(`body (first characters${probe.bodyCut === true ? '; cut at the body cap' : ''}${probe.bodyNotUtf8 === true ? '; not valid UTF-8' : ''}): ${probe.bodyStart ?? ''}`);
  }
  lines.push(`took ${probe.durationMs} ms`);
  if (probe.throttled !== undefined) lines.push(`429 answers: ${probe.throttled.answers}, waited ${probe.throttled.waitedMs} ms for Retry-After`);
  return lines;
}

export function runErrorTest(error: RunErrorRecord, redact: (text: string) => string): Mocha.Test {
  return new Mocha.Test(`${runErrorTitlePrefix}${causeWords[error.cause]}`, function (this: Mocha.Context) {
    addContext(this, { title: 'reason', value: redact(error.reason) });
    if (error.exchange !== undefined) addContext(this, { title: 'what was asked and what came back', value: redact(probeLines(error.exchange).join('\n')) });
    addContext(this, { title: 'not run', value: redact(error.notRun) });
    if (error.logFile !== undefined) addContext(this, { title: 'log', value: `the stack is in ${error.logFile}` });
    throw reasonFailure(redact(error.reason), [
      `cause: ${error.cause}`,
      ...(error.exchange === undefined ? [] : [redact(describeProbe(error.exchange))]),
      redact(error.notRun),
      ...(error.logFile === undefined ? [] : [`the stack is in ${error.logFile}`]),
    ]);
  });
}

export function preflightTest(preflight: PreflightRecord, redact: (text: string) => string): Mocha.Test {
  return new Mocha.Test('preflight: the namespace can be listed before the first write', function (this: Mocha.Context) {
    if (preflight.ok) return;
    if (preflight.exchange !== undefined) addContext(this, { title: 'what was asked and what came back', value: redact(probeLines(preflight.exchange).join('\n')) });
    addContext(this, { title: 'what the run did instead', value: preflight.consequence });
    throw reasonFailure(redact(preflight.reason), [preflight.consequence]);
  });
}

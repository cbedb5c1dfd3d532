/**
 * Sonobuoy's plugin contract: a plugin writes its results into the results folder
 * ($SONOBUOY_RESULTS_DIR, /tmp/sonobuoy/results by default) and, last, a file named `done` there
 * holding the path of the result file the Sonobuoy worker sends to the aggregator. With
 * `result-format: junit` that file is JUnit XML: the run's junit.xml.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const defaultSonobuoyResultsDir = '/tmp/sonobuoy/results';

export function sonobuoyResultsDir(env: NodeJS.ProcessEnv): string {
  const named = env.SONOBUOY_RESULTS_DIR?.trim();
  return named === undefined || named === '' ? defaultSonobuoyResultsDir : named;
}

/** Writes `done` (atomically: the worker polls for it) naming the result file. */
export async function writeSonobuoyDone(resultsDir: string, resultFile: string): Promise<string> {
  const done = path.resolve(resultsDir, 'done');
  const partial = `${done}.partial`;
  await writeFile(partial, path.resolve(resultFile));
  await rename(partial, done);
  return done;
}

function xmlEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A run that could not be made (exit 2) still answers Sonobuoy, which would otherwise wait for
 * the done file until its timeout: a JUnit file with one failed test saying why, then `done`.
 */
export async function writeSonobuoyFailure(resultsDir: string, reason: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(resultsDir, { recursive: true });
  const junit = path.resolve(resultsDir, 'junit.xml');
  const message = xmlEscaped(reason);
  await writeFile(
    junit,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuite name="endpoints PUT conformance" tests="1" failures="1" errors="0" skipped="0">',
      `  <testcase classname="endpoints PUT conformance" name="the run could be made"><failure message="${message}">${message}</failure></testcase>`,
      '</testsuite>',
      '',
    ].join('\n'),
  );
  return writeSonobuoyDone(resultsDir, junit);
}

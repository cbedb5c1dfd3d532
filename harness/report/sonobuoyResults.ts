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

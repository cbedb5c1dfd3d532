/**
 * `endpoints-conformance merge DIR...`: combines the results of the shards of one run (each
 * folder a shard's --report-dir, holding run-result.json) into one set of reports — index.html,
 * junit.xml, summary.json and run-result.json — as if one run had made them. Exit 0 when the
 * merged run conforms, 1 when it does not, 2 when the inputs are not the shards of one run.
 */
import { Command } from 'commander';
import { closingLines, verdictTable } from '../harness/report/consoleReport.ts';
import { readMergeSource } from '../harness/report/mergeSources.ts';
import { writeRunResultFile } from '../harness/report/runResultFile.ts';
import { writeReports } from '../harness/report/writeReports.ts';
import { mergeRunResults } from '../harness/run/mergeRunResults.ts';
import type { ShardResult } from '../harness/run/mergeRunResults.ts';
import { exitCodeFor } from '../harness/run/runConformance.ts';

/** Thrown for inputs that cannot be merged: the caller prints the one line and exits 2. */
export class MergeRefused extends Error {}

export async function runMerge(argv: string[]): Promise<number> {
  const program = new Command('endpoints-conformance merge')
    .description('Merge the results of the shards of one run (--shard 1/N … N/N, same --seed) into one report.')
    .argument('<results...>', "each shard's --report-dir (holding run-result.json), a run-result.json, or the JSON of the results ConfigMaps (kubectl get configmaps -l endpoints-conformance/results=true -o json)")
    .option('--report-dir <dir>', 'where the merged index.html, junit.xml, summary.json and run-result.json go', 'reports')
    .showSuggestionAfterError(false)
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const sources = program.args;
  const { reportDir } = program.opts<{ reportDir: string }>();

  const shards: ShardResult[] = [];
  for (const source of sources) {
    const read = await readMergeSource(source);
    if (!read.ok) throw new MergeRefused(read.error);
    shards.push(...read.results);
  }
  const merged = mergeRunResults(shards);
  if (!merged.ok) throw new MergeRefused(merged.error);
  const result = merged.result;
  // the shards' files are masked already; nothing secret reaches the merge
  const redact = (text: string): string => text;
  const replayCommand = (caseId: string): string => `endpoints-conformance --replay ${caseId} (with the run's target flags)`;
  const paths = await writeReports(result, { reportDir, redact, replayCommand });
  await writeRunResultFile(result, reportDir, redact);
  process.stdout.write(`${verdictTable(result)}\n\n${closingLines(result, paths, replayCommand)}\n`);
  return exitCodeFor(result);
}

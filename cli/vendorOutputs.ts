/** What a run adds for vendors and CI around its reports: the exact command and the baseline
 * comparison in the results (before the reports are written), then run.log beside the reports,
 * the baseline file updated (--baseline-update) and the certification bundle (--bundle). Flags are
 * checked before the run starts, so a bad baseline or manifest costs no run. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Baseline } from '../harness/baseline/baselineFile.ts';
import { compareWithBaseline } from '../harness/baseline/compareWithBaseline.ts';
import type { ProductManifest } from '../harness/bundle/productManifest.ts';
import { captureOutput } from '../harness/report/runLog.ts';
import type { OutputCapture } from '../harness/report/runLog.ts';
import type { RunResult } from '../harness/run/runResult.ts';

export interface VendorFlags {
  bundle?: string;
  product?: string;
  baseline?: string;
  baselineUpdate: boolean;
  /** The command line as typed (no secret is ever on it). */
  command: string;
  reportDir: string;
}

export interface PreparedVendorOutputs {
  /** Adds the command and the baseline comparison to a run's results. */
  judge(result: RunResult): RunResult;
  flags: VendorFlags;
  baseline?: Baseline;
  product?: ProductManifest;
  log: OutputCapture;
}

interface Named {
  name: string;
}

export async function prepareVendorOutputs(
  flags: VendorFlags,
  categories: readonly Named[],
  checks: readonly Named[],
): Promise<{ ok: true; prepared: PreparedVendorOutputs } | { ok: false; error: string }> {
  if (flags.baselineUpdate && flags.baseline === undefined) return { ok: false, error: '--baseline-update needs --baseline FILE (the file to write)' };
  if (flags.bundle !== undefined && flags.product === undefined) return { ok: false, error: '--bundle needs --product PRODUCT.yaml (vendor, name, version, documentation_url)' };
  if (flags.product !== undefined && flags.bundle === undefined) return { ok: false, error: '--product is for --bundle FILE.tar.gz' };
  let product: ProductManifest | undefined;
  // the baseline, manifest and bundle modules (yaml, tar) load only when their flags are given:
  // a plain run starts without them
  if (flags.product !== undefined) {
    const { readManifest } = await import('../harness/bundle/productManifest.ts');
    const read = await readManifest(flags.product);
    if (!read.ok) return read;
    product = read.manifest;
  }
  let baseline: Baseline | undefined;
  if (flags.baseline !== undefined) {
    const names = { checks: checks.map((check) => check.name), categories: categories.map((category) => category.name) };
    const { readBaseline } = await import('../harness/baseline/baselineFile.ts');
    const read = await readBaseline(flags.baseline, names, flags.baselineUpdate);
    if (!read.ok) return read;
    baseline = read.baseline;
  }
  const log = captureOutput();
  const judge = (result: RunResult): RunResult => ({
    ...result,
    command: flags.command,
    ...(baseline === undefined || flags.baseline === undefined ? {} : { baseline: compareWithBaseline(result, baseline, flags.baseline) }),
  });
  return { ok: true, prepared: { judge, flags, ...(baseline === undefined ? {} : { baseline }), ...(product === undefined ? {} : { product }), log } };
}

/** Console lines for a baseline comparison. */
export function baselineLines(result: RunResult): string[] {
  const outcome = result.baseline;
  if (outcome === undefined) return [];
  const lines = [`baseline ${outcome.file}: CI gate ${outcome.gate === 'pass' ? 'passes' : 'FAILS'} — ${outcome.gateReason}`];
  for (const pair of outcome.new) lines.push(`  new failure: ${pair.check} in ${pair.category} (${pair.failed} failed${pair.firstCaseId === undefined ? '' : `, first ${pair.firstCaseId}`})`);
  for (const pair of outcome.known) lines.push(`  known failure: ${pair.check} in ${pair.category} (${pair.failed} failed)`);
  for (const entry of outcome.fixed) lines.push(`  fixed (passed in this run; remove it from the baseline): ${entry.what}`);
  for (const entry of outcome.notExercised) lines.push(`  not exercised: ${entry.what} (${entry.why})`);
  return lines;
}

/** After the reports: baseline lines, baseline update, run.log, bundle. `exitCode` is set when a
 * baseline decides it (0 the gate passes, 1 it fails; 2 stays for runs that tested nothing). */
export async function finishVendorOutputs(
  prepared: PreparedVendorOutputs,
  result: RunResult,
  redact: (text: string) => string,
): Promise<{ exitCode?: number; error?: string }> {
  const { flags } = prepared;
  let exitCode: number | undefined;
  if (result.baseline !== undefined) {
    const lines = baselineLines(result);
    if (flags.baselineUpdate) lines[0] = `before the update: ${lines[0]}`;
    process.stdout.write(`${redact(lines.join('\n'))}\n`);
    exitCode = result.totals.cases === 0 ? 2 : result.baseline.gate === 'pass' ? 0 : 1;
  }
  if (flags.baselineUpdate && flags.baseline !== undefined) {
    const { baselineFromRun, writeBaseline } = await import('../harness/baseline/baselineFile.ts');
    const updated = baselineFromRun(result, prepared.baseline ?? { knownFailures: [] });
    await writeBaseline(flags.baseline, updated);
    process.stdout.write(`baseline ${flags.baseline} updated: ${updated.knownFailures.length} known failure(s) (check × category)\n`);
    // the gate is now this run's own failures: only an incomplete run still fails it
    const regated = compareWithBaseline(result, updated, flags.baseline);
    exitCode = result.totals.cases === 0 ? 2 : regated.gate === 'pass' ? 0 : 1;
  }
  prepared.log.stop();
  await writeFile(path.join(path.resolve(flags.reportDir), 'run.log'), redact(prepared.log.text()));
  if (flags.bundle !== undefined && prepared.product !== undefined) {
    const [{ makeBundle }, { verifyBundle }, { verificationLines }] = await Promise.all([
      import('../harness/bundle/makeBundle.ts'),
      import('../harness/bundle/verifyBundle.ts'),
      import('./bundleCommands.ts'),
    ]);
    const made = await makeBundle({ reportDir: flags.reportDir, outFile: flags.bundle, product: prepared.product });
    if (!made.ok) return { error: `the bundle could not be made: ${made.error}` };
    const verification = await verifyBundle(made.file);
    process.stdout.write(`${redact(verificationLines(made.file, verification).join('\n'))}\n`);
    if (!verification.ok) return { error: `the bundle ${made.file} does not verify` };
  }
  return exitCode === undefined ? {} : { exitCode };
}

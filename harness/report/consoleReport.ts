/** What the console shows: a progress line while the run goes, then the verdict table. */
import { releaseLines } from '../release/releaseLines.ts';
import type { RunProgress } from '../run/runConformance.ts';
import type { RunResult } from '../run/runResult.ts';
import type { ReportPaths } from './writeReports.ts';

export function progressLine(progress: RunProgress): string {
  return `conformance: ${progress.done}/${progress.planned} cases, ${progress.failed} failed, ${progress.requests} requests`;
}

function padded(cells: string[], widths: number[]): string {
  return cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
}

export function verdictTable(result: RunResult): string {
  const header = ['check', 'applicable', 'passed', 'failed', 'upstream'];
  const rows = result.checks.map((check) => [
    check.name,
    String(check.applicable),
    String(check.passed),
    String(check.failed),
    check.upstream > 0 ? String(check.upstream) : '',
  ]);
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => row[index].length)));
  const lines = [padded(header, widths), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map((row) => padded(row, widths))];
  const failingCategories = result.categories.filter((category) => category.failed > 0 || category.notRun > 0);
  if (failingCategories.length > 0) {
    lines.push('', 'failing categories:');
    for (const category of failingCategories) {
      const checks = category.checks.filter((check) => check.failed > 0).map((check) => check.check);
      const notRun = category.notRun > 0 ? `, ${category.notRun} not run` : '';
      lines.push(`  ${category.name}: ${category.failed} of ${category.cases} cases failed${notRun}${checks.length > 0 ? ` (${checks.join(', ')})` : ''}`);
    }
  }
  return lines.join('\n');
}

export function closingLines(result: RunResult, paths: ReportPaths | undefined, replayCommand: (caseId: string) => string): string {
  const totals = result.totals;
  const headline =
    result.verdict === 'pass' ? 'PASS: the target conforms' : result.verdict === 'error' ? `ERROR: the run could not be made or finished (${result.error?.cause ?? 'error'})` : 'FAIL: the target does not conform';
  const lines = [
    `${headline} — ${totals.cases} cases (${totals.failed} failed, ${totals.skipped} skipped, ${totals.notRun} not run), ${totals.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s`,
    `target: ${result.target}`,
    ...(result.targetRelease === undefined ? [] : releaseLines(result.targetRelease)),
  ];
  if (result.error !== undefined) lines.push(`error: ${result.error.reason}`, `not run: ${result.error.notRun}`);
  if (result.preflight !== undefined && result.error === undefined) lines.push(`preflight: ${result.preflight.reason}`);
  if (result.stoppedEarly !== undefined && !(result.error !== undefined && result.stoppedEarly.startsWith('not started'))) lines.push(result.stoppedEarly);
  for (const note of result.notes) lines.push(`note: ${note}`);
  if (paths !== undefined) lines.push(`reports: ${paths.html}, ${paths.junit}, ${paths.summary}`);
  lines.push(`seed: ${result.seed} (rerun the same cases with --seed ${result.seed})`);
  const firstFailure = result.categories.flatMap((category) => category.checks).find((check) => check.failures.length > 0)?.failures[0];
  if (firstFailure !== undefined) lines.push(`replay a failing case: ${replayCommand(firstFailure.caseId)}`);
  return lines.join('\n');
}

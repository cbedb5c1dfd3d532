/** Writes the three reports of a run into one directory: index.html (the overview page, see
 * overviewPage.ts; the full test-by-test mochawesome report, one file with assets inlined, is
 * mochawesome.html beside it), junit.xml (mocha's xunit reporter) and summary.json (first, so it exists
 * whatever happens to the others; written again at the end with `phases.reportsMs`, how long the
 * reports took). Every written file is passed through the redactor last, whatever went into it. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Mocha from 'mocha';
import { addConformanceSuites } from '../../suites/conformanceSuite.ts';
import type { RunResult } from '../run/runResult.ts';
import { loadContract } from '../../spec/loadContract.ts';
import { contractFieldPaths } from '../../spec/contractFieldPaths.ts';
import { coverageGrid } from './coverageGrid.ts';
import { hideMochawesomeDurations } from './mochawesomeDurations.ts';
import { overviewPage } from './overviewPage.ts';
import { statusElicitation } from './statusElicitation.ts';
import { comparisonSummary } from '../compare/comparisonReport.ts';
import { markRunErrors } from './junitErrors.ts';
import { buildSummary } from './summary.ts';

export interface ReportPaths {
  /** index.html, the overview page. */
  html: string;
  /** mochawesome.html, every test. */
  mochawesome: string;
  junit: string;
  summary: string;
}

export interface WrittenReports extends ReportPaths {
  /** How long writing the three reports took. */
  reportsMs: number;
}

export interface ReportOptions {
  reportDir: string;
  redact: (text: string) => string;
  replayCommand: (caseId: string) => string;
  /** With --compare-with: the command that replays a case id on the comparison target. */
  comparisonReplayCommand?: (caseId: string) => string;
}

async function runReportSuite(result: RunResult, options: ReportOptions, paths: ReportPaths): Promise<void> {
  const mocha = new Mocha({
    reporter: 'mocha-multi-reporters',
    reporterOptions: {
      reporterEnabled: 'mochawesome, xunit',
      mochawesomeReporterOptions: {
        reportDir: path.dirname(paths.mochawesome),
        reportFilename: path.basename(paths.mochawesome, '.html'),
        reportTitle: `Endpoints PUT conformance — ${result.verdict === 'pass' ? 'conforms' : result.verdict === 'error' ? 'the run could not be made or finished' : 'does not conform'}`,
        reportPageTitle: 'Endpoints PUT conformance',
        inlineAssets: true,
        json: false,
        code: false,
        quiet: true,
        consoleReporter: 'none',
      },
      xunitReporterOptions: { output: paths.junit, suiteName: 'endpoints PUT conformance' },
    },
  });
  addConformanceSuites(mocha.suite, result, {
    redact: options.redact,
    replayCommand: options.replayCommand,
    ...(options.comparisonReplayCommand === undefined ? {} : { comparisonReplayCommand: options.comparisonReplayCommand }),
  });
  await new Promise<void>((resolve) => {
    mocha.run(() => resolve());
  });
  mocha.dispose();
}

async function redactFile(file: string, redact: (text: string) => string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const redacted = redact(text);
  if (redacted !== text) await writeFile(file, redacted);
}

export async function writeReports(result: RunResult, options: ReportOptions): Promise<WrittenReports> {
  const started = performance.now();
  const reportDir = path.resolve(options.reportDir);
  await mkdir(reportDir, { recursive: true });
  const paths: ReportPaths = {
    html: path.join(reportDir, 'index.html'),
    mochawesome: path.join(reportDir, 'mochawesome.html'),
    junit: path.join(reportDir, 'junit.xml'),
    summary: path.join(reportDir, 'summary.json'),
  };
  const summary = buildSummary(result);
  if (result.comparison !== undefined) summary.comparison = comparisonSummary(result.comparison, options);
  const writeSummary = (): Promise<void> => writeFile(paths.summary, `${options.redact(JSON.stringify(summary, null, 2))}\n`);
  await writeSummary();
  await runReportSuite(result, options, paths);
  if (result.error !== undefined) {
    const error = result.error;
    await writeFile(paths.junit, markRunErrors(await readFile(paths.junit, 'utf8'), error.cause, error.reason));
  }
  await Promise.all([redactFile(paths.mochawesome, (text) => hideMochawesomeDurations(options.redact(text))), redactFile(paths.junit, options.redact)]);
  const reportsMs = Math.round(performance.now() - started);
  if (summary.phases !== undefined) {
    summary.phases = { ...summary.phases, reportsMs };
    await writeSummary();
  }
  const contract = await loadContract();
  const page = overviewPage({
    result: result.phases === undefined ? result : { ...result, phases: { ...result.phases, reportsMs } },
    coverage: coverageGrid(contractFieldPaths(contract), result.coverage.fields),
    statuses: statusElicitation(result.documentedStatuses, result.coverage.statusesElicited),
    replayCommand: options.replayCommand,
    ...(options.comparisonReplayCommand === undefined ? {} : { comparisonReplayCommand: options.comparisonReplayCommand }),
    detailedReport: path.basename(paths.mochawesome),
  });
  await writeFile(paths.html, options.redact(page));
  return { ...paths, reportsMs: performance.now() - started };
}

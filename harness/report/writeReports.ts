/** Writes the three reports of a run into one directory: index.html (mochawesome, one file,
 * assets inlined), junit.xml (mocha's xunit reporter) and summary.json (first, so it exists
 * whatever happens to the others; written again at the end with `phases.reportsMs`, how long the
 * reports took). Every written file is passed through the redactor last, whatever went into it. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Mocha from 'mocha';
import { addConformanceSuites } from '../../suites/conformanceSuite.ts';
import type { RunResult } from '../run/runResult.ts';
import { buildSummary } from './summary.ts';

export interface ReportPaths {
  html: string;
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
}

async function runReportSuite(result: RunResult, options: ReportOptions, paths: ReportPaths): Promise<void> {
  const mocha = new Mocha({
    reporter: 'mocha-multi-reporters',
    reporterOptions: {
      reporterEnabled: 'mochawesome, xunit',
      mochawesomeReporterOptions: {
        reportDir: path.dirname(paths.html),
        reportFilename: path.basename(paths.html, '.html'),
        reportTitle: `Endpoints PUT conformance — ${result.verdict === 'pass' ? 'conforms' : 'does not conform'}`,
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
  addConformanceSuites(mocha.suite, result, { redact: options.redact, replayCommand: options.replayCommand });
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
    junit: path.join(reportDir, 'junit.xml'),
    summary: path.join(reportDir, 'summary.json'),
  };
  const summary = buildSummary(result);
  const writeSummary = (): Promise<void> => writeFile(paths.summary, `${options.redact(JSON.stringify(summary, null, 2))}\n`);
  await writeSummary();
  await runReportSuite(result, options, paths);
  await Promise.all([redactFile(paths.html, options.redact), redactFile(paths.junit, options.redact)]);
  if (summary.phases !== undefined) {
    summary.phases = { ...summary.phases, reportsMs: Math.round(performance.now() - started) };
    await writeSummary();
  }
  return { ...paths, reportsMs: performance.now() - started };
}

/** One run of the command line as users run it (bench/childProcess.ts runCommandLine), with its
 * summary.json read back: wall time from spawn to exit, the run's totals and phases. */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunTimings } from '../harness/run/runPhases.ts';
import { runCommandLine } from './childProcess.ts';

export interface CommandLineFigures {
  wallMs: number;
  exitCode: number | null;
  verdict: string;
  cases: number;
  requests: number;
  failed: number;
  phases: RunTimings;
  /** Bytes of every file the run wrote into its report folder. */
  reportBytes: number;
}

interface Summary {
  verdict: string;
  totals: { cases: number; requests: number; failed: number };
  phases?: RunTimings;
}

export async function commandLineRun(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandLineFigures> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'bench-cli-'));
  try {
    const run = await runCommandLine([...args, '--report-dir', reportDir], env);
    if (run.code !== 0 && run.code !== 1) throw new Error(`the command exited with ${String(run.code)}: ${run.stderr.trim().split('\n').pop() ?? ''}`);
    const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary;
    if (summary.phases === undefined) throw new Error('summary.json has no phases');
    let reportBytes = 0;
    for (const file of await readdir(reportDir)) reportBytes += (await stat(path.join(reportDir, file))).size;
    return {
      wallMs: run.wallMs,
      exitCode: run.code,
      verdict: summary.verdict,
      cases: summary.totals.cases,
      requests: summary.totals.requests,
      failed: summary.totals.failed,
      phases: summary.phases,
      reportBytes,
    };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

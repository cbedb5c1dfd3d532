/**
 * End to end: the CLI's default profile (every category, 100 cases each, every check, the three
 * reports) against the embedded reference server, in a fresh process exactly as a user runs it
 * (`npm run conformance -- --seed 1`, minus npm). Wall time from spawn to exit; the phases come
 * from the run's own summary.json.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunPhases } from '../harness/run/runPhases.ts';
import { runTypeScript } from './childProcess.ts';

export interface EndToEndFigures {
  wallMs: number;
  exitCode: number | null;
  cases: number;
  requests: number;
  verdict: string;
  phases: RunPhases;
  /** Wall time not covered by the phases: process start-up before the run's start-up origin,
   * and process exit. */
  outsideMs: number;
}

interface Summary {
  verdict: string;
  totals: { cases: number; requests: number };
  phases?: RunPhases;
}

export async function measureEndToEnd(seed = 1): Promise<EndToEndFigures> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'bench-e2e-'));
  try {
    const run = await runTypeScript('cli/conformance.ts', ['--seed', String(seed), '--report-dir', reportDir]);
    if (run.code !== 0) throw new Error(`the CLI exited with ${String(run.code)}: ${run.stderr.trim().split('\n').pop() ?? ''}`);
    const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary;
    if (summary.phases === undefined) throw new Error('summary.json has no phases');
    const phases = summary.phases;
    const inPhases = phases.startupMs + phases.generationMs + phases.requestsMs + phases.checksMs + phases.shrinkingMs + phases.cleanupMs + phases.reportsMs;
    return {
      wallMs: run.wallMs,
      exitCode: run.code,
      cases: summary.totals.cases,
      requests: summary.totals.requests,
      verdict: summary.verdict,
      phases,
      outsideMs: Math.max(0, run.wallMs - inPhases),
    };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

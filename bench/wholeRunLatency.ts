/**
 * Latency hiding, the whole run: the command line (compiled, fresh process, default profile and
 * concurrency, all three reports) against the reference server delaying every answer by 20 ms,
 * wall time from spawn to exit next to the ideal `requests × 20 ms / concurrency` (requests: the
 * run's own count, summary.json totals.requests; cleanup's requests come on top of it).
 * The server runs on a worker thread of the benchmark's process, the way a remote target would:
 * outside the command's process.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDefaults } from '../harness/run/runDefaults.ts';
import { commandLineRun } from './commandLineRun.ts';
import type { CommandLineFigures } from './commandLineRun.ts';
import { startBenchServer } from './serverThread.ts';

export interface WholeRunLatencyFigures {
  latencyMs: number;
  concurrency: number;
  idealMs: number;
  run: CommandLineFigures;
}

export async function measureWholeRunLatency(latencyMs = 20, seed = 1): Promise<WholeRunLatencyFigures> {
  const bench = await startBenchServer({ latencyMs });
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-latency-'));
  try {
    const readonlyTokenFile = path.join(dir, 'readonly-token');
    await writeFile(readonlyTokenFile, bench.server.readonlyTokens[0] ?? '');
    await chmod(readonlyTokenFile, 0o600);
    const run = await commandLineRun(
      ['--target', bench.server.url, '--namespace', 'conformance', '--readonly-token-file', readonlyTokenFile, '--seed', String(seed)],
      { ...process.env, CONFORMANCE_TOKEN: bench.server.tokens[0] ?? '' },
    );
    const concurrency = runDefaults.concurrency;
    return { latencyMs, concurrency, idealMs: (run.requests * latencyMs) / concurrency, run };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await bench.close();
  }
}

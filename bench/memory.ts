/**
 * Memory: peak resident set size of a harness process running ~1,000 cases and ~10,000 cases
 * (every category and check; runs = cases / categories), each in a fresh child process
 * (bench/memoryProbe.ts). The reference server runs here, in the benchmark's process, so the
 * figure is the harness's own memory, not the server's store of the objects a run creates.
 */
import { median } from './median.ts';
import type { MemoryProbeResult } from './memoryProbe.ts';
import { runTypeScript } from './childProcess.ts';
import { startBenchServer } from './serverThread.ts';

export interface MemoryFigures {
  small: { cases: number; peakRssBytes: number; samples: number[] };
  large: { cases: number; peakRssBytes: number; samples: number[] };
}

async function probe(cases: number, target: string, token: string, readonlyToken: string): Promise<MemoryProbeResult> {
  const run = await runTypeScript('bench/memoryProbe.ts', ['--cases', String(cases), '--target', target, '--token', token, '--readonly-token', readonlyToken]);
  if (run.code !== 0) throw new Error(`memory probe (${cases} cases) exited with ${String(run.code)}: ${run.stderr.trim().split('\n').pop() ?? ''}`);
  const line = run.stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(line) as MemoryProbeResult;
  if (result.verdict !== 'pass') throw new Error(`memory probe (${cases} cases): the run did not pass`);
  return result;
}

export async function measureMemory(options: { smallCases: number; largeCases: number; samples: number }): Promise<MemoryFigures> {
  const bench = await startBenchServer();
  try {
    const token = bench.server.tokens[0];
    const readonlyToken = bench.server.readonlyTokens[0];
    const small: MemoryProbeResult[] = [];
    const large: MemoryProbeResult[] = [];
    for (let sample = 0; sample < options.samples; sample += 1) {
      small.push(await probe(options.smallCases, bench.server.url, token, readonlyToken));
      large.push(await probe(options.largeCases, bench.server.url, token, readonlyToken));
    }
    const summary = (results: MemoryProbeResult[]): MemoryFigures['small'] => ({
      cases: results[0]?.cases ?? 0,
      peakRssBytes: median(results.map((result) => result.maxRssBytes)),
      samples: results.map((result) => result.maxRssBytes),
    });
    return { small: summary(small), large: summary(large) };
  } finally {
    await bench.close();
  }
}

/**
 * `npm run bench`: every performance target of the project in one run, printed as a table with
 * the machine's core count and Node version — measured, target, met / NOT MET — followed by the
 * details behind each figure. Figures only: nothing here fails a build.
 *
 *   throughput     harness cases/s (default profile) vs autocannon valid PUT/s, same server, ≥ 50%
 *   latency        firing phase with 20 ms per answer vs requests × 20 ms / concurrency, ≤ 1.5×
 *   end to end     CLI default profile with all three reports, fresh process, < 10 s
 *   memory         peak RSS at ~10,000 cases vs ~1,000 cases, fresh processes, ≤ 1.2×
 *   server         reference server valid PUT/s vs bare node:http (bench/referenceServer.ts), ≥ 40%
 *   transport      undici transport vs supertest on the same requests (no target: context)
 *
 * The machine is shared: rates swing between rounds, so alternating rounds and medians are used
 * where a figure is a rate. BENCH_QUICK=1 shortens every part (for a smoke run).
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadContract } from '../spec/loadContract.ts';
import { measureEndToEnd } from './endToEnd.ts';
import type { EndToEndFigures } from './endToEnd.ts';
import { measureLatencyHiding } from './latencyHiding.ts';
import type { LatencyFigures } from './latencyHiding.ts';
import { measureMemory } from './memory.ts';
import type { MemoryFigures } from './memory.ts';
import { formatTable } from './table.ts';
import type { TargetRow } from './table.ts';
import { measureThroughput } from './throughput.ts';
import type { ThroughputFigures } from './throughput.ts';
import { compareTransports } from './transportComparison.ts';
import type { TransportFigures } from './transportComparison.ts';

interface ReferenceServerFigures {
  referencePutsPerSec: number;
  barePerSec: number;
  ratio: number;
  referenceCapacityPerSec?: number;
  bareCapacityPerSec?: number;
  capacityRatio?: number;
}

const quick = process.env.BENCH_QUICK === '1';
const rate = (value: number): string => `${Math.round(value).toLocaleString('en-US')}/s`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const percent = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`;

function oneLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/** Runs one part, timing it; a part that throws is reported, and the others still run. */
async function part<T>(name: string, work: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  const started = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    const value = await work();
    process.stderr.write(`bench: ${name} done in ${seconds(performance.now() - started)}\n`);
    return { value };
  } catch (error) {
    process.stderr.write(`bench: ${name} failed: ${oneLine(error)}\n`);
    return { error: oneLine(error) };
  }
}

/** bench/referenceServer.ts belongs to the reference server; it may be absent or not export the
 * function yet. */
async function referenceServerBenchmark(): Promise<ReferenceServerFigures | undefined> {
  const modulePath = './referenceServer.ts';
  let loaded: unknown;
  try {
    loaded = await import(modulePath);
  } catch {
    return undefined;
  }
  const bench = (loaded as { benchReferenceServer?: unknown }).benchReferenceServer;
  if (typeof bench !== 'function') return undefined;
  const run = bench as (roundSeconds: number, rounds: number) => Promise<ReferenceServerFigures>;
  return quick ? run(1, 1) : run(2, 3);
}

function throughputRow(figures: ThroughputFigures | undefined, error: string | undefined): TargetRow {
  if (figures === undefined) return { target: 'throughput', measured: `error: ${error ?? 'unknown'}`, goal: '≥ 50% of autocannon', met: undefined };
  const ratio = figures.harnessCasesPerSecond / figures.autocannonValidPutsPerSecond;
  return {
    target: 'throughput (harness vs autocannon)',
    measured: `${rate(figures.harnessCasesPerSecond)} cases vs ${rate(figures.autocannonValidPutsPerSecond)} valid PUTs = ${percent(ratio)}`,
    goal: '≥ 50%',
    met: ratio >= 0.5,
  };
}

function latencyRow(figures: LatencyFigures | undefined, error: string | undefined): TargetRow {
  if (figures === undefined) return { target: 'latency hiding', measured: `error: ${error ?? 'unknown'}`, goal: '≤ 1.5× ideal', met: undefined };
  const ratio = figures.firingMs / figures.idealMs;
  return {
    target: `latency hiding (${figures.latencyMs} ms, concurrency ${figures.concurrency})`,
    measured: `${seconds(figures.firingMs)} vs ideal ${seconds(figures.idealMs)} = ${ratio.toFixed(2)}×`,
    goal: '≤ 1.50×',
    met: ratio <= 1.5 && figures.verdict === 'pass',
  };
}

function endToEndRow(figures: EndToEndFigures | undefined, error: string | undefined): TargetRow {
  if (figures === undefined) return { target: 'end to end (CLI default profile)', measured: `error: ${error ?? 'unknown'}`, goal: '< 10 s', met: undefined };
  return {
    target: 'end to end (CLI default profile)',
    measured: `${seconds(figures.wallMs)} for ${figures.cases} cases, ${figures.requests} requests, 3 reports`,
    goal: '< 10 s',
    met: figures.wallMs < 10_000 && figures.verdict === 'pass',
  };
}

function memoryRow(figures: MemoryFigures | undefined, error: string | undefined): TargetRow {
  if (figures === undefined) return { target: 'memory (peak RSS)', measured: `error: ${error ?? 'unknown'}`, goal: '≤ 1.2×', met: undefined };
  const ratio = figures.large.peakRssBytes / figures.small.peakRssBytes;
  return {
    target: 'memory (peak RSS, harness process)',
    measured: `${megabytes(figures.large.peakRssBytes)} at ${figures.large.cases} cases vs ${megabytes(figures.small.peakRssBytes)} at ${figures.small.cases} = ${ratio.toFixed(2)}×`,
    goal: '≤ 1.20×',
    met: ratio <= 1.2,
  };
}

function serverRow(figures: ReferenceServerFigures | undefined, error: string | undefined): TargetRow {
  if (figures === undefined) {
    return { target: 'reference server vs bare node:http', measured: error === undefined ? 'not measured: bench/referenceServer.ts has no benchReferenceServer()' : `error: ${error}`, goal: '≥ 40%', met: undefined };
  }
  return {
    target: 'reference server vs bare node:http',
    measured: `${rate(figures.referencePutsPerSec)} valid PUTs vs ${rate(figures.barePerSec)} = ${percent(figures.ratio)}`,
    goal: '≥ 40%',
    met: figures.ratio >= 0.4,
  };
}

function transportRow(figures: TransportFigures | undefined, error: string | undefined): TargetRow {
  if (figures === undefined) return { target: 'transport: undici vs supertest', measured: `error: ${error ?? 'unknown'}`, goal: '(context)', met: undefined };
  return {
    target: 'transport: undici vs supertest',
    measured: `${rate(figures.undiciPerSecond)} vs ${rate(figures.supertestPerSecond)} = ${(figures.undiciPerSecond / figures.supertestPerSecond).toFixed(1)}× (${figures.requests} requests)`,
    goal: '(context)',
    met: undefined,
  };
}

function details(
  throughput: ThroughputFigures | undefined,
  latency: LatencyFigures | undefined,
  endToEnd: EndToEndFigures | undefined,
  memory: MemoryFigures | undefined,
  server: ReferenceServerFigures | undefined,
  transport: TransportFigures | undefined,
): string[] {
  const lines: string[] = [];
  if (throughput !== undefined) {
    lines.push(
      `throughput: medians of ${throughput.rounds} alternating rounds; harness = cases / firing phase (generation + requests + checks), ${throughput.harnessCases} cases, ${rate(throughput.harnessRequestsPerSecond)} requests`,
      `  autocannon, 16 connections: valid PUTs ${rate(throughput.autocannonValidPutsPerSecond)} (server thread busy ${percent(throughput.serverBusy.validPuts)}, ${throughput.validPutFailures} non-2xx); the harness's own requests replayed ${rate(throughput.autocannonReplayPerSecond)} (busy ${percent(throughput.serverBusy.replay)})`,
      `  harness: server thread busy ${percent(throughput.serverBusy.harness)} — the runner's thread is the bottleneck; harness requests/s vs replay of the same requests: ${percent(throughput.harnessRequestsPerSecond / throughput.autocannonReplayPerSecond)}`,
    );
  }
  if (latency !== undefined) {
    lines.push(`latency: ${latency.cases} cases, ${latency.requests} requests at ${latency.latencyMs} ms each, ${latency.concurrency} in flight; ideal = requests × ${latency.latencyMs} ms / ${latency.concurrency}; run verdict ${latency.verdict}`);
  }
  if (endToEnd !== undefined) {
    const p = endToEnd.phases;
    lines.push(
      `end to end: exit ${String(endToEnd.exitCode)}, verdict ${endToEnd.verdict}; phases (summary.json): start-up ${seconds(p.startupMs)}, generation ${seconds(p.generationMs)}, requests ${seconds(p.requestsMs)}, checks ${seconds(p.checksMs)}, shrinking ${seconds(p.shrinkingMs)}, cleanup ${seconds(p.cleanupMs)}, reports ${seconds(p.reportsMs)}; outside the phases (process start before the run's start-up origin, exit) ${seconds(endToEnd.outsideMs)}`,
      '  generation and checks are interleaved with the requests: their figures are the time the runner\'s thread spent in them; requests is the rest of the firing phase',
    );
  }
  if (memory !== undefined) {
    lines.push(
      `memory: peak RSS of a fresh harness process (server in another process), medians of ${memory.small.samples.length}: ${memory.small.samples.map(megabytes).join(', ')} at ${memory.small.cases} cases; ${memory.large.samples.map(megabytes).join(', ')} at ${memory.large.cases} cases`,
    );
  }
  if (server !== undefined && server.capacityRatio !== undefined && server.referenceCapacityPerSec !== undefined && server.bareCapacityPerSec !== undefined) {
    lines.push(`server (bench/referenceServer.ts): capacity of one busy thread ${rate(server.referenceCapacityPerSec)} vs bare ${rate(server.bareCapacityPerSec)} = ${percent(server.capacityRatio)}`);
  }
  if (transport !== undefined) {
    lines.push(
      `transport: the same ${transport.requests} case requests, 16 at a time: undici keeps 16 keep-alive connections, supertest opens one per request (Connection: close); failures ${transport.undiciFailures} / ${transport.supertestFailures}. The run uses undici; supertest serves the project's own tests.`,
    );
  }
  return lines;
}

export async function runBenchmarks(): Promise<void> {
  const started = performance.now();
  const contract = await loadContract();
  const server = await part('reference server vs bare node:http', referenceServerBenchmark);
  const throughput = await part('throughput', () => measureThroughput(contract, { rounds: quick ? 1 : 3, seconds: quick ? 1 : 2 }));
  const transport = await part('transport comparison', async () => {
    const recorded = throughput.value?.recorded;
    if (recorded === undefined || recorded.length === 0) throw new Error('no recorded requests (the throughput part failed)');
    return compareTransports(quick ? recorded.slice(0, 500) : recorded);
  });
  const latency = await part('latency hiding', () => measureLatencyHiding(contract, 20));
  const endToEnd = await part('end to end', () => measureEndToEnd(1));
  const memory = await part('memory', () => measureMemory({ smallCases: 1000, largeCases: quick ? 3000 : 10_000, samples: quick ? 1 : 3 }));

  const rows: TargetRow[] = [
    throughputRow(throughput.value, throughput.error),
    latencyRow(latency.value, latency.error),
    endToEndRow(endToEnd.value, endToEnd.error),
    memoryRow(memory.value, memory.error),
    serverRow(server.value, server.error),
    transportRow(transport.value, transport.error),
  ];
  const header = `endpoints-conformance benchmark — ${availableParallelism()} cores (os.availableParallelism()), Node ${process.version}${quick ? ' — QUICK (BENCH_QUICK=1): shortened, not the real figures' : ''}`;
  const lines = [
    header,
    '',
    formatTable(rows),
    '',
    ...details(throughput.value, latency.value, endToEnd.value, memory.value, server.value, transport.value),
    '',
    `benchmark took ${seconds(performance.now() - started)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runBenchmarks().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench: ${oneLine(error)}\n`);
      process.exit(1);
    },
  );
}

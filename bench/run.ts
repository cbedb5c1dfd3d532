/**
 * `npm run bench`: the project's performance targets (issue 14) in one run, printed as a table
 * with the machine's core count and Node version — measured, target, met / NOT MET — followed by
 * the details behind each figure. Figures only: nothing here fails a build.
 *
 *   start-up        process start → first request on the wire (summary.json), compiled CLI, ≤ 400 ms
 *   latency hiding  whole CLI run, 20 ms per answer, vs requests × 20 ms / concurrency, ≤ 1.3×
 *   real apiserver  harness requests/s vs the same requests replayed by a load loop, ≥ 70%
 *                   (when a control plane is available: KUBEBUILDER_ASSETS or ../shared/kubernetes)
 *   end to end      CLI default profile with all three reports, fresh process, < 10 s
 *   memory          peak RSS at ~10,000 cases vs ~1,000 cases, fresh processes, ≤ 1.2×
 *   failing server  CLI against --fault create-returns-200, and several faults, vs a clean run, ≤ 1.5×
 *   server          reference server valid PUT/s vs bare node:http (bench/referenceServer.ts), ≥ 40%
 *   transport       undici transport vs supertest on the same requests (no target: context)
 *
 * Every command-line figure comes from `node cli/conformance.mjs`, what `npx endpoints-conformance`
 * and `npm run conformance` run (the compiled JavaScript in dist/: run `npm run build` first after
 * editing a source, or the launcher runs the sources through tsx and says so on a terminal).
 * The machine is shared: figures move with the neighbours' load, which the header reports.
 * BENCH_QUICK=1 shortens every part (a smoke run).
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createTransport } from '../harness/transport/createTransport.ts';
import { loadContract } from '../spec/loadContract.ts';
import { chooseEntry, projectRoot } from '../cli/compiledEntry.mjs';
import type { CommandLineFigures } from './commandLineRun.ts';
import { measureFailingServer, severalFaults } from './failingServer.ts';
import type { FailingServerFigures } from './failingServer.ts';
import { runHarness } from './harnessRun.ts';
import { median } from './median.ts';
import { measureMemory } from './memory.ts';
import type { MemoryFigures } from './memory.ts';
import { measureRealApiserver, realApiserverUnavailable } from './realApiserver.ts';
import type { RealApiserverFigures } from './realApiserver.ts';
import { caseRequests, recordingTransport } from './recordingTransport.ts';
import { startBenchServer } from './serverThread.ts';
import { formatTable } from './table.ts';
import type { TargetRow } from './table.ts';
import { compareTransports } from './transportComparison.ts';
import type { TransportFigures } from './transportComparison.ts';
import { measureWholeRunLatency } from './wholeRunLatency.ts';
import type { WholeRunLatencyFigures } from './wholeRunLatency.ts';
import path from 'node:path';

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
const millis = (ms: number): string => `${Math.round(ms)} ms`;
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

/** The cases' requests of one run against the embedded server, for the transport comparison. */
async function recordedRequests(): Promise<ReturnType<typeof caseRequests>> {
  const contract = await loadContract();
  const bench = await startBenchServer();
  const transport = recordingTransport(createTransport({ timeoutMs: 10_000, maxBodyBytes: 4 << 20, connections: 16, tls: { insecure: false } }));
  try {
    const result = await runHarness({ server: bench.server, contract, seed: 1, runs: quick ? 10 : 100, transport });
    return caseRequests(transport.requests, result.totals.requests);
  } finally {
    await transport.close();
    await bench.close();
  }
}

const errorRow = (target: string, goal: string, error: string | undefined): TargetRow => ({ target, measured: `error: ${error ?? 'unknown'}`, goal, met: undefined });

function startupRow(runs: CommandLineFigures[]): TargetRow {
  const target = 'start-up: process start → first request (compiled CLI)';
  const times = runs.map((run) => run.phases.firstRequestAtMs).filter((ms): ms is number => ms !== undefined);
  if (times.length === 0) return { target, measured: 'not measured (no command-line run finished)', goal: '≤ 400 ms', met: undefined };
  const value = median(times);
  return { target, measured: `${millis(value)} (median of ${times.length} runs: ${times.map(millis).join(', ')})`, goal: '≤ 400 ms', met: value <= 400 };
}

function latencyRow(figures: WholeRunLatencyFigures | undefined, error: string | undefined): TargetRow {
  const target = 'latency hiding: whole run, 20 ms per answer';
  if (figures === undefined) return errorRow(target, '≤ 1.30×', error);
  const ratio = figures.run.wallMs / figures.idealMs;
  return {
    target,
    measured: `${seconds(figures.run.wallMs)} vs ideal ${seconds(figures.idealMs)} (${figures.run.requests} requests × ${figures.latencyMs} ms / ${figures.concurrency}) = ${ratio.toFixed(2)}×`,
    goal: '≤ 1.30×',
    met: ratio <= 1.3 && figures.run.verdict === 'pass',
  };
}

function realRow(figures: RealApiserverFigures | undefined, error: string | undefined, unavailable: string | undefined): TargetRow {
  const target = 'real kube-apiserver: harness vs replay of its requests';
  if (unavailable !== undefined) return { target, measured: `not measured: ${unavailable}`, goal: '≥ 70%', met: undefined };
  if (figures === undefined) return errorRow(target, '≥ 70%', error);
  const ratio = figures.harnessPerSecond / figures.replayPerSecond;
  return {
    target,
    measured: `${rate(figures.harnessPerSecond)} vs ${rate(figures.replayPerSecond)} = ${percent(ratio)} (${figures.requests} requests, ${figures.version})`,
    goal: '≥ 70%',
    met: ratio >= 0.7,
  };
}

function endToEndRow(figures: FailingServerFigures | undefined, error: string | undefined): TargetRow {
  const target = 'end to end: CLI default profile, 3 reports';
  if (figures === undefined) return errorRow(target, '< 10 s', error);
  const run = figures.clean[0];
  return {
    target,
    measured: `${seconds(figures.cleanMs)} (median of ${figures.rounds}) for ${run.cases} cases, ${run.requests} requests`,
    goal: '< 10 s',
    met: figures.cleanMs < 10_000 && figures.clean.every((clean) => clean.verdict === 'pass'),
  };
}

function memoryRow(figures: MemoryFigures | undefined, error: string | undefined): TargetRow {
  const target = 'memory: peak RSS, harness process';
  if (figures === undefined) return errorRow(target, '≤ 1.20×', error);
  const ratio = figures.large.peakRssBytes / figures.small.peakRssBytes;
  return {
    target,
    measured: `${megabytes(figures.large.peakRssBytes)} at ${figures.large.cases} cases vs ${megabytes(figures.small.peakRssBytes)} at ${figures.small.cases} = ${ratio.toFixed(2)}×`,
    goal: '≤ 1.20×',
    met: ratio <= 1.2,
  };
}

function failingRows(figures: FailingServerFigures | undefined, error: string | undefined): TargetRow[] {
  const one = 'failing server: --fault create-returns-200 vs clean';
  const many = `failing server: ${severalFaults.length} faults at once vs clean`;
  if (figures === undefined) return [errorRow(one, '≤ 1.50×', error), errorRow(many, '≤ 1.50×', error)];
  const row = (target: string, runs: CommandLineFigures[], ms: number): TargetRow => ({
    target,
    measured: `${seconds(ms)} vs ${seconds(figures.cleanMs)} = ${(ms / figures.cleanMs).toFixed(2)}× (${runs[0].failed} of ${runs[0].cases} cases failed; reports ${megabytes(runs[0].reportBytes)})`,
    goal: '≤ 1.50×',
    met: ms / figures.cleanMs <= 1.5 && runs.every((run) => run.verdict === 'fail'),
  });
  return [row(one, figures.oneFault, figures.oneFaultMs), row(many, figures.manyFaults, figures.manyFaultsMs)];
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
  if (figures === undefined) return errorRow('transport: undici vs supertest', '(context)', error);
  return {
    target: 'transport: undici vs supertest',
    measured: `${rate(figures.undiciPerSecond)} vs ${rate(figures.supertestPerSecond)} = ${(figures.undiciPerSecond / figures.supertestPerSecond).toFixed(1)}× (${figures.requests} requests)`,
    goal: '(context)',
    met: undefined,
  };
}

const phaseLine = (run: CommandLineFigures): string => {
  const p = run.phases;
  return `start-up ${seconds(p.startupMs)} (first request at ${millis(p.firstRequestAtMs ?? Number.NaN)}), generation ${seconds(p.generationMs)}, requests ${seconds(p.requestsMs)}, checks ${seconds(p.checksMs)}, shrinking ${seconds(p.shrinkingMs)}, cleanup ${seconds(p.cleanupMs)}, reports ${seconds(p.reportsMs)}`;
};

export async function runBenchmarks(): Promise<void> {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const compiled = chooseEntry(projectRoot, path.join(projectRoot, 'cli', 'conformance.ts'), path.join(projectRoot, 'dist', 'cli', 'conformance.js'));
  if (compiled.kind === 'typescript') process.stderr.write(`bench: ${compiled.reason}: the command-line figures are of the TypeScript through tsx, not of what users run (npm run build)\n`);
  const contract = await loadContract();
  const server = await part('reference server vs bare node:http', referenceServerBenchmark);
  const failing = await part('end to end and failing server (command line)', () => measureFailingServer(quick ? 1 : 2));
  const latency = await part('latency hiding (command line, 20 ms)', () => measureWholeRunLatency(20));
  const unavailable = realApiserverUnavailable();
  const real = unavailable === undefined ? await part('real kube-apiserver', () => measureRealApiserver(contract, { runs: quick ? 10 : 100 })) : {};
  const memory = await part('memory', () => measureMemory({ smallCases: 1000, largeCases: quick ? 3000 : 10_000, samples: quick ? 1 : 3 }));
  const transport = await part('transport comparison', async () => compareTransports(await recordedRequests()));

  const commandLineRuns = [...(failing.value ? [...failing.value.clean, ...failing.value.oneFault, ...failing.value.manyFaults] : []), ...(latency.value ? [latency.value.run] : [])];
  const rows: TargetRow[] = [
    startupRow(commandLineRuns),
    latencyRow(latency.value, latency.error),
    realRow(real.value, real.error, unavailable),
    endToEndRow(failing.value, failing.error),
    memoryRow(memory.value, memory.error),
    ...failingRows(failing.value, failing.error),
    serverRow(server.value, server.error),
    transportRow(transport.value, transport.error),
  ];
  const header =
    `endpoints-conformance benchmark — ${availableParallelism()} cores (nproc), Node ${process.version}, load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at the end` +
    `${compiled.kind === 'compiled' ? '' : ' — CLI NOT COMPILED (dist/ missing or stale)'}${quick ? ' — QUICK (BENCH_QUICK=1): shortened, not the real figures' : ''}`;
  const lines = [header, '', formatTable(rows), ''];
  if (latency.value !== undefined) {
    lines.push(`latency hiding: ${latency.value.run.cases} cases, verdict ${latency.value.run.verdict}; phases: ${phaseLine(latency.value.run)}`);
  }
  if (real.value !== undefined) {
    const r = real.value;
    lines.push(
      `real kube-apiserver ${r.version}: ${r.cases} cases at concurrency ${r.concurrency} (at most ${r.mostInFlight} requests in flight, on ${r.connections} keep-alive connections), verdict ${r.verdict}${r.failedChecks.length > 0 ? ` (failing: ${r.failedChecks.join(', ')})` : ''}, shrinking off`,
      `  rates: every request the run sent (${r.requests}, janitor included), first sent to last answered; the replay: the same list in order, ${r.connections} loops on one undici Agent with ${r.connections} connections (the load tool), answers ${Object.entries(r.replayStatuses).map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    );
  }
  if (failing.value !== undefined) {
    for (const [name, runs] of [['clean', failing.value.clean], ['create-returns-200', failing.value.oneFault], [severalFaults.join(' + '), failing.value.manyFaults]] as const) {
      lines.push(`${name}: ${runs.map((run) => seconds(run.wallMs)).join(', ')}; phases of the first: ${phaseLine(runs[0])}`);
    }
  }
  if (memory.value !== undefined) {
    const m = memory.value;
    lines.push(`memory: peak RSS of a fresh harness process (server in another process), medians of ${m.small.samples.length}: ${m.small.samples.map(megabytes).join(', ')} at ${m.small.cases} cases; ${m.large.samples.map(megabytes).join(', ')} at ${m.large.cases} cases`);
  }
  if (server.value?.capacityRatio !== undefined && server.value.referenceCapacityPerSec !== undefined && server.value.bareCapacityPerSec !== undefined) {
    lines.push(`server (bench/referenceServer.ts): capacity of one busy thread ${rate(server.value.referenceCapacityPerSec)} vs bare ${rate(server.value.bareCapacityPerSec)} = ${percent(server.value.capacityRatio)}`);
  }
  if (transport.value !== undefined) {
    const t = transport.value;
    lines.push(`transport: the same ${t.requests} case requests, 16 at a time: undici keeps 16 keep-alive connections, supertest opens one per request (Connection: close); failures ${t.undiciFailures} / ${t.supertestFailures}`);
  }
  lines.push('', `benchmark took ${seconds(performance.now() - started)}`);
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

import { loadContract } from '../spec/loadContract.ts';
import { startBenchServer } from './serverThread.ts';
import { firingMs, runHarness } from './harnessRun.ts';
const contract = await loadContract();
const bench = await startBenchServer({ latencyMs: Number(process.env.LAT ?? 0) });
for (let i = 0; i < Number(process.env.N ?? 2); i++) {
  const u = bench.utilization(); const cpu0 = process.cpuUsage();
  const mainU = (performance as unknown as { eventLoopUtilization: typeof import("node:perf_hooks").performance.eventLoopUtilization }).eventLoopUtilization();
  const r = await runHarness({ server: bench.server, contract, seed: i + 1 });
  const f = firingMs(r);
  console.log(JSON.stringify(r.phases), 'cases', r.totals.cases, 'req', r.totals.requests, 'firing', f.toFixed(0), 'cases/s', (r.totals.cases / f * 1000).toFixed(0), 'server busy', bench.busySince(u).toFixed(2), 'main busy', (performance as unknown as { eventLoopUtilization: typeof import("node:perf_hooks").performance.eventLoopUtilization }).eventLoopUtilization(mainU).utilization.toFixed(2), r.verdict, 'cpu s', ((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6).toFixed(2));
}
await bench.close();

import { loadContract } from '../spec/loadContract.ts';
import { startBenchServer } from './serverThread.ts';
import { runHarness } from './harnessRun.ts';
const contract = await loadContract();
const bench = await startBenchServer({});
await runHarness({ server: bench.server, contract, seed: 9, runs: 20 });
for (let i = 0; i < 3; i++) for (const jc of ['4', '16']) {
  process.env.JC = jc;
  const r = await runHarness({ server: bench.server, contract, seed: i });
  console.log(jc, r.phases?.cleanupMs, r.cleanup.deleted.length);
}
await bench.close();

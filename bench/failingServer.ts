/**
 * A failing server stays fast: the command line (compiled, fresh process, default profile, all
 * three reports) against the embedded reference server without faults, with
 * `--fault create-returns-200` (every create-on-PUT fails), and with several faults at once; the
 * failing runs' wall time next to the clean run's. The clean run is also the end-to-end figure.
 * Rounds alternate (clean, one fault, several), and medians are compared.
 */
import { commandLineRun } from './commandLineRun.ts';
import type { CommandLineFigures } from './commandLineRun.ts';
import { median } from './median.ts';

export const severalFaults = ['create-returns-200', 'accept-loopback-ip', 'plain-text-errors', 'no-conflict-on-stale', 'numeric-resource-version', 'causes-without-indices'];

export interface FailingServerFigures {
  rounds: number;
  clean: CommandLineFigures[];
  oneFault: CommandLineFigures[];
  manyFaults: CommandLineFigures[];
  cleanMs: number;
  oneFaultMs: number;
  manyFaultsMs: number;
}

export async function measureFailingServer(rounds: number, seed = 1): Promise<FailingServerFigures> {
  const clean: CommandLineFigures[] = [];
  const oneFault: CommandLineFigures[] = [];
  const manyFaults: CommandLineFigures[] = [];
  const base = ['--seed', String(seed)];
  for (let round = 0; round < rounds; round += 1) {
    clean.push(await commandLineRun(base));
    oneFault.push(await commandLineRun([...base, '--fault', 'create-returns-200']));
    manyFaults.push(await commandLineRun([...base, ...severalFaults.flatMap((fault) => ['--fault', fault])]));
  }
  const wall = (runs: CommandLineFigures[]): number => median(runs.map((run) => run.wallMs));
  return { rounds, clean, oneFault, manyFaults, cleanMs: wall(clean), oneFaultMs: wall(oneFault), manyFaultsMs: wall(manyFaults) };
}

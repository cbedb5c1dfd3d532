/**
 * Worker-thread entry: generates a run's cases on a thread of their own (workerCaseFeed.ts is
 * the runner's side). It is started with the run's plan before the runner knows the target's
 * release, and generates ahead at once, holding the cases back, as if no category were judged
 * otherwise — so the first cases are ready when the runner is. Told the release (`begin`), it
 * judges the categories by it exactly as the runner did: a category the release adapts that has
 * not joined the turns yet is swapped for its adapted form; one that has already produced cases
 * voids what was held, and generation starts over. The cases come from caseChunks, the same plan
 * and order as on the runner's thread, and are posted in run order, in batches, never more than
 * `aheadCases` cases and `aheadChars` characters of bodies (at least one chunk) the runner has
 * not taken.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { findCategory } from '../../generators/categories.ts';
import type { CaseCategory } from '../../generators/categories.ts';
import { loadContract } from '../../spec/loadContract.ts';
import type { Contract } from '../../spec/loadContract.ts';
import type { TargetReleaseFacts } from '../release/detectTargetRelease.ts';
import { judgeByRelease } from '../release/releaseJudgement.ts';
import { caseChunks } from './caseChunks.ts';
import type { CaseChunk } from './caseChunks.ts';
import type { FromGenerationWorker, GenerationPlan, ToGenerationWorker } from './generationWorkerProtocol.ts';

if (!parentPort) throw new Error('generationWorker must run in a worker thread');
const port = parentPort;
const plan = workerData as GenerationPlan;

function oneLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
}

/** One generation of the plan's cases over `categories` (which it may still swap, see above). */
interface Generation {
  categories: CaseCategory[];
  joined: Set<number>;
  chunks: Generator<CaseChunk, void, undefined>;
}

let begun = false;
/** What was generated before `begin`, in order, not posted yet. */
let held: FromGenerationWorker[] = [];
let generation: Generation | undefined;
let outstandingCases = 0;
let outstandingChars = 0;
let ended = false;
let batch: CaseChunk[] = [];
let batchCases = 0;

function emit(message: FromGenerationWorker): void {
  if (begun) port.postMessage(message);
  else held.push(message);
}

function startGeneration(contract: Contract, categories: CaseCategory[]): Generation {
  const joined = new Set<number>();
  const current = [...categories];
  const chunks = caseChunks(
    {
      categories: current,
      contract,
      seed: plan.seed,
      runs: plan.runs,
      maxChunkCases: plan.maxChunkCases,
      chunkChars: plan.chunkChars,
      turnWindow: plan.turnWindow,
      onJoin: (index) => joined.add(index),
    },
    (category, error) => emit({ type: 'category-error', category, error }),
  );
  outstandingCases = 0;
  outstandingChars = 0;
  ended = false;
  batch = [];
  batchCases = 0;
  return { categories: current, joined, chunks };
}

function flushBatch(): void {
  if (batch.length === 0) return;
  emit({ type: 'chunks', chunks: batch });
  batch = [];
  batchCases = 0;
}

/** Cases a batch holds before it is posted (and the runner's stock below which every chunk is). */
const batchCasesAtMost = Math.max(1, Math.floor(plan.aheadCases / 4));

const mayGenerate = (): boolean =>
  !ended && (outstandingCases === 0 || (outstandingCases < plan.aheadCases && outstandingChars < plan.aheadChars));

/** Generates one chunk; false once the plan is done or failed. */
function generateOne(current: Generation): boolean {
  try {
    const next = current.chunks.next();
    if (next.done === true) {
      ended = true;
      flushBatch();
      emit({ type: 'end' });
      return false;
    }
    const chunk = next.value;
    outstandingCases += chunk.cases.length;
    outstandingChars += chunk.sizes.reduce((sum, chars) => sum + chars, 0);
    batch.push(chunk);
    batchCases += chunk.cases.length;
    // a batch once it holds a few cases, or at once while the runner has few in hand
    if (batchCases >= batchCasesAtMost || outstandingCases - batchCases < batchCasesAtMost) flushBatch();
    return true;
  } catch (error) {
    ended = true;
    emit({ type: 'failed', message: oneLine(error) });
    return false;
  }
}

/** After `begin`: generates while the runner may take more. */
function pump(): void {
  if (generation === undefined) return;
  while (mayGenerate() && generateOne(generation));
  flushBatch();
}

/** Before `begin`: a chunk per turn of the event loop, so that `begin` is heard at once. */
async function generateAhead(current: Generation): Promise<void> {
  while (!begun && generation === current && mayGenerate() && generateOne(current)) await nextTurn();
  if (!begun) flushBatch();
}

const loaded = loadContract().then((contract) => {
  if (contract.sha256 !== plan.contractSha256) throw new Error('the worker read another contract document than the run');
  const stock = plan.categoryNames.map((name) => {
    const category = findCategory(name);
    if (category === undefined) throw new Error(`no category named ${name}`);
    return category;
  });
  generation = startGeneration(contract, stock);
  void generateAhead(generation);
  return { contract, stock };
});
// a worker that cannot even load says so at once (the runner then generates on its own thread)
loaded.catch((error: unknown) => port.postMessage({ type: 'failed', message: oneLine(error) } satisfies FromGenerationWorker));

function begin(contract: Contract, stock: CaseCategory[], releaseFacts: TargetReleaseFacts, judgedNames: string[]): void {
  const judged = judgeByRelease(releaseFacts, stock).categories;
  if (judged.map((category) => category.name).join('\n') !== judgedNames.join('\n')) {
    throw new Error('the worker judged the categories by release differently from the runner');
  }
  const ahead = generation;
  const stillHolds = ahead !== undefined && judged.every((category, index) => category === stock[index] || !ahead.joined.has(index));
  if (ahead !== undefined && stillHolds) {
    judged.forEach((category, index) => {
      ahead.categories[index] = category;
    });
  } else {
    held = [];
    generation = startGeneration(contract, judged);
  }
  begun = true;
  for (const message of held) port.postMessage(message);
  held = [];
  pump();
}

port.on('message', (message: ToGenerationWorker) => {
  if (message.type === 'taken') {
    outstandingCases -= message.cases;
    outstandingChars -= message.chars;
    pump();
    return;
  }
  void loaded.then(
    ({ contract, stock }) => {
      try {
        begin(contract, stock, message.releaseFacts, message.judgedNames);
      } catch (error) {
        begun = true;
        ended = true;
        port.postMessage({ type: 'failed', message: oneLine(error) } satisfies FromGenerationWorker);
      }
    },
    () => undefined,
  );
});

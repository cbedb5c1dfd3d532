/**
 * Worker-thread entry: generates a run's cases on a thread of their own (workerCaseFeed.ts is
 * the runner's side). Started before the runner knows the target's release, it loads the
 * contract and the categories and warms up (generates, and drops, a case of each stock category
 * in turn, so the first real cases are not generated cold) until told to begin. The plan then
 * judges the categories by the release exactly as the runner did, and the cases come from
 * caseChunks: the same plan and order as on the runner's thread. They are posted in run order,
 * in batches, never more than `aheadCases` cases and `aheadChars` characters of bodies (at least
 * one chunk) the runner has not taken.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parentPort } from 'node:worker_threads';
import { caseCategories, findCategory } from '../../generators/categories.ts';
import type { CaseCategory } from '../../generators/categories.ts';
import { caseRange } from '../../generators/generateCases.ts';
import { loadContract } from '../../spec/loadContract.ts';
import type { Contract } from '../../spec/loadContract.ts';
import { judgeByRelease } from '../release/releaseJudgement.ts';
import { caseChunks } from './caseChunks.ts';
import type { CaseChunk } from './caseChunks.ts';
import type { FromGenerationWorker, GenerationPlan, ToGenerationWorker } from './generationWorkerProtocol.ts';

if (!parentPort) throw new Error('generationWorker must run in a worker thread');
const port = parentPort;
const post = (message: FromGenerationWorker): void => port.postMessage(message);

function oneLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
}

let plan: GenerationPlan | undefined;
let chunks: Generator<CaseChunk, void, undefined> | undefined;
let outstandingCases = 0;
let outstandingChars = 0;
let ended = false;
let batch: CaseChunk[] = [];
let batchCases = 0;

function flushBatch(): void {
  if (batch.length === 0) return;
  post({ type: 'chunks', chunks: batch });
  batch = [];
  batchCases = 0;
}

/** Generates while the runner may take more; posts a batch once it holds a few cases, or at
 * once while the runner has few cases in hand. */
function pump(): void {
  if (chunks === undefined || plan === undefined) return;
  const lowWater = Math.max(1, Math.floor(plan.aheadCases / 4));
  const batchSize = Math.max(1, Math.floor(plan.aheadCases / 4));
  try {
    while (!ended && (outstandingCases === 0 || (outstandingCases < plan.aheadCases && outstandingChars < plan.aheadChars))) {
      const next = chunks.next();
      if (next.done === true) {
        ended = true;
        flushBatch();
        post({ type: 'end' });
        return;
      }
      const chunk = next.value;
      outstandingCases += chunk.cases.length;
      outstandingChars += chunk.sizes.reduce((sum, chars) => sum + chars, 0);
      batch.push(chunk);
      batchCases += chunk.cases.length;
      if (batchCases >= batchSize || outstandingCases - batchCases < lowWater) flushBatch();
    }
    flushBatch();
  } catch (error) {
    ended = true;
    post({ type: 'failed', message: oneLine(error) });
  }
}

const loaded = loadContract();
loaded.catch((error: unknown) => post({ type: 'failed', message: oneLine(error) }));

/** Until the plan comes: one case of each stock category in turn, a turn of the event loop
 * between them (so `begin` is seen at once), twice round at most. */
async function warmUp(contract: Contract): Promise<void> {
  for (let round = 0; round < 2; round += 1) {
    for (const category of caseCategories) {
      if (plan !== undefined) return;
      try {
        caseRange(category, contract, 1 + round)(0, 1);
      } catch {
        // a category that cannot generate says so in the run itself
      }
      await nextTurn();
    }
  }
}
void loaded.then(warmUp, () => undefined);

function begin(contract: Contract, given: GenerationPlan): void {
  if (contract.sha256 !== given.contractSha256) throw new Error('the worker read another contract document than the run');
  const categories: CaseCategory[] = given.categoryNames.map((name) => {
    const category = findCategory(name);
    if (category === undefined) throw new Error(`no category named ${name}`);
    return category;
  });
  const judged = judgeByRelease(given.releaseFacts, categories).categories;
  if (judged.map((category) => category.name).join('\n') !== given.judgedNames.join('\n')) {
    throw new Error('the worker judged the categories by release differently from the runner');
  }
  chunks = caseChunks(
    { categories: judged, contract, seed: given.seed, runs: given.runs, maxChunkCases: given.maxChunkCases, chunkChars: given.chunkChars, turnWindow: given.turnWindow },
    (category, error) => post({ type: 'category-error', category, error }),
  );
  pump();
}

port.on('message', (message: ToGenerationWorker) => {
  if (message.type === 'taken') {
    outstandingCases -= message.cases;
    outstandingChars -= message.chars;
    pump();
    return;
  }
  plan = message.plan;
  const given = message.plan;
  void loaded.then(
    (contract) => {
      try {
        begin(contract, given);
      } catch (error) {
        ended = true;
        post({ type: 'failed', message: oneLine(error) });
      }
    },
    () => undefined,
  );
});

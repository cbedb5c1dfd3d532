/** The messages between the runner and its generation worker (generationWorker.ts,
 * workerCaseFeed.ts): plain data, copied across threads. */
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { TargetReleaseFacts } from '../release/detectTargetRelease.ts';

/** The run's plan as far as it is known before the target's release is (the worker's
 * `workerData`): the worker generates by it ahead, as if no category were judged otherwise. */
export interface GenerationPlan {
  /** The run's categories before the release is known (stock categories, by name). */
  categoryNames: string[];
  contractSha256: string;
  seed: number;
  runs: number;
  maxChunkCases: number;
  chunkChars: number;
  turnWindow: number;
  aheadCases: number;
  aheadChars: number;
}

export type ToGenerationWorker =
  /** The target's release is known: judge the categories by it, compare with the runner's
   * judgement (by name), keep what was generated ahead if it still holds, and go on. */
  | { type: 'begin'; releaseFacts: TargetReleaseFacts; judgedNames: string[] }
  /** The runner took this many cases (and characters of bodies) of those posted. */
  | { type: 'taken'; cases: number; chars: number };

export type FromGenerationWorker =
  /** Cases in run order, in chunks: `category` indexes the judged categories. */
  | { type: 'chunks'; chunks: Array<{ category: number; cases: GeneratedCase[]; sizes: number[] }> }
  | { type: 'category-error'; category: number; error: string }
  | { type: 'end' }
  | { type: 'failed'; message: string };

/** The messages between the runner and its generation worker (generationWorker.ts,
 * workerCaseFeed.ts): plain data, copied across threads. */
import type { GeneratedCase } from '../../generators/generateCases.ts';
import type { TargetReleaseFacts } from '../release/detectTargetRelease.ts';

/** What the worker needs to generate a run's cases, known once the target's release is. */
export interface GenerationPlan {
  /** The run's categories before the release is known (stock categories, by name). */
  categoryNames: string[];
  /** The runner's judgement of them by release, by name, to compare with the worker's. */
  judgedNames: string[];
  releaseFacts: TargetReleaseFacts;
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
  /** Begin the run's cases (any warming up stops). */
  | { type: 'begin'; plan: GenerationPlan }
  /** The runner took this many cases (and characters of bodies) of those posted. */
  | { type: 'taken'; cases: number; chars: number };

export type FromGenerationWorker =
  /** Cases in run order, in chunks: `category` indexes the judged categories. */
  | { type: 'chunks'; chunks: Array<{ category: number; cases: GeneratedCase[]; sizes: number[] }> }
  | { type: 'category-error'; category: number; error: string }
  | { type: 'end' }
  | { type: 'failed'; message: string };

/** What a comparison of two targets produces (plain data, JSON-serialisable): per category, every
 * case whose answers differ in status, reason or causes, with both answers side by side. */
import type { CleanupSummary } from '../run/runResult.ts';
import type { ComparableAnswer } from './comparableAnswer.ts';

export interface DifferenceRecord {
  caseId: string;
  category: string;
  description: string;
  /** The first step whose answers differ. */
  step: number;
  /** The request of that step as the first target got it: method and path with query. */
  request: string;
  /** One line per difference ("status 201 vs 422", ...). */
  differences: string[];
  /** The first target's answer at that step (absent: the step was not fired there). */
  first?: ComparableAnswer;
  /** The comparison target's answer at that step. */
  second?: ComparableAnswer;
}

export interface ComparisonCategory {
  name: string;
  /** Cases fired at both targets and compared. */
  compared: number;
  differing: number;
  /** Cases fired at the first target only, counted by reason. */
  notCompared: number;
  notComparedReasons: Record<string, number>;
  /** The differing cases, in the order they were seen (capped; the rest counted). */
  differences: DifferenceRecord[];
  differencesOmitted: number;
}

export interface ComparisonResult {
  /** How the comparison target is named in reports (never a secret). */
  target: string;
  /** The comparison target's own run id (its objects are named and labelled with it). */
  runId: string;
  totals: { compared: number; differing: number; notCompared: number };
  categories: ComparisonCategory[];
  /** The comparison target's own cleanup. */
  cleanup: CleanupSummary;
  notes: string[];
}

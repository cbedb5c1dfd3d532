/** The comparison as the reports show it: its summary.json section (counts, and per category
 * every differing case with both answers and a replay line for each target) and the console's
 * side-by-side lines. */
import { answerLine } from './comparableAnswer.ts';
import type { ComparableAnswer } from './comparableAnswer.ts';
import type { ComparisonResult, DifferenceRecord } from './comparisonResult.ts';

/** The replay command for a case id on the first target and on the comparison target. */
export interface ComparisonReplay {
  replayCommand: (caseId: string) => string;
  /** Absent when the comparison target cannot be named by flags (then only the first is given). */
  comparisonReplayCommand?: (caseId: string) => string;
}

export type SummaryAnswer = Omit<ComparableAnswer, 'bodyExcerpt'>;

export interface ComparisonSummary {
  target: string;
  runId: string;
  compared: number;
  differing: number;
  notCompared: number;
  categories: Array<{
    name: string;
    compared: number;
    differing: number;
    notCompared: number;
    notComparedReasons: Record<string, number>;
    differences: Array<Omit<DifferenceRecord, 'first' | 'second' | 'category'> & { first?: SummaryAnswer; second?: SummaryAnswer; replay: string; replayOnComparisonTarget?: string }>;
    differencesOmitted: number;
  }>;
  cleanup: ComparisonResult['cleanup'];
  notes: string[];
}

function withoutBody(answer: ComparableAnswer | undefined): SummaryAnswer | undefined {
  if (answer === undefined) return undefined;
  const { bodyExcerpt: _excerpt, ...rest } = answer;
  return rest;
}

export function comparisonSummary(comparison: ComparisonResult, replay: ComparisonReplay): ComparisonSummary {
  return {
    target: comparison.target,
    runId: comparison.runId,
    ...comparison.totals,
    categories: comparison.categories.map((category) => ({
      name: category.name,
      compared: category.compared,
      differing: category.differing,
      notCompared: category.notCompared,
      notComparedReasons: category.notComparedReasons,
      differences: category.differences.map(({ category: _category, first, second, ...difference }) => {
        const left = withoutBody(first);
        const right = withoutBody(second);
        return {
          ...difference,
          ...(left === undefined ? {} : { first: left }),
          ...(right === undefined ? {} : { second: right }),
          replay: replay.replayCommand(difference.caseId),
          ...(replay.comparisonReplayCommand === undefined ? {} : { replayOnComparisonTarget: replay.comparisonReplayCommand(difference.caseId) }),
        };
      }),
      differencesOmitted: category.differencesOmitted,
    })),
    cleanup: comparison.cleanup,
    notes: comparison.notes,
  };
}

/** The lines of one differing case, both answers side by side, then the replay lines. */
export function differenceLines(difference: DifferenceRecord, replay: ComparisonReplay, firstName = 'first', secondName = 'comparison'): string[] {
  const width = Math.max(firstName.length, secondName.length);
  return [
    `${difference.caseId} step ${difference.step}: ${difference.request}`,
    `  ${difference.description}`,
    `  ${firstName.padEnd(width)}  ${answerLine(difference.first)}`,
    `  ${secondName.padEnd(width)}  ${answerLine(difference.second)}`,
    `  differs: ${difference.differences.join('; ')}`,
    `  replay: ${replay.replayCommand(difference.caseId)}`,
    ...(replay.comparisonReplayCommand === undefined ? [] : [`  replay on the comparison target: ${replay.comparisonReplayCommand(difference.caseId)}`]),
  ];
}

/** What the console prints after the verdict table: the count, and per category its differing
 * cases (the first `perCategory` in full, the rest by id). */
export function comparisonConsoleLines(comparison: ComparisonResult, replay: ComparisonReplay, perCategory = 3): string {
  const { compared, differing, notCompared } = comparison.totals;
  const lines = [
    `comparison with ${comparison.target}: ${differing} of ${compared} cases answered differently (status, reason or causes)${notCompared > 0 ? `, ${notCompared} not compared` : ''}`,
  ];
  for (const category of comparison.categories) {
    if (category.differing === 0) continue;
    lines.push(`  ${category.name}: ${category.differing} of ${category.compared} cases differ`);
    for (const difference of category.differences.slice(0, perCategory)) lines.push(...differenceLines(difference, replay).map((line) => `    ${line}`));
    const rest = category.differences.slice(perCategory).map((difference) => difference.caseId);
    if (rest.length > 0 || category.differencesOmitted > 0) {
      lines.push(`    also: ${rest.join(', ')}${category.differencesOmitted > 0 ? ` and ${category.differencesOmitted} more` : ''}`);
    }
  }
  for (const category of comparison.categories) {
    for (const [reason, count] of Object.entries(category.notComparedReasons)) lines.push(`  ${category.name}: ${count} not compared: ${reason}`);
  }
  const cleanup = comparison.cleanup;
  lines.push(
    cleanup.leftOver.length === 0 && cleanup.failed.length === 0 && cleanup.verified
      ? `comparison target cleanup: ${cleanup.deleted.length} objects deleted, nothing left`
      : `comparison target cleanup incomplete: ${cleanup.leftOver.length + cleanup.failed.length} object(s) left or not deleted`,
  );
  for (const note of comparison.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

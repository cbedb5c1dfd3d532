/** The comparison (--compare-with) as a section of the overview page (index.html): the count,
 * and per category each differing case with both answers side by side and a replay line for
 * each target. */
import { escapeHtml } from '../report/htmlText.ts';
import { answerLine } from './comparableAnswer.ts';
import type { ComparisonReplay } from './comparisonReport.ts';
import type { ComparisonResult } from './comparisonResult.ts';

export function comparisonSection(comparison: ComparisonResult, replay: ComparisonReplay, perCategory = 10): string {
  const { compared, differing, notCompared } = comparison.totals;
  const head = `<h2>Comparison with ${escapeHtml(comparison.target)}</h2><p><b>${differing}</b> of ${compared} cases answered differently (status, reason or causes)${notCompared > 0 ? `; ${notCompared} not compared` : ''}. The verdict above is the first target's alone.</p>`;
  const rows = comparison.categories
    .filter((category) => category.differing > 0)
    .flatMap((category) => {
      const shown = category.differences.slice(0, perCategory).map((difference) => {
        const replays = [replay.replayCommand(difference.caseId), ...(replay.comparisonReplayCommand === undefined ? [] : [replay.comparisonReplayCommand(difference.caseId)])];
        return `<tr><td>${escapeHtml(category.name)}</td><td><code>${escapeHtml(difference.caseId)}</code> step ${difference.step}<br>${escapeHtml(difference.description)}</td><td>${escapeHtml(answerLine(difference.first))}</td><td>${escapeHtml(answerLine(difference.second))}</td><td>${replays.map((line) => `<code>${escapeHtml(line)}</code>`).join('<br>')}</td></tr>`;
      });
      const more = category.differing - shown.length;
      return more > 0 ? [...shown, `<tr><td>${escapeHtml(category.name)}</td><td colspan="4">… and ${more} more differing cases (summary.json lists ${category.differences.length})</td></tr>`] : shown;
    });
  const table = rows.length === 0 ? '' : `<table class="grid"><thead><tr><th>category</th><th>case</th><th>this target</th><th>comparison target</th><th>replay</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="comparison">${head}${table}</section>`;
}

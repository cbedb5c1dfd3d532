/** The benchmark's summary table: one row per target, its verdict stated plainly. */
export interface TargetRow {
  target: string;
  measured: string;
  goal: string;
  /** undefined: nothing to meet (context) or not measured. */
  met: boolean | undefined;
}

function verdict(row: TargetRow): string {
  if (row.met === undefined) return row.goal === '(context)' ? '—' : 'NOT MEASURED';
  return row.met ? 'met' : 'NOT MET';
}

export function formatTable(rows: readonly TargetRow[]): string {
  const cells = [['target', 'measured', 'target value', 'verdict'], ...rows.map((row) => [row.target, row.measured, row.goal, verdict(row)])];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row: string[]): string => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(cells[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The numbers behind the report's picture: per check, in how many categories it passed, failed
 * (new or known to a baseline) or did not apply; per category group, how many cases passed,
 * failed, were skipped or not run; and the run's phases. Plain data; overviewPage draws it. */
import type { RunPhases, RunResult } from '../run/runResult.ts';

export interface BarSegment {
  kind: 'passed' | 'failed' | 'known' | 'upstream' | 'na' | 'skipped' | 'notrun';
  count: number;
  label: string;
}

export interface Bar {
  name: string;
  /** Shown after the bar. */
  summary: string;
  segments: BarSegment[];
  total: number;
}

function bar(name: string, summary: string, segments: BarSegment[]): Bar {
  const kept = segments.filter((segment) => segment.count > 0);
  return { name, summary, segments: kept, total: kept.reduce((sum, segment) => sum + segment.count, 0) };
}

const plural = (count: number, word: string): string => `${count} ${count === 1 ? word : word === 'category' ? 'categories' : `${word}s`}`;

/** One bar per check over the run's categories. */
export function checkBars(result: RunResult): Bar[] {
  const knownPairs = new Set((result.baseline?.known ?? []).map((pair) => `${pair.check} ${pair.category}`));
  return result.checks.map((check) => {
    let passed = 0;
    let failed = 0;
    let known = 0;
    let upstream = 0;
    let na = 0;
    for (const category of result.categories) {
      const judged = category.checks.find((item) => item.check === check.name);
      if (judged === undefined || judged.applicable === 0) na += 1;
      else if (judged.failed > 0) {
        if (knownPairs.has(`${check.name} ${category.name}`)) known += 1;
        else failed += 1;
      } else if (judged.upstream > 0) upstream += 1;
      else passed += 1;
    }
    const parts = [`${passed + upstream} passed`];
    if (failed > 0) parts.push(`${failed} failed`);
    if (known > 0) parts.push(`${known} known`);
    const summary = check.applicable === 0 ? 'not applicable' : parts.join(', ');
    return bar(check.name, summary, [
      { kind: 'failed', count: failed, label: `failed in ${plural(failed, 'category')}` },
      { kind: 'known', count: known, label: `known failure (baseline) in ${plural(known, 'category')}` },
      { kind: 'passed', count: passed, label: `passed in ${plural(passed, 'category')}` },
      { kind: 'upstream', count: upstream, label: `passed, with upstream (Kubernetes) behaviour, in ${plural(upstream, 'category')}` },
      { kind: 'na', count: na, label: `not applicable in ${plural(na, 'category')}` },
    ]);
  });
}

/** One bar per category group, in cases. */
export function groupBars(result: RunResult): Bar[] {
  const knownPairs = new Set((result.baseline?.known ?? []).map((pair) => `${pair.check} ${pair.category}`));
  const groups = new Map<string, { passed: number; failed: number; known: number; skipped: number; notRun: number; categories: number }>();
  for (const category of result.categories) {
    const group = groups.get(category.group) ?? { passed: 0, failed: 0, known: 0, skipped: 0, notRun: 0, categories: 0 };
    // a category's failed cases are known when every check failing there is a known failure
    const allKnown = category.checks.filter((check) => check.failed > 0).every((check) => knownPairs.has(`${check.check} ${category.name}`));
    group.passed += category.cases - category.failed;
    if (allKnown) group.known += category.failed;
    else group.failed += category.failed;
    group.skipped += category.skipped;
    group.notRun += category.notRun;
    group.categories += 1;
    groups.set(category.group, group);
  }
  return [...groups.entries()].map(([name, group]) => {
    const parts = [`${group.passed} passed`];
    if (group.failed > 0) parts.push(`${group.failed} failed`);
    if (group.known > 0) parts.push(`${group.known} known`);
    if (group.skipped > 0) parts.push(`${group.skipped} skipped`);
    if (group.notRun > 0) parts.push(`${group.notRun} not run`);
    return bar(`${name} · ${group.categories}`, parts.join(', '), [
      { kind: 'failed', count: group.failed, label: `${plural(group.failed, 'case')} failed` },
      { kind: 'known', count: group.known, label: `${plural(group.known, 'case')} failed, known failures (baseline)` },
      { kind: 'passed', count: group.passed, label: `${plural(group.passed, 'case')} passed` },
      { kind: 'skipped', count: group.skipped, label: `${plural(group.skipped, 'case')} skipped` },
      { kind: 'notrun', count: group.notRun, label: `${plural(group.notRun, 'case')} not run` },
    ]);
  });
}

export const phaseNames: Record<keyof RunPhases, string> = {
  startupMs: 'start-up',
  generationMs: 'generation',
  requestsMs: 'requests',
  checksMs: 'checks',
  shrinkingMs: 'shrinking',
  cleanupMs: 'cleanup',
  reportsMs: 'reports',
};

/** A run whose preflight list was answered, but wrongly, writes nothing: without the list it
 * cannot prove which names are free. What can still be judged safely is fired: cases whose
 * requests are GETs or PUTs that the harness sends with dryRun=All (a conforming target stores
 * nothing; every name is this run's own, `ec-<run id>-…`, so even a target that ignores dryRun
 * touches no one else's object). Everything else is skipped, with this reason. */
import type { ConformanceCase } from '../../generators/case.ts';

export const noWriteConsequence =
  'nothing was written: every PUT was sent with dryRun=All (as with --dry-run-only); cases that need a stored object, send another dryRun value, or another method were skipped';

export function noWriteSkipReason(conformanceCase: ConformanceCase): string | undefined {
  for (const step of conformanceCase.steps) {
    const { method, query } = step.request;
    if (method === 'GET') continue;
    if (method !== 'PUT') return `the preflight list failed, so nothing is written: the case sends ${method}`;
    const dryRun = query.filter(([name]) => name === 'dryRun').map(([, value]) => value);
    if (dryRun.some((value) => value !== 'All')) {
      return 'the preflight list failed, so nothing is written: the case sends a dryRun value other than All (a target may store it)';
    }
  }
  if (conformanceCase.needs.includes('stored-object')) return 'the preflight list failed, so nothing is stored: the case needs a stored object';
  return undefined;
}

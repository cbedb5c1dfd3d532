/**
 * Never damage, leave nothing behind.
 *
 * Before the run, the janitor lists the namespace's Endpoints and remembers their names: the
 * run may not write to any of them. During the run, the runner records every name a PUT may
 * have stored. After the run, the janitor deletes what is provably this run's (it carries the
 * run label with this run id, or this run saw it created and the server dropped the label),
 * with a uid precondition so an object replaced meanwhile is not touched, and lists by the run
 * label to prove nothing is left. A name seen in preflight is never deleted. Bounded in time
 * and concurrency; never throws.
 */
import type { ResolvedConnection } from '../connection/types.ts';
import type { Transport } from '../transport/types.ts';
import { createEndpointsApi } from './endpointsApi.ts';
import type { EndpointsApi, StoredEndpoints } from './endpointsApi.ts';
import { createBackgroundLane } from './backgroundLane.ts';

export interface CleanupReport {
  deleted: string[];
  failed: Array<{ name: string; error: string }>;
  leftOver: string[];
  verified: boolean;
}

/** An object as the answer to the run's last write of it showed it. */
export interface ObservedObject {
  uid: string;
  resourceVersion: string;
  labels: Record<string, string>;
}

export interface Janitor {
  preflight(): Promise<{ ok: true } | { ok: false; error: string }>;
  mayWrite(name: string): boolean;
  recordWrite(name: string, outcome: 'created' | 'unknown'): void;
  /** The run is done with `name` (no later request touches it): with `eagerConcurrency`, it is
   * deleted now, in the background, under the same rules as at cleanup. An object the run's last
   * answer showed carrying this run's label (`observed`) is deleted in one request, with uid and
   * resourceVersion preconditions (any change since that answer makes the server refuse, and the
   * janitor then reads it back first, as for any other name). */
  release(name: string, observed?: ObservedObject): void;
  cleanup(): Promise<CleanupReport>;
}

export interface JanitorOptions {
  transport: Transport;
  connection: ResolvedConnection;
  runId: string;
  runLabel: { key: string; value: string };
  /** Overall time budget for cleanup (default 30 s). */
  budgetMs?: number;
  /** Parallel requests during cleanup (default 4). */
  concurrency?: number;
  /** Page size for list calls (default 500). */
  pageSize?: number;
  /** After this many consecutive requests without an answer, cleanup stops sending (default 3). */
  deadAfter?: number;
  /** Released objects are deleted during the run, this many at a time (default 0: everything
   * waits for cleanup). */
  eagerConcurrency?: number;
}

type Verdict = { kind: 'deleted' } | { kind: 'absent' } | { kind: 'kept'; error: string } | { kind: 'unknown'; error: string };

function preflightError(namespace: string, status: number | undefined, error: string): string {
  const prefix = `cannot list Endpoints in namespace ${namespace}`;
  if (status === 401) return `${prefix}: the credentials were not accepted (${error})`;
  if (status === 403) return `${prefix}: the identity may not list Endpoints there (${error})`;
  if (status === 404) return `${prefix}: the namespace or the API path does not exist (${error})`;
  return `${prefix}: ${error}`;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export function createJanitor(options: JanitorOptions): Janitor {
  const { connection, runLabel } = options;
  const budgetMs = options.budgetMs ?? 30_000;
  const concurrency = options.concurrency ?? 4;
  const api: EndpointsApi = createEndpointsApi(options.transport, connection, options.pageSize ?? 500);
  const selector = `${runLabel.key}=${runLabel.value}`;
  const deadAfter = options.deadAfter ?? 3;

  /** Names present before the run: never written, never deleted. Undefined until preflight succeeds. */
  let preexisting: Set<string> | undefined;
  const writes = new Map<string, 'created' | 'unknown'>();

  async function preflight(): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      const listed = await api.list();
      if (!listed.ok) return { ok: false, error: preflightError(connection.namespace, listed.status, listed.error) };
      preexisting = new Set(listed.value.map((item) => item.name));
      return { ok: true };
    } catch (error) {
      return { ok: false, error: `cannot list Endpoints in namespace ${connection.namespace}: ${String(error)}` };
    }
  }

  function mayWrite(name: string): boolean {
    return preexisting !== undefined && !preexisting.has(name);
  }

  function recordWrite(name: string, outcome: 'created' | 'unknown'): void {
    if (writes.get(name) === 'created') return;
    writes.set(name, outcome);
  }

  function isOurs(item: StoredEndpoints): boolean {
    return item.labels[runLabel.key] === runLabel.value;
  }

  /** Consecutive cleanup requests that got no HTTP answer at all. */
  let silent = 0;
  const targetDead = (): boolean => silent >= deadAfter;
  /** Counts answers and silences: an ApiResult failure without a status got no answer. */
  function note<T extends { ok: boolean; status?: number }>(result: T): T {
    if (result.ok || result.status !== undefined) silent = 0;
    else silent += 1;
    return result;
  }
  const deadNote = (): string => `not checked: the target stopped answering during cleanup (${deadAfter} requests in a row got no answer)`;

  async function settle(name: string, deadline: number): Promise<Verdict> {
    if (Date.now() >= deadline) return { kind: 'unknown', error: 'cleanup time budget exhausted before this object was checked' };
    if (targetDead()) return { kind: 'unknown', error: deadNote() };
    const found = note(await api.get(name));
    if (!found.ok) return { kind: 'unknown', error: `could not read it back: ${found.error}` };
    if (found.value === null) return { kind: 'absent' };
    const item = found.value;
    const label = item.labels[runLabel.key];
    if (!isOurs(item)) {
      if (label !== undefined) return { kind: 'kept', error: `it carries ${runLabel.key}=${label}, not this run's label: not deleted` };
      if (writes.get(name) !== 'created') {
        return { kind: 'kept', error: 'it has no run label and this run never saw it created: not deleted' };
      }
    }
    if (Date.now() >= deadline) return { kind: 'unknown', error: 'cleanup time budget exhausted before this object was deleted' };
    const removed = note(await api.delete(name, item.uid));
    if (!removed.ok) return { kind: 'unknown', error: `delete failed: ${removed.error}` };
    return removed.value === 'deleted' ? { kind: 'deleted' } : { kind: 'absent' };
  }

  /** Verdicts of objects deleted (or tried) during the run; `unknown` ones are tried again at cleanup. */
  const early = new Map<string, Verdict>();
  const eagerConcurrency = Math.max(0, Math.floor(options.eagerConcurrency ?? 0));
  const lane = createBackgroundLane<{ name: string; observed: ObservedObject | undefined }>(eagerConcurrency, async ({ name, observed }) => {
    const deadline = Date.now() + budgetMs;
    let verdict: Verdict | undefined;
    if (observed !== undefined && isOurs({ name, labels: observed.labels }) && !targetDead()) {
      const removed = note(await api.delete(name, observed.uid, observed.resourceVersion));
      if (removed.ok) verdict = removed.value === 'deleted' ? { kind: 'deleted' } : { kind: 'absent' };
    }
    early.set(name, verdict ?? (await settle(name, deadline)));
  });

  function release(name: string, observed?: ObservedObject): void {
    if (eagerConcurrency === 0 || preexisting === undefined || preexisting.has(name) || !writes.has(name) || early.has(name)) return;
    lane.push({ name, observed });
  }

  async function cleanup(): Promise<CleanupReport> {
    const report: CleanupReport = { deleted: [], failed: [], leftOver: [], verified: false };
    // the run's requests are over: what the lane still holds goes out at cleanup's parallelism
    await lane.drain(concurrency);
    const deadline = Date.now() + budgetMs;
    const stillThere = new Set<string>();
    try {
      const known = preexisting ?? new Set<string>();
      if (preexisting === undefined && writes.size > 0) {
        // Without a preflight we cannot tell ours from theirs by name; the label rule still holds.
        report.failed.push({ name: '(preflight)', error: 'preflight did not succeed: objects without this run label are not deleted' });
      }

      // 1. Every recorded name.
      const recorded = [...writes.keys()].filter((name) => !known.has(name)).sort();
      await inParallel(recorded, concurrency, async (name) => {
        const before = early.get(name);
        const verdict = before !== undefined && before.kind !== 'unknown' ? before : await settle(name, deadline);
        if (verdict.kind === 'deleted') report.deleted.push(name);
        else if (verdict.kind === 'kept' || verdict.kind === 'unknown') {
          report.failed.push({ name, error: verdict.error });
          stillThere.add(name);
        }
      });

      // 2. Anything else carrying this run's label (a write the runner did not record).
      /** The label list of step 2 showed nothing of this run: it is already the proof of step 3. */
      let provenEmpty = false;
      if (Date.now() < deadline && !targetDead()) {
        const labelled = note(await api.list(selector));
        if (labelled.ok) {
          provenEmpty = !labelled.value.some((item) => isOurs(item) && !known.has(item.name));
          const strays = labelled.value
            .filter((item) => isOurs(item) && !known.has(item.name) && !report.deleted.includes(item.name) && !stillThere.has(item.name))
            .map((item) => item.name)
            .sort();
          await inParallel(strays, concurrency, async (name) => {
            const verdict = await settle(name, deadline);
            if (verdict.kind === 'deleted') report.deleted.push(name);
            else if (verdict.kind !== 'absent') {
              report.failed.push({ name, error: verdict.error });
              stillThere.add(name);
            }
          });
        } else {
          report.failed.push({ name: '(label list)', error: `listing by ${selector} failed: ${labelled.error}` });
        }
      }

      // 3. Proof: nothing labelled with this run is left.
      if (provenEmpty) {
        report.verified = true;
      } else if (targetDead()) {
        report.failed.push({ name: '(verification)', error: deadNote() });
      } else if (Date.now() < deadline) {
        const final = note(await api.list(selector));
        if (final.ok) {
          for (const item of final.value) if (isOurs(item) && !known.has(item.name)) stillThere.add(item.name);
          report.verified = true;
        } else {
          report.failed.push({ name: '(verification)', error: `listing by ${selector} failed: ${final.error}` });
        }
      } else {
        report.failed.push({ name: '(verification)', error: 'cleanup time budget exhausted before the final check' });
      }
    } catch (error) {
      report.failed.push({ name: '(cleanup)', error: `cleanup stopped: ${String(error)}` });
      report.verified = false;
    }
    report.deleted.sort();
    report.leftOver = [...stillThere].sort();
    return report;
  }

  return { preflight, mayWrite, recordWrite, release, cleanup };
}

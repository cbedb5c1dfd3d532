/**
 * Baselines: known failures (by check and category, or by case id) are accepted, new ones fail
 * the gate, fixed ones are named; an incomplete run is never excused. End to end: a run with a
 * known fault passes the gate (exit 0), the same baseline with a second fault fails it (exit 1),
 * and the reports mark the known failures as known.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { categorySeed } from '../generators/generateCases.ts';
import { parseBaseline } from '../harness/baseline/baselineFile.ts';
import type { Baseline } from '../harness/baseline/baselineFile.ts';
import { compareWithBaseline } from '../harness/baseline/compareWithBaseline.ts';
import type { CategoryResult, FailureRecord, RunResult } from '../harness/run/runResult.ts';
import { oneLineError, runConformanceCli } from './support/conformanceCli.ts';

const seed = 99;

function failure(category: string, check: string, index: number): FailureRecord {
  return {
    check, category, caseId: `${category}@${categorySeed(seed, category)}:${index}`, seed: categorySeed(seed, category), path: String(index),
    description: 'd', step: 0, expected: 'e', actual: 'a', exchanges: [],
  };
}

function category(name: string, failing: Record<string, number>, applicable: string[] = []): CategoryResult {
  const checks = [...new Set([...Object.keys(failing), ...applicable])].map((check) => {
    const failed = failing[check] ?? 0;
    return {
      check, applicable: 3, passed: 3 - failed, failed, upstream: 0,
      failures: Array.from({ length: failed }, (_, index) => failure(name, check, index)), failuresOmitted: 0, upstreamNotes: [],
    };
  });
  const failed = Math.max(0, ...Object.values(failing));
  return { name, description: name, source: 'S', group: 'ip', planned: 3, cases: 3, failed, skipped: 0, notRun: 0, skipReasons: {}, checks, caseErrors: [], caseErrorCount: 0 };
}

function run(categories: CategoryResult[], extra: Partial<RunResult> = {}): RunResult {
  const failed = categories.reduce((sum, item) => sum + item.failed, 0);
  return {
    verdict: failed > 0 ? 'fail' : 'pass', target: 't', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, seed, runId: 'r', harnessVersion: '0', specSha256: '0',
    documentedStatuses: [], options: { runs: 3, concurrency: 1, timeoutMs: 1, dryRunOnly: false, only: [], skip: [], faults: [] },
    totals: { cases: categories.length * 3, requests: 1, failed, skipped: 0, notRun: 0 }, checks: [], categories,
    coverage: { statusesElicited: {}, statusesDocumentedNotElicited: [], fields: { valid: [], invalid: [] }, queryParameters: {} },
    shrinks: [], cleanup: { deleted: [], failed: [], leftOver: [], verified: true }, upstreamBehaviour: [], retries429: 0, notes: [], ...extra,
  };
}

const byPair: Baseline = { knownFailures: [{ check: 'negative_data_rejection', category: 'ip-loopback', note: 'TICKET-1' }] };

describe('baselines', () => {
  it('a known failure (check and category) passes the gate; a new one fails it', () => {
    const known = compareWithBaseline(run([category('ip-loopback', { negative_data_rejection: 2 })]), byPair, 'b.yaml');
    assert.equal(known.gate, 'pass');
    assert.deepEqual(known.known.map((pair) => [pair.check, pair.category, pair.note]), [['negative_data_rejection', 'ip-loopback', 'TICKET-1']]);
    assert.deepEqual(known.new, []);

    const fresh = compareWithBaseline(run([category('ip-loopback', { negative_data_rejection: 2 }), category('ip-link-local', { status_code_conformance: 1 })]), byPair, 'b.yaml');
    assert.equal(fresh.gate, 'fail');
    assert.deepEqual(fresh.new.map((pair) => [pair.check, pair.category]), [['status_code_conformance', 'ip-link-local']]);
    assert.match(fresh.gateReason, /1 new failure/);
  });

  it('by case id: known only when every failure of the pair is listed', () => {
    const result = run([category('ip-loopback', { negative_data_rejection: 2 })]);
    const [first, second] = result.categories[0].checks[0].failures;
    const both = compareWithBaseline(result, { knownFailures: [{ caseId: first.caseId }, { caseId: second.caseId, check: 'negative_data_rejection' }] }, 'b');
    assert.equal(both.gate, 'pass');
    assert.equal(both.known[0]?.matchedBy, 'case ids');
    const one = compareWithBaseline(result, { knownFailures: [{ caseId: first.caseId }] }, 'b');
    assert.equal(one.gate, 'fail', 'a second failing case is new');
    const otherCheck = compareWithBaseline(result, { knownFailures: [{ caseId: first.caseId, check: 'auth_enforced' }, { caseId: second.caseId }] }, 'b');
    assert.equal(otherCheck.gate, 'fail', 'an entry for another check does not cover this one');
  });

  it('says when a known failure was fixed, and when the run could not tell', () => {
    const result = run([category('ip-loopback', {}, ['negative_data_rejection']), category('ip-unspecified', {}, ['status_code_conformance'])]);
    const outcome = compareWithBaseline(
      result,
      {
        knownFailures: [
          ...byPair.knownFailures,
          { check: 'auth_enforced', category: 'ip-loopback' },
          { check: 'status_code_conformance', category: 'port-zero' },
          { caseId: `ip-unspecified@${categorySeed(seed, 'ip-unspecified')}:1` },
          { caseId: 'ip-unspecified@12345:1' },
        ],
      },
      'b',
    );
    assert.equal(outcome.gate, 'pass');
    assert.deepEqual(outcome.fixed.map((entry) => entry.what), ['negative_data_rejection in ip-loopback', `case ip-unspecified@${categorySeed(seed, 'ip-unspecified')}:1`]);
    assert.deepEqual(outcome.notExercised.map((entry) => entry.why), [
      'the check did not apply in this run',
      'category not in this run',
      'this run (its seed and --runs) did not generate that case',
    ]);
  });

  it('an incomplete run fails the gate whatever the baseline says', () => {
    const stopped = compareWithBaseline(run([category('ip-loopback', { negative_data_rejection: 1 })], { stoppedEarly: 'interrupted (SIGINT)' }), byPair, 'b');
    assert.equal(stopped.gate, 'fail');
    assert.match(stopped.gateReason, /did not complete: interrupted/);
    const nothing = compareWithBaseline(run([], { totals: { cases: 0, requests: 0, failed: 0, skipped: 3, notRun: 0 } }), byPair, 'b');
    assert.equal(nothing.gate, 'fail');
  });

  it('a baseline file with a typo is refused with the reason', () => {
    const names = { checks: ['negative_data_rejection'], categories: ['ip-loopback'] };
    assert.equal(parseBaseline('knownFailures:\n  - check: negative_data_rejection\n    category: ip-loopback\n', names).ok, true);
    const cases: Array<[string, RegExp]> = [
      ['knownFailures:\n  - check: negative_data_rejectio\n    category: ip-loopback\n', /unknown check "negative_data_rejectio"/],
      ['knownFailures:\n  - check: negative_data_rejection\n', /needs check and category, or caseId/],
      ['knownFailures:\n  - caseId: nope\n', /not a case id/],
      ['knownFailures:\n  - cheque: x\n', /unknown key "cheque"/],
      ['known: []\n', /knownFailures list/],
      ['knownFailures: [\n', /not YAML/],
    ];
    for (const [text, message] of cases) {
      const read = parseBaseline(text, names);
      assert.equal(read.ok, false, text);
      if (!read.ok) assert.match(read.error, message);
    }
  });

  describe('on the command line', function () {
    this.timeout(120_000);
    let scratch: string;
    before(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), 'baseline-spec-'));
    });
    after(async () => {
      await rm(scratch, { recursive: true, force: true });
    });
    const only = ['--only', 'ip-loopback,ip-link-local,valid-endpoints', '--runs', '3'];

    it('a known failure passes the gate (exit 0), a new one fails it (exit 1), a fixed one is named', async () => {
      const baseline = path.join(scratch, 'baseline.yaml');
      const created = await runConformanceCli([...only, '--seed', '1', '--fault', 'accept-loopback-ip', '--report-dir', path.join(scratch, 'r0'), '--baseline', baseline, '--baseline-update']);
      assert.equal(created.code, 0, created.stdout + created.stderr);
      assert.match(await readFile(baseline, 'utf8'), /check: negative_data_rejection\n\s+category: ip-loopback/);

      const [known, fresh, fixed] = await Promise.all([
        runConformanceCli([...only, '--seed', '2', '--fault', 'accept-loopback-ip', '--report-dir', path.join(scratch, 'known'), '--baseline', baseline]),
        runConformanceCli([...only, '--seed', '2', '--fault', 'accept-loopback-ip', '--fault', 'accept-link-local-ip', '--report-dir', path.join(scratch, 'new'), '--baseline', baseline]),
        runConformanceCli([...only, '--seed', '2', '--report-dir', path.join(scratch, 'fixed'), '--baseline', baseline]),
      ]);
      assert.equal(known.code, 0, known.stdout + known.stderr);
      assert.match(known.stdout, /FAIL: the target does not conform/, 'the verdict stays the truth');
      assert.match(known.stdout, /CI gate passes — only known failures/);
      assert.match(known.stdout, /known failure: negative_data_rejection in ip-loopback/);
      const knownSummary = JSON.parse(await readFile(path.join(scratch, 'known/summary.json'), 'utf8')) as { verdict: string; baseline: { gate: string; known: unknown[] } };
      assert.equal(knownSummary.verdict, 'fail');
      assert.equal(knownSummary.baseline.gate, 'pass');
      const knownHtml = await readFile(path.join(scratch, 'known/index.html'), 'utf8');
      assert.match(knownHtml, /<div class="verdict-word">KNOWN<\/div>/);
      assert.match(knownHtml, /<span class="badge known">known<\/span>/);

      assert.equal(fresh.code, 1, fresh.stdout + fresh.stderr);
      assert.match(fresh.stdout, /CI gate FAILS — \d+ new failures?/);
      assert.match(fresh.stdout, /new failure: \w+ in ip-link-local/);
      const freshHtml = await readFile(path.join(scratch, 'new/index.html'), 'utf8');
      assert.match(freshHtml, /<div class="verdict-word">FAIL<\/div>/);
      assert.match(freshHtml, /<b>new failures<\/b>: [^<]*ip-link-local/);

      assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
      assert.match(fixed.stdout, /fixed \(passed in this run; remove it from the baseline\): negative_data_rejection in ip-loopback/);
      assert.match(await readFile(path.join(scratch, 'fixed/index.html'), 'utf8'), /fixed since the baseline/);
    });

    it('bad baseline flags and files: exit 2 with one line', async () => {
      const typo = path.join(scratch, 'typo.yaml');
      await writeFile(typo, 'knownFailures:\n  - check: no_such_check\n    category: ip-loopback\n');
      const cases: Array<[string[], RegExp]> = [
        [['--baseline-update'], /--baseline-update needs --baseline FILE/],
        [['--baseline', path.join(scratch, 'missing.yaml')], /cannot read the baseline .*missing\.yaml: ENOENT/],
        [['--baseline', typo], /unknown check "no_such_check"/],
      ];
      const runs = await Promise.all(cases.map(([args]) => runConformanceCli([...args, '--report-dir', path.join(scratch, 'bad')])));
      runs.forEach((result, index) => {
        const line = oneLineError(result);
        assert.ok(line !== undefined, `${cases[index][0].join(' ')}: ${result.code} ${result.stderr}`);
        assert.match(line, cases[index][1]);
      });
    });
  });
});

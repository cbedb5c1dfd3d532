/**
 * The default conformance run against the real kube-apiserver, through the command line as a
 * user runs it, both ways of connecting: a kubeconfig, and --target/--token-file/--ca-file. Both
 * with --readonly-token-file, so the 403 cases run. Required: exit 0, verdict pass, zero failed
 * checks, nothing skipped, and nothing of the run left in the namespace (listed afterwards).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runConformanceCli } from './support/conformanceCli.ts';
import { conformanceNamespace, controlPlaneOrSkip } from './support/controlPlane.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';

interface Summary {
  verdict: string;
  runId: string;
  seed: number;
  target: string;
  totals: { cases: number; failed: number; skipped: number; notRun: number };
  checks: Array<{ name: string; failed: number }>;
  categories: Array<{ name: string; cases: number; skipped: number }>;
  cleanup: { deleted: string[]; failed: unknown[]; leftOver: string[]; verified: boolean };
}

describe('the default run against the real kube-apiserver (CLI)', function () {
  let plane: RunningControlPlane;
  let scratch: string;
  before(async function () {
    plane = await controlPlaneOrSkip(this);
    scratch = await mkdtemp(path.join(tmpdir(), 'real-conformance-'));
  });
  after(async () => {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  async function assertConformsAndLeavesNothing(args: string[], seed: number): Promise<Summary> {
    const reportDir = path.join(scratch, `seed-${seed}`);
    const result = await runConformanceCli([...args, '--seed', String(seed), '--report-dir', reportDir], {}, 140_000);
    const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary;
    const failing = summary.checks.filter((check) => check.failed > 0).map((check) => `${check.name} ×${check.failed}`);
    assert.deepEqual(failing, [], `failed checks against ${plane.version}:\n${result.stdout}`);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(summary.verdict, 'pass');
    assert.equal(summary.seed, seed);
    assert.equal(summary.totals.failed, 0);
    assert.equal(summary.totals.notRun, 0);
    assert.equal(summary.totals.skipped, 0, 'nothing skipped: the read-only token makes the 403 cases run');
    assert.equal(summary.totals.cases, summary.categories.length * 100);
    const readonly = summary.categories.find((category) => category.name === 'auth-readonly');
    assert.equal(readonly?.cases, 100);
    assert.deepEqual(summary.cleanup.leftOver, []);
    assert.deepEqual(summary.cleanup.failed, []);
    assert.ok(summary.cleanup.verified);
    assert.ok(summary.cleanup.deleted.length > 0);
    // nothing of this run is left: by its label, and by its names
    const byLabel = await plane.api('GET', `/api/v1/namespaces/${conformanceNamespace}/endpoints?labelSelector=${encodeURIComponent(`endpoints-conformance/run=${summary.runId}`)}`);
    assert.equal(byLabel.status, 200);
    assert.deepEqual((byLabel.body as { items: unknown[] }).items, []);
    const all = await plane.api('GET', `/api/v1/namespaces/${conformanceNamespace}/endpoints`);
    const names = (all.body as { items: Array<{ metadata: { name: string } }> }).items.map((item) => item.metadata.name);
    assert.deepEqual(names.filter((name) => name.startsWith(`ec-${summary.runId}-`)), []);
    return summary;
  }

  it('through a kubeconfig (--kubeconfig, its context\'s namespace) with --readonly-token-file: pass, zero failed checks, nothing left', async function () {
    this.timeout(150_000);
    const summary = await assertConformsAndLeavesNothing(['--kubeconfig', plane.kubeconfigPath, '--readonly-token-file', plane.readerTokenFile], 12);
    assert.match(summary.target, /kubeconfig .*context local, namespace conformance/);
  });

  it('through --target, --token-file, --ca-file and --readonly-token-file: pass, zero failed checks, nothing left', async function () {
    this.timeout(150_000);
    const summary = await assertConformsAndLeavesNothing(
      ['--target', plane.url, '--namespace', conformanceNamespace, '--token-file', plane.adminTokenFile, '--auth-scheme', 'bearer', '--ca-file', plane.caFile, '--readonly-token-file', plane.readerTokenFile],
      13,
    );
    assert.match(summary.target, /--target, namespace conformance, token from --token-file/);
  });

  it('a --namespace that does not exist: verdict error (exit 2) naming it, no case fired, rather than a failure per case', async function () {
    this.timeout(60_000);
    // the real server lists a missing namespace as empty (200), so only the namespace itself tells
    const listed = await plane.api('GET', '/api/v1/namespaces/no-such-namespace-here/endpoints');
    assert.equal(listed.status, 200);
    const reportDir = path.join(scratch, 'missing-namespace');
    const result = await runConformanceCli(['--kubeconfig', plane.kubeconfigPath, '--namespace', 'no-such-namespace-here', '--runs', '3', '--seed', '4', '--report-dir', reportDir], {}, 50_000);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /the namespace no-such-namespace-here does not exist on the target \(GET \/api\/v1\/namespaces\/no-such-namespace-here answered 404 NotFound\)/);
    const summary = JSON.parse(await readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary & { error?: { cause: string; exchange?: { status?: number } } };
    assert.equal(summary.verdict, 'error');
    assert.equal(summary.error?.cause, 'access-denied');
    assert.equal(summary.error?.exchange?.status, 404);
    assert.equal(summary.totals.cases, 0);
    assert.equal((await plane.api('GET', '/api/v1/namespaces/no-such-namespace-here')).status, 404, 'nothing created it');
  });
});

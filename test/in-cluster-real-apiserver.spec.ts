/**
 * Issue 15 on the real kube-apiserver (test/support/controlPlane.ts): the manifests in deploy/
 * are accepted with validation and applied; the harness, run in in-cluster mode with the
 * ServiceAccount's own token (TokenRequest) in a folder laid out like a pod's mount, passes; every
 * rule of the Role is needed (removing it fails the run the way the report explains); shards run
 * in parallel and merged equal one unsharded run. There is no kubelet: pods never run, so the
 * Job's command line is run here as a process with the pod's environment.
 */
import { chooseEntry } from '../cli/compiledEntry.mjs';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { controlPlaneOrSkip } from './support/controlPlane.ts';
import { runConformanceCli } from './support/conformanceCli.ts';
import type { CliRun } from './support/conformanceCli.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';
import {
  applyManifests,
  createObject,
  inNamespace,
  projectRoot,
  readManifests,
  serviceAccountToken,
  waitForAccess,
} from './support/kubernetesManifests.ts';
import type { KubeObject } from './support/kubernetesManifests.ts';

const seed = 424242;
const runs = 2;
const manifestNamespace = 'endpoints-conformance';

interface Summary {
  verdict: string;
  totals: { cases: number; requests: number; failed: number; skipped: number; notRun: number };
  checks: Array<{ name: string; applicable: number; passed: number; failed: number; upstream: number }>;
  categories: Array<{ name: string; cases: number; failed: number; skipped: number; skipReasons: Record<string, number> }>;
  cleanup: { deleted: string[]; failed: Array<{ name: string; error: string }>; leftOver: string[]; verified: boolean };
  failingCases: Array<{ category: string; check: string; actual: string }>;
  notes: string[];
}

function summaryOf(reportDir: string): Summary {
  return JSON.parse(readFileSync(path.join(reportDir, 'summary.json'), 'utf8')) as Summary;
}

describe('in-cluster: the manifests and the harness on a real kube-apiserver', function () {
  let plane: RunningControlPlane;
  let work: string;
  let podEnv: NodeJS.ProcessEnv;
  const rbac = (): KubeObject[] => readManifests('deploy/kubernetes/rbac.yaml');

  /** A folder laid out like /var/run/secrets/kubernetes.io/serviceaccount, for `name` in `namespace`. */
  async function serviceAccountMount(namespace: string, name: string): Promise<string> {
    const dir = path.join(work, `sa-${namespace}-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'token'), await serviceAccountToken(plane, namespace, name), { mode: 0o600 });
    writeFileSync(path.join(dir, 'ca.crt'), readFileSync(plane.caFile));
    writeFileSync(path.join(dir, 'namespace'), namespace);
    return dir;
  }

  /**
   * The command line of a Job in deploy/kubernetes (container args), with this machine's folders
   * for the pod's mount points, a modest --runs, and `--skip` extended by `skipMore`.
   */
  function jobArgs(manifest: string, jobName: string, local: { saDir: string; readerTokenFile: string; reportDir: string }, skipMore: string[] = []): string[] {
    const job = readManifests(manifest).find((object) => object.kind === 'Job' && object.metadata.name === jobName);
    if (job === undefined) throw new Error(`no Job ${jobName} in ${manifest}`);
    const args = (job.spec as { template: { spec: { containers: Array<{ args: string[] }> } } }).template.spec.containers[0]!.args;
    const local_ = args.map((arg) => {
      const [flag, value] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
      if (flag === '--readonly-token-file') return `${flag}=${local.readerTokenFile}`;
      if (flag === '--report-dir') return `${flag}=${local.reportDir}`;
      if (flag === '--runs') return `${flag}=${runs}`;
      if (flag === '--seed') return `${flag}=${seed}`;
      if (flag === '--skip') return `${flag}=${[value, ...skipMore].join(',')}`;
      return arg;
    });
    return [...local_, '--service-account-dir', local.saDir];
  }

  /** Applies rbac.yaml (minus `dropRule`) in a new namespace and returns the two identities' mounts. */
  async function identities(namespace: string, dropRule?: number, clusterWide = false): Promise<{ saDir: string; readerTokenFile: string }> {
    const optional = clusterWide ? readManifests('deploy/kubernetes/rbac-cluster-namespace-missing.yaml') : [];
    const objects = inNamespace([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, ...rbac(), ...optional], namespace);
    if (dropRule !== undefined) {
      const role = objects.find((object) => object.kind === 'Role' && object.metadata.name === 'endpoints-conformance')!;
      (role.rules as unknown[]).splice(dropRule, 1);
    }
    await applyManifests(plane, objects);
    const user = `system:serviceaccount:${namespace}:endpoints-conformance`;
    await waitForAccess(plane, user, namespace, 'endpoints', 'list', dropRule !== 0);
    const saDir = await serviceAccountMount(namespace, 'endpoints-conformance');
    const readerTokenFile = path.join(work, `reader-${namespace}`);
    writeFileSync(readerTokenFile, await serviceAccountToken(plane, namespace, 'endpoints-conformance-reader'), { mode: 0o600 });
    return { saDir, readerTokenFile };
  }

  before(async function () {
    plane = await controlPlaneOrSkip(this);
    work = mkdtempSync(path.join(os.tmpdir(), 'ec-in-cluster-'));
    const url = new URL(plane.url);
    // what a pod sees; nothing that would point the harness elsewhere
    podEnv = { PATH: process.env.PATH, HOME: work, KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port };
  });

  after(function () {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('accepts every manifest meant for all releases with validation (dry run), then applies them', async function () {
    this.timeout(60_000);
    const everyRelease = [
      ...readManifests('deploy/kubernetes/namespace.yaml'),
      ...rbac(),
      ...readManifests('deploy/kubernetes/job.yaml'),
      ...readManifests('deploy/kubernetes/sharded/jobs-3-shards.yaml'),
    ];
    assert.equal(everyRelease.filter((object) => object.kind === 'Job').length, 4);
    await applyManifests(plane, everyRelease);
    for (const object of everyRelease.filter((object) => object.kind === 'Job')) {
      const stored = await plane.api('GET', `/apis/batch/v1/namespaces/${manifestNamespace}/jobs/${object.metadata.name}`);
      assert.equal(stored.status, 200);
    }

    // The Sonobuoy plugin has no Kubernetes object of its own: Sonobuoy wraps its container in a
    // pod. The same wrapping is validated here (dry run), with the plugin's results volume (no
    // controller-manager here: no "default" ServiceAccount, no token Secrets, so an existing
    // account and no token mount).
    const plugin = readManifests('deploy/sonobuoy/endpoints-conformance-plugin.yaml')[0]! as unknown as {
      'sonobuoy-config': { driver: string; 'result-format': string };
      spec: Record<string, unknown>;
    };
    assert.equal(plugin['sonobuoy-config'].driver, 'Job');
    assert.equal(plugin['sonobuoy-config']['result-format'], 'junit');
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sonobuoy-plugin-check', namespace: manifestNamespace },
      spec: { restartPolicy: 'Never', serviceAccountName: 'endpoints-conformance', automountServiceAccountToken: false, containers: [plugin.spec], volumes: [{ name: 'results', emptyDir: {} }] },
    };
    const dryRun = await createObject(plane, pod, true);
    assert.equal(dryRun.status, 201, dryRun.text.slice(0, 300));

    // The Indexed Job is for 1.24+: this 1.20 apiserver does not know completionMode and drops it,
    // which would leave the pods without JOB_COMPLETION_INDEX (so it is not in the every-release set).
    const indexed = readManifests('deploy/kubernetes/sharded/indexed-job-1.24.yaml')[0]!;
    assert.equal((indexed.spec as { completionMode?: string }).completionMode, 'Indexed');
    if (plane.version.startsWith('v1.20.')) {
      const answer = await createObject(plane, indexed, true);
      const kept = (answer.body as { spec?: { completionMode?: string } }).spec?.completionMode;
      assert.ok(answer.status !== 201 || kept === undefined, `1.20 kept completionMode: ${answer.status}`);
    }
  });

  it('runs in-cluster with the ServiceAccount token and passes with zero failures; the results ConfigMap merges', async function () {
    this.timeout(90_000);
    const namespace = 'ec-in-cluster';
    const { saDir, readerTokenFile } = await identities(namespace);
    const reportDir = path.join(work, 'in-cluster-report');
    const args = jobArgs('deploy/kubernetes/job.yaml', 'endpoints-conformance', { saDir, readerTokenFile, reportDir });
    const run = await runConformanceCli(args, podEnv);
    assert.equal(run.code, 0, `${run.stdout.slice(-1500)}\n${run.stderr.slice(-800)}`);
    assert.match(run.stderr, /in-cluster, service account token from/);
    const summary = summaryOf(reportDir);
    assert.equal(summary.verdict, 'pass', JSON.stringify(summary.failingCases.slice(0, 5)) + summary.notes.join('; '));
    assert.equal(summary.totals.failed, 0);
    assert.equal(summary.totals.notRun, 0);
    assert.equal(summary.totals.skipped, 0, 'every selected category ran, the read-only one too');
    assert.deepEqual(
      summary.categories.map((category) => category.name).filter((name) => name === 'namespace-missing'),
      [],
    );
    assert.ok(summary.categories.find((category) => category.name === 'auth-readonly')!.cases > 0);
    assert.deepEqual(summary.cleanup.leftOver, []);
    assert.equal(summary.cleanup.verified, true);
    // no --in-cluster: a process with KUBERNETES_SERVICE_HOST and a token goes in-cluster on its own
    const again = jobArgs('deploy/kubernetes/job.yaml', 'endpoints-conformance', { saDir, readerTokenFile, reportDir: path.join(work, 'again') }).filter((arg) => arg !== '--in-cluster');
    const run2 = await runConformanceCli([...again, '--only', 'valid-endpoints'], podEnv);
    assert.match(run2.stderr, /warning: no target named and this is a pod .* running in-cluster/);
    assert.equal(run2.code, 2, 'a ConfigMap from an earlier run is never replaced');
    assert.match(run2.stderr, /already exists/);

    // collect (what `kubectl get configmaps -l endpoints-conformance/results=true -o json` prints) and merge
    const list = await plane.api('GET', `/api/v1/namespaces/${namespace}/configmaps?labelSelector=${encodeURIComponent('endpoints-conformance/results=true')}`);
    assert.equal(list.status, 200);
    assert.equal((list.body as { items: unknown[] }).items.length, 1);
    const listFile = path.join(work, 'results.json');
    writeFileSync(listFile, list.text);
    const merged = await runConformanceCli(['merge', listFile, '--report-dir', path.join(work, 'collected')], podEnv);
    assert.equal(merged.code, 0, merged.stderr);
    const collected = summaryOf(path.join(work, 'collected'));
    assert.deepEqual(collected.totals, summary.totals);
    assert.deepEqual(collected.checks, summary.checks);
  });

  it('picks up a replaced token file during the run (projected tokens rotate)', async function () {
    this.timeout(90_000);
    const namespace = 'ec-rotation';
    const { saDir, readerTokenFile } = await identities(namespace);
    const reportDir = path.join(work, 'report-rotation');
    const args = jobArgs('deploy/kubernetes/job.yaml', 'endpoints-conformance', { saDir, readerTokenFile, reportDir }).filter((arg) => !arg.startsWith('--results-configmap'));
    // Once the run has started, the mounted token is swapped for one that may do nothing here (the
    // reader's): if the harness re-reads the file, its next requests are refused with 403. The
    // token file is looked at once a second; the rate limit makes the run last several seconds
    // (about 200 requests at 50/s) however fast the machine, so the swap falls inside it.
    const run = await new Promise<CliRun>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(projectRoot, 'cli/conformance.mjs'), ...args, '--runs', '3', '--rate-limit', '50'], { cwd: projectRoot, env: podEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let swapped = false;
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!swapped && /^run \S+, seed/m.test(stderr)) {
          swapped = true;
          writeFileSync(path.join(saDir, 'token.new'), readFileSync(readerTokenFile));
          renameSync(path.join(saDir, 'token.new'), path.join(saDir, 'token'));
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const summary = summaryOf(reportDir);
    assert.equal(summary.verdict, 'fail', 'the run went on with the old token');
    assert.ok(summary.failingCases.some((failure) => failure.actual === 'HTTP 403'), JSON.stringify(summary.failingCases.slice(0, 3)));
    assert.ok(summary.cleanup.failed.some((failure) => /403/.test(failure.error)), 'cleanup, later still, uses the new token too');
    const reader = readFileSync(readerTokenFile, 'utf8');
    assert.ok(!run.stdout.includes(reader) && !readFileSync(path.join(reportDir, 'run-result.json'), 'utf8').includes(reader), 'both tokens are masked');
  });

  it('tests namespace-missing only with the optional cluster-wide rule (403 before 404 without it)', async function () {
    this.timeout(60_000);
    const run = async (namespace: string, clusterWide: boolean): Promise<Summary> => {
      const { saDir, readerTokenFile } = await identities(namespace, undefined, clusterWide);
      const reportDir = path.join(work, `report-${namespace}`);
      const answer = await runConformanceCli(['--in-cluster', '--service-account-dir', saDir, '--readonly-token-file', readerTokenFile, '--seed', String(seed), '--runs', '3', '--only', 'namespace-missing', '--report-dir', reportDir], podEnv);
      assert.notEqual(answer.code, 2, answer.stderr);
      return summaryOf(reportDir);
    };
    const [withRule, without] = await Promise.all([run('ec-ns-missing-granted', true), run('ec-ns-missing-denied', false)]);
    assert.equal(withRule.verdict, 'pass', JSON.stringify(withRule.failingCases));
    assert.equal(without.verdict, 'fail');
    assert.ok(without.failingCases.some((failure) => failure.check === 'status_code_conformance' && failure.actual === 'HTTP 403'), JSON.stringify(without.failingCases));
  });

  it('needs every rule of the Role: without any one of them the run fails the way the report explains', async function () {
    this.timeout(120_000);
    const rules = (rbac().find((object) => object.kind === 'Role')!.rules as Array<{ resources: string[]; verbs: string[] }>).map(
      (rule) => `${rule.verbs.join(',')} ${rule.resources.join(',')}`,
    );
    assert.deepEqual(rules, ['list endpoints', 'get endpoints', 'create endpoints', 'update endpoints', 'delete endpoints', 'create configmaps']);
    const outcomes = await Promise.all(
      rules.map(async (rule, index) => {
        const namespace = `ec-lp-${rule.replace(/\W+/g, '-')}`;
        const { saDir, readerTokenFile } = await identities(namespace, index);
        const reportDir = path.join(work, `report-${namespace}`);
        const args = jobArgs('deploy/kubernetes/job.yaml', 'endpoints-conformance', { saDir, readerTokenFile, reportDir });
        // a few cases that create, replace, read back and clean up are enough to show each rule's use
        const run = await runConformanceCli([...args, '--runs', '1', '--only', 'valid-endpoints,valid-dry-run,create-then-replace'], podEnv);
        let summary: Summary | undefined;
        try {
          summary = summaryOf(reportDir);
        } catch {
          summary = undefined;
        }
        return { rule, run, summary };
      }),
    );
    const explained = (rule: string, run: CliRun, summary: Summary | undefined): string | undefined => {
      const stats = `${rule}: exit ${run.code}; ${run.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
      switch (rule) {
        case 'list endpoints':
          // the preflight refuses to write: verdict error (access-denied), exit 2, and the reports say why
          return run.code === 2 && /may not list Endpoints/.test(run.stderr) && summary?.verdict === 'error' ? undefined : stats;
        case 'get endpoints':
          // GET-after-write cases fail with 403, and cleanup cannot read objects back, and says so
          return summary?.verdict === 'fail' &&
            summary.failingCases.some((failure) => failure.actual.includes('403')) &&
            summary.cleanup.failed.some((failure) => /could not read it back: 403/.test(failure.error))
            ? undefined
            : `${stats} ${JSON.stringify(summary?.failingCases.slice(0, 2))} ${JSON.stringify(summary?.cleanup.failed.slice(0, 2))}`;
        case 'create endpoints':
        case 'update endpoints':
          return summary?.verdict === 'fail' &&
            summary.failingCases.some((failure) => failure.check === 'status_code_conformance' && failure.actual === 'HTTP 403')
            ? undefined
            : `${stats} ${JSON.stringify(summary?.failingCases.slice(0, 2))}`;
        case 'delete endpoints':
          // cleanup cannot delete, says which objects are left and why
          return summary !== undefined &&
            summary.cleanup.leftOver.length > 0 &&
            summary.cleanup.failed.some((failure) => /delete failed: 403/.test(failure.error)) &&
            summary.notes.some((note) => /cleanup left \d+ object/.test(note)) &&
            /cleanup left/.test(run.stdout)
            ? undefined
            : `${stats} ${JSON.stringify(summary?.cleanup)}`;
        case 'create configmaps':
          // the run itself passes, but its results cannot be stored for collection: exit 2, says why
          return run.code === 2 && /cannot store the results: .*forbidden/i.test(run.stderr) && summary?.verdict === 'pass' ? undefined : stats;
        default:
          return `${rule}: no expectation written for this rule`;
      }
    };
    const unexplained = outcomes.map(({ rule, run, summary }) => explained(rule, run, summary)).filter((problem) => problem !== undefined);
    assert.deepEqual(unexplained, []);
  });

  it('runs the three shard Jobs in parallel; merged they equal one unsharded run with the same seed', async function () {
    this.timeout(120_000);
    const namespace = 'ec-shards';
    const { saDir, readerTokenFile } = await identities(namespace);
    const manifest = 'deploy/kubernetes/sharded/jobs-3-shards.yaml';
    const shardJobs = readManifests(manifest).map((job) => job.metadata.name);
    assert.deepEqual(shardJobs, [1, 2, 3].map((index) => `endpoints-conformance-shard-${index}-of-3`));
    const local = (name: string): { saDir: string; readerTokenFile: string; reportDir: string } => ({ saDir, readerTokenFile, reportDir: path.join(work, `report-${name}`) });
    const [whole, ...shards] = await Promise.all([
      runConformanceCli(jobArgs('deploy/kubernetes/job.yaml', 'endpoints-conformance', local('whole')), podEnv),
      ...shardJobs.map((name) => runConformanceCli(jobArgs(manifest, name, local(name)), podEnv)),
    ]);
    for (const run of [whole!, ...shards]) assert.equal(run.code, 0, `${run.stdout.slice(-800)}\n${run.stderr.slice(-500)}`);

    // collected from the cluster, as the README says
    const list = await plane.api('GET', `/api/v1/namespaces/${namespace}/configmaps?labelSelector=${encodeURIComponent('endpoints-conformance/results=true')}`);
    const items = (list.body as { items: Array<{ metadata: { name: string; labels: Record<string, string> } }> }).items;
    assert.equal(items.length, 4);
    const shardList = { ...(list.body as object), items: items.filter((item) => item.metadata.labels['endpoints-conformance/shard'] !== undefined) };
    const listFile = path.join(work, 'shard-results.json');
    writeFileSync(listFile, JSON.stringify(shardList));
    const mergedDir = path.join(work, 'report-merged');
    const merge = await runConformanceCli(['merge', listFile, '--report-dir', mergedDir], podEnv);
    assert.equal(merge.code, 0, `${merge.stdout.slice(-800)}\n${merge.stderr}`);

    const one = summaryOf(local('whole').reportDir);
    const merged = summaryOf(mergedDir);
    const parts = shardJobs.map((name) => summaryOf(local(name).reportDir));
    assert.ok(parts.every((part) => part.categories.length > 0 && part.categories.length < one.categories.length), 'each shard ran a part');
    assert.equal(merged.verdict, one.verdict);
    assert.equal(merged.totals.cases, one.totals.cases);
    assert.equal(merged.totals.requests, one.totals.requests);
    assert.deepEqual(merged.totals, one.totals);
    assert.deepEqual(merged.checks, one.checks);
    assert.deepEqual(
      merged.categories.map(({ name, cases, failed, skipped }) => ({ name, cases, failed, skipped })),
      one.categories.map(({ name, cases, failed, skipped }) => ({ name, cases, failed, skipped })),
    );
  });

  it("builds the image without a registry or daemon (umoci); the Job's command line runs in its production install", async function () {
    this.timeout(240_000);
    const which = (command: string): string => {
      try {
        return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    };
    const chroot = which('chroot');
    if (chroot === '' || process.getuid?.() !== 0) {
      console.log('      (skipped: running the image file system with chroot needs root and chroot)');
      this.skip();
    }
    // without umoci (.ci/run installs it) the same file system is built and run, but no image made
    const withUmoci = which('umoci') !== '';
    if (!withUmoci) console.log('      (umoci is not installed: the image file system is built and run, no OCI layout is made)');
    const layout = path.join(work, 'image-layout');
    const rootfs = path.join(work, 'image-rootfs');
    // the production install (npm ci --omit=dev in a clean copy) is kept between runs, by lockfile hash
    const npmCache = path.join(os.tmpdir(), 'endpoints-conformance-image-npm');
    execFileSync(path.join(projectRoot, 'deploy/image/build-oci-image.sh'), [layout, 'test'], {
      env: { ...process.env, ENDPOINTS_CONFORMANCE_NPM_CACHE: npmCache, KEEP_ROOTFS: rootfs, ...(withUmoci ? {} : { ROOTFS_ONLY: '1' }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // devDependencies that no production dependency pulls in are not there
    for (const devOnly of ['autocannon', '@types/mocha', '@types/supertest']) assert.ok(!existsSync(path.join(rootfs, 'app/node_modules', devOnly)), devOnly);
    // the entry runs the compiled CLI, not the sources through tsx
    const app = path.join(rootfs, 'app');
    assert.equal(chooseEntry(app, path.join(app, 'cli/conformance.ts'), path.join(app, 'dist/cli/conformance.js')).kind, 'compiled');

    let config = { User: '10001:10001', Entrypoint: ['/usr/local/bin/node', '/app/cli/conformance.mjs'], Cmd: ['--help'], Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production'] };
    if (withUmoci) {
      // the image's own config, as a runtime reads it from the layout
      const blob = (digest: string): unknown => JSON.parse(readFileSync(path.join(layout, 'blobs', ...digest.split(':')), 'utf8'));
      const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations?: Record<string, string> }> };
      const entry = index.manifests.find((manifest) => manifest.annotations?.['org.opencontainers.image.ref.name'] === 'test')!;
      const manifest = blob(entry.digest) as { config: { digest: string }; layers: unknown[] };
      assert.equal(manifest.layers.length, 1);
      config = (blob(manifest.config.digest) as { config: typeof config }).config;
      assert.equal(config.User, '10001:10001', 'non-root, numeric');
      assert.deepEqual(config.Entrypoint, ['/usr/local/bin/node', '/app/cli/conformance.mjs']);
    }
    const imageEnv = Object.fromEntries(config.Env.map((pair) => pair.split(/=(.*)/s, 2) as [string, string]));

    const inImage = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> =>
      new Promise((resolve, reject) => {
        const child = spawn(chroot, ['--userspec=10001:10001', rootfs, ...config.Entrypoint, ...args], { cwd: '/', env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const help = await inImage(config.Cmd, imageEnv);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: endpoints-conformance/);

    // the pod's mounts, where the Job puts them; then the Job's own arguments (fewer cases)
    const namespace = 'ec-image';
    const { saDir, readerTokenFile } = await identities(namespace);
    cpSync(saDir, path.join(rootfs, 'var/run/secrets/kubernetes.io/serviceaccount'), { recursive: true });
    mkdirSync(path.join(rootfs, 'var/run/secrets/endpoints-conformance-reader'), { recursive: true });
    cpSync(readerTokenFile, path.join(rootfs, 'var/run/secrets/endpoints-conformance-reader/token'));
    mkdirSync(path.join(rootfs, 'results'));
    // the kubelet makes mounted secrets readable by the pod's fsGroup (10001 in job.yaml)
    for (const file of ['results', 'var/run/secrets/kubernetes.io/serviceaccount/token', 'var/run/secrets/endpoints-conformance-reader/token']) {
      chownSync(path.join(rootfs, file), 10001, 10001);
    }
    const job = readManifests('deploy/kubernetes/job.yaml')[0]!;
    const args = (job.spec as { template: { spec: { containers: Array<{ args: string[] }> } } }).template.spec.containers[0]!.args.map((arg) =>
      arg.startsWith('--runs=') ? '--runs=1' : arg,
    );
    const run = await inImage(args, { ...imageEnv, KUBERNETES_SERVICE_HOST: podEnv.KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT: podEnv.KUBERNETES_SERVICE_PORT });
    assert.equal(run.code, 0, `${run.stdout.slice(-800)}\n${run.stderr.slice(-800)}`);
    const summary = summaryOf(path.join(rootfs, 'results'));
    assert.equal(summary.verdict, 'pass', JSON.stringify(summary.failingCases.slice(0, 3)));
    assert.equal(summary.totals.skipped, 0);
    const stored = await plane.api('GET', `/api/v1/namespaces/${namespace}/configmaps/endpoints-conformance-results`);
    assert.equal(stored.status, 200, 'the results were stored for collection');
  });
});

/**
 * Certification bundles: a bundle made from a run verifies; a changed byte in any file, reports
 * that disagree (even with their hashes recomputed), a different contract, a missing product
 * manifest field, and a damaged archive do not. Also through the command line: `--bundle` on a
 * run, `bundle` over a report folder, `verify-bundle` (exit 0 / 1 / 2).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { create, extract } from 'tar';
import { bundlePaths, bundleRoot, parseSha256Sums, sha256SumsText } from '../harness/bundle/bundleLayout.ts';
import { makeBundle } from '../harness/bundle/makeBundle.ts';
import { verifyBundle } from '../harness/bundle/verifyBundle.ts';
import { defaultContractPath } from '../spec/loadContract.ts';
import { oneLineError, runConformanceCli } from './support/conformanceCli.ts';

const product = { vendor: 'Example Cloud', name: 'Example Kubernetes Engine', version: '1.2.3', documentation_url: 'https://docs.example.com/endpoints' };
const productYaml = 'vendor: Example Cloud\nname: Example Kubernetes Engine\nversion: 1.2.3\ndocumentation_url: https://docs.example.com/endpoints\n';

/** Unpacks a bundle, lets `change` edit the files, optionally rewrites SHA256SUMS to match, packs it again. */
async function repack(bundle: string, out: string, change: (root: string) => Promise<void>, rehash: boolean): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'bundle-repack-'));
  try {
    await extract({ file: bundle, cwd: work });
    const root = path.join(work, bundleRoot);
    await change(root);
    if (rehash) {
      const sums = parseSha256Sums(await readFile(path.join(root, bundlePaths.sums), 'utf8'));
      assert.ok(sums !== undefined);
      const files = await Promise.all(
        [...sums.keys()].map(async (file) => ({ path: file, sha256: createHash('sha256').update(await readFile(path.join(root, file))).digest('hex') })),
      );
      await writeFile(path.join(root, bundlePaths.sums), sha256SumsText(files));
    }
    await create({ gzip: true, file: out, cwd: work, portable: true }, [bundleRoot]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

describe('certification bundles', function () {
  this.timeout(120_000);
  let scratch: string;
  let reportDir: string;
  let bundle: string;

  before(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'bundle-spec-'));
    reportDir = path.join(scratch, 'reports');
    bundle = path.join(scratch, 'run.tar.gz');
    await writeFile(path.join(scratch, 'PRODUCT.yaml'), productYaml);
    // one real run (small), bundled by the run itself
    const run = await runConformanceCli([
      '--runs', '2', '--seed', '5', '--fault', 'accept-loopback-ip', '--only', 'ip-loopback,valid-endpoints,create-then-replace',
      '--report-dir', reportDir, '--bundle', bundle, '--product', path.join(scratch, 'PRODUCT.yaml'),
    ]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /bundle .*run\.tar\.gz: verified \(9 files/);
  });

  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('a bundle made from a run verifies, and says the run\'s verdict and the product', async () => {
    const verification = await verifyBundle(bundle);
    assert.deepEqual(verification.problems, []);
    assert.equal(verification.ok, true);
    assert.equal(verification.verdict, 'fail');
    assert.ok((verification.totals?.failed ?? 0) > 0);
    assert.deepEqual(verification.product, product);
    assert.equal(verification.files, 9, 'three reports, mochawesome, run log, contract, product, BUNDLE.json, SHA256SUMS');
  });

  it('a changed byte in any file is caught, naming the file', async () => {
    const gz = await readFile(bundle);
    const tarBytes = gunzipSync(gz);
    for (const marker of ['"verdict": "fail"', 'negative_data_rejection', 'openapi: 3.0', 'vendor: Example Cloud']) {
      const at = tarBytes.indexOf(marker);
      assert.ok(at > 0, marker);
      const changed = Buffer.from(tarBytes);
      changed[at + marker.length - 2] ^= 0x01;
      const file = path.join(scratch, 'tampered.tar.gz');
      await writeFile(file, gzipSync(changed));
      const verification = await verifyBundle(file);
      assert.equal(verification.ok, false, marker);
      assert.ok(verification.problems.some((problem) => / was changed: its SHA-256 is /.test(problem)), verification.problems.join('\n'));
    }
    const damaged = Buffer.from(gz);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    const file = path.join(scratch, 'damaged.tar.gz');
    await writeFile(file, damaged);
    const verification = await verifyBundle(file);
    assert.equal(verification.ok, false);
    assert.match(verification.problems.join('\n'), /not a readable \.tar\.gz bundle|was changed/);
  });

  it('reports that disagree are caught even when the hashes were recomputed', async () => {
    const file = path.join(scratch, 'disagree.tar.gz');
    await repack(
      bundle,
      file,
      async (root) => {
        const summaryFile = path.join(root, bundlePaths.summary);
        const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as { verdict: string; totals: { failed: number } };
        summary.verdict = 'pass';
        summary.totals.failed = 0;
        await writeFile(summaryFile, JSON.stringify(summary, null, 2));
      },
      true,
    );
    const verification = await verifyBundle(file);
    assert.equal(verification.ok, false);
    const problems = verification.problems.join('\n');
    assert.doesNotMatch(problems, /was changed/);
    for (const report of ['index.html', 'junit.xml', 'mochawesome.html']) {
      assert.match(problems, new RegExp(`${report.replace('.', '\\.')} says verdict fail, summary\\.json says pass`));
      assert.match(problems, new RegExp(`${report.replace('.', '\\.')} has totals`));
    }
  });

  it('a contract other than the one the harness ships is named, with both hashes', async () => {
    const file = path.join(scratch, 'contract.tar.gz');
    await repack(bundle, file, (root) => writeFile(path.join(root, bundlePaths.contract), `${'# edited\n'}${productYaml}`), true);
    const verification = await verifyBundle(file);
    assert.equal(verification.ok, false);
    assert.match(verification.problems.join('\n'), /the contract in the bundle \(sha256 [0-9a-f]{64}\) is not the one this harness ships \([0-9a-f]{64}\)/);
    assert.match(verification.problems.join('\n'), /the run used the contract sha256 [0-9a-f]{64}, the bundle holds/);
  });

  it('a file added or removed after packing is caught', async () => {
    const added = path.join(scratch, 'added.tar.gz');
    await repack(bundle, added, (root) => writeFile(path.join(root, 'reports/extra.txt'), 'hello'), false);
    assert.match((await verifyBundle(added)).problems.join('\n'), /reports\/extra\.txt is not listed in SHA256SUMS/);
    const removed = path.join(scratch, 'removed.tar.gz');
    await repack(bundle, removed, (root) => rm(path.join(root, bundlePaths.runLog)), false);
    assert.match((await verifyBundle(removed)).problems.join('\n'), /reports\/run\.log is listed in SHA256SUMS but missing/);
  });

  it('`bundle` over a report folder and `verify-bundle` on the command line: exit 0, 1 and 2', async () => {
    const made = path.join(scratch, 'cli.tar.gz');
    const bundled = await runConformanceCli([
      'bundle', '--report-dir', reportDir, '--out', made,
      '--vendor', product.vendor, '--product-name', product.name, '--product-version', product.version, '--docs-url', product.documentation_url,
    ]);
    assert.equal(bundled.code, 0, bundled.stdout + bundled.stderr);
    const verified = await runConformanceCli(['verify-bundle', made]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^verdict of the run: fail — \d+ cases, \d+ failed/m);
    assert.match(verified.stdout, /^product: Example Cloud Example Kubernetes Engine 1\.2\.3/m);
    assert.match(verified.stdout, /verified \(9 files/);

    const tampered = path.join(scratch, 'cli-tampered.tar.gz');
    const tarBytes = gunzipSync(await readFile(made));
    tarBytes[tarBytes.indexOf('Example Kubernetes Engine') + 3] ^= 0x20;
    await writeFile(tampered, gzipSync(tarBytes));
    const caught = await runConformanceCli(['verify-bundle', tampered]);
    assert.equal(caught.code, 1, caught.stdout + caught.stderr);
    assert.match(caught.stdout, /problem: PRODUCT\.yaml was changed/);
    assert.match(caught.stdout, /NOT verified/);

    const usage: Array<[string[], RegExp]> = [
      [['verify-bundle', path.join(scratch, 'missing.tar.gz')], /cannot read the bundle/],
      [['bundle', '--out', made, '--report-dir', reportDir, '--vendor', 'A'], /needs --product-name, --product-version, --docs-url/],
      [['bundle', '--out', made, '--report-dir', path.join(scratch, 'nothing-here'), '--product', path.join(scratch, 'PRODUCT.yaml')], /index\.html is missing/],
      [['--bundle', made], /--bundle needs --product/],
    ];
    const runs = await Promise.all(usage.map(([args]) => runConformanceCli(args)));
    runs.forEach((run, index) => {
      const line = oneLineError(run);
      assert.ok(line !== undefined, `exit 2 with one line for ${usage[index][0].join(' ')}: ${run.code} ${run.stderr}`);
      assert.match(line, usage[index][1]);
    });
  });

  it('makeBundle refuses a product manifest that is incomplete, and a folder without reports', async () => {
    const badProduct = path.join(scratch, 'bad-product.yaml');
    await writeFile(badProduct, 'vendor: X\nname: Y\n');
    const run = await runConformanceCli(['bundle', '--out', path.join(scratch, 'x.tar.gz'), '--report-dir', reportDir, '--product', badProduct]);
    assert.match(oneLineError(run) ?? run.stderr, /lacks version, documentation_url/);
    const empty = path.join(scratch, 'empty');
    await mkdir(empty, { recursive: true });
    const outcome = await makeBundle({ reportDir: empty, outFile: path.join(scratch, 'y.tar.gz'), product, contractPath: defaultContractPath });
    assert.equal(outcome.ok, false);
  });
});

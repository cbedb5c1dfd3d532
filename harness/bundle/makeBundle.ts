/** Makes a certification bundle from a finished report folder (see bundleLayout.ts): the files
 * are staged in a temporary folder, hashed, and packed with `tar` (gzip, portable headers). */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from 'tar';
import { defaultContractPath } from '../../spec/loadContract.ts';
import { harnessVersion } from '../run/harnessVersion.ts';
import { bundlePaths, bundleRoot, reportFiles, sha256SumsText } from './bundleLayout.ts';
import type { BundleRecord } from './bundleLayout.ts';
import { manifestYaml } from './productManifest.ts';
import type { ProductManifest } from './productManifest.ts';

export interface BundleRequest {
  reportDir: string;
  outFile: string;
  product: ProductManifest;
  /** Default: the contract the harness ships. */
  contractPath?: string;
}

export type BundleOutcome = { ok: true; file: string; files: BundleRecord['files'] } | { ok: false; error: string };

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function makeBundle(request: BundleRequest): Promise<BundleOutcome> {
  const contents = new Map<string, Buffer>();
  for (const report of reportFiles) {
    const bytes = await readIfPresent(path.join(request.reportDir, report.name));
    if (bytes === undefined) {
      if (report.required) return { ok: false, error: `${path.join(request.reportDir, report.name)} is missing: is ${request.reportDir} the report folder of a finished run?` };
      continue;
    }
    contents.set(report.inBundle, bytes);
  }
  let summary: { runId?: unknown; verdict?: unknown; harnessVersion?: unknown; command?: unknown; specSha256?: unknown };
  try {
    summary = JSON.parse((contents.get(bundlePaths.summary) ?? Buffer.alloc(0)).toString('utf8')) as typeof summary;
  } catch {
    return { ok: false, error: `${path.join(request.reportDir, 'summary.json')} is not JSON` };
  }
  const contractPath = request.contractPath ?? defaultContractPath;
  const contract = await readIfPresent(contractPath);
  if (contract === undefined) return { ok: false, error: `cannot read the contract ${contractPath}` };
  contents.set(bundlePaths.contract, contract);
  contents.set(bundlePaths.product, Buffer.from(manifestYaml(request.product)));

  const files = [...contents.entries()].map(([file, bytes]) => ({ path: file, bytes: bytes.length, sha256: sha256(bytes) }));
  const record: BundleRecord = {
    format: 'endpoints-conformance-bundle/1',
    createdAt: new Date().toISOString(),
    harnessVersion: harnessVersion(),
    run: {
      runId: String(summary.runId),
      verdict: String(summary.verdict),
      harnessVersion: String(summary.harnessVersion),
      ...(typeof summary.command === 'string' ? { command: summary.command } : {}),
      specSha256: String(summary.specSha256),
    },
    files,
  };
  const recordBytes = Buffer.from(`${JSON.stringify(record, null, 2)}\n`);
  contents.set(bundlePaths.record, recordBytes);
  contents.set(bundlePaths.sums, Buffer.from(sha256SumsText([...files, { path: bundlePaths.record, sha256: sha256(recordBytes) }])));

  const stage = await mkdtemp(path.join(tmpdir(), 'conformance-bundle-'));
  try {
    for (const [file, bytes] of contents) {
      const target = path.join(stage, bundleRoot, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    const outFile = path.resolve(request.outFile);
    await mkdir(path.dirname(outFile), { recursive: true });
    await create({ gzip: true, file: outFile, cwd: stage, portable: true }, [bundleRoot]);
    return { ok: true, file: outFile, files };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** Checks a certification bundle: every file's SHA-256 against SHA256SUMS (nothing missing, nothing
 * extra), BUNDLE.json against the same hashes, the product manifest, that the reports agree with
 * each other (verdict and totals), and that the contract in the bundle is the one this harness
 * ships and the one the run used. Reads the .tar.gz with `tar`, in memory. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { list } from 'tar';
import type { ReadEntry } from 'tar';
import { defaultContractPath } from '../../spec/loadContract.ts';
import { harnessVersion } from '../run/harnessVersion.ts';
import { bundlePaths, bundleRoot, parseSha256Sums } from './bundleLayout.ts';
import type { BundleRecord } from './bundleLayout.ts';
import { parseManifest } from './productManifest.ts';
import type { ProductManifest } from './productManifest.ts';
import { reportDisagreements, reportStatements } from './reportAgreement.ts';

export interface BundleVerification {
  /** True when no problem was found. */
  ok: boolean;
  problems: string[];
  /** Facts worth saying that are not problems (e.g. made by another harness version). */
  notes: string[];
  verdict?: string;
  totals?: { cases: number; requests: number; failed: number; skipped: number; notRun: number };
  product?: ProductManifest;
  files: number;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readEntries(file: string): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  await list({
    file,
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        if (entry.type === 'File' || entry.type === 'OldFile') entries.set(entry.path, Buffer.concat(chunks));
      });
    },
  });
  return entries;
}

export async function verifyBundle(file: string, contractPath: string = defaultContractPath): Promise<BundleVerification> {
  const problems: string[] = [];
  const notes: string[] = [];
  let raw: Map<string, Buffer>;
  try {
    raw = await readEntries(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, problems: [`not a readable .tar.gz bundle: ${reason}`], notes, files: 0 };
  }
  const files = new Map<string, Buffer>();
  for (const [entryPath, bytes] of raw) {
    if (!entryPath.startsWith(`${bundleRoot}/`)) problems.push(`unexpected file outside ${bundleRoot}/: ${entryPath}`);
    else files.set(entryPath.slice(bundleRoot.length + 1), bytes);
  }

  const sumsBytes = files.get(bundlePaths.sums);
  const sums = sumsBytes === undefined ? undefined : parseSha256Sums(sumsBytes.toString('utf8'));
  if (sums === undefined) problems.push(sumsBytes === undefined ? `${bundlePaths.sums} is missing` : `${bundlePaths.sums} is not in sha256sum's format`);
  else {
    for (const [listed, expected] of sums) {
      const bytes = files.get(listed);
      if (bytes === undefined) problems.push(`${listed} is listed in ${bundlePaths.sums} but missing`);
      else if (sha256(bytes) !== expected) problems.push(`${listed} was changed: its SHA-256 is ${sha256(bytes)}, ${bundlePaths.sums} says ${expected}`);
    }
    for (const present of files.keys()) {
      if (present !== bundlePaths.sums && !sums.has(present)) problems.push(`${present} is not listed in ${bundlePaths.sums}`);
    }
  }

  let record: BundleRecord | undefined;
  try {
    record = JSON.parse((files.get(bundlePaths.record) ?? Buffer.from('')).toString('utf8')) as BundleRecord;
  } catch {
    problems.push(`${bundlePaths.record} is missing or not JSON`);
  }
  if (record !== undefined) {
    for (const entry of record.files ?? []) {
      if (sums !== undefined && sums.get(entry.path) !== entry.sha256) problems.push(`${bundlePaths.record} and ${bundlePaths.sums} disagree on ${entry.path}`);
    }
    if (record.run?.harnessVersion !== undefined && record.run.harnessVersion !== harnessVersion()) {
      notes.push(`the run was made by harness ${record.run.harnessVersion}; this is ${harnessVersion()}`);
    }
  }

  let product: ProductManifest | undefined;
  const productBytes = files.get(bundlePaths.product);
  if (productBytes === undefined) problems.push(`${bundlePaths.product} is missing`);
  else {
    const read = parseManifest(productBytes.toString('utf8'));
    if (read.ok) product = read.manifest;
    else problems.push(`${bundlePaths.product}: ${read.error}`);
  }

  const text = (name: string): string | undefined => files.get(name)?.toString('utf8');
  const summaryText = text(bundlePaths.summary);
  const texts = { summary: summaryText, overview: text(bundlePaths.overview), junit: text(bundlePaths.junit), mochawesome: text(bundlePaths.mochawesome) };
  const missingReports = Object.entries(texts).filter(([, value]) => value === undefined);
  let verdict: string | undefined;
  let totals: BundleVerification['totals'];
  if (missingReports.length > 0) {
    problems.push(`reports missing: ${missingReports.map(([name]) => name).join(', ')}`);
  } else {
    const statements = reportStatements(texts as { summary: string; overview: string; junit: string; mochawesome: string });
    problems.push(...reportDisagreements(statements).map((line) => `the reports disagree: ${line}`));
    verdict = statements[0]?.verdict;
    totals = statements[0]?.totals;
  }

  const bundledContract = files.get(bundlePaths.contract);
  if (bundledContract === undefined) problems.push(`${bundlePaths.contract} is missing`);
  else {
    const inBundle = sha256(bundledContract);
    let shipped: string | undefined;
    try {
      shipped = sha256(await readFile(contractPath));
    } catch {
      notes.push(`cannot read this harness's contract ${contractPath} to compare`);
    }
    if (shipped !== undefined && inBundle !== shipped) {
      problems.push(`the contract in the bundle (sha256 ${inBundle}) is not the one this harness ships (${shipped})`);
    }
    let used: string | undefined;
    try {
      used = String((JSON.parse(summaryText ?? '') as { specSha256?: unknown }).specSha256);
    } catch {
      // reported above
    }
    if (used !== undefined && used !== inBundle) problems.push(`the run used the contract sha256 ${used}, the bundle holds ${inBundle}`);
  }

  return {
    ok: problems.length === 0,
    problems,
    notes,
    ...(verdict === undefined ? {} : { verdict }),
    ...(totals === undefined ? {} : { totals }),
    ...(product === undefined ? {} : { product }),
    files: files.size,
  };
}

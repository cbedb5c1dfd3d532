/** What a certification bundle holds and where: one .tar.gz with the reports of one run, the
 * contract document, the product manifest, the harness's own record (BUNDLE.json) and a
 * SHA256SUMS file (sha256sum's format) covering every other file. */
export const bundleRoot = 'endpoints-conformance-bundle';

export const bundlePaths = {
  overview: 'reports/index.html',
  mochawesome: 'reports/mochawesome.html',
  junit: 'reports/junit.xml',
  summary: 'reports/summary.json',
  runLog: 'reports/run.log',
  contract: 'contract/endpoints-replace.openapi.yaml',
  product: 'PRODUCT.yaml',
  record: 'BUNDLE.json',
  sums: 'SHA256SUMS',
} as const;

/** Report files taken from a report folder: name there → path in the bundle. */
export const reportFiles: Array<{ name: string; inBundle: string; required: boolean }> = [
  { name: 'index.html', inBundle: bundlePaths.overview, required: true },
  { name: 'mochawesome.html', inBundle: bundlePaths.mochawesome, required: true },
  { name: 'junit.xml', inBundle: bundlePaths.junit, required: true },
  { name: 'summary.json', inBundle: bundlePaths.summary, required: true },
  { name: 'run.log', inBundle: bundlePaths.runLog, required: false },
];

/** BUNDLE.json */
export interface BundleRecord {
  format: 'endpoints-conformance-bundle/1';
  createdAt: string;
  /** The harness that made the bundle. */
  harnessVersion: string;
  /** The run's, from summary.json. */
  run: { runId: string; verdict: string; harnessVersion: string; command?: string; specSha256: string };
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

export function sha256SumsText(files: ReadonlyArray<{ path: string; sha256: string }>): string {
  return files.map((file) => `${file.sha256}  ${file.path}\n`).join('');
}

export function parseSha256Sums(text: string): Map<string, string> | undefined {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (match === null) return undefined;
    sums.set(match[2], match[1]);
  }
  return sums;
}

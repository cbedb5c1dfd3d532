/**
 * The bundle subcommands of endpoints-conformance (the run itself stays `endpoints-conformance
 * [flags]`, unchanged):
 *   endpoints-conformance bundle --report-dir DIR --out FILE.tar.gz (--product PRODUCT.yaml | --vendor … --product-name … --product-version … --docs-url …)
 *   endpoints-conformance verify-bundle FILE.tar.gz
 * Exit codes: bundle 0 made (and verified); verify-bundle 0 intact and consistent, 1 not; 2 bad flags or files.
 */
import { access } from 'node:fs/promises';
import { Command } from 'commander';
import { makeBundle } from '../harness/bundle/makeBundle.ts';
import { checkManifest, readManifest } from '../harness/bundle/productManifest.ts';
import type { ManifestRead } from '../harness/bundle/productManifest.ts';
import { verifyBundle } from '../harness/bundle/verifyBundle.ts';
import type { BundleVerification } from '../harness/bundle/verifyBundle.ts';

export const bundleCommandNames = ['bundle', 'verify-bundle'] as const;

/** A failure that ends the command with exit 2 and one line on stderr. */
export class BundleUsageFailure extends Error {}

export function isBundleCommand(argv: readonly string[]): boolean {
  return (bundleCommandNames as readonly string[]).includes(argv[0] ?? '');
}

interface ProductFlags {
  product?: string;
  vendor?: string;
  productName?: string;
  productVersion?: string;
  docsUrl?: string;
}

/** The product manifest from --product FILE, or from the four flags. */
export async function productFromFlags(flags: ProductFlags): Promise<ManifestRead> {
  const inline = [flags.vendor, flags.productName, flags.productVersion, flags.docsUrl];
  if (flags.product !== undefined) {
    if (inline.some((value) => value !== undefined)) return { ok: false, error: 'give --product FILE or --vendor/--product-name/--product-version/--docs-url, not both' };
    return readManifest(flags.product);
  }
  if (inline.every((value) => value === undefined)) {
    return { ok: false, error: 'a bundle needs the product under test: --product PRODUCT.yaml, or --vendor, --product-name, --product-version and --docs-url' };
  }
  const named: Array<[string, string | undefined]> = [['--vendor', flags.vendor], ['--product-name', flags.productName], ['--product-version', flags.productVersion], ['--docs-url', flags.docsUrl]];
  const missing = named.filter(([, value]) => value === undefined || value.trim() === '').map(([flag]) => flag);
  if (missing.length > 0) return { ok: false, error: `the product manifest needs ${missing.join(', ')} too (or --product PRODUCT.yaml)` };
  return checkManifest({ vendor: flags.vendor, name: flags.productName, version: flags.productVersion, documentation_url: flags.docsUrl });
}

export function verificationLines(file: string, verification: BundleVerification): string[] {
  const lines: string[] = [];
  if (verification.product !== undefined) {
    const product = verification.product;
    lines.push(`product: ${product.vendor} ${product.name} ${product.version} (${product.documentation_url})`);
  }
  if (verification.verdict !== undefined) {
    const totals = verification.totals;
    const counts = totals === undefined ? '' : ` — ${totals.cases} cases, ${totals.failed} failed, ${totals.skipped} skipped, ${totals.notRun} not run, ${totals.requests} requests`;
    lines.push(`${verification.ok ? 'verdict of the run' : 'verdict the bundle claims (not verified)'}: ${verification.verdict}${counts}`);
  }
  for (const note of verification.notes) lines.push(`note: ${note}`);
  for (const problem of verification.problems) lines.push(`problem: ${problem}`);
  lines.push(verification.ok ? `bundle ${file}: verified (${verification.files} files, hashes, reports and contract agree)` : `bundle ${file}: NOT verified (${verification.problems.length} problem${verification.problems.length === 1 ? '' : 's'})`);
  return lines;
}

function bundleProgram(): Command {
  const program = new Command('endpoints-conformance').showSuggestionAfterError(false).exitOverride();
  program
    .command('bundle')
    .description('pack a finished run\'s report folder into a certification bundle (.tar.gz with SHA-256 of every file)')
    .requiredOption('--out <file>', 'the bundle to write (FILE.tar.gz)')
    .option('--report-dir <dir>', 'the report folder of the run', 'reports')
    .option('--product <file>', 'product manifest (YAML: vendor, name, version, documentation_url; like CNCF PRODUCT.yaml)')
    .option('--vendor <text>', 'vendor of the product under test')
    .option('--product-name <text>', 'product name')
    .option('--product-version <text>', 'product version')
    .option('--docs-url <url>', 'URL of the product\'s documentation')
    .exitOverride()
    .action(async (options: ProductFlags & { out: string; reportDir: string }) => {
      const product = await productFromFlags(options);
      if (!product.ok) throw new BundleUsageFailure(product.error);
      const made = await makeBundle({ reportDir: options.reportDir, outFile: options.out, product: product.manifest });
      if (!made.ok) throw new BundleUsageFailure(made.error);
      const verification = await verifyBundle(made.file);
      process.stdout.write(`${verificationLines(made.file, verification).join('\n')}\n`);
      process.exitCode = verification.ok ? 0 : 1;
    });
  program
    .command('verify-bundle')
    .description('check a bundle: file hashes, reports agree (verdict, totals), contract is the one this harness ships; print the verdict')
    .argument('<file>', 'the bundle (.tar.gz)')
    .exitOverride()
    .action(async (file: string) => {
      try {
        await access(file);
      } catch {
        throw new BundleUsageFailure(`cannot read the bundle ${file}`);
      }
      const verification = await verifyBundle(file);
      process.stdout.write(`${verificationLines(file, verification).join('\n')}\n`);
      process.exitCode = verification.ok ? 0 : 1;
    });
  return program;
}

/** Runs `bundle …` or `verify-bundle …`; the exit code (commander and usage errors are thrown). */
export async function runBundleCommand(argv: readonly string[]): Promise<number> {
  process.exitCode = 0;
  await bundleProgram().parseAsync([...argv], { from: 'user' });
  return Number(process.exitCode ?? 0);
}

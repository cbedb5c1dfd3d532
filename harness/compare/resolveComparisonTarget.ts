/**
 * The `--compare-*` flags of the command line, resolved into the comparison target's connection
 * exactly as the run's own target is resolved (resolveConnection), with three differences:
 *  - the first target's CONFORMANCE_TOKEN / CONFORMANCE_READONLY_TOKEN are never sent to the
 *    comparison target (only its own --compare-token-file, or its kubeconfig user);
 *  - errors and warnings name the --compare-* flags;
 *  - the namespace defaults to the first target's (a kubeconfig context's own comes first).
 */
import { resolveConnection } from '../connection/resolveConnection.ts';
import type { AuthScheme, ResolvedConnection } from '../connection/types.ts';

export interface ComparisonFlags {
  compareWith?: string;
  compareNamespace?: string;
  compareTokenFile?: string;
  compareReadonlyTokenFile?: string;
  compareAuthScheme?: AuthScheme;
  compareCaFile?: string;
  compareKubeconfig?: string;
  compareContext?: string;
}

export type ComparisonTargetResult =
  | { ok: true; target?: { connection: ResolvedConnection; description: string; warnings: string[] } }
  | { ok: false; error: string };

const flagNames: Record<keyof ComparisonFlags, string> = {
  compareWith: '--compare-with',
  compareNamespace: '--compare-namespace',
  compareTokenFile: '--compare-token-file',
  compareReadonlyTokenFile: '--compare-readonly-token-file',
  compareAuthScheme: '--compare-auth-scheme',
  compareCaFile: '--compare-ca-file',
  compareKubeconfig: '--compare-kubeconfig',
  compareContext: '--compare-context',
};

/** `--token-file` in a message of resolveConnection → `--compare-token-file`, and so on. */
function comparisonWording(text: string): string {
  return text.replace(/--(target|namespace|token-file|readonly-token-file|ca-file|context|kubeconfig|auth-scheme)\b/g, (_, name: string) =>
    name === 'target' ? '--compare-with' : `--compare-${name}`,
  );
}

/** Whether any --compare-* flag was given. */
export function wantsComparison(flags: ComparisonFlags): boolean {
  return (Object.keys(flagNames) as Array<keyof ComparisonFlags>).some((key) => flags[key] !== undefined);
}

/**
 * Resolves the comparison target, or says (one line) why it cannot. `firstNamespace` is the
 * run's own namespace; `kubeconfig` the run's --kubeconfig (read for --compare-context when no
 * --compare-kubeconfig is given).
 */
export async function resolveComparisonTarget(
  flags: ComparisonFlags,
  context: { firstNamespace: string; kubeconfig?: string; env: NodeJS.ProcessEnv },
): Promise<ComparisonTargetResult> {
  if (!wantsComparison(flags)) return { ok: true };
  if (flags.compareWith === undefined && flags.compareContext === undefined && flags.compareKubeconfig === undefined) {
    const given = (Object.keys(flagNames) as Array<keyof ComparisonFlags>).filter((key) => flags[key] !== undefined).map((key) => flagNames[key]);
    return { ok: false, error: `${given.join(', ')} need(s) a comparison target: --compare-with URL, or --compare-context NAME (kubeconfig)` };
  }
  const env: NodeJS.ProcessEnv = { ...context.env };
  delete env.CONFORMANCE_TOKEN;
  delete env.CONFORMANCE_READONLY_TOKEN;
  const viaKubeconfig = flags.compareContext !== undefined || flags.compareKubeconfig !== undefined;
  const kubeconfig = flags.compareKubeconfig ?? (flags.compareContext !== undefined ? context.kubeconfig : undefined);
  const resolve = (namespace: string | undefined) =>
    resolveConnection({
      ...(flags.compareWith === undefined ? {} : { target: flags.compareWith }),
      ...(namespace === undefined ? {} : { namespace }),
      ...(flags.compareTokenFile === undefined ? {} : { tokenFile: flags.compareTokenFile }),
      ...(flags.compareReadonlyTokenFile === undefined ? {} : { readonlyTokenFile: flags.compareReadonlyTokenFile }),
      ...(flags.compareAuthScheme === undefined ? {} : { authScheme: flags.compareAuthScheme }),
      ...(flags.compareCaFile === undefined ? {} : { caFile: flags.compareCaFile }),
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(flags.compareContext === undefined ? {} : { context: flags.compareContext }),
      env,
    });
  // a kubeconfig context's own namespace first; else the first target's
  let resolved = await resolve(flags.compareNamespace ?? (viaKubeconfig ? undefined : context.firstNamespace));
  if (!resolved.ok && flags.compareNamespace === undefined && viaKubeconfig && /namespace is required/.test(resolved.error)) {
    resolved = await resolve(context.firstNamespace);
  }
  if (!resolved.ok) return { ok: false, error: comparisonWording(resolved.error) };
  return {
    ok: true,
    target: {
      connection: resolved.connection,
      description: resolved.connection.describedAs,
      warnings: resolved.warnings.map((warning) => `comparison target: ${comparisonWording(warning)}`),
    },
  };
}

function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The flags that point a --replay at the comparison target (no secret is ever part of them). */
export function comparisonReplayFlags(flags: ComparisonFlags, connection: ResolvedConnection, kubeconfig: string | undefined): string[] {
  const words: string[] = [];
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined) words.push(flag, shellWord(value));
  };
  add('--target', flags.compareWith);
  add('--namespace', connection.namespace);
  add('--kubeconfig', flags.compareKubeconfig ?? (flags.compareContext !== undefined ? kubeconfig : undefined));
  add('--context', flags.compareContext);
  add('--token-file', flags.compareTokenFile);
  add('--readonly-token-file', flags.compareReadonlyTokenFile);
  add('--ca-file', flags.compareCaFile);
  add('--auth-scheme', flags.compareAuthScheme);
  return words;
}

/** The target of a run: a real server resolved from flags, environment and kubeconfig, or —
 * when none is named — the embedded reference server started on its own thread. */
import { faultCatalogue, isFaultName } from '../../reference-server/faults.ts';
import type { FaultName } from '../../reference-server/faults.ts';
import { startReferenceServerInWorker } from '../../reference-server/inWorker.ts';
import { emulatedVersion } from '../../reference-server/emulatedRelease.ts';
import { parseKubernetesRelease } from '../../spec/kubernetesReleaseDifferences.ts';
import { resolveConnection, wantsExternalTarget } from '../connection/resolveConnection.ts';
import type { ConnectionFlags } from '../connection/resolveConnection.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import { embeddedConnection } from './embeddedConnection.ts';
import { existsSync } from 'node:fs';
import { detectInCluster } from '../connection/inClusterConnection.ts';
import { openInClusterTarget } from './inClusterTarget.ts';

/** The connection flags of the command line (the environment comes separately), plus the
 * embedded server's faults. */
export interface TargetFlags extends Omit<ConnectionFlags, 'env'> {
  faults: string[];
  /** --in-cluster (true) / --no-in-cluster (false); undefined: detect (KUBERNETES_SERVICE_HOST and a token). */
  inCluster?: boolean;
  /** --service-account-dir: the in-cluster mount, elsewhere. */
  serviceAccountDir?: string;
  /** The release the embedded server emulates (`--kubernetes-version`); default: current. */
  kubernetesVersion?: string;
}

export interface OpenedTarget {
  connection: ResolvedConnection;
  /** For reports: never a secret. */
  description: string;
  embedded: boolean;
  faults: FaultName[];
  warnings: string[];
  /** Secrets that may change during the run (a rotated in-cluster token): all to be masked. */
  secrets?: () => string[];
  close(): Promise<void>;
}

export type OpenTargetResult = { ok: true; target: OpenedTarget } | { ok: false; error: string };

export async function openTarget(flags: TargetFlags, env: NodeJS.ProcessEnv): Promise<OpenTargetResult> {
  const unknown = flags.faults.filter((name) => !isFaultName(name));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: `unknown fault ${unknown.join(', ')}; known faults: ${faultCatalogue.map((fault) => fault.name).join(', ')}`,
    };
  }
  const faults = flags.faults.filter(isFaultName);
  if (flags.inCluster === true && wantsExternalTarget(flags)) {
    return { ok: false, error: '--in-cluster cannot be combined with --target, --kubeconfig or --context' };
  }
  if (flags.inCluster === true && faults.length > 0) return { ok: false, error: '--fault applies to the embedded reference server only (not with --in-cluster)' };
  if (!wantsExternalTarget(flags) && faults.length === 0 && detectInCluster(flags.inCluster, flags.serviceAccountDir, env, existsSync)) {
    const opened = await openInClusterTarget(
      { serviceAccountDir: flags.serviceAccountDir, namespace: flags.namespace, readonlyTokenFile: flags.readonlyTokenFile, authScheme: flags.authScheme },
      env,
    );
    // found on its own, not asked for: say so (a pod that wanted the embedded server passes --no-in-cluster)
    if (opened.ok && flags.inCluster === undefined) {
      opened.target.warnings.push('no target named and this is a pod (KUBERNETES_SERVICE_HOST, service account token): running in-cluster against this cluster; --no-in-cluster uses the embedded reference server');
    }
    return opened;
  }
  // KUBECONFIG alone never moves a run off the embedded server: a default run touches no cluster
  if (wantsExternalTarget(flags)) {
    if (faults.length > 0) return { ok: false, error: '--fault applies to the embedded reference server only (run without --target)' };
    const resolved = await resolveConnection({
      target: flags.target,
      namespace: flags.namespace,
      tokenFile: flags.tokenFile,
      readonlyTokenFile: flags.readonlyTokenFile,
      authScheme: flags.authScheme,
      caFile: flags.caFile,
      insecure: flags.insecure,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      env,
      ...(flags.execTimeoutMs === undefined ? {} : { execTimeoutMs: flags.execTimeoutMs }),
      ...(flags.pluginStderr === undefined ? {} : { pluginStderr: flags.pluginStderr }),
    });
    if (!resolved.ok) return { ok: false, error: resolved.error };
    return {
      ok: true,
      target: {
        connection: resolved.connection,
        description: resolved.connection.describedAs,
        embedded: false,
        faults: [],
        warnings: resolved.warnings,
        close: () => Promise.resolve(),
      },
    };
  }
  let server;
  try {
    const release = flags.kubernetesVersion === undefined ? undefined : parseKubernetesRelease(flags.kubernetesVersion);
    server = await startReferenceServerInWorker({ faults, ...(release === undefined ? {} : { version: emulatedVersion(release) }) });
  } catch (error) {
    return { ok: false, error: `the embedded reference server did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const connection = embeddedConnection(server);
  const description = connection.describedAs;
  const running = server;
  const ignored = (
    [
      ['--namespace', flags.namespace],
      ['--token-file', flags.tokenFile],
      ['--readonly-token-file', flags.readonlyTokenFile],
      ['--ca-file', flags.caFile],
      ['--insecure', flags.insecure === true ? 'yes' : undefined],
    ] as const
  )
    .filter(([, value]) => value !== undefined)
    .map(([flag]) => flag);
  const warnings = ignored.length > 0 ? [`${ignored.join(', ')} ignored: without --target the run uses the embedded reference server`] : [];
  return {
    ok: true,
    target: { connection, description, embedded: true, faults, warnings, close: () => running.close() },
  };
}

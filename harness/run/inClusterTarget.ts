/** The target of a run made from inside a pod: the cluster's own API server, reached with the
 * pod's service account (see harness/connection/inClusterConnection.ts). */
import { resolveInClusterConnection } from '../connection/inClusterConnection.ts';
import type { AuthScheme } from '../connection/types.ts';
import type { OpenTargetResult } from './openTarget.ts';

export interface InClusterTargetFlags {
  serviceAccountDir?: string;
  namespace?: string;
  readonlyTokenFile?: string;
  authScheme?: AuthScheme;
}

export async function openInClusterTarget(flags: InClusterTargetFlags, env: NodeJS.ProcessEnv): Promise<OpenTargetResult> {
  const resolved = await resolveInClusterConnection({ ...flags, env });
  if (!resolved.ok) return resolved;
  const connection = resolved.connection;
  return {
    ok: true,
    target: {
      connection,
      description: connection.describedAs,
      embedded: false,
      faults: [],
      warnings: resolved.warnings,
      // every token the run has seen (rotation adds some): all are masked in what is written
      secrets: () => [...resolved.token.seen(), ...(connection.auth.readonlyToken === undefined ? [] : [connection.auth.readonlyToken])],
      close: () => Promise.resolve(),
    },
  };
}

/** The connection to a running reference server (embedded target, tests). */
import type { RunningReferenceServer } from '../../reference-server/index.ts';
import type { ResolvedConnection } from '../connection/types.ts';

/** The namespace the embedded server's runs write to. */
export const embeddedNamespace = 'conformance';

/** The connection to a running reference server: its first tokens, the 'conformance' namespace. */
export function embeddedConnection(server: RunningReferenceServer): ResolvedConnection {
  const namespace = server.namespaces.includes(embeddedNamespace) ? embeddedNamespace : server.namespaces[0];
  const description = `embedded reference server ${server.url}${server.faults.length > 0 ? ` with faults ${server.faults.join(', ')}` : ''}`;
  return {
    baseUrl: server.url,
    namespace,
    auth: {
      scheme: 'x-auth-token',
      ...(server.tokens[0] === undefined ? {} : { token: server.tokens[0] }),
      ...(server.readonlyTokens[0] === undefined ? {} : { readonlyToken: server.readonlyTokens[0] }),
    },
    tls: { insecure: false, ...(server.caCertPem === undefined ? {} : { caPem: server.caCertPem }) },
    describedAs: description,
  };
}


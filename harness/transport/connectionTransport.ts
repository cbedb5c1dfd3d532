/**
 * The transport for a resolved connection: its TLS settings and proxy, and the run's own
 * credential added per request from the connection's credential source. A request marked
 * `authenticate` gets the current credential (a bearer token in the connection's scheme, or a
 * client certificate on a connection of its own); on a 401 the credential is renewed once (an
 * exec plugin runs again, as client-go does) and the request is sent again, so a credential that
 * expires mid-run costs no case. Requests without the mark (no, invalid or read-only
 * credentials) go out as they are, never with the run's client certificate.
 */
import { performance } from 'node:perf_hooks';
import type { Credential } from '../connection/credentialSource.ts';
import { authHeaders } from '../connection/types.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import { createTransport } from './createTransport.ts';
import type { TransportOptions } from './createTransport.ts';
import type { OutgoingRequest, Transport, TransportOutcome } from './types.ts';

function withCredential(request: OutgoingRequest, credential: Credential, scheme: ResolvedConnection['auth']['scheme']): OutgoingRequest {
  const { authenticate: _mark, ...rest } = request;
  return {
    ...rest,
    headers: credential.token === undefined ? request.headers : { ...request.headers, ...authHeaders(scheme, credential.token) },
    ...(credential.clientCertificate === undefined ? {} : { clientCertificate: credential.clientCertificate }),
  };
}

/** Adds the connection's run-time credential to the requests marked `authenticate`. */
export function withCredentials(inner: Transport, connection: Pick<ResolvedConnection, 'auth' | 'credentials'>): Transport {
  const source = connection.credentials;
  if (source === undefined) return inner;
  const scheme = connection.auth.scheme;
  const noCredential = (error: string, started: number): TransportOutcome => ({
    ok: false,
    failure: { kind: 'credentials', message: error },
    durationMs: performance.now() - started,
  });
  return {
    async send(request) {
      if (request.authenticate !== true) return inner.send(request);
      const started = performance.now();
      const first = await source.current();
      if (!first.ok) return noCredential(first.error, started);
      const outcome = await inner.send(withCredential(request, first.credential, scheme));
      if (!outcome.ok || outcome.response.status !== 401) return outcome;
      // a 401 is answered before anything is processed: sending again with a fresh credential is safe
      const renewed = await source.renew(first.credential);
      if (!renewed.ok) return noCredential(renewed.error, started);
      if (renewed.credential === first.credential) return outcome;
      return inner.send(withCredential(request, renewed.credential, scheme));
    },
    close: () => inner.close(),
  };
}

/** createTransport with the connection's TLS settings and proxy, wrapped by `withCredentials`. */
export function connectionTransport(connection: ResolvedConnection, options: Omit<TransportOptions, 'tls' | 'proxyUrl'>): Transport {
  const transport = createTransport({
    ...options,
    tls: connection.tls,
    ...(connection.proxyUrl === undefined ? {} : { proxyUrl: connection.proxyUrl }),
  });
  return withCredentials(transport, connection);
}

/**
 * The boundary between the runner (which decides what to send and judges answers) and the
 * transport (which moves bytes and turns every way a server can misbehave into data).
 */

/** One fully resolved request: placeholders filled, credentials already in `headers`. */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL including the query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Carry the run's own credential, from the connection's credential source: added (as a
   * header, or a client certificate) when the request is sent, not stored here. */
  authenticate?: true;
  /** Present this client certificate in the TLS handshake (set by the credential layer). */
  clientCertificate?: { certPem: string; keyPem: string };
}

export interface ReceivedResponse {
  status: number;
  /** Lower-case header names; repeated headers (e.g. `warning`) keep every value. */
  headers: Record<string, string | string[]>;
  /** The body as text, cut at the transport's byte cap. */
  bodyText: string;
  /** True when the body was longer than the cap and was cut (the rest was not read). */
  bodyTruncated: boolean;
  /** Set when the (uncut) body is not valid UTF-8: `bodyText` then holds replacement characters. */
  bodyNotUtf8?: true;
  durationMs: number;
}

/** How a request failed below HTTP. */
export type TransportFailureKind =
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'tls'
  | 'dns'
  | 'protocol'
  /** Not sent: the run's credential could not be obtained (exec plugin failed, …). */
  | 'credentials'
  | 'other';

export type TransportOutcome =
  | { ok: true; response: ReceivedResponse }
  | { ok: false; failure: { kind: TransportFailureKind; message: string }; durationMs: number };

export interface Transport {
  /** Never throws: every failure comes back as `{ok: false}`. */
  send(request: OutgoingRequest): Promise<TransportOutcome>;
  close(): Promise<void>;
}

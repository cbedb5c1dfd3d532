/**
 * The embedded reference server: a Kubernetes-faithful implementation of
 * PUT /api/v1/namespaces/{namespace}/endpoints/{name} (plus the reads, discovery and namespaces
 * around it) with named, switchable faults. See faults.ts for the catalogue.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { EndpointsStore } from './endpointsStore.ts';
import { createRequestHandler } from './requestHandler.ts';
import type { FaultName } from './faults.ts';

export type { FaultName, FaultDescription } from './faults.ts';
export { faultCatalogue, isFaultName } from './faults.ts';

export interface ReferenceServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Read-write tokens; default ['conformance-token']. */
  tokens?: string[];
  /** Read-only tokens; default ['conformance-readonly-token']. */
  readonlyTokens?: string[];
  /** Tokens that may update existing objects but not create them (R4); default none. */
  updateOnlyTokens?: string[];
  /** Existing namespaces; default ['default', 'conformance']. */
  namespaces?: string[];
  /** Listen with TLS on a certificate generated at start (SAN 127.0.0.1, ::1, localhost). */
  tls?: boolean;
  /** Delay every response by N ms. */
  latencyMs?: number;
  /** Named faults switched on. */
  faults?: FaultName[];
  /** Like kube-apiserver's --anonymous-auth (true there by default): endpoints requests without
   * credentials get 403 Forbidden for "system:anonymous" instead of 401 (rules R1). Default off. */
  anonymousAuth?: boolean;
  /** What /version says, and which Kubernetes minor to imitate; default 1.35. */
  version?: { major: string; minor: string; gitVersion: string };
}

export interface RunningReferenceServer {
  url: string;
  caCertPem?: string;
  tokens: string[];
  readonlyTokens: string[];
  namespaces: string[];
  faults: FaultName[];
  close(): Promise<void>;
}

export const defaultVersion = { major: '1', minor: '35', gitVersion: 'v1.35.0' };

async function generateCertificate(): Promise<{ key: string; cert: string }> {
  // loaded only for --tls: about 0.1 s of the server's start-up
  const { default: selfsigned } = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  const tokens = options.tokens ?? ['conformance-token'];
  const readonlyTokens = options.readonlyTokens ?? ['conformance-readonly-token'];
  const namespaces = options.namespaces ?? ['default', 'conformance'];
  const faults = [...new Set(options.faults ?? [])];
  const version = options.version ?? defaultVersion;
  const minor = parseInt(version.minor, 10);
  const imitatedMinor = Number.isFinite(minor) ? minor : 35;
  const host = options.host ?? '127.0.0.1';

  const handler = createRequestHandler({
    store: new EndpointsStore(namespaces),
    settings: {
      faults: new Set(faults),
      latencyMs: options.latencyMs ?? 0,
      minor: imitatedMinor,
      jsonRendering: imitatedMinor >= 34,
      ...(options.anonymousAuth === true ? { anonymousAuth: true } : {}),
    },
    tokens: { readWrite: new Set(tokens), readOnly: new Set(readonlyTokens), updateOnly: new Set(options.updateOnlyTokens ?? []) },
    version,
  });

  let caCertPem: string | undefined;
  let server: http.Server;
  const serverOptions = { keepAliveTimeout: 5000, maxHeaderSize: 64 * 1024 };
  if (options.tls) {
    const { key, cert } = await generateCertificate();
    caCertPem = cert;
    server = https.createServer({ ...serverOptions, key, cert }, handler);
  } else {
    server = http.createServer(serverOptions, handler);
  }
  // Requests Node's HTTP parser refuses (bad bytes in the request line or headers) still get a
  // Status body, like every other error.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') { socket.destroy(); return; }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const code = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: tooLarge ? 'request header fields too large' : 'malformed HTTP request', reason: tooLarge ? 'RequestHeaderFieldsTooLarge' : 'BadRequest', code,
    }) + '\n';
    socket.end(`HTTP/1.1 ${code} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : address.address;
  const url = `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    ...(caCertPem ? { caCertPem } : {}),
    tokens,
    readonlyTokens,
    namespaces,
    faults,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 200).unref();
      });
      return closing;
    },
  };
}

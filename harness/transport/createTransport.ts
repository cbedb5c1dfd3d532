/**
 * The harness's HTTP transport: undici with one keep-alive pool per origin, bounded in time
 * (the whole response, headers and body) and in size (the body is cut at a byte cap). It never
 * throws and never follows redirects: every answer is data, every failure is a classified
 * `{ok: false}`.
 */
import { isUtf8 } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { Agent, ProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import type { ResolvedConnection } from '../connection/types.ts';
import { classifyFailure, oneLine } from './classifyFailure.ts';
import type { OutgoingRequest, Transport, TransportOutcome } from './types.ts';

export interface TransportOptions {
  /** Bound on one whole exchange: connect, headers and the complete body. */
  timeoutMs: number;
  /** Body bytes kept; the rest is not read and the connection is dropped. */
  maxBodyBytes: number;
  /** Keep-alive connections per origin. */
  connections: number;
  tls: ResolvedConnection['tls'];
  /** http(s) or socks5 proxy (kubeconfig proxy-url): requests are tunnelled through it. */
  proxyUrl?: string;
}

function checkOptions(options: TransportOptions): string | undefined {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) return 'timeoutMs must be a positive number';
  if (!Number.isInteger(options.maxBodyBytes) || options.maxBodyBytes < 0) return 'maxBodyBytes must be a non-negative integer';
  if (!Number.isInteger(options.connections) || options.connections < 1) return 'connections must be a positive integer';
  return undefined;
}

export function createTransport(options: TransportOptions): Transport {
  const problem = checkOptions(options);
  const timeoutMs = Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : 10_000;
  const maxBodyBytes = Number.isInteger(options.maxBodyBytes) && options.maxBodyBytes >= 0 ? options.maxBodyBytes : 1 << 20;
  const connections = Number.isInteger(options.connections) && options.connections >= 1 ? options.connections : 1;

  /** One keep-alive pool per client certificate (none for most requests): a certificate is
   * presented only on the requests that carry the run's credential. */
  const makeDispatcher = (clientCertificate?: { certPem: string; keyPem: string }): Dispatcher => {
    const tls = {
      timeout: timeoutMs,
      ca: options.tls.caPem,
      cert: clientCertificate?.certPem ?? options.tls.certPem,
      key: clientCertificate?.keyPem ?? options.tls.keyPem,
      rejectUnauthorized: !options.tls.insecure,
      ...(options.tls.serverName === undefined ? {} : { servername: options.tls.serverName }),
    };
    const pool = {
      connections,
      pipelining: 1,
      // Backstops only: the per-request deadline below bounds the whole exchange.
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 4_000,
    };
    if (options.proxyUrl !== undefined) {
      return new ProxyAgent({ ...pool, uri: options.proxyUrl, requestTls: tls, proxyTls: { timeout: timeoutMs }, connect: { timeout: timeoutMs } });
    }
    return new Agent({ ...pool, connect: tls });
  };
  const agent = makeDispatcher();
  const certificateAgents = new Map<string, Dispatcher>();
  const dispatcherFor = (request: OutgoingRequest): Dispatcher => {
    const certificate = request.clientCertificate;
    if (certificate === undefined) return agent;
    const key = `${certificate.certPem}\n${certificate.keyPem}`;
    let found = certificateAgents.get(key);
    if (found === undefined) {
      // a renewed certificate replaces the previous one: its pool closes once idle
      for (const [oldKey, old] of certificateAgents) {
        certificateAgents.delete(oldKey);
        old.close().catch(() => undefined);
      }
      found = makeDispatcher(certificate);
      certificateAgents.set(key, found);
    }
    return found;
  };
  let closed = false;

  /** Moves one request with undici's dispatch API: no stream objects, no AbortSignal; the
   * deadline settles the outcome at once, whatever undici is still doing underneath. */
  function exchange(url: URL, request: OutgoingRequest, started: number): Promise<TransportOutcome> {
    return new Promise<TransportOutcome>((resolve) => {
      const origin = url.host;
      let settled = false;
      let controller: Dispatcher.DispatchController | undefined;
      let status = 0;
      let headers: Record<string, string | string[]> = {};
      let chunks: Buffer[] = [];
      let size = 0;

      const settle = (outcome: TransportOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const fail = (error: unknown, deadlineFired: boolean): void => {
        settle({
          ok: false,
          failure: classifyFailure(error, { origin, timeoutMs, deadlineFired }),
          durationMs: performance.now() - started,
        });
      };
      const answer = (truncated: boolean): void => {
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        // a cut body may end inside a character: only a whole body is judged for UTF-8
        const notUtf8 = !truncated && size > 0 && !isUtf8(bytes);
        settle({
          ok: true,
          response: {
            status,
            headers,
            bodyText: bytes.toString('utf8'),
            bodyTruncated: truncated,
            ...(notUtf8 ? { bodyNotUtf8: true as const } : {}),
            durationMs: performance.now() - started,
          },
        });
      };

      const timer = setTimeout(() => {
        const reason = new Error(`deadline of ${timeoutMs} ms reached`);
        fail(reason, true);
        // Before onRequestStart there is nothing to abort yet; onRequestStart aborts then.
        controller?.abort(reason);
      }, timeoutMs);

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(started) {
          controller = started;
          if (settled) started.abort(new Error('deadline reached before the request was sent'));
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          status = statusCode;
          headers = responseHeaders as Record<string, string | string[]>;
          chunks = [];
          size = 0;
        },
        onResponseData(current, chunk) {
          if (settled) return;
          const room = maxBodyBytes - size;
          if (chunk.length > room) {
            if (room > 0) {
              chunks.push(chunk.subarray(0, room));
              size += room;
            }
            answer(true);
            // Stop reading: undici destroys the socket of a response aborted mid-body.
            current.abort(new Error('response body exceeded the byte cap'));
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        },
        onResponseEnd() {
          answer(false);
        },
        onResponseError(_controller, error) {
          fail(error, false);
        },
      };

      try {
        dispatcherFor(request).dispatch(
          {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: request.method as Dispatcher.HttpMethod,
            headers: request.headers,
            body: request.body,
            // Keep the connection for reuse even when a method that rarely carries a body
            // (DELETE with its options) does carry one; undici would otherwise close it.
            reset: false,
          },
          handler,
        );
      } catch (error) {
        fail(error, false);
      }
    });
  }

  async function send(request: OutgoingRequest): Promise<TransportOutcome> {
    const started = performance.now();
    try {
      if (problem !== undefined) {
        return { ok: false, failure: { kind: 'other', message: `transport misconfigured: ${problem}` }, durationMs: 0 };
      }
      if (closed) {
        return { ok: false, failure: { kind: 'other', message: 'the transport is closed' }, durationMs: 0 };
      }
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return { ok: false, failure: { kind: 'other', message: oneLine(`not a valid URL: ${request.url}`) }, durationMs: 0 };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return {
          ok: false,
          failure: { kind: 'other', message: `unsupported URL scheme ${url.protocol} (only http and https)` },
          durationMs: 0,
        };
      }
      return await exchange(url, request, started);
    } catch (error) {
      return {
        ok: false,
        failure: classifyFailure(error, { origin: '(unknown)', timeoutMs, deadlineFired: false }),
        durationMs: performance.now() - started,
      };
    }
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    let graceTimer: NodeJS.Timeout | undefined;
    try {
      const dispatchers = [agent, ...certificateAgents.values()];
      certificateAgents.clear();
      const graceful = Promise.all(dispatchers.map((dispatcher) => dispatcher.close())).then(() => true, () => false);
      const grace = new Promise<boolean>((resolve) => {
        graceTimer = setTimeout(() => resolve(false), timeoutMs);
      });
      const closedInTime = await Promise.race([graceful, grace]);
      if (!closedInTime) await Promise.all(dispatchers.map((dispatcher) => dispatcher.destroy().catch(() => undefined)));
    } catch {
      // Closing is best effort; nothing to report.
    } finally {
      if (graceTimer !== undefined) clearTimeout(graceTimer);
    }
  }

  return { send, close };
}

/**
 * Writing one response: negotiated format, pretty printing, Warning headers (deduplicated,
 * truncated like the apiserver's recorder), the configured latency (without one, answers are
 * written at the end of the event-loop turn, together: turnBatch.ts), and the error-shape faults
 * (which corrupt a Status on its way out, the place such a bug would live).
 */
import type { ServerResponse } from 'node:http';
import YAML from 'yaml';
import { goJson } from './endpointsSerialization.ts';
import type { OutputFormat } from './negotiation.ts';
import type { StatusBody } from './statusBodies.ts';
import type { FaultSet } from './faults.ts';
import { flushAtTurnEnd, type Flushable } from './turnBatch.ts';

export interface ServerSettings {
  faults: FaultSet;
  latencyMs: number;
  /** Kubernetes minor version being imitated (35 by default). */
  minor: number;
  /** ≥1.34: composite bad values rendered as JSON. */
  jsonRendering: boolean;
  /** kube-apiserver --anonymous-auth (its default: true): a request without credentials is
   * system:anonymous, and RBAC forbids it the endpoints (403); off, it is 401. */
  anonymousAuth?: boolean;
}

export const deprecationWarning = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

const truncateAtTotalRunes = 4096;
const truncateItemRunes = 256;
/** Beyond the apiserver's rules: keep all Warning headers within 8 KiB so HTTP clients with
 * a 16 KiB header limit can always read the answer. */
const maxWarningHeaderBytes = 8192;

const controlChars = /[\x00-\x1f\x7f]/g;
const headerValueCache = new Map<string, string>();

function warningHeaderValue(text: string): string {
  const cached = headerValueCache.get(text);
  if (cached !== undefined) return cached;
  const value = encodeWarning(text);
  if (headerValueCache.size > 256) headerValueCache.clear();
  headerValueCache.set(text, value);
  return value;
}

function encodeWarning(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(controlChars, ' ');
  // Node writes header strings as latin1: hand it the UTF-8 bytes so the wire carries UTF-8.
  return `299 - "${Buffer.from(escaped, 'utf8').toString('latin1')}"`;
}

/** An answer decided but not yet written. */
interface PendingAnswer { code: number; contentType: string; body: string; extraHeaders: Record<string, string> | undefined }

export class Reply implements Flushable {
  private readonly warnings: string[] = [];
  private answer: PendingAnswer | undefined;
  format: OutputFormat = 'json';
  pretty = false;
  sent = false;

  constructor(readonly res: ServerResponse, readonly settings: ServerSettings) {}

  addWarning(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  /** The deprecation warning every Endpoints handler response carries on ≥1.33. */
  markDeprecatedResource(): void {
    if (this.settings.minor >= 33) this.addWarning(deprecationWarning);
  }

  private warningHeaders(): string[] {
    let list = this.warnings;
    const total = list.reduce((n, w) => n + w.length, 0);
    if (total > truncateAtTotalRunes) list = list.map((w) => (w.length > truncateItemRunes ? w.slice(0, truncateItemRunes) : w));
    const out: string[] = [];
    let bytes = 0;
    for (const w of list) {
      const v = warningHeaderValue(w);
      bytes += v.length;
      if (bytes > maxWarningHeaderBytes) break;
      out.push(v);
    }
    return out;
  }

  private write(code: number, contentType: string, body: string, extraHeaders?: Record<string, string>): void {
    if (this.sent) return;
    this.sent = true;
    this.answer = { code, contentType, body, extraHeaders };
    if (this.settings.latencyMs > 0) setTimeout(() => this.flush(), this.settings.latencyMs);
    else flushAtTurnEnd(this);
  }

  /** Writes the answer held by write(). */
  flush(): void {
    const res = this.res;
    const answer = this.answer;
    if (answer === undefined || res.destroyed || res.headersSent) return;
    this.answer = undefined;
    const { code, contentType, body, extraHeaders } = answer;
    const headers: Record<string, string | string[] | number> = extraHeaders === undefined
      ? { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(body, 'utf8') }
      : { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(body, 'utf8'), ...extraHeaders };
    if (this.warnings.length) headers.Warning = this.warningHeaders();
    res.writeHead(code, headers);
    res.end(body);
  }

  /** A success answer already serialized as compact JSON. */
  json(code: number, text: string): void {
    this.write(code, 'application/json', text);
  }

  /** A success answer: any JSON-able object. */
  object(code: number, value: unknown, extraHeaders?: Record<string, string>): void {
    if (this.format === 'yaml') this.write(code, 'application/yaml', YAML.stringify(value), extraHeaders);
    else this.write(code, 'application/json', goJson(value, this.pretty), extraHeaders);
  }

  /** An error answer (a Status), passed through the error-shape faults. */
  status(s: StatusBody, extraHeaders?: Record<string, string>): void {
    const faults = this.settings.faults;
    let httpCode = s.code;
    let body: StatusBody = s;
    if (faults.size > 0) {
      body = { ...s, details: s.details && { ...s.details, causes: s.details.causes?.map((c) => ({ ...c })) } };
      if (!body.details) delete body.details;
      if (faults.has('bad-request-instead-of-invalid') && body.code === 422 && body.reason === 'Invalid') {
        httpCode = 400;
        body.code = 400;
        body.reason = 'BadRequest';
        delete body.details;
      }
      for (const c of body.details?.causes ?? []) {
        if (faults.has('causes-without-indices')) c.field = c.field.replace(/\[\d+\]/g, '');
        if (faults.has('wrong-cause-type')) c.reason = 'FieldValueInvalid';
      }
      if (faults.has('generic-reason')) {
        // keep the key order of a Status: re-insert reason before details/code
        const { details, code, ...rest } = body;
        body = { ...rest, reason: 'BadRequest', ...(details ? { details } : {}), code } as StatusBody;
      }
      if (faults.has('status-code-field-mismatch')) body.code = 500;
      if (faults.has('plain-text-errors')) {
        this.write(httpCode, 'text/plain; charset=utf-8', `Error: ${body.message ?? ''}\n`, extraHeaders);
        return;
      }
    }
    if (this.format === 'yaml') this.write(httpCode, 'application/yaml', YAML.stringify(body), extraHeaders);
    else this.write(httpCode, 'application/json', goJson(body, this.pretty), extraHeaders);
  }
}

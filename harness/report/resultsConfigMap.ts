/**
 * Where a run inside the cluster leaves its results for collection: a ConfigMap in the run's
 * namespace (--results-configmap NAME), written once at the end with the pod's own credentials.
 * `run-result.json.gz` (binaryData) is what `endpoints-conformance merge` reads; summary.json
 * and junit.xml ride along as text while they fit. Fetch them all with
 *   kubectl get configmaps -l endpoints-conformance/results=true -o json > results.json
 * and merge that file. A ConfigMap holds at most 1 MiB, so the files that do not fit are left
 * out (the note says which); run-result.json.gz always goes.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { authHeaders } from '../connection/types.ts';
import type { ResolvedConnection } from '../connection/types.ts';
import type { RunResult } from '../run/runResult.ts';
import { runResultProblem } from './runResultFile.ts';

export const resultsLabel = 'endpoints-conformance/results';
export const runResultKey = 'run-result.json.gz';
/** Below the 1 MiB limit of a ConfigMap, with room for metadata. */
const budgetBytes = 900 * 1024;

export interface ResultsConfigMapFiles {
  /** The masked text of run-result.json. */
  runResult: string;
  /** Optional text files, added in order while they fit: e.g. summary.json, junit.xml. */
  extras: Array<{ key: string; text: string }>;
}

export type StoreOutcome = { ok: true; left: string[] } | { ok: false; error: string };

function oneLine(text: string): string {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message.replace(/\s+/g, ' ').slice(0, 200);
  } catch {
    // not a Status
  }
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

export function resultsConfigMap(name: string, result: Pick<RunResult, 'runId' | 'options'>, files: ResultsConfigMapFiles): { body: Record<string, unknown>; left: string[] } {
  const gzipped = gzipSync(Buffer.from(files.runResult, 'utf8')).toString('base64');
  let used = gzipped.length;
  const data: Record<string, string> = {};
  const left: string[] = [];
  for (const extra of files.extras) {
    const size = Buffer.byteLength(extra.text, 'utf8');
    if (used + size > budgetBytes) left.push(extra.key);
    else {
      data[extra.key] = extra.text;
      used += size;
    }
  }
  const shard = result.options.shard;
  return {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/name': 'endpoints-conformance',
          [resultsLabel]: 'true',
          'endpoints-conformance/run': result.runId,
          ...(shard === undefined ? {} : { 'endpoints-conformance/shard': `${shard.index}-of-${shard.count}` }),
        },
      },
      data,
      binaryData: { [runResultKey]: gzipped },
    },
    left,
  };
}

/** Creates the ConfigMap (never replaces one: a name already there is an error saying so). */
export async function storeResultsConfigMap(connection: ResolvedConnection, name: string, result: RunResult, files: ResultsConfigMapFiles): Promise<StoreOutcome> {
  const { body, left } = resultsConfigMap(name, result, files);
  const dispatcher = new Agent({
    connect: {
      ...(connection.tls.caPem === undefined ? {} : { ca: connection.tls.caPem }),
      ...(connection.tls.certPem === undefined ? {} : { cert: connection.tls.certPem, key: connection.tls.keyPem }),
      rejectUnauthorized: !connection.tls.insecure,
    },
  });
  const where = `ConfigMap ${name} in namespace ${connection.namespace}`;
  try {
    const answer = await request(`${connection.baseUrl}/api/v1/namespaces/${encodeURIComponent(connection.namespace)}/configmaps`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(connection.auth.token === undefined ? {} : authHeaders(connection.auth.scheme, connection.auth.token)),
      },
      body: JSON.stringify(body),
      dispatcher,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await answer.body.text();
    if (answer.statusCode === 201) return { ok: true, left };
    if (answer.statusCode === 409) return { ok: false, error: `cannot store the results: ${where} already exists (from an earlier run: delete it first)` };
    return { ok: false, error: `cannot store the results: ${where}: ${answer.statusCode} ${oneLine(text)}` };
  } catch (error) {
    return { ok: false, error: `cannot store the results: ${where}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    await dispatcher.close();
  }
}

export type ResultsFromList = { ok: true; results: Array<{ source: string; result: RunResult }> } | { ok: false; error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for what `kubectl get configmap(s) -o json` prints. */
export function isConfigMapDocument(value: unknown): boolean {
  return isRecord(value) && (value.kind === 'ConfigMap' || value.kind === 'ConfigMapList' || value.kind === 'List');
}

/** The run results held by a ConfigMap or a list of them (`file` names the source in messages). */
export function resultsFromConfigMaps(document: unknown, file: string): ResultsFromList {
  const items = isRecord(document) && Array.isArray(document.items) ? document.items : [document];
  const results: Array<{ source: string; result: RunResult }> = [];
  for (const item of items) {
    if (!isRecord(item) || !isRecord(item.metadata)) continue;
    const name = typeof item.metadata.name === 'string' ? item.metadata.name : '(unnamed)';
    const binary = isRecord(item.binaryData) ? item.binaryData[runResultKey] : undefined;
    if (typeof binary !== 'string') continue;
    const source = `${file}: ConfigMap ${name}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(gunzipSync(Buffer.from(binary, 'base64')).toString('utf8'));
    } catch {
      return { ok: false, error: `${source}: ${runResultKey} does not unpack to JSON` };
    }
    const problem = runResultProblem(parsed);
    if (problem !== undefined) return { ok: false, error: `${source}: not a run result (${problem})` };
    results.push({ source, result: parsed as RunResult });
  }
  if (results.length === 0) return { ok: false, error: `${file}: no ConfigMap in it holds ${runResultKey} (fetch them with kubectl get configmaps -l ${resultsLabel}=true -o json)` };
  return { ok: true, results };
}

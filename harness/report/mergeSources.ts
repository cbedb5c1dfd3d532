/** What `endpoints-conformance merge` reads: a shard's report folder or its run-result.json (one
 * result), or what `kubectl get configmaps -l endpoints-conformance/results=true -o json` printed
 * (one result per ConfigMap). */
import type { RunResult } from '../run/runResult.ts';
import { isConfigMapDocument, resultsFromConfigMaps } from './resultsConfigMap.ts';
import { readRunResultFile } from './runResultFile.ts';

export type MergeSourceRead = { ok: true; results: Array<{ source: string; result: RunResult }> } | { ok: false; error: string };

export async function readMergeSource(source: string): Promise<MergeSourceRead> {
  const read = await readRunResultFile(source, isConfigMapDocument);
  if (!read.ok) return read;
  if ('document' in read) return resultsFromConfigMaps(read.document, source);
  return { ok: true, results: [{ source, result: read.result }] };
}

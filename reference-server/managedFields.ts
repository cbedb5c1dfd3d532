/**
 * metadata.managedFields for Update operations, simplified from the apiserver's field manager:
 * tracked fields are labels, annotations, ownerReferences, finalizers, generateName and the atomic
 * `subsets`; the writing manager takes ownership of what it changed, other managers lose it, a
 * manager that changed nothing gets no new entry, empty entries are dropped (M23, §6).
 */
import type { Endpoints, ManagedFieldsEntry, ObjectMeta } from './endpointsTypes.ts';

const SEP = '\u0000';

/** Tracked leaves of an object: path (joined by SEP) → a value fingerprint. */
function leaves(e: Endpoints): Map<string, string> {
  const out = new Map<string, string>();
  const m: ObjectMeta = e.metadata;
  const meta = (rest: string): string => `f:metadata${SEP}${rest}`;
  if (m.generateName) out.set(meta('f:generateName'), m.generateName);
  for (const [field, map] of [['f:labels', m.labels], ['f:annotations', m.annotations]] as const) {
    if (map && Object.keys(map).length) {
      out.set(meta(`${field}${SEP}.`), '');
      for (const k of Object.keys(map)) out.set(meta(`${field}${SEP}f:${k}`), map[k]);
    }
  }
  if (m.ownerReferences?.length) {
    out.set(meta(`f:ownerReferences${SEP}.`), '');
    for (const r of m.ownerReferences) out.set(meta(`f:ownerReferences${SEP}k:${JSON.stringify({ uid: r.uid ?? '' })}`), JSON.stringify(r));
  }
  if (m.finalizers?.length) {
    out.set(meta(`f:finalizers${SEP}.`), '');
    for (const f of m.finalizers) out.set(meta(`f:finalizers${SEP}v:${JSON.stringify(f)}`), '');
  }
  if (e.subsets?.length) out.set('f:subsets', JSON.stringify(e.subsets));
  return out;
}

function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, Record<string, unknown>> = {};
  for (const p of paths) {
    let node: Record<string, unknown> = root;
    for (const seg of p.split(SEP)) {
      node[seg] ??= {};
      node = node[seg] as Record<string, unknown>;
    }
  }
  return sortKeys(root) as Record<string, unknown>;
}

function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = sortKeys(o[k]);
  return out;
}

function fromFieldsV1(v: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, prefix: string): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && prefix) { out.add(prefix); return; }
    for (const k of keys) walk((node as Record<string, unknown>)[k], prefix ? `${prefix}${SEP}${k}` : k);
  };
  walk(v, '');
  return out;
}

function decodable(entries: ManagedFieldsEntry[]): boolean {
  return entries.every((e) => (e.operation === 'Apply' || e.operation === 'Update') && e.fieldsType === 'FieldsV1' && !!e.apiVersion
    && (e.fieldsV1 === undefined || (typeof e.fieldsV1 === 'object' && e.fieldsV1 !== null && !Array.isArray(e.fieldsV1))));
}

function isEmptyEntry(e: ManagedFieldsEntry): boolean {
  return Object.values(e).every((v) => v === undefined || v === '');
}

/**
 * The managedFields the written object gets. `previous` is the stored object (undefined on create),
 * `incoming` the object being written (its own managedFields as sent), `now` ms.
 */
export function computeManagedFields(previous: Endpoints | undefined, incoming: Endpoints, manager: string, now: number): ManagedFieldsEntry[] | undefined {
  const sent = incoming.metadata.managedFields;
  const live = previous?.metadata.managedFields ?? [];
  let base: ManagedFieldsEntry[];
  if (sent && sent.length === 1 && isEmptyEntry(sent[0])) base = [];
  else if (sent && sent.length > 0 && decodable(sent)) base = sent.map((e) => ({ ...e }));
  else base = live.map((e) => ({ ...e }));

  const after = leaves(incoming);
  const before = previous ? leaves(previous) : new Map<string, string>();
  const changed = new Set<string>();
  for (const [k, v] of after) if (before.get(k) !== v) changed.add(k);
  for (const k of before.keys()) if (!after.has(k)) changed.add(k);
  if (changed.size === 0) return base.length ? base : undefined;

  const result: ManagedFieldsEntry[] = [];
  let mine: Set<string> | undefined;
  let minePosition = -1;
  for (const e of base) {
    const owned = fromFieldsV1(e.fieldsV1);
    const isMine = e.manager === manager && e.operation === 'Update' && e.apiVersion === 'v1' && !e.subresource;
    for (const k of [...owned]) if (changed.has(k) || !after.has(k)) owned.delete(k);
    if (isMine) { mine = owned; minePosition = result.length; continue; }
    if (owned.size === 0) continue;
    result.push({ ...e, fieldsV1: toFieldsV1(owned) });
  }
  mine ??= new Set<string>();
  for (const k of changed) if (after.has(k)) mine.add(k);
  if (mine.size > 0) {
    const entry: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion: 'v1', time: Math.floor(now / 1000) * 1000, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(mine) };
    if (minePosition >= 0) result.splice(minePosition, 0, entry); else result.push(entry);
  }
  return result.length ? result : undefined;
}

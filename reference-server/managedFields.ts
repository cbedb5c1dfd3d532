/**
 * metadata.managedFields for Update operations, simplified from the apiserver's field manager:
 * tracked fields are labels, annotations, ownerReferences, finalizers, generateName and the atomic
 * `subsets`; the writing manager takes ownership of what it changed, other managers lose it, a
 * manager that changed nothing gets no new entry, empty entries are dropped (M23, §6).
 */
import type { Endpoints, ManagedFieldsEntry, ObjectMeta } from './endpointsTypes.ts';

const SEP = '\u0000';

/** Tracked leaves of an object: path (segments joined by SEP) → its value (compared deeply). */
export type TrackedLeaves = ReadonlyMap<string, unknown>;

export function trackedLeaves(e: Endpoints): TrackedLeaves {
  const out = new Map<string, unknown>();
  const m: ObjectMeta = e.metadata;
  const meta = (rest: string): string => `f:metadata${SEP}${rest}`;
  if (m.generateName) out.set(meta('f:generateName'), m.generateName);
  if (m.labels) addMap(out, meta('f:labels'), m.labels);
  if (m.annotations) addMap(out, meta('f:annotations'), m.annotations);
  if (m.ownerReferences?.length) {
    out.set(meta(`f:ownerReferences${SEP}.`), true);
    for (const r of m.ownerReferences) out.set(meta(`f:ownerReferences${SEP}k:${JSON.stringify({ uid: r.uid ?? '' })}`), r);
  }
  if (m.finalizers?.length) {
    out.set(meta(`f:finalizers${SEP}.`), true);
    for (const f of m.finalizers) out.set(meta(`f:finalizers${SEP}v:${JSON.stringify(f)}`), true);
  }
  if (e.subsets?.length) out.set('f:subsets', e.subsets);
  return out;
}

function addMap(out: Map<string, unknown>, prefix: string, map: Record<string, string>): void {
  let any = false;
  for (const k in map) {
    any = true;
    out.set(`${prefix}${SEP}f:${k}`, map[k]);
  }
  if (any) out.set(`${prefix}${SEP}.`, true);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) if (!(k in bo) || !deepEqual(ao[k], bo[k])) return false;
  return true;
}

type FieldsNode = Record<string, unknown>;

function isNode(v: unknown): v is FieldsNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasPath(root: unknown, segs: string[]): boolean {
  let node = root;
  for (const s of segs) {
    if (!isNode(node) || !(s in node)) return false;
    node = node[s];
  }
  return true;
}

function clone(v: unknown): FieldsNode {
  const out: FieldsNode = {};
  if (!isNode(v)) return out;
  for (const k in v) out[k] = isNode(v[k]) ? clone(v[k]) : v[k];
  return out;
}

function addPath(root: FieldsNode, segs: string[]): void {
  let node = root;
  for (const s of segs) {
    if (!isNode(node[s])) node[s] = {};
    node = node[s] as FieldsNode;
  }
}

/** Removes the leaf at segs and any parent left empty. */
function deletePath(root: FieldsNode, segs: string[]): void {
  const chain: FieldsNode[] = [root];
  let node: unknown = root;
  for (const s of segs.slice(0, -1)) {
    if (!isNode(node) || !isNode(node[s])) return;
    node = node[s];
    chain.push(node as FieldsNode);
  }
  delete chain[chain.length - 1][segs[segs.length - 1]];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]).length > 0) break;
    delete chain[i - 1][segs[i - 1]];
  }
}

function sortKeys(v: unknown): unknown {
  if (!isNode(v)) return v;
  const out: FieldsNode = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

function decodable(entries: ManagedFieldsEntry[]): boolean {
  return entries.every((e) => (e.operation === 'Apply' || e.operation === 'Update') && e.fieldsType === 'FieldsV1' && !!e.apiVersion
    && (e.fieldsV1 === undefined || isNode(e.fieldsV1)));
}

function isEmptyEntry(e: ManagedFieldsEntry): boolean {
  return Object.values(e).every((v) => v === undefined || v === '');
}

/**
 * The managedFields the written object gets. `previous` is the stored object (undefined on create)
 * and `previousLeaves` its cached leaves; `after` the leaves of `incoming`; `now` ms.
 */
export function computeManagedFields(previous: Endpoints | undefined, previousLeaves: TrackedLeaves | undefined,
  incoming: Endpoints, after: TrackedLeaves, manager: string, now: number): ManagedFieldsEntry[] | undefined {
  const sent = incoming.metadata.managedFields;
  const live = previous?.metadata.managedFields ?? [];
  let base: ManagedFieldsEntry[];
  if (sent && sent.length === 1 && isEmptyEntry(sent[0])) base = [];
  else if (sent && sent.length > 0 && decodable(sent)) base = sent;
  else base = live;

  const changed: string[][] = [];
  const before = previousLeaves;
  for (const [k, v] of after) if (!before || !before.has(k) || !deepEqual(before.get(k), v)) changed.push(k.split(SEP));
  if (before) for (const k of before.keys()) if (!after.has(k)) changed.push(k.split(SEP));
  if (changed.length === 0) return base.length ? base : undefined;

  const result: ManagedFieldsEntry[] = [];
  let mine: FieldsNode | undefined;
  let minePosition = -1;
  for (const e of base) {
    const isMine = e.manager === manager && e.operation === 'Update' && e.apiVersion === 'v1' && !e.subresource;
    if (isMine) { mine = clone(e.fieldsV1); minePosition = result.length; continue; }
    const lost = changed.filter((segs) => hasPath(e.fieldsV1, segs));
    if (lost.length === 0) { result.push(e); continue; }
    const owned = clone(e.fieldsV1);
    for (const segs of lost) deletePath(owned, segs);
    if (Object.keys(owned).length > 0) result.push({ ...e, fieldsV1: owned });
  }
  mine ??= {};
  for (const segs of changed) {
    if (after.has(segs.join(SEP))) addPath(mine, segs);
    else deletePath(mine, segs);
  }
  if (Object.keys(mine).length > 0) {
    const entry: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion: 'v1', time: Math.floor(now / 1000) * 1000, fieldsType: 'FieldsV1', fieldsV1: sortKeys(mine) };
    if (minePosition >= 0) result.splice(minePosition, 0, entry); else result.push(entry);
  }
  return result.length ? result : undefined;
}

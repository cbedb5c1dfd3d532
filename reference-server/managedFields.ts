/**
 * metadata.managedFields for Update operations, simplified from the apiserver's field manager:
 * tracked fields are labels, annotations, ownerReferences, finalizers, generateName and the atomic
 * `subsets`; the writing manager takes ownership of what it changed, other managers lose it, a
 * manager that changed nothing gets no new entry, empty entries are dropped (M23, §6).
 */
import { boundedMemo } from './boundedMemo.ts';
import type { Endpoints, ManagedFieldsEntry, ObjectMeta } from './endpointsTypes.ts';

const SEP = '\u0000';

/** Tracked leaves of an object: path (segments joined by SEP) → its value (compared deeply). */
export type TrackedLeaves = ReadonlyMap<string, unknown>;

const metaPrefix = `f:metadata${SEP}`;
const generateNameLeaf = `${metaPrefix}f:generateName`;
const ownerReferencesLeaf = `${metaPrefix}f:ownerReferences${SEP}.`;
const finalizersLeaf = `${metaPrefix}f:finalizers${SEP}.`;

export function trackedLeaves(e: Endpoints): TrackedLeaves {
  const out = new Map<string, unknown>();
  const m: ObjectMeta = e.metadata;
  if (m.generateName) out.set(generateNameLeaf, m.generateName);
  if (m.labels) addMap(out, labelLeaves, m.labels);
  if (m.annotations) addMap(out, annotationLeaves, m.annotations);
  if (m.ownerReferences?.length) {
    out.set(ownerReferencesLeaf, true);
    for (const r of m.ownerReferences) out.set(`${metaPrefix}f:ownerReferences${SEP}k:${JSON.stringify({ uid: r.uid ?? '' })}`, r);
  }
  if (m.finalizers?.length) {
    out.set(finalizersLeaf, true);
    for (const f of m.finalizers) out.set(`${metaPrefix}f:finalizers${SEP}v:${JSON.stringify(f)}`, true);
  }
  if (e.subsets?.length) out.set('f:subsets', e.subsets);
  return out;
}

/**
 * Leaf keys of map entries, built once per key and reused: the same label keys come back on every
 * update, and a reused key string is hashed once instead of on every lookup.
 */
class MapLeafKeys {
  /** The key of the map's "." (the map itself). */
  readonly dot: string;
  /** The leaf key of the map's entry `k`. */
  readonly of: (k: string) => string;

  constructor(prefix: string) {
    this.dot = `${prefix}${SEP}.`;
    this.of = boundedMemo(4096, (k: string) => `${prefix}${SEP}f:${k}`);
  }
}

const labelLeaves = new MapLeafKeys(`${metaPrefix}f:labels`);
const annotationLeaves = new MapLeafKeys(`${metaPrefix}f:annotations`);

function addMap(out: Map<string, unknown>, leaves: MapLeafKeys, map: Record<string, string>): void {
  let any = false;
  for (const k in map) {
    any = true;
    out.set(leaves.of(k), map[k]);
  }
  if (any) out.set(leaves.dot, true);
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

/** A tracked leaf whose value changed: its path, and whether the written object has it. */
interface ChangedPath { segs: string[]; present: boolean }

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

/** Field sets produced by sortKeys (sorted at every level); never changed afterwards. */
const sortedFieldSets = new WeakSet<object>();

function sortKeys(v: unknown): unknown {
  if (!isNode(v)) return v;
  const out: FieldsNode = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  sortedFieldSets.add(out);
  return out;
}

/** Every segment of the path exists and is a node, so adding the path changes nothing. */
function hasNodePath(root: unknown, segs: readonly string[]): boolean {
  let node = root;
  for (const s of segs) {
    if (!isNode(node)) return false;
    node = node[s];
  }
  return isNode(node);
}

/**
 * The writer's field set is already exactly what the edit would produce: it was sorted by a
 * previous write and already owns every changed path (the usual repeated update by one manager).
 */
function ownsAllAlready(fields: unknown, changed: ReadonlyArray<ChangedPath>): boolean {
  if (!isNode(fields) || !sortedFieldSets.has(fields)) return false;
  for (const c of changed) if (!c.present || !hasNodePath(fields, c.segs)) return false;
  return true;
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

  const changed: ChangedPath[] = [];
  const before = previousLeaves;
  for (const [k, v] of after) {
    const was = before?.get(k);
    if (was === undefined || !deepEqual(was, v)) changed.push({ segs: k.split(SEP), present: true });
  }
  if (before) for (const k of before.keys()) if (!after.has(k)) changed.push({ segs: k.split(SEP), present: false });
  if (changed.length === 0) return base.length ? base : undefined;

  const result: ManagedFieldsEntry[] = [];
  let mineFields: unknown;
  let minePosition = -1;
  for (const e of base) {
    const isMine = e.manager === manager && e.operation === 'Update' && e.apiVersion === 'v1' && !e.subresource;
    if (isMine) { mineFields = e.fieldsV1; minePosition = result.length; continue; }
    const lost = changed.filter((c) => hasPath(e.fieldsV1, c.segs));
    if (lost.length === 0) { result.push(e); continue; }
    const owned = clone(e.fieldsV1);
    for (const c of lost) deletePath(owned, c.segs);
    if (Object.keys(owned).length > 0) result.push({ ...e, fieldsV1: owned });
  }
  let fields: unknown;
  if (minePosition >= 0 && ownsAllAlready(mineFields, changed)) {
    fields = mineFields;
  } else {
    const mine = minePosition >= 0 ? clone(mineFields) : {};
    for (const c of changed) {
      if (c.present) addPath(mine, c.segs);
      else deletePath(mine, c.segs);
    }
    if (Object.keys(mine).length > 0) fields = sortKeys(mine);
  }
  if (fields !== undefined) {
    const entry: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion: 'v1', time: Math.floor(now / 1000) * 1000, fieldsType: 'FieldsV1', fieldsV1: fields };
    if (minePosition >= 0) result.splice(minePosition, 0, entry); else result.push(entry);
  }
  return result.length ? result : undefined;
}

/**
 * In-memory storage: Endpoints by namespace/name, the namespaces, and one global, monotonically
 * increasing resourceVersion counter (like an etcd revision). All operations are synchronous so a
 * compare-and-write can never interleave with another request.
 */
import { randomUUID } from 'node:crypto';
import type { Endpoints } from './endpointsTypes.ts';
import type { TrackedLeaves } from './managedFields.ts';

export interface StoredEndpoints {
  object: Endpoints;
  /** The stored serialization (compact JSON as answered); equal bytes mean a no-op write. */
  json: string;
  /** The fields managedFields tracks, cached for the next update. */
  leaves: TrackedLeaves;
}

export interface StoredNamespace { name: string; uid: string; resourceVersion: string; creationTimestamp: number }

export class EndpointsStore {
  private revision = 1000;
  /** By namespace, then name. */
  private readonly objects = new Map<string, Map<string, StoredEndpoints>>();
  private readonly namespaces = new Map<string, StoredNamespace>();

  constructor(namespaceNames: readonly string[]) {
    const now = Math.floor(Date.now() / 1000) * 1000;
    for (const name of namespaceNames) {
      this.namespaces.set(name, { name, uid: randomUUID(), resourceVersion: this.nextRevision(), creationTimestamp: now });
    }
  }

  /** The next revision as a decimal string. */
  nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  currentRevision(): string {
    return String(this.revision);
  }

  namespace(name: string): StoredNamespace | undefined {
    return this.namespaces.get(name);
  }

  namespaceList(): StoredNamespace[] {
    return [...this.namespaces.values()];
  }

  get(namespace: string, name: string): StoredEndpoints | undefined {
    return this.objects.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, value: StoredEndpoints): void {
    let inNamespace = this.objects.get(namespace);
    if (inNamespace === undefined) {
      inNamespace = new Map();
      this.objects.set(namespace, inNamespace);
    }
    inNamespace.set(name, value);
  }

  delete(namespace: string, name: string): StoredEndpoints | undefined {
    const inNamespace = this.objects.get(namespace);
    const v = inNamespace?.get(name);
    if (v) inNamespace?.delete(name);
    return v;
  }

  /** Objects of one namespace (or all when namespace is undefined), sorted by namespace/name. */
  list(namespace: string | undefined): StoredEndpoints[] {
    const out: Array<[string, StoredEndpoints]> = [];
    for (const [ns, inNamespace] of this.objects) {
      if (namespace !== undefined && ns !== namespace) continue;
      for (const [name, v] of inNamespace) out.push([`${ns}/${name}`, v]);
    }
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.map(([, v]) => v);
  }
}

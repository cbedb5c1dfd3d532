/**
 * The project's Kubernetes manifests (deploy/), read as objects and sent to a real apiserver the
 * way `kubectl apply --dry-run=server` and `kubectl create` would: POST to the kind's collection,
 * first with ?dryRun=All (validated and admitted, nothing stored), then for real. Kept free of
 * kubectl so the tests do not depend on it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { RunningControlPlane } from './controlPlane.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Every document of a YAML file under deploy/ (empty documents dropped). */
export function readManifests(relativePath: string): KubeObject[] {
  const text = readFileSync(path.join(projectRoot, relativePath), 'utf8');
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null && typeof object === 'object');
}

const collections: Record<string, { prefix: string; plural: string; namespaced: boolean }> = {
  'v1/Namespace': { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  'v1/ServiceAccount': { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  'v1/Secret': { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  'v1/ConfigMap': { prefix: '/api/v1', plural: 'configmaps', namespaced: true },
  'v1/Pod': { prefix: '/api/v1', plural: 'pods', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  'batch/v1/Job': { prefix: '/apis/batch/v1', plural: 'jobs', namespaced: true },
};

export function collectionPath(object: KubeObject): string {
  const known = collections[`${object.apiVersion}/${object.kind}`];
  if (known === undefined) throw new Error(`no collection known for ${object.apiVersion} ${object.kind}`);
  if (!known.namespaced) return `${known.prefix}/${known.plural}`;
  if (object.metadata.namespace === undefined) throw new Error(`${object.kind} ${object.metadata.name} has no namespace`);
  return `${known.prefix}/namespaces/${object.metadata.namespace}/${known.plural}`;
}

/** The same objects moved to another namespace (RoleBinding subjects too); the Namespace object
 * renamed; cluster-scoped objects keep no namespace but get the namespace as a name suffix. */
export function inNamespace(objects: KubeObject[], namespace: string): KubeObject[] {
  return objects.map((original) => {
    const object = structuredClone(original);
    const clusterScoped = object.kind === 'ClusterRole' || object.kind === 'ClusterRoleBinding';
    if (object.kind === 'Namespace') object.metadata.name = namespace;
    else if (clusterScoped) object.metadata.name = `${object.metadata.name}-${namespace}`;
    else object.metadata.namespace = namespace;
    if (object.kind === 'ClusterRoleBinding') (object.roleRef as { name: string }).name = `${(object.roleRef as { name: string }).name}-${namespace}`;
    if ((object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && Array.isArray(object.subjects)) {
      for (const subject of object.subjects as Array<{ namespace?: string }>) if (subject.namespace !== undefined) subject.namespace = namespace;
    }
    return object;
  });
}

export interface Created {
  status: number;
  body: unknown;
  text: string;
}

/** POST to the object's collection; `dryRun` adds ?dryRun=All. */
export function createObject(plane: RunningControlPlane, object: KubeObject, dryRun: boolean): Promise<Created> {
  return plane.api('POST', `${collectionPath(object)}${dryRun ? '?dryRun=All' : ''}`, object);
}

/** Each object in order: a dry run, then for real (as `kubectl apply` goes object by object, so a
 * namespaced object's dry run finds its namespace); throws with the apiserver's message on any refusal. */
export async function applyManifests(plane: RunningControlPlane, objects: KubeObject[]): Promise<void> {
  for (const object of objects) {
    for (const dryRun of [true, false]) {
      const answer = await createObject(plane, object, dryRun);
      if (answer.status !== 201) {
        throw new Error(`${dryRun ? 'dry run of ' : ''}${object.kind} ${object.metadata.name}: ${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }
  }
}

/** A token for a ServiceAccount from the TokenRequest API (what the kubelet mounts in a pod). */
export async function serviceAccountToken(plane: RunningControlPlane, namespace: string, name: string, seconds = 3600): Promise<string> {
  const answer = await plane.api('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: seconds },
  });
  const token = (answer.body as { status?: { token?: unknown } }).status?.token;
  if (answer.status !== 201 || typeof token !== 'string') throw new Error(`TokenRequest for ${namespace}/${name}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return token;
}

/** Waits until the apiserver's authorizer says `user` may (or may not) do `verb` on `resource` in `namespace`. */
export async function waitForAccess(plane: RunningControlPlane, user: string, namespace: string, resource: string, verb: string, allowed: boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await plane.api('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { user, resourceAttributes: { namespace, resource, verb } },
    });
    if ((answer.body as { status?: { allowed?: boolean } }).status?.allowed === allowed) return;
    if (Date.now() > deadline) throw new Error(`${user} ${allowed ? 'still may not' : 'still may'} ${verb} ${resource} in ${namespace}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

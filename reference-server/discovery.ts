/**
 * Discovery documents: /version, /api, /apis, /api/v1 and the OpenAPI v3 documents kubectl
 * reads before a replace (a `patch` operation carrying x-kubernetes-group-version-kind and a
 * fieldValidation parameter makes kubectl use server-side field validation).
 */

export interface VersionInfo { major: string; minor: string; gitVersion: string }

export function versionDocument(v: VersionInfo): Record<string, string> {
  return {
    major: v.major, minor: v.minor, gitVersion: v.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.24.0', compiler: 'gc', platform: 'linux/amd64',
  };
}

export function apiVersionsDocument(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export const apiGroupListDocument = { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };

export const coreV1ResourceList = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'endpoints', singularName: 'endpoints', namespaced: true, kind: 'Endpoints', verbs: ['delete', 'get', 'list', 'update'], shortNames: ['ep'] },
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
  ],
};

const openApiHash = 'A0B1C2D3E4F5061728394A5B6C7D8E9F0A1B2C3D4E5F60718293A4B5C6D7E8F9';

export const openApiRoot = { paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${openApiHash}` } } };

const gvk = { group: '', version: 'v1', kind: 'Endpoints' };
const ref = { $ref: '#/components/schemas/io.k8s.api.core.v1.Endpoints' };
const param = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const writeParams = [
  param('dryRun', 'When present, indicates that modifications should not be persisted.'),
  param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
];
const okResponses = {
  '200': { description: 'OK', content: { 'application/json': { schema: ref } } },
  '201': { description: 'Created', content: { 'application/json': { schema: ref } } },
  '401': { description: 'Unauthorized' },
};

const str = { type: 'string' };
export const openApiCoreV1 = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes', version: 'v1.35.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/endpoints/{name}': {
      parameters: [
        { name: 'name', in: 'path', required: true, schema: str },
        { name: 'namespace', in: 'path', required: true, schema: str },
        { name: 'pretty', in: 'query', schema: str },
      ],
      get: { operationId: 'readCoreV1NamespacedEndpoints', 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: okResponses },
      put: {
        operationId: 'replaceCoreV1NamespacedEndpoints', 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk,
        parameters: writeParams, requestBody: { content: { 'application/json': { schema: ref } }, required: true }, responses: okResponses,
      },
      patch: {
        operationId: 'patchCoreV1NamespacedEndpoints', 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk,
        parameters: [...writeParams, { name: 'force', in: 'query', schema: { type: 'boolean' } }],
        requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } } }, required: true }, responses: okResponses,
      },
      delete: { operationId: 'deleteCoreV1NamespacedEndpoints', 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
    },
  },
  components: {
    schemas: {
      'io.k8s.api.core.v1.Endpoints': {
        type: 'object',
        properties: {
          apiVersion: str, kind: str,
          metadata: { type: 'object' },
          subsets: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' },
        },
        'x-kubernetes-group-version-kind': [gvk],
      },
    },
  },
};

/**
 * The OpenAPI documents as the emulated release serves them: v3 (from 1.24) and v2 (every
 * release), the PUT on endpoints listing fieldValidation only where the release has it. The
 * harness reads these to detect what the target advertises.
 */
import { openApiCoreV1 } from './discovery.ts';
import { hasFieldValidation } from './emulatedRelease.ts';

type JsonObject = Record<string, unknown>;

const itemPath = '/api/v1/namespaces/{namespace}/endpoints/{name}';

function withoutFieldValidation(parameters: unknown): unknown {
  return Array.isArray(parameters) ? parameters.filter((p: unknown) => (p as JsonObject).name !== 'fieldValidation') : parameters;
}

/** /openapi/v3/api/v1 for the release. */
export function openApiCoreV1For(minor: number, gitVersion: string): JsonObject {
  const item = openApiCoreV1.paths[itemPath];
  const keep = hasFieldValidation(minor);
  return {
    ...openApiCoreV1,
    info: { ...openApiCoreV1.info, version: gitVersion },
    paths: {
      [itemPath]: keep
        ? item
        : { ...item, put: { ...item.put, parameters: withoutFieldValidation(item.put.parameters) }, patch: { ...item.patch, parameters: withoutFieldValidation(item.patch.parameters) } },
    },
  };
}

/** /openapi/v2 for the release: the Endpoints item path, its query parameters by reference as kube-apiserver writes them. */
export function openApiV2For(minor: number, gitVersion: string): JsonObject {
  const query = (name: string, description: string): JsonObject => ({ uniqueItems: true, type: 'string', description, name, in: 'query' });
  const putParameters: unknown[] = [
    { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.api.core.v1.Endpoints' } },
    query('dryRun', 'When present, indicates that modifications should not be persisted.'),
    query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  ];
  if (hasFieldValidation(minor)) putParameters.push(query('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.'));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths: {
      [itemPath]: {
        put: { operationId: 'replaceCoreV1NamespacedEndpoints', consumes: ['*/*'], produces: ['application/json', 'application/yaml'], parameters: putParameters, responses: { '200': { description: 'OK' }, '201': { description: 'Created' }, '401': { description: 'Unauthorized' } } },
        parameters: [
          { uniqueItems: true, type: 'string', description: 'name of the Endpoints', name: 'name', in: 'path', required: true },
          { $ref: '#/parameters/namespace-vgWSWtn3' },
          { $ref: '#/parameters/pretty-nN7o5FEq' },
        ],
      },
    },
    parameters: {
      'namespace-vgWSWtn3': { uniqueItems: true, type: 'string', description: 'object name and auth scope, such as for teams and projects', name: 'namespace', in: 'path', required: true },
      'pretty-nN7o5FEq': { uniqueItems: true, type: 'string', description: "If 'true', then the output is pretty printed.", name: 'pretty', in: 'query' },
    },
    definitions: { 'io.k8s.api.core.v1.Endpoints': { type: 'object' } },
  };
}

/**
 * The contract document itself: valid OpenAPI, loaded once, and every node says where it
 * comes from.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ContractError, defaultContractPath, loadContract } from '../spec/loadContract.ts';
import { nameFormatOf, keyNameFormatOf, sourceOf, isNotOnVendorPage } from '../spec/contractRules.ts';
import type { OpenAPIV3 } from 'openapi-types';
import { alteredContractFile, at, rawContract, rawParameter } from './fixtures/spec/contractCopies.ts';

describe('spec: the contract document', () => {
  it('validates as OpenAPI 3.0 (swagger-parser)', async () => {
    const api = await SwaggerParser.validate(defaultContractPath);
    assert.match((api as OpenAPIV3.Document).openapi, /^3\.0\./);
  });

  it('loads: the PUT, its parameters, the schemas and the documented statuses', async () => {
    const contract = await loadContract();
    assert.equal(contract.documentPath, defaultContractPath);
    assert.equal(contract.operation.operationId, 'replaceNamespacedEndpoints');
    assert.deepEqual(Object.keys(contract.parameters).sort(), [
      'Content-Type', 'dryRun', 'fieldManager', 'fieldValidation', 'name', 'namespace', 'pretty',
    ]);
    assert.equal(contract.parameters.name?.in, 'path');
    assert.equal(contract.parameters['Content-Type']?.in, 'header');
    assert.deepEqual(Object.keys(contract.schemas).sort(), [
      'EndpointAddress', 'EndpointPort', 'EndpointSubset', 'Endpoints', 'ListMeta', 'ManagedFieldsEntry',
      'ObjectMeta', 'ObjectReference', 'OwnerReference', 'Status', 'StatusCause', 'StatusDetails',
    ]);
    assert.deepEqual(contract.documentedStatuses, [200, 201, 400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 500, 503, 504]);
    // dereferenced: no $ref left anywhere
    assert.doesNotMatch(JSON.stringify(contract.document), /"\$ref"/);
  });

  it('hashes the file bytes and caches one promise per path', async () => {
    const contract = await loadContract();
    const expected = createHash('sha256').update(await readFile(defaultContractPath)).digest('hex');
    assert.equal(contract.sha256, expected);
    assert.equal(loadContract(), loadContract(defaultContractPath));
    assert.equal(await loadContract(), contract);
  });

  it('rejects a document that is not valid OpenAPI with one line naming the file', async () => {
    const path = await alteredContractFile((document) => {
      rawParameter(document, 'dryRun').in = 'body'; // not a 3.0 parameter location
    });
    await assert.rejects(loadContract(path), (error: unknown) => {
      assert.ok(error instanceof ContractError);
      assert.ok(error.message.includes(path));
      assert.match(error.message, /not a valid OpenAPI document/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  it('rejects a missing file with one line', async () => {
    await assert.rejects(loadContract('/nonexistent/contract.yaml'), /^ContractError: cannot read the contract \/nonexistent\/contract\.yaml/);
  });

  it('gives every parameter, schema, property and response an x-source with a known origin', async () => {
    const document = await rawContract();
    const missing: string[] = [];
    const check = (where: string, node: Record<string, unknown>): void => {
      if (sourceOf(node) === undefined) missing.push(where);
    };
    const operation = at(document, 'paths', '/api/v1/namespaces/{namespace}/endpoints/{name}', 'put');
    for (const parameter of operation.parameters as Array<Record<string, unknown>>) check(`parameter ${String(parameter.name)}`, parameter);
    for (const [name, scheme] of Object.entries(at(document, 'components', 'securitySchemes'))) check(`security scheme ${name}`, scheme as Record<string, unknown>);
    for (const [code, response] of Object.entries(at(document, 'components', 'responses'))) check(`response ${code}`, response as Record<string, unknown>);
    for (const [code, response] of Object.entries(operation.responses as Record<string, Record<string, unknown>>)) {
      if (!('$ref' in response)) check(`response ${code}`, response);
    }
    const walkSchema = (where: string, schema: Record<string, unknown>): void => {
      if ('$ref' in schema) return;
      check(where, schema);
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        walkSchema(`${where}.${name}`, property);
      }
      // inline array items and map values are schemas too; `$ref`s are checked at their component
      const items = schema.items as Record<string, unknown> | undefined;
      if (items !== undefined) walkSchema(`${where}[]`, items);
      const values = schema.additionalProperties;
      if (typeof values === 'object' && values !== null) walkSchema(`${where}{}`, values as Record<string, unknown>);
    };
    for (const [name, schema] of Object.entries(at(document, 'components', 'schemas'))) walkSchema(name, schema as Record<string, unknown>);
    assert.deepEqual(missing, []);
  });

  it('marks everything the page does not mention as coming from Kubernetes', async () => {
    const document = await rawContract();
    const wrong: string[] = [];
    const visit = (where: string, node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      if (!Array.isArray(node) && isNotOnVendorPage(node) && sourceOf(node)?.origin !== 'kubernetes') wrong.push(where);
      for (const [key, value] of Object.entries(node)) visit(`${where}/${key}`, value);
    };
    visit('', document);
    assert.deepEqual(wrong, []);
    assert.equal(rawParameter(document, 'fieldValidation')['x-not-on-vendor-page'], true);
    assert.equal(at(document, 'components', 'securitySchemes', 'bearer')['x-not-on-vendor-page'], true);
    assert.equal(at(document, 'components', 'responses', 'RequestEntityTooLarge')['x-not-on-vendor-page'], true);
  });

  it('uses only known name formats, on the fields the Kubernetes rules name', async () => {
    const contract = await loadContract();
    const found: string[] = [];
    // Walks one component's own fields; array items and map values that are objects are
    // components of their own and are visited as such.
    const visit = (where: string, schema: OpenAPIV3.SchemaObject): void => {
      const raw = (schema as Record<string, unknown>)['x-name-format'];
      if (raw !== undefined) {
        assert.ok(nameFormatOf(schema) !== undefined, `${where}: unknown x-name-format ${String(raw)}`);
        found.push(`${where}=${String(raw)}`);
      }
      const rawKey = (schema as Record<string, unknown>)['x-key-name-format'];
      if (rawKey !== undefined) {
        assert.ok(keyNameFormatOf(schema) !== undefined, `${where}: unknown x-key-name-format ${String(rawKey)}`);
        found.push(`${where}{key}=${String(rawKey)}`);
      }
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(`${where}.${name}`, property as OpenAPIV3.SchemaObject);
      const items = schema.type === 'array' ? (schema.items as OpenAPIV3.SchemaObject) : undefined;
      if (items !== undefined && items.type !== 'object') visit(`${where}[]`, items);
      const values = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as OpenAPIV3.SchemaObject) : undefined;
      if (values !== undefined && values.type !== 'object') visit(`${where}{}`, values);
    };
    for (const [name, schema] of Object.entries(contract.schemas)) visit(name, schema);
    assert.deepEqual(found.sort(), [
      'EndpointAddress.hostname=dns-1123-label',
      'EndpointAddress.nodeName=dns-1123-subdomain',
      'EndpointPort.appProtocol=qualified-name',
      'EndpointPort.name=dns-1123-label',
      'ObjectMeta.annotations{key}=qualified-name',
      'ObjectMeta.finalizers[]=qualified-name',
      'ObjectMeta.labels{key}=qualified-name',
      'ObjectMeta.labels{}=label-value',
      'ObjectMeta.name=dns-1123-subdomain',
    ]);
  });
});

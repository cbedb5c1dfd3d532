/**
 * Loads the contract document: reads the YAML, validates it as OpenAPI (swagger-parser),
 * dereferences it, and picks out the PUT operation, its parameters and the component schemas.
 * Done once per path per process: callers share the cached promise.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OpenAPI, OpenAPIV3 } from 'openapi-types';
import { readCachedDocument } from './contractCache.ts';
import { projectRoot } from './projectRoot.ts';

export interface Contract {
  /** Absolute path of the YAML. */
  documentPath: string;
  /** Hex sha256 of the document file bytes. */
  sha256: string;
  /** Validated, then dereferenced (swagger-parser). */
  document: OpenAPIV3.Document;
  /** The PUT. */
  operation: OpenAPIV3.OperationObject;
  /** By name: name, namespace, dryRun, fieldManager, pretty, fieldValidation, Content-Type. */
  parameters: Record<string, OpenAPIV3.ParameterObject>;
  /** Dereferenced components.schemas by name. */
  schemas: Record<string, OpenAPIV3.SchemaObject>;
  /** Sorted, from operation.responses. */
  documentedStatuses: number[];
}

/** The operation this project is about. */
export const contractOperationPath = '/api/v1/namespaces/{namespace}/endpoints/{name}';
export const contractOperationMethod = 'put';

export const defaultContractPath: string = resolve(projectRoot, 'spec', 'endpoints-replace.openapi.yaml');

/** Thrown for any problem with the document; the message is one line, naming the file. */
export class ContractError extends Error {
  override name = 'ContractError';
}

const loaded = new Map<string, Promise<Contract>>();

export function loadContract(path: string = defaultContractPath): Promise<Contract> {
  const documentPath = resolve(path);
  let contract = loaded.get(documentPath);
  if (contract === undefined) {
    contract = readContract(documentPath);
    loaded.set(documentPath, contract);
  }
  return contract;
}

async function readContract(documentPath: string): Promise<Contract> {
  let bytes: Buffer;
  try {
    bytes = await readFile(documentPath);
  } catch (error) {
    throw new ContractError(`cannot read the contract ${documentPath}: ${oneLine(error)}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // the build validated and dereferenced these very bytes already (spec/contractCache.ts)
  const cached = documentPath === defaultContractPath ? readCachedDocument(sha256) : undefined;
  if (cached !== undefined) return pickContract(documentPath, sha256, cached);
  // loaded only when needed: together about 0.15 s of start-up
  const [{ default: SwaggerParser }, { parse: parseYaml }] = await Promise.all([import('@apidevtools/swagger-parser'), import('yaml')]);

  let parsed: unknown;
  try {
    parsed = parseYaml(bytes.toString('utf8'));
  } catch (error) {
    throw new ContractError(`the contract ${documentPath} is not valid YAML: ${oneLine(error)}`);
  }
  if (!isOpenApi3(parsed)) {
    throw new ContractError(`the contract ${documentPath} is not an OpenAPI 3.0 document (no "openapi: 3.0.x" line)`);
  }

  let document: OpenAPIV3.Document;
  try {
    // validate() checks the document against the OpenAPI schema, then dereferences it.
    // It works on the object given: pass a copy so no caller sees a half-processed document.
    const validated: OpenAPI.Document = await SwaggerParser.validate(structuredClone(parsed), {
      resolve: { external: false },
    });
    document = validated as OpenAPIV3.Document;
  } catch (error) {
    throw new ContractError(`the contract ${documentPath} is not a valid OpenAPI document: ${oneLine(error)}`);
  }
  return pickContract(documentPath, sha256, document);
}

function pickContract(documentPath: string, sha256: string, document: OpenAPIV3.Document): Contract {
  const pathItem = document.paths[contractOperationPath];
  const operation = pathItem?.[contractOperationMethod];
  if (pathItem === undefined || operation === undefined) {
    throw new ContractError(`the contract ${documentPath} has no PUT ${contractOperationPath}`);
  }

  const parameters: Record<string, OpenAPIV3.ParameterObject> = {};
  // Path-level parameters first; the operation's own override them (OpenAPI rule).
  for (const parameter of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    if ('$ref' in parameter) {
      throw new ContractError(`the contract ${documentPath} still has a $ref parameter after dereferencing`);
    }
    parameters[parameter.name] = parameter;
  }

  const schemas: Record<string, OpenAPIV3.SchemaObject> = {};
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if ('$ref' in schema) {
      throw new ContractError(`the contract ${documentPath} still has a $ref schema ${name} after dereferencing`);
    }
    schemas[name] = schema;
  }

  const documentedStatuses = Object.keys(operation.responses)
    .filter((key) => /^[1-5]\d\d$/.test(key))
    .map(Number)
    .sort((a, b) => a - b);

  return { documentPath, sha256, document, operation, parameters, schemas, documentedStatuses };
}

function isOpenApi3(value: unknown): value is OpenAPIV3.Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    'openapi' in value &&
    typeof value.openapi === 'string' &&
    value.openapi.startsWith('3.0.')
  );
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Compares the contract document with the vendor page's tables: every row (name, type,
 * required flag) must be on the right object of the document, and whatever the document adds
 * beyond the page must say so (`x-not-on-vendor-page: true`). Tables are mapped to objects by
 * their order on the page (seed README, "The tables, in order").
 */
import type { OpenAPIV3 } from 'openapi-types';
import { isNotOnVendorPage, unwrapSchema } from './contractRules.ts';
import type { VendorPage, VendorRow, VendorTable } from './vendorPage.ts';

export type DriftProblem = 'missing' | 'type' | 'required' | 'unmarked-addition' | 'structure';

export interface DriftFinding {
  /** Which table and where it maps, e.g. 'table 8 EndpointAddress at request subsets[].addresses[]'. */
  where: string;
  /** The row (or document entry) concerned; '' for table-level findings. */
  row: string;
  problem: DriftProblem;
  /** One line for a person. */
  message: string;
}

type TableTarget =
  | { title: string; kind: 'parameters'; in: 'path' | 'query' }
  | { title: string; kind: 'headers' }
  | { title: string; kind: 'body'; paths: string[] };

/** The body tables, as they appear in the request (4-10) and in each response (the same 7). */
const bodyTargets: TableTarget[] = [
  { title: 'table 4 Endpoints', kind: 'body', paths: [''] },
  { title: 'table 5 ManagedFieldsEntry', kind: 'body', paths: ['metadata.managedFields[]'] },
  { title: 'table 6 OwnerReference', kind: 'body', paths: ['metadata.ownerReferences[]'] },
  { title: 'table 7 EndpointSubset', kind: 'body', paths: ['subsets[]'] },
  { title: 'table 8 EndpointAddress', kind: 'body', paths: ['subsets[].addresses[]', 'subsets[].notReadyAddresses[]'] },
  {
    title: 'table 9 ObjectReference',
    kind: 'body',
    paths: ['subsets[].addresses[].targetRef', 'subsets[].notReadyAddresses[].targetRef'],
  },
  { title: 'table 10 EndpointPort', kind: 'body', paths: ['subsets[].ports[]'] },
];

const requestTargets: TableTarget[] = [
  { title: 'table 1 (path parameters)', kind: 'parameters', in: 'path' },
  { title: 'table 2 (query parameters)', kind: 'parameters', in: 'query' },
  { title: 'table 3 (request headers)', kind: 'headers' },
  ...bodyTargets,
];

/** What a page type cell means in JSON Schema; a missing cell means an object or an array of objects. */
const typeOfCell: Record<string, string> = {
  String: 'string',
  Integer: 'integer',
  Long: 'integer',
  Boolean: 'boolean',
  Object: 'object',
  Number: 'number',
  Float: 'number',
  Double: 'number',
  Array: 'array',
};

/** Every difference between the page and the (dereferenced) document; empty when they agree. */
export function vendorPageDrift(
  page: VendorPage,
  document: OpenAPIV3.Document,
  operationPath: string = '/api/v1/namespaces/{namespace}/endpoints/{name}',
): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const pathItem = document.paths[operationPath];
  const method = page.method.toLowerCase() as OpenAPIV3.HttpMethods;
  const operation = pathItem?.[method];
  if (pathItem === undefined || operation === undefined || page.path !== operationPath) {
    findings.push({
      where: 'operation',
      row: `${page.method} ${page.path}`,
      problem: 'missing',
      message: `the document has no ${page.method} ${page.path} (looked at ${operationPath})`,
    });
    return findings;
  }

  compareRequestTables(page, document, pathItem, operation, findings);
  compareResponseTables(page, operation, findings);
  compareStatusCodes(page, operation, findings);
  return findings;
}

// ---------------------------------------------------------------- request

function compareRequestTables(
  page: VendorPage,
  document: OpenAPIV3.Document,
  pathItem: OpenAPIV3.PathItemObject,
  operation: OpenAPIV3.OperationObject,
  findings: DriftFinding[],
): void {
  if (page.requestTables.length !== requestTargets.length) {
    findings.push({
      where: 'request tables',
      row: '',
      problem: 'structure',
      message: `the page has ${page.requestTables.length} request tables, the mapping by order expects ${requestTargets.length}`,
    });
    return;
  }
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].filter(
    (parameter): parameter is OpenAPIV3.ParameterObject => !('$ref' in parameter),
  );
  const body = operation.requestBody;
  const bodySchema = body === undefined || '$ref' in body ? undefined : asSchema(body.content['application/json']?.schema);
  const pageParameterNames = new Set<string>();

  requestTargets.forEach((target, index) => {
    const table = page.requestTables[index] as VendorTable;
    if (target.kind === 'parameters') {
      for (const row of table.rows) {
        pageParameterNames.add(`${target.in}:${row.name}`);
        compareParameterRow(target.title, row, parameters.find((p) => p.name === row.name && p.in === target.in), findings);
      }
    } else if (target.kind === 'headers') {
      for (const row of table.rows) {
        pageParameterNames.add(`header:${row.name.toLowerCase()}`);
        compareHeaderRow(target.title, row, document, operation, parameters, findings);
      }
    } else {
      compareBodyTable(target, 'request', table, bodySchema, true, findings);
    }
  });

  for (const parameter of parameters) {
    const key = parameter.in === 'header' ? `header:${parameter.name.toLowerCase()}` : `${parameter.in}:${parameter.name}`;
    if (!pageParameterNames.has(key) && !isNotOnVendorPage(parameter)) {
      findings.push({
        where: 'parameters',
        row: parameter.name,
        problem: 'unmarked-addition',
        message: `the document's ${parameter.in} parameter ${parameter.name} is not on the page and not marked x-not-on-vendor-page`,
      });
    }
  }
  for (const [name, scheme] of Object.entries(document.components?.securitySchemes ?? {})) {
    if ('$ref' in scheme) continue;
    const onPage = scheme.type === 'apiKey' && scheme.in === 'header' && pageParameterNames.has(`header:${scheme.name.toLowerCase()}`);
    if (!onPage && !isNotOnVendorPage(scheme)) {
      findings.push({
        where: 'security schemes',
        row: name,
        problem: 'unmarked-addition',
        message: `the document's security scheme ${name} is not on the page and not marked x-not-on-vendor-page`,
      });
    }
  }
}

function compareParameterRow(
  title: string,
  row: VendorRow,
  parameter: OpenAPIV3.ParameterObject | undefined,
  findings: DriftFinding[],
): void {
  if (parameter === undefined) {
    findings.push({ where: title, row: row.name, problem: 'missing', message: `${title}, row ${row.name}: no such parameter in the document` });
    return;
  }
  compareType(title, row, asSchema(parameter.schema), findings);
  if (row.required !== undefined && (parameter.required ?? false) !== row.required) {
    findings.push({
      where: title,
      row: row.name,
      problem: 'required',
      message: `${title}, row ${row.name}: the page says required=${row.required}, the document says ${parameter.required ?? false}`,
    });
  }
}

/** A header row is either a header parameter or an apiKey security scheme sent in that header. */
function compareHeaderRow(
  title: string,
  row: VendorRow,
  document: OpenAPIV3.Document,
  operation: OpenAPIV3.OperationObject,
  parameters: OpenAPIV3.ParameterObject[],
  findings: DriftFinding[],
): void {
  const header = parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === row.name.toLowerCase());
  if (header !== undefined) {
    compareParameterRow(title, row, header, findings);
    return;
  }
  const scheme = Object.entries(document.components?.securitySchemes ?? {}).find(
    ([, candidate]) =>
      !('$ref' in candidate) && candidate.type === 'apiKey' && candidate.in === 'header' && candidate.name.toLowerCase() === row.name.toLowerCase(),
  );
  if (scheme === undefined) {
    findings.push({ where: title, row: row.name, problem: 'missing', message: `${title}, row ${row.name}: no such header parameter or apiKey security scheme` });
    return;
  }
  if (row.type !== undefined && row.type !== 'String') {
    findings.push({ where: title, row: row.name, problem: 'type', message: `${title}, row ${row.name}: the page says ${row.type}, an apiKey is a string` });
  }
  const requirements = operation.security ?? document.security ?? [];
  const offered = requirements.some((requirement) => scheme[0] in requirement);
  if (row.required === true && !offered) {
    findings.push({
      where: title,
      row: row.name,
      problem: 'required',
      message: `${title}, row ${row.name}: required on the page, but the operation's security does not use scheme ${scheme[0]}`,
    });
  }
}

// ---------------------------------------------------------------- bodies

function compareResponseTables(page: VendorPage, operation: OpenAPIV3.OperationObject, findings: DriftFinding[]): void {
  for (const [statusText, tables] of Object.entries(page.responseTables)) {
    const where = `response ${statusText}`;
    const response = operation.responses[statusText];
    const schema = response === undefined || '$ref' in response ? undefined : asSchema(response.content?.['application/json']?.schema);
    if (schema === undefined) {
      findings.push({ where, row: '', problem: 'missing', message: `the page has response tables for ${statusText}, the document no application/json body for it` });
      continue;
    }
    if (tables.length !== bodyTargets.length) {
      findings.push({
        where,
        row: '',
        problem: 'structure',
        message: `the page has ${tables.length} response tables for ${statusText}, the mapping by order expects ${bodyTargets.length}`,
      });
      continue;
    }
    bodyTargets.forEach((target, index) => compareBodyTable(target, where, tables[index] as VendorTable, schema, false, findings));
  }
}

function compareBodyTable(
  target: TableTarget,
  side: string,
  table: VendorTable,
  root: OpenAPIV3.SchemaObject | undefined,
  checkRequired: boolean,
  findings: DriftFinding[],
): void {
  if (target.kind !== 'body') return;
  for (const path of target.paths) {
    const where = `${target.title} at ${side} ${path === '' ? '(body)' : path}`;
    const object = root === undefined ? undefined : schemaAtPath(root, path);
    if (object === undefined) {
      findings.push({ where, row: '', problem: 'missing', message: `${where}: the document has no object there` });
      continue;
    }
    const rowNames = new Set(table.rows.map((row) => row.name));
    for (const row of table.rows) {
      const property = asSchema(object.properties?.[row.name]);
      if (property === undefined) {
        findings.push({ where, row: row.name, problem: 'missing', message: `${where}, row ${row.name}: no such property in the document` });
        continue;
      }
      compareType(where, row, property, findings);
      const required = (object.required ?? []).includes(row.name);
      if (checkRequired && row.required !== undefined && required !== row.required) {
        findings.push({
          where,
          row: row.name,
          problem: 'required',
          message: `${where}, row ${row.name}: the page says required=${row.required}, the document says ${required}`,
        });
      }
    }
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      if (!rowNames.has(name) && !isNotOnVendorPage(property)) {
        findings.push({
          where,
          row: name,
          problem: 'unmarked-addition',
          message: `${where}: the document's property ${name} is not on the page and not marked x-not-on-vendor-page`,
        });
      }
    }
    for (const name of object.required ?? []) {
      if (!rowNames.has(name)) {
        findings.push({ where, row: name, problem: 'required', message: `${where}: the document requires ${name}, which the page does not list` });
      }
    }
  }
}

function compareType(where: string, row: VendorRow, schema: OpenAPIV3.SchemaObject | undefined, findings: DriftFinding[]): void {
  const actual = schema === undefined ? undefined : unwrapSchema(schema).type;
  if (row.type === undefined) {
    // No type cell: an object of a following table, or an array of them.
    const items = schema !== undefined && schema.type === 'array' ? asSchema(schema.items) : undefined;
    const ok = actual === 'object' || (actual === 'array' && items !== undefined && unwrapSchema(items).type === 'object');
    if (!ok) {
      findings.push({
        where,
        row: row.name,
        problem: 'type',
        message: `${where}, row ${row.name}: the page gives no type (an object or an array of objects), the document says ${describeType(schema)}`,
      });
    }
    return;
  }
  const expected = typeOfCell[row.type];
  if (expected === undefined || actual !== expected) {
    findings.push({
      where,
      row: row.name,
      problem: 'type',
      message: `${where}, row ${row.name}: the page says ${row.type} (${expected ?? 'unknown type'}), the document says ${describeType(schema)}`,
    });
  }
}

// ---------------------------------------------------------------- status codes

function compareStatusCodes(page: VendorPage, operation: OpenAPIV3.OperationObject, findings: DriftFinding[]): void {
  const pageCodes = new Set(page.statusCodes.map((status) => String(status.code)));
  for (const code of pageCodes) {
    if (operation.responses[code] === undefined) {
      findings.push({ where: 'status codes', row: code, problem: 'missing', message: `status code ${code} is on the page, not in the document's responses` });
    }
  }
  for (const [code, response] of Object.entries(operation.responses)) {
    if (!pageCodes.has(code) && !isNotOnVendorPage(response)) {
      findings.push({
        where: 'status codes',
        row: code,
        problem: 'unmarked-addition',
        message: `the document's response ${code} is not on the page and not marked x-not-on-vendor-page`,
      });
    }
  }
}

// ---------------------------------------------------------------- navigation

function schemaAtPath(root: OpenAPIV3.SchemaObject, path: string): OpenAPIV3.SchemaObject | undefined {
  let schema: OpenAPIV3.SchemaObject | undefined = unwrapSchema(root);
  for (const step of path === '' ? [] : path.split('.')) {
    if (schema === undefined) return undefined;
    const isArray = step.endsWith('[]');
    const property = asSchema(schema.properties?.[isArray ? step.slice(0, -2) : step]);
    if (property === undefined) return undefined;
    schema = isArray ? (property.type === 'array' ? asSchema(property.items) : undefined) : property;
    schema = schema === undefined ? undefined : unwrapSchema(schema);
  }
  return schema;
}

function asSchema(value: OpenAPIV3.ReferenceObject | OpenAPIV3.SchemaObject | undefined): OpenAPIV3.SchemaObject | undefined {
  return value === undefined || '$ref' in value ? undefined : value;
}

function describeType(schema: OpenAPIV3.SchemaObject | undefined): string {
  if (schema === undefined) return 'nothing';
  const type = unwrapSchema(schema).type;
  return type === undefined ? 'no type' : type;
}

/** Every field the contract document describes for the PUT, named the way the generators name
 * what a case exercises: body fields as dotted paths with `[]` for list items
 * (`subsets[].addresses[].ip`), parameters as `path.name`, `query.dryRun`, `header.Content-Type`.
 * Read from the document, so the coverage grid lists what the contract has, not what was sent. */
import type { OpenAPIV3 } from 'openapi-types';
import { unwrapSchema } from './contractRules.ts';
import type { Contract } from './loadContract.ts';

const parameterPlaces: Record<string, string> = { path: 'path', query: 'query', header: 'header', cookie: 'cookie' };

function schemaOf(value: unknown): OpenAPIV3.SchemaObject | undefined {
  return typeof value === 'object' && value !== null && !('$ref' in value) ? unwrapSchema(value as OpenAPIV3.SchemaObject) : undefined;
}

function walk(schema: OpenAPIV3.SchemaObject, prefix: string, into: string[], depth: number): void {
  if (depth > 8) return;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const child = schemaOf(property);
    if (child === undefined) continue;
    const fieldPath = prefix === '' ? name : `${prefix}.${name}`;
    into.push(fieldPath);
    const items = child.type === 'array' ? schemaOf(child.items) : undefined;
    if (items !== undefined) {
      if (items.properties !== undefined) walk(items, `${fieldPath}[]`, into, depth + 1);
    } else if (child.properties !== undefined) walk(child, fieldPath, into, depth + 1);
  }
}

/** Body fields first (document order), then the operation's parameters. */
export function contractFieldPaths(contract: Contract): string[] {
  const fields: string[] = [];
  const body = schemaOf((contract.operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content?.['application/json']?.schema);
  if (body !== undefined) walk(body, '', fields, 0);
  for (const parameter of Object.values(contract.parameters)) {
    fields.push(`${parameterPlaces[parameter.in] ?? parameter.in}.${parameter.name}`);
  }
  return fields;
}

/** Checks on the form of an answer: its schema, its media type, a Status body's own code. */
import { shortJson, statusBody } from './answerBody.ts';
import { fail, isSuccess, pass } from './exchange.ts';
import type { Check } from './exchange.ts';

const errorCountShown = 3;

/** 2xx bodies against the contract's 'Endpoints', error bodies (4xx/5xx) against 'Status'. */
export const responseSchemaConformance: Check = {
  name: 'response_schema_conformance',
  description: "2xx bodies match the contract's Endpoints schema, error bodies its Status schema",
  appliesTo: (exchange) => exchange.response !== undefined && (isSuccess(exchange.response.status) || exchange.response.status >= 400),
  judge(exchange, environment) {
    const status = exchange.response?.status ?? 0;
    const schemaName = isSuccess(status) ? 'Endpoints' : 'Status';
    const body = exchange.body;
    if (body.kind === 'empty') return fail(`a JSON ${schemaName} body`, `HTTP ${status} with an empty body`);
    if (body.kind === 'unparsable') return fail(`a JSON ${schemaName} body`, `a body that is not JSON (${body.error})`);
    const verdict = environment.validator.validate(schemaName, body.value);
    if (verdict.valid) return pass;
    const shown = verdict.errors.slice(0, errorCountShown).join('; ');
    const more = verdict.errors.length > errorCountShown ? ` (+${verdict.errors.length - errorCountShown} more)` : '';
    return fail(`a body matching the contract's ${schemaName} schema`, `${shown}${more}`);
  },
};

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export const responseContentTypeJson: Check = {
  name: 'response_content_type_json',
  description: 'every answer with a body says Content-Type: application/json (parameters allowed)',
  appliesTo: (exchange) => exchange.response !== undefined && exchange.response.bodyText.length > 0,
  judge(exchange) {
    const contentType = headerValue(exchange.response?.headers['content-type']);
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if (mediaType === 'application/json') return pass;
    return fail('Content-Type: application/json', contentType === undefined ? 'no Content-Type' : `Content-Type: ${contentType}`);
  },
};

export const statusBodyCodeMatches: Check = {
  name: 'status_body_code_matches',
  description: "a Status body's code equals the HTTP status",
  appliesTo: (exchange) => exchange.response !== undefined && statusBody(exchange.body) !== undefined,
  judge(exchange) {
    const status = exchange.response?.status ?? 0;
    const code = statusBody(exchange.body)?.code;
    if (code === status) return pass;
    return fail(`Status.code ${status}`, `Status.code ${shortJson(code)}`);
  },
};

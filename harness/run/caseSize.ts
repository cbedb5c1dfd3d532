/** How much request text a case carries: about the length, in characters, of its steps' bodies
 * as sent (JSON text or raw text). Read from the case without serialising it. */
import type { CaseBody, ConformanceCase, JsonValue } from '../../generators/case.ts';

function jsonChars(value: JsonValue): number {
  if (value === null) return 4;
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return 8;
    case 'boolean':
      return 5;
    default:
      break;
  }
  let chars = 2;
  if (Array.isArray(value)) {
    for (const item of value) chars += jsonChars(item) + 1;
    return chars;
  }
  for (const key in value) chars += key.length + 4 + jsonChars(value[key]);
  return chars;
}

export function bodyChars(body: CaseBody): number {
  switch (body.kind) {
    case 'json':
      return jsonChars(body.value);
    case 'raw':
      return body.text.length;
    case 'none':
      return 0;
  }
}

export function caseBodyChars(conformanceCase: ConformanceCase): number {
  let chars = 0;
  for (const step of conformanceCase.steps) chars += bodyChars(step.request.body);
  return chars;
}

/** The ajv every contract schema is compiled with, at run time (contractValidator.ts) and by the
 * build (precompiledValidators.ts): one configuration, so both validate alike. ajv itself (about
 * 30 ms to load) is loaded the first time a schema is compiled: a run of the default contract
 * validates with the build's compiled schemas and never needs it. */
import { createRequire } from 'node:module';
import type { Ajv as AjvInstance } from 'ajv';
import type addFormatsMod from 'ajv-formats';

const load = createRequire(import.meta.url);

/** `source`: keep the generated code, for ajv's standaloneCode. */
export function contractAjv(options: { source?: boolean } = {}): AjvInstance {
  const { Ajv } = load('ajv') as typeof import('ajv');
  const addFormats = (load('ajv-formats') as typeof addFormatsMod).default;
  // strict:false: the schemas carry OpenAPI keywords (example, x-…) that are not JSON Schema.
  const ajv = new Ajv({ strict: false, allErrors: true, ...(options.source === true ? { code: { source: true } } : {}) });
  addFormats(ajv);
  // Kubernetes' custom format; harmless when no schema uses it.
  ajv.addFormat('int-or-string', true);
  return ajv;
}

/**
 * The default contract's schemas compiled by the build (cli/cacheContract.ts, run by `npm run
 * build`) with ajv's standalone code — one CommonJS module under dist/ exporting a validation
 * function per component schema — so a run validates its first answer without compiling (about
 * 0.1 s of ajv at the start of every run). The module names the SHA-256 of the YAML bytes it was
 * made from: a document that changed since is never validated by it (its schemas are compiled at
 * run time, as for any other contract).
 */
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { contractAjv } from './contractAjv.ts';
import { defaultContractPath } from './loadContract.ts';
import type { Contract } from './loadContract.ts';
import { projectRoot } from './projectRoot.ts';

export const precompiledValidatorsPath: string = join(projectRoot, 'dist', 'spec', 'contract-validators.cjs');

const shaExport = 'contractSha256';

/** Build time: the default contract's schemas as a standalone module. */
export async function writePrecompiledValidators(contract: Contract): Promise<void> {
  const ajv = contractAjv({ source: true });
  const exports: Record<string, string> = {};
  for (const [name, schema] of Object.entries(contract.schemas)) {
    ajv.addSchema(schema, name);
    exports[name] = name;
  }
  // the code generator is loaded by the build only
  const { default: standaloneCode } = (await import('ajv/dist/standalone/index.js')).default;
  const code = standaloneCode(ajv, exports);
  await mkdir(dirname(precompiledValidatorsPath), { recursive: true });
  await writeFile(precompiledValidatorsPath, `${code}\nexports.${shaExport} = ${JSON.stringify(contract.sha256)};\n`);
}

/** Run time: the build's validators of this very contract, or undefined (another document, or
 * no build). */
export function readPrecompiledValidators(contract: Contract): Record<string, ValidateFunction> | undefined {
  if (contract.documentPath !== defaultContractPath) return undefined;
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(precompiledValidatorsPath);
  } catch {
    return undefined;
  }
  if (typeof loaded !== 'object' || loaded === null) return undefined;
  const exported = loaded as Record<string, unknown>;
  if (exported[shaExport] !== contract.sha256) return undefined;
  const validators: Record<string, ValidateFunction> = {};
  for (const name of Object.keys(contract.schemas)) {
    const validate = exported[name];
    if (typeof validate !== 'function') return undefined;
    validators[name] = validate as ValidateFunction;
  }
  return validators;
}

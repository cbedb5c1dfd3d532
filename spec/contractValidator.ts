/**
 * JSON Schema validation of values against the contract's component schemas (ajv).
 * One validator per contract. The default contract's schemas come compiled by the build
 * (ajv's standalone code, spec/precompiledValidators.ts), so a run compiles nothing; any other
 * schema is compiled by ajv the first time it is asked for.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { contractAjv } from './contractAjv.ts';
import { ContractError, type Contract } from './loadContract.ts';
import { readPrecompiledValidators } from './precompiledValidators.ts';

export interface SchemaVerdict {
  valid: boolean;
  /** e.g. "/subsets/0/ports/0/port must be <= 65535"; the root is written "/". */
  errors: string[];
}

export interface ContractValidator {
  validate(schemaName: string, value: unknown): SchemaVerdict;
  /** Compiles every schema not compiled yet, one per turn of the event loop (a schema takes up
   * to tens of milliseconds the first time): for a caller waiting on the network, so that its
   * first validations later cost no compiling. */
  compileInIdleTurns(): Promise<void>;
}

const validators = new WeakMap<Contract, ContractValidator>();

export function contractValidator(contract: Contract): ContractValidator {
  let validator = validators.get(contract);
  if (validator === undefined) {
    validator = createValidator(contract);
    validators.set(contract, validator);
  }
  return validator;
}

function createValidator(contract: Contract): ContractValidator {
  const compiled = new Map<string, ValidateFunction>(Object.entries(readPrecompiledValidators(contract) ?? {}));
  let ajv: Ajv | undefined;

  function compiledFor(schemaName: string): ValidateFunction {
    let validate = compiled.get(schemaName);
    if (validate === undefined) {
      const schema = contract.schemas[schemaName];
      if (schema === undefined) {
        throw new ContractError(`the contract has no schema named ${schemaName} (it has ${Object.keys(contract.schemas).join(', ')})`);
      }
      ajv ??= contractAjv();
      validate = ajv.compile(schema);
      compiled.set(schemaName, validate);
    }
    return validate;
  }

  return {
    async compileInIdleTurns() {
      for (const schemaName of Object.keys(contract.schemas)) {
        if (compiled.has(schemaName)) continue;
        await new Promise((resolve) => setImmediate(resolve));
        compiledFor(schemaName);
      }
    },
    validate(schemaName: string, value: unknown): SchemaVerdict {
      const validate = compiledFor(schemaName);
      if (validate(value)) return { valid: true, errors: [] };
      return { valid: false, errors: (validate.errors ?? []).map(describeError) };
    },
  };
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const message = error.message ?? `fails ${error.keyword}`;
  if (error.keyword === 'enum' && Array.isArray((error.params as { allowedValues?: unknown }).allowedValues)) {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${where} ${message}: ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return `${where} ${message}`;
}

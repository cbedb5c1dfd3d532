/**
 * Build step (`npm run build`, after tsc): validates and dereferences the contract document once
 * and stores the result beside the compiled code (spec/contractCache.ts), and compiles its schemas
 * into a validation module (spec/precompiledValidators.ts), both keyed by the SHA-256 of the YAML,
 * so runs start without doing either again.
 */
import { contractCachePath, writeContractCache } from '../spec/contractCache.ts';
import { defaultContractPath, loadContract } from '../spec/loadContract.ts';
import { precompiledValidatorsPath, writePrecompiledValidators } from '../spec/precompiledValidators.ts';

try {
  const contract = await loadContract(defaultContractPath);
  if (await writeContractCache(contract.sha256, contract.document)) process.stdout.write(`contract cache: ${contractCachePath}\n`);
  else process.stdout.write('contract cache not written: the document uses the cache\'s own markers ($cacheId, $cacheValue, $cacheRef)\n');
  await writePrecompiledValidators(contract);
  process.stdout.write(`contract validators: ${precompiledValidatorsPath}\n`);
} catch (error) {
  process.stderr.write(`contract cache not written: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
  process.exitCode = 1;
}

/** Whether the run can honour what a case needs; a reason to skip it when not. */
import type { ConformanceCase } from '../../generators/case.ts';
import type { ResolvedConnection } from '../connection/types.ts';

export function skipReason(
  conformanceCase: ConformanceCase,
  connection: ResolvedConnection,
  options: { dryRunOnly: boolean },
): string | undefined {
  const usesAuth = (auth: string): boolean => conformanceCase.steps.some((step) => step.request.auth === auth);
  if (conformanceCase.needs.includes('stored-object') && options.dryRunOnly) {
    return 'needs a stored object, and --dry-run-only stores nothing';
  }
  if ((conformanceCase.needs.includes('readonly-token') || usesAuth('readonly')) && connection.auth.readonlyToken === undefined) {
    return 'needs a read-only token (--readonly-token-file)';
  }
  if ((conformanceCase.needs.includes('credentials') || usesAuth('valid')) && connection.auth.token === undefined && connection.credentials === undefined) {
    return 'needs credentials (--token-file, CONFORMANCE_TOKEN or a kubeconfig user)';
  }
  return undefined;
}

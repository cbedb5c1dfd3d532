/**
 * metav1.UpdateOptions from the query (dryRun, fieldManager, fieldValidation) and
 * ValidateUpdateOptions (R8-R12): any problem is a 422 of kind UpdateOptions, group meta.k8s.io.
 */
import { type FieldErrorList, invalid, notSupported, str, tooLong } from './fieldErrors.ts';
import { goRuneName, isPrintableRune } from './goText.ts';
import { firstValue, type QueryParameters } from './queryParameters.ts';
import type { FaultSet } from './faults.ts';

export type FieldValidationMode = 'Ignore' | 'Warn' | 'Strict';

export interface UpdateOptions {
  dryRun: readonly string[];
  fieldManager: string;
  fieldValidation: string;
}

export function updateOptionsFromQuery(q: QueryParameters): UpdateOptions {
  return { dryRun: q.get('dryRun') ?? [], fieldManager: firstValue(q, 'fieldManager'), fieldValidation: firstValue(q, 'fieldValidation') };
}

const fieldManagerMaxLength = 128;

/** Printable ASCII (0x20-0x7e): every such character is printable and one byte long. */
function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

const fieldValidationValues: readonly string[] = ['', 'Ignore', 'Strict', 'Warn'];

export function validateUpdateOptions(o: UpdateOptions, faults: FaultSet): FieldErrorList {
  const errs: FieldErrorList = [];
  const asciiManager = isPrintableAscii(o.fieldManager);
  const managerBytes = asciiManager ? o.fieldManager.length : Buffer.byteLength(o.fieldManager, 'utf8');
  if (managerBytes > fieldManagerMaxLength && !faults.has('accept-long-field-manager')) {
    errs.push(tooLong('fieldManager', fieldManagerMaxLength));
  }
  if (!asciiManager) {
    let bytePos = 0;
    for (const ch of o.fieldManager) {
      if (!isPrintableRune(ch)) {
        errs.push(invalid('fieldManager', str(o.fieldManager), `invalid character ${goRuneName(ch)} (at position ${bytePos})`));
      }
      bytePos += Buffer.byteLength(ch, 'utf8');
    }
  }
  if (!faults.has('accept-bad-dry-run') && o.dryRun.some((v) => v !== 'All')) {
    errs.push(notSupported('dryRun', { go: 'stringList', value: o.dryRun }, ['All']));
  }
  if (!fieldValidationValues.includes(o.fieldValidation)) {
    errs.push(notSupported('fieldValidation', str(o.fieldValidation), ['', 'Ignore', 'Strict', 'Warn']));
  }
  return errs;
}

/** dryRun=All requested (with the accept-bad-dry-run fault, only exact All lists count). */
export function isDryRun(o: UpdateOptions): boolean {
  return o.dryRun.length > 0 && o.dryRun.every((v) => v === 'All');
}

export function fieldValidationMode(o: UpdateOptions): FieldValidationMode {
  return o.fieldValidation === 'Ignore' ? 'Ignore' : o.fieldValidation === 'Strict' ? 'Strict' : 'Warn';
}

/** The field manager: the query value, else the User-Agent prefix (managerOrUserAgent). */
export function managerName(o: UpdateOptions, userAgent: string): string {
  const source = o.fieldManager || userAgent.split('/')[0];
  if (isPrintableAscii(source)) return source.length > fieldManagerMaxLength ? source.slice(0, fieldManagerMaxLength) : source;
  let out = '';
  let bytes = 0;
  for (const ch of source) {
    if (!isPrintableRune(ch)) continue;
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > fieldManagerMaxLength) break;
    out += ch;
    bytes += n;
  }
  return out;
}

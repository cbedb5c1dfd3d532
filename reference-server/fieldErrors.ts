/**
 * A field.ErrorList in Kubernetes' terms: each error has a type, a field path, a bad value and a
 * detail; ErrorBody() renders it without the path and the aggregate joins the full messages.
 */
import { renderBadValue, type BadValue } from './goText.ts';

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueForbidden'
  | 'FieldValueDuplicate';

const typeText: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueTooLong: 'Too long',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
};

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue: BadValue;
  detail: string;
}

export type FieldErrorList = FieldError[];

export const str = (value: string): BadValue => ({ go: 'string', value });
export const int = (value: number | bigint): BadValue => ({ go: 'int', value });

export function invalid(field: string, badValue: BadValue, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail };
}
export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, badValue: { go: 'omit' }, detail };
}
export function tooLong(field: string, maxBytes: number): FieldError {
  return { type: 'FieldValueTooLong', field, badValue: { go: 'omit' }, detail: `may not be more than ${maxBytes} bytes` };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, badValue: { go: 'omit' }, detail };
}
/** field.NotSupported: detail lists the supported values Go-quoted, in the given order. */
export function notSupported(field: string, badValue: BadValue, supported: readonly string[]): FieldError {
  const detail = supported.length ? 'supported values: ' + supported.map((s) => JSON.stringify(s)).join(', ') : '';
  return { type: 'FieldValueNotSupported', field, badValue, detail };
}

/** field.Error.ErrorBody(): the message without the field path. */
export function errorBody(e: FieldError, jsonRendering: boolean): string {
  let s = typeText[e.type];
  const printsValue = e.type === 'FieldValueInvalid' || e.type === 'FieldValueNotSupported' || e.type === 'FieldValueDuplicate';
  if (printsValue && e.badValue.go !== 'omit') s += ': ' + renderBadValue(e.badValue, jsonRendering);
  if (e.detail) s += ': ' + e.detail;
  return s;
}

/** field.Error.Error(): `<field>: <body>`. */
export function errorMessage(e: FieldError, jsonRendering: boolean): string {
  return `${e.field}: ${errorBody(e, jsonRendering)}`;
}

/** ErrorList.ToAggregate().Error(): identical messages dropped, one → bare, several → [a, b]. */
export function aggregateMessage(errs: FieldErrorList, jsonRendering: boolean): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errs) {
    const m = errorMessage(e, jsonRendering);
    if (!seen.has(m)) { seen.add(m); msgs.push(m); }
  }
  return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
}

/**
 * Label selectors for list requests: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`,
 * `k notin (a,b)`, comma-joined. Returns a predicate, or an error text for a 400.
 */
import { isQualifiedName, isValidLabelValue } from './nameRules.ts';

export type LabelPredicate = (labels: Readonly<Record<string, string>> | undefined) => boolean;

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(selector: string): LabelPredicate | { error: string } {
  const text = selector.trim();
  if (text === '') return () => true;
  const tests: LabelPredicate[] = [];
  for (const rawPart of splitTopLevel(text)) {
    const part = rawPart.trim();
    let m: RegExpExecArray | null;
    let key: string;
    let test: LabelPredicate;
    const values: string[] = [];
    if ((m = /^!\s*([^\s=!(),]+)$/.exec(part))) {
      key = m[1];
      test = (l) => l?.[key] === undefined;
    } else if ((m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part))) {
      key = m[1];
      const op = m[2];
      const v = m[3];
      values.push(v);
      test = op === '!=' ? (l) => l?.[key] !== v : (l) => l?.[key] === v;
    } else if ((m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part))) {
      key = m[1];
      const set = new Set(m[3].split(',').map((x) => x.trim()));
      values.push(...set);
      test = m[2] === 'in' ? (l) => l?.[key] !== undefined && set.has(l[key]) : (l) => l?.[key] === undefined || !set.has(l[key]);
    } else if ((m = /^([^\s=!(),]+)$/.exec(part))) {
      key = m[1];
      test = (l) => l?.[key] !== undefined;
    } else {
      return { error: `unable to parse requirement: found '${part}', expected: identifier, '!', 'in', 'notin', '=', '==', '!='` };
    }
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) return { error: `unable to parse requirement: <nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs[0]}` };
    for (const v of values) {
      const vErrs = isValidLabelValue(v);
      if (vErrs.length) return { error: `unable to parse requirement: values[0][${key}]: Invalid value: ${JSON.stringify(v)}: ${vErrs[0]}` };
    }
    tests.push(test);
  }
  return (labels) => tests.every((t) => t(labels));
}

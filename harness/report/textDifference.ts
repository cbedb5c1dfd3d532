/** The differing parts of two short texts (expected versus actual), word by word: the longest
 * common subsequence of their tokens stays plain, the rest is marked. */
export interface TextPart {
  text: string;
  differs: boolean;
}

const tokenPattern = /[A-Za-z0-9_]+|\s+|[^A-Za-z0-9_\s]/g;
/** Above this many tokens on a side the texts are shown unmarked (the table is n×m). */
const maxTokens = 600;

/** Adjacent parts of one kind joined; a space between two differing words differs too. */
function merge(parts: TextPart[]): TextPart[] {
  const bridged = parts.map((part, index) =>
    !part.differs && /^\s+$/.test(part.text) && parts[index - 1]?.differs === true && parts[index + 1]?.differs === true ? { ...part, differs: true } : part,
  );
  const merged: TextPart[] = [];
  for (const part of bridged) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.differs === part.differs) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}

export function textDifference(expected: string, actual: string): { expected: TextPart[]; actual: TextPart[] } {
  const a = expected.match(tokenPattern) ?? [];
  const b = actual.match(tokenPattern) ?? [];
  if (a.length > maxTokens || b.length > maxTokens) {
    const same = expected === actual;
    return { expected: [{ text: expected, differs: !same }], actual: [{ text: actual, differs: !same }] };
  }
  // lengths[i][j]: LCS length of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const left: TextPart[] = [];
  const right: TextPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      left.push({ text: a[i], differs: false });
      right.push({ text: b[j], differs: false });
      i += 1;
      j += 1;
    } else if (j >= b.length || (i < a.length && lengths[i + 1][j] >= lengths[i][j + 1])) {
      left.push({ text: a[i], differs: /\S/.test(a[i]) });
      i += 1;
    } else {
      right.push({ text: b[j], differs: /\S/.test(b[j]) });
      j += 1;
    }
  }
  return { expected: merge(left), actual: merge(right) };
}

/**
 * Masks secrets (tokens, keys) in any text the harness writes: reports, logs, error lines.
 * Built once per run; each call is one precompiled regular-expression pass.
 */

/** Secrets shorter than this are ignored: masking every "abc" would wreck reports while
 * protecting nothing (such a secret is guessable anyway). */
export const MIN_SECRET_LENGTH = 4;

export const MASK = '***';

/** The forms a secret plausibly takes in text: as is, URL-encoded, JSON-escaped, and base64
 * (standard and URL-safe, with and without padding, also of "Bearer <secret>"). */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(JSON.stringify(secret).slice(1, -1));
  for (const plain of [secret, `Bearer ${secret}`]) {
    const base64 = Buffer.from(plain, 'utf8').toString('base64');
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ''));
    forms.add(Buffer.from(plain, 'utf8').toString('base64url'));
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createRedactor(secrets: string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) forms.add(form);
  }
  if (forms.size === 0) return (text) => text;
  // Longest first, so a longer form (the base64 of "Bearer x") wins over a shorter one inside it.
  const pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return (text) => (typeof text === 'string' && text.length > 0 ? text.replace(pattern, MASK) : text);
}

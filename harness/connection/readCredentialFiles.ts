/**
 * Reading the files a connection needs (token files, PEM certificates and keys) with one-line
 * errors that name the file and the flag it came from, never its contents.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

export type FileRead<T> = { ok: true; value: T; warnings: string[] } | { ok: false; error: string };

/** `ENOENT: no such file or directory, open '/x'` → `no such file or directory`. */
export function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return message.replace(/\s+/g, ' ').slice(0, 200);
    }
  }
}

/** Warns when a file holding a secret can be read by group or others. */
export async function permissionWarning(file: string, what: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      return `${what} ${file} is readable by group or others (mode ${mode}); restrict it with chmod 600`;
    }
  } catch {
    // The read itself reports unreadable files.
  }
  return undefined;
}

/** Reads a token file: trailing line breaks stripped, empty is an error, loose permissions warn. */
export async function readTokenFile(file: string, source: string): Promise<FileRead<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `${source} ${file}: cannot read the token file (${describeFsError(error)})` };
  }
  const token = text.replace(/[\r\n]+$/, '');
  if (token.trim() === '') return { ok: false, error: `${source} ${file}: the token file is empty` };
  if (/[\r\n]/.test(token)) return { ok: false, error: `${source} ${file}: the token file holds more than one line` };
  const warning = await permissionWarning(file, 'token file');
  return { ok: true, value: token, warnings: warning ? [warning] : [] };
}

/** Checks that text is a PEM certificate (bundle); returns an error fragment or undefined. */
export function pemCertificateProblem(pem: string): string | undefined {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!first) return 'not a PEM certificate (no BEGIN CERTIFICATE block)';
  try {
    new X509Certificate(first[0]);
  } catch {
    return 'the PEM certificate does not parse';
  }
  return undefined;
}

/** Checks that text is a PEM private key; the message never quotes the key. */
export function pemKeyProblem(pem: string): string | undefined {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return 'not a PEM private key';
  try {
    createPrivateKey(pem);
  } catch {
    return 'the PEM private key does not parse (encrypted keys are not supported)';
  }
  return undefined;
}

export async function readPemFile(file: string, source: string, kind: 'certificate' | 'key'): Promise<FileRead<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `${source} ${file}: cannot read it (${describeFsError(error)})` };
  }
  const problem = kind === 'certificate' ? pemCertificateProblem(text) : pemKeyProblem(text);
  if (problem) return { ok: false, error: `${source} ${file}: ${problem}` };
  const warnings: string[] = [];
  if (kind === 'key') {
    const warning = await permissionWarning(file, 'client key file');
    if (warning) warnings.push(warning);
  }
  return { ok: true, value: text, warnings };
}

/** A failure of the harness itself goes to a log file beside the reports, stack and all (secrets
 * masked), so the console keeps one line and a bug report has what it needs. */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export const crashLogName = 'harness-error.log';

export async function writeCrashLog(reportDir: string, stack: string, redact: (text: string) => string): Promise<string | undefined> {
  try {
    const dir = path.resolve(reportDir);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, crashLogName);
    await appendFile(file, `${new Date().toISOString()} endpoints-conformance failed (a bug of the harness):\n${redact(stack)}\n\n`);
    return file;
  } catch {
    return undefined;
  }
}

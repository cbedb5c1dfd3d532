/** Runs the package's command (cli/conformance.mjs) as a user would, for the tests of reports,
 * bundles and baselines: a clean environment, output collected, a hard stop after 100 s. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(projectRoot, 'cli/conformance.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `timeoutMs`: the hard stop (a default run against a real apiserver on a busy machine needs more). */
export function runConformanceCli(args: string[], env: Record<string, string> = {}, timeoutMs = 100_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Exit 2 with exactly one line on stderr and no stack trace. */
export function oneLineError(run: CliRun): string | undefined {
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));
  if (run.code !== 2 || lines.length !== 1 || /^\s+at /m.test(run.stderr)) return undefined;
  return lines[0];
}

/** Runs the package's command (cli/conformance.mjs) as a user would, for every test that starts
 * the command line: a clean environment, output collected, a hard stop after 100 s. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(projectRoot, 'cli/conformance.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Another copy of the project to run (its cli/conformance.mjs, in its folder). */
  cwd?: string;
  /** Called with all of stderr so far, each time more arrives (e.g. to signal the child mid-run). */
  onStderr?: (stderr: string, child: ChildProcess) => void;
}

/** `env` comes on top of PATH and HOME only; `timeoutMs`: the hard stop (a default run against a
 * real apiserver on a busy machine needs more). */
export function runConformanceCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 100_000, options: CliRunOptions = {}): Promise<CliRun> {
  const cwd = options.cwd ?? projectRoot;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cwd === undefined ? bin : path.join(cwd, 'cli/conformance.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
    });
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

/** Runs a TypeScript entry of this project in a fresh Node process (through tsx, as
 * `npm run …` does) and collects its output and wall time. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsxCli = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** `node ARGS` in the project root: output collected, wall time from spawn to exit, a hard stop. */
function runNode(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, nodeArgs, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

export function runTypeScript(entry: string, args: readonly string[], timeoutMs = 120_000): Promise<ChildRun> {
  return runNode([tsxCli, entry, ...args], process.env, timeoutMs);
}

/** Runs the package's command (`node cli/conformance.mjs …`, what `npx endpoints-conformance` and
 * `npm run conformance` run: the compiled JavaScript in dist/) in a fresh process; wall time from
 * spawn to exit. */
export function runCommandLine(args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 180_000): Promise<ChildRun> {
  return runNode([path.join(projectRoot, 'cli', 'conformance.mjs'), ...args], env, timeoutMs);
}

// Which file a command-line launcher (cli/*.mjs, the package's bins) runs: the compiled
// JavaScript in dist/ (built by `npm run build`, which `npm ci` runs as the `prepare` step), or,
// when dist/ is missing or older than any TypeScript source (a developer edited a source and did
// not build), the TypeScript itself through tsx, so a launcher never runs stale code.
// Plain JavaScript: it must run before anything is compiled.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folders whose .ts files are compiled into dist/ (tsconfig.build.json's include). */
export const sourceFolders = ['spec', 'generators', 'suites', 'harness', 'reference-server', 'runtime', 'cli'];

function newestSourceMs(folder) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.yaml')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * `{ kind: 'compiled', file }` when `compiled` exists and is at least as new as every source
 * under `root`'s source folders; else `{ kind: 'typescript', file: source, reason }`.
 */
export function chooseEntry(root, source, compiled) {
  if (!existsSync(compiled)) return { kind: 'typescript', file: source, reason: `${path.relative(root, compiled)} is missing` };
  const builtMs = statSync(compiled).mtimeMs;
  const newest = Math.max(...sourceFolders.map((folder) => newestSourceMs(path.join(root, folder))));
  if (newest > builtMs) return { kind: 'typescript', file: source, reason: 'a TypeScript source is newer than dist/' };
  return { kind: 'compiled', file: compiled };
}

/** Runs the entry `name` (cli/<name>.ts, compiled to dist/cli/<name>.js). */
export async function launch(name) {
  const chosen = chooseEntry(projectRoot, path.join(projectRoot, 'cli', `${name}.ts`), path.join(projectRoot, 'dist', 'cli', `${name}.js`));
  if (chosen.kind === 'typescript') {
    if (process.stderr.isTTY) process.stderr.write(`note: ${chosen.reason}: running the TypeScript through tsx (npm run build compiles it)\n`);
    const { register } = await import('tsx/esm/api');
    register();
  }
  await import(pathToFileURL(chosen.file).href);
}

/**
 * The project's root folder (the one holding package.json), found from this module's own
 * location, so files the harness reads at run time (the contract document, package.json) are
 * found whether it runs from the TypeScript sources or compiled into dist/ (which holds no
 * package.json and no copies of them).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let folder = start; ; ) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return start;
    folder = parent;
  }
}

export const projectRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

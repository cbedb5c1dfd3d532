/**
 * Loads one or several kubeconfig files and merges them the way kubectl merges a KUBECONFIG
 * list: each file is read with @kubernetes/client-node's loader (its paths made absolute against
 * that file's folder, an exec command with a path separator too, as client-go does); the first
 * file to define a cluster, user or context name wins, later definitions of the same name are
 * ignored; current-context comes from the first file that sets one. A file of the list that does
 * not exist is skipped, as kubectl skips it (a file named by --kubeconfig must exist).
 * client-node's own merge (`loadFromDefault`) throws on a name defined twice and takes
 * current-context from the last file, hence this module.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { describeFsError } from './readCredentialFiles.ts';

export type MergedKubeconfig =
  | { ok: true; config: KubeConfig; files: string[]; skipped: string[] }
  | { ok: false; error: string };

/** The kubeconfig files to read: the flag's one file, else every entry of KUBECONFIG (in order, repeats dropped). */
export function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv): { files: string[]; fromEnv: boolean } {
  if (flag !== undefined && flag !== '') return { files: [flag], fromEnv: false };
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter((entry) => entry !== '');
  return { files: [...new Set(list)], fromEnv: list.length > 0 };
}

function oneLineReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('E')) return describeFsError(error);
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.replace(/\s+/g, ' ').trim().slice(0, 200) || 'unreadable';
}

/** client-go resolves a relative exec command against the kubeconfig's folder only when it
 * holds a path separator (a bare name is looked up in PATH). */
function resolveExecCommand(user: User, folder: string): User {
  const command = (user.exec as { command?: unknown } | undefined)?.command;
  if (typeof command !== 'string' || !command.includes('/') || path.isAbsolute(command)) return user;
  return { ...user, exec: { ...(user.exec as object), command: path.resolve(folder, command) } };
}

export async function mergeKubeconfigFiles(files: string[], options: { skipMissing: boolean }): Promise<MergedKubeconfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  const read: string[] = [];
  const skipped: string[] = [];
  for (const file of files) {
    const where = `kubeconfig ${file}`;
    if (options.skipMissing) {
      const exists = await access(file).then(() => true, () => false);
      if (!exists) {
        skipped.push(file);
        continue;
      }
    }
    try {
      await readFile(file);
    } catch (error) {
      return { ok: false, error: `${where}: cannot read it (${describeFsError(error)})` };
    }
    const single = new KubeConfig();
    try {
      single.loadFromFile(file);
    } catch (error) {
      return { ok: false, error: `${where}: ${oneLineReason(error)}` };
    }
    read.push(file);
    const folder = path.dirname(path.resolve(file));
    for (const cluster of single.getClusters()) if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
    for (const user of single.getUsers()) if (!users.has(user.name)) users.set(user.name, resolveExecCommand(user, folder));
    for (const context of single.getContexts()) if (!contexts.has(context.name)) contexts.set(context.name, context);
    const current = single.getCurrentContext();
    if (currentContext === undefined && typeof current === 'string' && current !== '') currentContext = current;
  }
  if (read.length === 0) return { ok: false, error: `none of the KUBECONFIG files exists (${files.join(path.delimiter)})` };
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: currentContext ?? '',
  });
  return { ok: true, config, files: read, skipped };
}

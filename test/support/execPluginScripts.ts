/**
 * Small exec credential plugins for tests, written as shell scripts into a folder: each call is
 * counted in a file, KUBERNETES_EXEC_INFO and the args are recorded, a line goes to stderr, and
 * the ExecCredential printed is the file `response-<n>.json` of the call's number, else
 * `response.json`. Misbehaving ones: exits 1, hangs, prints garbage.
 */
import { chmod, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface PluginFolder {
  dir: string;
  /** The well-behaved plugin's path. */
  plugin: string;
  failing: string;
  hanging: string;
  garbage: string;
  calls(): Promise<number>;
  execInfo(): Promise<unknown>;
  args(): Promise<string>;
  respond(credential: ExecCredentialStatus, call?: number, apiVersion?: string): Promise<void>;
}

export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

async function script(file: string, body: string): Promise<string> {
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

export async function writePluginScripts(dir: string): Promise<PluginFolder> {
  const counter = `n=$(( $(cat "${dir}/calls" 2>/dev/null || echo 0) + 1 )); echo "$n" > "${dir}/calls"`;
  const plugin = await script(
    path.join(dir, 'plugin.sh'),
    [
      counter,
      `printf '%s' "$KUBERNETES_EXEC_INFO" > "${dir}/exec-info.json"`,
      `echo "$@" > "${dir}/args"`,
      `echo "test-plugin: call $n (greeting=$GREETING)" >&2`,
      // @SOON@ in a response: two seconds from this call
      `soon=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)`,
      `if [ -f "${dir}/response-$n.json" ]; then r="${dir}/response-$n.json"; else r="${dir}/response.json"; fi`,
      `sed "s/@SOON@/$soon/" "$r"`,
    ].join('\n'),
  );
  const failing = await script(path.join(dir, 'failing.sh'), `${counter}\necho "error: the SSO session has expired; run: login-tool sso login" >&2\nexit 1`);
  const hanging = await script(path.join(dir, 'hanging.sh'), `${counter}\nsleep 60`);
  const garbage = await script(path.join(dir, 'garbage.sh'), `${counter}\necho "<html>not a credential</html>"`);
  return {
    dir,
    plugin,
    failing,
    hanging,
    garbage,
    calls: async () => Number((await readFile(path.join(dir, 'calls'), 'utf8').catch(() => '0')).trim()),
    execInfo: async () => JSON.parse(await readFile(path.join(dir, 'exec-info.json'), 'utf8')) as unknown,
    args: async () => (await readFile(path.join(dir, 'args'), 'utf8')).trim(),
    respond: async (status, call, apiVersion = 'client.authentication.k8s.io/v1') => {
      const file = path.join(dir, call === undefined ? 'response.json' : `response-${call}.json`);
      await writeFile(file, JSON.stringify({ apiVersion, kind: 'ExecCredential', status }));
    },
  };
}

/** Resets the call counter and removes the responses written for particular calls. */
export async function resetCalls(folder: PluginFolder): Promise<void> {
  await writeFile(path.join(folder.dir, 'calls'), '0');
  for (const name of await readdir(folder.dir)) if (/^response-\d+\.json$/.test(name)) await rm(path.join(folder.dir, name));
}

/**
 * The credential a kubeconfig user gives the run: a plain token stays a fixed token; a client
 * certificate (with or without a token), an exec plugin and the oidc auth-provider become a
 * credential source the transport asks per request. The kind names the source, never a secret.
 */
import { fixedCredentialSource, renewingCredentialSource } from './credentialSource.ts';
import type { CredentialSource } from './credentialSource.ts';
import { execPluginName, runExecPlugin } from './execCredentialPlugin.ts';
import { oidcCredentialSource } from './oidcCredentialSource.ts';
import type { KubeconfigConnection } from './readKubeconfig.ts';

export interface KubeconfigCredentials {
  /** A fixed bearer token (the user has nothing else). */
  token?: string;
  source?: CredentialSource;
  warnings: string[];
}

export interface ExecSettings {
  env: NodeJS.ProcessEnv;
  execTimeoutMs: number;
  pluginStderr?: (text: string) => void;
}

export function kubeconfigCredentials(kube: KubeconfigConnection, settings: ExecSettings): KubeconfigCredentials {
  const warnings: string[] = [];
  if (kube.exec !== undefined) {
    const exec = kube.exec;
    const name = execPluginName(exec.command);
    if (exec.interactiveMode === 'IfAvailable') {
      warnings.push(`exec plugin ${name}: the harness is not interactive, so the plugin runs without a terminal (interactiveMode IfAvailable); if it needs to prompt, log in with it first`);
    }
    const cluster = {
      server: kube.server,
      insecureSkipTlsVerify: kube.insecure,
      ...(kube.tlsServerName === undefined ? {} : { tlsServerName: kube.tlsServerName }),
      ...(kube.caPem === undefined ? {} : { caPem: kube.caPem }),
      ...(kube.proxyUrl === undefined ? {} : { proxyUrl: kube.proxyUrl }),
    };
    const source = renewingCredentialSource(`exec plugin \`${name}\``, () =>
      runExecPlugin(exec, cluster, {
        timeoutMs: settings.execTimeoutMs,
        env: settings.env,
        ...(settings.pluginStderr === undefined ? {} : { stderr: settings.pluginStderr }),
      }),
    );
    return { source, warnings };
  }
  if (kube.oidcUser !== undefined) return { source: oidcCredentialSource(kube.oidcUser, kube.server), warnings };
  if (kube.certPem !== undefined && kube.keyPem !== undefined) {
    const kind = kube.token === undefined ? 'client certificate from kubeconfig' : 'client certificate and token from kubeconfig';
    return {
      source: fixedCredentialSource({ clientCertificate: { certPem: kube.certPem, keyPem: kube.keyPem }, ...(kube.token === undefined ? {} : { token: kube.token }) }, kind),
      warnings,
    };
  }
  return { ...(kube.token === undefined ? {} : { token: kube.token }), warnings };
}

/** The reference server's options that make it answer like a real control plane of
 * test/support/controlPlane.ts: anonymous authentication on (kube-apiserver's default, so a
 * request without credentials is 403 for system:anonymous), and the release of its binary
 * (`kube-apiserver --version`, e.g. "v1.20.2"), which the reference server then emulates. */
import type { ReferenceServerOptions } from '../../reference-server/index.ts';

export function referenceLikeTheControlPlane(gitVersion: string): ReferenceServerOptions {
  const release = /^v(\d+)\.(\d+)\./.exec(gitVersion);
  if (release === null) throw new Error(`kube-apiserver version ${JSON.stringify(gitVersion)} is not vMAJOR.MINOR.PATCH`);
  return { anonymousAuth: true, version: { major: release[1], minor: release[2], gitVersion } };
}

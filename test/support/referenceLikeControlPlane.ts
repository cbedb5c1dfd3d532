/** The reference server's options that make it answer like the real control plane of
 * test/support/controlPlane.ts: anonymous authentication on (kube-apiserver's default, so a
 * request without credentials is 403 for system:anonymous), and the release of its binary. */
import type { ReferenceServerOptions } from '../../reference-server/index.ts';

export const referenceLikeTheControlPlane: ReferenceServerOptions = { anonymousAuth: true };

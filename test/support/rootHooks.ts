/**
 * Mocha root hooks (loaded through .mocharc.json `require`): after the whole run, stop the real
 * control plane if a suite started the shared one.
 */
import { stopSharedControlPlane } from './controlPlane.ts';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    await stopSharedControlPlane();
  },
};

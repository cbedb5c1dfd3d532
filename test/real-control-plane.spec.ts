/**
 * The real control plane helper itself: it starts, serves the two identities as documented, and
 * reports its version (the suites that judge the harness against it build on this).
 */
import assert from 'node:assert/strict';
import { conformanceNamespace, controlPlaneOrSkip, readerToken } from './support/controlPlane.ts';
import type { RunningControlPlane } from './support/controlPlane.ts';

describe('real control plane (test helper)', function () {
  let plane: RunningControlPlane;
  before(async function () {
    plane = await controlPlaneOrSkip(this);
  });

  it('serves /version and the conformance namespace to the admin token', async function () {
    const version = await plane.api('GET', '/version');
    assert.equal(version.status, 200);
    assert.equal((version.body as { gitVersion: string }).gitVersion, plane.version);
    const namespace = await plane.api('GET', `/api/v1/namespaces/${conformanceNamespace}`);
    assert.equal(namespace.status, 200);
  });

  it('lets the reader list endpoints but not write them', async function () {
    const list = await plane.api('GET', `/api/v1/namespaces/${conformanceNamespace}/endpoints`, undefined, readerToken);
    assert.equal(list.status, 200);
    const put = await plane.api(
      'PUT',
      `/api/v1/namespaces/${conformanceNamespace}/endpoints/helper-check`,
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'helper-check' } },
      readerToken,
    );
    assert.equal(put.status, 403);
  });
});

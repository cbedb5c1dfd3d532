/**
 * The reference server's anonymousAuth option (kube-apiserver's --anonymous-auth, on by default
 * there; rules R1/R2): without any token an endpoints request is system:anonymous and forbidden
 * (403); a token that is presented but unknown is still 401; off (the default), both are 401.
 */
import assert from 'node:assert/strict';
import { startReferenceServer } from '../reference-server/index.ts';
import type { RunningReferenceServer } from '../reference-server/index.ts';

const path = '/api/v1/namespaces/conformance/endpoints/anonymous-check';
const body = JSON.stringify({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'anonymous-check' } });

async function put(server: RunningReferenceServer, headers: Record<string, string>): Promise<{ status: number; reason: unknown; message: unknown }> {
  const response = await fetch(`${server.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body });
  const answer = (await response.json()) as { reason?: unknown; message?: unknown };
  return { status: response.status, reason: answer.reason, message: answer.message };
}

describe('reference server: anonymous authentication', function () {
  let on: RunningReferenceServer;
  let off: RunningReferenceServer;
  before(async () => {
    [on, off] = await Promise.all([startReferenceServer({ anonymousAuth: true }), startReferenceServer({})]);
  });
  after(async () => {
    await Promise.all([on?.close(), off?.close()]);
  });

  it('on: no token (or "Bearer" with an empty one) is 403 Forbidden for system:anonymous', async () => {
    for (const headers of [{}, { authorization: 'Bearer ' }] as Array<Record<string, string>>) {
      const answer = await put(on, headers);
      assert.equal(answer.status, 403);
      assert.equal(answer.reason, 'Forbidden');
      assert.match(String(answer.message), /User "system:anonymous" cannot update resource "endpoints"/);
    }
  });

  it('on: an unknown token is still 401 Unauthorized; a good one still writes', async () => {
    assert.equal((await put(on, { authorization: 'Bearer not-a-token' })).status, 401);
    assert.equal((await put(on, { 'x-auth-token': 'not-a-token' })).status, 401);
    assert.equal((await put(on, { authorization: `Bearer ${on.tokens[0]}` })).status, 201);
  });

  it('off (the default): no token is 401 Unauthorized', async () => {
    const answer = await put(off, {});
    assert.equal(answer.status, 401);
    assert.equal(answer.reason, 'Unauthorized');
  });
});

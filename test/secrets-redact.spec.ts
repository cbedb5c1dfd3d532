import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MASK, createRedactor } from '../harness/secrets/redact.ts';

describe('secrets: createRedactor', function () {
  const token = 'sekret-Token/with+odd=chars';
  const redact = createRedactor([token, 'ro-token-1234']);

  it('masks every occurrence of each secret', () => {
    const text = `x-auth-token: ${token}\nagain ${token}${token} and ro-token-1234.`;
    const out = redact(text);
    assert.equal(out, `x-auth-token: ${MASK}\nagain ${MASK}${MASK} and ${MASK}.`);
  });

  it('masks the URL-encoded form', () => {
    const encoded = encodeURIComponent(token);
    assert.notEqual(encoded, token);
    assert.equal(redact(`GET /x?token=${encoded}`), `GET /x?token=${MASK}`);
  });

  it('masks base64 forms (plain, unpadded, URL-safe, and of "Bearer <token>")', () => {
    const b64 = Buffer.from(token).toString('base64');
    const bearer = Buffer.from(`Bearer ${token}`).toString('base64');
    const urlSafe = Buffer.from(token).toString('base64url');
    assert.equal(redact(`data: ${b64}`), `data: ${MASK}`);
    assert.equal(redact(`data: ${b64.replace(/=+$/, '')}`), `data: ${MASK}`);
    assert.equal(redact(`u: ${urlSafe}`), `u: ${MASK}`);
    assert.equal(redact(`h: ${bearer}`), `h: ${MASK}`);
  });

  it('masks the JSON-escaped form of a secret holding quotes or backslashes', () => {
    const odd = 'ab"cd\\ef';
    const redactOdd = createRedactor([odd]);
    const json = JSON.stringify({ token: odd });
    assert.equal(redactOdd(json), `{"token":"${MASK}"}`);
  });

  it('ignores secrets shorter than 4 characters and empty ones', () => {
    const short = createRedactor(['abc', '', 'a']);
    assert.equal(short('abc a b abcabc'), 'abc a b abcabc');
  });

  it('treats regular-expression characters in a secret literally', () => {
    const r = createRedactor(['a.b*c']);
    assert.equal(r('a.b*c axbbbc'), `${MASK} axbbbc`);
  });

  it('with no secrets, returns text unchanged', () => {
    assert.equal(createRedactor([])('anything'), 'anything');
  });

  it('never leaves a secret in any text that embeds it (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40 }),
        fc.string({ maxLength: 50 }),
        fc.string({ maxLength: 50 }),
        (secret, before, after) => {
          const out = createRedactor([secret])(`${before}${secret}${after}`);
          return !out.includes(secret);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

/**
 * The small pieces behind an `error` verdict, each on its own: how a failed preflight is sorted
 * (whose problem), what a no-write run may still send, how a probe shows a body, and how junit.xml
 * turns the error test's failure into an <error>.
 */
import assert from 'node:assert/strict';
import type { ConformanceCase } from '../generators/case.ts';
import { markRunErrors } from '../harness/report/junitErrors.ts';
import { answerProbe, describeProbe } from '../harness/run/answerProbe.ts';
import { noWriteSkipReason } from '../harness/run/noWriteMode.ts';
import { judgePreflight, watchedTransport } from '../harness/run/preflightProbe.ts';
import type { AnswerProbe } from '../harness/run/runResult.ts';
import type { Transport, TransportOutcome } from '../harness/transport/types.ts';

const request = { method: 'GET', url: 'http://127.0.0.1:1/api/v1/namespaces/x/endpoints?limit=500' };

function answered(status: number, bodyText = '{}', headers: Record<string, string> = { 'content-type': 'application/json' }): TransportOutcome {
  return { ok: true, response: { status, headers, bodyText, bodyTruncated: false, durationMs: 3 } };
}

function probeOf(outcome: TransportOutcome): AnswerProbe {
  return answerProbe(request, outcome);
}

describe('run error pieces', () => {
  describe('judgePreflight: whose problem a failed preflight list is', () => {
    it('no answer, 401/403/404 and a 429 after the retries: the run cannot be made', () => {
      const silent = probeOf({ ok: false, failure: { kind: 'timeout', message: 'no complete response within 10 ms' }, durationMs: 10 });
      assert.deepEqual(
        [silent, probeOf(answered(401)), probeOf(answered(403)), probeOf(answered(404)), { ...probeOf(answered(429)), throttled: { answers: 4, waitedMs: 3000 } }].map(
          (probe) => {
            const judged = judgePreflight('cannot list', probe);
            return judged.kind === 'cannot-run' ? judged.cause : judged.kind;
          },
        ),
        ['no-answer', 'access-denied', 'access-denied', 'access-denied', 'throttled'],
      );
      const throttled = judgePreflight('x', { ...probeOf(answered(429)), throttled: { answers: 4, waitedMs: 3000 } });
      assert.match(throttled.reason, /429 Too Many Requests 4 times in a row \(waited 3\.0 s/);
    });

    it('any other answer (5xx, HTML, a redirect, a 200 that is no list): answered wrongly, with what came back', () => {
      for (const outcome of [answered(500), answered(502, '<html>', { 'content-type': 'text/html' }), answered(302), answered(200, 'OK')]) {
        const judged = judgePreflight('cannot list Endpoints in namespace x: the list answer is not an EndpointsList (no items array)', probeOf(outcome));
        assert.equal(judged.kind, 'answered-wrongly');
        assert.match(judged.reason, /^the preflight list was answered wrongly/);
        assert.match(judged.reason, new RegExp(`HTTP ${outcome.ok ? outcome.response.status : 0}`));
      }
      assert.match(judgePreflight('cannot list Endpoints in namespace x: the list answer is not an EndpointsList (no items array)', probeOf(answered(200, 'OK'))).reason, /\(the list answer is not an EndpointsList/);
    });
  });

  it('watchedTransport re-sends a 429 after Retry-After at most N times and keeps the last exchange with the count', async () => {
    let sent = 0;
    const inner: Transport = {
      send: () => {
        sent += 1;
        return Promise.resolve(answered(429, '{}', { 'retry-after': '0' }));
      },
      close: () => Promise.resolve(),
    };
    const watched = watchedTransport(inner, { maxRetries429: 3 });
    const outcome = await watched.transport.send({ ...request, headers: {} });
    assert.equal(outcome.ok && outcome.response.status, 429);
    assert.equal(sent, 4);
    assert.deepEqual(watched.last()?.throttled?.answers, 4);
    assert.equal(watched.last()?.status, 429);
  });

  it('noWriteSkipReason: GETs and PUTs with no dryRun or dryRun=All only; nothing that needs a stored object', () => {
    const step = (method: 'PUT' | 'GET' | 'DELETE', query: Array<[string, string]> = []): ConformanceCase['steps'][number] =>
      ({ request: { method, path: '/p', query, headers: {}, body: { kind: 'none' }, auth: 'valid' }, expect: { status: [200] } }) as ConformanceCase['steps'][number];
    const make = (steps: ConformanceCase['steps'], needs: ConformanceCase['needs'] = []): ConformanceCase => ({ steps, needs }) as unknown as ConformanceCase;
    assert.equal(noWriteSkipReason(make([step('PUT')])), undefined);
    assert.equal(noWriteSkipReason(make([step('PUT', [['dryRun', 'All']]), step('GET')])), undefined);
    assert.match(noWriteSkipReason(make([step('PUT', [['dryRun', 'Bogus']])])) ?? '', /dryRun value other than All/);
    assert.match(noWriteSkipReason(make([step('PUT', [['dryRun', 'All'], ['dryRun', 'x']])])) ?? '', /dryRun value other than All/);
    assert.match(noWriteSkipReason(make([step('GET'), step('DELETE')])) ?? '', /sends DELETE/);
    assert.match(noWriteSkipReason(make([step('PUT')], ['stored-object'])) ?? '', /needs a stored object/);
  });

  it('answerProbe keeps status, Content-Type, the first 512 characters with control characters escaped, cut and UTF-8 flags', () => {
    const binary = `\u001f\u008b\u0008${'a'.repeat(600)}`;
    const probe = probeOf({ ok: true, response: { status: 200, headers: { 'content-type': 'application/json' }, bodyText: binary, bodyTruncated: true, bodyNotUtf8: true, durationMs: 7.4 } });
    assert.equal(probe.status, 200);
    assert.equal(probe.contentType, 'application/json');
    assert.ok(probe.bodyStart?.startsWith('\\x1f\u008b\\x08aaa'), probe.bodyStart);
    assert.equal(probe.bodyStart?.length, 512 + 6);
    assert.equal(probe.bodyCut, true);
    assert.equal(probe.bodyNotUtf8, true);
    assert.equal(probe.durationMs, 7);
    assert.doesNotMatch(describeProbe(probe), /\n/);
    const failed = probeOf({ ok: false, failure: { kind: 'refused', message: 'connection refused by 127.0.0.1:1' }, durationMs: 2 });
    assert.equal(failed.status, undefined);
    assert.match(describeProbe(failed), /→ no answer after 2 ms: connection refused/);
  });

  it('markRunErrors turns only the error test into an <error> with its cause and reason, and counts both kinds', () => {
    const junit = [
      '<testsuite name="s" tests="3" failures="0" errors="2" skipped="0" timestamp="t" time="0">',
      '<testcase classname="verdict: error" name="error: the target never answered" time="0"><failure>the reason &amp; more\nstack</failure></testcase>',
      '<testcase classname="verdict: error" name="not_a_server_error: 0 of 3" time="0"><failure>a failing check</failure></testcase>',
      '<testcase classname="run" name="target" time="0"/>',
      '</testsuite>',
    ].join('\n');
    const marked = markRunErrors(junit, 'no-answer', 'refused by "x" <here>');
    assert.match(marked, /name="error: the target never answered" time="0"><error message="refused by &quot;x&quot; &lt;here&gt;" type="no-answer">the reason &amp; more\nstack<\/error>/);
    assert.match(marked, /name="not_a_server_error: 0 of 3" time="0"><failure>a failing check<\/failure>/);
    assert.match(marked, /<testsuite [^>]*failures="1" errors="1"/);
  });
});

/** The pieces behind index.html: the expected/actual difference, the coverage grid over the
 * contract's fields, why a documented status was not seen, the bars of the picture. */
import assert from 'node:assert/strict';
import { coverageGrid } from '../harness/report/coverageGrid.ts';
import { hideMochawesomeDurations } from '../harness/report/mochawesomeDurations.ts';
import { statusElicitation } from '../harness/report/statusElicitation.ts';
import { textDifference } from '../harness/report/textDifference.ts';
import { contractFieldPaths } from '../spec/contractFieldPaths.ts';
import { loadContract } from '../spec/loadContract.ts';

const marked = (parts: Array<{ text: string; differs: boolean }>): string => parts.map((part) => (part.differs ? `[${part.text}]` : part.text)).join('');

describe('report pieces', () => {
  it('textDifference marks what differs, word by word, and nothing when equal', () => {
    const difference = textDifference('HTTP 422 Invalid', 'HTTP 201 Created');
    assert.equal(marked(difference.expected), 'HTTP [422 Invalid]');
    assert.equal(marked(difference.actual), 'HTTP [201 Created]');
    const paths = textDifference('causes ["subsets[0].ports[1].port"]', 'causes ["subsets.ports.port"]');
    assert.equal(marked(paths.expected), 'causes ["subsets[[0]].ports[[1]].port"]');
    assert.equal(marked(paths.actual), 'causes ["subsets.ports.port"]');
    const same = textDifference('a b', 'a b');
    assert.equal(marked(same.expected), 'a b');
    assert.equal(marked(same.actual), 'a b');
  });

  it('contractFieldPaths lists the document\'s body fields and parameters', async () => {
    const fields = contractFieldPaths(await loadContract());
    for (const field of ['apiVersion', 'metadata.name', 'metadata.ownerReferences[].uid', 'subsets[].addresses[].targetRef.uid', 'subsets[].ports[].protocol', 'path.name', 'query.dryRun', 'header.Content-Type']) {
      assert.ok(fields.includes(field), field);
    }
    assert.equal(new Set(fields).size, fields.length, 'no field twice');
  });

  it('coverageGrid: valid through a field inside, invalid only itself; names outside the contract listed apart', () => {
    const grid = coverageGrid(['metadata', 'metadata.labels', 'subsets', 'subsets[].ports', 'subsets[].ports[].port', 'query.dryRun'], {
      valid: ['subsets[]', 'subsets[].ports[].port', 'metadata.labels', 'metadata.foo'],
      invalid: ['subsets[].ports', 'metadata.labels.bad/key', 'header.Accept'],
    });
    assert.deepEqual(
      grid.rows.map((row) => `${row.field}:${row.valid ? 'v' : '-'}${row.invalid ? 'i' : '-'}`),
      ['metadata:v-', 'metadata.labels:v-', 'subsets:v-', 'subsets[].ports:vi', 'subsets[].ports[].port:v-', 'query.dryRun:--'],
    );
    assert.deepEqual(grid.outsideContract, ['header.Accept', 'metadata.foo']);
    assert.equal(grid.validCount, 5);
    assert.equal(grid.invalidCount, 1);
  });

  it('statusElicitation says why a documented status was not seen', () => {
    const statuses = statusElicitation([200, 413, 422, 500, 503], { '200': 4, '500': 1, '418': 2 });
    const byStatus = new Map(statuses.map((status) => [status.status, status]));
    assert.equal(byStatus.get(200)?.count, 4);
    assert.equal(byStatus.get(418)?.documented, false);
    assert.equal(byStatus.get(503)?.outsideReach, true);
    assert.match(byStatus.get(503)?.why ?? '', /state of the server/);
    assert.match(byStatus.get(413)?.why ?? '', /3 MiB/);
    assert.equal(byStatus.get(413)?.outsideReach, undefined);
    assert.equal(byStatus.get(422)?.why, 'no case of this run produced it');
  });

  it('mochawesome durations are hidden once, in the head', () => {
    const page = hideMochawesomeDurations('<html><head><title>x</title></head><body></body></html>');
    assert.match(page, /<style id="endpoints-conformance-no-durations">[^<]*--duration[^<]*<\/style><\/head>/);
    assert.equal(hideMochawesomeDurations(page), page);
  });
});

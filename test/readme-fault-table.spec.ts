import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { faultCatalogue } from '../reference-server/faults.ts';
import { checkNames } from '../harness/checks/registry.ts';

/** The README's fault → check table is what vendors read; it must say what the code does. */
async function readmeFaultRows(): Promise<Map<string, string>> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('<!-- fault-table:start -->');
  const end = readme.indexOf('<!-- fault-table:end -->');
  assert.ok(start >= 0 && end > start, 'README has the fault-table markers');
  const rows = new Map<string, string>();
  for (const line of readme.slice(start, end).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const fault = /^`([a-z0-9-]+)`$/.exec(cells[1] ?? '');
    const check = /^`([a-z_]+)`$/.exec(cells[3] ?? '');
    if (fault && check) rows.set(fault[1], check[1]);
  }
  return rows;
}

describe('README fault table', () => {
  it('lists every fault of the catalogue with the check that catches it, and nothing else', async () => {
    const rows = await readmeFaultRows();
    const expected = new Map(faultCatalogue.map((fault) => [fault.name, fault.caughtBy]));
    assert.deepEqual(Object.fromEntries(rows), Object.fromEntries(expected));
  });

  it('names only checks that exist, and every check is caught by some fault', async () => {
    const caught = new Set((await readmeFaultRows()).values());
    for (const check of caught) assert.ok(checkNames.includes(check), `${check} is a registered check`);
    for (const check of checkNames) assert.ok(caught.has(check), `${check} has a fault in the README table`);
  });
});

/**
 * The document cannot drift from the vendor page: the page itself is parsed (every table,
 * every row) and compared with the document; broken copies of the document prove the
 * comparison notices each kind of drift.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { loadContract } from '../spec/loadContract.ts';
import { contractValidator } from '../spec/contractValidator.ts';
import { parseVendorPage, readVendorPage, vendorPagePath, type VendorPage } from '../spec/vendorPage.ts';
import { vendorPageDrift, type DriftFinding } from '../spec/vendorPageDrift.ts';
import { alteredDocument, at, rawParameter } from './fixtures/spec/contractCopies.ts';

const operationPath = '/api/v1/namespaces/{namespace}/endpoints/{name}';

describe('spec: the vendor page', () => {
  let page: VendorPage;
  before(async function () {
    // The page lives outside the repository (../shared/seed/). A clone placed elsewhere skips this
    // suite, saying why; CI sets REQUIRE_VENDOR_PAGE=1 so that there it fails instead.
    const path = vendorPagePath();
    if (!existsSync(path) && process.env.REQUIRE_VENDOR_PAGE !== '1') {
      console.log(`      (skipped: no vendor page at ${path}; set VENDOR_PAGE to its path)`);
      this.skip();
    }
    page = await readVendorPage(path);
  });

  describe('parsing', () => {
    it('finds the operation, 10 request tables, 7 response tables for 200 and 201, and 15 status codes', () => {
      assert.equal(page.method, 'PUT');
      assert.equal(page.path, operationPath);
      assert.deepEqual(page.requestTables.map((table) => table.rows.length), [2, 3, 2, 4, 6, 6, 3, 4, 7, 4]);
      assert.deepEqual(Object.keys(page.responseTables), ['200', '201']);
      for (const tables of Object.values(page.responseTables)) {
        assert.deepEqual(tables.map((table) => table.rows.length), [4, 6, 6, 3, 4, 7, 4]);
        assert.ok(tables.every((table) => !table.columns.includes('required')));
      }
      assert.deepEqual(page.statusCodes.map((status) => status.code), [200, 201, 400, 401, 403, 404, 405, 406, 409, 415, 422, 429, 500, 503, 504]);
      assert.equal(page.statusCodes.at(-1)?.description, 'ServerTimeout'); // the last line has no newline
    });

    it('reads rows with no type cell (description, then an empty cell — or nothing when last)', () => {
      const endpoints = page.requestTables[3];
      assert.deepEqual(endpoints?.rows.map((row) => [row.name, row.required, row.type]), [
        ['apiVersion', false, 'String'],
        ['kind', false, 'String'],
        ['metadata', false, undefined],
        ['subsets', false, undefined],
      ]);
      assert.match(endpoints?.rows[2]?.description ?? '', /^Standard object's metadata/);
      const address = page.requestTables[7];
      assert.deepEqual(address?.rows.map((row) => [row.name, row.required, row.type]), [
        ['hostname', false, 'String'],
        ['ip', true, 'String'],
        ['nodeName', false, 'String'],
        ['targetRef', false, undefined], // last row: no empty cell after it
      ]);
      const subsetResponse = page.responseTables[200]?.[3];
      assert.deepEqual(subsetResponse?.rows.map((row) => [row.name, row.type]), [
        ['addresses', undefined],
        ['notReadyAddresses', undefined],
        ['ports', undefined],
      ]);
    });

    it('reads the required flags (是/否) and the types the page uses', () => {
      const required = page.requestTables.flatMap((table) => table.rows.filter((row) => row.required === true).map((row) => row.name));
      assert.deepEqual(required, ['name', 'namespace', 'X-Auth-Token', 'Content-Type', 'apiVersion', 'kind', 'name', 'uid', 'ip', 'port']);
      const types = new Set(page.requestTables.flatMap((table) => table.rows.map((row) => String(row.type))));
      assert.deepEqual([...types].sort(), ['Boolean', 'Integer', 'Object', 'String', 'undefined']);
    });

    it('rejects a table row with a bad required cell, naming the line', () => {
      const text = ['URI', `PUT ${operationPath}`, '参数 |', '是否必选 |', '参数类型 |', '描述 |', '---|---|---|---|', 'name |', 'maybe |', 'String |', 'd |'].join('\n');
      assert.throws(() => parseVendorPage(text), /^VendorPageError: line 9: expected 是 or 否 for name/);
    });
  });

  describe('the document agrees with the page', () => {
    it('has every row of every table, with the same type and required flag, and marks its additions', async () => {
      const contract = await loadContract();
      assert.deepEqual(vendorPageDrift(page, contract.document).map((finding) => finding.message), []);
    });

    it('carries the page request example exactly, and it validates against Endpoints', async () => {
      const contract = await loadContract();
      const content = contract.operation.requestBody;
      assert.ok(content !== undefined && !('$ref' in content));
      const example = content.content['application/json']?.examples?.vendorRequestExample;
      assert.ok(example !== undefined && !('$ref' in example));
      assert.deepEqual(example.value, page.requestExample);
      assert.deepEqual(contractValidator(contract).validate('Endpoints', page.requestExample), { valid: true, errors: [] });
    });

    it('carries the page 200 response example exactly, and it validates against Endpoints', async () => {
      const contract = await loadContract();
      const response = contract.operation.responses['200'];
      assert.ok(response !== undefined && !('$ref' in response));
      const example = response.content?.['application/json']?.examples?.vendorResponseExample;
      assert.ok(example !== undefined && !('$ref' in example));
      assert.ok(page.responseExamples[200] !== undefined);
      assert.deepEqual(example.value, page.responseExamples[200]);
      assert.deepEqual(contractValidator(contract).validate('Endpoints', page.responseExamples[200]), { valid: true, errors: [] });
    });
  });

  describe('the comparison notices drift (broken copies of the document)', () => {
    const findingsFor = async (alter: Parameters<typeof alteredDocument>[0]): Promise<DriftFinding[]> =>
      vendorPageDrift(page, await alteredDocument(alter));
    const schema = (document: Record<string, unknown>, name: string): Record<string, unknown> => at(document, 'components', 'schemas', name);
    const properties = (document: Record<string, unknown>, name: string): Record<string, Record<string, unknown>> =>
      at(document, 'components', 'schemas', name, 'properties') as Record<string, Record<string, unknown>>;

    it('an unaltered copy has no findings (the fixture itself is sound)', async () => {
      assert.deepEqual(await findingsFor(() => {}), []);
    });

    it('a row removed from the document', async () => {
      const findings = await findingsFor((document) => {
        delete properties(document, 'EndpointAddress').nodeName;
      });
      const missing = findings.filter((finding) => finding.problem === 'missing' && finding.row === 'nodeName');
      // table 8 maps to addresses[] and notReadyAddresses[], in the request and in both responses
      assert.equal(missing.length, 6, findings.map((finding) => finding.message).join('\n'));
      assert.ok(missing.every((finding) => finding.where.startsWith('table 8 EndpointAddress')));
      assert.equal(findings.length, missing.length);
    });

    it('a type changed', async () => {
      const findings = await findingsFor((document) => {
        properties(document, 'EndpointPort').port = { type: 'string', 'x-source': { origin: 'vendor-table', ref: 'broken' } };
      });
      assert.ok(findings.length > 0 && findings.every((finding) => finding.problem === 'type' && finding.row === 'port'));
      assert.match(findings[0]?.message ?? '', /table 10 EndpointPort .*row port: the page says Integer \(integer\), the document says string/);
    });

    it('a no-type row turned into a scalar', async () => {
      const findings = await findingsFor((document) => {
        properties(document, 'EndpointSubset').ports = { type: 'string' };
      });
      assert.ok(findings.some((finding) => finding.problem === 'type' && finding.row === 'ports'));
    });

    it('a required flag flipped, both ways', async () => {
      const dropped = await findingsFor((document) => {
        schema(document, 'EndpointAddress').required = [];
      });
      assert.deepEqual(
        dropped.map((finding) => [finding.problem, finding.row, finding.where]),
        [
          ['required', 'ip', 'table 8 EndpointAddress at request subsets[].addresses[]'],
          ['required', 'ip', 'table 8 EndpointAddress at request subsets[].notReadyAddresses[]'],
        ],
      );
      const added = await findingsFor((document) => {
        schema(document, 'ObjectReference').required = ['kind'];
      });
      assert.ok(added.some((finding) => finding.problem === 'required' && finding.row === 'kind' && finding.where.includes('request')));
    });

    it('a query parameter made required, and a path parameter renamed', async () => {
      const flipped = await findingsFor((document) => {
        rawParameter(document, 'dryRun').required = true;
      });
      assert.deepEqual(flipped.map((finding) => [finding.problem, finding.row]), [['required', 'dryRun']]);
      const renamed = await findingsFor((document) => {
        rawParameter(document, 'pretty').name = 'prettyPrint';
      });
      assert.deepEqual(renamed.map((finding) => [finding.problem, finding.row]).sort(), [
        ['missing', 'pretty'],
        ['unmarked-addition', 'prettyPrint'],
      ]);
    });

    it('the vendor token scheme removed from the security requirements', async () => {
      const findings = await findingsFor((document) => {
        at(document, 'paths', operationPath, 'put').security = [{ bearer: [] }];
      });
      assert.deepEqual(findings.map((finding) => [finding.problem, finding.row]), [['required', 'X-Auth-Token']]);
    });

    it('an addition not marked as such, and a documented status dropped', async () => {
      const findings = await findingsFor((document) => {
        delete properties(document, 'ManagedFieldsEntry').subresource?.['x-not-on-vendor-page'];
        delete (at(document, 'paths', operationPath, 'put', 'responses') as Record<string, unknown>)['429'];
      });
      assert.ok(findings.some((finding) => finding.problem === 'unmarked-addition' && finding.row === 'subresource'));
      assert.ok(findings.some((finding) => finding.problem === 'missing' && finding.row === '429'));
    });
  });
});

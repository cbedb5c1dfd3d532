/**
 * The pieces that make the command line fast (issue 14): the contract cache keeps the validated
 * document's shared schema objects shared and serves only the bytes it was made from; the
 * launchers run dist/ only when it is not older than the sources; the objects a finished case
 * wrote are found with what its last answer showed; the janitor's background lane stays bounded.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBackgroundLane } from '../harness/cleanup/backgroundLane.ts';
import { objectsWrittenByCase } from '../harness/run/caseObjects.ts';
import type { CaseFiring } from '../harness/run/fireCase.ts';
import { readCachedDocument, writeContractCache } from '../spec/contractCache.ts';
import { schemaAt } from '../spec/contractRules.ts';
import { loadContract } from '../spec/loadContract.ts';
import type { Contract } from '../spec/loadContract.ts';
// plain JavaScript (it runs before anything is compiled), typed here by use
import { chooseEntry } from '../cli/compiledEntry.mjs';

describe('speed pieces', function () {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'speed-pieces-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('contract cache', function () {
    it('gives back the document with its shared schema objects still shared, for the same bytes only', async () => {
      const contract = await loadContract();
      const cachePath = path.join(dir, 'cache.json');
      assert.equal(await writeContractCache(contract.sha256, contract.document, cachePath), true);
      const document = readCachedDocument(contract.sha256, cachePath);
      assert.ok(document !== undefined);
      assert.deepEqual(document, contract.document);
      const cached: Contract = { ...contract, document, schemas: document.components?.schemas as Contract['schemas'] };
      // a $ref'd schema is one object wherever it is used, as swagger-parser made it
      assert.equal(schemaAt(cached, 'Endpoints', 'subsets[].ports[].port'), schemaAt(cached, 'EndpointPort', 'port'));
      assert.equal(readCachedDocument('0'.repeat(64), cachePath), undefined, 'other bytes: not served');
      assert.equal(readCachedDocument(contract.sha256, path.join(dir, 'absent.json')), undefined);
    });

    it('keeps cycles, and refuses a document that uses its own markers', async () => {
      const cachePath = path.join(dir, 'cache.json');
      const node: Record<string, unknown> = { type: 'object' };
      node.properties = { self: node, again: node };
      const document = { openapi: '3.0.3', components: { schemas: { Node: node } } } as unknown as Contract['document'];
      assert.equal(await writeContractCache('a'.repeat(64), document, cachePath), true);
      const back = readCachedDocument('a'.repeat(64), cachePath) as unknown as { components: { schemas: { Node: { properties: Record<string, unknown> } } } };
      const again = back.components.schemas.Node;
      assert.equal(again.properties.self, again);
      assert.equal(again.properties.again, again);
      const marked = { openapi: '3.0.3', info: { $cacheRef: 1 } } as unknown as Contract['document'];
      assert.equal(await writeContractCache('b'.repeat(64), marked, path.join(dir, 'marked.json')), false);
    });
  });

  describe('launcher: compiled or TypeScript', function () {
    it('runs dist/ only when it exists and no source is newer', async () => {
      const source = path.join(dir, 'cli', 'tool.ts');
      const compiled = path.join(dir, 'dist', 'cli', 'tool.js');
      await mkdir(path.dirname(source), { recursive: true });
      await mkdir(path.dirname(compiled), { recursive: true });
      await writeFile(source, '');
      assert.equal(chooseEntry(dir, source, compiled).kind, 'typescript', 'no dist/');
      await writeFile(compiled, '');
      const now = Date.now() / 1000;
      await utimes(source, now - 100, now - 100);
      await utimes(compiled, now - 50, now - 50);
      assert.deepEqual(chooseEntry(dir, source, compiled), { kind: 'compiled', file: compiled });
      await mkdir(path.join(dir, 'harness', 'deep'), { recursive: true });
      await writeFile(path.join(dir, 'harness', 'deep', 'edited.ts'), '');
      assert.equal(chooseEntry(dir, source, compiled).kind, 'typescript', 'a source edited after the build');
    });
  });

  describe('objects a finished case wrote', function () {
    const ns = 'conformance';
    const step = (method: string, name: string, status: number | undefined, value?: unknown, dryRun = false) => ({
      exchange: {
        step: { request: { method, path: `/api/v1/namespaces/${ns}/endpoints/${name}` } },
        dryRun,
        ...(status === undefined ? {} : { response: { status } }),
        body: value === undefined ? { kind: 'empty' } : { kind: 'json', value },
      },
    });
    const object = (name: string, uid: string, resourceVersion: string) => ({ metadata: { name, uid, resourceVersion, labels: { run: 'r' } } });
    const firing = (...steps: ReturnType<typeof step>[]): CaseFiring => ({ steps }) as unknown as CaseFiring;

    it('each with what the last successful write answer showed; a refused write changes nothing', () => {
      const written = objectsWrittenByCase(firing(step('PUT', 'a', 201, object('a', 'u1', '5')), step('PUT', 'a', 422, { kind: 'Status' }), step('PUT', 'b', 200, object('b', 'u2', '7'))), ns);
      assert.deepEqual([...written.entries()], [
        ['a', { uid: 'u1', resourceVersion: '5', labels: { run: 'r' } }],
        ['b', { uid: 'u2', resourceVersion: '7', labels: { run: 'r' } }],
      ]);
    });

    it('unknown after a write that got no answer or a 5xx; dry runs and other paths are no writes', () => {
      const written = objectsWrittenByCase(
        firing(step('PUT', 'a', 201, object('a', 'u1', '5')), step('PUT', 'a', undefined), step('PUT', 'c', 503, { kind: 'Status' }), step('PUT', 'd', 201, object('d', 'u', '1'), true), step('GET', 'e', 200, object('e', 'u', '1'))),
        ns,
      );
      assert.deepEqual([...written.entries()], [['a', undefined], ['c', undefined]]);
    });
  });

  describe('background lane', function () {
    it('works at most `limit` items at a time; drain waits for all taken, then takes no more', async () => {
      let running = 0;
      let most = 0;
      const done: number[] = [];
      const lane = createBackgroundLane<number>(3, async (item) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        done.push(item);
      });
      for (let item = 0; item < 10; item += 1) assert.equal(lane.push(item), true);
      await lane.drain();
      assert.equal(done.length, 10);
      assert.equal(most, 3);
      assert.equal(lane.push(11), false);
    });

    it('drain(widenTo) works what is still queued that many at a time', async () => {
      let running = 0;
      let most = 0;
      let done = 0;
      const lane = createBackgroundLane<number>(2, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        done += 1;
      });
      for (let item = 0; item < 20; item += 1) lane.push(item);
      assert.equal(most, 2);
      await lane.drain(8);
      assert.equal(done, 20);
      assert.equal(most, 8);
    });
  });
});

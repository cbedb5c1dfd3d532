/**
 * The reports in a real browser (Debian's chromium, driven by playwright-core): the overview page
 * of a passing run and of a failing run (embedded server with a fault) shows the verdict in words,
 * the picture of the results and the coverage in the first viewport, with JavaScript on and off;
 * the failing run's first counterexample is open, its difference marked; no page fetches anything
 * from the network; mochawesome.html shows no durations. Screenshots go to test-output/screenshots/
 * (gitignored) to look at.
 *
 * Without chromium (CHROMIUM_PATH, default /usr/bin/chromium) the suite is skipped with one line
 * saying why; with REQUIRE_BROWSER=1 (as in CI) a missing chromium fails.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { projectRoot, runConformanceCli } from './support/conformanceCli.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = path.join(projectRoot, 'test-output/screenshots');
const viewport = { width: 1280, height: 800 };

interface Report {
  name: string;
  dir: string;
  verdictWord: RegExp;
  headline: RegExp;
}

describe('reports in a real browser (chromium)', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let scratch: string;
  const reports: Report[] = [];

  before(async function () {
    if (!existsSync(chromiumPath)) {
      const reason = `chromium not found at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
      if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
      console.log(`      browser tests skipped: ${reason}`);
      this.skip();
    }
    scratch = await mkdtemp(path.join(tmpdir(), 'report-browser-'));
    await mkdir(screenshots, { recursive: true });
    const passing = path.join(scratch, 'pass');
    const failing = path.join(scratch, 'fail');
    const [passRun, failRun] = await Promise.all([
      runConformanceCli(['--runs', '3', '--seed', '21', '--report-dir', passing]),
      runConformanceCli(['--runs', '3', '--seed', '21', '--fault', 'causes-without-indices', '--report-dir', failing]),
    ]);
    assert.equal(passRun.code, 0, passRun.stdout + passRun.stderr);
    assert.equal(failRun.code, 1, failRun.stdout + failRun.stderr);
    reports.push(
      { name: 'pass', dir: passing, verdictWord: /^PASS$/, headline: /conforms to the contract/ },
      { name: 'fail', dir: failing, verdictWord: /^FAIL$/, headline: /does not conform/ },
    );
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  /** A page that records every request that is not the file itself. */
  async function openPage(file: string, javaScriptEnabled: boolean): Promise<{ page: Page; fetched: string[]; close: () => Promise<void> }> {
    assert.ok(browser !== undefined);
    const context = await browser.newContext({ javaScriptEnabled, viewport });
    const page = await context.newPage();
    const fetched: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('request', (request) => {
      if (request.url() !== url && !request.url().startsWith('data:')) fetched.push(request.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, fetched, close: () => context.close() };
  }

  async function inFirstViewport(page: Page, selector: string): Promise<void> {
    const box = await page.locator(selector).first().boundingBox();
    assert.ok(box !== null, `${selector} is rendered`);
    assert.ok(box.y >= 0 && box.y < viewport.height && box.width > 0 && box.height > 0, `${selector} starts in the first viewport (y=${box.y})`);
  }

  for (const javaScriptEnabled of [false, true]) {
    const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';
    it(`the first viewport shows the verdict, the picture and the coverage (${mode})`, async () => {
      for (const report of reports) {
        const { page, fetched, close } = await openPage(path.join(report.dir, 'index.html'), javaScriptEnabled);
        try {
          await inFirstViewport(page, '#verdict');
          assert.match((await page.locator('#verdict .verdict-word').innerText()).trim(), report.verdictWord);
          assert.match(await page.locator('#verdict h1').innerText(), report.headline);
          await inFirstViewport(page, '#picture-checks');
          // every check has a drawn bar, and the bars are in the first viewport
          const bars = page.locator('#picture-checks .bar');
          assert.equal(await bars.count(), 16);
          const lastBar = await bars.last().boundingBox();
          assert.ok(lastBar !== null && lastBar.y + lastBar.height <= viewport.height && lastBar.width > 100, 'all check bars are in the first viewport');
          const drawn = await page.locator('#picture-checks .seg.passed').first().boundingBox();
          assert.ok(drawn !== null && drawn.width > 0, 'the bars are drawn');
          await inFirstViewport(page, '#picture-groups .bar');
          await inFirstViewport(page, '#picture-groups .chips');
          if (report.name === 'fail') {
            const failed = await page.locator('#picture-checks .seg.failed').first().boundingBox();
            assert.ok(failed !== null && failed.y < viewport.height, 'a failed segment is drawn in the first viewport');
          }
          assert.deepEqual(fetched, [], 'the page fetches nothing');
          await page.screenshot({ path: path.join(screenshots, `${report.name}-first-screen-${javaScriptEnabled ? 'js' : 'nojs'}.png`) });
        } finally {
          await close();
        }
      }
    });
  }

  it('the failing report opens on its first counterexample, the difference marked (JavaScript off)', async () => {
    const failing = reports.find((report) => report.name === 'fail');
    assert.ok(failing !== undefined);
    const { page, close } = await openPage(path.join(failing.dir, 'index.html'), false);
    try {
      const check = page.locator('#failing-status_causes_conformance');
      assert.equal(await check.getAttribute('open'), '', 'the failing check is open');
      const example = check.locator('.counterexample').first();
      assert.ok(await example.isVisible());
      assert.ok((await example.locator('.expected-actual mark').count()) > 0, 'the difference is marked');
      assert.match(await example.innerText(), /curl -sS -i -X PUT/);
      assert.match(await example.innerText(), /--replay \S+ --fault causes-without-indices/);
      assert.ok(await example.locator('.exchange.failing pre').first().isVisible(), 'the request is shown');
      await example.screenshot({ path: path.join(screenshots, 'fail-counterexample.png') });
      await page.locator('#coverage').screenshot({ path: path.join(screenshots, 'fail-coverage.png') });
    } finally {
      await close();
    }
  });

  it('mochawesome.html renders offline and shows no durations', async () => {
    const failing = reports.find((report) => report.name === 'fail');
    assert.ok(failing !== undefined);
    const { page, fetched, close } = await openPage(path.join(failing.dir, 'mochawesome.html'), true);
    try {
      await page.locator('text=status_causes_conformance').first().waitFor();
      const visibleDurations = await page.evaluate(
        () => [...document.querySelectorAll('[class*="--duration"]')].filter((element) => getComputedStyle(element).display !== 'none').length,
      );
      assert.equal(visibleDurations, 0, 'no duration is shown');
      assert.deepEqual(fetched, [], 'the page fetches nothing');
      await page.screenshot({ path: path.join(screenshots, 'fail-mochawesome.png') });
    } finally {
      await close();
    }
  });
});

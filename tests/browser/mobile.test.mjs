// Phone-sized pages (375 px): no sideways scrolling, and screenshots for review.
// Screenshots go to $SCREENSHOTS_DIR when set (e.g. docs/screenshots), else to a temp folder.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../integration/harness.mjs';
import { launch, apiDatasets, horizontalOverflow } from './lib.mjs';

describe('mobile (browser)', () => {
  let srv, browser, dir, ownDir = false, dataset;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    if (process.env.SCREENSHOTS_DIR) {
      dir = path.resolve(process.env.SCREENSHOTS_DIR);
      mkdirSync(dir, { recursive: true });
    } else {
      dir = mkdtempSync(path.join(tmpdir(), 'odp-shots-'));
      ownDir = true;
    }
    dataset = (await apiDatasets(srv)).find((d) => d.resources.length > 1) ?? (await apiDatasets(srv))[0];
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  });

  const shots = [
    ['home', () => '/'],
    ['search', () => '/datasets?q=' + encodeURIComponent('dữ liệu')],
    ['dataset', () => `/datasets/${dataset.slug}`],
  ];

  for (const [name, pathOf] of shots) {
    test(`${name} at 375 px: no horizontal scroll, screenshot saved`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
      const page = await ctx.newPage();
      const resp = await page.goto(srv.url + pathOf());
      assert.equal(resp.status(), 200);
      await page.evaluate(() => document.fonts.ready);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= 375, `${name}: scrollWidth ${o.scrollWidth} > 375; wide: ${o.wide.join(', ')}`);
      // The header (brand, navigation, account links) stays within the screen.
      const header = await page.locator('header.site-header').boundingBox();
      assert.ok(header.width <= 375, `header is ${header.width}px wide`);

      const file = path.join(dir, `mobile-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const png = readFileSync(file);
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      assert.equal(png.readUInt32BE(16), 375, 'screenshot is 375 px wide');
      await ctx.close();
    });
  }
});

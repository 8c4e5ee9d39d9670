// Honest statistics in a browser: downloads of every kind made by clicking (the file, every
// export of the table page, the dataset page's dump links) show on the dataset page that an
// anonymous visitor reloads, within two seconds, although the page is cached; the statistics
// page draws its charts under the real CSP, keeps every number in tables without JavaScript,
// is axe-core clean and fits 375 px.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser } from '../integration/harness.mjs';
import { launch, AXE_PATH, horizontalOverflow } from './lib.mjs';

const PLACES = [
  'Tên địa điểm,Loại,Vĩ độ,Kinh độ,Lượt khách',
  'Đại Nội Huế,Di tích,16.4698,107.5786,12000',
  'Chùa Thiên Mụ,Di tích,16.4536,107.5446,8000',
  'Chợ Đông Ba,Chợ,16.4727,107.5886,5000',
].join('\n') + '\n';

async function eventually(check, what, ms) {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('statistics (browser)', () => {
  let srv, browser, slug, rid;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    const root = addUser(srv, 'goc', { sysadmin: true });
    const d = await call(srv, 'POST', '/api/v1/datasets', {
      token: root,
      body: { title_vi: 'Điểm tham quan Huế', title_en: 'Places to visit in Huế', organization: 'so-du-lich',
              license_id: 'cc-by', access: 'public' },
    });
    assert.equal(d.status, 201, d.text);
    slug = d.json.slug;
    const fd = new FormData();
    fd.append('name', 'Điểm tham quan');
    fd.append('upload', new Blob([Buffer.from(PLACES, 'utf8')]), 'diem-tham-quan.csv');
    const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: fd });
    assert.equal(up.status, 201, up.text);
    rid = up.json.id;
    assert.equal((await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} })).status, 200);
    await eventually(async () => {
      const st = (await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root })).json;
      return st.job && st.job.state === 'done';
    }, 'the table loaded', 20000);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('counts after downloads of every kind, on the cached dataset page of an anonymous visitor', async () => {
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    const downloads = async () => Number((await page.locator('.usage-box .usage-downloads').textContent()).replace(/\D/g, ''));
    await page.goto(`${srv.url}/datasets/${slug}`);
    assert.equal(await downloads(), 0);

    let clicked = 0;
    const save = async (link) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.ok((await dl.path()), `${await link.textContent()} downloaded`);
      clicked++;
    };
    // The stored file, from the dataset page.
    await save(page.locator('li.resource a.button[download]').first());
    // The dump links of the preview (CSV, JSON).
    await page.locator('details.table-preview summary').first().click();
    for (const link of await page.locator('details.table-preview a[href^="/datastore/dump/"]').all()) await save(link);
    // Every export of the table page: CSV, CSV for Excel set to Vietnamese, Excel, JSON, NDJSON,
    // GeoJSON, Data Package.
    await page.goto(`${srv.url}/datasets/${slug}/resources/${rid}`);
    const exports = await page.locator('ul.downloads a').all();
    const labels = await page.locator('ul.downloads a').allTextContents();
    assert.deepEqual(labels.map((l) => l.trim()), [
      'CSV', 'CSV cho Excel tiếng Việt (dấu ; và dấu phẩy thập phân)', 'Excel (XLSX)', 'JSON', 'NDJSON', 'GeoJSON',
      'Data Package (ZIP)']);
    for (const link of exports) await save(link);
    assert.equal(clicked, 1 + 2 + 7);

    // Back on the dataset page (cached for anonymous visitors), the figure is current.
    const took = await eventually(async () => {
      await page.goto(`${srv.url}/datasets/${slug}`);
      return (await downloads()) === clicked;
    }, 'the dataset page shows every download', 2000);
    assert.ok(took <= 2000);
    assert.equal(Number((await page.locator('.usage-box .usage-views').textContent()).replace(/\D/g, '')) >= 2, true);
    // The resource line counts its downloads too.
    assert.match(await page.locator('li.resource .resource-downloads').first().textContent(), new RegExp(`^${clicked} lượt tải$`));
    await ctx.close();
  });

  test('the statistics page draws its charts under the CSP, from its tables', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${srv.url}/thong-ke`);
    assert.equal((await page.locator('h1').textContent()).trim(), 'Thống kê sử dụng');
    await page.waitForSelector('table[data-chart-drawn]');
    const charts = await page.locator('.chart-box canvas[role="img"]').count();
    assert.equal(charts, await page.locator('table[data-chart]').count());
    assert.ok(charts >= 4, `${charts} charts`);
    // The charts have pixels, and say what they show.
    const painted = await page.locator('.chart-box canvas').first().evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 500, `the months chart painted ${painted} pixels`);
    assert.match(await page.locator('.chart-box canvas').first().getAttribute('aria-label'), /theo tháng/);
    // Top downloaded names the dataset; its numbers are in the table.
    const row = page.locator('#stats-top-downloaded tbody tr').first();
    assert.equal((await row.locator('th').textContent()).trim(), 'Điểm tham quan Huế');
    assert.equal(problems.length, 0, problems.join('\n'));
    // The CSV button downloads the same figures.
    assert.equal(await page.locator('a[href="/api/v1/stats?format=csv"]').count(), 1);
    await ctx.close();
  });

  test('without JavaScript the statistics page is tables only, with every number', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/en/statistics`);
    assert.equal((await page.locator('h1').textContent()).trim(), 'Usage statistics');
    assert.equal(await page.locator('canvas').count(), 0);
    const api = (await call(srv, 'GET', '/api/v1/stats')).json;
    const months = await page.locator('#stats-months tbody tr').count();
    assert.equal(months, api.months.length);
    const last = page.locator('#stats-months tbody tr').last();
    assert.equal(Number((await last.locator('td').nth(1).textContent()).replace(/\D/g, '')), api.this_month.downloads);
    await ctx.close();
  });

  for (const [name, urlPath] of [['statistics', '/thong-ke'], ['English statistics', '/en/statistics'],
                                 ['dataset with figures', null]]) {
    test(`${name}: axe-core clean with the charts drawn, and no horizontal scroll at 375 px`, async () => {
      const target = urlPath || `/datasets/${slug}`;
      const axe = async (page, width) => {
        await page.addScriptTag({ path: AXE_PATH });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.equal(bad.length, 0, `${width} px: ` + bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
      };
      const overflow = async (page, width) => {
        const o = await horizontalOverflow(page);
        assert.ok(o.scrollWidth <= width, `${target} at ${width}: scrollWidth ${o.scrollWidth}; wide: ${o.wide.join(', ')}`);
      };
      // Opened on a phone; and opened wide, then narrowed (the charts were drawn wide).
      for (const width of [375, 1366]) {
        const ctx = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
        const page = await ctx.newPage();
        await page.goto(srv.url + target);
        if (urlPath) await page.waitForSelector('table[data-chart-drawn]');
        await axe(page, width);
        await overflow(page, width);
        if (width > 375) {
          await page.setViewportSize({ width: 375, height: 800 });
          await overflow(page, 375);
        }
        await ctx.close();
      }
    });
  }
});

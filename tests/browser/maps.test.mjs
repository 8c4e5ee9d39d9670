// The map view in a browser with no tile server set: the province's outline from the bundled
// boundary file, the table's rows as clustered markers, a filter of the table changing the
// points, a popup that shows a hostile cell as text; under the real CSP (no violation), axe-core
// clean and without horizontal scrolling at 375 px.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, fileForm, loadEnded } from '../integration/harness.mjs';
import { launch, AXE_PATH, horizontalOverflow } from './lib.mjs';

const HOSTILE = '<img src=x onerror="document.title=1">Cầu Trường Tiền';
// 30 monuments close together around the Citadel (they cluster), 2 markets and one hostile name.
const ROWS = ['Tên địa điểm,Loại,Vĩ độ,Kinh độ'];
for (let i = 0; i < 30; i++) ROWS.push(`Di tích ${i + 1},Di tích,${(16.468 + (i % 6) * 0.001).toFixed(4)},${(107.575 + Math.floor(i / 6) * 0.001).toFixed(4)}`);
ROWS.push('Chợ Đông Ba,Chợ,16.4728,107.5887', 'Chợ An Cựu,Chợ,16.4560,107.6020', `"${HOSTILE.replace(/"/g, '""')}",Cầu,16.4677,107.5905`);

// Waits until map.js has placed the points (it sets #map[data-points]); says what the map said
// instead when it does not.
async function pointsDrawn(page) {
  try {
    await page.waitForSelector('#map[data-points]', { state: 'attached', timeout: 10000 });
  } catch (e) {
    throw new Error(`no points drawn; the map says: ${await page.textContent('#map-status')}`);
  }
  return page.getAttribute('#map', 'data-points');
}

describe('map view (browser)', () => {
  let srv, browser, url;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    const root = addUser(srv, 'goc-ban-do', { sysadmin: true });
    const s = await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { map_tile_url: '' } });
    assert.equal(s.status, 200, s.text);
    const d = await call(srv, 'POST', '/api/v1/datasets', {
      token: root, body: { title_vi: 'Di tích Huế', organization: 'so-du-lich', license_id: 'cc-by' },
    });
    assert.equal(d.status, 201, d.text);
    const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
      token: root, body: fileForm(ROWS.join('\n') + '\n', 'di-tich.csv', { name: 'Di tích' }),
    });
    assert.equal(up.status, 201, up.text);
    await loadEnded(srv, up.json.id, root, (st) => Boolean(st.table));
    assert.ok((await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: root, body: {} })).status < 300);
    url = `${srv.url}/datasets/${d.json.slug}/resources/${up.json.id}`;
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('without tiles: the outline, clustered markers, a filter that changes them and an escaped popup', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    const images = [];
    page.on('request', (r) => { if (r.resourceType() === 'image') images.push(r.url()); });

    await page.goto(url);
    assert.equal(await pointsDrawn(page), '33');
    assert.equal(await page.textContent('#map-status'), 'Đang hiện 33 điểm.');
    assert.equal(await page.locator('#map path.map-outline').count(), 1, 'the province outline is not drawn');
    assert.match(await page.textContent('.leaflet-control-attribution'), /geoBoundaries \(CC BY 4\.0\)/);
    assert.ok(await page.locator('.marker-cluster').count() >= 1, 'no cluster');
    assert.ok(await page.locator('.map-pin').count() < 33, 'the markers are not clustered');
    assert.equal(await page.locator('.leaflet-tile').count(), 0);
    assert.deepEqual(images.filter((u) => !u.startsWith(srv.url)), []);

    // A filter of the table (its own form) is the map's filter too.
    await page.selectOption('#filter-field', 'loai');
    await page.selectOption('#filter-op', 'eq');
    await page.fill('#filter-value', 'Cầu');
    await Promise.all([page.waitForURL(/loai=/), page.click('form.table-filter button[type=submit]')]);
    assert.equal(await pointsDrawn(page), '1');
    assert.equal(await page.locator('.marker-cluster').count(), 0);

    // The popup shows the hostile name as text: no element made from it, nothing run.
    const title = await page.title();
    await page.locator('.map-pin').first().click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    assert.ok((await popup.textContent()).includes(HOSTILE), await popup.textContent());
    assert.equal(await popup.locator('img').count(), 0);
    assert.equal(await page.title(), title);
    assert.equal(await page.getAttribute('.map-pin', 'title'), HOSTILE);
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test('axe-core clean with the map drawn, and no horizontal scroll at 375 px', async () => {
    for (const width of [1280, 375]) {
      // bypassCSP only to inject axe-core; the first test runs under the real policy.
      const ctx = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
      const page = await ctx.newPage();
      await page.goto(url);
      await pointsDrawn(page);
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${width} px`);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= o.width, `${width} px: ${JSON.stringify(o)}`);
      await ctx.close();
    }
  });
});

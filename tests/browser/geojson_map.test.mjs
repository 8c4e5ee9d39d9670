// The map of a resource whose file is GeoJSON: its point (clustered layer), line and polygon
// drawn over the province's outline with no tile server, a popup that shows a hostile property as
// text, a .json FeatureCollection found by its content, a malformed file and files past the
// limits (feature count in the browser, size on the page) that say so and offer the download;
// axe-core clean with the map drawn.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, fileForm } from '../integration/harness.mjs';
import { launch, AXE_PATH } from './lib.mjs';

const HOSTILE = '<img src=x onerror="document.title=1">Cầu Trường Tiền';
const feature = (geometry, properties) => ({ type: 'Feature', properties, geometry });
const THREE = {
  type: 'FeatureCollection',
  features: [
    feature({ type: 'Point', coordinates: [107.5905, 16.4677] }, { name: HOSTILE, loai: 'Cầu' }),
    feature({ type: 'LineString', coordinates: [[107.57, 16.47], [107.60, 16.46], [107.62, 16.45]] }, { name: 'Sông Hương', dai_km: 80 }),
    feature({ type: 'Polygon', coordinates: [[[107.57, 16.465], [107.585, 16.465], [107.585, 16.475], [107.57, 16.475], [107.57, 16.465]]] }, { name: 'Kinh thành Huế' }),
  ],
};

async function featuresDrawn(page) {
  try {
    await page.waitForSelector('#map[data-features]', { state: 'attached', timeout: 10000 });
  } catch (e) {
    throw new Error(`nothing drawn; the map says: ${await page.textContent('#map-status')}`);
  }
  return page.getAttribute('#map', 'data-features');
}

describe('GeoJSON resources on a map (browser)', () => {
  let srv, browser, root, slug;
  const pages = {};

  async function upload(bytes, filename) {
    const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: fileForm(bytes, filename, { name: filename }) });
    assert.equal(up.status, 201, up.text);
    return `/datasets/${slug}/resources/${up.json.id}`;
  }

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    root = addUser(srv, 'goc-geojson', { sysadmin: true });
    assert.equal((await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { map_tile_url: '' } })).status, 200);
    const d = await call(srv, 'POST', '/api/v1/datasets', { token: root, body: { title_vi: 'Bản đồ Huế', organization: 'so-du-lich', license_id: 'cc-by' } });
    assert.equal(d.status, 201, d.text);
    slug = d.json.slug;
    pages.three = await upload(JSON.stringify(THREE), 'dia-diem.geojson');
    pages.sniffed = await upload(JSON.stringify(THREE), 'dia-diem.json');
    pages.broken = await upload('{"type": "FeatureCollection", "features": [', 'hong.geojson');
    const many = { type: 'FeatureCollection', features: [] };
    for (let i = 0; i < 50001; i++) many.features.push(feature({ type: 'Point', coordinates: [107.5, 16.4] }, {}));
    pages.many = await upload(JSON.stringify(many), 'nhieu.geojson');
    const big = JSON.stringify({ type: 'FeatureCollection', features: [feature({ type: 'Point', coordinates: [107.5, 16.4] }, { pad: 'x'.repeat(21 * 1024 * 1024) })] });
    pages.big = await upload(big, 'lon.geojson');
    assert.ok((await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} })).status < 300);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('a point, a line and a polygon are drawn without tiles; a popup shows a hostile property as text', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(srv.url + pages.three);
    assert.equal(await featuresDrawn(page), '3');
    assert.equal(await page.textContent('#map-status'), 'Đang hiện 3 đối tượng.');
    assert.equal(await page.locator('#map path.map-shape').count(), 2, 'the line and the polygon');
    assert.equal(await page.locator('#map .map-pin').count(), 1, 'the point');
    assert.equal(await page.locator('#map path.map-outline').count(), 1, 'the province outline');
    assert.equal(await page.locator('.leaflet-tile').count(), 0);
    // Fitted to the features, not to the province: the polygon (about 1.6 km wide) is large.
    const box = await page.locator('#map path.map-shape').nth(1).boundingBox();
    assert.ok(box && box.width > 100, `the map is not fitted to the features: ${JSON.stringify(box)}`);

    const title = await page.title();
    await page.locator('.map-pin').click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    assert.ok((await popup.textContent()).includes(HOSTILE), await popup.textContent());
    assert.equal(await popup.locator('img').count(), 0);
    assert.equal(await page.title(), title);
    assert.deepEqual(problems, []);

    // The English page, and a .json file recognised by its content.
    await page.goto(srv.url + '/en' + pages.sniffed);
    assert.equal(await featuresDrawn(page), '3');
    assert.equal(await page.textContent('#map-status'), 'Showing 3 features.');
    await ctx.close();
  });

  test('a malformed file and one with too many features say so; an oversize one is not fetched', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + pages.broken);
    assert.equal(await featuresDrawn(page), '0');
    assert.match(await page.textContent('#map-status'), /không phải GeoJSON hợp lệ/);
    await page.goto(srv.url + pages.many);
    assert.equal(await featuresDrawn(page), '0');
    assert.match(await page.textContent('#map-status'), /50\.001 đối tượng, nhiều hơn 50\.000/);
    await ctx.close();

    const big = await call(srv, 'GET', pages.big);
    assert.equal(big.status, 200);
    assert.match(big.text, /Tệp lớn hơn 20 MB nên không được vẽ trên bản đồ/);
    assert.match(big.text, /href="\/dataset\/[^"]+\/download\/lon\.geojson" download/);
    assert.doesNotMatch(big.text, /data-geojson-url/);
    const en = await call(srv, 'GET', '/en' + pages.big);
    assert.match(en.text, /The file is larger than 20 MB, so it is not drawn on the map/);
  });

  test('axe-core clean with the features drawn', async () => {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(srv.url + pages.three);
    await featuresDrawn(page);
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), []);
    await ctx.close();
  });
});

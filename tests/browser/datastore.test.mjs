// The resource page in a browser: the filter form, sorting by a column header, paging, the
// chart builder, downloads of the current view; and the schema form, all without errors in
// the console and under the enforced CSP.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login } from '../integration/harness.mjs';
import { launch } from './lib.mjs';

describe('resource page (browser)', () => {
  let srv, browser, root, session, slug, rid;
  const CSV = ['Trường,Quận,Học sinh,Vĩ độ,Kinh độ',
    'THCS Giảng Võ,Ba Đình,1200,21.027,105.820',
    'THCS Thăng Long,Ba Đình,980,21.030,105.835',
    'THCS Ngô Sĩ Liên,Hoàn Kiếm,750,21.026,105.848',
    'THCS Trưng Vương,Hoàn Kiếm,1100,21.022,105.853',
    'THCS Chu Văn An,Tây Hồ,640,21.055,105.825'].join('\n') + '\n';

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    root = addUser(srv, 'goc', { sysadmin: true });
    // The table has coordinates, so its page has a map: no tile server, as the test machine has
    // no Internet (a failed tile would be a console error).
    assert.equal((await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { map_tile_url: '' } })).status, 200);
    session = await login(srv, 'admin', srv.adminPassword);
    const d = await call(srv, 'POST', '/api/v1/datasets', { token: root, body: { title_vi: 'Trường THCS Hà Nội', organization: 'so-giao-duc-dao-tao' } });
    slug = d.json.slug;
    const fd = new FormData();
    fd.append('name', 'Danh sách trường');
    fd.append('upload', new Blob([Buffer.from(CSV, 'utf8')]), 'truong.csv');
    rid = (await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: fd })).json.id;
    await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
    for (let i = 0; i < 200; i++) {
      const st = (await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root })).json;
      if (st.table && st.table.indexed) break;
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  const firstColumn = (page) => page.$$eval('.data-table tbody tr', (rows) => rows.map((r) => r.cells[0].textContent.trim()));

  test('filter, sort, page and chart a table, then download the view', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${srv.url}/datasets/${slug}`);
    await page.getByRole('link', { name: /Xem, lọc và vẽ biểu đồ/ }).click();
    await page.waitForURL(/\/resources\//);
    assert.equal((await firstColumn(page)).length, 5);

    // Filter: pupils at least 900.
    await page.selectOption('#filter-field', 'hoc_sinh');
    await page.selectOption('#filter-op', 'gte');
    await page.fill('#filter-value', '900');
    await page.getByRole('button', { name: 'Thêm điều kiện lọc' }).click();
    await page.waitForURL(/hoc_sinh%5Bgte%5D=900/);
    assert.deepEqual(await firstColumn(page), ['THCS Giảng Võ', 'THCS Thăng Long', 'THCS Trưng Vương']);
    assert.match(await page.textContent('.chips'), /Học sinh từ \(≥\) 900/);

    // Sort by pupils: ascending, then descending.
    await page.locator('.data-table thead').getByRole('link', { name: /^Học sinh/ }).click();
    await page.waitForURL(/sort=hoc_sinh/);
    assert.deepEqual(await firstColumn(page), ['THCS Thăng Long', 'THCS Trưng Vương', 'THCS Giảng Võ']);
    await page.locator('.data-table thead').getByRole('link', { name: /^Học sinh/ }).click();
    await page.waitForURL(/sort=-hoc_sinh/);
    assert.deepEqual(await firstColumn(page), ['THCS Giảng Võ', 'THCS Trưng Vương', 'THCS Thăng Long']);
    assert.equal(await page.getAttribute('th[aria-sort="descending"]', 'aria-sort'), 'descending');

    // The CSV download of this view holds exactly the rows shown, in order.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()]);
    const text = await new Promise((res) => {
      const chunks = [];
      download.createReadStream().then((s) => { s.on('data', (c) => chunks.push(c)); s.on('end', () => res(Buffer.concat(chunks).toString('utf8'))); });
    });
    const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1], /^1,THCS Giảng Võ,/);

    // Remove the filter; search words without tone marks.
    await page.getByRole('link', { name: /Học sinh từ/ }).click();
    await page.fill('#table-q', 'trung vuong');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/q=trung/);
    assert.deepEqual(await firstColumn(page), ['THCS Trưng Vương']);

    // Paging two at a time.
    await page.goto(`${srv.url}/datasets/${slug}/resources/${rid}?limit=2&sort=truong`);
    const seen = [...await firstColumn(page)];
    while (await page.$('a[rel="next"]')) {
      await page.click('a[rel="next"]');
      await page.waitForLoadState();
      seen.push(...await firstColumn(page));
    }
    assert.deepEqual(seen, ['THCS Chu Văn An', 'THCS Giảng Võ', 'THCS Ngô Sĩ Liên', 'THCS Thăng Long', 'THCS Trưng Vương']);

    // Chart: pupils by district.
    await page.selectOption('#chart-group', 'quan');
    await page.selectOption('#chart-metric', 'sum:hoc_sinh');
    await page.getByRole('button', { name: 'Vẽ biểu đồ' }).click();
    await page.waitForURL(/group_by=quan/);
    const labels = await page.$$eval('svg.bar-chart .bar-label', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(labels, ['Ba Đình', 'Hoàn Kiếm', 'Tây Hồ']);
    const values = await page.$$eval('svg.bar-chart .bar-value', (ts) => ts.map((t) => t.textContent));
    // Numbers as Vietnamese readers write them: a dot between thousands.
    assert.deepEqual(values, ['2.180', '1.850', '640']);
    assert.ok(await page.isVisible('a[href*="format=geojson"]'), 'GeoJSON offered for a table with coordinates');
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('the schema form renames a column and the page shows it after re-validation', async () => {
    const ctx = await browser.newContext();
    const [name, value] = session.cookie.split('=');
    await ctx.addCookies([{ name, value, url: srv.url }]);
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/workspace/datasets/${slug}`);
    await page.getByRole('link', { name: /Sửa cấu trúc bảng/ }).click();
    await page.fill('#label-hoc_sinh', 'Số học sinh');
    await page.fill('#description-hoc_sinh', 'Năm học 2024-2025');
    await page.selectOption('#primary-key', 'truong');
    await page.getByRole('button', { name: 'Lưu và kiểm tra lại' }).click();
    await page.waitForURL(/done=schema_saved/);
    assert.match(await page.textContent('.notice-ok'), /Đã lưu/);
    let shown = '';
    for (let i = 0; i < 100 && !shown.includes('Số học sinh'); i++) {
      await page.goto(`${srv.url}/datasets/${slug}/resources/${rid}`);
      shown = await page.textContent('#schema-h + p + .table-scroll');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(shown, /Số học sinh/);
    assert.match(shown, /Năm học 2024-2025/);
    assert.match(shown, /Khoá chính/);
    await ctx.close();
  });
});

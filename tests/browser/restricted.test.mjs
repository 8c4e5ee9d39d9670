// Datasets that are not public: invisible to anonymous visitors (search, page, file), visible
// to those allowed to see them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser } from '../integration/harness.mjs';
import { launch, uiLogin, cardTitles } from './lib.mjs';

const ORG = 'so-y-te';
const INTERNAL = { title_vi: 'Hồ sơ nội bộ kho vắc xin Quảng Điền', access: 'internal', q: 'vac xin quang dien' };
const REGISTERED = { title_vi: 'Danh bạ cán bộ trạm y tế xã Hương Toàn', access: 'registered', q: 'tram y te huong toan' };

describe('restricted datasets (browser)', () => {
  let srv, browser;

  // Creates a dataset with one file through the API as a sysadmin, then publishes it.
  async function makePublished(token, spec) {
    const c = await call(srv, 'POST', '/api/v1/datasets', {
      token, body: { title_vi: spec.title_vi, organization: ORG, access: spec.access, license_id: 'cc-by', tags: ['y tế'] },
    });
    assert.equal(c.status, 201, c.text);
    const fd = new FormData();
    fd.append('file', new Blob(['Cột,Giá trị\nMột,1\n'], { type: 'text/csv' }), 'Bảng.csv');
    const r = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/resources`, { token, body: fd });
    assert.equal(r.status, 201, r.text);
    const p = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/publish`, { token });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.state, 'published');
    assert.equal(p.json.access, spec.access);
    return { ...spec, slug: c.json.slug, fileUrl: new URL(r.json.url).pathname };
  }

  async function search(page, q) {
    await page.goto(srv.url + '/datasets?q=' + encodeURIComponent(q));
    return cardTitles(page);
  }

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    const token = addUser(srv, 'hethong', { sysadmin: true });
    Object.assign(INTERNAL, await makePublished(token, INTERNAL));
    Object.assign(REGISTERED, await makePublished(token, REGISTERED));
    addUser(srv, 'nguoidung', { password: 'mat-khau-123' });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('anonymous visitors see neither dataset: not in search, 404 page, no file', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    for (const d of [INTERNAL, REGISTERED]) {
      assert.deepEqual(await search(page, d.q), [], `"${d.q}" finds nothing anonymously`);
      assert.match(await page.locator('#results h2.results-count').textContent(), /Không tìm thấy bộ dữ liệu nào/);
      const resp = await page.goto(`${srv.url}/datasets/${d.slug}`);
      assert.equal(resp.status(), 404, `/datasets/${d.slug} is 404 for anonymous visitors`);
      assert.equal((await page.locator('main h1').textContent()).trim(), 'Không tìm thấy trang');
      assert.ok(!(await page.content()).includes(d.title_vi), 'the title does not leak into the 404 page');
      const file = await call(srv, 'GET', d.fileUrl);
      assert.notEqual(file.status, 200, `file ${d.fileUrl} is not served anonymously`);
    }
    // The whole catalogue page does not list them, and the access facet only offers "public".
    await page.goto(srv.url + '/datasets?sort=newest');
    const titles = await cardTitles(page);
    assert.ok(!titles.includes(INTERNAL.title_vi) && !titles.includes(REGISTERED.title_vi));
    const access = page.locator('#results section.facet').filter({ has: page.locator('h3', { hasText: /^Mức truy cập$/ }) });
    assert.deepEqual((await access.locator('.facet-title').allTextContents()).map((t) => t.trim()), ['Công khai']);
    await ctx.close();
  });

  test('the sysadmin sees both, with their access badge', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await uiLogin(page, srv, 'admin', srv.adminPassword);
    for (const [d, label] of [[INTERNAL, 'Nội bộ'], [REGISTERED, 'Người dùng đã đăng ký']]) {
      assert.deepEqual(await search(page, d.q), [d.title_vi], `"${d.q}" finds it when logged in`);
      assert.equal((await page.locator('#results li.dataset-card .badge-restricted').textContent()).trim(), label);
      const resp = await page.goto(`${srv.url}/datasets/${d.slug}`);
      assert.equal(resp.status(), 200);
      assert.equal((await page.locator('main h1').textContent()).trim(), d.title_vi);
      assert.equal((await page.locator('.dataset-head .badge-restricted').textContent()).trim(), label);
      const href = await page.locator('li.resource a.button[download]').getAttribute('href');
      const file = await page.evaluate(async (u) => (await fetch(u)).status, href);
      assert.equal(file, 200, 'the file downloads with the session');
    }
    await ctx.close();
  });

  test('a registered user sees the "registered" dataset but not the internal one', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await uiLogin(page, srv, 'nguoidung', 'mat-khau-123');
    assert.deepEqual(await search(page, REGISTERED.q), [REGISTERED.title_vi]);
    assert.equal((await page.goto(`${srv.url}/datasets/${REGISTERED.slug}`)).status(), 200);
    assert.deepEqual(await search(page, INTERNAL.q), []);
    assert.equal((await page.goto(`${srv.url}/datasets/${INTERNAL.slug}`)).status(), 404);
    await ctx.close();
  });
  test('after logged-in visits, anonymous pages still do not show them (no shared page cache leak)', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    for (const d of [INTERNAL, REGISTERED]) {
      assert.deepEqual(await search(page, d.q), []);
      assert.equal((await page.goto(`${srv.url}/datasets/${d.slug}`)).status(), 404);
    }
    await page.goto(srv.url + '/organizations/' + ORG);
    const body = await page.content();
    assert.ok(!body.includes(INTERNAL.title_vi) && !body.includes(REGISTERED.title_vi), 'organization page hides them');
    await ctx.close();
  });
});

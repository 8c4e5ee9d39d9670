// The loading status and the review page in the browser: the table's status block refreshes by
// itself (htmx) until the load ends and then keeps a summary; the reviewer's page shows the
// description rendered, the load report and the first rows; both pages are axe-core clean.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, fileForm } from '../integration/harness.mjs';
import { launch, AXE_PATH, cookieLogin } from './lib.mjs';

const PASSWORD = 'mat-khau-thu-nghiem';

async function axeClean(page, what) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(bad.length, 0, `axe violations on ${what}:\n${bad.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n')}`);
}

describe('review and loading status (browser)', () => {
  let srv, browser, editor, slug, rid;

  before(async () => {
    srv = await startServer();
    browser = await launch();
    const root = addUser(srv, 'goc', { sysadmin: true });
    await makeOrg(srv, root, 'so-y-te', 'Sở Y tế');
    editor = addUser(srv, 'bien-tap', { org: 'so-y-te', role: 'editor' });
    addUser(srv, 'duyet', { org: 'so-y-te', role: 'admin' });
    const d = (await call(srv, 'POST', '/api/v1/datasets', {
      token: editor,
      body: { title_vi: 'Cơ sở khám chữa bệnh', organization: 'so-y-te', description_vi: 'Danh sách **đã thẩm định** năm 2026.' },
    })).json;
    slug = d.slug;
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('the status block refreshes itself and ends with a summary; the review page shows the data', async () => {
    // A table large enough that its load is still running when the page opens.
    const rows = ['Mã,Tên cơ sở,Số giường'];
    for (let i = 1; i <= 200000; i++) rows.push(`${i},Cơ sở ${i},${i % 1000 === 0 ? 'chưa rõ' : i % 300}`);
    const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, {
      token: editor, body: fileForm(rows.join('\n') + '\n', 'Cơ sở.csv', { name: 'Cơ sở' }),
    });
    assert.equal(up.status, 201, up.text);
    rid = up.json.id;

    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    await cookieLogin(ctx, srv, 'bien-tap', PASSWORD);
    const page = await ctx.newPage();
    await page.goto(`${srv.url}/workspace/datasets/${slug}`);
    const block = page.locator(`#load-${rid}`);
    // Opened while loading: the block polls, and offers a plain link for browsers without JS.
    assert.equal(await block.getAttribute('hx-trigger'), 'every 2s', 'the load was still running when the page opened');
    assert.equal(await block.getByRole('link', { name: /Làm mới/ }).getAttribute('href'), `/workspace/resources/${rid}/status`);
    await page.evaluate(() => { window.notReloaded = true; });
    await page.locator(`#load-${rid} .load-summary`).waitFor({ timeout: 120000 });
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'swapped in place, not a page reload');
    assert.equal(await page.locator(`#load-${rid}`).getAttribute('hx-trigger'), null, 'polling stopped');
    const st = (await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: editor })).json;
    const problems = Object.values(st.table.issue_counts || {}).reduce((a, b) => a + b, 0);
    assert.ok(problems > 0, 'the load found problems');
    const summary = await page.locator(`#load-${rid} .load-summary`).textContent();
    assert.equal(summary.trim(), `Đã nạp xong: 200.000 dòng, 3 cột, ${problems} vấn đề phát hiện.`);
    await axeClean(page, 'manage page with a load summary');
    // The summary's link leads to the report.
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/datasets/${slug}/resources/${rid}`),
      page.locator(`#load-${rid} .load-summary a`).click(),
    ]);
    assert.equal(await page.locator('#report-h').isVisible(), true);

    // The editor submits; the reviewer sees who, the description rendered and the first rows.
    assert.equal((await call(srv, 'POST', `/api/v1/datasets/${slug}/submit`, { token: editor, body: {} })).status, 200);
    const rctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    await cookieLogin(rctx, srv, 'duyet', PASSWORD);
    const review = await rctx.newPage();
    await review.goto(`${srv.url}/workspace/review/${slug}`);
    assert.match(await review.locator('.review-submitter').textContent(), /Người gửi duyệt: bien-tap/);
    assert.equal(await review.locator('.prose strong').textContent(), 'đã thẩm định');
    assert.equal(await review.locator('table.review-preview tbody tr').count(), 10);
    assert.match(await review.locator('table.review-preview tbody tr').first().textContent(), /Cơ sở 1/);
    assert.match(await review.locator('main').textContent(), new RegExp(`Báo cáo kiểm tra dữ liệu \\(${problems}\\)`));
    await axeClean(review, 'review page');
    await ctx.close();
    await rctx.close();
  });
});

// Consumer systems in the browser: an organization's admin registers a system (a wrong agency
// code is explained next to its field), the provincial data unit refuses or approves it, the admin
// issues an API key that is shown once and works, and revokes it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg } from '../integration/harness.mjs';
import { launch, cookieLogin } from './lib.mjs';

const ORG = 'so-tai-nguyen-moi-truong';

describe('consumer systems (browser)', () => {
  let srv, browser;

  before(async () => {
    srv = await startServer();
    browser = await launch();
    const root = addUser(srv, 'donvidulieu', { sysadmin: true, password: 'mat-khau-du-lieu' });
    await makeOrg(srv, root, ORG, 'Sở Tài nguyên và Môi trường');
    addUser(srv, 'quantri', { org: ORG, role: 'admin', password: 'mat-khau-quan-tri' });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('register → refuse → approve → key shown once → call → revoke', async () => {
    const adminCtx = await browser.newContext();
    await cookieLogin(adminCtx, srv, 'quantri', 'mat-khau-quan-tri');
    const page = await adminCtx.newPage();

    // The workspace links to the page; the form explains a wrong agency code in Vietnamese.
    await page.goto(srv.url + '/workspace');
    await page.getByRole('link', { name: 'Hệ thống kết nối' }).click();
    await page.waitForURL(/\/workspace\/consumers$/);
    assert.equal((await page.locator('main h1').textContent()).trim(), 'Hệ thống kết nối');
    await page.fill('#c-agency_code', 'H41.12');
    await page.fill('#c-system_code', 'quan-trac');
    await page.fill('#c-name', 'Hệ thống quan trắc môi trường tự động');
    await page.fill('#c-technical_name', 'Lê Văn Bình');
    await page.fill('#c-technical_email', 'binh@stnmt.gov.vn');
    await page.getByRole('button', { name: 'Gửi đăng ký' }).click();
    await page.locator('.field.has-error .field-error').first().waitFor();
    assert.match(await page.locator('.field.has-error .field-error').first().textContent(), /Quyết định 20\/2020\/QĐ-TTg/);
    assert.equal(await page.inputValue('#c-name'), 'Hệ thống quan trắc môi trường tự động', 'typed values are kept');
    await page.fill('#c-agency_code', '000.00.20.H41');
    await Promise.all([page.waitForURL(/\/workspace\/consumers\/[0-9a-f-]{36}/), page.getByRole('button', { name: 'Gửi đăng ký' }).click()]);
    const systemUrl = page.url().split('?')[0];
    assert.equal((await page.locator('#consumer-state').textContent()).trim(), 'Chờ duyệt');
    assert.equal(await page.locator('form[action$="/approve"]').count(), 0, 'the agency cannot approve itself');

    // The data unit refuses (with a reason), then approves.
    const unitCtx = await browser.newContext();
    await cookieLogin(unitCtx, srv, 'donvidulieu', 'mat-khau-du-lieu');
    const unit = await unitCtx.newPage();
    await unit.goto(srv.url + '/workspace/consumers');
    assert.match(await unit.locator('#consumer-systems').textContent(), /000\.00\.20\.H41/);
    await unit.getByRole('link', { name: 'Hệ thống quan trắc môi trường tự động' }).click();
    await unit.fill('#refuse-reason', 'Thiếu công văn đề nghị kết nối');
    await Promise.all([unit.waitForURL(/done=refused/), unit.getByRole('button', { name: 'Từ chối' }).click()]);
    assert.equal((await unit.locator('#consumer-state').textContent()).trim(), 'Bị từ chối');
    assert.equal((await unit.locator('#consumer-reason').textContent()).trim(), 'Thiếu công văn đề nghị kết nối');
    await Promise.all([unit.waitForURL(/done=approved/), unit.getByRole('button', { name: 'Phê duyệt' }).click()]);
    assert.equal((await unit.locator('#consumer-state').textContent()).trim(), 'Đã duyệt');

    // The admin issues a key: shown once, it authenticates the system.
    await page.goto(systemUrl);
    await page.selectOption('#cred-kind', 'api_key');
    await page.fill('#cred-name', 'máy chủ quan trắc');
    await page.getByRole('button', { name: 'Cấp khoá' }).click();
    await page.waitForSelector('#new-api-key');
    const key = (await page.locator('#new-api-key').textContent()).trim();
    assert.match(key, /^odpk_/);
    const me = await call(srv, 'GET', '/api/v1/consumers/me', { headers: { 'X-API-Key': key } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.agency_code, '000.00.20.H41');
    await page.goto(systemUrl);
    assert.ok(!(await page.content()).includes(key), 'the key is not shown again');
    assert.match(await page.locator('#consumer-credentials').textContent(), /máy chủ quan trắc/);

    // Revoking it (confirmed) stops it at once.
    page.once('dialog', (d) => d.accept());
    await Promise.all([page.waitForURL(/done=credential_revoked/), page.locator('#consumer-credentials').getByRole('button', { name: /Thu hồi/ }).click()]);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', { headers: { 'X-API-Key': key } })).status, 401);

    // The same page in English.
    await page.goto(srv.url + '/en/workspace/consumers');
    assert.equal((await page.locator('main h1').textContent()).trim(), 'Consumer systems');
    await adminCtx.close();
    await unitCtx.close();
  });
});

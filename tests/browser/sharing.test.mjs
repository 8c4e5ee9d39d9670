// Data sharing in the browser: a member of the requesting agency fills the request form with a
// PDF letter; the provider's admin, told by the bell, approves it narrower; the requester sees
// the decision and the approved terms.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, call, addUser, makeOrg, fileForm, loadEnded } from '../integration/harness.mjs';
import { launch, cookieLogin } from './lib.mjs';

const PROVIDER = 'so-tai-nguyen-moi-truong';
const REQUESTER = 'so-tu-phap';

describe('data sharing (browser)', () => {
  let srv, browser, serviceId, tmp;

  before(async () => {
    srv = await startServer();
    browser = await launch();
    tmp = mkdtempSync(path.join(tmpdir(), 'odp-letter-'));
    const root = addUser(srv, 'donvidulieu', { sysadmin: true });
    await makeOrg(srv, root, PROVIDER, 'Sở Tài nguyên và Môi trường');
    await makeOrg(srv, root, REQUESTER, 'Sở Tư pháp');
    const padmin = addUser(srv, 'quantri', { org: PROVIDER, role: 'admin', password: 'mat-khau-quan-tri' });
    const radmin = addUser(srv, 'quantri-tp', { org: REQUESTER, role: 'admin' });
    addUser(srv, 'canbo', { org: REQUESTER, role: 'member', password: 'mat-khau-can-bo' });
    const d = await call(srv, 'POST', '/api/v1/datasets', { token: padmin, body: { title_vi: 'Hộ sử dụng đất', organization: PROVIDER, access: 'shared' } });
    const r = await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/resources`, {
      token: padmin, body: fileForm('Họ tên,Huyện\nNguyễn Văn An,Ba Vì\n', 'ho.csv'),
    });
    await loadEnded(srv, r.json.id, padmin, (s) => s.job.state === 'done');
    serviceId = (await call(srv, 'POST', '/api/v1/sharing/services', {
      token: padmin, body: { resource_id: r.json.id, title_vi: 'Tra cứu hộ sử dụng đất', legal_basis: 'Nghị định 47/2020/NĐ-CP' },
    })).json.id;
    const c = await call(srv, 'POST', '/api/v1/consumers', {
      token: radmin,
      body: { organization: REQUESTER, agency_code: '000.00.15.H41', system_code: 'ho-tich', name: 'Hệ thống hộ tịch',
        technical_contact: { name: 'Kỹ thuật viên', email: 'kt@stp.gov.vn' } },
    });
    await call(srv, 'POST', `/api/v1/consumers/${c.json.id}/approve`, { token: root, body: {} });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('request with a PDF letter → bell → approve narrower → the requester sees the terms', async () => {
    const letter = path.join(tmp, 'cong-van.pdf');
    writeFileSync(letter, '%PDF-1.4\n%%EOF\n');
    const reqCtx = await browser.newContext();
    await cookieLogin(reqCtx, srv, 'canbo', 'mat-khau-can-bo');
    const page = await reqCtx.newPage();
    await page.goto(srv.url + '/chia-se');
    await page.getByRole('link', { name: 'Tra cứu hộ sử dụng đất' }).click();
    await page.fill('#r-purpose', 'Xác minh hồ sơ');
    await page.fill('#r-docno', '123/STP');
    await page.fill('#r-docdate', '2026-11-20');
    await page.setInputFiles('#r-letter', letter);
    await page.fill('#r-from', '2027-01-01');
    await page.fill('#r-to', '2027-12-31');
    await page.fill('#r-cname', 'Phạm Thu Hà');
    await page.fill('#r-cemail', 'ha@stp.gov.vn');
    await Promise.all([page.waitForURL(/\/chia-se\/yeu-cau\/[0-9a-f-]{36}\?done=submitted/),
      page.getByRole('button', { name: 'Gửi yêu cầu' }).click()]);
    const requestUrl = page.url().split('?')[0];
    assert.match(await page.locator('#clock').textContent(), /2 ngày làm việc còn lại/);

    const provCtx = await browser.newContext();
    await cookieLogin(provCtx, srv, 'quantri', 'mat-khau-quan-tri');
    const prov = await provCtx.newPage();
    await prov.goto(srv.url + '/chia-se');
    assert.equal((await prov.locator('#bell .bell-count').textContent()).trim(), '1');
    await prov.locator('#bell').click();
    await prov.getByRole('link', { name: /Yêu cầu chia sẻ dữ liệu mới/ }).click();
    await prov.waitForURL(requestUrl);
    await prov.uncheck('input[name="columns"][value="huyen"]');
    await prov.fill('#a-to', '2027-06-30');
    await Promise.all([prov.waitForURL(/done=phe-duyet/), prov.getByRole('button', { name: 'Phê duyệt' }).click()]);
    assert.match(await prov.locator('#approved-terms').textContent(), /ho_ten/);

    await page.goto(requestUrl);
    assert.match(await page.locator('#request-facts').textContent(), /Đã phê duyệt/);
    const terms = await page.locator('#approved-terms').textContent();
    assert.doesNotMatch(terms, /huyen/);
    assert.match(terms, /2027-06-30/);
    assert.match(await page.locator('#request-history').textContent(), /Phê duyệt — quantri/);
  });
});

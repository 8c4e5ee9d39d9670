// Data sharing in the browser, the whole path: a member of the requesting agency fills the request
// form with a PDF letter; the provider's admin, told by the bell, approves it narrower (a column
// less, a daily quota of two calls), which makes the grant; the consumer system's key reads only
// the granted rows and columns, then gets 429; both agencies see the calls on /usage; the provider
// revokes the grant from the request's link, the request shows it and the key finds nothing; the
// data unit verifies the audit log.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, call, addUser, makeOrg, fileForm, loadEnded } from '../integration/harness.mjs';
import { launch, cookieLogin } from './lib.mjs';

const PROVIDER = 'so-tai-nguyen-moi-truong';
const REQUESTER = 'so-tu-phap';
const CSV = 'Họ tên,Số CCCD,Huyện\nNguyễn Văn An,001090000123,Ba Vì\nTrần Thị Bình,001190000456,Sơn Tây\n';

describe('data sharing (browser)', () => {
  let srv, browser, serviceId, rid, consumerId, apiKey, tmp;

  before(async () => {
    srv = await startServer();
    browser = await launch();
    tmp = mkdtempSync(path.join(tmpdir(), 'odp-letter-'));
    const root = addUser(srv, 'donvidulieu', { sysadmin: true, password: 'mat-khau-don-vi' });
    await makeOrg(srv, root, PROVIDER, 'Sở Tài nguyên và Môi trường');
    await makeOrg(srv, root, REQUESTER, 'Sở Tư pháp');
    const padmin = addUser(srv, 'quantri', { org: PROVIDER, role: 'admin', password: 'mat-khau-quan-tri' });
    const radmin = addUser(srv, 'quantri-tp', { org: REQUESTER, role: 'admin', password: 'mat-khau-quan-tri-tp' });
    addUser(srv, 'canbo', { org: REQUESTER, role: 'member', password: 'mat-khau-can-bo' });
    const d = await call(srv, 'POST', '/api/v1/datasets', { token: padmin, body: { title_vi: 'Hộ sử dụng đất', organization: PROVIDER, access: 'shared' } });
    await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/publish`, { token: root, body: {} });
    const r = await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/resources`, { token: padmin, body: fileForm(CSV, 'ho.csv') });
    rid = r.json.id;
    const loaded = await loadEnded(srv, rid, padmin, (s) => s.job.state === 'done' && s.table);
    // The personal-data review holds the table until each flagged column is decided: the
    // provider masks the ID numbers and declares anything else flagged not personal.
    for (const f of loaded.table.personal_data) {
      const body = f.column === 'so_cccd' ? { column: f.column, decision: 'mask', mask: 'hash' }
        : { column: f.column, decision: 'not_personal', reason: 'Không phải dữ liệu cá nhân trong bảng thử nghiệm' };
      const reviewed = await call(srv, 'POST', `/api/v1/resources/${rid}/datastore/personal-data`, { token: padmin, body });
      assert.ok(reviewed.status >= 200 && reviewed.status < 300, reviewed.text);
    }
    await loadEnded(srv, rid, padmin,
      (s) => s.job.state === 'done' && s.table && s.table.personal_data.every((f) => !f.unresolved));
    serviceId = (await call(srv, 'POST', '/api/v1/sharing/services', {
      token: padmin, body: { resource_id: rid, title_vi: 'Tra cứu hộ sử dụng đất', legal_basis: 'Nghị định 47/2020/NĐ-CP' },
    })).json.id;
    const c = await call(srv, 'POST', '/api/v1/consumers', {
      token: radmin,
      body: { organization: REQUESTER, agency_code: '000.00.15.H41', system_code: 'ho-tich', name: 'Hệ thống hộ tịch',
        technical_contact: { name: 'Kỹ thuật viên', email: 'kt@stp.gov.vn' } },
    });
    consumerId = c.json.id;
    await call(srv, 'POST', `/api/v1/consumers/${consumerId}/approve`, { token: root, body: {} });
    apiKey = (await call(srv, 'POST', `/api/v1/consumers/${consumerId}/credentials`, { token: radmin, body: { kind: 'api_key' } })).json.api_key;
    assert.ok(apiKey);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const read = () => call(srv, 'GET', `/api/v1/resources/${rid}/rows`, { headers: { 'X-API-Key': apiKey } });

  test('request → bell → approve narrower → key reads the grant → 429 → usage → revoke → not found → verified', async () => {
    const letter = path.join(tmp, 'cong-van.pdf');
    writeFileSync(letter, '%PDF-1.4\n%%EOF\n');
    const reqCtx = await browser.newContext();
    await cookieLogin(reqCtx, srv, 'canbo', 'mat-khau-can-bo');
    const page = await reqCtx.newPage();
    await page.goto(srv.url + '/chia-se');
    await page.getByRole('link', { name: 'Tra cứu hộ sử dụng đất' }).click();
    await page.fill('#r-filter', 'huyen=Ba Vì');
    await page.fill('#r-purpose', 'Xác minh hồ sơ');
    await page.fill('#r-docno', '123/STP');
    await page.fill('#r-docdate', '2026-11-20');
    await page.setInputFiles('#r-letter', letter);
    await page.fill('#r-from', '2026-01-01');
    await page.fill('#r-to', '2030-12-31');
    await page.fill('#r-cname', 'Phạm Thu Hà');
    await page.fill('#r-cemail', 'ha@stp.gov.vn');
    await Promise.all([page.waitForURL(/\/chia-se\/yeu-cau\/[0-9a-f-]{36}\?done=submitted/),
      page.getByRole('button', { name: 'Gửi yêu cầu' }).click()]);
    const requestUrl = page.url().split('?')[0];
    assert.match(await page.locator('#clock').textContent(), /2 ngày làm việc còn lại/);
    assert.equal((await read()).status, 404, 'no grant yet: the table does not exist for the key');

    // The provider's admin is told by the bell and approves without the CCCD, two calls a day.
    const provCtx = await browser.newContext();
    await cookieLogin(provCtx, srv, 'quantri', 'mat-khau-quan-tri');
    const prov = await provCtx.newPage();
    await prov.goto(srv.url + '/chia-se');
    assert.equal((await prov.locator('#bell .bell-count').textContent()).trim(), '1');
    await prov.locator('#bell').click();
    await prov.getByRole('link', { name: /Yêu cầu chia sẻ dữ liệu mới/ }).click();
    await prov.waitForURL(requestUrl);
    await prov.uncheck('input[name="columns"][value="so_cccd"]');
    await prov.fill('#a-to', '2029-12-31');
    await prov.fill('#a-qr', '2');
    await Promise.all([prov.waitForURL(/done=phe-duyet/), prov.getByRole('button', { name: 'Phê duyệt' }).click()]);
    assert.doesNotMatch(await prov.locator('#approved-terms').textContent(), /so_cccd/);
    assert.equal(await prov.locator('#request-grant').getAttribute('data-state'), 'active');

    // The requester sees the decision and the grant.
    await page.goto(requestUrl);
    assert.match(await page.locator('#request-facts').textContent(), /Đã phê duyệt/);
    assert.match(await page.locator('#request-grant').textContent(), /Đang hiệu lực/);

    // The key reads only Ba Vì, without the CCCD; the third call of the day is refused.
    const first = await read();
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.rows.map(({ _id, ...row }) => row), [{ ho_ten: 'Nguyễn Văn An', huyen: 'Ba Vì' }]);
    assert.equal((await read()).status, 200);
    const refused = await read();
    assert.equal(refused.status, 429);
    assert.ok(refused.headers.get('retry-after'));

    // Both agencies see the calls (the usage records are written a moment after the answers).
    const calls = async (p, url) => {
      for (let i = 0; i < 100; ++i) {
        await p.goto(url);
        const n = Number((await p.locator('#usage-total-calls').textContent()).replace(/\D/g, ''));
        if (n >= 3) return n;
        await p.waitForTimeout(50);
      }
      return 0;
    };
    assert.ok(await calls(prov, srv.url + '/usage') >= 3, 'the provider sees the calls to its data');
    const radminCtx = await browser.newContext();
    await cookieLogin(radminCtx, srv, 'quantri-tp', 'mat-khau-quan-tri-tp');
    const cons = await radminCtx.newPage();
    assert.ok(await calls(cons, srv.url + `/usage?consumer=${consumerId}`) >= 3, 'the consumer sees its calls');

    // The provider revokes the grant through the request's link; the request shows it.
    await prov.goto(requestUrl);
    const grantId = (await prov.locator('#request-grant code').textContent()).trim();
    await prov.locator('#request-grant a').click();
    const reason = prov.locator(`[id="revoke-${grantId}"]`);
    await reason.fill('Hết nhu cầu');
    await Promise.all([prov.waitForEvent('framenavigated'), prov.locator(`form:has([id="revoke-${grantId}"]) button`).click()]);
    await page.goto(requestUrl);
    assert.match(await page.locator('#request-grant').textContent(), /Đã thu hồi — Hết nhu cầu/);
    assert.equal((await read()).status, 404);

    // The data unit verifies the log.
    const rootCtx = await browser.newContext();
    await cookieLogin(rootCtx, srv, 'donvidulieu', 'mat-khau-don-vi');
    const unit = await rootCtx.newPage();
    await unit.goto(srv.url + '/admin/audit?verify=1');
    assert.equal(await unit.locator('#audit-result').getAttribute('data-ok'), '1');
    await unit.goto(srv.url + '/admin/audit?kind=grant.');
    assert.match(await unit.locator('body').textContent(), /grant\.revoked/);
  });
});

// The portal looks official (issue 18): the identity in the header and a full footer on every
// page, the administrator's settings form with an emblem upload, the terms of use and privacy
// notice pages, registration with consent to the privacy notice, and a logged-in top bar that
// stays on one line at 1366 px and inside the screen at 375 px. Debian's Chromium via
// playwright-core.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, call } from '../integration/harness.mjs';
import { launch, cookieLogin, horizontalOverflow, AXE_PATH } from './lib.mjs';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('identity (browser)', () => {
  let srv, browser, dir;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
    dir = mkdtempSync(path.join(tmpdir(), 'odp-identity-'));
    writeFileSync(path.join(dir, 'bieu-trung.png'), PNG);
    writeFileSync(path.join(dir, 'bieu-trung.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function axeClean(page, what) {
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.equal(bad.length, 0, `${what}: ${bad.map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
  }

  test('header and footer show who runs the site, with links to the terms and the privacy notice', async () => {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(srv.url + '/datasets');
    const header = page.locator('header.site-header');
    assert.match(await header.locator('.brand-name').textContent(), /Cổng dữ liệu mở thành phố Huế \(dữ liệu mẫu\)/);
    assert.equal((await header.locator('.brand-province').textContent()).trim(), 'Thành phố Huế');
    const footer = page.locator('footer.site-footer');
    const facts = await footer.textContent();
    for (const text of ['Cơ quan chủ quản', 'Sở Khoa học và Công nghệ thành phố Huế', 'Chịu trách nhiệm nội dung',
      'Giấy phép', 'Quyết định số', 'Địa chỉ', 'Điện thoại', '0234 3 000 000', 'dulieumo@example.gov.vn']) {
      assert.ok(facts.includes(text), `footer lacks ${text}`);
    }
    await Promise.all([page.waitForURL(/\/quyen-rieng-tu$/), footer.getByRole('link', { name: 'Thông báo về quyền riêng tư' }).click()]);
    assert.equal(await page.locator('main h1').textContent(), 'Thông báo về quyền riêng tư');
    assert.match(await page.locator('main').textContent(), /Phiên bản 1/);
    await axeClean(page, 'privacy notice');
    await Promise.all([page.waitForURL(/\/dieu-khoan$/), page.locator('footer').getByRole('link', { name: 'Điều khoản sử dụng' }).click()]);
    assert.equal(await page.locator('main h1').textContent(), 'Điều khoản sử dụng');
    // The same page in English, through the language switch.
    await Promise.all([page.waitForURL(/\/en\/dieu-khoan$/), page.locator('header').getByRole('link', { name: 'English' }).click()]);
    assert.equal(await page.locator('main h1').textContent(), 'Terms of use');
    assert.match(await page.locator('footer').textContent(), /Owning agency/);
    await axeClean(page, 'English terms');
    await ctx.close();
  });

  test('the logged-in top bar stays on one line at 1366 px and inside the screen at 375 px', async () => {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    await cookieLogin(ctx, srv, 'admin', srv.adminPassword);
    const page = await ctx.newPage();
    await page.goto(srv.url + '/workspace');
    // Each row of the header is one line: every item of a row has the same top.
    const rows = await page.evaluate(() => {
      const tops = (sel) => [...document.querySelectorAll(sel)].map((e) => Math.round(e.getBoundingClientRect().top));
      return {
        user: tops('.user-nav li'),
        main: tops('.main-nav li'),
        brand: Math.round(document.querySelector('.brand').getBoundingClientRect().top),
        userBox: document.querySelector('.user-nav').getBoundingClientRect(),
        brandBox: document.querySelector('.brand').getBoundingClientRect(),
      };
    });
    assert.ok(rows.user.length >= 5, 'the admin sees workspace, administration, profile and logout');
    assert.equal(new Set(rows.user).size, 1, `account links wrap: ${rows.user}`);
    assert.equal(new Set(rows.main).size, 1, `main navigation wraps: ${rows.main}`);
    assert.ok(rows.userBox.top < rows.brandBox.bottom, 'the account links sit beside the brand');
    for (const lang of ['', '/en']) {
      await page.goto(srv.url + lang + '/admin');
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= 1366, `${lang}/admin scrolls sideways at 1366 px`);
      const userTops = await page.evaluate(() => [...document.querySelectorAll('.user-nav li')].map((e) => Math.round(e.getBoundingClientRect().top)));
      assert.equal(new Set(userTops).size, 1, `${lang}: account links wrap at 1366 px`);
    }
    await page.setViewportSize({ width: 375, height: 812 });
    for (const p of ['/workspace', '/profile', '/admin/settings', '/admin/legal', '/dieu-khoan', '/quyen-rieng-tu', '/register']) {
      await page.goto(srv.url + p);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= 375, `${p} at 375 px: scrollWidth ${o.scrollWidth}; wide: ${o.wide.join(', ')}`);
    }
    await ctx.close();
  });

  test('the administrator sets the identity and uploads an emblem; an SVG is refused next to its field', async () => {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    await cookieLogin(ctx, srv, 'admin', srv.adminPassword);
    const page = await ctx.newPage();
    await page.goto(srv.url + '/admin');
    await Promise.all([page.waitForURL(/\/admin\/settings$/), page.getByRole('link', { name: 'Cài đặt trang' }).click()]);
    await axeClean(page, 'admin settings');
    // A wrong e-mail and an SVG: both refused, each next to its field, the typed values kept.
    await page.getByLabel('Cơ quan chủ quản (tiếng Việt)').fill('Sở Thông tin và Truyền thông (thử)');
    await page.getByLabel('E-mail').fill('khong-hop-le');
    await page.getByLabel('Tải lên biểu trưng mới').setInputFiles(path.join(dir, 'bieu-trung.svg'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/admin/settings"]').getByRole('button', { name: 'Lưu' }).click()]);
    await page.waitForSelector('#s-contact_email-error');
    assert.equal((await page.locator('#s-contact_email-error').textContent()).trim(), 'Địa chỉ e-mail không hợp lệ');
    assert.equal(await page.inputValue('#s-agency_vi'), 'Sở Thông tin và Truyền thông (thử)');
    // The e-mail is checked first; with it right, the SVG is refused next to the file field.
    await page.getByLabel('E-mail').fill('dulieumo@example.gov.vn');
    await page.getByLabel('Tải lên biểu trưng mới').setInputFiles(path.join(dir, 'bieu-trung.svg'));
    await Promise.all([page.waitForLoadState('load'), page.locator('main form[action$="/admin/settings"]').getByRole('button', { name: 'Lưu' }).click()]);
    await page.waitForSelector('#s-logo-error');
    assert.match(await page.locator('#s-logo-error').textContent(), /Không nhận biểu trưng SVG/);
    await axeClean(page, 'admin settings with errors');
    // A PNG is taken and shown in the header of every page.
    await page.getByLabel('Tải lên biểu trưng mới').setInputFiles(path.join(dir, 'bieu-trung.png'));
    await Promise.all([page.waitForURL(/\/admin\/settings\?done=saved$/), page.locator('main form[action$="/admin/settings"]').getByRole('button', { name: 'Lưu' }).click()]);
    const site = (await call(srv, 'GET', '/api/v1/site')).json;
    assert.equal(site.agency_vi, 'Sở Thông tin và Truyền thông (thử)');
    assert.match(site.logo, /^\/site\/logo\/[0-9a-f]{64}\.png$/);
    assert.equal(await page.locator('.logo-preview img').getAttribute('src'), site.logo);
    const anon = await browser.newContext({ bypassCSP: true });
    const home = await anon.newPage();
    const logoResponse = home.waitForResponse((r) => r.url().endsWith(site.logo));
    await home.goto(srv.url + '/');
    const r = await logoResponse;
    assert.equal(r.status(), 200);
    assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
    const shown = await home.locator('header .brand-logo').evaluate((img) => ({ src: img.getAttribute('src'), ok: img.complete && img.naturalWidth === 1 }));
    assert.deepEqual(shown, { src: site.logo, ok: true });
    assert.match(await home.locator('footer').textContent(), /Sở Thông tin và Truyền thông \(thử\)/);
    await anon.close();
    await ctx.close();
  });

  test('the administrator edits the privacy notice; registration needs consent; the account page shows a new version', async () => {
    const adminCtx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    await cookieLogin(adminCtx, srv, 'admin', srv.adminPassword);
    const adminPage = await adminCtx.newPage();
    await adminPage.goto(srv.url + '/admin/legal');
    await axeClean(adminPage, 'admin terms and privacy');
    const privacyVi = adminPage.locator('#s-privacy_vi');
    await privacyVi.fill('## Dữ liệu thu thập\n\nTên đăng nhập, e-mail và **nhật ký đăng nhập**.');
    await adminPage.locator('#s-privacy_en').fill('## Data collected\n\nUser name, e-mail and the **sign-in log**.');
    await Promise.all([adminPage.waitForURL(/\/admin\/legal\?done=saved$/), adminPage.locator('main form').getByRole('button', { name: 'Lưu' }).click()]);
    assert.match(await adminPage.locator('main').textContent(), /Phiên bản 2/);

    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto(srv.url + '/register');
    await page.getByLabel('Tên đăng nhập').fill('nguoi-dan-hue');
    await page.getByLabel('E-mail').fill('nguoidan.hue@example.vn');
    await page.getByLabel('Mật khẩu', { exact: true }).fill('mật khẩu thật dài');
    await page.getByLabel('Nhập lại mật khẩu').fill('mật khẩu thật dài');
    // Without the consent box: refused next to it, the values kept.
    await Promise.all([page.waitForLoadState('load'), page.locator('main form').getByRole('button', { name: 'Đăng ký' }).click()]);
    await page.waitForSelector('#accept_privacy-error');
    assert.equal((await page.locator('#accept_privacy-error').textContent()).trim(), 'Cần đồng ý với thông báo về quyền riêng tư');
    assert.equal(await page.inputValue('#username'), 'nguoi-dan-hue');
    await axeClean(page, 'registration with the consent error');
    // The box links to the notice in force (version 2).
    const label = page.locator('label[for="accept_privacy"]');
    assert.match(await label.textContent(), /Phiên bản 2/);
    assert.equal(await label.getByRole('link').getAttribute('href'), '/quyen-rieng-tu');
    await page.getByLabel('Mật khẩu', { exact: true }).fill('mật khẩu thật dài');
    await page.getByLabel('Nhập lại mật khẩu').fill('mật khẩu thật dài');
    await page.check('#accept_privacy');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login' && u.searchParams.has('registered')),
      page.locator('main form').getByRole('button', { name: 'Đăng ký' }).click(),
    ]);
    await page.fill('#login', 'nguoi-dan-hue');
    await page.fill('#password', 'mật khẩu thật dài');
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.locator('main form').getByRole('button', { name: 'Đăng nhập' }).click()]);
    await page.goto(srv.url + '/profile');
    assert.match(await page.locator('main').textContent(), /Bạn đã đồng ý với thông báo về quyền riêng tư phiên bản 2/);
    assert.equal(await page.getByRole('button', { name: 'Tôi đồng ý với phiên bản mới' }).count(), 0);

    // The notice changes again: the account page says so, and accepting it is recorded.
    await adminPage.goto(srv.url + '/admin/legal');
    await privacyVi.fill('## Dữ liệu thu thập\n\nTên đăng nhập và e-mail.');
    await Promise.all([adminPage.waitForURL(/done=saved$/), adminPage.locator('main form').getByRole('button', { name: 'Lưu' }).click()]);
    await page.goto(srv.url + '/profile');
    assert.match(await page.locator('main').textContent(), /Thông báo về quyền riêng tư đã thay đổi: Phiên bản 3/);
    await axeClean(page, 'profile with a changed notice');
    const o = await horizontalOverflow(page);
    assert.ok(o.scrollWidth <= 375, `profile at 375 px: ${o.scrollWidth}; ${o.wide.join(', ')}`);
    await Promise.all([page.waitForURL(/privacy_accepted=1$/), page.getByRole('button', { name: 'Tôi đồng ý với phiên bản mới' }).click()]);
    assert.match(await page.locator('main').textContent(), /phiên bản 3 \(/);
    assert.equal(await page.getByRole('button', { name: 'Tôi đồng ý với phiên bản mới' }).count(), 0);
    await ctx.close();
    await adminCtx.close();
  });
});

// "Quên mật khẩu" in the browser: the login page's link, the e-mail caught by a real SMTP server
// (aiosmtpd), the link from it, a new password, and signing in with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from '../integration/harness.mjs';
import { startSmtp, waitMail, linkIn } from '../integration/smtp.mjs';
import { launch, uiLogin } from './lib.mjs';

const NEW_PASSWORD = 'mật khẩu mới thật dài';
let srv, smtp, browser;

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    env: { ODP_SMTP_HOST: '127.0.0.1', ODP_SMTP_PORT: String(smtp.port), ODP_SMTP_FROM: 'khongtraloi@example.gov.vn' },
  });
  addUser(srv, 'quen-mat-khau', { password: 'mat-khau-cu-rat-dai' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  smtp?.stop();
});

test('a forgotten password is reset from the e-mailed link, which then stops working', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(srv.url + '/login');
  await Promise.all([page.waitForURL(/\/quen-mat-khau$/), page.getByRole('link', { name: 'Quên mật khẩu?' }).click()]);
  await page.getByLabel('E-mail').fill('quen-mat-khau@example.gov.vn');
  await page.getByRole('button', { name: 'Gửi liên kết đặt lại mật khẩu' }).click();
  assert.match(await page.locator('#forgot-sent').textContent(), /Nếu có tài khoản dùng địa chỉ này/);

  const [mail] = await waitMail(smtp, 'quen-mat-khau@example.gov.vn');
  const link = linkIn(mail.body);
  await page.goto(srv.url + link.path);
  await page.getByLabel('Mật khẩu mới').fill(NEW_PASSWORD);
  await page.getByLabel('Nhập lại mật khẩu').fill(NEW_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/login' && u.searchParams.has('password_set')),
    page.getByRole('button', { name: 'Lưu mật khẩu' }).click(),
  ]);
  assert.match(await page.locator('main [role=status]').first().textContent(), /Đã đặt mật khẩu/);
  await uiLogin(page, srv, 'quen-mat-khau', NEW_PASSWORD);
  assert.ok(!page.url().endsWith('/login'), 'signed in with the new password');

  const again = await page.goto(srv.url + link.path);
  assert.equal(again.status(), 410);
  assert.match(await page.locator('main').textContent(), /Liên kết đã hết hạn hoặc đã được dùng/);
});

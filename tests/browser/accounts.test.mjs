// Accounts in the browser: register, log out, log in, errors, API tokens.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call } from '../integration/harness.mjs';
import { launch, uiLogin } from './lib.mjs';

const USER = 'nguyenvana';
const DISPLAY = 'Nguyễn Văn Ánh';
const PASSWORD = 'mật-khẩu-dài-123';

describe('accounts (browser)', () => {
  let srv, browser;

  before(async () => {
    srv = await startServer({ demo: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  const logoutButton = (page) => page.locator('header').getByRole('button', { name: 'Đăng xuất' });

  test('register through the form, sign in, log out, log in again', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/');
    await Promise.all([page.waitForURL(/\/register$/), page.locator('header').getByRole('link', { name: 'Đăng ký' }).click()]);
    await page.getByLabel('Tên đăng nhập').fill(USER);
    await page.getByLabel('E-mail').fill(`${USER}@example.vn`);
    await page.getByLabel('Họ và tên').fill(DISPLAY);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Nhập lại mật khẩu').fill(PASSWORD);
    await page.getByLabel(/Tôi đã đọc và đồng ý với/).check();
    // Registration answers the same whether or not the name or e-mail was taken (security issue
    // 14): it sends the visitor to the login page with a notice, without a session.
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login' && u.searchParams.has('registered')),
      page.locator('main form').getByRole('button', { name: 'Đăng ký' }).click(),
    ]);
    assert.match(await page.locator('main [role=status]').first().textContent(), /Đã nhận yêu cầu đăng ký/);
    assert.equal(await logoutButton(page).count(), 0, 'not signed in yet');
    await page.fill('#login', USER);
    await page.fill('#password', PASSWORD);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.endsWith('/login')),
      page.locator('main form').getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    await page.goto(srv.url + '/profile');
    const facts = await page.locator('main dl.facts').textContent();
    assert.match(facts, new RegExp(USER));
    assert.match(facts, new RegExp(DISPLAY), 'the Vietnamese display name is kept intact');
    assert.equal(await logoutButton(page).count(), 1, 'header shows the logout button');
    assert.equal(await page.locator('header').getByRole('link', { name: 'Đăng nhập' }).count(), 0);

    // The API agrees the browser is logged in as the new user.
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.username, USER);
    assert.equal(me.display_name, DISPLAY);

    // Log out (POST form in the header).
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), logoutButton(page).click()]);
    assert.equal(await logoutButton(page).count(), 0);
    assert.equal(await page.locator('header').getByRole('link', { name: 'Đăng nhập' }).count(), 1);
    assert.equal((await page.evaluate(async () => (await fetch('/api/v1/me')).status)), 401);

    // Log in again, with the e-mail this time.
    await uiLogin(page, srv, `${USER}@example.vn`, PASSWORD);
    assert.equal(await logoutButton(page).count(), 1, 'logged in again');
    const me2 = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me2.username, USER);
    await ctx.close();
  });

  test('wrong password shows an error and keeps the login name', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/login');
    await page.fill('#login', 'admin');
    await page.fill('#password', 'sai-mat-khau');
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.locator('main form').getByRole('button', { name: 'Đăng nhập' }).click(),
    ]);
    assert.equal(resp.status(), 401);
    await page.waitForSelector('main [role=alert]');
    assert.equal((await page.locator('main [role=alert]').textContent()).trim(), 'Tên đăng nhập hoặc mật khẩu không đúng.');
    assert.equal(await page.inputValue('#login'), 'admin');
    assert.equal(await page.inputValue('#password'), '', 'the password is not sent back');
    assert.equal(await logoutButton(page).count(), 0);
    await ctx.close();
  });

  test('invalid username: Vietnamese error next to the field, values kept', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(srv.url + '/register');
    await page.fill('#username', 'Ab C');
    await page.fill('#email', 'abc@example.vn');
    await page.fill('#display_name', 'Trần Thị Bích');
    await page.fill('#password', PASSWORD);
    await page.fill('#password2', PASSWORD);
    await page.check('#accept_privacy');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/register'),
      page.locator('main form').getByRole('button', { name: 'Đăng ký' }).click(),
    ]);
    await page.waitForSelector('#username-error');
    const field = page.locator('.field', { has: page.locator('#username') });
    assert.match(await field.getAttribute('class'), /has-error/);
    assert.equal((await field.locator('.field-error').textContent()).trim(), "Tên đăng nhập gồm 2–60 ký tự a-z, 0-9, '_', '-', '.'");
    const describedBy = await page.getAttribute('#username', 'aria-describedby');
    assert.ok(describedBy.split(' ').includes('username-error'), 'the error is tied to the input');
    assert.equal(await page.inputValue('#username'), 'Ab C');
    assert.equal(await page.inputValue('#display_name'), 'Trần Thị Bích');
    assert.equal(await page.locator('.field.has-error').count(), 1, 'only the username field is marked');
    assert.equal(await logoutButton(page).count(), 0, 'not logged in');
    await ctx.close();
  });

  test('API token page: create, use against /api/v1/me, revoke, then 401', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await uiLogin(page, srv, USER, PASSWORD);
    await page.goto(srv.url + '/profile');
    await Promise.all([page.waitForURL(/\/tokens$/), page.locator('main').getByRole('link', { name: 'Khoá API' }).click()]);
    await page.fill('#token-name', 'Máy chủ báo cáo');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/tokens'),
      page.locator('main form').getByRole('button', { name: 'Tạo khoá' }).click(),
    ]);
    await page.waitForSelector('#new-token');
    const secret = (await page.locator('#new-token').textContent()).trim();
    assert.ok(secret.length >= 20, 'a secret is shown');
    const row = page.locator('main table tbody tr', { hasText: 'Máy chủ báo cáo' });
    assert.equal(await row.count(), 1, 'the token is listed by name');

    const me = await call(srv, 'GET', '/api/v1/me', { token: secret });
    assert.equal(me.status, 200);
    assert.equal(me.json.username, USER);

    // Reloading does not show the secret again.
    await page.goto(srv.url + '/tokens');
    assert.equal(await page.locator('#new-token').count(), 0, 'the secret is shown once');

    // Revoke asks for confirmation (odp.js); dismissing keeps the token.
    const posts = [];
    page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
    let question = null;
    page.once('dialog', (d) => { question = d.message(); d.dismiss(); });
    await row.getByRole('button', { name: /Thu hồi/ }).click();
    assert.equal(question, 'Thu hồi khoá này? Chương trình đang dùng khoá sẽ không truy cập được nữa.', 'confirm() asked in Vietnamese');
    await page.evaluate(() => document.readyState);
    assert.deepEqual(posts, [], 'nothing sent after cancelling');
    assert.equal(await row.count(), 1);
    assert.equal((await call(srv, 'GET', '/api/v1/me', { token: secret })).status, 200, 'still valid after cancel');

    page.once('dialog', (d) => d.accept());
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/tokens\/[^/]+\/revoke$/.test(new URL(r.url()).pathname)),
      row.getByRole('button', { name: /Thu hồi/ }).click(),
    ]);
    await page.waitForURL(/\/tokens$/);
    await page.waitForSelector('main table');
    assert.equal(await page.locator('main table tbody tr', { hasText: 'Máy chủ báo cáo' }).count(), 0, 'gone from the list');
    const after = await call(srv, 'GET', '/api/v1/me', { token: secret });
    assert.equal(after.status, 401, 'a revoked token is refused');
    await ctx.close();
  });
});

// Sign-in with the province's public-service portal account (issue 18), end to end against a
// real OpenID Connect provider: Debian's LemonLDAP::NG, started on loopback by
// /work/shared/tools/oidc-test-idp.sh (a copy of it is not kept here: the path is given by
// ODP_OIDC_IDP_SCRIPT, default below). Chromium clicks the portal's button, fills LemonLDAP's
// own login form as dwho/dwho, comes back signed in to a new account without roles; a second
// sign-in in a fresh browser lands in the same account.
//
// Setup: the provider's packages are installed on first use (root; the script installs
// LemonLDAP::NG, its FastCGI server, nginx and the Perl modules LemonLDAP recommends; the portal
// also needs Image::Magick, installed here). scripts/install-deps.sh --test lists them as well.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, addUser, login, call } from '../integration/harness.mjs';
import { launch } from './lib.mjs';

const IDP_SCRIPT = process.env.ODP_OIDC_IDP_SCRIPT || '/work/shared/tools/oidc-test-idp.sh';
const EXTRA_PACKAGES = ['libimage-magick-perl'];

let srv, browser, idpDir, idpPort, admin;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function ensurePackages() {
  const missing = EXTRA_PACKAGES.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed:\n${r.stderr}`);
}

before(async () => {
  assert.ok(existsSync(IDP_SCRIPT), `the provider's start script is missing: ${IDP_SCRIPT}`);
  ensurePackages();
  idpPort = await freePort();
  srv = await startServer({
    env: {
      ODP_OIDC_ISSUER: `http://localhost:${idpPort}`,
      ODP_OIDC_CLIENT_ID: 'odp-client',
      ODP_OIDC_CLIENT_SECRET: 'odp-secret',
    },
  });
  idpDir = mkdtempSync(path.join(tmpdir(), 'odp-idp-'));
  const r = spawnSync('bash', [IDP_SCRIPT, 'start', idpDir, String(idpPort), `${srv.url}/login/oidc/callback`], {
    encoding: 'utf8', timeout: 600000,
  });
  if (r.status !== 0) throw new Error(`the OpenID Connect provider did not start:\n${r.stderr.slice(-3000)}`);
  assert.match(r.stdout, new RegExp(`ODP_TEST_OIDC_ISSUER=http://localhost:${idpPort}`));
  addUser(srv, 'quantri-oidc', { sysadmin: true, password: 'mat-khau-quan-tri-dai' });
  admin = await login(srv, 'quantri-oidc', 'mat-khau-quan-tri-dai');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  if (idpDir) {
    spawnSync('bash', [IDP_SCRIPT, 'stop', idpDir]);
    rmSync(idpDir, { recursive: true, force: true });
  }
});

// From the portal's login page through LemonLDAP's form and back; returns the page.
async function signInAsDwho() {
  const page = await (await browser.newContext()).newPage();
  await page.goto(srv.url + '/login');
  const button = page.getByRole('link', { name: 'Đăng nhập bằng tài khoản Cổng dịch vụ công' });
  await Promise.all([page.waitForURL((u) => u.port === String(idpPort)), button.click()]);
  await page.locator('#userfield').fill('dwho');
  await page.locator('#passwordfield').fill('dwho');
  await Promise.all([
    page.waitForURL((u) => u.origin === srv.url && u.pathname === '/workspace', { timeout: 20000 }),
    page.locator('#lform button[type=submit]').click(),
  ]);
  return page;
}

// The portal's accounts named like `prefix` (the admin's user list).
async function accountsNamed(prefix) {
  const r = await call(srv, 'GET', '/admin/users', { session: admin });
  assert.equal(r.status, 200);
  return [...r.text.matchAll(new RegExp(`>(${prefix}(?:-\\d+)?)<`, 'g'))].map((m) => m[1]);
}

test('first sign-in through LemonLDAP::NG creates a plain account; the second reuses it', async () => {
  const first = await signInAsDwho();
  // Signed in: the profile shows the new account, with no organization and no sysadmin role.
  await first.goto(srv.url + '/profile');
  const main = await first.locator('main').textContent();
  assert.match(main, /dwho/);
  assert.match(main, /dwho@badwolf\.org/);
  assert.match(main, /Bạn chưa là thành viên của cơ quan nào\./);
  assert.doesNotMatch(main, /Quản trị hệ thống/);
  assert.match(main, /Tài khoản Cổng dịch vụ công/);
  assert.deepEqual(await accountsNamed('dwho'), ['dwho']);
  // The state cookie is gone, the session cookie is there.
  const cookies = await first.context().cookies(srv.url);
  assert.ok(cookies.some((c) => c.name === 'odp_session' && c.value));
  assert.ok(!cookies.some((c) => c.name === 'odp_oidc' && c.value));
  await first.context().close();

  const second = await signInAsDwho();
  await second.goto(srv.url + '/profile');
  assert.match(await second.locator('main').textContent(), /dwho@badwolf\.org/);
  assert.deepEqual(await accountsNamed('dwho'), ['dwho'], 'no second account');
  await second.context().close();
});

test('the callback works once, in the browser that started the sign-in', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(srv.url + '/login');
  let callback = null;
  page.on('request', (r) => {
    if (r.url().startsWith(`${srv.url}/login/oidc/callback`)) callback = r.url();
  });
  await Promise.all([
    page.waitForURL((u) => u.port === String(idpPort)),
    page.getByRole('link', { name: 'Đăng nhập bằng tài khoản Cổng dịch vụ công' }).click(),
  ]);
  await page.locator('#userfield').fill('dwho');
  await page.locator('#passwordfield').fill('dwho');
  await Promise.all([
    page.waitForURL((u) => u.origin === srv.url && u.pathname === '/workspace', { timeout: 20000 }),
    page.locator('#lform button[type=submit]').click(),
  ]);
  assert.ok(callback, 'the provider sent the browser back with a code');
  const u = new URL(callback);
  assert.ok(u.searchParams.get('code') && u.searchParams.get('state'));
  // Another client without the browser's state cookie gets nothing.
  const stolen = await call(srv, 'GET', u.pathname + u.search);
  assert.equal(stolen.status, 401);
  assert.doesNotMatch(stolen.headers.get('set-cookie') || '', /odp_session=[^;]/);
  // Replayed with the state cookie as it was: the sign-in record is gone.
  const replayed = await call(srv, 'GET', u.pathname + u.search, {
    headers: { Cookie: `odp_oidc=${u.searchParams.get('state')}` },
  });
  assert.equal(replayed.status, 401);
  assert.match(replayed.text, /Đăng nhập bằng tài khoản Cổng dịch vụ công không thành công/);
  assert.doesNotMatch(replayed.headers.get('set-cookie') || '', /odp_session=[^;]/);
  await page.context().close();
});

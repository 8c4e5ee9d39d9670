// Security issue 14, accounts and sessions: redirect targets, login throttling (per account, per
// address, X-Forwarded-For only from trusted proxies), the password rule, registration that does
// not tell who has an account, password changes revoking tokens, /metrics for operators only, and
// published datasets whose tier or licence change waits for review — over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, odp } from './harness.mjs';

const METRICS_TOKEN = 'mot-chuoi-bi-mat-cho-metrics';
const PASSWORD = 'mat-khau-thu-nghiem';
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
const form = (o) => new URLSearchParams(o).toString();

// Server A believes X-Forwarded-For from loopback (as behind a local proxy): each test gives its
// requests their own client address, so the per-address counters do not mix between tests.
// Server B trusts no proxy and lets loopback read /metrics.
let a, b, root, rootB;
let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++}`;

before(async () => {
  a = await startServer({ args: ['--trusted-proxies', '127.0.0.1/32, ::1'], env: { ODP_METRICS_TOKEN: METRICS_TOKEN } });
  b = await startServer({ args: ['--metrics-allow', '127.0.0.0/8,::1'] });
  root = addUser(a, 'root', { sysadmin: true });
  rootB = addUser(b, 'root', { sysadmin: true });
});
after(async () => { await a.stop(); await b.stop(); });

async function apiLogin(srv, username, password, ip) {
  const headers = ip ? { 'X-Forwarded-For': ip } : {};
  return call(srv, 'POST', '/api/v1/auth/login', { body: { username, password }, headers });
}

// The login form's cookie and token, from the given client address.
async function loginForm(srv, ip) {
  const page = await call(srv, 'GET', '/login', { headers: { 'X-Forwarded-For': ip } });
  return { cookie: page.headers.get('set-cookie').split(';')[0], csrf: page.text.match(/name="csrf" value="([^"]+)"/)[1] };
}

test('login `next` accepts only same-site relative paths; no CR/LF reaches a header', async () => {
  addUser(a, 'nguoi-chuyen-huong', { password: PASSWORD });
  const ip = freshIp();
  const f = await loginForm(a, ip);
  const shapes = {
    '/datasets?q=a%20b': '/datasets?q=a%20b',
    '/en/workspace': '/en/workspace',
    '//evil.example': '/workspace',
    '/\\evil.example': '/workspace',
    '\\\\evil.example': '/workspace',
    'https://evil.example/': '/workspace',
    'javascript:alert(1)': '/workspace',
    '/\t/evil.example': '/workspace',
    '/%09/evil.example': '/workspace',
    '/%2F%2Fevil.example': '/workspace',
    '%2F%2Fevil.example': '/workspace',
    '/x\r\nSet-Cookie: injected=1': '/workspace',
    '/x%0d%0aSet-Cookie:%20injected=1': '/workspace',
    '/x\nLocation: //evil.example': '/workspace',
    '/dữ-liệu': '/workspace',
    ['/' + 'a'.repeat(5000)]: '/workspace',
  };
  for (const [next, expected] of Object.entries(shapes)) {
    const r = await call(a, 'POST', '/login', {
      body: form({ login: 'nguoi-chuyen-huong', password: PASSWORD, csrf: f.csrf, next }),
      headers: { ...formHeaders, Cookie: f.cookie, 'X-Forwarded-For': ip },
    });
    assert.equal(r.status, 303, JSON.stringify(next));
    assert.equal(r.headers.get('location'), expected, JSON.stringify(next));
    assert.doesNotMatch(r.headers.get('set-cookie') ?? '', /injected/);
  }
});

test('30 wrong passwords, then the right one, do not sign in until a sysadmin unlocks the account', async () => {
  addUser(a, 'nan-nhan', { password: PASSWORD });
  let throttled = 0;
  for (let i = 0; i < 30; i++) {
    // A different address each time: only the per-account counter can stop this.
    const r = await apiLogin(a, 'nan-nhan', `sai-mat-khau-${i}`, freshIp());
    assert.ok(r.status === 401 || r.status === 429, `${r.status}`);
    if (r.status === 429) throttled++;
  }
  assert.ok(throttled > 0);
  const right = await apiLogin(a, 'nan-nhan', PASSWORD, freshIp());
  assert.equal(right.status, 429);
  assert.match(right.json.error.message_vi, /quá nhiều lần/);
  // An account that does not exist is answered in the same words.
  for (let i = 0; i < 8; i++) await apiLogin(a, 'khong-ton-tai', 'sai', freshIp());
  const ghost = await apiLogin(a, 'khong-ton-tai', 'sai', freshIp());
  assert.equal(ghost.status, 429);
  assert.deepEqual(ghost.json, right.json);
  // The sysadmin sees the lock on the users page.
  const users = await call(a, 'GET', '/admin/users', { token: root });
  assert.match(users.text, /Bị khoá do đăng nhập sai/);
  assert.match(users.text, /\/admin\/users\/nan-nhan\/unlock/);
  // `odp user unlock` lifts it.
  const unlock = odp(['user', 'unlock', 'nan-nhan', '--data', a.dir]);
  assert.equal(unlock.status, 0, unlock.stderr);
  assert.equal((await apiLogin(a, 'nan-nhan', PASSWORD, freshIp())).status, 200);
});

test('a sysadmin unlocks an account from the users page', async () => {
  addUser(a, 'bi-khoa', { password: PASSWORD });
  for (let i = 0; i < 12; i++) await apiLogin(a, 'bi-khoa', 'sai', freshIp());
  assert.equal((await apiLogin(a, 'bi-khoa', PASSWORD, freshIp())).status, 429);
  const ip = freshIp();
  const f = await loginForm(a, ip);
  const adminLogin = await call(a, 'POST', '/login', {
    body: form({ login: 'root', password: PASSWORD, csrf: f.csrf }),
    headers: { ...formHeaders, Cookie: f.cookie, 'X-Forwarded-For': ip },
  });
  assert.equal(adminLogin.status, 303);
  const cookie = adminLogin.headers.get('set-cookie').split(';')[0];
  const page = await call(a, 'GET', '/admin/users', { headers: { Cookie: cookie } });
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const r = await call(a, 'POST', '/admin/users/bi-khoa/unlock', { body: form({ csrf }), headers: { ...formHeaders, Cookie: cookie } });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /done=user_unlocked/);
  assert.equal((await apiLogin(a, 'bi-khoa', PASSWORD, freshIp())).status, 200);
});

test('one address is limited across many user names; behind a trusted proxy the forwarded address counts', async () => {
  addUser(a, 'nguoi-dung-that', { password: PASSWORD });
  const attacker = freshIp();
  for (let i = 0; i < 25; i++) await apiLogin(a, `ten-doan-${i}`, 'sai', attacker);
  // The attacker's address is stopped, even with a right password...
  assert.equal((await apiLogin(a, 'nguoi-dung-that', PASSWORD, attacker)).status, 429);
  // ...a client prepending its own X-Forwarded-For does not escape (the proxy appends)...
  assert.equal((await apiLogin(a, 'nguoi-dung-that', PASSWORD, `198.51.100.1, ${attacker}`)).status, 429);
  // ...and others behind the same proxy are not.
  assert.equal((await apiLogin(a, 'nguoi-dung-that', PASSWORD, freshIp())).status, 200);
});

test('X-Forwarded-For is ignored from peers that are not trusted proxies', async () => {
  addUser(b, 'nguoi-dung-b', { password: PASSWORD });
  for (let i = 0; i < 25; i++) {
    await apiLogin(b, `ten-doan-${i}`, 'sai', `198.51.100.${i + 1}`);
  }
  // Every attempt came from loopback whatever the header said: loopback is now throttled.
  assert.equal((await apiLogin(b, 'nguoi-dung-b', PASSWORD, '192.0.2.200')).status, 429);
  assert.equal((await apiLogin(b, 'nguoi-dung-b', PASSWORD)).status, 429);
  const unlock = odp(['user', 'unlock', 'nguoi-dung-b', '--data', b.dir]);
  assert.equal(unlock.status, 0);
  // Unlocking the account does not lift the address's limit.
  assert.equal((await apiLogin(b, 'nguoi-dung-b', PASSWORD)).status, 429);
});

test('passwords: at least 12 characters, not whitespace, not common, not derived from the name or e-mail', async () => {
  const cases = [
    ['ngan-qua', /12/],
    ['              ', /khoảng trắng/],
    ['password1234', /phổ biến/],
    ['Matkhau2024!', /phổ biến/],
    ['123456789012', /phổ biến/],
    ['hoang-lan-2024-xyz', /tên đăng nhập/],
    ['zyx-4202-nal-gnaoh', /tên đăng nhập/],
    ['hoang.lan.1990@x', /tên đăng nhập|e-mail/],
  ];
  for (const [password, message] of cases) {
    const r = await call(a, 'POST', '/api/v1/auth/register', {
      body: { username: 'hoang-lan', email: 'hoang.lan.1990@example.vn', password, accept_privacy_notice: true }, headers: { 'X-Forwarded-For': freshIp() },
    });
    assert.equal(r.status, 400, password);
    assert.match(r.json.error.details.password, message, password);
  }
  // The same rule for `odp user add`.
  const cli = odp(['user', 'add', 'hoang-lan', '--data', a.dir, '--email', 'hl@example.vn'], { input: 'qwerty123456\n' });
  assert.notEqual(cli.status, 0);
  assert.match(cli.stderr, /phổ biến/);
});

test('registration answers the same whether or not the name or e-mail is taken', async () => {
  const ip = freshIp();
  const reg = (body) => call(a, 'POST', '/api/v1/auth/register', {
    body: { ...body, accept_privacy_notice: true }, headers: { 'X-Forwarded-For': ip },
  });
  const first = await reg({ username: 'cong-dan-moi', email: 'congdan.moi@example.vn', password: 'mật khẩu rất dài' });
  assert.equal(first.status, 202);
  const sameName = await reg({ username: 'cong-dan-moi', email: 'khac.han@example.vn', password: 'mật khẩu rất dài' });
  const sameEmail = await reg({ username: 'ten-khac-han', email: 'congdan.moi@example.vn', password: 'mật khẩu rất dài' });
  assert.equal(sameName.status, 202);
  assert.equal(sameEmail.status, 202);
  assert.deepEqual(sameName.json, first.json);
  assert.deepEqual(sameEmail.json, first.json);
  assert.equal((await apiLogin(a, 'cong-dan-moi', 'mật khẩu rất dài', ip)).status, 200);
  // The page form: the same redirect either way, and no session.
  const f = await loginForm(a, ip);
  const page = async (username, email) => call(a, 'POST', '/register', {
    body: form({ csrf: f.csrf, username, email, password: 'mật khẩu rất dài', password2: 'mật khẩu rất dài', accept_privacy: '1', privacy_version: '1' }),
    headers: { ...formHeaders, Cookie: f.cookie.replace(/^[^=]+/, 'odp_form'), 'X-Forwarded-For': ip },
  });
  const p1 = await page('nguoi-moi-web', 'nguoimoi.web@example.vn');
  const p2 = await page('nguoi-moi-web', 'email.khac@example.vn');
  assert.equal(p1.status, 303, p1.text.slice(0, 300));
  assert.equal(p2.status, 303);
  assert.equal(p1.headers.get('location'), p2.headers.get('location'));
  assert.equal(p1.headers.get('set-cookie')?.includes('odp_session=') ?? false, false);
});

test('a password change revokes API tokens and other sessions unless the user keeps the tokens', async () => {
  const token = addUser(a, 'doi-mat-khau', { password: PASSWORD });
  const ip = freshIp();
  const mine = await apiLogin(a, 'doi-mat-khau', PASSWORD, ip);
  const other = await apiLogin(a, 'doi-mat-khau', PASSWORD, ip);
  const cookie = mine.headers.get('set-cookie').split(';')[0];
  const otherCookie = other.headers.get('set-cookie').split(';')[0];
  const change = (current, next, extra = {}) => call(a, 'POST', '/profile/password', {
    body: form({ csrf: mine.json.csrf_token, current_password: current, new_password: next, new_password2: next, ...extra }),
    headers: { ...formHeaders, Cookie: cookie, 'X-Forwarded-For': ip },
  });
  // The profile says what a change does.
  const profile = await call(a, 'GET', '/profile', { headers: { Cookie: cookie } });
  assert.match(profile.text, /Giữ các khoá API của tôi/);
  assert.match(profile.text, /bị thu hồi/);
  // Keeping the tokens: other sessions end, the token still works.
  const kept = await change(PASSWORD, 'mat-khau-moi-thu-nhat', { keep_tokens: '1' });
  assert.equal(kept.status, 303, kept.text.slice(0, 300));
  assert.equal((await call(a, 'GET', '/api/v1/me', { token })).status, 200);
  assert.equal((await call(a, 'GET', '/api/v1/me', { headers: { Cookie: otherCookie } })).status, 401);
  assert.equal((await call(a, 'GET', '/api/v1/me', { headers: { Cookie: cookie } })).status, 200);
  const keptPage = await call(a, 'GET', kept.headers.get('location'), { headers: { Cookie: cookie } });
  assert.match(keptPage.text, /khoá API được giữ lại/);
  // By default the tokens are revoked, and the page says so.
  const revoked = await change('mat-khau-moi-thu-nhat', 'mat-khau-moi-thu-hai');
  assert.equal(revoked.status, 303);
  assert.equal((await call(a, 'GET', '/api/v1/me', { token })).status, 401);
  const revokedPage = await call(a, 'GET', revoked.headers.get('location'), { headers: { Cookie: cookie } });
  assert.match(revokedPage.text, /mọi khoá API của bạn đã bị thu hồi/);
  const en = await call(a, 'GET', '/en' + revoked.headers.get('location'), { headers: { Cookie: cookie } });
  assert.match(en.text, /all your API tokens were revoked/);
  // A weak new password is refused in Vietnamese.
  const weak = await change('mat-khau-moi-thu-hai', 'password1234');
  assert.equal(weak.status, 400);
  assert.match(weak.text, /phổ biến/);
});

test('/metrics: sysadmins, the metrics token and allowed addresses only; others get 404', async () => {
  const editor = addUser(a, 'khong-phai-quan-tri', { password: PASSWORD });
  assert.equal((await call(a, 'GET', '/metrics')).status, 404);  // loopback is not implied
  assert.equal((await call(a, 'GET', '/metrics', { token: editor })).status, 404);
  assert.equal((await call(a, 'GET', '/metrics', { headers: { Authorization: 'Bearer sai' } })).status, 404);
  const byToken = await call(a, 'GET', '/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(byToken.status, 200);
  assert.match(byToken.text, /odp_http_requests_total/);
  assert.equal((await call(a, 'GET', '/metrics', { token: root })).status, 200);
  // Server B lets loopback in by configuration.
  assert.equal((await call(b, 'GET', '/metrics')).status, 200);
  assert.equal((await call(b, 'GET', '/metrics', { token: rootB })).status, 200);
});

test('an editor opening a published dataset to more readers, or changing its licence, waits for review (REST and CKAN)', async () => {
  await makeOrg(a, root, 'so-noi-vu', 'Sở Nội vụ');
  const editor = addUser(a, 'bien-tap-vien', { org: 'so-noi-vu', role: 'editor', password: PASSWORD });
  const reviewer = addUser(a, 'nguoi-duyet', { org: 'so-noi-vu', role: 'admin', password: PASSWORD });
  const created = await call(a, 'POST', '/api/v1/datasets', {
    token: editor, body: { title_vi: 'Danh sách cán bộ nội bộ', organization: 'so-noi-vu', access: 'internal', license_id: 'cc-by' },
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  assert.equal((await call(a, 'POST', `/api/v1/datasets/${id}/submit`, { token: editor, body: {} })).status, 200);
  assert.equal((await call(a, 'POST', `/api/v1/datasets/${id}/publish`, { token: reviewer, body: {} })).status, 200);

  // REST: the change is held; the old tier stays in force everywhere.
  const patched = await call(a, 'PATCH', `/api/v1/datasets/${id}`, { token: editor, body: { access: 'public', license_id: 'cc-zero' } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.access, 'internal');
  assert.equal(patched.json.license.id, 'cc-by');
  assert.deepEqual(patched.json.pending_changes, { access: 'public', license_id: 'cc-zero' });
  assert.equal((await call(a, 'GET', `/api/v1/datasets/${id}`)).status, 404);
  assert.equal((await call(a, 'GET', `/api/3/action/package_show?id=${id}`)).status, 404);
  assert.equal((await call(a, 'GET', `/datasets/${created.json.slug}`)).status, 404);
  // The editor cannot approve; the reviewer sees it in the queue and approves.
  assert.equal((await call(a, 'POST', `/api/v1/datasets/${id}/approve-change`, { token: editor, body: {} })).status, 403);
  const manage = await call(a, 'GET', `/workspace/datasets/${created.json.slug}`, { token: editor });
  assert.match(manage.text, /Thay đổi đang chờ duyệt, chưa có hiệu lực:<\/strong> Mức truy cập: Công khai; Giấy phép:/);
  const queue = await call(a, 'GET', '/workspace/review', { token: reviewer });
  assert.match(queue.text, /Danh sách cán bộ nội bộ/);
  const review = await call(a, 'GET', `/workspace/review/${created.json.slug}`, { token: reviewer });
  assert.match(review.text, /<del>Nội bộ<\/del>/);
  assert.match(review.text, /<ins>Công khai<\/ins>/);
  assert.match(review.text, /\/approve"/);
  const approved = await call(a, 'POST', `/api/v1/datasets/${id}/approve-change`, { token: reviewer, body: {} });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.access, 'public');
  assert.equal(approved.json.license.id, 'cc-zero');
  assert.equal(approved.json.pending_changes, null);
  assert.equal((await call(a, 'GET', `/api/v1/datasets/${id}`)).status, 200);

  // CKAN: package_patch by the editor is held the same way; a narrowing applies at once.
  const narrowed = await call(a, 'POST', '/api/3/action/package_patch', { token: editor, body: { id, private: true } });
  assert.equal(narrowed.status, 200, narrowed.text);
  assert.equal((await call(a, 'GET', `/api/3/action/package_show?id=${id}`)).status, 404);
  const reopened = await call(a, 'POST', '/api/3/action/package_patch', { token: editor, body: { id, private: false } });
  assert.equal(reopened.status, 200, reopened.text);
  assert.equal((await call(a, 'GET', `/api/3/action/package_show?id=${id}`)).status, 404);
  const rest = await call(a, 'GET', `/api/v1/datasets/${id}`, { token: editor });
  assert.equal(rest.json.access, 'internal');
  assert.equal(rest.json.pending_changes.access, 'public');
  // Rejected with a reason: nothing changes.
  assert.equal((await call(a, 'POST', `/api/v1/datasets/${id}/reject-change`, { token: reviewer, body: {} })).status, 400);
  const rejected = await call(a, 'POST', `/api/v1/datasets/${id}/reject-change`, { token: reviewer, body: { reason: 'Chưa được phép công khai' } });
  assert.equal(rejected.status, 200);
  assert.equal(rejected.json.access, 'internal');
  assert.equal(rejected.json.pending_changes, null);
  assert.equal((await call(a, 'GET', `/api/3/action/package_show?id=${id}`)).status, 404);
});

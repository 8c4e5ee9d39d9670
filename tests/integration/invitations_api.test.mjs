// Invitations without the admin pages: the REST routes /api/v1/invitations… and the command
// `odp user invite`, with the e-mail sent by the running server's job runner through a real SMTP
// server (Debian's python3-aiosmtpd) that this test starts. Runs on SQLite, and on PostgreSQL when
// ODP_TEST_PG is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login, makeOrg, odp } from './harness.mjs';
import { startSmtp, waitMail, mailsTo, linkIn } from './smtp.mjs';

const PASSWORD = 'mật khẩu thật dài';
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };

let srv, smtp, root, editor;

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    env: {
      ODP_SMTP_HOST: '127.0.0.1', ODP_SMTP_PORT: String(smtp.port),
      ODP_SMTP_FROM: 'khongtraloi@example.gov.vn', ODP_SMTP_FROM_NAME: 'Cổng dữ liệu mở',
    },
  });
  root = addUser(srv, 'goc', { sysadmin: true });
  await makeOrg(srv, root, 'so-moi', 'Sở Mới');
  editor = addUser(srv, 'bien-tap', { org: 'so-moi', role: 'admin' });
});

after(async () => {
  await srv?.stop();
  smtp?.stop();
});

// Sets the password through the link of `mail` (the existing page), accepting the privacy notice.
async function setPassword(mail, password) {
  const link = linkIn(mail.body);
  const page = await call(srv, 'GET', link.path);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const cookie = (page.headers.get('set-cookie') || '').split(';')[0];
  const csrf = (page.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  const version = (page.text.match(/name="privacy_version" value="([^"]+)"/) || [])[1] || '1';
  const r = await call(srv, 'POST', '/dat-mat-khau', {
    body: new URLSearchParams({ csrf, token: link.token, password, password2: password, accept_privacy: '1', privacy_version: version }),
    headers: { ...formHeaders, Cookie: cookie },
  });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  return link;
}

test('a REST invitation sends the e-mail; its link sets the password; the person signs in with the role', async () => {
  const r = await call(srv, 'POST', '/api/v1/invitations', {
    token: root,
    body: { username: 'qua-api', email: 'qua.api@example.gov.vn', display_name: 'Trần Văn Api', organization: 'so-moi', role: 'member' },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.username, 'qua-api');
  assert.equal(r.json.display_name, 'Trần Văn Api');
  assert.equal(r.json.role, 'member');
  assert.equal(r.json.mail_configured, true);
  assert.equal(r.headers.get('location'), '/api/v1/invitations/qua-api');

  // Pending until the password is set; no sign-in before.
  const list = await call(srv, 'GET', '/api/v1/invitations', { token: root });
  assert.equal(list.status, 200);
  assert.ok(list.json.invitations.some((i) => i.username === 'qua-api' && i.email === 'qua.api@example.gov.vn'));
  assert.equal((await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'qua-api', password: '' } })).status, 401);

  const [mail] = await waitMail(smtp, 'qua.api@example.gov.vn');
  assert.ok(mail.body.indexOf('Xin chào') < mail.body.indexOf('Hello'));
  assert.match(mail.body, /Trần Văn Api/);
  await setPassword(mail, PASSWORD);
  const session = await login(srv, 'qua-api', PASSWORD);
  const me = await call(srv, 'GET', '/api/v1/me', { session });
  assert.equal(me.status, 200);
  assert.deepEqual(me.json.organizations.map((o) => [o.slug, o.role]), [['so-moi', 'member']]);

  // No longer pending; a resend is refused now that a password is set.
  const after = await call(srv, 'GET', '/api/v1/invitations', { token: root });
  assert.ok(!after.json.invitations.some((i) => i.username === 'qua-api'));
  const resend = await call(srv, 'POST', '/api/v1/invitations/qua-api/resend', { token: root, body: {} });
  assert.equal(resend.status, 409);
  assert.ok(resend.json.error.message && resend.json.error.message_vi);
});

test('a REST invitation can be resent and revoked: the older link stops working', async () => {
  assert.equal((await call(srv, 'POST', '/api/v1/invitations', { token: root, body: { username: 'gui-lai', email: 'gui.lai@example.gov.vn' } })).status, 201);
  const first = linkIn((await waitMail(smtp, 'gui.lai@example.gov.vn'))[0].body);
  const pending = (await call(srv, 'GET', '/api/v1/invitations', { token: root })).json.invitations.find((i) => i.username === 'gui-lai');
  assert.equal(pending.display_name, 'gui-lai');
  assert.equal(pending.sent, true);
  assert.equal(pending.expired, false);
  assert.match(pending.expires, /^\d{4}-\d\d-\d\dT/);

  const resend = await call(srv, 'POST', '/api/v1/invitations/gui-lai/resend', { token: root, body: {} });
  assert.equal(resend.status, 202, resend.text);
  const mails = await waitMail(smtp, 'gui.lai@example.gov.vn', 2);
  const second = mails.map((m) => linkIn(m.body)).find((l) => l.token !== first.token);
  assert.ok(second);
  assert.equal((await call(srv, 'GET', first.path)).status, 410);
  assert.equal((await call(srv, 'GET', second.path)).status, 200);

  assert.equal((await call(srv, 'DELETE', '/api/v1/invitations/gui-lai', { token: root })).status, 204);
  assert.equal((await call(srv, 'GET', second.path)).status, 410);
  // Nothing left to revoke.
  assert.equal((await call(srv, 'DELETE', '/api/v1/invitations/gui-lai', { token: root })).status, 404);
  assert.equal((await call(srv, 'DELETE', '/api/v1/invitations/khong-co-ai', { token: root })).status, 404);
});

test('bad input gets the errors of each field in both languages, and creates nothing', async () => {
  const bad = await call(srv, 'POST', '/api/v1/invitations', { token: root, body: { username: 'A', email: 'khong-phai-email' } });
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.json.error.message);
  assert.ok(bad.json.error.message_vi);
  assert.ok(Object.keys(bad.json.error.details).length >= 1, bad.text);

  const role = await call(srv, 'POST', '/api/v1/invitations', {
    token: root, body: { username: 'sai-vai-tro', email: 'sai.vai.tro@example.gov.vn', organization: 'so-moi', role: 'chu-tich' },
  });
  assert.equal(role.status, 400);
  assert.equal(role.json.error.details.role, 'Vai trò không hợp lệ');
  assert.equal(role.json.error.message, 'unknown role');

  const org = await call(srv, 'POST', '/api/v1/invitations', {
    token: root, body: { username: 'sai-co-quan', email: 'sai.co.quan@example.gov.vn', organization: 'khong-co' },
  });
  assert.equal(org.status, 400);
  assert.equal(org.json.error.details.organization, 'Không có cơ quan này');

  const taken = await call(srv, 'POST', '/api/v1/invitations', { token: root, body: { username: 'goc', email: 'khac@example.gov.vn' } });
  assert.equal(taken.status, 409);
  assert.equal(taken.json.error.details.username, 'Tên đăng nhập đã được dùng');
  const email = await call(srv, 'POST', '/api/v1/invitations', { token: root, body: { username: 'trung-thu', email: 'goc@example.gov.vn' } });
  assert.equal(email.status, 409);
  assert.equal(email.json.error.details.email, 'E-mail đã được đăng ký');

  const wrongType = await call(srv, 'POST', '/api/v1/invitations', { token: root, body: { username: ['x'], email: 'x@example.gov.vn' } });
  assert.equal(wrongType.status, 400);
  assert.equal((await call(srv, 'POST', '/api/v1/invitations', { token: root, body: { raw: '{', type: 'application/json' } })).status, 400);

  const list = (await call(srv, 'GET', '/api/v1/invitations', { token: root })).json.invitations.map((i) => i.username);
  for (const u of ['A', 'sai-vai-tro', 'sai-co-quan', 'trung-thu']) assert.ok(!list.includes(u), u);
});

test('only sysadmins invite: 401 anonymous, 403 for an organization admin', async () => {
  const body = { username: 'khong-duoc', email: 'khong.duoc@example.gov.vn' };
  assert.equal((await call(srv, 'GET', '/api/v1/invitations')).status, 401);
  assert.equal((await call(srv, 'POST', '/api/v1/invitations', { body })).status, 401);
  const forbidden = await call(srv, 'POST', '/api/v1/invitations', { token: editor, body });
  assert.equal(forbidden.status, 403);
  assert.ok(forbidden.json.error.message_vi);
  assert.equal((await call(srv, 'GET', '/api/v1/invitations', { token: editor })).status, 403);
  assert.equal((await call(srv, 'POST', '/api/v1/invitations/goc/resend', { token: editor, body: {} })).status, 403);
  assert.equal((await call(srv, 'DELETE', '/api/v1/invitations/goc', { token: editor })).status, 403);
  const list = (await call(srv, 'GET', '/api/v1/invitations', { token: root })).json.invitations;
  assert.ok(!list.some((i) => i.username === 'khong-duoc'));
  assert.equal(mailsTo(smtp, 'khong.duoc@example.gov.vn').length, 0);
});

test('odp user invite creates the account; the running server sends the e-mail; the person signs in', async () => {
  const r = odp(['user', 'invite', 'qua-lenh', '--data', srv.dir, '--email', 'qua.lenh@example.gov.vn',
    '--name', 'Lê Thị Lệnh', '--org', 'so-moi', '--role', 'admin']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /qua-lenh/);
  const [mail] = await waitMail(smtp, 'qua.lenh@example.gov.vn');
  assert.match(mail.body, /Lê Thị Lệnh/);
  await setPassword(mail, PASSWORD);
  const session = await login(srv, 'qua-lenh', PASSWORD);
  const me = await call(srv, 'GET', '/api/v1/me', { session });
  assert.deepEqual(me.json.organizations.map((o) => [o.slug, o.role]), [['so-moi', 'admin']]);

  // The page's checks: a taken name, a bad address, an unknown organization; exit 1, nothing made.
  const taken = odp(['user', 'invite', 'qua-lenh', '--data', srv.dir, '--email', 'khac.han@example.gov.vn']);
  assert.equal(taken.status, 1);
  assert.match(taken.stderr, /Tên đăng nhập đã được dùng/);
  const badMail = odp(['user', 'invite', 'thu-sai', '--data', srv.dir, '--email', 'khong-phai-email']);
  assert.equal(badMail.status, 1);
  assert.match(badMail.stderr, /email/);
  const badOrg = odp(['user', 'invite', 'thu-sai', '--data', srv.dir, '--email', 'thu.sai@example.gov.vn', '--org', 'khong-co']);
  assert.equal(badOrg.status, 1);
  assert.match(badOrg.stderr, /Không có cơ quan này/);
  assert.equal(odp(['user', 'invite', 'thu-sai', '--data', srv.dir, '--email', 'thu.sai@example.gov.vn', '--role', 'admin']).status, 2);
  const list = (await call(srv, 'GET', '/api/v1/invitations', { token: root })).json.invitations;
  assert.ok(!list.some((i) => i.username === 'thu-sai'));
});

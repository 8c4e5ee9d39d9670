// Staff without a terminal: invitations, password resets and member picking, with e-mail sent
// through a real SMTP server (Debian's python3-aiosmtpd, writing a Maildir) that this test
// starts. Runs on SQLite, and on PostgreSQL when ODP_TEST_PG is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login, makeOrg } from './harness.mjs';
import { startSmtp, waitMail, mailsTo, decodeWords, linkIn } from './smtp.mjs';

const form = (fields) => new URLSearchParams(fields);
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
const PASSWORD = 'mật khẩu thật dài';

let srv, smtp, admin, root;

// An anonymous form page: its double-submit cookie and token.
async function anonForm(p) {
  const r = await call(srv, 'GET', p);
  const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
  const csrf = (r.text.match(/name="csrf" value="([^"]+)"/) || [])[1];
  return { r, cookie, csrf };
}

async function postAnon(p, fields, f) {
  return call(srv, 'POST', p, { body: form({ csrf: f.csrf, ...fields }), headers: { ...formHeaders, Cookie: f.cookie } });
}

async function postAdmin(p, fields) {
  return call(srv, 'POST', p, {
    body: form({ csrf: admin.csrf, ...fields }), headers: { ...formHeaders, Cookie: admin.cookie },
  });
}

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    env: {
      ODP_SMTP_HOST: '127.0.0.1', ODP_SMTP_PORT: String(smtp.port),
      ODP_SMTP_FROM: 'khongtraloi@example.gov.vn', ODP_SMTP_FROM_NAME: 'Cổng dữ liệu mở',
    },
  });
  root = addUser(srv, 'goc', { sysadmin: true });
  admin = await login(srv, 'goc', 'mat-khau-thu-nghiem');
});

after(async () => {
  await srv?.stop();
  smtp?.stop();
});

test('an invited person sets a password from the e-mail, accepting the privacy notice, then signs in', async () => {
  await makeOrg(srv, root, 'so-moi', 'Sở Mới');
  const r = await postAdmin('/admin/invitations', {
    username: 'moi-vao', email: 'moi.vao@example.gov.vn', display_name: 'Nguyễn Thị Mới',
    organization: 'so-moi', role: 'editor',
  });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const [mail] = await waitMail(smtp, 'moi.vao@example.gov.vn');
  // Headers: encoded subject in both languages, a date, a message id at the sender's domain.
  assert.match(mail.headers.subject, /^=\?UTF-8\?B\?/i);
  assert.match(decodeWords(mail.headers.subject), /^Mời bạn dùng .+ \/ Your invitation to /);
  assert.match(decodeWords(mail.headers.to), /Nguyễn Thị Mới/);
  assert.match(mail.headers.date, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  assert.match(mail.headers['message-id'], /^<[^@\s]+@example\.gov\.vn>$/);
  assert.match(mail.headers['content-type'], /text\/plain; charset=UTF-8/);
  // Vietnamese first, then English, each with its own link.
  assert.ok(mail.body.indexOf('Xin chào') < mail.body.indexOf('Hello'));
  assert.match(mail.body, /\/en\/dat-mat-khau\?token=/);
  const link = linkIn(mail.body);

  // The account cannot sign in before the password is set; the invitation is listed.
  assert.equal((await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'moi-vao', password: '' } })).status, 401);
  const list = await call(srv, 'GET', '/admin/invitations', { headers: { Cookie: admin.cookie } });
  assert.match(list.text, /moi-vao/);

  const f = await anonForm(link.path);
  assert.equal(f.r.status, 200);
  assert.match(f.r.text, /moi-vao/);
  assert.match(f.r.text, /name="accept_privacy"/);
  const noConsent = await postAnon('/dat-mat-khau', { token: link.token, password: PASSWORD, password2: PASSWORD, privacy_version: '1' }, f);
  assert.equal(noConsent.status, 400);
  const ok = await postAnon('/dat-mat-khau', { token: link.token, password: PASSWORD, password2: PASSWORD, accept_privacy: '1', privacy_version: '1' }, f);
  assert.equal(ok.status, 303, ok.text.slice(0, 400));
  assert.match(ok.headers.get('location'), /\/login\?password_set=1$/);
  const session = await login(srv, 'moi-vao', PASSWORD);
  assert.ok(session.cookie);
  // Member of the organization chosen, with the role chosen.
  const me = await call(srv, 'GET', '/api/v1/me', { session });
  assert.equal(me.status, 200);
  assert.deepEqual(me.json.organizations.map((o) => [o.slug, o.role]), [['so-moi', 'editor']]);
  // The link works once.
  assert.equal((await call(srv, 'GET', link.path)).status, 410);
  const again = await postAnon('/dat-mat-khau', { token: link.token, password: 'mật khẩu khác hẳn', password2: 'mật khẩu khác hẳn', accept_privacy: '1', privacy_version: '1' }, f);
  assert.equal(again.status, 410);
  // No longer pending.
  const after = await call(srv, 'GET', '/admin/invitations', { headers: { Cookie: admin.cookie } });
  assert.doesNotMatch(after.text, /moi-vao/);
});

test('an invitation can be revoked and resent; the revoked link stops working', async () => {
  assert.equal((await postAdmin('/admin/invitations', { username: 'thu-hoi', email: 'thu.hoi@example.gov.vn', display_name: 'Thu Hồi', organization: '', role: 'member' })).status, 303);
  const first = linkIn((await waitMail(smtp, 'thu.hoi@example.gov.vn'))[0].body);
  assert.equal((await postAdmin('/admin/invitations/thu-hoi/revoke', {})).status, 303);
  assert.equal((await call(srv, 'GET', first.path)).status, 410);
  assert.equal((await postAdmin('/admin/invitations/thu-hoi/resend', {})).status, 303);
  const mails = await waitMail(smtp, 'thu.hoi@example.gov.vn', 2);
  const second = mails.map((m) => linkIn(m.body)).find((l) => l.token !== first.token);
  assert.ok(second);
  assert.equal((await call(srv, 'GET', second.path)).status, 200);
});

test('a password reset: the same answer for unknown addresses, a single-use link, other sessions end', async () => {
  addUser(srv, 'quen-mk', { password: 'mat-khau-cu-rat-dai' });
  const oldSession = await login(srv, 'quen-mk', 'mat-khau-cu-rat-dai');
  const f = await anonForm('/quen-mat-khau');
  assert.equal(f.r.status, 200);
  const t0 = Date.now();
  const unknown = await postAnon('/quen-mat-khau', { email: 'khong-co-ai@example.gov.vn' }, f);
  const t1 = Date.now();
  const known = await postAnon('/quen-mat-khau', { email: 'quen-mk@example.gov.vn' }, f);
  const t2 = Date.now();
  assert.equal(unknown.status, 200);
  assert.equal(known.status, 200);
  assert.equal(unknown.text, known.text);
  assert.match(known.text, /id="forgot-sent"/);
  // Both only queue a job: neither waits on the mail server.
  assert.ok(t1 - t0 < 2000 && t2 - t1 < 2000);

  const [mail] = await waitMail(smtp, 'quen-mk@example.gov.vn');
  assert.match(decodeWords(mail.headers.subject), /Đặt lại mật khẩu/);
  const link = linkIn(mail.body);
  // Nothing ever goes to the unknown address.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(mailsTo(smtp, 'khong-co-ai@example.gov.vn').length, 0);

  const g = await anonForm(link.path);
  assert.equal(g.r.status, 200);
  assert.doesNotMatch(g.r.text, /name="accept_privacy"/);
  const weak = await postAnon('/dat-mat-khau', { token: link.token, password: '123', password2: '123' }, g);
  assert.equal(weak.status, 400);
  const set = await postAnon('/dat-mat-khau', { token: link.token, password: PASSWORD, password2: PASSWORD }, g);
  assert.equal(set.status, 303, set.text.slice(0, 300));
  assert.equal((await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'quen-mk', password: 'mat-khau-cu-rat-dai' } })).status, 401);
  assert.ok((await login(srv, 'quen-mk', PASSWORD)).cookie);
  // The session opened with the old password has ended.
  const profile = await call(srv, 'GET', '/profile', { headers: { Cookie: oldSession.cookie } });
  assert.equal(profile.status, 303);
  // The link is spent.
  assert.equal((await call(srv, 'GET', link.path)).status, 410);
  const reuse = await postAnon('/dat-mat-khau', { token: link.token, password: 'mật khẩu khác hẳn', password2: 'mật khẩu khác hẳn' }, g);
  assert.equal(reuse.status, 410);
});

test('reset requests are throttled per address with the same words whether it exists or not', async () => {
  const f = await anonForm('/quen-mat-khau');
  const ask = (email) => postAnon('/quen-mat-khau', { email }, f);
  for (let i = 0; i < 3; i++) assert.equal((await ask('gioi-han@example.gov.vn')).status, 200);
  const refused = await ask('gioi-han@example.gov.vn');
  assert.equal(refused.status, 429);
  assert.match(refused.text, /quá nhiều lần/);
});

test('members are picked by a tone-free search on the organization page', async () => {
  addUser(srv, 'tran-van-tim', { password: 'mat-khau-rat-dai' });
  const r = await call(srv, 'GET', '/admin/organizations/so-moi?q=' + encodeURIComponent('tran van'), { headers: { Cookie: admin.cookie } });
  assert.equal(r.status, 200);
  assert.match(r.text, /id="member-results"/);
  assert.match(r.text, /tran-van-tim/);
  const add = await postAdmin('/admin/organizations/so-moi/members', { username: 'tran-van-tim', role: 'member' });
  assert.equal(add.status, 303);
  const again = await call(srv, 'GET', '/admin/organizations/so-moi?q=tim', { headers: { Cookie: admin.cookie } });
  assert.match(again.text, /Đã là thành viên/);
  const none = await call(srv, 'GET', '/admin/organizations/so-moi?q=zzzz-khong-co', { headers: { Cookie: admin.cookie } });
  assert.match(none.text, /Không tìm thấy người dùng nào/);
});

test('mail settings are saved from /admin/settings, the password is never shown back, a test message arrives', async () => {
  const save = await postAdmin('/admin/settings/mail', {
    smtp_host: '127.0.0.1', smtp_port: String(smtp.port), smtp_security: 'none', smtp_username: '',
    smtp_password: 'bi-mat-smtp-9876', smtp_from_address: 'cong-du-lieu@example.gov.vn', smtp_from_name: 'Cổng dữ liệu thử',
  });
  assert.equal(save.status, 303, save.text.slice(0, 300));
  const page = await call(srv, 'GET', '/admin/settings', { headers: { Cookie: admin.cookie } });
  assert.doesNotMatch(page.text, /bi-mat-smtp-9876/);
  assert.match(page.text, /cong-du-lieu@example\.gov\.vn/);
  const bad = await postAdmin('/admin/settings/mail', { smtp_host: 'x\r\ny', smtp_port: '0', smtp_from_address: 'sai' });
  assert.equal(bad.status, 400);
  assert.equal((await postAdmin('/admin/settings/mail/test', {})).status, 303);
  // The message goes to the signed-in sysadmin's own address.
  const me = await call(srv, 'GET', '/api/v1/me', { session: admin });
  const email = me.json.email;
  assert.ok(email, me.text);
  const [mail] = await waitMail(smtp, email);
  assert.match(mail.headers.from, /<cong-du-lieu@example\.gov\.vn>/);
});

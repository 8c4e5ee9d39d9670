// Following a dataset or an agency by e-mail (issue 18): double opt-in, news of updates and of
// new datasets, one-click unsubscribing, the same answer for every address, and the limits. Mail
// goes through a real SMTP server (Debian's python3-aiosmtpd) that this test starts. Runs on
// SQLite, and on PostgreSQL when ODP_TEST_PG is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg } from './harness.mjs';
import { startSmtp, waitMail, mailsTo, decodeWords } from './smtp.mjs';

const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
let srv, smtp, root, dataset;

const follow = (kind, key, email, prefix = '') => call(srv, 'POST', `${prefix}/theo-doi`, {
  body: new URLSearchParams({ kind, key, email }), headers: formHeaders,
});

// The link to `path` in a mail body (the Vietnamese one: the first).
function linkIn(body, path) {
  const m = body.match(new RegExp(`https?://[^\\s]+?${path}\\?token=([A-Za-z0-9_-]+)`));
  assert.ok(m, `no ${path} link in:\n${body}`);
  return { url: m[0], path: new URL(m[0]).pathname + new URL(m[0]).search, token: m[1] };
}

async function confirm(email, nth = 1) {
  const [mail] = (await waitMail(smtp, email, nth)).slice(nth - 1);
  const link = linkIn(mail.body, '/theo-doi/xac-nhan');
  const r = await call(srv, 'POST', '/theo-doi/xac-nhan', { body: new URLSearchParams({ token: link.token }), headers: formHeaders });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /id="follow-confirmed"/);
  return link;
}

async function update(id, text) {
  const r = await call(srv, 'PATCH', `/api/v1/datasets/${id}`, { token: root, body: { description_vi: text } });
  assert.equal(r.status, 200, r.text.slice(0, 300));
}

async function publishNew(slug, title) {
  const d = await call(srv, 'POST', '/api/v1/datasets', { token: root, body: { slug, title_vi: title, organization: 'so-theo-doi', access: 'public' } });
  assert.equal(d.status, 201, d.text.slice(0, 300));
  const p = await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/publish`, { token: root, body: {} });
  assert.equal(p.status, 200, p.text.slice(0, 300));
  return d.json;
}

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    env: {
      ODP_SMTP_HOST: '127.0.0.1', ODP_SMTP_PORT: String(smtp.port),
      ODP_SMTP_FROM: 'khongtraloi@example.gov.vn', ODP_SMTP_FROM_NAME: 'Cổng dữ liệu mở',
      ODP_FOLLOW_SCAN_SECONDS: '1',
    },
  });
  root = addUser(srv, 'goc', { sysadmin: true });
  await makeOrg(srv, root, 'so-theo-doi', 'Sở Theo Dõi');
  dataset = await publishNew('bo-theo-doi', 'Giá lúa theo tuần');
});

after(async () => {
  await srv?.stop();
  smtp?.stop();
});

test('follow, confirm, get news of updates with a one-click unsubscribe, unsubscribe, get no more', async () => {
  // A follower who confirmed first: its mail shows that a scan ran.
  assert.equal((await follow('dataset', 'bo-theo-doi', 'binh@example.vn')).status, 200);
  await confirm('binh@example.vn');

  const asked = await follow('dataset', 'bo-theo-doi', 'An@Example.vn');
  assert.equal(asked.status, 200);
  assert.match(asked.text, /id="follow-sent"/);
  const [first] = await waitMail(smtp, 'an@example.vn');
  assert.match(decodeWords(first.headers.subject), /^Xác nhận theo dõi: Giá lúa theo tuần \/ Confirm following: /);
  assert.ok(first.body.indexOf('Xin chào') < first.body.indexOf('Hello'));
  assert.match(first.body, /\/en\/theo-doi\/xac-nhan\?token=/);
  assert.equal(first.headers['list-unsubscribe'], undefined);
  const link = linkIn(first.body, '/theo-doi/xac-nhan');

  // Nothing but the confirmation before confirming: an update reaches the other follower only.
  await update(dataset.id, 'Cập nhật tuần 1.');
  await waitMail(smtp, 'binh@example.vn', 2);
  assert.equal(mailsTo(smtp, 'an@example.vn').length, 1);

  // Opening the link shows a button and confirms nothing; the button confirms, once.
  const page = await call(srv, 'GET', link.path);
  assert.equal(page.status, 200);
  assert.match(page.text, /action="\/theo-doi\/xac-nhan"/);
  const done = await call(srv, 'POST', '/theo-doi/xac-nhan', { body: new URLSearchParams({ token: link.token }), headers: formHeaders });
  assert.equal(done.status, 200);
  assert.match(done.text, /id="follow-confirmed"/);
  const again = await call(srv, 'POST', '/theo-doi/xac-nhan', { body: new URLSearchParams({ token: link.token }), headers: formHeaders });
  assert.equal(again.status, 410);

  await update(dataset.id, 'Cập nhật tuần 2.');
  const [, news] = await waitMail(smtp, 'an@example.vn', 2);
  assert.match(decodeWords(news.headers.subject), /^Bộ dữ liệu vừa cập nhật: Giá lúa theo tuần \/ Dataset updated: /);
  assert.match(news.body, new RegExp(`${srv.url}/datasets/bo-theo-doi`));
  const unsub = linkIn(news.body, '/theo-doi/huy');
  assert.equal(news.headers['list-unsubscribe'], `<${unsub.url}>`);
  assert.equal(news.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');

  // The unsubscribe page shows a button; a mail client's one-click POST ends the follow.
  const form = await call(srv, 'GET', unsub.path);
  assert.equal(form.status, 200);
  assert.match(form.text, /action="\/theo-doi\/huy"/);
  const gone = await call(srv, 'POST', unsub.path, { body: 'List-Unsubscribe=One-Click', headers: formHeaders });
  assert.equal(gone.status, 200);
  assert.match(gone.text, /id="follow-unsubscribed"/);
  assert.equal((await call(srv, 'GET', unsub.path)).status, 410);

  // The next update reaches the other follower, and not the one who left.
  const before = mailsTo(smtp, 'binh@example.vn').length;
  await update(dataset.id, 'Cập nhật tuần 3.');
  await waitMail(smtp, 'binh@example.vn', before + 1);
  assert.equal(mailsTo(smtp, 'an@example.vn').length, 2);
});

test('an agency follower hears of its new public datasets, in the language it asked in', async () => {
  assert.equal((await follow('organization', 'so-theo-doi', 'chi@example.vn', '/en')).status, 200);
  await confirm('chi@example.vn');
  await publishNew('bo-moi-cua-so', 'Sản lượng thủy sản');
  const [, news] = await waitMail(smtp, 'chi@example.vn', 2);
  assert.match(decodeWords(news.headers.subject), /^Bộ dữ liệu mới của Sở Theo Dõi \/ New datasets from /);
  assert.match(news.body, /- Sản lượng thủy sản\r?\n {2}http:\/\/\S+\/datasets\/bo-moi-cua-so/);
  assert.match(news.body, /\/en\/datasets\/bo-moi-cua-so/);
  // Asked from the English page: the one-click link is the English page's.
  assert.match(news.headers['list-unsubscribe'], /^<http:\/\/\S+\/en\/theo-doi\/huy\?token=/);
});

test('the answer is the same for every address; a bad address is 400; limits per address and per client', async () => {
  // Restricted or unknown targets cannot be followed (the same 404 as a missing one).
  const hidden = await call(srv, 'POST', '/api/v1/datasets', { token: root, body: { slug: 'bo-noi-bo', title_vi: 'Nội bộ', organization: 'so-theo-doi', access: 'internal' } });
  await call(srv, 'POST', `/api/v1/datasets/${hidden.json.id}/publish`, { token: root, body: {} });
  assert.equal((await follow('dataset', 'bo-noi-bo', 'x@example.vn')).status, 404);
  assert.equal((await follow('dataset', 'khong-co', 'x@example.vn')).status, 404);
  assert.equal((await follow('dataset', 'bo-theo-doi', 'khong-phai-thu')).status, 400);

  // Following already (binh), new, and again: one answer.
  const known = await follow('dataset', 'bo-theo-doi', 'binh@example.vn');
  const fresh = await follow('dataset', 'bo-theo-doi', 'dung@example.vn');
  assert.equal(known.status, fresh.status);
  assert.equal(known.text, fresh.text);

  // One address: at most five requests a day lead to a mail.
  for (let i = 0; i < 7; i++) assert.equal((await follow('dataset', 'bo-theo-doi', 'em@example.vn')).status, 200);
  await waitMail(smtp, 'em@example.vn', 5);
  await waitMail(smtp, 'dung@example.vn', 1);
  assert.equal(mailsTo(smtp, 'em@example.vn').length, 5);

  // One client: twenty requests an hour, then 429 (which names no address).
  let refused = null;
  for (let i = 0; i < 25 && !refused; i++) {
    const r = await follow('dataset', 'bo-theo-doi', `khach${i}@example.vn`);
    if (r.status === 429) refused = r;
    else assert.equal(r.status, 200);
  }
  assert.ok(refused, 'no 429 after 25 more requests');
  assert.match(refused.text, /quá nhiều yêu cầu theo dõi/);
});

// The sharing flow wired end to end (issue 17), on the real server with a real SMTP server
// (Debian's python3-aiosmtpd, tests/integration/smtp.mjs), on SQLite or on PostgreSQL
// (ODP_TEST_PG): a request mails the provider's admins; approving it narrower makes exactly one
// grant with the approved terms (a retried approval makes none) and mails the consumer's
// contacts; the consumer's key reads only the granted rows and columns, masked; its daily quota
// is announced at 80 % and then refused with 429; revoking the grant shows on the request and
// the table is gone for the key; every step is in the audit log, whose chain verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, fileForm, loadEnded, odp } from './harness.mjs';
import { startSmtp, waitMail, mailsTo, decodeWords } from './smtp.mjs';

const PROVIDER = 'so-tai-nguyen-moi-truong';
const REQUESTER = 'so-tu-phap';
const CSV = 'Họ tên,Số CCCD,Huyện,Năm\n' +
  'Nguyễn Văn An,001090000123,Ba Vì,2021\nTrần Thị Bình,001190000456,Sơn Tây,2022\n' +
  'Nguyễn Thị Cúc,001190000789,Ba Vì,2023\nLê Văn Dũng,001090000321,Ba Vì,2024\n';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const CONTACT = 'lien.le@stp.gov.vn';
const TECHNICAL = 'kythuat@stp.gov.vn';
const REQUEST_CONTACT = 'ha.pham@stp.gov.vn';

let srv, smtp, root, padmin, rmember, radmin, service, consumer, apiKey;

const keyed = () => ({ headers: { 'X-API-Key': apiKey } });

function requestForm() {
  const fd = new FormData();
  const fields = {
    service_id: service.id, consumer_id: consumer, columns: 'ho_ten,so_cccd,huyen,nam', row_filter: 'huyen=Ba Vì',
    purpose: 'Xác minh hồ sơ hộ tịch', legal_document_number: '123/STP-HCTP', legal_document_date: '2026-11-20',
    period_from: '2026-01-01', period_to: '2030-12-31', expected_requests_per_day: '50', expected_rows_per_day: '500',
    personal_data: 'true', personal_data_basis: 'Điều 19 Luật Bảo vệ dữ liệu cá nhân',
    contact_name: 'Phạm Thu Hà', contact_email: REQUEST_CONTACT, contact_phone: '0243 123 456',
  };
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([PDF], { type: 'application/pdf' }), 'cong-van.pdf');
  return fd;
}

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    env: {
      ODP_SMTP_HOST: '127.0.0.1', ODP_SMTP_PORT: String(smtp.port),
      ODP_SMTP_FROM: 'khongtraloi@example.gov.vn', ODP_SMTP_FROM_NAME: 'Cổng dữ liệu mở',
    },
  });
  root = addUser(srv, 'donvidulieu', { sysadmin: true });
  await makeOrg(srv, root, PROVIDER, 'Sở Tài nguyên và Môi trường');
  await makeOrg(srv, root, REQUESTER, 'Sở Tư pháp');
  padmin = addUser(srv, 'quantri-tnmt', { org: PROVIDER, role: 'admin' });
  radmin = addUser(srv, 'quantri-tp', { org: REQUESTER, role: 'admin' });
  rmember = addUser(srv, 'canbo-tp', { org: REQUESTER, role: 'member' });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: padmin, body: { title_vi: 'Hộ sử dụng đất', organization: PROVIDER, access: 'shared' },
  });
  assert.equal(d.status, 201, d.text);
  const published = await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/publish`, { token: root, body: {} });
  assert.ok(published.status >= 200 && published.status < 300, published.text);
  const r = await call(srv, 'POST', `/api/v1/datasets/${d.json.id}/resources`, {
    token: padmin, body: fileForm(CSV, 'ho.csv', { name: 'Danh sách hộ' }),
  });
  assert.equal(r.status, 201, r.text);
  const loaded = await loadEnded(srv, r.json.id, padmin, (s) => s.job.state === 'done' && s.table);
  // The personal-data review holds the table until each flagged column is decided: the provider
  // masks the citizen ID numbers (a keyed hash) and declares anything else flagged not personal.
  for (const f of loaded.table.personal_data) {
    const body = f.column === 'so_cccd' ? { column: f.column, decision: 'mask', mask: 'hash' }
      : { column: f.column, decision: 'not_personal', reason: 'Không phải dữ liệu cá nhân trong bảng thử nghiệm' };
    const reviewed = await call(srv, 'POST', `/api/v1/resources/${r.json.id}/datastore/personal-data`, { token: padmin, body });
    assert.ok(reviewed.status >= 200 && reviewed.status < 300, reviewed.text);
  }
  await loadEnded(srv, r.json.id, padmin,
    (s) => s.job.state === 'done' && s.table && s.table.personal_data.every((f) => !f.unresolved));
  const offered = await call(srv, 'POST', '/api/v1/sharing/services', {
    token: padmin,
    body: {
      resource_id: r.json.id, title_vi: 'Tra cứu hộ sử dụng đất', title_en: 'Land users lookup',
      legal_basis: 'Nghị định 47/2020/NĐ-CP', personal_data: true,
    },
  });
  assert.equal(offered.status, 201, offered.text);
  service = offered.json;
  const c = await call(srv, 'POST', '/api/v1/consumers', {
    token: radmin,
    body: {
      organization: REQUESTER, agency_code: '000.00.15.H41', system_code: 'ho-tich', name: 'Hệ thống hộ tịch',
      contacts: [{ name: 'Lê Thị Liên', email: CONTACT }],
      technical_contact: { name: 'Kỹ thuật viên', email: TECHNICAL },
    },
  });
  assert.equal(c.status, 201, c.text);
  consumer = c.json.id;
  assert.equal((await call(srv, 'POST', `/api/v1/consumers/${consumer}/approve`, { token: root, body: {} })).status, 200);
  const key = await call(srv, 'POST', `/api/v1/consumers/${consumer}/credentials`, { token: radmin, body: { kind: 'api_key' } });
  assert.equal(key.status, 201, key.text);
  apiKey = key.json.api_key;
});

after(async () => {
  await srv?.stop();
  smtp?.stop();
});

test('request → mail to the provider; approve narrower → one grant, mail to the consumer; reads, quota, revocation, audit', async () => {
  // Before any grant the shared table does not exist for the key.
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${service.resource_id}/rows`, keyed())).status, 404);

  const sent = await call(srv, 'POST', '/api/v1/sharing/requests', { token: rmember, body: requestForm() });
  assert.equal(sent.status, 201, sent.text);
  const id = sent.json.id;
  assert.equal(sent.json.grant, null);

  // The provider's admin gets the notice by mail, Vietnamese first, English second, with links.
  const [toProvider] = await waitMail(smtp, 'quantri-tnmt@example.gov.vn');
  assert.match(decodeWords(toProvider.headers.subject), /^Yêu cầu chia sẻ dữ liệu mới: Tra cứu hộ sử dụng đất .* \/ New data sharing request: Land users lookup/);
  assert.ok(toProvider.body.indexOf('Xem chi tiết') < toProvider.body.indexOf('Details'), toProvider.body);
  assert.ok(toProvider.body.includes(`${srv.url}/chia-se/yeu-cau/${id}`), toProvider.body);
  assert.ok(toProvider.body.includes(`${srv.url}/en/chia-se/yeu-cau/${id}`), toProvider.body);
  assert.equal(mailsTo(smtp, CONTACT).length, 0, 'the consumer hears only of the decision');

  // Approve narrower: no CCCD column, only Nguyễn rows, the year hidden as drop, 3 calls a day.
  const approve = () => call(srv, 'POST', `/api/v1/sharing/requests/${id}/approve`, {
    token: padmin,
    body: {
      columns: ['ho_ten', 'huyen', 'nam'], row_filter: 'ho_ten[startswith]=Nguyễn', masks: { nam: 'drop' },
      valid_to: '2029-12-31', quota_requests_per_day: 3, note: 'Cấp ba cột',
    },
  });
  // A filter value its column cannot hold is refused, naming both; nothing is decided.
  const badType = await call(srv, 'POST', `/api/v1/sharing/requests/${id}/approve`, {
    token: padmin, body: { columns: ['ho_ten', 'huyen', 'nam'], row_filter: 'nam[gte]=hai nghìn' },
  });
  assert.equal(badType.status, 400, badType.text);
  assert.match(badType.text, /Cột nam chứa giá trị kiểu số nguyên; \\"hai nghìn\\"/);
  assert.match(badType.text, /column nam holds integer values/);
  const approved = await approve();
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.state, 'approved');
  assert.equal(approved.json.grant.state, 'active');
  const again = await approve();
  assert.equal(again.status, 409, again.text);

  const grants = await call(srv, 'GET', `/api/v1/grants?consumer_id=${consumer}`, { token: padmin });
  assert.equal(grants.status, 200, grants.text);
  assert.equal(grants.json.grants.length, 1, 'exactly one grant');
  const g = grants.json.grants[0];
  assert.equal(g.id, approved.json.grant.id);
  assert.equal(g.request_id, id);
  assert.equal(g.service_id, service.id);
  assert.deepEqual(g.columns, ['ho_ten', 'huyen', 'nam']);
  assert.equal(g.row_filter, 'huyen=Ba Vì&ho_ten[startswith]=Nguyễn');
  assert.deepEqual(g.masks, { nam: { kind: 'drop' } });
  assert.equal(g.valid_from, '2025-12-31T17:00:00Z');
  assert.equal(g.valid_to, '2029-12-31T17:00:00Z');
  assert.equal(g.requests_per_day, 3);
  assert.equal(g.effect, 'in_effect');

  // The decision reaches the requester, the system's contacts and the request's contact.
  for (const address of ['canbo-tp@example.gov.vn', CONTACT, TECHNICAL, REQUEST_CONTACT]) {
    const [m] = await waitMail(smtp, address);
    assert.match(decodeWords(m.headers.subject), /phê duyệt.* \/ .*approved/, address);
  }

  // The key reads only the granted rows and columns: Nguyễn in Ba Vì, without CCCD or year.
  const rows = await call(srv, 'GET', `/api/v1/resources/${service.resource_id}/rows`, keyed());
  assert.equal(rows.status, 200, rows.text);
  assert.deepEqual(rows.json.rows.map((row) => row.ho_ten), ['Nguyễn Văn An', 'Nguyễn Thị Cúc']);
  for (const row of rows.json.rows) {
    assert.deepEqual(Object.keys(row).filter((k) => k !== '_id').sort(), ['ho_ten', 'huyen']);
  }
  assert.ok(!rows.text.includes('001090000123'));
  assert.match(rows.headers.get('ratelimit-policy') || '', /"day";q=3/);

  // Three calls a day: the second and third use it up (80 % reached: a notice by mail), the
  // fourth is refused.
  for (let i = 0; i < 2; ++i) {
    assert.equal((await call(srv, 'GET', `/api/v1/resources/${service.resource_id}/rows`, keyed())).status, 200);
  }
  const refused = await call(srv, 'GET', `/api/v1/resources/${service.resource_id}/rows`, keyed());
  assert.equal(refused.status, 429, refused.text);
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  const quotaMail = await waitMail(smtp, CONTACT, 2);
  assert.ok(quotaMail.some((m) => /80% hạn mức/.test(decodeWords(m.headers.subject))), 'quota notice');
  assert.equal(quotaMail.filter((m) => /80% hạn mức/.test(decodeWords(m.headers.subject))).length, 1, 'once a day');

  // Both agencies see the calls. Usage records are written by a batching writer (every 50 ms
  // when idle, later on a loaded machine), so ask again until they are there or 5 s have passed.
  const usage = async (query, token) => {
    let got;
    for (const end = Date.now() + 5000; ; await new Promise((r) => setTimeout(r, 100))) {
      got = await call(srv, 'GET', `/api/v1/usage/daily?${query}`, { token });
      if (got.status !== 200 || got.json.calls >= 3 || Date.now() > end) return got;
    }
  };
  const providerUse = await usage(`organization=${PROVIDER}`, padmin);
  const consumerUse = await usage(`consumer=${consumer}`, radmin);
  assert.ok(providerUse.json.calls >= 3, providerUse.text);
  assert.ok(consumerUse.json.calls >= 3, consumerUse.text);

  // Revocation: the request shows it, the key no longer finds the table.
  const revoked = await call(srv, 'POST', `/api/v1/grants/${g.id}/revoke`, { token: padmin, body: { reason: 'Hết nhu cầu' } });
  assert.equal(revoked.status, 200, revoked.text);
  const after = await call(srv, 'GET', `/api/v1/sharing/requests/${id}`, { token: rmember });
  assert.equal(after.json.grant.state, 'revoked');
  assert.equal(after.json.grant.reason, 'Hết nhu cầu');
  const page = await call(srv, 'GET', `/chia-se/yeu-cau/${id}`, { token: rmember });
  assert.match(page.text, /id="request-grant" data-state="revoked"/);
  assert.match(page.text, /Đã thu hồi<\/strong> — Hết nhu cầu/);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${service.resource_id}/rows`, keyed())).status, 404);

  // The audit log holds every administrative step, and its chain verifies (verifying writes
  // what is queued first).
  const verify = await call(srv, 'GET', '/api/v1/audit/verify', { token: root });
  assert.equal(verify.json.ok, true, verify.text);
  const events = async (kind) => (await call(srv, 'GET', `/api/v1/audit/events?kind=${kind}&limit=200`, { token: root })).json.events;
  const sharing = await events('sharing.');
  const kinds = sharing.map((e) => e.kind);
  for (const k of ['sharing.service_offered', 'sharing.request_submitted', 'sharing.request_approved']) {
    assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  }
  const submitted = sharing.find((e) => e.kind === 'sharing.request_submitted');
  assert.equal(submitted.subject, id);
  assert.match(submitted.actor, /^user:/);
  const grantEvents = (await events('grant.')).filter((e) => e.subject === g.id);
  assert.deepEqual(grantEvents.map((e) => e.kind).sort(), ['grant.created', 'grant.revoked']);
  const created = grantEvents.find((e) => e.kind === 'grant.created');
  assert.equal(created.details.request_id, id);
  assert.deepEqual(created.details.columns, ['ho_ten', 'huyen', 'nam']);
  assert.ok((await events('consumer.credential_issued')).some((e) => e.subject === consumer));
  const cli = odp(['audit', 'verify', '--data', srv.dir]);
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /^OK: \d+ records/);
});

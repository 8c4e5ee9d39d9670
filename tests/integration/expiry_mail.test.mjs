// Expiry notices end to end (issue 17): a consumer system's API key ending within seven days →
// the hourly "sharing.expiry" job, run now with `odp jobs run` (jobs/jobs.h's RunScheduleNow,
// claimed by the running server) → one e-mail at the SMTP server the test starts, and none more
// on the next run. On SQLite, or on PostgreSQL with ODP_TEST_PG.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, odp } from './harness.mjs';
import { startSmtp, until, mailsTo, decodeWords } from './smtp.mjs';

const ORG = 'so-noi-vu';
const TECHNICAL = 'kythuat@snv.gov.vn';
let srv, smtp, root, admin, system;

before(async () => {
  smtp = await startSmtp();
  srv = await startServer({
    env: { ODP_SMTP_HOST: '127.0.0.1', ODP_SMTP_PORT: String(smtp.port), ODP_SMTP_FROM: 'khongtraloi@example.gov.vn' },
  });
  root = addUser(srv, 'donvidulieu', { sysadmin: true });
  await makeOrg(srv, root, ORG, 'Sở Nội vụ');
  admin = addUser(srv, 'quantri-snv', { org: ORG, role: 'admin' });
  const made = await call(srv, 'POST', '/api/v1/consumers', {
    token: admin,
    body: {
      organization: ORG, agency_code: '000.00.16.H41', system_code: 'can-bo', name: 'Hệ thống quản lý cán bộ',
      contacts: [], technical_contact: { name: 'Kỹ thuật viên', email: TECHNICAL },
    },
  });
  assert.equal(made.status, 201, made.text);
  system = made.json;
  assert.equal((await call(srv, 'POST', `/api/v1/consumers/${system.id}/approve`, { token: root })).status, 200);
});

after(async () => {
  await srv?.stop();
  smtp?.stop();
});

// Runs the expiry job now on the server and waits until it has ended.
function runExpiryJob() {
  const r = odp(['jobs', 'run', 'sharing.expiry', '--data', srv.dir, '--wait', '30']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^[0-9a-f-]{36}\n$/);
}

const aboutKey = (lookup) => mailsTo(smtp, TECHNICAL).filter((m) => decodeWords(m.headers.subject || '').includes(lookup));

test('a key ending within seven days is announced once by mail, not again on the next run', async () => {
  const key = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
    token: admin, body: { kind: 'api_key', name: 'Máy chủ tích hợp', expires_in_days: 3 },
  });
  assert.equal(key.status, 201, key.text);
  const far = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
    token: admin, body: { kind: 'oauth_client', name: 'Còn lâu', expires_in_days: 90 },
  });
  assert.equal(far.status, 201, far.text);
  const lookup = key.json.prefix;
  assert.ok(lookup, key.text);

  runExpiryJob();
  const [mail] = await until('the expiry mail', () => { const m = aboutKey(lookup); return m.length ? m : null; });
  const subject = decodeWords(mail.headers.subject);
  assert.match(subject, /Khoá API “Máy chủ tích hợp”/);
  assert.match(subject, /The API key “Máy chủ tích hợp”/);
  assert.ok(subject.includes(lookup), subject);
  assert.equal(aboutKey(lookup).length, 1);

  // The next run sends nothing about it. To know the run's mail would have arrived, a second
  // key ending soon is announced by that same run, and waited for.
  const second = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
    token: admin, body: { kind: 'oauth_client', name: 'Ứng dụng thử', expires_in_days: 1 },
  });
  assert.equal(second.status, 201, second.text);
  assert.equal((await call(srv, 'DELETE', `/api/v1/consumers/${system.id}/credentials/${far.json.id}`, { token: admin })).status, 204);
  runExpiryJob();
  await until('the second key\'s mail', () => aboutKey(second.json.client_id).length > 0);
  assert.equal(aboutKey(second.json.client_id).length, 1);
  assert.equal(aboutKey(lookup).length, 1, 'the first key is announced only once');
  assert.equal(aboutKey(far.json.client_id).length, 0, 'a key ending in 90 days is not announced');
});

test('a schedule that does not exist is refused', () => {
  const r = odp(['jobs', 'run', 'khong-co', '--data', srv.dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /job schedule/);
});

// Usage records and the tamper-evident log (issue 17; src/api/audit_api.h, src/audit/log.h), on
// the real server, on SQLite or on PostgreSQL (ODP_TEST_PG): consumer calls give records with
// their request id echoed; administrative events appear; the database is tampered with directly
// (sqlite3 / psql) and `odp audit verify` names the record; fail closed with a failing store;
// two servers on one PostgreSQL give one valid chain.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PG_BASE, startServer, call, addUser, makeOrg, odp, schemaOf, psql } from './harness.mjs';

const ORG = 'so-tai-nguyen-moi-truong';
const REGISTRATION = {
  organization: ORG,
  agency_code: '000.00.15.H41',
  system_code: 'dat-dai',
  name: 'Hệ thống thông tin đất đai',
  contacts: [],
  technical_contact: { name: 'Lê Văn Bình', email: 'binh@stnmt.gov.vn' },
};

// Runs SQL on a portal's database as an operator would: sqlite3 on DATA/odp.db, or psql in its
// schema.
function sql(dir, text) {
  if (PG_BASE) return psql(`SET search_path TO ${schemaOf(dir)}; ${text}`);
  const r = spawnSync('sqlite3', [path.join(dir, 'odp.db'), text], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout;
}

function sqlFails(dir, text) {
  try {
    sql(dir, text);
    return false;
  } catch {
    return true;
  }
}

const DROP_GUARDS = PG_BASE
  ? 'DROP TRIGGER audit_log_append_only ON audit_log; DROP TRIGGER audit_checkpoints_append_only ON audit_checkpoints;'
  : 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;';

const FAIL_INSERTS = PG_BASE
  ? "CREATE FUNCTION audit_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$; CREATE TRIGGER audit_test_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_test_fail();"
  : "CREATE TRIGGER audit_test_fail BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END;";
const HEAL_INSERTS = PG_BASE
  ? 'DROP TRIGGER audit_test_fail ON audit_log; DROP FUNCTION audit_test_fail();'
  : 'DROP TRIGGER audit_test_fail;';

async function poll(fn, what, { tries = 200, ms = 25 } = {}) {
  let last;
  for (let i = 0; i < tries; i++) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, ms));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// A sysadmin, an organization with an admin, a published public dataset of it and an approved
// consumer system (of the same organization) with an API key.
async function setUp(srv) {
  const root = addUser(srv, 'donvidulieu', { sysadmin: true });
  await makeOrg(srv, root, ORG, 'Sở Tài nguyên và Môi trường');
  const admin = addUser(srv, 'quantri', { org: ORG, role: 'admin' });
  const stranger = addUser(srv, 'nguoila');
  const ds = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Bảng giá đất', organization: ORG },
  });
  assert.equal(ds.status, 201, ds.text);
  const pub = await call(srv, 'POST', `/api/v1/datasets/${ds.json.id}/publish`, { token: root, body: {} });
  assert.equal(pub.status, 200, pub.text);
  const made = await call(srv, 'POST', '/api/v1/consumers', { token: admin, body: REGISTRATION });
  assert.equal(made.status, 201, made.text);
  const system = made.json;
  const ok = await call(srv, 'POST', `/api/v1/consumers/${system.id}/approve`, { token: root });
  assert.equal(ok.status, 200, ok.text);
  const issued = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
    token: admin, body: { kind: 'api_key' },
  });
  assert.equal(issued.status, 201, issued.text);
  return { root, admin, stranger, dataset: ds.json, system, key: issued.json.api_key };
}

describe('usage records and the audit log on one server', () => {
  let srv, w;

  before(async () => {
    // No timed checkpoint may land in the middle of the tampering below.
    srv = await startServer({ args: ['--audit-checkpoint-seconds', '3600'] });
    w = await setUp(srv);
  });
  after(async () => srv?.stop());

  test('a consumer call gets its request id back and one usage record naming provider, end user and purpose', async () => {
    const r = await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`, {
      headers: { 'X-API-Key': w.key, 'X-Request-Id': 'hs-2026-0042.a1', 'X-End-User': 'CCCD:001099000123', 'X-Purpose': 'HS 000.15.H41-261207-0001' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('x-request-id'), 'hs-2026-0042.a1');
    // Without one (or with an unusable one) the server makes one.
    const made = await call(srv, 'GET', '/api/3/action/package_show?id=' + w.dataset.id, {
      headers: { 'X-API-Key': w.key, 'X-Request-Id': 'has spaces / slash' },
    });
    assert.equal(made.status, 200, made.text);
    assert.match(made.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
    // Anonymous answers carry none (they may be cached for everyone).
    assert.equal((await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`)).headers.get('x-request-id'), null);

    const calls = await poll(async () => {
      const l = await call(srv, 'GET', '/api/v1/usage/calls', { token: w.root });
      assert.equal(l.status, 200, l.text);
      return l.json.calls.length >= 2 ? l.json.calls : null;
    }, 'two usage records');
    const rec = calls.find((c) => c.request_id === 'hs-2026-0042.a1');
    assert.ok(rec, JSON.stringify(calls));
    assert.equal(rec.consumer, w.system.id);
    assert.equal(rec.organization, ORG);
    assert.equal(rec.status, 200);
    assert.equal(rec.subject, `GET /api/v1/datasets/${w.dataset.id}`);
    assert.equal(rec.details.end_user, 'CCCD:001099000123');
    assert.equal(rec.details.purpose, 'HS 000.15.H41-261207-0001');
    assert.match(rec.details.params_sha256, /^[0-9a-f]{64}$/);
    assert.ok(rec.bytes > 0);
    const ckan = calls.find((c) => c.request_id === made.headers.get('x-request-id'));
    assert.equal(ckan.organization, ORG);
    assert.equal(ckan.subject, 'GET /api/3/action/package_show');
  });

  test('providers see the use of their data, consumers their own calls, strangers nothing', async () => {
    const provider = await call(srv, 'GET', `/api/v1/usage/calls?organization=${ORG}`, { token: w.admin });
    assert.equal(provider.status, 200, provider.text);
    assert.ok(provider.json.calls.length >= 2);
    const own = await call(srv, 'GET', '/api/v1/usage/calls', { headers: { 'X-API-Key': w.key } });
    assert.equal(own.status, 200, own.text);
    assert.ok(own.json.calls.every((c) => c.consumer === w.system.id));
    assert.equal((await call(srv, 'GET', `/api/v1/usage/calls?organization=${ORG}`, { token: w.stranger })).status, 403);
    assert.equal((await call(srv, 'GET', '/api/v1/usage/calls', { token: w.stranger })).status, 403);
    assert.equal((await call(srv, 'GET', '/api/v1/usage/daily')).status, 401);

    const daily = await call(srv, 'GET', `/api/v1/usage/daily?organization=${ORG}`, { token: w.admin });
    assert.equal(daily.status, 200, daily.text);
    assert.equal(daily.json.days.length, 1);
    assert.ok(daily.json.calls >= 2);
    // The anonymised totals: public, per day and provider, no consumer and no end user.
    const csv = await call(srv, 'GET', '/api/v1/usage/daily.csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'day,organization,calls,errors,rows,bytes');
    // (Calls that name no dataset, such as the consumer's own look at its usage, have no provider.)
    assert.ok(lines.slice(1).some((l) => new RegExp(`^\\d{4}-\\d{2}-\\d{2},${ORG},\\d+,0,`).test(l)), csv.text);
    assert.ok(!csv.text.includes(w.system.id) && !csv.text.includes('CCCD'));
    // The page: a table and a chart by day for the provider.
    const page = await call(srv, 'GET', '/usage', { token: w.admin });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /id="usage-days" data-chart="line"/);
    assert.match(page.text, /hs-2026-0042\.a1/);
  });

  test('administrative events are in the log: consumer decisions, keys, sign-ins, publication', async () => {
    const bad = await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'quantri', password: 'sai-mat-khau' } });
    assert.equal(bad.status, 401);
    const kinds = await poll(async () => {
      const e = await call(srv, 'GET', '/api/v1/audit/events?limit=1000', { token: w.root });
      assert.equal(e.status, 200, e.text);
      const k = e.json.events.map((x) => x.kind);
      return k.includes('login.failed') ? k : null;
    }, 'the failed sign-in');
    for (const k of ['consumer.registered', 'consumer.approved', 'consumer.credential_issued', 'dataset.publish', 'account.created', 'membership.set', 'token.created']) {
      assert.ok(kinds.includes(k), `${k} in ${kinds}`);
    }
    const consumerOnly = await call(srv, 'GET', '/api/v1/audit/events?kind=consumer.', { token: w.root });
    assert.ok(consumerOnly.json.events.every((e) => e.kind.startsWith('consumer.')));
    assert.equal((await call(srv, 'GET', '/api/v1/audit/events', { token: w.admin })).status, 403);
  });

  test('the data unit verifies the chain from the API and the page; checkpoints are exported', async () => {
    const signed = await call(srv, 'POST', '/api/v1/audit/checkpoints', { token: w.root, body: {} });
    assert.equal(signed.status, 200, signed.text);
    assert.ok(signed.json.checkpoint.seq > 0);
    const v = await call(srv, 'GET', '/api/v1/audit/verify', { token: w.root });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.ok, true, v.text);
    assert.ok(v.json.checkpoints >= 1);
    const page = await call(srv, 'GET', '/admin/audit?verify=1', { token: w.root });
    assert.equal(page.status, 200);
    assert.match(page.text, /id="audit-result" data-ok="1"/);
    const lines = (await call(srv, 'GET', '/api/v1/audit/checkpoints')).text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].type, 'key');
    assert.ok(!('secret_key' in lines[0]));
    assert.ok(lines.some((l) => l.type === 'checkpoint' && l.seq === signed.json.checkpoint.seq));
  });

  test('tampering with the database directly is found by `odp audit verify`, naming the record', async () => {
    // The server keeps running (stopping it removes its directory); nothing appends meanwhile.
    const args = ['audit', 'verify', '--data', srv.dir];
    const good = odp(args);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /^OK: \d+ records/);
    // An outside copy of the checkpoints, taken now.
    const exported = odp(['audit', 'checkpoints', '--sign-now', '--data', srv.dir]);
    assert.equal(exported.status, 0, exported.stderr);
    const file = path.join(srv.dir, 'kept-elsewhere.jsonl');
    writeFileSync(file, exported.stdout);
    assert.equal(odp([...args, '--checkpoints', file]).status, 0);

    // The log refuses updates and deletes until its guards are dropped.
    assert.ok(sqlFails(srv.dir, "UPDATE audit_log SET body = '{}' WHERE seq = 3"));
    assert.ok(sqlFails(srv.dir, 'DELETE FROM audit_log WHERE seq = 3'));
    sql(srv.dir, DROP_GUARDS);
    sql(srv.dir, 'CREATE TABLE audit_backup AS SELECT * FROM audit_log; CREATE TABLE checkpoint_backup AS SELECT * FROM audit_checkpoints;');
    const restore = 'DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup; DELETE FROM audit_checkpoints; INSERT INTO audit_checkpoints SELECT * FROM checkpoint_backup;';
    const K = 4;
    const cols = 'seq, at, kind, actor, organization, subject, request_id, status, rows_answered, bytes, duration_us, body, prev_hash, hash';
    const tampers = {
      edit: `UPDATE audit_log SET body = '{"forged":true}' WHERE seq = ${K}`,
      delete: `DELETE FROM audit_log WHERE seq = ${K}`,
      insert: `UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= ${K}; UPDATE audit_log SET seq = seq - 999999 WHERE seq >= 1000000; ` +
        `INSERT INTO audit_log (${cols}) SELECT ${K}, at, 'consumer.approved', actor, organization, subject, request_id, status, rows_answered, bytes, duration_us, '{}', hash, hash FROM audit_log WHERE seq = ${K - 1}`,
      reorder: `UPDATE audit_log SET seq = -1 WHERE seq = ${K}; UPDATE audit_log SET seq = ${K} WHERE seq = ${K + 1}; UPDATE audit_log SET seq = ${K + 1} WHERE seq = -1`,
      'forged checkpoint': `INSERT INTO audit_checkpoints (seq, hash, at, kid, signature) SELECT ${K}, hash, at, (SELECT kid FROM audit_keys LIMIT 1), 'AAAA' FROM audit_log WHERE seq = ${K}`,
    };
    for (const [name, change] of Object.entries(tampers)) {
      sql(srv.dir, change);
      const r = odp(args);
      assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^BAD record ${K}: `), `${name}: ${r.stdout}`);
      sql(srv.dir, restore);
      assert.equal(odp(args).status, 0, `restored after ${name}`);
    }
    // A rewrite that keeps the chain consistent is caught by the checkpoint kept elsewhere, even
    // when the database's own checkpoints are removed with it.
    sql(srv.dir, `DELETE FROM audit_log WHERE seq >= ${K}; DELETE FROM audit_checkpoints; UPDATE audit_head SET seq = ${K - 1}`);
    assert.equal(odp(args).status, 0, 'the shortened chain is consistent in itself');
    const outside = odp([...args, '--checkpoints', file]);
    assert.equal(outside.status, 1, outside.stdout);
    assert.match(outside.stdout, /BAD record \d+: .*missing/);
  });
});

describe('fail closed', () => {
  let srv, w;

  before(async () => {
    srv = await startServer({ args: ['--audit-fail-closed'] });
    w = await setUp(srv);
  });
  after(async () => srv?.stop());

  test('a consumer call is refused with 503 while its record cannot be written, and served again after', async () => {
    const asConsumer = { headers: { 'X-API-Key': w.key } };
    assert.equal((await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`, asConsumer)).status, 200);
    sql(srv.dir, FAIL_INSERTS);
    const refused = await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`, asConsumer);
    assert.equal(refused.status, 503, refused.text);
    assert.ok(refused.headers.get('x-request-id'));
    // Calls that need no record are served.
    assert.equal((await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`)).status, 200);
    // Still refused before any work while the log is failing.
    assert.equal((await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`, asConsumer)).status, 503);
    sql(srv.dir, HEAL_INSERTS);
    await poll(async () => (await call(srv, 'GET', `/api/v1/datasets/${w.dataset.id}`, asConsumer)).status === 200,
      'the log to be writable again', { tries: 100, ms: 50 });
    const events = await call(srv, 'GET', '/api/v1/audit/events?kind=audit.outage', { token: w.root });
    assert.equal(events.json.events.length, 1, events.text);
    assert.match(events.json.events[0].details.error, /disk full/);
    const v = await call(srv, 'GET', '/api/v1/audit/verify', { token: w.root });
    assert.equal(v.json.ok, true, v.text);
  });
});

test('two servers on one PostgreSQL append to one valid chain', { skip: !PG_BASE && 'needs ODP_TEST_PG' }, async () => {
  const first = await startServer();
  const w = await setUp(first);
  const second = await startServer({ shared: first.dir });
  try {
    const asConsumer = { headers: { 'X-API-Key': w.key } };
    const calls = [];
    for (let i = 0; i < 40; i++) {
      calls.push(call(i % 2 ? second : first, 'GET', `/api/v1/datasets/${w.dataset.id}`, {
        headers: { ...asConsumer.headers, 'X-Request-Id': `song-song-${i}` },
      }));
    }
    for (const r of await Promise.all(calls)) assert.equal(r.status, 200, r.text);
    await poll(async () => {
      const l = await call(first, 'GET', '/api/v1/usage/calls?limit=1000', { token: w.root });
      return l.json.calls.filter((c) => c.request_id.startsWith('song-song-')).length === 40;
    }, 'forty records');
    assert.equal((await call(second, 'POST', '/api/v1/audit/checkpoints', { token: w.root, body: {} })).status, 200);
    const v = await call(first, 'GET', '/api/v1/audit/verify', { token: w.root });
    assert.equal(v.json.ok, true, v.text);
  } finally {
    await second.stop();
    await first.stop();
  }
});

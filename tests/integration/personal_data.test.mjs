// Personal data (issue 17): a loaded table's columns are checked for personal data; the findings
// (masked examples) are in the table's status; a dataset holding a flagged, unreviewed column
// cannot be published as open data, and a published dataset's new flagged table is served to
// its editors only; a reviewer marks a column not personal (with a reason) or masks it, and
// then the masked values — never the raw ones — come out of every read path: REST rows,
// aggregates, exports, CKAN datastore_search, the dump, datastore_search_sql, older versions;
// the original file stays with the editors. Runs on SQLite, and on PostgreSQL under ODP_TEST_PG.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, fileForm, loadEnded, login, odp } from './harness.mjs';

let srv;
let root;
let admin; // publisher: admin of the organization
let editor;
let dataset;
let resource;

const HEADER = 'Họ và tên,Số CCCD,Số điện thoại,Ngày sinh,Đường dây nóng,Xã,Số con';
const PEOPLE = [
  ['Nguyễn Văn An', '001085012345', '0912 345 678', '15/03/1985', '1900 1234', 'Phú Đa', '2'],
  ['Trần Thị Bình', '046190123456', '0386123456', '02/11/1990', '1900 1234', 'Phú Đa', '1'],
  ['Lê Hoàng Long', '079301000123', '+84 977 111 222', '21/07/2001', '1900 1234', 'Vinh Hà', '0'],
  ['Phạm Thu Hà', '001085012345', '0905 888 999', '09/09/1985', '1900 1234', 'Vinh Hà', '3'],
];
const V2 = [['Võ Minh Tâm', '048095001122', '0935 000 111', '01/01/1995', '1900 1234', 'Phú Đa', '1']];
const csv = (rows) => [HEADER, ...rows.map((r) => r.join(','))].join('\n') + '\n';
// Every raw value of a personal column, in the forms a reader could see them.
const RAW = [...PEOPLE, ...V2].flatMap((r) => [r[0], r[1], r[2], r[2].replace(/\D/g, ''), r[3]]);

function assertNoRaw(text, where) {
  for (const raw of RAW) assert.ok(!text.includes(raw), `${where} leaks ${raw}: ${text.slice(0, 400)}`);
}

before(async () => {
  srv = await startServer();
  root = addUser(srv, 'goc', { sysadmin: true });
  await makeOrg(srv, root, 'ubnd-phu-vang', 'UBND huyện Phú Vang');
  admin = addUser(srv, 'quantri', { org: 'ubnd-phu-vang', role: 'admin' });
  editor = addUser(srv, 'bientap', { org: 'ubnd-phu-vang', role: 'editor' });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: admin, body: { title_vi: 'Danh sách hộ nghèo', organization: 'ubnd-phu-vang', access: 'public' },
  });
  assert.equal(d.status, 201, d.text);
  dataset = d.json;
  const up = await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/resources`, {
    token: admin, body: fileForm(csv(PEOPLE), 'ho-ngheo.csv', { name: 'Hộ nghèo' }),
  });
  assert.equal(up.status, 201, up.text);
  resource = up.json;
});
after(async () => { await srv.stop(); });

const byColumn = (st) => Object.fromEntries(st.table.personal_data.map((f) => [f.column, f]));

test('the load reports each personal column with its kind, share and masked examples', async () => {
  const st = await loadEnded(srv, resource.id, admin, (s) => s.table);
  const found = byColumn(st);
  assert.deepEqual(Object.keys(found).sort(), ['ho_va_ten', 'ngay_sinh', 'so_cccd', 'so_dien_thoai']);
  assert.equal(found.so_cccd.kind, 'citizen_id');
  assert.equal(found.so_cccd.kind_label_vi, 'Số căn cước công dân');
  assert.equal(found.so_cccd.share, 1);
  assert.equal(found.so_cccd.sampled, 4);
  assert.deepEqual(found.so_cccd.examples, ['0010***345', '0461***456', '0793***123']);
  assert.equal(found.so_dien_thoai.kind, 'phone');
  assert.equal(found.ho_va_ten.kind, 'person_name');
  assert.equal(found.ngay_sinh.kind, 'birth_date');
  for (const f of Object.values(found)) {
    assert.equal(f.unresolved, true);
    assert.equal(f.review, null);
  }
  assertNoRaw(JSON.stringify(st.table.personal_data), 'the findings');
});

test('publication as open data is refused, naming the columns, in Vietnamese first', async () => {
  const r = await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/publish`, { token: admin, body: {} });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.error.message_vi, /dữ liệu cá nhân chưa được xem xét/);
  for (const label of ['Họ và tên', 'Số CCCD', 'Số điện thoại', 'Ngày sinh']) {
    assert.ok(r.json.error.message_vi.includes(`«${label}»`), r.json.error.message_vi);
    assert.ok(r.json.error.message.includes(`«${label}»`), r.json.error.message);
  }
  assert.match(r.json.error.message_vi, /Số căn cước công dân/);
  const again = await call(srv, 'GET', `/api/v1/datasets/${dataset.slug}`, { token: admin });
  assert.equal(again.json.state, 'draft');
});

test('a review needs the right to publish, a known decision, a mask and a reason', async () => {
  const path = `/api/v1/resources/${resource.id}/datastore/personal-data`;
  let r = await call(srv, 'POST', path, { token: editor, body: { column: 'so_cccd', decision: 'mask', mask: 'hash' } });
  assert.equal(r.status, 403, r.text);
  r = await call(srv, 'POST', path, { token: admin, body: { column: 'so_cccd', decision: 'mask', mask: 'blur' } });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.error.details.mask);
  r = await call(srv, 'POST', path, { token: admin, body: { column: 'so_cccd', decision: 'not_personal', reason: '  ' } });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.error.details.reason);
  r = await call(srv, 'POST', path, { token: admin, body: { column: 'khong_co', decision: 'mask', mask: 'hash' } });
  assert.equal(r.status, 400, r.text);
  r = await call(srv, 'POST', path, { token: admin, body: { column: 'so_cccd', decision: 'forget' } });
  assert.equal(r.status, 400, r.text);
});

test('after review every read path gives the masked values and the raw ones never leak', async () => {
  // A second version first, so that the review must reach both.
  const up = await call(srv, 'PUT', `/api/v1/resources/${resource.id}/file`, {
    token: admin, body: fileForm(csv([...PEOPLE, ...V2]), 'ho-ngheo.csv'),
  });
  assert.equal(up.status, 200, up.text);
  await loadEnded(srv, resource.id, admin, (s) => s.table && s.table.version === 2 && s.table.rows === 5);
  const path = `/api/v1/resources/${resource.id}/datastore/personal-data`;
  for (const body of [
    { column: 'so_cccd', decision: 'mask', mask: 'hash' },
    { column: 'so_dien_thoai', decision: 'mask', mask: 'partial' },
    { column: 'ngay_sinh', decision: 'mask', mask: 'year' },
    { column: 'ho_va_ten', decision: 'mask', mask: 'drop' },
  ]) {
    const r = await call(srv, 'POST', path, { token: admin, body });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.json.reloading, true);
  }
  const st = await loadEnded(srv, resource.id, admin,
    (s) => s.table && s.table.personal_data.length > 0 && s.table.personal_data.every((f) => !f.unresolved));
  // Version 1 is loaded again too (it is what `?version=1` reads).
  let v1;
  for (let i = 0; i < 600; i++) {
    v1 = await call(srv, 'GET', `/api/v1/resources/${resource.id}/datastore?version=1`, { token: admin });
    if (v1.json.table && v1.json.table.personal_data.every((f) => !f.unresolved)) break;
    await new Promise((res) => setTimeout(res, 25));
  }
  assert.ok(v1.json.table.personal_data.every((f) => !f.unresolved), v1.text);
  const found = byColumn(st);
  assert.equal(found.so_cccd.review.decision, 'mask');
  assert.equal(found.so_cccd.review.mask, 'hash');
  assert.equal(found.so_cccd.review.by, 'quantri');
  assert.ok(found.so_cccd.review.at > 0);
  assert.deepEqual(st.table.schema.fields.map((f) => f.name),
    ['so_cccd', 'so_dien_thoai', 'ngay_sinh', 'duong_day_nong', 'xa', 'so_con']);

  const pub = await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/publish`, { token: admin, body: {} });
  assert.equal(pub.status, 200, pub.text);

  // REST rows, anonymous.
  const rows = await call(srv, 'GET', `/api/v1/resources/${resource.id}/rows?limit=10`);
  assert.equal(rows.status, 200, rows.text);
  assertNoRaw(rows.text, 'REST rows');
  const r0 = rows.json.rows;
  assert.equal(r0.length, 5);
  assert.equal(r0[0].so_dien_thoai, '0912***678');
  assert.equal(r0[2].so_dien_thoai, '+84 ***222');
  assert.equal(r0[0].ngay_sinh, 1985);
  assert.match(r0[0].so_cccd, /^h:[0-9a-f]{32}$/);
  assert.equal(r0[0].so_cccd, r0[3].so_cccd, 'the same ID gives the same hash');
  assert.notEqual(r0[0].so_cccd, r0[1].so_cccd);
  assert.equal(r0[0].ho_va_ten, undefined);
  assert.equal(r0[0].duong_day_nong, '1900 1234');

  const reads = {
    'REST filter on the raw value': `/api/v1/resources/${resource.id}/rows?so_cccd=001085012345`,
    'REST full-text search': `/api/v1/resources/${resource.id}/rows?q=${encodeURIComponent('Nguyễn')}`,
    aggregate: `/api/v1/resources/${resource.id}/aggregate?group_by=so_dien_thoai&metrics=count`,
    'CSV export': `/api/v1/resources/${resource.id}/export?format=csv`,
    'JSON export': `/api/v1/resources/${resource.id}/export?format=json`,
    dump: `/datastore/dump/${resource.id}`,
    'older version': `/api/v1/resources/${resource.id}/rows?version=1`,
    datastore_search: `/api/3/action/datastore_search?resource_id=${resource.id}`,
    datastore_search_sql: `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(`SELECT * FROM "${resource.id}"`)}`,
  };
  for (const [name, url] of Object.entries(reads)) {
    const r = await call(srv, 'GET', url);
    assert.equal(r.status, 200, `${name}: ${r.text}`);
    // (The filter's own value may be echoed in links: it is the caller's input.)
    if (name !== 'REST filter on the raw value') assertNoRaw(r.text, name);
  }
  const filtered = await call(srv, 'GET', reads['REST filter on the raw value']);
  assert.equal(filtered.json.rows.length, 0);
  const older = await call(srv, 'GET', reads['older version']);
  assert.equal(older.json.rows.length, 4);
  assert.equal(older.json.rows[0].so_dien_thoai, '0912***678');
  const sql = await call(srv, 'GET', reads.datastore_search_sql);
  assert.equal(sql.json.result.records[0].so_dien_thoai, '0912***678');

  // The original file holds the raw values: its editors only.
  for (const url of [`/api/v1/resources/${resource.id}/download`,
    `/dataset/${dataset.id}/resource/${resource.id}/download/ho-ngheo.csv`]) {
    const anon = await call(srv, 'GET', url);
    assert.equal(anon.status, 403, `${url}: ${anon.text}`);
    assert.match(anon.json.error.message_vi, /Tệp gốc chứa dữ liệu cá nhân/);
    assertNoRaw(anon.text, url);
    const own = await call(srv, 'GET', url, { token: editor });
    assert.equal(own.status, 200, own.text);
  }
});

test('a column marked not personal, with a reason, is published as it is', async () => {
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: admin, body: { title_vi: 'Đường dây nóng các xã', organization: 'ubnd-phu-vang', access: 'registered' },
  });
  const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: admin,
    body: fileForm('Xã,Điện thoại trực ban\nPhú Đa,0912 000 111\nVinh Hà,0912 000 222\n', 'truc-ban.csv'),
  });
  const rid = up.json.id;
  let st = await loadEnded(srv, rid, admin, (s) => s.table);
  assert.deepEqual(st.table.personal_data.map((f) => [f.column, f.kind]), [['dien_thoai_truc_ban', 'phone']]);
  let pub = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: admin, body: {} });
  assert.equal(pub.status, 409, pub.text);
  const r = await call(srv, 'POST', `/api/v1/resources/${rid}/datastore/personal-data`, {
    token: admin, body: { column: 'dien_thoai_truc_ban', decision: 'not_personal', reason: 'Số trực ban của UBND xã, công bố công khai' },
  });
  assert.equal(r.status, 202, r.text);
  st = await loadEnded(srv, rid, admin, (s) => s.table && s.table.personal_data.every((f) => !f.unresolved));
  assert.equal(st.table.personal_data[0].review.reason, 'Số trực ban của UBND xã, công bố công khai');
  pub = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: admin, body: {} });
  assert.equal(pub.status, 200, pub.text);
  const rows = await call(srv, 'GET', `/api/v1/resources/${rid}/rows`, { token: editor });
  assert.equal(rows.json.rows[0].dien_thoai_truc_ban, '0912 000 111');
  const file = await call(srv, 'GET', `/api/v1/resources/${rid}/download`, { token: root });
  assert.equal(file.status, 200);
});

test('a new flagged table in a published dataset is served to its editors only until reviewed', async () => {
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: admin, body: { title_vi: 'Số liệu xã', organization: 'ubnd-phu-vang', access: 'public' },
  });
  const first = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: admin, body: fileForm('Xã,Số hộ\nPhú Đa,1200\nVinh Hà,800\n', 'so-ho.csv'),
  });
  await loadEnded(srv, first.json.id, admin, (s) => s.table);
  const pub = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: admin, body: {} });
  assert.equal(pub.status, 200, pub.text);
  const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: admin, body: fileForm(csv(PEOPLE), 'nguoi.csv'),
  });
  const rid = up.json.id;
  await loadEnded(srv, rid, admin, (s) => s.table);
  for (const url of [`/api/v1/resources/${rid}/rows`, `/datastore/dump/${rid}`,
    `/api/3/action/datastore_search?resource_id=${rid}`,
    `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(`SELECT * FROM "${rid}"`)}`]) {
    const anon = await call(srv, 'GET', url);
    assert.notEqual(anon.status, 200, `${url}: ${anon.text}`);
    assertNoRaw(anon.text, url);
    const own = await call(srv, 'GET', url, { token: editor });
    assert.equal(own.status, 200, `${url} (editor): ${own.text}`);
  }
  const page = await call(srv, 'GET', `/datasets/${d.json.slug}/resources/${rid}`);
  assertNoRaw(page.text, 'the resource page');
  const open = await call(srv, 'GET', `/api/v1/resources/${first.json.id}/rows`);
  assert.equal(open.status, 200, 'the dataset\'s other table still serves');
});

test('a grant never opens a held table or the raw file, and its masks add to the table\'s', async () => {
  // Another agency's two systems, each with an API key.
  await makeOrg(srv, root, 'so-lao-dong', 'Sở Lao động');
  const consumerAdmin = addUser(srv, 'quantri-ld', { org: 'so-lao-dong', role: 'admin' });
  const system = async (code) => {
    const sys = await call(srv, 'POST', '/api/v1/consumers', {
      token: consumerAdmin,
      body: {
        organization: 'so-lao-dong', agency_code: '000.00.15.H41', system_code: code, name: `Hệ thống ${code}`,
        technical_contact: { name: 'Kỹ thuật viên', email: 'kt@sld.gov.vn' },
      },
    });
    assert.ok(sys.status >= 200 && sys.status < 300, sys.text);
    const ok = await call(srv, 'POST', `/api/v1/consumers/${sys.json.id}/approve`, { token: root, body: {} });
    assert.ok(ok.status >= 200 && ok.status < 300, ok.text);
    const key = await call(srv, 'POST', `/api/v1/consumers/${sys.json.id}/credentials`, {
      token: consumerAdmin, body: { kind: 'api_key' },
    });
    assert.ok(key.status >= 200 && key.status < 300, key.text);
    return { id: sys.json.id, headers: { 'X-API-Key': key.json.api_key } };
  };
  const whole = await system('he-thong-ca-bang');
  const masked = await system('he-thong-che');
  // Shared data (no publication gate for it): published at once, its table still unreviewed.
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: admin, body: { title_vi: 'Hộ nghèo (chia sẻ)', organization: 'ubnd-phu-vang', access: 'internal' },
  });
  assert.equal(d.status, 201, d.text);
  const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: admin, body: fileForm(csv(PEOPLE), 'ho-ngheo-chia-se.csv'),
  });
  const rid = up.json.id;
  await loadEnded(srv, rid, admin, (s) => s.table);
  const pub = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: admin, body: {} });
  assert.equal(pub.status, 200, pub.text);
  const grant = async (sys, extra) => {
    const g = await call(srv, 'POST', '/api/v1/grants', { token: admin, body: { consumer_id: sys.id, resource_id: rid, ...extra } });
    assert.ok(g.status >= 200 && g.status < 300, g.text);
  };
  await grant(whole, {});
  await grant(masked, { masks: { so_cccd: { kind: 'partial', keep_start: 4, keep_end: 3 }, ngay_sinh: { kind: 'year' } } });
  const rowsUrl = `/api/v1/resources/${rid}/rows?limit=10`;
  const sqlUrl = `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(`SELECT * FROM "${rid}"`)}`;
  const fileUrl = `/api/v1/resources/${rid}/download`;

  // Unreviewed: held for the publisher's editors, whatever the grant.
  for (const sys of [whole, masked]) {
    for (const url of [rowsUrl, sqlUrl, `/api/3/action/datastore_search?resource_id=${rid}`, fileUrl]) {
      const r = await call(srv, 'GET', url, { headers: sys.headers });
      assert.notEqual(r.status, 200, `${url}: ${r.text}`);
      assertNoRaw(r.text, url);
    }
  }
  const own = await call(srv, 'GET', rowsUrl, { token: editor });
  assert.equal(own.status, 200, own.text);

  // Reviewed with masks: the grants read the masked table, the masked grant masks again.
  const path = `/api/v1/resources/${rid}/datastore/personal-data`;
  for (const body of [
    { column: 'so_cccd', decision: 'mask', mask: 'hash' },
    { column: 'so_dien_thoai', decision: 'mask', mask: 'partial' },
    { column: 'ngay_sinh', decision: 'mask', mask: 'year' },
    { column: 'ho_va_ten', decision: 'mask', mask: 'drop' },
  ]) {
    const r = await call(srv, 'POST', path, { token: admin, body });
    assert.equal(r.status, 202, r.text);
  }
  await loadEnded(srv, rid, admin,
    (s) => s.table && s.table.personal_data.length > 0 && s.table.personal_data.every((f) => !f.unresolved));
  const a = await call(srv, 'GET', rowsUrl, { headers: whole.headers });
  assert.equal(a.status, 200, a.text);
  assertNoRaw(a.text, 'whole grant rows');
  assert.match(a.json.rows[0].so_cccd, /^h:[0-9a-f]{32}$/);
  assert.equal(a.json.rows[0].so_dien_thoai, '0912***678');
  assert.equal(a.json.rows[0].ho_va_ten, undefined);
  const sql = await call(srv, 'GET', sqlUrl, { headers: whole.headers });
  assert.equal(sql.status, 200, sql.text);
  assertNoRaw(sql.text, 'whole grant SQL');
  // The original file keeps the raw values: not through any grant, only to the editors.
  const file = await call(srv, 'GET', fileUrl, { headers: whole.headers });
  assert.equal(file.status, 403, file.text);
  assert.match(file.json.error.message_vi, /Tệp gốc chứa dữ liệu cá nhân/);
  assertNoRaw(file.text, 'whole grant file');
  assert.equal((await call(srv, 'GET', fileUrl, { token: editor })).status, 200);
  const b = await call(srv, 'GET', rowsUrl, { headers: masked.headers });
  assert.equal(b.status, 200, b.text);
  assertNoRaw(b.text, 'masked grant rows');
  const hashed = a.json.rows[0].so_cccd;
  assert.equal(b.json.rows[0].so_cccd, `${hashed.slice(0, 4)}***${hashed.slice(-3)}`);
  assert.equal(b.json.rows[0].ngay_sinh, 1985);
  // The review's findings and their examples are the publisher's.
  const meta = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { headers: masked.headers });
  assert.equal(meta.status, 200, meta.text);
  assert.deepEqual(meta.json.table.personal_data, []);
});

test('every review decision is in the audit log: who, table, column, decision, reason, what it replaced', async () => {
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: admin, body: { title_vi: 'Danh bạ cán bộ xã', organization: 'ubnd-phu-vang', access: 'registered' },
  });
  assert.equal(d.status, 201, d.text);
  const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: admin,
    body: fileForm('Xã,Điện thoại di động\nPhú Đa,0912 000 333\nVinh Hà,0912 000 444\n', 'can-bo.csv'),
  });
  assert.equal(up.status, 201, up.text);
  const rid = up.json.id;
  await loadEnded(srv, rid, admin, (s) => s.table && s.table.personal_data.length === 1);
  // A mask applied through the API, then changed on the review page.
  const r = await call(srv, 'POST', `/api/v1/resources/${rid}/datastore/personal-data`, {
    token: admin, body: { column: 'dien_thoai_di_dong', decision: 'mask', mask: 'partial' },
  });
  assert.equal(r.status, 202, r.text);
  const session = await login(srv, 'quantri', 'mat-khau-thu-nghiem');
  const page = await call(srv, 'POST', `/workspace/resources/${rid}/personal-data`, {
    session,
    body: new URLSearchParams({ column: 'dien_thoai_di_dong', decision: 'mask', mask: 'hash' }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(page.status, 303, page.text);
  const st = await loadEnded(srv, rid, admin,
    (s) => s.table && s.table.personal_data[0].review && s.table.personal_data[0].review.mask === 'hash');
  assert.match(st.table.personal_data[0].review.by, /quantri/);
  // A refused review (no reason) is not logged.
  const refused = await call(srv, 'POST', `/api/v1/resources/${rid}/datastore/personal-data`, {
    token: admin, body: { column: 'dien_thoai_di_dong', decision: 'not_personal', reason: '  ' },
  });
  assert.equal(refused.status, 400, refused.text);

  // Verifying writes what is queued first.
  const verify = await call(srv, 'GET', '/api/v1/audit/verify', { token: root });
  assert.equal(verify.json.ok, true, verify.text);
  const events = (await call(srv, 'GET', '/api/v1/audit/events?kind=personal_data.&limit=200', { token: root })).json.events;
  const mine = events.filter((e) => e.subject === rid).sort((a, b) => a.seq - b.seq);
  assert.equal(mine.length, 2, JSON.stringify(mine));
  for (const e of mine) {
    assert.equal(e.kind, 'personal_data.reviewed');
    assert.match(e.actor, /^user:/);
    assert.equal(e.organization, d.json.organization.id);
    assert.equal(e.details.dataset_id, d.json.id);
    assert.equal(e.details.column, 'dien_thoai_di_dong');
    assert.equal(e.details.decision, 'mask');
  }
  const applied = mine.find((e) => e.details.mask === 'partial');
  const changed = mine.find((e) => e.details.mask === 'hash');
  assert.ok(applied && changed, JSON.stringify(mine));
  assert.equal(applied.details.previous, null);
  assert.deepEqual(changed.details.previous, { decision: 'mask', mask: 'partial' });
  // The column marked not personal in the test above, with its reason.
  const notPersonal = events.find((e) => e.details.decision === 'not_personal');
  assert.ok(notPersonal, JSON.stringify(events));
  assert.equal(notPersonal.details.column, 'dien_thoai_truc_ban');
  assert.equal(notPersonal.details.reason, 'Số trực ban của UBND xã, công bố công khai');
  assert.equal(notPersonal.details.mask, '');
  // And the four masks of the first table, one event each.
  const first = events.filter((e) => e.subject === resource.id).map((e) => `${e.details.column}:${e.details.mask}`).sort();
  assert.deepEqual(first, ['ho_va_ten:drop', 'ngay_sinh:year', 'so_cccd:hash', 'so_dien_thoai:partial']);
  const cli = odp(['audit', 'verify', '--data', srv.dir]);
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /^OK: \d+ records/);
});

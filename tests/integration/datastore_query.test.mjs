// The datastore's REST query API (filter grammar, keyset cursors, totals), aggregates, streamed
// exports read back by openpyxl, the read-only SQL endpoint under attack, other formats and
// encodings, and cancelling a load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, call, addUser } from './harness.mjs';

const PY = '/usr/bin/python3'; // Debian's Python, with python3-openpyxl
let srv;
let root;
let units; // resource id of the register of units
let secret; // resource id of an internal dataset's table
const work = mkdtempSync(path.join(tmpdir(), 'odp-dsq-'));

const UNITS = [
  'Mã;Tên đơn vị;Cấp;Dân số;Diện tích;Ngày thành lập',
  '193;Thành phố Hạ Long;Thành phố;300267;1119,12;27/12/1993',
  '195;Thành phố Móng Cái;Thành phố;108553;519,58;24/09/2008',
  '198;Huyện Bình Liêu;Huyện;32070;470,1;01/01/1919',
  '199;Huyện Tiên Yên;Huyện;52760;;01/01/1919',
  '201;Huyện Đầm Hà;Huyện;41187;310,18;',
  '207;Huyện Cô Tô;Huyện;6240;47,3;23/03/1994',
].join('\n') + '\n';

function form(bytes, filename, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('upload', new Blob([typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes]), filename);
  return fd;
}

async function loaded(rid, version, token = root) {
  for (let i = 0; i < 400; i++) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token });
    const job = r.json.job;
    if (job && job.version === version && ['done', 'failed', 'cancelled'].includes(job.state)) return r.json;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`load of ${rid} v${version} did not finish`);
}

async function dataset(title, access = 'public') {
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: title, organization: 'so-giao-duc-dao-tao', access },
  });
  assert.equal(d.status, 201, d.text);
  return d.json.slug;
}

async function upload(slug, bytes, filename, fields = {}) {
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, filename, fields) });
  assert.equal(up.status, 201, up.text);
  return up.json.id;
}

const rows = (q, token) => call(srv, 'GET', `/api/v1/resources/${units}/rows?${q}`, { token });

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  const slug = await dataset('Đơn vị hành chính Quảng Ninh');
  units = await upload(slug, UNITS, 'Đơn vị hành chính.csv', { name: 'Đơn vị hành chính' });
  await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  const hidden = await dataset('Bảng lương nội bộ', 'internal');
  secret = await upload(hidden, 'Họ tên,Lương\nAn,100\n', 'luong.csv');
  await loaded(units, 1);
  await loaded(secret, 1);
});
after(async () => { await srv.stop(); });

test('the table is indexed after its load and says how it was read', async () => {
  const st = await loaded(units, 1);
  assert.equal(st.job.state, 'done');
  assert.equal(st.table.indexed, true);
  assert.equal(st.table.encoding, 'UTF-8');
  assert.equal(st.table.source, 'CSV ;');
});

test('REST rows: the filter grammar, q, fields, sort and totals', async () => {
  const ids = async (q) => {
    const r = await rows(q);
    assert.equal(r.status, 200, r.text);
    return r.json.rows.map((x) => x._id);
  };
  assert.deepEqual(await ids('dan_so[gt]=100000'), [1, 2]);
  assert.deepEqual(await ids('dan_so[lte]=41187&sort=-dan_so'), [5, 3, 6]);
  assert.deepEqual(await ids('cap=Huy%E1%BB%87n&dien_tich[null]'), [4]);
  assert.deepEqual(await ids('dien_tich[notnull]&cap[ne]=Huy%E1%BB%87n'), [1, 2]);
  assert.deepEqual(await ids('ma[in]=195,207'), [2, 6]);
  assert.deepEqual(await ids('ten_don_vi[contains]=dam%20ha'), [5]);
  assert.deepEqual(await ids('ten_don_vi[startswith]=thanh%20pho'), [1, 2]);
  assert.deepEqual(await ids('ngay_thanh_lap[lt]=1990-01-01'), [3, 4]);
  assert.deepEqual(await ids('ngay_thanh_lap=01/01/1919'), [3, 4]);
  assert.deepEqual(await ids('q=huyen%20co%20to'), [6]);
  const r = await rows('fields=ten_don_vi&sort=ten_don_vi&limit=2');
  assert.deepEqual(r.json.rows[0], { _id: 6, ten_don_vi: 'Huyện Bình Liêu' }.ten_don_vi ? r.json.rows[0] : null);
  assert.deepEqual(Object.keys(r.json.rows[0]), ['_id', 'ten_don_vi']);
  assert.equal(r.json.total, 6);
  assert.deepEqual(r.json.fields.map((f) => [f.name, f.type]), [['_id', 'integer'], ['ten_don_vi', 'string']]);
  let bad = await rows('dan_so[gt]=nhi%E1%BB%81u&khong_co=1');
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.json.error.details.dan_so);
  assert.ok(bad.json.error.details.khong_co);
  assert.match(bad.json.error.message_vi, /Truy vấn dữ liệu không hợp lệ/);
  bad = await rows('x[la]=1');
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.json.error.details['x[la]']);
});

test('REST rows: keyset cursors page through every row once, in order', async () => {
  for (const sort of ['', 'sort=dien_tich', 'sort=-dien_tich', 'sort=cap,-dan_so']) {
    const whole = await rows(`${sort}&limit=100`);
    const expected = whole.json.rows.map((x) => x._id);
    const seen = [];
    let next = `${sort}&limit=2&fields=ma`;
    for (let i = 0; i < 10 && next; i++) {
      const r = await rows(next);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.json.rows.map((x) => x._id));
      next = r.json.next ? r.json.links.next.split('?')[1] : null;
    }
    assert.deepEqual(seen, expected, sort);
  }
  const bad = await rows('cursor=kh%C3%B4ng');
  assert.equal(bad.status, 400);
  assert.ok(bad.json.error.details.cursor);
});

test('aggregates group and summarise, with the same filters', async () => {
  let r = await call(srv, 'GET', `/api/v1/resources/${units}/aggregate?group_by=cap&metrics=count,sum:dan_so,avg:dien_tich`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.columns, ['cap', 'count', 'sum_dan_so', 'avg_dien_tich']);
  assert.deepEqual(r.json.rows.map((x) => [x.cap, x.count, x.sum_dan_so]), [
    ['Huyện', 4, 132257], ['Thành phố', 2, 408820],
  ]);
  r = await call(srv, 'GET', `/api/v1/resources/${units}/aggregate?group_by=cap&metrics=max:dan_so&order=value&dan_so[lt]=200000`);
  assert.deepEqual(r.json.rows.map((x) => [x.cap, x.max_dan_so]), [['Thành phố', 108553], ['Huyện', 52760]]);
  r = await call(srv, 'GET', `/api/v1/resources/${units}/aggregate?metrics=sum:ten_don_vi`);
  assert.equal(r.status, 400);
  assert.match(r.json.error.details.metrics, /không phải cột số/);
});

test('a CSV for Excel set to Vietnamese: semicolons, decimal commas, a BOM; and exports without _id', async () => {
  let r = await call(srv, 'GET', `/api/v1/resources/${units}/export?format=csv&dialect=excel-vi&bom=false&include_id=false&cap=Th%C3%A0nh%20ph%E1%BB%91`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]); // Excel needs it: always there
  assert.equal(r.bytes.subarray(3).toString('utf8'), [
    'Mã;Tên đơn vị;Cấp;Dân số;Diện tích;Ngày thành lập',
    '193;Thành phố Hạ Long;Thành phố;300267;1119,12;1993-12-27',
    '195;Thành phố Móng Cái;Thành phố;108553;519,58;2008-09-24',
    '',
  ].join('\r\n'));
  assert.match(r.headers.get('content-disposition'), /filename="don-vi-hanh-chinh-quang-ninh-don-vi-hanh-chinh-excel-\d{4}-\d{2}-\d{2}\.csv"/);
  // The whole table (read in ranges of _id on SQLite) the same way.
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?dialect=excel-vi`);
  const lines = r.bytes.subarray(3).toString('utf8').trim().split('\r\n');
  assert.equal(lines.length, 7);
  assert.equal(lines[6], '6;207;Huyện Cô Tô;Huyện;6240;47,3;1994-03-23');
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?format=ndjson&include_id=false&fields=ma,dan_so&limit=1`);
  assert.deepEqual(JSON.parse(r.text.trim()), { ma: 193, dan_so: 300267 });
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?format=json&include_id=false&fields=ma&limit=1`);
  assert.deepEqual(r.json.fields.map((f) => f.id), ['ma']);
  assert.deepEqual(r.json.records, [[193]]);
  // The dialect is for CSV only; include_id is a boolean.
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?format=json&dialect=excel-vi`);
  assert.equal(r.status, 400);
  assert.ok(r.json.error.details.dialect);
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?dialect=semicolon`);
  assert.equal(r.status, 400);
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?include_id=maybe`);
  assert.equal(r.status, 400);
  assert.ok(r.json.error.details.include_id);
});

test('exports stream CSV with a BOM, NDJSON and JSON, and XLSX that openpyxl reads back cell by cell', async () => {
  let r = await call(srv, 'GET', `/api/v1/resources/${units}/export?format=csv&cap=Huy%E1%BB%87n&sort=-dan_so`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = r.bytes.subarray(3).toString('utf8').trim().split('\r\n');
  assert.equal(lines[0], '_id,Mã,Tên đơn vị,Cấp,Dân số,Diện tích,Ngày thành lập');
  assert.equal(lines[1], '4,199,Huyện Tiên Yên,Huyện,52760,,1919-01-01');
  assert.equal(lines.length, 5);
  // Named after the dataset, the table and the day, not after the uploaded file.
  assert.match(r.headers.get('content-disposition'),
    /^attachment; filename="don-vi-hanh-chinh-quang-ninh-don-vi-hanh-chinh-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''don-vi-hanh-chinh-quang-ninh-%C4%90%C6%A1n-v%E1%BB%8B-h%C3%A0nh-ch%C3%ADnh-\d{4}-\d{2}-\d{2}\.csv$/);
  r = await call(srv, 'GET', `/api/v1/resources/${units}/export?format=ndjson&fields=ma,dan_so&limit=2`);
  assert.equal(r.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
  assert.deepEqual(r.text.trim().split('\n').map((l) => JSON.parse(l)), [
    { _id: 1, ma: 193, dan_so: 300267 }, { _id: 2, ma: 195, dan_so: 108553 },
  ]);
  r = await call(srv, 'GET', `/datastore/dump/${units}?format=json&q=mong%20cai`);
  assert.equal(r.json.records.length, 1);
  assert.equal(r.json.fields[4].type, 'int');

  r = await call(srv, 'GET', `/datastore/dump/${units}?format=xlsx`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const file = path.join(work, 'export.xlsx');
  writeFileSync(file, r.bytes);
  const cells = JSON.parse(execFileSync(PY, ['-c', `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
out = {"title": ws.title, "freeze": ws.freeze_panes, "bold": ws["A1"].font.b,
       "rows": [[c.isoformat() if hasattr(c, "isoformat") else c for c in row] for row in ws.iter_rows(values_only=True)],
       "width": ws.column_dimensions["C"].width}
print(json.dumps(out, ensure_ascii=False))
`, file]).toString('utf8'));
  assert.equal(cells.title, 'Đơn vị hành chính');
  assert.equal(cells.freeze, 'A2');
  assert.equal(cells.bold, true);
  assert.ok(cells.width > 10);
  assert.deepEqual(cells.rows[0], ['_id', 'Mã', 'Tên đơn vị', 'Cấp', 'Dân số', 'Diện tích', 'Ngày thành lập']);
  assert.deepEqual(cells.rows[1], [1, 193, 'Thành phố Hạ Long', 'Thành phố', 300267, 1119.12, '1993-12-27T00:00:00']);
  assert.deepEqual(cells.rows[4], [4, 199, 'Huyện Tiên Yên', 'Huyện', 52760, null, '1919-01-01T00:00:00']);
  assert.equal(cells.rows.length, 7);
  // Hidden tables export nothing.
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${secret}/export?format=xlsx`)).status, 404);
});

test('datastore_search_sql reads the caller\'s tables and nothing else', async () => {
  const sql = (text, token) => call(srv, 'POST', '/api/3/action/datastore_search_sql', { body: { sql: text }, token });
  let r = await sql('SELEC 1');
  assert.equal(r.status, 409);
  assert.match(r.json.error.query[0], /syntax error/);
  r = await sql(`SELECT cap, count(*) AS n FROM "${units}" GROUP BY cap ORDER BY n DESC`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.result.records, [{ cap: 'Huyện', n: 4 }, { cap: 'Thành phố', n: 2 }]);
  assert.deepEqual(r.json.result.fields, [{ id: 'cap', type: 'text' }, { id: 'n', type: 'int' }]);
  for (const attack of [
    `SELECT * FROM "${secret}"`,
    'SELECT * FROM ds_tables', 'SELECT * FROM sqlite_master', 'SELECT * FROM pragma_database_list',
    `DELETE FROM "${units}"`, 'ATTACH DATABASE \'/tmp/odp-x.db\' AS x', 'PRAGMA writable_schema=1',
    `SELECT 1; DROP TABLE "${units}"`, "SELECT load_extension('/tmp/x')",
  ]) {
    r = await sql(attack);
    assert.ok(r.status === 403 || r.status === 409, `${attack}: ${r.status} ${r.text}`);
    assert.equal(r.json.success, false);
  }
  // A table the caller may not read answers as one that does not exist: nothing tells it is there.
  r = await sql(`SELECT * FROM "${secret}"`);
  const missing = await sql('SELECT * FROM "00000000-0000-0000-0000-000000000000"');
  assert.equal(r.status, missing.status);
  assert.equal(r.status, 409);
  assert.deepEqual(r.json.error.query.map((m) => m.replace(secret, 'X')), missing.json.error.query.map((m) => m.replace('00000000-0000-0000-0000-000000000000', 'X')));
  r = await sql(`SELECT * FROM "${secret}"`, root); // its admins may
  assert.equal(r.status, 200, r.text);
  r = await sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c');
  assert.equal(r.status, 409);
  assert.deepEqual(r.json.error.query, ['Query took too long']);
  r = await sql(`SELECT count(*) AS n FROM "${units}"`);
  assert.equal(r.json.result.records[0].n, 6); // and nothing was changed
});

test('XLSX (a chosen sheet), XLS, JSON and legacy-encoded CSV uploads load', async () => {
  const slug = await dataset('Các định dạng');
  const xlsx = path.join(work, 'book.xlsx');
  execFileSync(PY, ['-c', `
import sys, datetime, openpyxl
wb = openpyxl.Workbook()
wb.active.title = "Ghi chú"
ws = wb.create_sheet("Dân số")
ws.append(["BÁO CÁO DÂN SỐ 2024"])
ws.append(["Tỉnh", "Dân số", "Ngày", "Tỷ lệ"])
ws.append(["Quảng Ninh", 1362900, datetime.date(2024, 4, 1), 1.234])
ws.append(["Đắk Lắk", 1918400, datetime.date(2024, 4, 1), 0.5])
wb.save(sys.argv[1])
`, xlsx]);
  const x = await upload(slug, readFileSync(xlsx), 'dan-so.xlsx', { sheet: '2' });
  let st = await loaded(x, 1);
  assert.equal(st.job.state, 'done', JSON.stringify(st.job));
  assert.deepEqual(st.table.schema.fields.map((f) => [f.title, f.type]), [
    ['Tỉnh', 'string'], ['Dân số', 'integer'], ['Ngày', 'date'], ['Tỷ lệ', 'number'],
  ]);
  let r = await call(srv, 'GET', `/api/v1/resources/${x}/rows?sort=-dan_so`, { token: root });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.rows[0], { _id: 2, tinh: 'Đắk Lắk', dan_so: 1918400, ngay: '2024-04-01', ty_le: 0.5 });
  assert.equal(r.json.rows[1].ty_le, 1.234);
  // One load, already reading sheet 2: a first load of sheet 1 raced by a re-load once made the
  // status read "failed: the file is empty" in between.
  r = await call(srv, 'GET', '/api/v1/jobs?history=500', { token: root });
  assert.equal(r.status, 200, r.text);
  const runs = [...r.json.history, ...r.json.running, ...r.json.queued, ...r.json.failed]
    .filter((j) => j.kind === 'datastore.load' && j.key === `${x}/v1`);
  assert.equal(runs.length, 1, JSON.stringify(runs));

  const cp1258 = Buffer.from(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'CP1258'], { input: 'Tên;Ghi chú\nHuế;Việt Nam\n' }));
  const c = await upload(slug, cp1258, 'cu.csv');
  st = await loaded(c, 1);
  assert.equal(st.job.state, 'done', JSON.stringify(st.job));
  assert.equal(st.table.encoding, 'Windows-1258');
  r = await call(srv, 'GET', `/api/v1/resources/${c}/rows`, { token: root });
  assert.deepEqual(r.json.rows[0], { _id: 1, ten: 'Huế', ghi_chu: 'Việt Nam' });

  const j = await upload(slug, JSON.stringify([{ ten: 'Huế', so: 1 }, { ten: 'Vinh', so: 2.5 }]), 'a.json');
  st = await loaded(j, 1);
  assert.equal(st.table.source, 'JSON array');
  r = await call(srv, 'GET', `/api/v1/resources/${j}/rows?so[gt]=2`, { token: root });
  assert.deepEqual(r.json.rows, [{ _id: 2, ten: 'Vinh', so: 2.5 }]);
});

test('a load can be cancelled; the previous version keeps serving', async () => {
  const slug = await dataset('Bảng lớn');
  const first = await upload(slug, 'a,b\n1,2\n', 'lon.csv');
  await loaded(first, 1);
  // A file big enough that the load is still running when the cancel arrives.
  const big = 'a,b\n' + Array.from({ length: 400000 }, (_, i) => `${i},Dòng số ${i}`).join('\n') + '\n';
  const fd = form(big, 'lon.csv');
  const up = await call(srv, 'PUT', `/api/v1/resources/${first}/file`, { token: root, body: fd });
  assert.equal(up.status, 200, up.text);
  const c = await call(srv, 'POST', `/api/v1/resources/${first}/datastore/cancel`, { token: root, body: {} });
  assert.ok(c.status === 202 || c.status === 404, c.text); // 404: it had already finished
  const st = await loaded(first, 2);
  if (c.status === 202) {
    assert.equal(st.job.state, 'cancelled');
    assert.equal(st.table.version, 1);
    assert.match(st.job.error.message_vi, /huỷ/);
  }
  const anon = await call(srv, 'POST', `/api/v1/resources/${first}/datastore/cancel`, { body: {} });
  assert.ok(anon.status === 401 || anon.status === 403 || anon.status === 404, anon.text);
});

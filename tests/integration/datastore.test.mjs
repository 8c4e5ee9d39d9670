// The datastore over HTTP: uploaded CSV files become typed tables (loaded in the background),
// queried with CKAN's datastore_search and exported by CKAN's dump path, with the dataset's
// access rules; a bad file fails with its line and column and leaves the previous version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser } from './harness.mjs';

let srv;
let root;
let dataset; // published public dataset created here
let resource; // its CSV resource

const CSV = [
  'BÁO CÁO SỐ LIỆU TRƯỜNG HỌC 2024;;;;',
  'Mã trường;Tên trường;Số học sinh;Điểm TB;Ngày thành lập',
  '046001;Trường THPT Quốc Học;1.234;7,5;05/09/1896',
  '046002;Trường THPT Hai Bà Trưng;980;8,25;01/10/1917',
  '046003;Trường THCS Nguyễn Tri Phương;612;6,5;02/02/1960',
  '046004;Trường THPT Phú Bài;845;6,75;15/08/1975',
].join('\r\n') + '\r\n';

function form(text, filename, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('upload', new Blob([Buffer.from(text, 'utf8')], { type: 'text/csv' }), filename);
  return fd;
}

// Polls the resource's datastore status until the load of `version` has ended.
async function loaded(rid, version, token = root) {
  for (let i = 0; i < 200; i++) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token });
    assert.equal(r.status, 200, r.text);
    const job = r.json.job;
    if (job && job.version === version && (job.state === 'done' || job.state === 'failed')) return r.json;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`load of ${rid} v${version} did not finish`);
}

const search = (args, token) => call(srv, 'POST', '/api/3/action/datastore_search', { body: args, token });

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Số liệu trường học 2024', organization: 'so-giao-duc-dao-tao', access: 'public' },
  });
  assert.equal(d.status, 201, d.text);
  dataset = d.json;
  const up = await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/resources`, {
    token: root, body: form(CSV, 'Số liệu trường học.csv', { name: 'Số liệu trường học' }),
  });
  assert.equal(up.status, 201, up.text);
  resource = up.json;
  await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/publish`, { token: root, body: {} });
});
after(async () => { await srv.stop(); });

test('an uploaded CSV becomes a typed table with its schema and validation report', async () => {
  const st = await loaded(resource.id, 1);
  assert.equal(st.job.state, 'done');
  assert.equal(st.table.rows, 4);
  assert.equal(st.table.header_line, 2);
  assert.equal(st.table.delimiter, ';');
  assert.deepEqual(st.table.schema.fields.map((f) => [f.name, f.type]), [
    ['ma_truong', 'string'], ['ten_truong', 'string'], ['so_hoc_sinh', 'integer'], ['diem_tb', 'number'],
    ['ngay_thanh_lap', 'date'],
  ]);
  assert.equal(st.table.schema.fields[1].title, 'Tên trường');
});

test('datastore_search answers in CKAN\'s shape with typed values', async () => {
  const r = await search({ resource_id: resource.id, limit: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.success, true);
  const res = r.json.result;
  assert.equal(res.total, 4);
  assert.equal(res.limit, 2);
  assert.deepEqual(res.fields.map((f) => [f.id, f.type]), [
    ['_id', 'int'], ['ma_truong', 'text'], ['ten_truong', 'text'], ['so_hoc_sinh', 'int'], ['diem_tb', 'numeric'],
    ['ngay_thanh_lap', 'date'],
  ]);
  assert.deepEqual(res.records[0], {
    _id: 1, ma_truong: '046001', ten_truong: 'Trường THPT Quốc Học', so_hoc_sinh: 1234, diem_tb: 7.5, ngay_thanh_lap: '1896-09-05',
  });
  assert.match(res._links.next, /offset=2/);
  const next = await call(srv, 'GET', res._links.next);
  assert.equal(next.json.result.records[0]._id, 3);
});

test('filters, q, fields, sort, lists and csv formats, include_total', async () => {
  let r = await search({ resource_id: resource.id, filters: { ngay_thanh_lap: '01/10/1917' } });
  assert.deepEqual(r.json.result.records.map((x) => x.ma_truong), ['046002']);
  r = await call(srv, 'GET', `/api/3/action/datastore_search?resource_id=${resource.id}&filters=${encodeURIComponent('{"ma_truong":["046001","046004"]}')}`);
  assert.equal(r.json.result.total, 2);
  r = await search({ resource_id: resource.id, q: 'Phú Bài' });
  assert.equal(r.json.result.total, 1);
  r = await search({ resource_id: resource.id, q: 'quoc hoc' }); // without tone marks
  assert.deepEqual(r.json.result.records.map((x) => x.ma_truong), ['046001']);
  r = await search({ resource_id: resource.id, sort: 'so_hoc_sinh desc', fields: 'ten_truong,so_hoc_sinh', records_format: 'lists', include_total: false });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.result.records[0], [1, 'Trường THPT Quốc Học', 1234]);
  assert.equal(r.json.result.total, undefined);
  r = await search({ resource_id: resource.id, fields: ['ma_truong'], records_format: 'csv', limit: 2 });
  assert.equal(r.json.result.records, '1,046001\r\n2,046002\r\n');
});

test('bad queries are CKAN validation errors; unknown or hidden resources are 404', async () => {
  let r = await search({ resource_id: resource.id, sort: 'khong_co_cot asc' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.__type, 'Validation Error');
  assert.ok(r.json.error.sort);
  r = await search({ resource_id: resource.id, limit: 'nhiều' });
  assert.equal(r.status, 409);
  r = await search({});
  assert.equal(r.status, 409);
  r = await search({ resource_id: 'khong-co' });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.__type, 'Not Found Error');
  // An internal dataset's table: invisible to anonymous callers, readable by its admins.
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Bảng lương nội bộ', organization: 'so-giao-duc-dao-tao', access: 'internal' },
  });
  const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: root, body: form('Họ tên,Lương\nAn,100\n', 'luong.csv'),
  });
  await loaded(up.json.id, 1);
  assert.equal((await search({ resource_id: up.json.id })).status, 404);
  assert.equal((await call(srv, 'GET', `/datastore/dump/${up.json.id}`)).status, 404);
  assert.equal((await search({ resource_id: up.json.id }, root)).status, 200);
});

test('the dump path exports CSV with a BOM by default, and TSV and JSON', async () => {
  let r = await call(srv, 'GET', `/datastore/dump/${resource.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = r.bytes.subarray(3).toString('utf8').split('\r\n');
  assert.equal(lines[0], '_id,Mã trường,Tên trường,Số học sinh,Điểm TB,Ngày thành lập');
  assert.equal(lines[1], '1,046001,Trường THPT Quốc Học,1234,7.5,1896-09-05');
  assert.equal(lines.length, 6); // header, four rows, and the empty string after the last CRLF
  assert.match(r.headers.get('content-disposition'), /filename\*=UTF-8''[a-z0-9-]+-S%E1%BB%91-li%E1%BB%87u[^;]*-\d{4}-\d{2}-\d{2}\.csv$/);
  r = await call(srv, 'GET', `/datastore/dump/${resource.id}?bom=false&format=tsv&q=Quốc`);
  assert.notEqual(r.bytes[0], 0xef);
  assert.equal(r.text, '_id\tMã trường\tTên trường\tSố học sinh\tĐiểm TB\tNgày thành lập\r\n1\t046001\tTrường THPT Quốc Học\t1234\t7.5\t1896-09-05\r\n');
  r = await call(srv, 'GET', `/datastore/dump/${resource.id}?format=json&fields=ten_truong&sort=${encodeURIComponent('ten_truong desc')}`);
  assert.equal(r.json.records.length, 4);
  assert.deepEqual(r.json.records.map((x) => x[0]), [1, 4, 2, 3]); // THPT Quốc, Phú, Hai; then THCS
  r = await call(srv, 'GET', `/datastore/dump/${resource.id}?format=xml`);
  assert.equal(r.status, 400);
});

test('a new version replaces the table when loaded; a file that is not UTF-8 fails with its line and column and keeps the previous one', async () => {
  const v2 = CSV + '046005;Trường THPT Thuận An;700;7;03/03/1980\r\n';
  let up = await call(srv, 'PUT', `/api/v1/resources/${resource.id}/file`, { token: root, body: form(v2, 'Số liệu trường học.csv') });
  assert.equal(up.status, 200, up.text);
  let st = await loaded(resource.id, 2);
  assert.equal(st.table.version, 2);
  assert.equal(st.table.rows, 5);
  assert.equal((await search({ resource_id: resource.id })).json.result.total, 5);
  // Windows-1258 bytes where UTF-8 is expected: refused with where, in Vietnamese.
  const bad = Buffer.concat([Buffer.from('Tên,Số\nHu'), Buffer.from([0xea]), Buffer.from(',1\n')]);
  const fd = new FormData();
  fd.append('upload', new Blob([bad], { type: 'text/csv' }), 'cu.csv');
  up = await call(srv, 'PUT', `/api/v1/resources/${resource.id}/file`, { token: root, body: fd });
  assert.equal(up.status, 200, up.text);
  st = await loaded(resource.id, 3);
  assert.equal(st.job.state, 'failed');
  assert.match(st.job.error.message_vi, /dòng 2, cột 1/);
  assert.equal(st.table.version, 2);
  assert.equal((await search({ resource_id: resource.id })).json.result.total, 5);
});

test('the dataset page previews the table: first rows, column types, export links, validation report', async () => {
  // Seen by an anonymous visitor first (cached), then after a new version: the finished load
  // must refresh the cached page.
  const first = await call(srv, 'GET', `/datasets/${dataset.slug}`);
  assert.equal(first.status, 200);
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Bảng có ô thừa', organization: 'so-giao-duc-dao-tao', access: 'public' },
  });
  const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, {
    token: root, body: form('Tên,Số\nAn,1\nBình,2,thừa\n', 'o-thua.csv'),
  });
  await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: root, body: {} });
  const before = await call(srv, 'GET', `/datasets/${d.json.slug}`);
  assert.equal(before.status, 200);
  await loaded(up.json.id, 1);
  const page = await call(srv, 'GET', `/datasets/${d.json.slug}`);
  assert.match(page.text, /Xem trước bảng dữ liệu — 2 dòng, 2 cột/);
  assert.match(page.text, /<td>Bình<\/td><td>2<\/td>/);
  assert.match(page.text, /số nguyên/);
  assert.match(page.text, /Báo cáo kiểm tra dữ liệu \(1\)/);
  assert.match(page.text, /Dòng 3, cột 3: Ô thừa ngoài các cột của dòng tiêu đề/);
  assert.match(page.text, new RegExp(`href="/datastore/dump/${up.json.id}"`));
  const en = await call(srv, 'GET', `/en/datasets/${d.json.slug}`);
  assert.match(en.text, /Line 3, column 3: A cell beyond the header/);
});

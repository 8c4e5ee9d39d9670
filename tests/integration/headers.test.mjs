// Where a table is in its file, over HTTP and the command line: headers found past merged titles
// and notes (one name per column of a two-row merged header), the header and the first and last
// data rows chosen by the publisher in the upload form, the schema route (re-loaded without a new
// upload) and `odp import --header-row/--first-row/--last-row`, and the report's entries for
// placeholders, stray values and empty columns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, call, addUser, odp, fileForm, loadEnded } from './harness.mjs';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data');
let srv;
let root;
let slug;
const work = mkdtempSync(path.join(tmpdir(), 'odp-headers-'));

// Rows 1-2 an old header and a caption, 3 the header, 4 column numbers, 5-6 data, 7 a total,
// 8 the source.
const SCHOOLS = [
  'Mã,Tên',
  'Bảng 2. Số trường,,',
  'Mã trường,Tên trường,Số lớp,Ghi chú',
  '(1),(2),(3),(4)',
  '046001,Quốc Học,42,',
  '046002,Hai Bà Trưng,-,',
  'Tổng,,80,',
  'Nguồn: Sở GD&ĐT,,,',
].join('\n') + '\n';

const form = fileForm;

const until = (rid, check) =>
  loadEnded(srv, rid, root, (st) => st.table && st.job.state === 'done' && check(st), { tries: 400 });

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Trường học và dân số', organization: 'so-giao-duc-dao-tao', license_id: 'cc-by' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
});
after(async () => {
  await srv.stop();
  rmSync(work, { recursive: true, force: true });
});

test('a merged title and a two-row merged header give one name per column', async () => {
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, {
    token: root, body: form(readFileSync(path.join(DATA, 'headers.xlsx')), 'dien-tich-dan-so.xlsx'),
  });
  assert.equal(up.status, 201, up.text);
  const st = await until(up.json.id, () => true);
  const fields = st.table.schema.fields;
  assert.deepEqual(fields.map((f) => f.title), [
    'Tỉnh', '2011 / Diện tích (km²)', '2011 / Dân số (nghìn người)', '2012 / Diện tích (km²)', '2012 / Dân số (nghìn người)',
  ]);
  assert.deepEqual(fields.map((f) => f.type), ['string', 'number', 'number', 'number', 'number']);
  assert.equal(st.table.header_line, 4);
  assert.equal(st.table.issue_counts.placeholder_null, 2);
});

test('the publisher chooses the rows in the upload form and changes them without a new upload', async () => {
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, {
    token: root, body: form(SCHOOLS, 'truong.csv', { header_row: '3', first_row: '5', last_row: '6' }),
  });
  assert.equal(up.status, 201, up.text);
  const rid = up.json.id;
  let st = await until(rid, (s) => s.table.header_line === 3 && s.table.rows === 2);
  assert.deepEqual(st.table.schema.fields.map((f) => f.name), ['ma_truong', 'ten_truong', 'so_lop', 'ghi_chu']);
  assert.equal(st.table.schema.fields[2].type, 'integer');
  assert.equal(st.table.rows, 2);
  assert.equal(st.table.header_line, 3);
  assert.equal(st.table.issue_counts.placeholder_null, 1);
  assert.equal(st.table.issue_counts.empty_column, 1);
  // The total row too: only last_row changes, the other choices hold.
  let r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { last_row: 7 } });
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.rows === 3);
  assert.equal(st.table.header_line, 3);
  r = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?sort=_id`, { token: root });
  assert.equal(r.json.rows[2].ma_truong, 'Tổng');
  assert.equal(r.json.rows[2].so_lop, 80);
  // Found from the file again: the header (row 3, past the short rows above it), and every row
  // below it, the column numbers and the total; the source line under the table is its note.
  r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, {
    token: root, body: { header_row: null, first_row: null, last_row: null },
  });
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.rows === 4);
  assert.equal(st.table.header_line, 3);
  assert.deepEqual(st.table.notes, ['Nguồn: Sở GD&ĐT']);
  assert.equal(st.table.issue_counts.left_out, 1);
  // Rows out of order are refused, field by field.
  r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, {
    token: root, body: { header_row: 5, first_row: 3 },
  });
  assert.equal(r.status, 400, r.text);
  assert.ok(r.json.error.details.first_row, r.text);
  r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { header_row: '3' } });
  assert.equal(r.status, 400, r.text);
  r = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, {
    token: root, body: form(SCHOOLS, 'truong.csv', { header_row: 'ba' }),
  });
  assert.equal(r.status, 400, r.text);
});

test('a stray value in a number column is listed with its row, column and what to do', async () => {
  const lines = ['Xã,Số hộ'];
  for (let i = 1; i <= 40; i++) lines.push(`Xã ${i},${100 + i}`);
  lines.push('Xã A,không có', 'Xã B,chưa rõ');
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, {
    token: root, body: form(lines.join('\n') + '\n', 'ho.csv'),
  });
  assert.equal(up.status, 201, up.text);
  const st = await until(up.json.id, () => true);
  assert.equal(st.table.schema.fields[1].type, 'integer');
  assert.equal(st.table.issue_counts.placeholder_null, 1);
  assert.equal(st.table.issue_counts.not_a_number, 1);
  const stray = st.table.issues.find((i) => i.kind === 'not_a_number');
  assert.equal(stray.line, 43);
  assert.equal(stray.column, 2);
  assert.match(stray.message_vi, /"chưa rõ" — ô này không phải số; sửa trong tệp hoặc đặt cột là văn bản/);
});

test('odp import --header-row, --first-row and --last-row', () => {
  const dir = path.join(work, 'cli');
  let r = odp(['init', '--data', dir, '--demo']);
  assert.equal(r.status, 0, r.stderr);
  const file = path.join(work, 'Trường học.csv');
  writeFileSync(file, SCHOOLS);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025',
    '--header-row', '3', '--first-row', '5', '--last-row', '6']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 dòng \/ rows, 4 cột \/ columns \(dòng tiêu đề \/ header line 3\)/);
  assert.match(r.stdout, /so_lop {2}integer {2}Số lớp/);
  assert.match(r.stdout, /ghi_chu {2}string {2}Ghi chú/);
  assert.match(r.stdout, /Cột Ghi chú không có giá trị nào/);
  // A new version keeps the choices; --last-row alone changes only that one.
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--resource', 'Trường học',
    '--last-row', '7']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 dòng \/ rows, 4 cột \/ columns \(dòng tiêu đề \/ header line 3\)/);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--header-row', '0']);
  assert.notEqual(r.status, 0);
  // A wide statistics table, loaded long.
  const wide = path.join(work, 'Diện tích.csv');
  writeFileSync(wide, 'Tỉnh;2011 Diện tích (Km2);2011 Dân số (Nghìn người);2012 Diện tích (Km2);2012 Dân số (Nghìn người)\nHuế;5033,2;1103,1;5033,2;1114,8\nQuảng Trị;4739,8;602,0;4739,8;606,4\n');
  r = odp(['import', wide, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--wide-to-long']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /8 dòng \/ rows, 5 cột \/ columns/);
  assert.match(r.stdout, /nam {2}integer {2}Năm/);
  assert.match(r.stdout, /don_vi {2}string {2}Đơn vị/);
  assert.match(r.stdout, /gia_tri {2}number {2}Giá trị/);
});

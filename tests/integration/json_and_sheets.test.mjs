// Nested JSON and the sheets of a workbook through the API: a document of provinces holding
// wards loads its wards with the provinces' fields as columns, the publisher picks another
// array of records (upload form, schema route), and whatever the table leaves out — other
// arrays, nested values, sheets not read — is a counted `left_out` issue in the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, call, addUser, login, fileForm, loadEnded } from './harness.mjs';

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/data/vn');
const PY = '/usr/bin/python3'; // Debian's Python, with python3-openpyxl
const work = mkdtempSync(path.join(tmpdir(), 'odp-nested-'));
let srv;
let root;
let slug;
let admin; // a browser session

// Two provinces; the second writes its fields after its wards. The links under each ward are
// the deepest repeating array.
const DOC = JSON.stringify({
  data: [
    {
      level1_id: '01', name: 'Thành phố Hà Nội',
      merges: [{ old_id: '01', name: 'Thành phố Hà Nội', type: 'full' }],
      level2s: [
        { level2_id: '00004', name: 'Phường Ba Đình', merges: [
          { old_id: '00004', name: 'Phường Trúc Bạch', type: 'full' },
          { old_id: '00016', name: 'Phường Ngọc Hà', type: 'partial' }] },
        { level2_id: '00008', name: 'Phường Ngọc Hà', merges: [
          { old_id: '00007', name: 'Phường Cống Vị', type: 'partial' }] },
      ],
    },
    {
      level2s: [{ level2_id: '19753', name: 'Phường Thuận Hóa', merges: [
        { old_id: '19750', name: 'Phường Phú Hội', type: 'full' }] }],
      level1_id: '46', name: 'Thành phố Huế',
      merges: [{ old_id: '46', name: 'Tỉnh Thừa Thiên Huế', type: 'full' }],
    },
  ],
  stats: { level1_count: 2, level2_count: 3 },
}, null, 1);

const form = fileForm;

async function upload(bytes, filename, fields = {}) {
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, filename, fields) });
  assert.equal(up.status, 201, up.text);
  return up.json.id;
}

// Waits until the newest load has ended and `check` holds for the status.
const until = (rid, check) => loadEnded(srv, rid, root, check);

const rows = async (rid, q = '') => (await call(srv, 'GET', `/api/v1/resources/${rid}/rows?limit=100${q}`, { token: root })).json.rows;
const leftOut = (st) => st.table.issues.filter((i) => i.kind === 'left_out');

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  admin = await login(srv, 'admin', srv.adminPassword);
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Đơn vị hành chính sau sắp xếp', organization: 'so-giao-duc-dao-tao' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
});
after(async () => { await srv.stop(); });

test('a nested JSON document loads its deepest repeating records with the parents as columns', async () => {
  const rid = await upload(DOC, 'merges.json');
  const st = await until(rid, (s) => s.table);
  assert.equal(st.job.state, 'done', JSON.stringify(st.job));
  assert.equal(st.table.source, 'JSON: data[].level2s[].merges[]');
  assert.equal(st.table.rows, 4);
  assert.deepEqual(st.table.schema.fields.map((f) => f.title),
    ['level1_id', 'level1_name', 'level2_id', 'level2_name', 'old_id', 'name', 'type']);
  const r = await rows(rid, '&sort=old_id');
  assert.deepEqual(r.map((x) => [x.level1_id, x.level1_name, x.level2_id, x.old_id, x.type]), [
    ['01', 'Thành phố Hà Nội', '00004', '00004', 'full'],
    ['01', 'Thành phố Hà Nội', '00008', '00007', 'partial'],
    ['01', 'Thành phố Hà Nội', '00004', '00016', 'partial'],
    ['46', 'Thành phố Huế', '19753', '19750', 'full'],
  ]);
  // What the table does not hold is said, in both languages.
  const notes = leftOut(st);
  assert.equal(st.table.issue_counts.left_out, notes.length);
  const vi = notes.map((n) => n.message_vi).join('\n');
  const en = notes.map((n) => n.message).join('\n');
  assert.match(vi, /2 bản ghi trong 2 mảng "data\[\]\.merges\[\]" không được nạp/);
  assert.match(en, /field "stats" at the top level is not in the rows/);
  assert.match(vi, /Trường "merges" của các phần tử "data\[\]"/);
});

test('the publisher picks the records at upload and in the schema; a wrong path fails and changes nothing', async () => {
  const rid = await upload(DOC, 'wards.json', { records: 'data[].level2s[]' });
  let st = await until(rid, (s) => s.table && s.table.source === 'JSON: data[].level2s[]');
  assert.equal(st.table.rows, 3);
  assert.deepEqual(st.table.schema.fields.map((f) => f.title), ['level1_id', 'level1_name', 'level2_id', 'name', 'merges']);
  assert.deepEqual((await rows(rid, '&sort=level2_id')).map((x) => [x.level1_name, x.name]),
    [['Thành phố Hà Nội', 'Phường Ba Đình'], ['Thành phố Hà Nội', 'Phường Ngọc Hà'], ['Thành phố Huế', 'Phường Thuận Hóa']]);

  let put = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { records: 'data[]' } });
  assert.equal(put.status, 202, put.text);
  st = await until(rid, (s) => s.table && s.table.source === 'JSON: data[]');
  assert.equal(st.table.rows, 2);
  assert.deepEqual(st.table.schema.fields.map((f) => f.title), ['level1_id', 'name', 'merges', 'level2s']);

  // A path the file does not have: the load fails, naming the paths it has; data[] keeps serving.
  put = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { records: 'data[].wards[]' } });
  assert.equal(put.status, 202, put.text);
  st = await until(rid, (s) => s.job.state === 'failed');
  assert.match(st.job.error.message_vi, /Tệp không có mảng bản ghi ở "data\[\]\.wards\[\]"/);
  assert.match(st.job.error.message_vi, /data\[\]\.level2s\[\]\.merges\[\]/);
  assert.equal(st.table.source, 'JSON: data[]');
  assert.equal((await rows(rid)).length, 2);

  const bad = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { records: 5 } });
  assert.equal(bad.status, 400, bad.text);
});

test('a single object is JSON, not NDJSON; a long nested value is reported, not kept as a cell', async () => {
  const wards = Array.from({ length: 200 }, (_, i) => ({ Code: String(i).padStart(5, '0'), Name: `Xã ${i}` }));
  const doc = JSON.stringify([{ Code: '01', Name: 'Hà Nội', Wards: wards }, { Code: '02', Name: 'Hà Giang', Wards: [] }]);
  const rid = await upload(doc, 'provinces.json', { records: '[]' });
  const st = await until(rid, (s) => s.table && s.table.source === 'JSON array');
  assert.deepEqual((await rows(rid, '&sort=code')).map((x) => [x.code, x.wards]), [['01', null], ['02', '[]']]);
  const notes = leftOut(st).map((n) => n.message);
  assert.ok(notes.some((m) => /field "Wards" of the records \(\[\]\): a nested value longer than 4096 bytes was left out of 1 record/.test(m)), notes.join('\n'));
  assert.ok(notes.some((m) => /200 records in 2 array\(s\) at "\[\]\.Wards\[\]" are not loaded/.test(m)), notes.join('\n'));

  const one = await upload(JSON.stringify({ ma: '046', ten: 'Thành phố Huế' }), 'one.json');
  const o = await until(one, (s) => s.table);
  assert.equal(o.table.source, 'JSON');
  assert.deepEqual((await rows(one)).map((x) => [x.ma, x.ten]), [['046', 'Thành phố Huế']]);
});

test('the real list of provinces and wards gives 3,321 wards with their province', { skip: !existsSync(SHARED) }, async () => {
  const file = path.join(SHARED, 'simplified_json_generated_data_vn_units_2026-07-25__20_49_07.json');
  const rid = await upload(readFileSync(file), 'units.json');
  const st = await until(rid, (s) => s.table);
  assert.equal(st.job.state, 'done', JSON.stringify(st.job));
  assert.equal(st.table.source, 'JSON: [].Wards[]');
  assert.equal(st.table.rows, 3321);
  assert.equal(st.table.schema.fields.length, 13);
  assert.deepEqual(leftOut(st), []);
  const hue = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?level1_code=46&limit=1&sort=code`, { token: root });
  assert.equal(hue.json.rows[0].level1_fullname, 'Thành phố Huế');

  const merges = await upload(readFileSync(path.join(SHARED, 'merges.json')), 'merges.json');
  const m = await until(merges, (s) => s.table);
  assert.equal(m.job.state, 'done', JSON.stringify(m.job));
  assert.equal(m.table.source, 'JSON: data[].level2s[].merges[]');
  assert.equal(m.table.rows, 10604);
  const en = leftOut(m).map((n) => n.message).join('\n');
  assert.match(en, /63 records in 34 array\(s\) at "data\[\]\.merges\[\]" are not loaded/);
  assert.match(en, /field "stats" at the top level is not in the rows/);
});

// A climate workbook: three sheets, each a variable with its station and unit above the header.
function climateBook() {
  const file = path.join(work, 'khi_hau.xlsx');
  execFileSync(PY, ['-c', `
import sys, openpyxl
wb = openpyxl.Workbook()
first = True
for name, unit, values in [("Lượng mưa", "mm", [2870.5, 3120]), ("Nhiệt độ", "°C", [25.1, 25.4]), ("Độ ẩm", "%", [84, 86])]:
    ws = wb.active if first else wb.create_sheet(name)
    ws.title = name
    first = False
    ws.append(["Trạm: Huế"])
    ws.append(["Yếu tố: " + name])
    ws.append(["Đơn vị: " + unit])
    ws.append([])
    ws.append(["Năm", name + " (" + unit + ")"])
    for year, v in zip([2020, 2021], values):
        ws.append([year, v])
wb.save(sys.argv[1])
`, file]);
  return readFileSync(file);
}

test('one sheet loaded: each other sheet is reported; the title rows are the caption', async () => {
  const rid = await upload(climateBook(), 'khi_hau.xlsx');
  const st = await until(rid, (s) => s.table);
  assert.equal(st.job.state, 'done', JSON.stringify(st.job));
  assert.deepEqual(st.table.caption, ['Trạm: Huế', 'Yếu tố: Lượng mưa', 'Đơn vị: mm']);
  assert.deepEqual(leftOut(st).map((n) => n.message_vi), [
    'Trang tính 2 "Nhiệt độ" không được nạp (chỉ nạp trang 1); để nạp, chọn trang 2 hoặc mọi trang ("all").',
    'Trang tính 3 "Độ ẩm" không được nạp (chỉ nạp trang 1); để nạp, chọn trang 3 hoặc mọi trang ("all").',
  ]);
  const pub = await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  assert.ok(pub.status < 300, pub.text);
  const page = await call(srv, 'GET', `/datasets/${slug}/resources/${rid}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<div class="table-caption"[^>]*><p>Trạm: Huế<\/p><p>Yếu tố: Lượng mưa<\/p><p>Đơn vị: mm<\/p><\/div>/);
  assert.match(page.text, /Không được nạp: 2/);
});

test('one upload makes one resource per chosen sheet over the same file; a sheet it lacks adds nothing', async () => {
  const bytes = climateBook();
  const before = (await call(srv, 'GET', `/api/v1/datasets/${slug}/resources`, { token: root })).json.resources.length;
  const bad = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, 'khi_hau.xlsx', { sheets: '1,9' }) });
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.json.error.details.sheets, bad.text);
  assert.match(bad.text, /Tệp không có trang tính số 9 \(chỉ có 3\)/);
  const single = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, 'khi_hau.xlsx', { sheet: '9' }) });
  assert.equal(single.status, 400, single.text);
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${slug}/resources`, { token: root })).json.resources.length, before);

  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, 'Khí hậu Huế.xlsx', { sheets: '1,3' }) });
  assert.equal(up.status, 201, up.text);
  const made = up.json.sheet_resources;
  assert.deepEqual(made.map((r) => r.name), ['Khí hậu Huế — Lượng mưa', 'Khí hậu Huế — Độ ẩm']);
  assert.equal(up.json.id, made[0].id);
  const rain = await until(made[0].id, (s) => s.table && s.table.source.includes('Lượng mưa'));
  const humid = await until(made[1].id, (s) => s.table && s.table.source.includes('Độ ẩm'));
  assert.deepEqual(rain.table.schema.fields.map((f) => f.title), ['Năm', 'Lượng mưa (mm)']);
  assert.deepEqual(humid.table.caption, ['Trạm: Huế', 'Yếu tố: Độ ẩm', 'Đơn vị: %']);
  assert.deepEqual((await rows(made[1].id, '&sort=nam')).map((x) => [x.nam, x.do_am]), [[2020, 84], [2021, 86]]);
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${slug}/resources`, { token: root })).json.resources.length, before + 2);

  const notBook = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(DOC, 'x.json', { sheets: 'all' }) });
  assert.equal(notBook.status, 400, notBook.text);
});

test('the workspace: the schema form shows and changes the records; the upload form makes one resource per sheet', async () => {
  const rid = await upload(DOC, 'form.json');
  await until(rid, (s) => s.table);
  let r = await call(srv, 'GET', `/workspace/resources/${rid}/schema`, { session: admin });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /<input id="records" name="records" value="data\[\]\.level2s\[\]\.merges\[\]"/);
  const fields = { csrf: admin.csrf, primary_key: '', records: 'data[].level2s[]' };
  for (const f of (await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root })).json.table.schema.fields) {
    fields[`label_${f.name}`] = f.title;
    fields[`type_${f.name}`] = f.type;
    fields[`description_${f.name}`] = '';
  }
  r = await call(srv, 'POST', `/workspace/resources/${rid}/schema`, {
    session: admin, body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, r.text);
  const st = await until(rid, (s) => s.table && s.table.source === 'JSON: data[].level2s[]');
  assert.equal(st.table.rows, 3);

  const manage = await call(srv, 'GET', `/workspace/datasets/${slug}`, { session: admin });
  assert.match(manage.text, /name="sheets"/);
  assert.match(manage.text, /name="records"/);
  const fd = form(climateBook(), 'Trạm Huế.xlsx', { csrf: admin.csrf, sheets: 'all' });
  const before = (await call(srv, 'GET', `/api/v1/datasets/${slug}/resources`, { token: root })).json.resources.length;
  r = await call(srv, 'POST', `/workspace/datasets/${slug}/resources`, { session: admin, body: fd });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const all = (await call(srv, 'GET', `/api/v1/datasets/${slug}/resources`, { token: root })).json.resources;
  assert.equal(all.length, before + 3);
  assert.deepEqual(all.slice(-3).map((x) => x.name), ['Trạm Huế — Lượng mưa', 'Trạm Huế — Nhiệt độ', 'Trạm Huế — Độ ẩm']);
  const temp = await until(all[all.length - 2].id, (s) => s.table && s.table.source.includes('Nhiệt độ'));
  assert.deepEqual(temp.table.caption, ['Trạm: Huế', 'Yếu tố: Nhiệt độ', 'Đơn vị: °C']);
});

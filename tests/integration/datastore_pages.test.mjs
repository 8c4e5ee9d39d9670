// The datastore's publisher-facing parts over HTTP: every sheet of a workbook stacked into one
// table, geopoints and GeoJSON, Data Package downloads, schema changes that merge and outlive
// new files, and the resource page (filters, sort, paging, chart) and the schema form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, call, addUser, login } from './harness.mjs';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data');
const PY = '/usr/bin/python3'; // Debian's Python, with python3-openpyxl
let srv;
let root;
let admin;
let slug;
let places; // resource id: a table with coordinates
const work = mkdtempSync(path.join(tmpdir(), 'odp-dsp-'));

const PLACES = [
  'Tên địa điểm,Loại,Vĩ độ,Kinh độ,Lượt khách',
  'Hồ Hoàn Kiếm,Danh thắng,21.0287,105.8524,12000',
  'Văn Miếu,Di tích,21.0293,105.8355,8000',
  'Lăng Bác,Di tích,21.0368,105.8346,15000',
  'Chợ Đồng Xuân,Chợ,21.0383,105.8497,5000',
  'Chưa định vị,Khác,,,100',
].join('\n') + '\n';

function form(bytes, filename, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('upload', new Blob([typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes]), filename);
  return fd;
}

async function loaded(rid, version) {
  for (let i = 0; i < 400; i++) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root });
    const job = r.json.job;
    if (job && job.version === version && ['done', 'failed', 'cancelled'].includes(job.state)) return r.json;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`load of ${rid} v${version} did not finish`);
}

async function upload(bytes, filename, fields = {}) {
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, filename, fields) });
  assert.equal(up.status, 201, up.text);
  return up.json.id;
}

// Waits until `check(status)` holds for the resource's table (a reload after a schema change).
async function until(rid, check) {
  for (let i = 0; i < 400; i++) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root });
    if (r.json.table && r.json.job && r.json.job.state === 'done' && check(r.json)) return r.json;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`table of ${rid} never reached the expected state`);
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  admin = await login(srv, 'admin', srv.adminPassword);
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Điểm du lịch Hà Nội', organization: 'so-giao-duc-dao-tao', license_id: 'cc-by' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
  places = await upload(PLACES, 'Điểm du lịch.csv', { name: 'Điểm du lịch' });
  await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  await loaded(places, 1);
});
after(async () => { await srv.stop(); });

test('every sheet of a workbook stacks into one table, matched by header label', async () => {
  const file = path.join(work, 'quan.xlsx');
  execFileSync(PY, ['-c', `
import sys, openpyxl
wb = openpyxl.Workbook()
a = wb.active
a.title = "Ba Đình"
a.append(["DANH SÁCH TRƯỜNG"])
a.append([])
a.append(["Tên trường", "Số học sinh"])
a.append(["THCS Giảng Võ", 1200])
b = wb.create_sheet("Hoàn Kiếm")
b.append(["Số học sinh", "Tên trường", "Ghi chú"])
b.append([750, "THCS Ngô Sĩ Liên", "Trường chuẩn"])
wb.save(sys.argv[1])
`, file]);
  const x = await upload(readFileSync(file), 'truong.xlsx', { sheet: 'all' });
  const st = await loaded(x, 1);
  assert.equal(st.job.state, 'done', JSON.stringify(st.job));
  assert.equal(st.table.source, 'XLSX, 2 sheets');
  assert.deepEqual(st.table.schema.fields.map((f) => f.title), ['Trang tính', 'Tên trường', 'Số học sinh', 'Ghi chú']);
  const r = await call(srv, 'GET', `/api/v1/resources/${x}/rows?sort=-so_hoc_sinh`, { token: root });
  assert.deepEqual(r.json.rows.map((row) => [row.trang_tinh, row.ten_truong, row.so_hoc_sinh, row.ghi_chu]), [
    ['Ba Đình', 'THCS Giảng Võ', 1200, null],
    ['Hoàn Kiếm', 'THCS Ngô Sĩ Liên', 750, 'Trường chuẩn'],
  ]);
  const bad = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(readFileSync(file), 't.xlsx', { sheet: 'hai' }) });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message_vi, /Trang tính/);
});

test('latitude and longitude make a geopoint; GeoJSON and Data Package downloads', async () => {
  const st = await loaded(places, 1);
  assert.deepEqual(st.table.geopoint, { latitude: 'vi_do', longitude: 'kinh_do' });
  let r = await call(srv, 'GET', `/api/v1/resources/${places}/export?format=geojson&loai=Di%20t%C3%ADch&sort=ten_dia_diem`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/geo+json; charset=utf-8');
  assert.match(r.headers.get('content-disposition'), /\.geojson/);
  assert.equal(r.json.type, 'FeatureCollection');
  assert.deepEqual(r.json.features.map((f) => [f.properties.ten_dia_diem, f.geometry.coordinates]), [
    ['Lăng Bác', [105.8346, 21.0368]],
    ['Văn Miếu', [105.8355, 21.0293]],
  ]);
  r = await call(srv, 'GET', `/datastore/dump/${places}?format=geojson&q=dinh%20vi`);
  assert.equal(r.json.features.length, 1);
  assert.equal(r.json.features[0].geometry, null);

  r = await call(srv, 'GET', `/api/v1/resources/${places}/export?format=datapackage`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('content-type'), 'application/zip');
  assert.match(r.headers.get('content-disposition'), /\.zip/);
  const zip = path.join(work, 'pkg.zip');
  writeFileSync(zip, r.bytes);
  const pkg = JSON.parse(execFileSync(PY, ['-c', `
import json, sys, zipfile, csv, io
z = zipfile.ZipFile(sys.argv[1])
d = json.loads(z.read("datapackage.json"))
res = d["resources"][0]
rows = list(csv.reader(io.StringIO(z.read(res["path"]).decode("utf-8"), newline="")))
print(json.dumps({"d": d, "rows": rows, "names": sorted(z.namelist())}, ensure_ascii=False))
`, zip]).toString('utf8'));
  assert.equal(pkg.d.profile, 'tabular-data-package');
  assert.equal(pkg.d.title, 'Điểm du lịch Hà Nội');
  assert.equal(pkg.d.licenses[0].name, 'cc-by');
  const res = pkg.d.resources[0];
  assert.equal(res.path, 'diem-du-lich.csv');
  assert.deepEqual(pkg.names, ['datapackage.json', 'diem-du-lich.csv']);
  assert.deepEqual(res.schema.fields.map((f) => f.name), pkg.rows[0]);
  assert.equal(res.schema.fields[1].title, 'Tên địa điểm');
  assert.equal(res.schema.fields[5].type, 'integer');
  assert.deepEqual(pkg.rows[1], ['1', 'Hồ Hoàn Kiếm', 'Danh thắng', '21.0287', '105.8524', '12000']);
  assert.equal(pkg.rows.length, 6);

  // No coordinates, no GeoJSON: a clear error.
  const plain = await upload('a,b\n1,2\n', 'plain.csv');
  await loaded(plain, 1);
  r = await call(srv, 'GET', `/api/v1/resources/${plain}/export?format=geojson`, { token: root });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message_vi, /vĩ độ/);
});

test('schema changes merge with earlier ones and outlive a new file', async () => {
  const rid = await upload('Mã,Tên\n1,Ba Đình\n2,Hoàn Kiếm\n', 'ma.csv');
  let st = await loaded(rid, 1);
  assert.equal(st.table.schema.fields[0].type, 'integer');
  let r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, {
    token: root, body: { fields: [{ name: 'ma', type: 'string', title: 'Mã đơn vị' }], primaryKey: 'ma' },
  });
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.schema.fields[0].type === 'string');
  r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, {
    token: root, body: { fields: [{ name: 'ten', description: 'Tên theo Nghị quyết' }] },
  });
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.schema.fields[1].description === 'Tên theo Nghị quyết');
  assert.equal(st.table.schema.fields[0].type, 'string'); // the first change still holds
  assert.equal(st.table.schema.fields[0].title, 'Mã đơn vị');
  assert.deepEqual(st.table.schema.primaryKey, ['ma']);
  // A new file: the publisher's choices stay.
  r = await call(srv, 'PUT', `/api/v1/resources/${rid}/file`, { token: root, body: form('Mã,Tên\n001,Ba Đình\n003,Tây Hồ\n003,Tây Hồ\n', 'ma.csv') });
  assert.equal(r.status, 200, r.text);
  st = await loaded(rid, 2);
  assert.equal(st.table.version, 2);
  assert.equal(st.table.schema.fields[0].type, 'string');
  assert.equal(st.table.schema.fields[0].title, 'Mã đơn vị');
  assert.equal(st.table.schema.fields[1].description, 'Tên theo Nghị quyết');
  assert.equal(st.table.issue_counts.duplicate_key, 1);
  r = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?ma=003`, { token: root });
  assert.equal(r.json.rows[0].ma, '003'); // leading zeros kept
  // primaryKey [] clears the key.
  r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { primaryKey: [] } });
  st = await until(rid, (s) => s.table.schema.primaryKey.length === 0);
  assert.equal(st.table.schema.fields[0].type, 'string');
});

test('the resource page filters, sorts, pages and charts through the query grammar', async () => {
  const page = `/datasets/${slug}/resources/${places}`;
  let r = await call(srv, 'GET', page);
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>Điểm du lịch<\/h1>/);
  assert.match(r.text, /Hồ Hoàn Kiếm/);
  assert.match(r.text, /aria-sort="none"/);
  assert.match(r.text, /Không phát hiện vấn đề nào/);
  assert.match(r.text, /GeoJSON/);
  // The filter form becomes the REST grammar in the address.
  r = await call(srv, 'GET', `${page}?filter_field=luot_khach&filter_op=gte&filter_value=8000`);
  assert.equal(r.status, 303);
  const location = r.headers.get('location');
  assert.equal(location, `${page}?luot_khach%5Bgte%5D=8000`);
  r = await call(srv, 'GET', `${location}&sort=-luot_khach`);
  assert.equal(r.status, 200);
  const names = [...r.text.matchAll(/<td>([^<]+)<\/td><td>(Danh thắng|Di tích|Chợ|Khác)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(names, ['Lăng Bác', 'Hồ Hoàn Kiếm', 'Văn Miếu']);
  assert.match(r.text, /3 dòng khớp \/ 5 dòng/);
  assert.match(r.text, /aria-sort="descending"/);
  assert.match(r.text, /Lượt khách lớn hơn hoặc bằng|Lượt khách từ \(≥\) 8000/);
  // Downloads of this view carry its filters and sort.
  assert.match(r.text, /\/export\?luot_khach%5Bgte%5D=8000&amp;sort=-luot_khach&amp;format=csv/);
  // Paging by cursor: two rows a page.
  r = await call(srv, 'GET', `${page}?limit=2&sort=ten_dia_diem`);
  const next = r.text.match(/href="([^"]+cursor=[^"]+)" rel="next"/);
  assert.ok(next, 'a next-page link');
  r = await call(srv, 'GET', next[1].replaceAll('&amp;', '&'));
  assert.equal(r.status, 200);
  assert.match(r.text, /Hồ Hoàn Kiếm/);
  assert.doesNotMatch(r.text, /Chợ Đồng Xuân<\/td>/);
  assert.match(r.text, /Trang đầu/);
  // A chart of the sum of visitors by kind, largest first, with its figures and API twin.
  r = await call(srv, 'GET', `${page}?group_by=loai&metrics=sum:luot_khach`);
  assert.equal(r.status, 200);
  const bars = [...r.text.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(bars.length, 4);
  assert.ok(bars[0] >= bars[1] && bars[1] >= bars[2], bars.join(','));
  assert.match(r.text, /<td>Di tích<\/td><td class="num">23.000<\/td>/); // as Vietnamese readers write it
  assert.match(r.text, /\/aggregate\?group_by=loai&amp;metrics=sum%3Aluot_khach/);
  // Bad filters are explained, in Vietnamese, and the page still answers.
  r = await call(srv, 'GET', `${page}?khong_co[gt]=1`);
  assert.equal(r.status, 400);
  assert.match(r.text, /notice-error/);
  r = await call(srv, 'GET', `/en${page}`);
  assert.match(r.text, /Table data/);
});

test('pages show numbers, dates and province codes as people read them; the API keeps raw values', async () => {
  const csv = [
    'Mã tỉnh,Năm,Dân số,Tỉ lệ,Ngày,Cập nhật',
    '46,2024,1198930,12.4,2024-11-15,2024-11-15T07:05:00',
    '01,2024,8587100,-0.05,2025-01-02,2025-01-02T00:00:00',
  ].join('\n') + '\n';
  const rid = await upload(csv, 'dan-so.csv', { name: 'Dân số 2024' });
  const st = await loaded(rid, 1);
  assert.deepEqual(st.table.schema.fields.map((f) => f.type), ['string', 'integer', 'integer', 'number', 'date', 'datetime']);
  const page = `/datasets/${slug}/resources/${rid}`;
  let r = await call(srv, 'GET', `${page}?sort=ma_tinh`);
  assert.equal(r.status, 200);
  const row = (html, first) => html.match(new RegExp(`<tr><td>${first}</td>.*?</tr>`))[0];
  assert.equal(row(r.text, 'Thành phố Huế'),
    '<tr><td>Thành phố Huế</td><td class="num">2024</td><td class="num">1.198.930</td><td class="num">12,4</td><td>15/11/2024</td><td>15/11/2024 07:05</td></tr>');
  assert.match(r.text, /<td>Thành phố Hà Nội<\/td><td class="num">2024<\/td><td class="num">8.587.100<\/td><td class="num">-0,05<\/td><td>02\/01\/2025<\/td><td>02\/01\/2025 00:00<\/td>/);
  r = await call(srv, 'GET', `/en${page}?sort=ma_tinh`);
  assert.equal(row(r.text, 'Hue City'),
    '<tr><td>Hue City</td><td class="num">2024</td><td class="num">1,198,930</td><td class="num">12.4</td><td>2024-11-15</td><td>2024-11-15 07:05</td></tr>');
  // The chart's labels and figures read the same way.
  r = await call(srv, 'GET', `${page}?group_by=ma_tinh&metrics=sum:dan_so`);
  assert.match(r.text, /<td>Thành phố Hà Nội<\/td><td class="num">8.587.100<\/td>/);
  assert.match(r.text, /class="bar-label">Thành phố Huế</);
  // The API and the downloads keep the codes and typed values.
  r = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?sort=ma_tinh`);
  assert.deepEqual(r.json.rows[1], { _id: 1, ma_tinh: '46', nam: 2024, dan_so: 1198930, ti_le: 12.4, ngay: '2024-11-15', cap_nhat: '2024-11-15T07:05:00' });
  // A code that is no province of today keeps the column as codes.
  const old = await upload('Mã tỉnh,Tên\n02,Hà Giang\n46,Thừa Thiên Huế\n', 'cu.csv', { name: 'Tỉnh cũ' });
  await loaded(old, 1);
  r = await call(srv, 'GET', `/datasets/${slug}/resources/${old}`);
  assert.match(r.text, /<td>02<\/td><td>Hà Giang<\/td>/);
  assert.match(r.text, /<td>46<\/td><td>Thừa Thiên Huế<\/td>/);
  // The downloads: a CSV for Excel in Vietnamese, and without _id when the reader asks.
  r = await call(srv, 'GET', page);
  assert.match(r.text, new RegExp(`/api/v1/resources/${rid}/export\\?format=csv&amp;dialect=excel-vi" download>CSV cho Excel tiếng Việt`));
  const toggle = r.text.match(/href="([^"]*include_id=false)">Bỏ cột _id</);
  assert.ok(toggle, 'a link that leaves _id out of the downloads');
  r = await call(srv, 'GET', toggle[1].replaceAll('&amp;', '&'));
  assert.equal(r.status, 200);
  assert.match(r.text, /export\?include_id=false&amp;format=csv&amp;dialect=excel-vi/);
  assert.match(r.text, />Kèm cột _id</);
  r = await call(srv, 'GET', `/api/v1/resources/${rid}/export?include_id=false&format=csv&dialect=excel-vi&sort=ma_tinh`);
  assert.equal(r.bytes.subarray(3).toString('utf8').split('\r\n')[2], '46;2024;1198930;12,4;2024-11-15;2024-11-15 07:05:00');
});

test('the schema form changes types, labels and the key, and re-validates', async () => {
  const rid = await upload('Mã,Tên\n001,Ba Đình\n001,Hoàn Kiếm\n', 'don-vi.csv');
  await loaded(rid, 1);
  let r = await call(srv, 'GET', `/workspace/resources/${rid}/schema`, { session: admin });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /name="type_ma"/);
  const fields = {
    csrf: admin.csrf, label_ma: 'Mã đơn vị', type_ma: 'string', description_ma: 'Theo Quyết định 124',
    label_ten: 'Tên', type_ten: 'string', description_ten: '', primary_key: 'ma', encoding: '',
  };
  r = await call(srv, 'POST', `/workspace/resources/${rid}/schema`, {
    session: admin, body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, r.text);
  const st = await until(rid, (s) => s.table.schema.fields[0].title === 'Mã đơn vị');
  assert.equal(st.table.schema.fields[0].type, 'string');
  assert.equal(st.table.schema.fields[0].description, 'Theo Quyết định 124');
  assert.deepEqual(st.table.schema.primaryKey, ['ma']);
  assert.equal(st.table.issue_counts.duplicate_key, 1);
  // The resource page shows the key and the duplicate in its report.
  r = await call(srv, 'GET', `/datasets/${slug}/resources/${rid}`);
  assert.match(r.text, /Khoá chính trùng: 1/);
  // An empty label is refused with the column named, nothing reloaded.
  r = await call(srv, 'POST', `/workspace/resources/${rid}/schema`, {
    session: admin, body: new URLSearchParams({ ...fields, label_ten: '' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 400);
  assert.match(r.text, /Hãy nhập tên cột/);
  // Anonymous visitors are sent to log in; nobody else's table is editable.
  r = await call(srv, 'GET', `/workspace/resources/${rid}/schema`);
  assert.equal(r.status, 303);
});

test('an .xls file that makes FreeXL overflow is refused cleanly; the server goes on', async () => {
  // Found by fuzz/xls_fuzz.cpp: FreeXL (Debian 12) writes below a stack buffer on this file.
  // The portal parses .xls in a helper process, so at worst the helper dies.
  const bad = await upload(readFileSync(path.join(DATA, 'freexl-overflow.xls')), 'hong.xls');
  const st = await loaded(bad, 1);
  assert.equal(st.job.state, 'failed', JSON.stringify(st.job));
  assert.match(st.job.error.message_vi, /XLS/);
  const good = await upload(readFileSync(path.join(DATA, 'sample.xls')), 'mau.xls');
  const ok = await loaded(good, 1);
  assert.equal(ok.job.state, 'done', JSON.stringify(ok.job));
  assert.equal(ok.table.source, "XLS sheet 'Đơn vị hành chính'");
  assert.equal((await call(srv, 'GET', '/api/3/action/status_show')).status, 200);
});

test('the workspace shows a load in progress and stops it', async () => {
  const first = await upload('a,b\n1,2\n', 'dung.csv');
  await loaded(first, 1);
  const big = 'a,b\n' + Array.from({ length: 400000 }, (_, i) => `${i},Dòng số ${i}`).join('\n') + '\n';
  let r = await call(srv, 'PUT', `/api/v1/resources/${first}/file`, { token: root, body: form(big, 'dung.csv') });
  assert.equal(r.status, 200, r.text);
  const page = await call(srv, 'GET', `/workspace/datasets/${slug}`, { session: admin });
  assert.equal(page.status, 200);
  r = await call(srv, 'POST', `/workspace/resources/${first}/cancel`, {
    session: admin, body: new URLSearchParams({ csrf: admin.csrf }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303);
  const where = r.headers.get('location');
  assert.match(where, /done=(load_cancelled|nothing_loading)/);
  const st = await loaded(first, 2);
  if (where.includes('load_cancelled')) {
    assert.equal(st.job.state, 'cancelled');
    assert.equal(st.table.version, 1); // the previous version still serves
    const after = await call(srv, 'GET', where, { session: admin });
    assert.match(after.text, /Đã dừng việc nạp bảng/);
    assert.match(after.text, /Nạp bảng: đã huỷ/);
  }
  // Without the session's CSRF token nothing is stopped.
  r = await call(srv, 'POST', `/workspace/resources/${first}/cancel`, {
    session: { cookie: admin.cookie, csrf: 'x' }, body: new URLSearchParams({ csrf: 'sai' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 403);
});

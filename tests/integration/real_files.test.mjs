// Every file of ../shared/data/vn/ (real public-sector files, none made for the project) loads into
// a sensible table through the upload API (issue 16): what each gives is written down below —
// rows, the header's labels, column types, decoded Vietnamese — and the validation report names
// what was not loaded faithfully instead of staying silent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, call, addUser, fileForm, loadEnded } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VN = path.resolve(HERE, '../../../shared/data/vn');
// Beside the project (../shared); where a checkout has no such folder the tests say so as skipped.
const SKIP = existsSync(VN) ? false : `the real files are not at ${VN}`;
let srv;
let root;
let slug;

async function upload(file, fields = {}) {
  const fd = fileForm(readFileSync(path.join(VN, file)), file, fields);
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: fd });
  assert.equal(up.status, 201, up.text);
  return up.json.id;
}

// The loaded table's status (the load must end `done`).
async function loaded(rid) {
  const st = await loadEnded(srv, rid, root, (s) => {
    if (s.job.state === 'failed') throw new Error(`load failed: ${JSON.stringify(s.job)}`);
    return s.table;
  }, { tries: 2400, ms: 50 });
  return st.table;
}

async function firstRows(rid, n = 3) {
  const r = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?limit=${n}`, { token: root });
  assert.equal(r.status, 200, r.text);
  return r.json.rows;
}

const labels = (t) => t.schema.fields.map((f) => f.title);
const types = (t) => Object.fromEntries(t.schema.fields.map((f) => [f.title, f.type]));

before(async () => {
  if (SKIP) return;
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Tệp thật', organization: 'so-giao-duc-dao-tao', license_id: 'cc-by' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
});
after(async () => { if (srv) await srv.stop(); });

async function load(file, fields = {}) {
  const rid = await upload(file, fields);
  return { rid, t: await loaded(rid) };
}

test('data.xls (GSO export, 3 levels of units before 2025): every row, codes kept as text with their zeros', { skip: SKIP }, async () => {
  const { rid, t } = await load('data.xls');
  assert.equal(t.rows, 10040);
  assert.deepEqual(labels(t), ['Tỉnh Thành Phố', 'Mã TP', 'Quận Huyện', 'Mã QH', 'Phường Xã', 'Mã PX', 'Cấp', 'Tên Tiếng Anh']);
  assert.ok(t.schema.fields.every((f) => f.type === 'string'), JSON.stringify(types(t)));
  const [first] = await firstRows(rid, 1);
  assert.equal(first.tinh_thanh_pho, 'Thành phố Hà Nội');
  assert.equal(first.ma_tp, '01');
  assert.equal(first.ma_qh, '001');
  assert.equal(first.ma_px, '00001');
  assert.equal(first.phuong_xa, 'Phường Phúc Xá');
  // On the page, the province code of the first rows (Hà Nội, 01: a province of today too) reads as
  // its name; district and ward codes stay codes.
  const page = await call(srv, 'GET', `/datasets/${slug}/resources/${rid}`, { token: root });
  assert.equal(page.status, 200);
  assert.match(page.text, /<tr><td>Thành phố Hà Nội<\/td><td>Thành phố Hà Nội<\/td><td>Quận Ba Đình<\/td><td>001<\/td><td>Phường Phúc Xá<\/td><td>00001<\/td>/);
});

test('the provinces JSON (34 provinces holding 3,321 wards): one row per ward, the province carried down', { skip: SKIP }, async () => {
  const { rid, t } = await load('simplified_json_generated_data_vn_units_2026-07-25__20_49_07.json');
  assert.equal(t.source, 'JSON: [].Wards[]');
  assert.equal(t.rows, 3321);
  assert.equal(labels(t).length, 13);
  assert.deepEqual(labels(t).slice(0, 2), ['level1_Code', 'level1_Name']);
  assert.equal(t.issue_counts.left_out ?? 0, 0);
  const [first] = await firstRows(rid, 1);
  assert.equal(first.level1_code, '01');
  assert.equal(first.level1_fullname, 'Thành phố Hà Nội');
  assert.equal(first.code, '00004');
  assert.equal(first.fullname, 'Phường Ba Đình');
  // level1_Code is recognised as a province code on the page (the English one: "Hanoi City").
  const page = await call(srv, 'GET', `/en/datasets/${slug}/resources/${rid}`, { token: root });
  assert.match(page.text, /<tr><td>Hanoi City<\/td><td>Hà Nội<\/td>/);
});

test('merges.json: 10,604 old-to-new links with both levels above them; the rest is reported as left out', { skip: SKIP }, async () => {
  const { rid, t } = await load('merges.json');
  assert.equal(t.source, 'JSON: data[].level2s[].merges[]');
  assert.equal(t.rows, 10604);
  assert.deepEqual(labels(t), ['level1_id', 'level1_name', 'level2_id', 'level2_name', 'old_id', 'name', 'type']);
  assert.ok(t.issue_counts.left_out >= 1, JSON.stringify(t.issue_counts));
  const [first] = await firstRows(rid, 1);
  assert.equal(first.level2_name, 'Phường Ba Đình');
  assert.equal(first.old_id, '00004');
});

test('915_CTK-CSCL.csv: the 34 provinces after the merger, codes as text', { skip: SKIP }, async () => {
  const { rid, t } = await load('915_CTK-CSCL.csv');
  assert.equal(t.rows, 34);
  assert.equal(t.encoding, 'UTF-8');
  assert.deepEqual(Object.entries(types(t)), [['Stt', 'integer'], ['Mã số', 'string'], ['Tên 34 tỉnh sau sáp nhập', 'string']]);
  const [first] = await firstRows(rid, 1);
  assert.deepEqual([first.ma_so, first.ten_34_tinh_sau_sap_nhap], ['01', 'Thành phố Hà Nội']);
});

test('dientich.csv (PX-Web, a year row over the item): one name per column, numbers, the title as caption, the footnote as notes', { skip: SKIP }, async () => {
  let { rid, t } = await load('dientich.csv');
  assert.equal(t.header_line, 4);
  assert.deepEqual(labels(t).slice(1), [2011, 2012, 2013, 2014, 2015].map((y) => `${y} / Diện tích(*) (Km2)`));
  assert.ok(labels(t).slice(1).every((l) => types(t)[l] === 'number'));
  assert.equal(t.caption.length, 1);
  assert.match(t.caption[0], /^Diện tích, dân số và mật độ dân số/);
  // 69 areas; the three lines of the footnote below the table are its notes, each reported.
  assert.equal(t.rows, 69);
  assert.equal(t.notes.length, 3);
  assert.match(t.notes[0], /^\(\*\)Diện tích có đến 01\/01\/2014 theo Quyết định số 1467\/QĐ-BTNMT/);
  assert.equal(t.notes[2], 'trường.');
  assert.equal(t.issue_counts.left_out, 3);
  const [first] = await firstRows(rid, 1);
  assert.equal(first.cot_1, 'Đồng bằng sông Hồng');
  assert.equal(first.c_2011_dien_tich_km2, 21068.1);
  ({ t } = await load('dientich.csv', { last_row: '73' }));
  assert.equal(t.rows, 69);
});

test('dientich.csv turned long: one row per area and year, the unit read from the header, the footnotes reported', { skip: SKIP }, async () => {
  const { rid, t } = await load('dientich.csv', { wide_to_long: 'true' });
  assert.deepEqual(labels(t), ['Cột 1', 'Năm', 'Chỉ tiêu', 'Đơn vị', 'Giá trị']);
  assert.deepEqual(Object.values(types(t)), ['string', 'integer', 'string', 'string', 'number']);
  assert.equal(t.rows, 69 * 5);
  assert.deepEqual(t.wide_to_long.key_columns, ['Cột 1']);
  assert.deepEqual(t.wide_to_long.year_columns, [2011, 2012, 2013, 2014, 2015].map((y) => `${y} / Diện tích(*) (Km2)`));
  assert.match(t.caption[0], /^Diện tích, dân số và mật độ dân số/);
  // The three footnote lines under the table are no rows; each is reported with its text.
  const notes = t.issues.filter((i) => i.kind === 'left_out');
  assert.equal(notes.length, 3, JSON.stringify(t.issues));
  assert.match(notes[0].message_vi, /không có giá trị ở cột năm nào/);
  const rows = await firstRows(rid, 2);
  assert.deepEqual(rows.map((r) => [r.cot_1, r.nam, r.chi_tieu, r.don_vi, r.gia_tri]), [
    ['Đồng bằng sông Hồng', 2011, 'Diện tích', 'km²', 21068.1],
    ['Đồng bằng sông Hồng', 2012, 'Diện tích', 'km²', 21050.9],
  ]);
});

test('Hue.xls (IMHEN climate, TCVN3 in .VnTime, 7 sheets): labels decoded, formula results kept, other sheets reported', { skip: SKIP }, async () => {
  const { rid, t } = await load('Hue.xls');
  assert.equal(t.rows, 37);
  assert.deepEqual(labels(t), ['Năm', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'Năm']);
  assert.ok(t.issue_counts.legacy_text_decoded >= 1, JSON.stringify(t.issue_counts));
  assert.equal(t.issue_counts.left_out, 6); // the six sheets not loaded
  assert.match(t.caption[0], /^Trạm: Huế \(Thừa Thiên - Huế\)/);
  const [first] = await firstRows(rid, 1);
  assert.equal(first.nam, 1979);
  assert.ok(Math.abs(first.nam_2 - 25.4) < 1e-9, String(first.nam_2)); // the annual mean: a formula's saved result
  // Every sheet, one resource each.
  const all = await upload('Hue.xls', { sheets: 'all' });
  const r = await call(srv, 'GET', `/api/v1/datasets/${slug}/resources`, { token: root });
  const hue = r.json.resources.filter((x) => x.name.startsWith('Hue — '));
  assert.equal(hue.length, 7, JSON.stringify(r.json.resources.map((x) => x.name)));
  assert.ok(hue.some((x) => x.id === all));
  for (const x of hue) assert.equal((await loaded(x.id)).rows > 30, true, x.name);
});

test('the GSO PX-Web exports in English: a year over each item, ".." as no value, every row', { skip: SKIP }, async () => {
  const rain = await load('Monthly rainfall at some stations.csv');
  assert.equal(rain.t.rows, 225);
  assert.equal(rain.t.encoding, 'UTF-8');
  assert.deepEqual(labels(rain.t).slice(0, 3), ['Year', 'Cities, provincies', 'Jan.']);
  assert.equal(types(rain.t)['Jan.'], 'number');
  assert.ok(rain.t.issue_counts.placeholder_null > 0, JSON.stringify(rain.t.issue_counts));

  const units = await load('Number of administrative units as of 31 December by province.csv');
  assert.equal(units.t.rows, 70);
  assert.equal(labels(units.t).length, 57); // a name, then 8 years × 7 kinds of unit
  assert.equal(types(units.t)['2009 Communes'], 'integer');
  assert.ok(units.t.issue_counts.placeholder_null > 0);
  // Not UTF-8: its one non-ASCII byte (0xEC, "ì") reads the same in every legacy encoding tried.
  const r = await call(srv, 'GET', `/api/v1/resources/${units.rid}/rows?cities_provincies=B%C3%ACnh%20Dinh`, { token: root });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rows.length, 1, r.text);

  const health = await load('Number of health establishments under provincial departments of health by province.csv');
  assert.equal(health.t.rows, 71);
  assert.equal(labels(health.t).length, 61);
  const schools = await load('Number of school of general education as of 30 September by province.csv');
  assert.equal(schools.t.rows, 71);
  assert.equal(labels(schools.t).length, 91);
  assert.equal(types(schools.t)['2002 Total'], 'integer');
  // Turned long: 71 rows × 15 years × 6 kinds of school; no header names a unit.
  const long = await load('Number of school of general education as of 30 September by province.csv', { wide_to_long: 'true' });
  assert.deepEqual(labels(long.t), ['Cities, provincies', 'Năm', 'Chỉ tiêu', 'Giá trị']);
  assert.equal(long.t.rows, 71 * 90);
  assert.equal(types(long.t)['Giá trị'], 'integer');
  const [whole] = await firstRows(long.rid, 1);
  assert.deepEqual([whole.nam, whole.chi_tieu, whole.gia_tri], [2002, 'Total', 25825]);
  const healthLong = await load('Number of health establishments under provincial departments of health by province.csv', { wide_to_long: 'true' });
  assert.equal(healthLong.t.rows, 71 * 60);
  const r2 = await call(srv, 'GET', `/api/v1/resources/${healthLong.rid}/rows?nam=2016&chi_tieu=Hospital&limit=1`, { token: root });
  assert.equal(r2.json.rows.length, 1, r2.text);
  // Counts read with Vietnamese digit groups on the page (25825 schools in 2002), raw in the API.
  const page = await call(srv, 'GET', `/datasets/${slug}/resources/${schools.rid}`, { token: root });
  assert.match(page.text, /<td>\s*WHOLE COUNTRY<\/td><td class="num">25.825<\/td><td class="num">14.163<\/td>/);
});

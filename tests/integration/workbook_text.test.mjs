// Workbooks as agencies have them (issue 16): formula cells of an .xls give their saved results,
// TCVN3/VNI text in workbooks is decoded (by font, by content) and reported, and setting the
// `encoding` of a loaded table loads it again with that encoding — for workbooks and for CSV,
// through the API and the workspace's schema form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, call, addUser, login, fileForm, loadEnded } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(HERE, '../data');
const VN = path.resolve(HERE, '../../../shared/data/vn'); // the real files, beside the project
let srv;
let root;
let admin;
let slug;

const form = fileForm;

async function upload(bytes, filename, fields = {}) {
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: form(bytes, filename, fields) });
  assert.equal(up.status, 201, up.text);
  return up.json.id;
}

// Waits until the resource's table is loaded and `check(status)` holds.
const until = (rid, check) => loadEnded(srv, rid, root, (st) => {
  if (st.job.state === 'failed') throw new Error(JSON.stringify(st.job));
  return st.table && check(st);
});

const setEncoding = (rid, encoding) =>
  call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: { encoding } });

const rows = async (rid) => {
  const r = await call(srv, 'POST', '/api/3/action/datastore_search', { token: root, body: { resource_id: rid, limit: 100 } });
  assert.equal(r.status, 200, r.text);
  return r.json.result.records;
};

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  admin = await login(srv, 'admin', srv.adminPassword);
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Khí hậu Huế', organization: 'so-giao-duc-dao-tao', license_id: 'cc-by' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
});
after(async () => { await srv.stop(); });

test('an .xls with TCVN3 text and formulas: labels decoded, results kept, both reported', async () => {
  const rid = await upload(readFileSync(path.join(DATA, 'legacy.xls')), 'khi-hau.xls');
  const st = await until(rid, () => true);
  const titles = st.table.schema.fields.map((f) => f.title);
  assert.equal(titles[0], 'Năm');
  assert.equal(titles[13], 'Năm');
  assert.ok(st.table.issue_counts.legacy_text_decoded >= 1, JSON.stringify(st.table.issue_counts));
  assert.equal(st.table.issue_counts.formula_error, 1);
  const decoded = st.table.issues.find((i) => i.kind === 'legacy_text_decoded');
  assert.match(decoded.message_vi, /đã được chuyển sang Unicode/);
  assert.match(decoded.message, /converted to Unicode/);
  const error = st.table.issues.find((i) => i.kind === 'formula_error');
  assert.deepEqual([error.line, error.column], [8, 4]);
  const records = await rows(rid);
  const annual = st.table.schema.fields[13].name;
  assert.equal(records[0][annual], 840);
  assert.equal(records[1][annual], 852.0000000000001);
});

test('an .xlsx whose formulas gave errors: each error reported with its row and column, the cell empty', async () => {
  // openpyxl writes "#DIV/0!" and "#N/A" as error cells (t="e"), as Excel saves them.
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'odp-xlsx-errors-')), 'loi.xlsx');
  execFileSync('/usr/bin/python3', ['-c', `
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["Tỉnh", "Tỉ lệ", "Dân số"])
ws.append(["Huế", 0.5, 1198930])
ws.append(["Quảng Trị", "#DIV/0!", 632375])
ws.append(["Đà Nẵng", 0.25, "#N/A"])
wb.save(sys.argv[1])
`, file]);
  const rid = await upload(readFileSync(file), 'loi.xlsx');
  const st = await until(rid, () => true);
  assert.equal(st.table.issue_counts.formula_error, 2, JSON.stringify(st.table.issue_counts));
  const errors = st.table.issues.filter((i) => i.kind === 'formula_error').map((i) => [i.line, i.column]);
  assert.deepEqual(errors, [[3, 2], [4, 3]]);
  assert.match(st.table.issues.find((i) => i.kind === 'formula_error').message_vi, /ô B3: công thức cho kết quả lỗi #DIV\/0!/);
  assert.deepEqual(st.table.schema.fields.map((f) => f.type), ['string', 'number', 'integer']);
  const records = await rows(rid);
  assert.equal(records[1].ti_le, null);
  assert.equal(records[2].dan_so, null);
});

test('setting the encoding of a workbook loads it again: utf-8 keeps, tcvn3 forces, auto detects', async () => {
  const rid = await upload(readFileSync(path.join(DATA, 'legacy.xls')), 'khi-hau-2.xls');
  await until(rid, (s) => s.table.schema.fields[0].title === 'Năm');
  let r = await setEncoding(rid, 'utf-8');
  assert.equal(r.status, 202, r.text);
  let st = await until(rid, (s) => s.table.schema.fields[0].title === 'N¨m');
  assert.equal(st.table.encoding, 'UTF-8');
  assert.ok(st.table.issue_counts.legacy_text_kept >= 1, JSON.stringify(st.table.issue_counts));
  assert.equal(st.table.issue_counts.legacy_text_decoded, undefined);
  const kept = st.table.issues.find((i) => i.kind === 'legacy_text_kept');
  assert.match(kept.message_vi, /được giữ nguyên vì bảng mã của bảng đặt là UTF-8/);
  // An unknown encoding is refused at once, and nothing is loaded again.
  r = await setEncoding(rid, 'klingon');
  assert.equal(r.status, 400, r.text);
  r = await setEncoding(rid, 'tcvn3');
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.schema.fields[0].title === 'Năm');
  assert.equal(st.table.encoding, 'TCVN3');
  r = await setEncoding(rid, 'auto');
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.encoding === '' && s.table.schema.fields[0].title === 'Năm');
  assert.equal(st.table.issue_counts.legacy_text_kept, undefined);
});

test('setting the encoding of a CSV loads it again with that encoding', async () => {
  const rid = await upload('Tên;Số\nHuế;1\n', 'ten.csv');
  let st = await until(rid, (s) => s.table.schema.fields[0].title === 'Tên');
  assert.equal(st.table.encoding, 'UTF-8');
  let r = await setEncoding(rid, 'windows-1258');
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.encoding === 'Windows-1258');
  assert.notEqual(st.table.schema.fields[0].title, 'Tên');
  r = await setEncoding(rid, 'auto');
  assert.equal(r.status, 202, r.text);
  st = await until(rid, (s) => s.table.encoding === 'UTF-8' && s.table.schema.fields[0].title === 'Tên');
});

test('the schema form offers the encoding of a workbook and loads it again with it', async () => {
  const rid = await upload(readFileSync(path.join(DATA, 'legacy.xls')), 'khi-hau-3.xls');
  const st = await until(rid, (s) => s.table.schema.fields[0].title === 'Năm');
  let r = await call(srv, 'GET', `/workspace/resources/${rid}/schema`, { session: admin });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /<select id="encoding" name="encoding">/);
  const fields = { csrf: admin.csrf, primary_key: '', encoding: 'utf-8', sheet: '' };
  for (const f of st.table.schema.fields) {
    Object.assign(fields, { [`label_${f.name}`]: f.title, [`type_${f.name}`]: f.type, [`description_${f.name}`]: '' });
  }
  r = await call(srv, 'POST', `/workspace/resources/${rid}/schema`, {
    session: admin, body: new URLSearchParams(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 303, r.text);
  await until(rid, (s) => s.table.encoding === 'UTF-8' && s.table.schema.fields[0].title === 'N¨m');
});

test('Hue.xls: every sheet loads with Vietnamese labels and its 257 annual values', { skip: !existsSync(path.join(VN, 'Hue.xls')) }, async () => {
  const bytes = readFileSync(path.join(VN, 'Hue.xls'));
  const rid = await upload(bytes, 'Hue.xls', { sheet: 'all' });
  const st = await until(rid, () => true);
  const titles = st.table.schema.fields.map((f) => f.title);
  assert.equal(titles[0], 'Trang tính');
  assert.equal(titles[1], 'Năm');
  assert.ok(!titles.some((t) => /¨/.test(t)), titles.join(' | '));
  assert.equal(st.table.rows, 7 * 37 - 2); // Sh starts in 1981
  const annual = st.table.schema.fields.find((f, i) => i > 1 && f.title.startsWith('Năm'));
  assert.ok(annual, titles.join(' | '));
  assert.equal(annual.type, 'number');
  const all = await call(srv, 'POST', '/api/3/action/datastore_search', {
    token: root, body: { resource_id: rid, limit: 1000, filters: {} },
  });
  const filled = all.json.result.records.filter((x) => x[annual.name] !== null && x[annual.name] !== '');
  assert.equal(filled.length, 257); // every formula of the annual column (issue 16 says 259: 7 × 37, but Sh starts in 1981)
  assert.ok(st.table.issue_counts.legacy_text_decoded >= 7, JSON.stringify(st.table.issue_counts));
});

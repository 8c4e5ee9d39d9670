// Exports read back by LibreOffice (`soffice --headless --convert-to csv`), cell by cell,
// Vietnamese text included: the XLSX download, and the CSV download (UTF-8 with a BOM) opened
// as a spreadsheet would open it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, call, addUser } from './harness.mjs';

let srv;
let root;
let rid;
const work = mkdtempSync(path.join(tmpdir(), 'odp-lo-'));

const TABLE = [
  'Mã;Tên đơn vị;Cấp;Dân số;Diện tích;Ngày thành lập;Ghi chú',
  '193;Thành phố Hạ Long;Thành phố;300267;1119,12;27/12/1993;"Có ""Vịnh"", di sản"',
  '198;Huyện Bình Liêu;Huyện;32070;470,1;01/01/1919;',
  '207;Huyện Cô Tô;Huyện;6240;47,3;23/03/1994;Đảo',
].join('\n') + '\n';

// Converts `file` to CSV with LibreOffice; returns the rows as arrays of strings.
function libreofficeCsv(file, infilter) {
  const outdir = mkdtempSync(path.join(work, 'out-'));
  const args = ['--headless', `-env:UserInstallation=file://${work}/profile`];
  if (infilter) args.push(`--infilter=${infilter}`);
  // 44 = comma, 34 = double quote, 76 = UTF-8: LibreOffice's CSV filter options.
  args.push('--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', outdir, file);
  execFileSync('soffice', args, { stdio: 'pipe', timeout: 120000 });
  const out = path.join(outdir, path.basename(file).replace(/\.[^.]+$/, '.csv'));
  const rows = [];
  // A small RFC 4180 reader: LibreOffice quotes fields that hold the separator or quotes.
  const text = readFileSync(out, 'utf8').replace(/^\uFEFF/, '');
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  const d = await call(srv, 'POST', '/api/v1/datasets', { token: root, body: { title_vi: 'Đơn vị hành chính', organization: 'so-giao-duc-dao-tao' } });
  const fd = new FormData();
  fd.append('name', 'Đơn vị');
  fd.append('upload', new Blob([Buffer.from(TABLE, 'utf8')]), 'don-vi.csv');
  rid = (await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, { token: root, body: fd })).json.id;
  for (let i = 0; i < 400; i++) {
    const st = (await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root })).json;
    if (st.job && st.job.state === 'done') break;
    await new Promise((r) => setTimeout(r, 25));
  }
});
after(async () => { await srv.stop(); });

const EXPECTED = [
  ['_id', 'Mã', 'Tên đơn vị', 'Cấp', 'Dân số', 'Diện tích', 'Ngày thành lập', 'Ghi chú'],
  ['1', '193', 'Thành phố Hạ Long', 'Thành phố', '300267', '1119.12', '1993-12-27', 'Có "Vịnh", di sản'],
  ['2', '198', 'Huyện Bình Liêu', 'Huyện', '32070', '470.1', '1919-01-01', ''],
  ['3', '207', 'Huyện Cô Tô', 'Huyện', '6240', '47.3', '1994-03-23', 'Đảo'],
];

test('the XLSX export reads back in LibreOffice cell by cell', async () => {
  const r = await call(srv, 'GET', `/api/v1/resources/${rid}/export?format=xlsx`, { token: root });
  assert.equal(r.status, 200);
  const file = path.join(work, 'don-vi.xlsx');
  writeFileSync(file, r.bytes);
  const rows = libreofficeCsv(file);
  assert.equal(rows.length, EXPECTED.length);
  for (let i = 0; i < EXPECTED.length; i++) {
    // Dates are real dates: LibreOffice writes them in the cell's format (dd/mm/yyyy).
    const want = EXPECTED[i].map((v, c) => (i > 0 && c === 6 ? v.split('-').reverse().join('/') : v));
    assert.deepEqual(rows[i], want, `row ${i}`);
  }
});

test('the CSV export (UTF-8 with a BOM) opens in LibreOffice with the same cells', async () => {
  const r = await call(srv, 'GET', `/api/v1/resources/${rid}/export?format=csv`, { token: root });
  assert.equal(r.status, 200);
  const file = path.join(work, 'don-vi-csv.csv');
  writeFileSync(file, r.bytes);
  // As a person opening it would: comma-separated, quoted, UTF-8.
  const rows = libreofficeCsv(file, 'CSV:44,34,76,1');
  // ISO dates are recognised and shown as written; every other cell is the text exported.
  assert.deepEqual(rows, EXPECTED);
});

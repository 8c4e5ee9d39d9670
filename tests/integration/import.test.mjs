// `odp import FILE --dataset SLUG [--resource NAME]`: stores the file as a resource (a new
// version when the name exists), loads it into the datastore and prints the table, or fails
// with the line and column of the problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { odp } from './harness.mjs';

let dir;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'odp-import-'));
  const r = odp(['init', '--data', dir, '--demo']);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('imports a CSV as a new resource, then as a new version of it', () => {
  const file = path.join(dir, 'Báo cáo thu chi.csv');
  writeFileSync(file, 'BÁO CÁO THU CHI 2025\nKhoản;Số tiền;Ngày\nThu phí;1.234,5;05/01/2025\nChi lương;2.000;31/01/2025\n');
  let r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /added: Báo cáo thu chi \(CSV, \d+ bytes, v1\)/);
  assert.match(r.stdout, /2 dòng \/ rows, 3 cột \/ columns \(dòng tiêu đề \/ header line 2\)/);
  assert.match(r.stdout, /so_tien {2}number {2}Số tiền/);
  assert.match(r.stdout, /ngay {2}date {2}Ngày/);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--resource', 'Báo cáo thu chi']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /new version: Báo cáo thu chi \(CSV, \d+ bytes, v2\)/);
});

test('a file that is not UTF-8 fails with its line and column; an unknown dataset fails', () => {
  const file = path.join(dir, 'cu.csv');
  writeFileSync(file, Buffer.concat([Buffer.from('Tên,Số\nAn,1\nHu'), Buffer.from([0xea]), Buffer.from(',2\n')]));
  let r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /dòng 3, cột 1/);
  assert.match(r.stderr, /line 3, column 1/);
  r = odp(['import', file, '--data', dir, '--dataset', 'khong-co-bo-nay']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /khong-co-bo-nay/);
});

test('--sheet past the last sheet fails before storing anything; the next import is still v2', () => {
  const file = path.join(dir, 'Khí hậu.xlsx');
  execFileSync('/usr/bin/python3', ['-c', `
import sys, openpyxl
wb = openpyxl.Workbook()
a = wb.active
a.title = "Lượng mưa"
a.append(["Năm", "Lượng mưa (mm)"])
a.append([2020, 2870.5])
for name in ["Nhiệt độ", "Độ ẩm"]:
    s = wb.create_sheet(name)
    s.append(["Năm", name])
    s.append([2020, 25.1])
wb.save(sys.argv[1])
`, file]);
  let r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /added: Khí hậu \(XLSX, \d+ bytes, v1\)/);
  assert.match(r.stdout, /2 vấn đề \/ problems/);  // sheets 2 and 3 not loaded
  assert.match(r.stdout, /Trang tính 2 "Nhiệt độ" không được nạp/);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--sheet', '9']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Tệp không có trang tính số 9 \(chỉ có 3\)/);
  assert.doesNotMatch(r.stdout, /new version/);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--sheet', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /new version: Khí hậu \(XLSX, \d+ bytes, v2\)/);
  assert.match(r.stdout, /do_am {2}number {2}Độ ẩm/);
});

test('--records picks the array of records of a nested JSON file; a path it lacks fails first', () => {
  const file = path.join(dir, 'Đơn vị.json');
  writeFileSync(file, JSON.stringify([
    { Code: '01', Name: 'Hà Nội', Wards: [{ Code: '00004', Name: 'Ba Đình' }, { Code: '00008', Name: 'Ngọc Hà' }] },
    { Code: '46', Name: 'Huế', Wards: [{ Code: '19753', Name: 'Thuận Hóa' }] },
  ]));
  let r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 dòng \/ rows, 4 cột \/ columns/);
  assert.match(r.stdout, /level1_name {2}string {2}level1_Name/);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--records', '[].Xa[]']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Tệp không có mảng bản ghi ở "\[\]\.Xa\[\]" \(các mảng bản ghi có trong tệp: \[\], \[\]\.Wards\[\]\)/);
  r = odp(['import', file, '--data', dir, '--dataset', 'du-toan-ngan-sach-2025', '--records', '[]']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /new version: Đơn vị \(JSON, \d+ bytes, v2\)/);
  assert.match(r.stdout, /2 dòng \/ rows, 3 cột \/ columns/);
});

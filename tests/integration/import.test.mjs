// `odp import FILE --dataset SLUG [--resource NAME]`: stores the file as a resource (a new
// version when the name exists), loads it into the datastore and prints the table, or fails
// with the line and column of the problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

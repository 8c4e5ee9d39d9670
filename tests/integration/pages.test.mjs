// The web pages over HTTP: security headers, both languages, hashed static assets, the
// anonymous page cache and its invalidation, CSRF on forms (logged-in and anonymous),
// escaping, validation messages next to fields, restricted datasets, site settings and
// download counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login } from './harness.mjs';

let srv;
let root; // sysadmin token
let admin; // sysadmin browser session {cookie, csrf}
let dataset; // a published public dataset (demo)

const form = (fields) => new URLSearchParams(fields);
const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  admin = await login(srv, 'admin', srv.adminPassword);
  const r = await call(srv, 'GET', '/api/3/action/package_search?q=trường học&rows=1');
  dataset = r.json.result.results[0];
});
after(async () => { await srv.stop(); });

test('pages carry a strict Content-Security-Policy and the other security headers', async () => {
  for (const p of ['/', '/datasets', `/datasets/${dataset.name}`, '/login', '/en/about']) {
    const r = await call(srv, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
    assert.doesNotMatch(r.text, /<script>(?!\s*$)|\son[a-z]+="/, `${p} has inline script or handlers`);
  }
});

test('Vietnamese under / and English under /en, each linking to the other', async () => {
  const vi = await call(srv, 'GET', '/datasets');
  assert.match(vi.text, /<html lang="vi">/);
  assert.match(vi.text, /Tìm kiếm/);
  assert.match(vi.text, /href="\/en\/datasets"/);
  const en = await call(srv, 'GET', '/en/datasets');
  assert.match(en.text, /<html lang="en">/);
  assert.match(en.text, />Search</);
  assert.match(en.text, /href="\/datasets"/);
  const home = await call(srv, 'GET', '/en/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Open Data Portal/);
});

test('static assets have content-hashed names and year-long immutable caching', async () => {
  const page = await call(srv, 'GET', '/');
  const css = page.text.match(/href="(\/static\/odp\.[0-9a-f]{10}\.css)"/)[1];
  const htmx = page.text.match(/src="(\/static\/htmx\.min\.[0-9a-f]{10}\.js)"/)[1];
  for (const u of [css, htmx]) {
    const r = await call(srv, 'GET', u);
    assert.equal(r.status, 200, u);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  }
  assert.equal((await call(srv, 'GET', css)).headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await call(srv, 'GET', '/static/odp.0000000000.css')).status, 404);
  // Pages stay small: the home page, its stylesheet and scripts together are far below 200 KB.
  let total = page.bytes.length;
  for (const m of page.text.matchAll(/(?:href|src)="(\/static\/[^"]+|\/theme\.css[^"]*)"/g)) {
    total += (await call(srv, 'GET', m[1])).bytes.length;
  }
  assert.ok(total < 200 * 1024, `home page weighs ${total} bytes`);
});

test('anonymous pages are served from the cache until a catalogue write changes them', async () => {
  const path = `/datasets/${dataset.name}`;
  const first = await call(srv, 'GET', path);
  assert.equal(first.status, 200);
  const second = await call(srv, 'GET', path);
  assert.equal(second.text, first.text);
  const r = await call(srv, 'PATCH', `/api/v1/datasets/${dataset.name}`, { token: root, body: { title_en: 'Schools, edited for the cache test' } });
  assert.equal(r.status, 200, r.text);
  const third = await call(srv, 'GET', `/en${path}`);
  assert.match(third.text, /Schools, edited for the cache test/);
  const vi = await call(srv, 'GET', path);
  assert.match(vi.text, /Schools, edited for the cache test/); // shown as the other-language title
});

test('values are escaped and Markdown drops raw HTML', async () => {
  const r = await call(srv, 'POST', '/api/v1/datasets', {
    token: root,
    body: {
      title_vi: 'Thử <script>alert("x")</script> & "ngoặc"', organization: dataset.organization.name,
      description_vi: '**Đậm** <img src=x onerror=alert(1)> [bad](javascript:alert(1))', access: 'public',
    },
  });
  assert.equal(r.status, 201, r.text);
  const slug = r.json.slug ?? r.json.name;
  await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  const page = await call(srv, 'GET', `/datasets/${slug}`);
  assert.equal(page.status, 200);
  const html = page.text.replace(/<script type="application\/ld\+json">[^<]*<\/script>/, '');
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(page.text, /Thử &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &quot;ngoặc&quot;/);
  assert.match(page.text, /<strong>Đậm<\/strong>/);
  assert.doesNotMatch(html, /onerror=/);
  assert.doesNotMatch(html, /href="javascript:/);
  const ld = JSON.parse(page.text.match(/<script type="application\/ld\+json">([^<]*)<\/script>/)[1]);
  assert.equal(ld['@type'], 'Dataset');
  assert.match(ld.name, /<script>/); // JSON-LD keeps the text; "<" is written as \u003c
});

test('a restricted dataset is a 404 page for anonymous visitors and visible to its admins', async () => {
  const r = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Hồ sơ nội bộ tuyệt mật', organization: dataset.organization.name, access: 'internal' },
  });
  assert.equal(r.status, 201, r.text);
  const slug = r.json.slug ?? r.json.name;
  await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  const anon = await call(srv, 'GET', `/datasets/${slug}`);
  assert.equal(anon.status, 404);
  assert.doesNotMatch(anon.text, /tuyệt mật/);
  const search = await call(srv, 'GET', '/datasets?q=tuyệt+mật');
  assert.doesNotMatch(search.text, /tuyệt mật<\/a>/);
  const mine = await call(srv, 'GET', `/datasets/${slug}`, { session: admin });
  assert.equal(mine.status, 200);
  assert.match(mine.text, /Hồ sơ nội bộ tuyệt mật/);
});

test('forms of a logged-in user need the CSRF token; nothing changes without it', async () => {
  const before = await call(srv, 'GET', '/api/v1/datasets?q=Không+có+mã&include_drafts=true', { token: root });
  const body = form({ organization: dataset.organization.name, title_vi: 'Không có mã chống giả mạo' });
  const r = await call(srv, 'POST', '/workspace/new', { body, headers: { ...formHeaders, Cookie: admin.cookie, 'X-CSRF-Token': '' } });
  assert.equal(r.status, 403);
  assert.match(r.text, /CSRF/);
  const after = await call(srv, 'GET', '/api/v1/datasets?q=Không+có+mã&include_drafts=true', { token: root });
  assert.equal(after.json.count, before.json.count);
});

test('the dataset form shows Vietnamese errors next to the fields and keeps what was typed', async () => {
  const body = form({ csrf: admin.csrf, organization: '', title_vi: '', title_en: 'Typed title', temporal_start: '2024-13-40' });
  const r = await call(srv, 'POST', '/workspace/new', { body, headers: { ...formHeaders, Cookie: admin.cookie, 'X-CSRF-Token': '' } });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(r.text, /id="title_vi-error">Cần có tiêu đề tiếng Việt</);
  assert.match(r.text, /id="organization-error">Cần chọn cơ quan chủ quản</);
  assert.match(r.text, /value="Typed title"/);
  assert.doesNotMatch(r.text, /Đường dẫn chỉ gồm/); // no second error for the same missing title
  const en = await call(srv, 'POST', '/en/workspace/new', { body, headers: { ...formHeaders, Cookie: admin.cookie, 'X-CSRF-Token': '' } });
  assert.match(en.text, /A Vietnamese title is required/);
});

test('login and registration forms need the form cookie that comes with the form', async () => {
  const bare = await call(srv, 'POST', '/login', { body: form({ login: 'admin', password: srv.adminPassword, csrf: 'x'.repeat(32) }), headers: formHeaders });
  assert.equal(bare.status, 403);
  assert.equal(bare.headers.get('set-cookie')?.includes('odp_session=') ?? false, false);
  const page = await call(srv, 'GET', '/login');
  assert.equal(page.headers.get('cache-control'), 'no-store');
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const token = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  const wrong = await call(srv, 'POST', '/login', { body: form({ login: 'admin', password: 'sai-mat-khau', csrf: token }), headers: { ...formHeaders, Cookie: cookie } });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /Tên đăng nhập hoặc mật khẩu không đúng/);
  const ok = await call(srv, 'POST', '/login', { body: form({ login: 'admin', password: srv.adminPassword, csrf: token, next: '/workspace' }), headers: { ...formHeaders, Cookie: cookie } });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/workspace');
  assert.match(ok.headers.get('set-cookie'), /odp_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  // An outside address in `next` is ignored.
  const evil = await call(srv, 'POST', '/login', { body: form({ login: 'admin', password: srv.adminPassword, csrf: token, next: '//evil.example' }), headers: { ...formHeaders, Cookie: cookie } });
  assert.equal(evil.headers.get('location'), '/workspace');
});

test('site settings saved by the administrator show at once, and bad colours are refused', async () => {
  const headers = { ...formHeaders, Cookie: admin.cookie };
  const base = { csrf: admin.csrf, title_vi: 'Cổng dữ liệu mở tỉnh Thử Nghiệm', title_en: 'Test Province Open Data', primary_color: '#123456', accent_color: '#654321' };
  const bad = await call(srv, 'POST', '/admin/settings', { body: form({ ...base, primary_color: 'red' }), headers });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /#rrggbb/);
  assert.doesNotMatch((await call(srv, 'GET', '/')).text, /tỉnh Thử Nghiệm/);
  const statusTitle = async () => (await call(srv, 'GET', '/api/3/action/status_show')).json.result.site_title;
  assert.notEqual(await statusTitle(), base.title_vi);
  const ok = await call(srv, 'POST', '/admin/settings', { body: form(base), headers });
  assert.equal(ok.status, 303);
  const home = await call(srv, 'GET', '/');
  assert.match(home.text, /Cổng dữ liệu mở tỉnh Thử Nghiệm/);
  // The CKAN API reads the same settings: no restart needed.
  assert.equal(await statusTitle(), base.title_vi);
  assert.match((await call(srv, 'GET', '/en/')).text, /Test Province Open Data/);
  const theme = home.text.match(/href="(\/theme\.css\?v=[0-9a-f]+)"/)[1];
  assert.match((await call(srv, 'GET', theme)).text, /--primary:#123456/);
  // Only system administrators reach the settings.
  const editorToken = addUser(srv, 'bientap-caidat', { password: 'mat-khau-123' });
  assert.ok(editorToken);
  const editor = await login(srv, 'bientap-caidat', 'mat-khau-123');
  const denied = await call(srv, 'GET', '/admin/settings', { session: editor });
  assert.equal(denied.status, 403);
});

test('downloads are counted per month and shown on the home page', async () => {
  const d = await call(srv, 'GET', `/api/v1/datasets/${dataset.name}`);
  const res = d.json.resources.find((x) => x.kind === 'upload');
  assert.ok(res, JSON.stringify(d.json.resources));
  const path = new URL(res.url).pathname;
  for (let i = 0; i < 3; i++) assert.equal((await call(srv, 'GET', path)).status, 200);
  // One visitor counts once an hour for the same file (catalog/visit_filter.h).
  const home = await call(srv, 'GET', '/', { session: admin });
  assert.match(home.text, /<strong>1<\/strong> lượt tải trong tháng này/);
  assert.match(home.text, /Được tải nhiều nhất[\s\S]*card-title/);
});

test('unknown pages are a Vietnamese 404 page; anonymous workspace visits go to the login page', async () => {
  const r = await call(srv, 'GET', '/datasets/khong-co-bo-du-lieu-nay');
  assert.equal(r.status, 404);
  assert.match(r.text, /Không tìm thấy/);
  const w = await call(srv, 'GET', '/workspace');
  assert.equal(w.status, 303);
  assert.equal(w.headers.get('location'), '/login?next=%2Fworkspace');
});

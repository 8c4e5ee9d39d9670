// The site's identity (issue 18, "It must look official"): who runs the portal in the header and
// footer of every page (Decree 42/2022), GET/PATCH /api/v1/site, the emblem uploaded in /admin
// (PNG or JPEG by content, SVG refused, served with a year-long cache from an address that changes
// with the file), the terms of use and privacy notice pages, and the consent to the privacy notice
// that registration asks for and records, with a new version shown on the account page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login } from './harness.mjs';

let srv;
let root; // sysadmin token
let admin; // sysadmin browser session {cookie, csrf}

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

// The settings form as a browser sends it (multipart, with the emblem as a file part).
function settingsForm(fields, file, name = 'bieu-trung.png', type = 'image/png') {
  const f = new FormData();
  f.append('csrf', admin.csrf);
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  f.append('file', file ? new Blob([file], { type }) : new Blob([]), file ? name : '');
  return f;
}
const current = async () => (await call(srv, 'GET', '/api/v1/site')).json;
// The editable fields as they are now, so a form post changes only what a test means to change.
async function formValues() {
  const s = await current();
  const keys = ['title_vi', 'title_en', 'province_vi', 'province_en', 'agency_vi', 'agency_en', 'responsible_vi',
    'responsible_en', 'license_vi', 'license_en', 'address_vi', 'address_en', 'contact_phone', 'contact_email',
    'tagline_vi', 'tagline_en', 'logo_url', 'primary_color', 'accent_color', 'footer_vi', 'footer_en'];
  return Object.fromEntries(keys.map((k) => [k, s[k]]));
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc-site', { sysadmin: true });
  admin = await login(srv, 'admin', srv.adminPassword);
});
after(async () => { await srv.stop(); });

test('odp init --demo fills a Huế identity marked as demo, shown in the header and footer of every page', async () => {
  const s = await current();
  assert.match(s.title_vi, /Huế \(dữ liệu mẫu\)$/);
  assert.equal(s.province_vi, 'Thành phố Huế');
  for (const k of ['agency_vi', 'responsible_vi', 'license_vi']) assert.match(s[k], /\(dữ liệu mẫu\)/, k);
  for (const k of ['agency_en', 'responsible_en', 'license_en']) assert.match(s[k], /\(demo\)/, k);
  assert.equal(s.privacy_version, 1);
  assert.equal(s.logo, '');
  for (const p of ['/', '/datasets', '/organizations', '/about', '/login', '/dieu-khoan', '/khong-co-trang-nay']) {
    const r = await call(srv, 'GET', p);
    assert.match(r.text, /<span class="brand-province">Thành phố Huế<\/span>/, p);
    const footer = r.text.slice(r.text.indexOf('<footer'));
    for (const text of ['Cơ quan chủ quản', s.agency_vi, 'Chịu trách nhiệm nội dung', s.responsible_vi, 'Giấy phép',
      s.license_vi, s.address_vi, s.contact_phone, s.contact_email, 'href="/dieu-khoan"', 'href="/quyen-rieng-tu"']) {
      assert.ok(footer.includes(text), `${p}: footer lacks ${text}`);
    }
    assert.match(footer, /href="tel:\+842343000000"/);
  }
  const en = (await call(srv, 'GET', '/en/datasets')).text;
  const footer = en.slice(en.indexOf('<footer'));
  // (The licence's apostrophe is escaped in HTML: "People&apos;s".)
  for (const text of ['Owning agency', s.agency_en, 'Responsible for the content', s.license_en.split("'")[0], s.address_en,
    'href="/en/dieu-khoan"', 'Privacy notice']) {
    assert.ok(footer.includes(text), `English footer lacks ${text}`);
  }
  assert.match(en, /<span class="brand-province">Hue City<\/span>/);
  // The about page no longer says there is no contact address.
  assert.doesNotMatch((await call(srv, 'GET', '/about')).text, /Chưa có địa chỉ liên hệ/);
});

test('PATCH /api/v1/site: sysadmins only, unknown and service-kept keys refused, fields checked, pages updated', async () => {
  assert.equal((await call(srv, 'PATCH', '/api/v1/site', { body: { agency_vi: 'X' } })).status, 401);
  const editor = addUser(srv, 'bien-tap-site');
  assert.equal((await call(srv, 'PATCH', '/api/v1/site', { token: editor, body: { agency_vi: 'X' } })).status, 403);
  const refused = await call(srv, 'PATCH', '/api/v1/site', {
    token: root, body: { colour: '#000000', logo_sha256: 'a'.repeat(64), privacy_version: '7', title_en: 5 },
  });
  assert.equal(refused.status, 400);
  assert.deepEqual(Object.keys(refused.json.error.details).sort(), ['colour', 'logo_sha256', 'privacy_version', 'title_en']);
  const invalid = await call(srv, 'PATCH', '/api/v1/site', {
    token: root, body: { contact_email: 'khong-phai-email', contact_phone: 'gọi tổng đài', agency_vi: 'Một\nhai' },
  });
  assert.equal(invalid.status, 400);
  assert.deepEqual(Object.keys(invalid.json.error.details).sort(), ['agency_vi', 'contact_email', 'contact_phone']);
  assert.equal((await current()).contact_email, 'dulieumo@example.gov.vn', 'nothing stored');
  const ok = await call(srv, 'PATCH', '/api/v1/site', {
    token: root,
    body: { agency_vi: 'Sở Khoa học và Công nghệ (thử)', agency_en: 'Department of Science and Technology (test)', contact_phone: '(0234) 3.822.123' },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.agency_vi, 'Sở Khoa học và Công nghệ (thử)');
  assert.match(ok.json.title_vi, /dữ liệu mẫu/, 'keys not sent keep their value');
  // The page cache starts over: an anonymous visitor sees the change at once, in both languages.
  assert.match((await call(srv, 'GET', '/')).text, /Sở Khoa học và Công nghệ \(thử\)/);
  assert.match((await call(srv, 'GET', '/en/')).text, /Department of Science and Technology \(test\)/);
  // A browser session needs its CSRF token.
  const noCsrf = await call(srv, 'PATCH', '/api/v1/site', {
    body: { agency_vi: 'Y' }, headers: { Cookie: admin.cookie },
  });
  assert.equal(noCsrf.status, 403);
});

test('the emblem: PNG or JPEG by content, SVG and others refused next to the field, served with a long cache', async () => {
  const values = await formValues();
  const svg = await call(srv, 'POST', '/admin/settings', { body: settingsForm(values, SVG, 'logo.png', 'image/png'), headers: { Cookie: admin.cookie } });
  assert.equal(svg.status, 400);
  assert.match(svg.text, /class="field has-error"><label for="s-logo-file">/);
  assert.match(svg.text, /Không nhận biểu trưng SVG; hãy tải lên tệp PNG hoặc JPEG/);
  const gif = await call(srv, 'POST', '/en/admin/settings', { body: settingsForm(values, Buffer.from('GIF89a....'), 'a.gif', 'image/gif'), headers: { Cookie: admin.cookie } });
  assert.equal(gif.status, 400);
  assert.match(gif.text, /The emblem must be a PNG or JPEG image/);
  const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
  const tooBig = await call(srv, 'POST', '/admin/settings', { body: settingsForm(values, big), headers: { Cookie: admin.cookie } });
  assert.equal(tooBig.status, 400);
  assert.match(tooBig.text, /Biểu trưng lớn hơn 1 MB/);
  assert.equal((await current()).logo, '');
  // A refused emblem saves nothing, not even the text settings sent with it (everything is
  // checked before anything is saved).
  const before = await current();
  const withText = { ...values, agency_vi: 'Cơ quan không được lưu', tagline_en: 'Not saved either' };
  const refused = await call(srv, 'POST', '/admin/settings', { body: settingsForm(withText, SVG, 'logo.png', 'image/png'), headers: { Cookie: admin.cookie } });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /Không nhận biểu trưng SVG/);
  const afterRefusal = await current();
  assert.equal(afterRefusal.agency_vi, before.agency_vi);
  assert.equal(afterRefusal.tagline_en, before.tagline_en);
  // …and a bad text setting with a good emblem saves no emblem.
  const badColour = await call(srv, 'POST', '/admin/settings', { body: settingsForm({ ...values, primary_color: 'do' }, PNG), headers: { Cookie: admin.cookie } });
  assert.equal(badColour.status, 400);
  assert.equal((await current()).logo, '');
  // Without its CSRF field the upload changes nothing.
  const f = settingsForm(values, PNG);
  f.set('csrf', 'sai');
  assert.equal((await call(srv, 'POST', '/admin/settings', { body: f, headers: { Cookie: admin.cookie } })).status, 403);
  assert.equal((await current()).logo, '');

  const ok = await call(srv, 'POST', '/admin/settings', { body: settingsForm(values, PNG), headers: { Cookie: admin.cookie } });
  assert.equal(ok.status, 303, ok.text.slice(0, 500));
  const site = await current();
  assert.match(site.logo, /^\/site\/logo\/[0-9a-f]{64}\.png$/);
  assert.equal(site.logo_type, 'image/png');
  const home = await call(srv, 'GET', '/');
  assert.ok(home.text.includes(`<img src="${site.logo}"`), 'the header shows the emblem');
  const img = await call(srv, 'GET', site.logo);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal(img.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(img.bytes, PNG);
  assert.equal(img.headers.get('content-length'), String(PNG.length), 'served from its file, whole');

  // A form sent again without a file keeps the emblem; a JPEG replaces it, and the old address is gone.
  assert.equal((await call(srv, 'POST', '/admin/settings', { body: settingsForm(values, null), headers: { Cookie: admin.cookie } })).status, 303);
  assert.equal((await current()).logo, site.logo);
  assert.equal((await call(srv, 'POST', '/admin/settings', { body: settingsForm(values, JPEG, 'logo.jpg', 'image/jpeg'), headers: { Cookie: admin.cookie } })).status, 303);
  const jpeg = await current();
  assert.match(jpeg.logo, /\.jpg$/);
  assert.equal((await call(srv, 'GET', jpeg.logo)).headers.get('content-type'), 'image/jpeg');
  assert.equal((await call(srv, 'GET', site.logo)).status, 404, 'only the current emblem is served');
  // Other blobs are never served by hash through this address.
  const ds = (await call(srv, 'GET', '/api/v1/datasets?rows=1')).json;
  assert.ok(ds);
  assert.equal((await call(srv, 'GET', `/site/logo/${'0'.repeat(64)}.png`)).status, 404);
  // Removing it goes back to the built-in logo.
  const rm = settingsForm(values, null);
  rm.append('remove_logo', '1');
  assert.equal((await call(srv, 'POST', '/admin/settings', { body: rm, headers: { Cookie: admin.cookie } })).status, 303);
  assert.equal((await current()).logo, '');
});

test('terms of use and privacy notice: Vietnamese addresses, built-in texts, editable in /admin, Markdown made safe', async () => {
  for (const [p, title] of [['/dieu-khoan', 'Điều khoản sử dụng'], ['/quyen-rieng-tu', 'Thông báo về quyền riêng tư'],
    ['/en/dieu-khoan', 'Terms of use'], ['/en/quyen-rieng-tu', 'Privacy notice']]) {
    const r = await call(srv, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.match(r.text, new RegExp(`<h1>${title}</h1>`), p);
  }
  assert.match((await call(srv, 'GET', '/quyen-rieng-tu')).text, /Luật Bảo vệ dữ liệu cá nhân/);
  assert.match((await call(srv, 'GET', '/quyen-rieng-tu')).text, /Phiên bản 1/);
  assert.match((await call(srv, 'GET', '/en/quyen-rieng-tu')).text, /Personal Data Protection Law/);

  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: admin.cookie };
  const legal = (fields) => call(srv, 'POST', '/admin/legal', { body: new URLSearchParams({ csrf: admin.csrf, ...fields }), headers });
  assert.equal((await call(srv, 'GET', '/admin/legal', { session: admin })).status, 200);
  const saved = await legal({
    terms_vi: '## Điều 1\n\nDữ liệu **công khai**.\n\n<script>alert(1)</script>\n\n[bấm](javascript:alert(1))',
    terms_en: '',
    privacy_vi: '## Dữ liệu thu thập\n\nTên đăng nhập, e-mail.',
    privacy_en: '## Data collected\n\nUser name, e-mail.',
  });
  assert.equal(saved.status, 303);
  const terms = await call(srv, 'GET', '/dieu-khoan');
  assert.match(terms.text, /<h2>Điều 1<\/h2>/);
  assert.match(terms.text, /<strong>công khai<\/strong>/);
  assert.doesNotMatch(terms.text, /<script>alert|javascript:alert/);
  // The English page falls back to the Vietnamese text, and says so.
  const termsEn = await call(srv, 'GET', '/en/dieu-khoan');
  assert.match(termsEn.text, /available in Vietnamese only/);
  assert.match(termsEn.text, /Điều 1/);
  const site = await current();
  assert.equal(site.privacy_version, 2, 'a changed notice has a new version');
  assert.match(site.privacy_updated, /^\d{4}-\d{2}-\d{2}$/);
  assert.match((await call(srv, 'GET', '/quyen-rieng-tu')).text, /Phiên bản 2 · có hiệu lực từ \d{2}\/\d{2}\/\d{4}/);
  // Saving the same notice again keeps its version; terms changes never move it.
  assert.equal((await legal({ terms_vi: 'Khác', privacy_vi: '## Dữ liệu thu thập\n\nTên đăng nhập, e-mail.', privacy_en: '## Data collected\n\nUser name, e-mail.' })).status, 303);
  assert.equal((await current()).privacy_version, 2);
  const tooLong = await legal({ terms_vi: 'x'.repeat(100 * 1024 + 1) });
  assert.equal(tooLong.status, 400);
  assert.match(tooLong.text, /Quá dài \(tối đa 100 KB\)/);
});

test('registration asks for consent to the privacy notice and records its version; a new version is asked again', async () => {
  const version = (await current()).privacy_version;
  const body = { username: 'nguoi-dong-y', email: 'dongy@example.vn', password: 'mật khẩu rất dài', display_name: 'Người Đồng Ý' };
  const refused = await call(srv, 'POST', '/api/v1/auth/register', { body });
  assert.equal(refused.status, 400);
  assert.ok(refused.json.error.details.accept_privacy_notice);
  const notTrue = await call(srv, 'POST', '/api/v1/auth/register', { body: { ...body, accept_privacy_notice: 'yes' } });
  assert.equal(notTrue.status, 400);
  assert.equal((await call(srv, 'POST', '/api/v1/auth/register', { body: { ...body, accept_privacy_notice: true } })).status, 202);
  const me = await login(srv, 'nguoi-dong-y', 'mật khẩu rất dài');
  let profile = await call(srv, 'GET', '/profile', { session: me });
  assert.match(profile.text, new RegExp(`Bạn đã đồng ý với thông báo về quyền riêng tư phiên bản ${version} \\(\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\)`));
  assert.doesNotMatch(profile.text, /Thông báo về quyền riêng tư đã thay đổi/);

  // The administrator changes the notice: the account page says so and asks again.
  const changed = await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { privacy_vi: '## Dữ liệu thu thập\n\nThêm nhật ký truy cập.' } });
  assert.equal(changed.json.privacy_version, version + 1);
  profile = await call(srv, 'GET', '/profile', { session: me });
  assert.match(profile.text, /Thông báo về quyền riêng tư đã thay đổi:/);
  assert.match(profile.text, new RegExp(`name="privacy_version" value="${version + 1}"`));
  // Accepting an older version than the one in force records nothing.
  const form = (v, csrf = me.csrf) => call(srv, 'POST', '/profile/privacy', {
    body: new URLSearchParams({ csrf, privacy_version: String(v) }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: me.cookie },
  });
  assert.equal((await form(version + 1, 'sai')).status, 403);
  assert.equal((await form(version)).headers.get('location'), '/profile');
  assert.match((await call(srv, 'GET', '/profile', { session: me })).text, /đã thay đổi/);
  const accepted = await form(version + 1);
  assert.equal(accepted.headers.get('location'), '/profile?privacy_accepted=1');
  profile = await call(srv, 'GET', '/profile', { session: me });
  assert.match(profile.text, new RegExp(`phiên bản ${version + 1} `));
  assert.doesNotMatch(profile.text, /Thông báo về quyền riêng tư đã thay đổi/);
});

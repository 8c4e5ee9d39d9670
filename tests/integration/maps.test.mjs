// The map view over HTTP: present on the page of a table with coordinates (the demo's among
// them) and absent elsewhere, asking the REST rows endpoint with the table's own filters; the
// tile server setting changes the page's Content-Security-Policy and the tile URL; the bundled
// boundary file is served with its type and licence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login, fileForm, loadEnded } from './harness.mjs';

let srv;
let root;
let admin;
let slug;
let places; // a table with coordinates
let plain; // a table without

const PLACES = [
  'Tên địa điểm,Loại,Vĩ độ,Kinh độ',
  'Đại Nội <Huế>,Di tích,16.4698,107.5786',
  'Chùa Thiên Mụ,Di tích,16.4532,107.5447',
  'Chợ Đông Ba,Chợ,16.4728,107.5887',
].join('\n') + '\n';

function imgSrc(r) {
  const csp = r.headers.get('content-security-policy');
  const part = csp.split(';').map((s) => s.trim()).find((s) => s.startsWith('img-src '));
  return part.slice('img-src '.length).split(' ');
}
// The map section's data attributes, decoded.
function mapData(html) {
  const m = html.match(/<div id="map"([^>]*)>/);
  if (!m) return null;
  const out = {};
  for (const [, k, v] of m[1].matchAll(/data-([a-z-]+)="([^"]*)"/g)) {
    out[k] = v.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  return out;
}
async function saveMapSettings(fields) {
  const s = (await call(srv, 'GET', '/api/v1/site')).json;
  const body = new URLSearchParams({ csrf: admin.csrf });
  for (const k of ['title_vi', 'title_en', 'province_vi', 'province_en', 'agency_vi', 'agency_en', 'responsible_vi',
    'responsible_en', 'license_vi', 'license_en', 'address_vi', 'address_en', 'contact_phone', 'contact_email',
    'tagline_vi', 'tagline_en', 'logo_url', 'primary_color', 'accent_color', 'footer_vi', 'footer_en',
    'map_tile_url', 'map_tile_attribution']) {
    body.set(k, k in fields ? fields[k] : s[k]);
  }
  return call(srv, 'POST', '/admin/settings', {
    session: admin, body: body.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc-ban-do', { sysadmin: true });
  admin = await login(srv, 'admin', srv.adminPassword);
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Địa điểm ở Huế', organization: 'so-giao-duc-dao-tao', license_id: 'cc-by' },
  });
  assert.equal(d.status, 201, d.text);
  slug = d.json.slug;
  for (const [csv, name] of [[PLACES, 'Địa điểm'], ['Năm,Số trường\n2024,12\n2025,14\n', 'Số trường']]) {
    const up = await call(srv, 'POST', `/api/v1/datasets/${slug}/resources`, { token: root, body: fileForm(csv, `${name}.csv`, { name }) });
    assert.equal(up.status, 201, up.text);
    await loadEnded(srv, up.json.id, root, (st) => Boolean(st.table));
    if (name === 'Địa điểm') places = up.json.id; else plain = up.json.id;
  }
  const pub = await call(srv, 'POST', `/api/v1/datasets/${slug}/publish`, { token: root, body: {} });
  assert.ok(pub.status < 300, pub.text);
});
after(async () => { await srv.stop(); });

test('a table with coordinates has a map asking the rows endpoint with the table\'s filters; one without has none', async () => {
  let r = await call(srv, 'GET', `/datasets/${slug}/resources/${places}?loai=Di%20t%C3%ADch&q=hue`);
  assert.equal(r.status, 200);
  const m = mapData(r.text);
  assert.ok(m, 'no map on a table with coordinates');
  assert.match(r.text, /<h2 id="map-h">Bản đồ<\/h2>/);
  assert.equal(m.lat, 'vi_do');
  assert.equal(m.lon, 'kinh_do');
  const rows = new URL(m['rows-url'], srv.url);
  assert.equal(rows.pathname, `/api/v1/resources/${places}/rows`);
  assert.equal(rows.searchParams.get('loai'), 'Di tích');
  assert.equal(rows.searchParams.get('q'), 'hue');
  assert.equal(rows.searchParams.get('limit'), m.max);
  // The map's request answers the same rows the table shows, with the total for the cap's note.
  const api = await call(srv, 'GET', rows.pathname + rows.search);
  assert.equal(api.status, 200);
  assert.equal(api.json.total, 1);
  assert.equal(api.json.rows[0].ten_dia_diem, 'Đại Nội <Huế>');
  // Without JavaScript: the GeoJSON of the same rows, and the table.
  assert.match(r.text, new RegExp(`href="/api/v1/resources/${places}/export\\?loai=Di%20t%C3%ADch&amp;q=hue&amp;format=geojson"`));
  assert.match(r.text, /<table class="table data-table">/);
  assert.ok(r.text.includes('Đại Nội &lt;Huế&gt;'));
  for (const name of ['leaflet_js', 'leaflet_markercluster_js', 'map_js']) {
    const src = r.text.match(new RegExp(`<script src="(/static/${name.replace(/_js$/, '').replace(/_/g, '.')}\\.[0-9a-f]{10}\\.js)" defer>`));
    assert.ok(src, `${name} is not on the page`);
    const js = await call(srv, 'GET', src[1]);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /^text\/javascript/);
  }

  r = await call(srv, 'GET', `/datasets/${slug}/resources/${plain}`);
  assert.equal(r.status, 200);
  assert.equal(mapData(r.text), null);
  assert.doesNotMatch(r.text, /leaflet/);
  assert.deepEqual(imgSrc(r), ["'self'", 'data:', 'https:']);
  r = await call(srv, 'GET', `/en/datasets/${slug}/resources/${places}`);
  assert.match(r.text, /<h2 id="map-h">Map<\/h2>/);
});

test('the demo\'s tables with coordinates show on the map', async () => {
  const found = [];
  for (const d of (await call(srv, 'GET', '/api/v1/datasets?limit=100')).json.results) {
    for (const res of d.resources || []) {
      const st = await call(srv, 'GET', `/api/v1/resources/${res.id}/datastore`);
      if (!st.json || !st.json.table || !st.json.table.geopoint) continue;
      const page = await call(srv, 'GET', `/datasets/${d.slug}/resources/${res.id}`);
      assert.ok(mapData(page.text), `${d.slug}: no map`);
      found.push(d.slug);
    }
  }
  assert.ok(found.filter((s) => s !== slug).length >= 2, `demo tables with a map: ${found}`);
});

test('the tile server setting sets the map\'s tiles and exactly that host in the page\'s image policy', async () => {
  const page = `/datasets/${slug}/resources/${places}`;
  let r = await call(srv, 'GET', page);
  assert.deepEqual(imgSrc(r), ["'self'", 'data:', 'https://tile.openstreetmap.org']);
  assert.equal(mapData(r.text)['tile-url'], 'https://tile.openstreetmap.org/{z}/{x}/{y}.png');
  assert.equal(mapData(r.text)['tile-attribution'], '© OpenStreetMap contributors');

  let s = await saveMapSettings({ map_tile_url: 'https://{s}.ban-do.hue.gov.vn/nen/{z}/{x}/{y}.png', map_tile_attribution: '© Sở <TN&MT> Huế' });
  assert.equal(s.status, 303, s.text);
  r = await call(srv, 'GET', page);
  assert.deepEqual(imgSrc(r), ["'self'", 'data:', 'https://*.ban-do.hue.gov.vn']);
  assert.equal(mapData(r.text)['tile-url'], 'https://{s}.ban-do.hue.gov.vn/nen/{z}/{x}/{y}.png');
  assert.ok(r.text.includes('data-tile-attribution="© Sở &lt;TN&amp;MT&gt; Huế"'));
  assert.equal((await call(srv, 'GET', '/api/v1/site')).json.map_tile_url, 'https://{s}.ban-do.hue.gov.vn/nen/{z}/{x}/{y}.png');

  // A URL that would break the policy is refused and nothing changes.
  s = await saveMapSettings({ map_tile_url: "https://x.vn/{z}/{x}/{y}.png; img-src *" });
  assert.equal(s.status, 400);
  assert.match(s.text, /id="s-map_tile_url-error"/);
  assert.deepEqual(imgSrc(await call(srv, 'GET', page)), ["'self'", 'data:', 'https://*.ban-do.hue.gov.vn']);

  // No tiles: no image host at all, and the page says the points are drawn over the outline.
  s = await saveMapSettings({ map_tile_url: '' });
  assert.equal(s.status, 303, s.text);
  r = await call(srv, 'GET', page);
  assert.deepEqual(imgSrc(r), ["'self'", 'data:']);
  assert.equal(mapData(r.text)['tile-url'], '');
  assert.match(r.text, /Cổng không dùng nền bản đồ/);
  const form = await call(srv, 'GET', '/admin/settings', { session: admin });
  assert.match(form.text, /<input id="s-map_tile_url" name="map_tile_url" value=""/);

  s = await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { map_tile_url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' } });
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(imgSrc(await call(srv, 'GET', page)), ["'self'", 'data:', 'https://tile.openstreetmap.org']);
});

test('the boundary file is served as GeoJSON with its licence, source and the site\'s province in it', async () => {
  const page = await call(srv, 'GET', `/datasets/${slug}/resources/${places}`);
  const url = mapData(page.text)['boundary-url'];
  assert.match(url, /^\/static\/vn-provinces\.[0-9a-f]{10}\.geojson$/);
  assert.equal(mapData(page.text).province, 'Thành phố Huế');
  const r = await call(srv, 'GET', url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/geo+json');
  assert.equal(r.headers.get('link'), '<https://creativecommons.org/licenses/by/4.0/>; rel="license"');
  assert.match(r.headers.get('cache-control'), /immutable/);
  assert.ok(r.bytes.length < 500 * 1024, `${r.bytes.length} bytes`);
  assert.equal(r.json.type, 'FeatureCollection');
  assert.match(r.json.license, /CC BY 4\.0/);
  assert.match(r.json.attribution, /geoBoundaries/);
  assert.match(r.json.source.name, /geoBoundaries/);
  assert.match(r.json.source.sha256, /^[0-9a-f]{64}$/);
  const hue = r.json.features.find((f) => f.properties.name === 'Thừa Thiên Huế');
  assert.ok(hue, 'no Huế in the boundary file');
  assert.equal(hue.properties.iso, 'VN-26');
  assert.ok(['Polygon', 'MultiPolygon'].includes(hue.geometry.type));
  assert.equal(r.json.features.length, 64);
  assert.match(page.text, /data-boundary-attribution="Ranh giới: geoBoundaries \(CC BY 4\.0\)"/);
});

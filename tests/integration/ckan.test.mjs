// CKAN Action API v3 (/api/action/<name> and /api/3/action/<name>): routing, envelope, every read
// action, access tiers, errors and writes, as CKAN clients such as ckanapi use them
// (contract: shared/reference/open-data-portals.md §2 and §5).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { addUser, call, odp, startServer } from './harness.mjs';

// Helpers -------------------------------------------------------------------------------------

let srv;
let admin;          // API token of the demo sysadmin `admin`
let registered;     // API token of a plain registered user (no organization)
let hidden = [];    // datasets anonymous callers must never see (non-public or unpublished)
let publicNames = []; // names of public, published datasets

const ISO_MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;
const viCompare = new Intl.Collator('vi').compare;

// Calls an action. GET params go in the query string (lists as JSON strings, like `ckanapi -g`).
function action(name, { method = 'GET', params, body, token, headers, v3 = true } = {}) {
  let path = `${v3 ? '/api/3' : '/api'}/action/${name}`;
  if (params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) qs.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    path += `?${qs}`;
  }
  return call(srv, method, path, { body, token, headers });
}

// Asserts a successful CKAN envelope and returns `result`.
function ok(r, name) {
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(r.json.success, true, r.text);
  assert.equal(r.json.help, `${srv.url}/api/3/action/help_show?name=${name}`);
  assert.ok('result' in r.json);
  return r.json.result;
}

// Asserts a CKAN error envelope with `status` and `error.__type`; returns `error`.
function fails(r, status, type) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(r.json?.success, false, r.text);
  assert.equal(r.json.error.__type, type, r.text);
  assert.ok(!('result' in r.json));
  return r.json.error;
}

// Asserts CKAN's "bad request" answer: 400 with a bare JSON string body.
function badRequest(r, prefix = 'Bad request') {
  assert.equal(r.status, 400, r.text);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(typeof r.json, 'string', `expected a bare JSON string, got ${r.text}`);
  assert.ok(r.json.startsWith(prefix), r.json);
}

// Read helpers use GET (flat params); the POST forms have tests of their own.
const search = async (params, token) => ok(await action('package_search', { params, token }), 'package_search');
const show = async (id, token) => ok(await action('package_show', { params: { id }, token }), 'package_show');
const names = (results) => results.map((p) => p.name);

// Creates a dataset through package_create and returns the package dict.
let serial = 0;
async function createPackage(token, fields = {}) {
  serial += 1;
  const r = await action('package_create', {
    method: 'POST', token,
    body: { name: `bo-du-lieu-thu-${serial}`, title: `Bộ dữ liệu thử nghiệm số ${serial}`, owner_org: 'so-y-te',
      notes: 'Mô tả **ngắn**.', license_id: 'cc-by', ...fields },
  });
  return ok(r, 'package_create');
}

// A multipart body with the file part named `upload`, as ckanapi sends it.
function uploadForm(fields, bytes, filename) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('upload', new Blob([bytes], { type: 'text/csv' }), filename);
  return fd;
}

before(async () => {
  srv = await startServer({ demo: true });
  const t = odp(['token', 'add', 'admin', '--data', srv.dir, '--name', 'ckan-test']);
  assert.equal(t.status, 0, t.stderr);
  admin = t.stdout.trim();
  registered = addUser(srv, 'nguoi-dung-dang-ky');
  // The sysadmin sees everything; classify the demo datasets from that view.
  const all = ok(await action('package_search', {
    params: { rows: '1000', include_private: 'true', include_drafts: 'true' }, token: admin,
  }), 'package_search').results;
  hidden = all.filter((p) => p.access_level !== 'public' || p.workflow_state !== 'published');
  publicNames = all.filter((p) => !hidden.includes(p)).map((p) => p.name).sort();
  const kinds = new Set(hidden.flatMap((p) => [p.access_level, p.workflow_state]));
  for (const k of ['registered', 'internal', 'draft', 'pending']) assert.ok(kinds.has(k), `demo has no ${k} dataset`);
});

after(async () => { if (srv) await srv.stop(); });

const hiddenOf = (kind) => hidden.find((p) => p.access_level === kind || p.workflow_state === kind);

// Routing and envelope -------------------------------------------------------------------------

test('GET /api/action/X and /api/3/action/X both answer with the CKAN envelope as JSON', async () => {
  for (const v3 of [false, true]) {
    const r = await action('status_show', { v3 });
    const res = ok(r, 'status_show');
    assert.deepEqual(Object.keys(r.json).sort(), ['help', 'result', 'success']);
    assert.equal(res.site_url, srv.url);
  }
});

test('POST with a JSON body works on both paths, without a trailing slash and without redirects', async () => {
  for (const v3 of [false, true]) {
    const r = await action('package_list', { method: 'POST', body: { limit: 2 }, v3 });
    assert.ok(r.status < 300 || r.status >= 400, `redirected: ${r.status}`);
    assert.deepEqual(ok(r, 'package_list'), publicNames.slice(0, 2));
  }
  // ckanapi sends ASCII JSON: Vietnamese as \uXXXX escapes.
  const r = await action('package_search', {
    method: 'POST', body: '{"q": "gi\\u00e1o d\\u1ee5c", "rows": 1}', headers: { 'Content-Type': 'application/json' },
  });
  assert.ok(ok(r, 'package_search').count > 0);
  for (const path of ['/api/action/status_show/', '/api/3/action/status_show/']) {
    const t = await call(srv, 'POST', path, { body: {} });
    assert.ok(t.status < 300 || t.status >= 400, `${path} redirected: ${t.status}`);
  }
});

test('POST with an urlencoded form reads ordinary fields and a lone JSON-string key', async () => {
  const name = publicNames[0];
  const form = await action('package_show', { method: 'POST', body: new URLSearchParams({ id: name }) });
  assert.equal(ok(form, 'package_show').name, name);
  const jsonKey = await action('package_list', {
    method: 'POST', body: JSON.stringify({ limit: 1, offset: 1 }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.deepEqual(ok(jsonKey, 'package_list'), publicNames.slice(1, 2));
});

// Read actions ---------------------------------------------------------------------------------

test('status_show reports the site and a CKAN version', async () => {
  const s = ok(await action('status_show'), 'status_show');
  for (const k of ['site_title', 'site_description', 'site_url', 'error_emails_to', 'locale_default', 'extensions', 'ckan_version']) {
    assert.ok(k in s, `status_show lacks ${k}`);
  }
  assert.ok(Array.isArray(s.extensions));
  assert.match(s.ckan_version, /^2\.\d+/);
});

test('site_read answers true', async () => {
  assert.equal(ok(await action('site_read'), 'site_read'), true);
});

test('package_list returns the public published names, sorted, paged only by limit/offset', async () => {
  const list = ok(await action('package_list'), 'package_list');
  assert.deepEqual(list, publicNames);
  assert.deepEqual(list, [...list].sort());
  const page = ok(await action('package_list', { params: { limit: '3', offset: '2' } }), 'package_list');
  assert.deepEqual(page, publicNames.slice(2, 5));
  // What `ckanapi dump datasets --all` sends: the extra keys are ignored.
  const dump = await action('package_list', {
    method: 'POST', body: { include_private: false, include_drafts: false, include_deleted: false },
  });
  assert.deepEqual(ok(dump, 'package_list'), publicNames);
  const greedy = await action('package_list', { params: { include_private: 'true', include_drafts: 'true', include_deleted: 'true' }, token: admin });
  assert.deepEqual(ok(greedy, 'package_list'), publicNames);
});

test('package_search finds the same datasets for "giao duc" as for "giáo dục"', async () => {
  const marked = await search({ q: 'giáo dục', rows: 100 });
  const plain = await search({ q: 'giao duc', rows: 100 });
  assert.ok(marked.count > 0);
  assert.equal(plain.count, marked.count);
  assert.deepEqual(names(plain.results).sort(), names(marked.results).sort());
});

test('package_search fq organization:<slug> keeps only that organization', async () => {
  const r = await search({ fq: 'organization:so-giao-duc-dao-tao', rows: 100 });
  assert.ok(r.count > 0);
  assert.equal(r.results.length, r.count);
  for (const p of r.results) assert.equal(p.organization.name, 'so-giao-duc-dao-tao');
  const everything = await search({ rows: 1000 });
  assert.equal(r.count, everything.results.filter((p) => p.organization.name === 'so-giao-duc-dao-tao').length);
});

test('package_search coerces rows "0" to a count-only answer', async () => {
  const r = await search({ q: '', rows: '0' });
  assert.deepEqual(r.results, []);
  assert.equal(r.count, publicNames.length);
});

test('package_search takes facet.field as a JSON list or a JSON string, with CKAN facet shapes', async () => {
  const fields = ['organization', 'groups', 'tags', 'license_id'];
  const asList = await search({ rows: '0', 'facet.field': fields });
  const asString = ok(await action('package_search', { params: { rows: '0', 'facet.field': JSON.stringify(fields) } }), 'package_search');
  assert.deepEqual(asString.facets, asList.facets);
  assert.deepEqual(asString.search_facets, asList.search_facets);
  for (const f of fields) {
    const counts = asList.facets[f];
    assert.ok(Object.keys(counts).length > 0, `no ${f} facet`);
    const sf = asList.search_facets[f];
    assert.equal(sf.title, f);
    assert.equal(sf.items.length, Object.keys(counts).length);
    for (const it of sf.items) {
      assert.deepEqual(Object.keys(it).sort(), ['count', 'display_name', 'name']);
      assert.equal(it.count, counts[it.name]);
    }
    const shown = sf.items.map((it) => it.display_name);
    assert.deepEqual(shown, [...shown].sort().reverse(), `${f} items not sorted by display_name descending`);
  }
  const org = asList.search_facets.organization.items.find((it) => it.name === 'so-y-te');
  assert.equal(org.display_name, ok(await action('organization_show', { params: { id: 'so-y-te' } }), 'organization_show').title);
  const lic = asList.search_facets.license_id.items.find((it) => it.name === 'cc-by');
  const licenses = ok(await action('license_list'), 'license_list');
  assert.equal(lic.display_name, licenses.find((l) => l.id === 'cc-by').title);
});

test('package_search pages with start/rows', async () => {
  const all = await search({ rows: 1000, sort: 'name asc' });
  const pages = [];
  for (let start = 0; start < all.count; start += 3) {
    const page = await search({ rows: '3', start: String(start), sort: 'name asc' });
    assert.equal(page.count, all.count);
    assert.ok(page.results.length <= 3);
    pages.push(...names(page.results));
  }
  assert.deepEqual(pages, names(all.results));
  assert.deepEqual((await search({ rows: 3, start: all.count, sort: 'name asc' })).results, []);
});

test('package_search sorts by "title_string asc"', async () => {
  const r = await search({ rows: 1000, sort: 'title_string asc' });
  assert.equal(r.sort, 'title_string asc');
  const titles = r.results.map((p) => p.title);
  assert.deepEqual(titles, [...titles].sort(viCompare));
});

test('package_search rejects an unknown parameter with 400 Search Query Error', async () => {
  const e = fails(await action('package_search', { method: 'POST', body: { q: 'y tế', khong_co: 1 } }), 400, 'Search Query Error');
  assert.match(e.message, /khong_co/);
  fails(await action('package_search', { params: { foo: 'bar' } }), 400, 'Search Query Error');
});

test('package_show finds a dataset by name and by id, tolerating extra keys', async () => {
  const byName = await show(publicNames[0]);
  const byId = await show(byName.id);
  assert.equal(byId.name, byName.name);
  const r = await action('package_show', {
    method: 'POST',
    body: { id: byName.name, include_datasets: false, include_password_hash: true, include_users: false,
      use_default_schema: true, include_plugin_data: false },
  });
  assert.equal(ok(r, 'package_show').id, byName.id);
});

test('anonymous package_show answers the dataset asked for, however it is named', async () => {
  // Anonymous GETs are cached; each request must still get its own dataset (ODP accepts `name`
  // as well as `id`), and a request without an id is a validation error, not a cached answer.
  for (const name of publicNames.slice(0, 3)) {
    assert.equal(ok(await action('package_show', { params: { name } }), 'package_show').name, name);
    assert.equal(ok(await action('package_show', { params: { id: name } }), 'package_show').name, name);
  }
  fails(await action('package_show', { params: { ID: publicNames[0] } }), 409, 'Validation Error');
});

test('package_show returns every CKAN package key with naive microsecond timestamps', async () => {
  const p = await show('danh-sach-truong-trung-hoc');
  for (const k of ['id', 'name', 'title', 'type', 'state', 'private', 'owner_org', 'organization', 'author',
    'author_email', 'maintainer', 'maintainer_email', 'license_id', 'license_title', 'license_url', 'isopen',
    'notes', 'url', 'version', 'metadata_created', 'metadata_modified', 'creator_user_id', 'num_resources',
    'num_tags', 'tags', 'groups', 'extras', 'relationships_as_subject', 'relationships_as_object', 'resources']) {
    assert.ok(k in p, `package lacks ${k}`);
  }
  assert.equal(p.type, 'dataset');
  assert.equal(p.state, 'active');
  assert.equal(p.private, false);
  assert.equal(p.owner_org, p.organization.id);
  for (const k of ['id', 'name', 'title', 'type', 'description', 'image_url', 'created', 'is_organization', 'approval_status', 'state']) {
    assert.ok(k in p.organization, `organization lacks ${k}`);
  }
  assert.equal(p.organization.is_organization, true);
  assert.equal(p.num_resources, p.resources.length);
  assert.equal(p.num_tags, p.tags.length);
  assert.ok(p.tags.length > 0 && p.groups.length > 0 && p.resources.length > 0);
  for (const t of p.tags) assert.deepEqual(Object.keys(t).sort(), ['display_name', 'id', 'name', 'state', 'vocabulary_id']);
  for (const g of p.groups) {
    for (const k of ['id', 'name', 'title', 'display_name', 'description', 'image_display_url']) assert.ok(k in g, `group lacks ${k}`);
  }
  assert.ok(p.groups.some((g) => g.name === 'giao-duc-dao-tao'), 'sector missing from groups');
  assert.ok(p.groups.some((g) => g.name === 'giao-duc-va-dao-tao'), 'topic missing from groups');
  for (const ts of [p.metadata_created, p.metadata_modified, p.organization.created, ...p.resources.flatMap((r) => [r.created, r.metadata_modified])]) {
    assert.match(ts, ISO_MICROS);
  }
});

test('package_show of an unknown dataset is 404 Not Found Error', async () => {
  const e = fails(await action('package_show', { params: { id: 'khong-ton-tai' } }), 404, 'Not Found Error');
  assert.match(e.message, /^Not found/);
});

test('resource_show returns a CKAN resource dict; unknown ids are 404', async () => {
  const p = await show('danh-sach-truong-trung-hoc');
  const res = ok(await action('resource_show', { params: { id: p.resources[0].id } }), 'resource_show');
  for (const k of ['id', 'package_id', 'url', 'name', 'description', 'format', 'mimetype', 'mimetype_inner', 'size',
    'hash', 'created', 'last_modified', 'metadata_modified', 'position', 'state', 'resource_type', 'url_type',
    'cache_url', 'cache_last_updated', 'datastore_active']) {
    assert.ok(k in res, `resource lacks ${k}`);
  }
  assert.equal(res.package_id, p.id);
  assert.deepEqual(res, p.resources[0]);
  assert.equal(res.url_type, 'upload');
  assert.equal(typeof res.datastore_active, 'boolean');
  fails(await action('resource_show', { params: { id: '00000000-0000-0000-0000-000000000000' } }), 404, 'Not Found Error');
});

test('organization_list gives names, sorts, and with all_fields gives dicts with package_count', async () => {
  const list = ok(await action('organization_list'), 'organization_list');
  assert.ok(list.includes('so-y-te') && list.includes('so-giao-duc-dao-tao'));
  assert.ok(list.every((n) => typeof n === 'string'));
  const byName = ok(await action('organization_list', { params: { sort: 'name asc' } }), 'organization_list');
  assert.deepEqual(byName, [...list].sort());
  const full = ok(await action('organization_list', { params: { all_fields: 'true', limit: '100', sort: 'package_count desc' } }), 'organization_list');
  assert.equal(full.length, list.length);
  const counts = full.map((o) => o.package_count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  const everything = await search({ rows: 1000 });
  for (const o of full) {
    assert.equal(o.is_organization, true);
    assert.equal(o.package_count, everything.results.filter((p) => p.organization.name === o.name).length, o.name);
  }
  const titled = ok(await action('organization_list', { params: { all_fields: 'true', limit: '100' } }), 'organization_list');
  const titles = titled.map((o) => o.title);
  assert.deepEqual(titles, [...titles].sort(viCompare), 'default sort is title asc');
});

test('organization_show includes its datasets on request', async () => {
  const plain = ok(await action('organization_show', { params: { id: 'so-giao-duc-dao-tao' } }), 'organization_show');
  assert.equal(plain.name, 'so-giao-duc-dao-tao');
  assert.ok(!('packages' in plain));
  const full = ok(await action('organization_show', { params: { id: 'so-giao-duc-dao-tao', include_datasets: 'true' } }), 'organization_show');
  assert.equal(full.packages.length, Math.min(10, full.package_count));
  assert.ok(full.packages.length > 0);
  for (const p of full.packages) assert.equal(p.owner_org, full.id);
  fails(await action('organization_show', { params: { id: 'khong-co' } }), 404, 'Not Found Error');
});

test('group_list and group_show cover sectors and topics', async () => {
  const list = ok(await action('group_list'), 'group_list');
  assert.ok(list.includes('y-te'), 'sector y-te missing');
  assert.ok(list.includes('giao-duc-va-dao-tao'), 'topic giao-duc-va-dao-tao missing');
  const full = ok(await action('group_list', { params: { all_fields: 'true', limit: '1000' } }), 'group_list');
  assert.equal(full.length, list.length);
  for (const g of full) {
    assert.equal(g.is_organization, false);
    assert.equal(typeof g.package_count, 'number');
  }
  for (const id of ['giao-duc-dao-tao', 'giao-duc-va-dao-tao']) {
    const g = ok(await action('group_show', { params: { id, include_datasets: 'true' } }), 'group_show');
    assert.equal(g.name, id);
    assert.equal(g.type, 'group');
    assert.ok(g.packages.length > 0);
    assert.equal(g.packages.length, g.package_count);
    for (const p of g.packages) assert.ok(p.groups.some((x) => x.name === id), `${p.name} not in ${id}`);
  }
  fails(await action('group_show', { params: { id: 'khong-co' } }), 404, 'Not Found Error');
});

test('tag_list lists the tags of visible datasets, filtered by query', async () => {
  const tags = ok(await action('tag_list'), 'tag_list');
  assert.ok(tags.includes('giáo dục'));
  const publicTags = new Set((await search({ rows: 1000 })).results.flatMap((p) => p.tags.map((t) => t.name)));
  assert.deepEqual([...tags].sort(), [...publicTags].sort());
  const some = ok(await action('tag_list', { params: { query: 'giao' } }), 'tag_list');
  assert.ok(some.includes('giáo dục') && some.length < tags.length);
  const full = ok(await action('tag_list', { params: { all_fields: 'true' } }), 'tag_list');
  for (const t of full) assert.deepEqual(Object.keys(t).sort(), ['display_name', 'id', 'name', 'vocabulary_id']);
});

test('license_list lists licences with id, title and url', async () => {
  const list = ok(await action('license_list'), 'license_list');
  for (const l of list) for (const k of ['id', 'title', 'url']) assert.ok(k in l);
  assert.ok(list.some((l) => l.id === 'cc-by'));
});

test('current_package_list_with_resources lists public packages with their resources', async () => {
  const list = ok(await action('current_package_list_with_resources', { params: { limit: '1000' } }), 'current_package_list_with_resources');
  assert.deepEqual(names(list).sort(), publicNames);
  for (const p of list) assert.ok(Array.isArray(p.resources));
  const two = ok(await action('current_package_list_with_resources', { params: { limit: '2' } }), 'current_package_list_with_resources');
  assert.equal(two.length, 2);
});

// Access tiers ---------------------------------------------------------------------------------

test('anonymous searches and facet counts never include registered, internal or draft datasets', async () => {
  const r = await search({ rows: 1000, include_private: true, include_drafts: true, 'facet.field': ['organization', 'tags', 'groups'], 'facet.limit': -1 });
  assert.deepEqual(names(r.results).sort(), publicNames);
  for (const p of hidden) assert.ok(!names(r.results).includes(p.name), `${p.name} leaked`);
  const expected = { organization: {}, tags: {}, groups: {} };
  const bump = (f, k) => { expected[f][k] = (expected[f][k] ?? 0) + 1; };
  for (const p of r.results) {
    bump('organization', p.organization.name);
    p.tags.forEach((t) => bump('tags', t.name));
    p.groups.forEach((g) => bump('groups', g.name));
  }
  assert.deepEqual(r.facets, expected);
});

test('anonymous package_show of a non-public or unpublished dataset is 404, not 403', async () => {
  for (const p of hidden) {
    fails(await action('package_show', { params: { id: p.name } }), 404, 'Not Found Error');
    fails(await action('package_show', { params: { id: p.id } }), 404, 'Not Found Error');
    if (p.resources.length) fails(await action('resource_show', { params: { id: p.resources[0].id } }), 404, 'Not Found Error');
  }
});

test('a registered user sees the registered-tier dataset with include_private=true', async () => {
  const reg = hiddenOf('registered');
  const without = await search({ rows: 1000 }, registered);
  assert.ok(!names(without.results).includes(reg.name));
  const withPrivate = await search({ rows: 1000, include_private: true }, registered);
  assert.ok(names(withPrivate.results).includes(reg.name));
  assert.ok(!names(withPrivate.results).includes(hiddenOf('internal').name));
  assert.equal((await show(reg.name, registered)).access_level, 'registered');
  // ckanapi also sends the token as X-CKAN-API-Key.
  const legacy = await action('package_show', { params: { id: reg.name }, headers: { 'X-CKAN-API-Key': registered } });
  assert.equal(ok(legacy, 'package_show').name, reg.name);
  fails(await action('package_show', { params: { id: reg.name } }), 404, 'Not Found Error');
});

// Errors ---------------------------------------------------------------------------------------

test('an unknown action is 400 with a bare string body', async () => {
  badRequest(await action('khong_co_action'), 'Bad request: Action name not known');
  badRequest(await action('khong_co_action', { method: 'POST', body: {}, v3: false }), 'Bad request: Action name not known');
});

test('GET on a write action is 400 with a bare string body', async () => {
  badRequest(await action('package_create', { params: { name: 'x' } }));
});

test('a malformed JSON POST body is 400', async () => {
  const r = await action('package_search', { method: 'POST', body: '{"q": ', headers: { 'Content-Type': 'application/json' } });
  badRequest(r);
});

test('a wrong or revoked token is 403 Authorization Error', async () => {
  fails(await action('package_list', { token: 'odp_khong-phai-token' }), 403, 'Authorization Error');
  const token = odp(['token', 'add', 'nguoi-dung-dang-ky', '--data', srv.dir, '--name', 'thu-hoi']).stdout.trim();
  ok(await action('package_list', { token }), 'package_list');
  const mine = await call(srv, 'GET', '/api/v1/me/tokens', { token });
  const id = mine.json.tokens.find((t) => t.name === 'thu-hoi').id;
  assert.equal((await call(srv, 'DELETE', `/api/v1/me/tokens/${id}`, { token })).status, 204);
  fails(await action('package_list', { token }), 403, 'Authorization Error');
  fails(await action('package_show', { params: { id: publicNames[0] }, token }), 403, 'Authorization Error');
});

test('anonymous package_create is 403 Authorization Error', async () => {
  const r = await action('package_create', { method: 'POST', body: { name: 'vo-danh', title: 'Vô danh', owner_org: 'so-y-te' } });
  fails(r, 403, 'Authorization Error');
  fails(await action('package_show', { params: { id: 'vo-danh' }, token: admin }), 404, 'Not Found Error');
});

test('package_create validation failures are 409 Validation Error keyed by field', async () => {
  const noTitle = fails(await action('package_create', { method: 'POST', token: admin, body: { name: 'khong-tieu-de', owner_org: 'so-y-te' } }), 409, 'Validation Error');
  // Field keys name the CKAN fields the client sent (`title`), not ODP's internal ones.
  assert.ok(Array.isArray(noTitle.title), JSON.stringify(noTitle));
  const noOrg = fails(await action('package_create', { method: 'POST', token: admin, body: { name: 'khong-co-to-chuc', title: 'Không có tổ chức', owner_org: 'khong-ton-tai' } }), 409, 'Validation Error');
  assert.ok(Array.isArray(noOrg.owner_org), JSON.stringify(noOrg));
});

// Writes ---------------------------------------------------------------------------------------

test('organization_create by a sysadmin (raw token) creates a listed organization', async () => {
  const r = await action('organization_create', {
    method: 'POST', token: admin, body: { name: 'so-khoa-hoc-cong-nghe', title: 'Sở Khoa học và Công nghệ', description: 'Quản lý khoa học.' },
  });
  const o = ok(r, 'organization_create');
  assert.equal(o.name, 'so-khoa-hoc-cong-nghe');
  assert.equal(o.title, 'Sở Khoa học và Công nghệ');
  assert.equal(o.is_organization, true);
  assert.equal(ok(await action('organization_show', { params: { id: o.id } }), 'organization_show').name, o.name);
  assert.ok(ok(await action('organization_list'), 'organization_list').includes(o.name));
});

test('package_create by a sysadmin (Bearer token) publishes the dataset with tags and groups', async () => {
  const p = await createPackage(`Bearer ${admin}`, {
    name: 'benh-vien-cong-lap', title: 'Bệnh viện công lập', tags: [{ name: 'bệnh viện' }, { name: 'y tế công' }],
    groups: [{ name: 'y-te' }, { name: 'benh-vien-tu-nhan' }],
  });
  assert.equal(p.name, 'benh-vien-cong-lap');
  assert.equal(p.state, 'active');
  assert.equal(p.private, false);
  assert.deepEqual(p.tags.map((t) => t.name).sort(), ['bệnh viện', 'y tế công']);
  assert.deepEqual(p.groups.map((g) => g.name).sort(), ['benh-vien-tu-nhan', 'y-te']);
  assert.deepEqual(p.sectors, ['y-te']);
  assert.deepEqual(p.topics, ['benh-vien-tu-nhan']);
  assert.equal((await show('benh-vien-cong-lap')).id, p.id);
  assert.ok(ok(await action('package_list'), 'package_list').includes('benh-vien-cong-lap'));
  assert.ok(names((await search({ q: 'benh vien cong lap' })).results).includes('benh-vien-cong-lap'));
});

test('package_patch changes only the title', async () => {
  const p = await createPackage(admin, { tags: [{ name: 'vá' }], groups: [{ name: 'y-te' }] });
  assert.equal((await show(p.name)).title, p.title);  // primes the anonymous cache
  const patched = ok(await action('package_patch', { method: 'POST', token: admin, body: { id: p.id, title: 'Tiêu đề mới' } }), 'package_patch');
  assert.equal(patched.title, 'Tiêu đề mới');
  for (const k of ['name', 'notes', 'owner_org', 'license_id', 'tags', 'groups', 'resources', 'state']) {
    assert.deepEqual(patched[k], p[k], k);
  }
  assert.equal((await show(p.name)).title, 'Tiêu đề mới');
});

test('package_update accepts the package_show dict back with changes', async () => {
  const p = await createPackage(admin, { tags: [{ name: 'cập nhật' }], groups: [{ name: 'y-te' }] });
  const dict = await show(p.id, admin);
  const r = await action('package_update', { method: 'POST', token: admin, body: { ...dict, notes: 'Mô tả đã sửa.' } });
  const updated = ok(r, 'package_update');
  assert.equal(updated.id, p.id);
  assert.equal(updated.notes, 'Mô tả đã sửa.');
  assert.deepEqual(updated.tags.map((t) => t.name), ['cập nhật']);
  assert.deepEqual(updated.groups.map((g) => g.name), ['y-te']);
  assert.equal(updated.state, 'active');
});

test('resource_create uploads a file with a Vietnamese name that downloads byte for byte', async () => {
  const p = await createPackage(admin);
  const bytes = Buffer.from('Huyện,Số ca\r\nA Lưới,12\r\nNam Đông,7\r\n', 'utf8');
  const r = await action('resource_create', {
    method: 'POST', token: admin, body: uploadForm({ package_id: p.id, name: 'Số ca theo huyện' }, bytes, 'Số ca theo huyện.csv'),
  });
  const res = ok(r, 'resource_create');
  assert.equal(res.package_id, p.id);
  assert.equal(res.name, 'Số ca theo huyện');
  assert.equal(res.url_type, 'upload');
  assert.equal(res.size, bytes.length);
  assert.ok(res.url.startsWith(srv.url), res.url);
  const dl = await call(srv, 'GET', res.url.slice(srv.url.length));
  assert.equal(dl.status, 200);
  assert.deepEqual(dl.bytes, bytes);
  assert.deepEqual((await show(p.id)).resources.map((x) => x.id), [res.id]);
});

test('resource_update with a new file keeps the resource id and serves the new bytes', async () => {
  const p = await createPackage(admin);
  const first = ok(await action('resource_create', {
    method: 'POST', token: admin, body: uploadForm({ package_id: p.id, name: 'Bảng' }, Buffer.from('a\r\n1\r\n'), 'Bảng.csv'),
  }), 'resource_create');
  const bytes = Buffer.from('a\r\n1\r\n2\r\nđã sửa\r\n', 'utf8');
  const second = ok(await action('resource_update', {
    method: 'POST', token: admin, body: uploadForm({ id: first.id, name: 'Bảng (bản 2)' }, bytes, 'Bảng bản 2.csv'),
  }), 'resource_update');
  assert.equal(second.id, first.id);
  assert.equal(second.name, 'Bảng (bản 2)');
  assert.equal(second.size, bytes.length);
  const dl = await call(srv, 'GET', second.url.slice(srv.url.length));
  assert.equal(dl.status, 200);
  assert.deepEqual(dl.bytes, bytes);
  assert.equal((await show(p.id)).resources.length, 1);
});

test('package_delete hides the dataset from package_show, package_list and package_search', async () => {
  const p = await createPackage(admin, { name: 'se-bi-xoa', title: 'Sẽ bị xoá' });
  assert.ok(ok(await action('package_list'), 'package_list').includes('se-bi-xoa'));
  ok(await action('package_delete', { method: 'POST', token: admin, body: { id: p.id } }), 'package_delete');
  fails(await action('package_show', { params: { id: 'se-bi-xoa' } }), 404, 'Not Found Error');
  fails(await action('package_show', { method: 'POST', body: { id: p.id } }), 404, 'Not Found Error');
  assert.ok(!ok(await action('package_list'), 'package_list').includes('se-bi-xoa'));
  assert.ok(!names((await search({ rows: 1000 })).results).includes('se-bi-xoa'));
});

test('package_create by an organization editor leaves a draft pending review', async () => {
  const editor = addUser(srv, 'bien-tap-vien-y-te', { org: 'so-y-te', role: 'editor' });
  const p = await createPackage(editor, { name: 'de-xuat-cua-bien-tap-vien', title: 'Đề xuất của biên tập viên' });
  assert.equal(p.state, 'draft');
  assert.equal(p.workflow_state, 'pending');
  assert.equal((await show(p.id, editor)).workflow_state, 'pending');
  fails(await action('package_show', { params: { id: p.name } }), 404, 'Not Found Error');
  assert.ok(!ok(await action('package_list'), 'package_list').includes(p.name));
});

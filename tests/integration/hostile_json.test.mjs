// Security issue 14, "one request crashes the server": request JSON nested 100,000 levels deep
// overflowed a worker's stack. Every place a caller's bytes become JSON (CKAN bodies, forms and
// JSON-text parameters, REST bodies, cursors) now refuses nesting deeper than 32 levels with a
// 400 before parsing, and arrays or objects where text is expected are refused, never
// serialised again. After each hostile request the server still answers /healthz.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser } from './harness.mjs';

const LIMIT = 32;
const TOO_DEEP_VI = `Dữ liệu JSON lồng quá sâu (tối đa ${LIMIT} cấp)`;

let srv;
let root;
let dataset;
let resource;

const arrays = (depth, inside = '') => '['.repeat(depth) + inside + ']'.repeat(depth);
const objects = (depth) => '{"k":'.repeat(depth) + '1' + '}'.repeat(depth);
const nested = (shape, depth) => (shape === 'array' ? arrays(depth) : objects(depth));
const b64url = (text) => Buffer.from(text, 'utf8').toString('base64url');

async function healthy() {
  const r = await call(srv, 'GET', '/healthz');
  assert.equal(r.status, 200, 'the server still answers /healthz');
}

// A JSON body sent as raw text (the harness would JSON.stringify an object).
const postJson = (path, text, opts = {}) =>
  call(srv, 'POST', path, { ...opts, body: text, headers: { 'Content-Type': 'application/json', ...(opts.headers || {}) } });
const postForm = (path, text) =>
  call(srv, 'POST', path, { body: text, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

function assertCkanTooDeep(r, what) {
  assert.equal(r.status, 400, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.json.success, false, what);
  assert.equal(r.json.error.__type, 'Validation Error', what);
  assert.match(JSON.stringify(r.json.error), /lồng quá sâu/, what);
}

function assertRestTooDeep(r, what) {
  assert.equal(r.status, 400, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.json.error.code, 'invalid_argument', what);
  assert.match(r.json.error.message_vi + JSON.stringify(r.json.error.details), /lồng quá sâu/, what);
  assert.match(r.json.error.message, /nested too deeply/, what);
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Dân số theo huyện', organization: 'so-giao-duc-dao-tao', access: 'public' },
  });
  assert.equal(d.status, 201, d.text);
  dataset = d.json;
  const fd = new FormData();
  fd.append('name', 'Dân số');
  fd.append('upload', new Blob([Buffer.from('huyen,dan_so\nHương Thủy,100\nPhú Vang,200\nA Lưới,50\n')],
    { type: 'text/csv' }), 'dan-so.csv');
  const up = await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/resources`, { token: root, body: fd });
  assert.equal(up.status, 201, up.text);
  resource = up.json;
  await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/publish`, { token: root, body: {} });
  for (let i = 0; i < 400; i++) {
    const st = await call(srv, 'GET', `/api/v1/resources/${resource.id}/datastore`, { token: root });
    if (st.json.job && ['done', 'failed'].includes(st.json.job.state)) break;
    await new Promise((res) => setTimeout(res, 25));
  }
});
after(async () => { await srv.stop(); });

const DEEP = arrays(100000); // 200 KB

test('100,000-level JSON bodies to CKAN actions are refused with 400 and the server lives', async () => {
  const bodies = {
    package_show: `{"id":${DEEP}}`,
    package_search: `{"q":${DEEP}}`,
    datastore_search: `{"resource_id":"${resource?.id}","filters":${DEEP}}`,
    datastore_search_sql: `{"sql":${DEEP}}`,
    organization_list: `{"organizations":${DEEP}}`,
  };
  for (const [action, body] of Object.entries(bodies)) {
    for (const base of ['/api/3/action/', '/api/action/']) {
      const r = await postJson(base + action, body);
      assertCkanTooDeep(r, action);
      await healthy();
    }
  }
  // Unclosed, and objects rather than arrays.
  assertCkanTooDeep(await postJson('/api/3/action/package_show', '{"id":' + '['.repeat(100000)), 'unclosed');
  assertCkanTooDeep(await postJson('/api/3/action/package_show', objects(100000)), 'objects');
  await healthy();
});

test('100,000-level JSON in CKAN forms and JSON-text parameters is refused with 400', async () => {
  // A form whose only key is a JSON object.
  assertCkanTooDeep(await postForm('/api/3/action/package_show', encodeURIComponent(`{"id":${DEEP}}`)), 'form key');
  await healthy();
  // Parameters that hold JSON text: datastore_search's filters, package_search's fq_list.
  let r = await postForm('/api/3/action/datastore_search',
    `resource_id=${resource.id}&filters=${encodeURIComponent(DEEP)}`);
  assertCkanTooDeep(r, 'filters text');
  assert.ok(r.json.error.filters, 'the refusal names filters');
  await healthy();
  r = await postJson('/api/3/action/datastore_search', JSON.stringify({ resource_id: resource.id, filters: DEEP }));
  assertCkanTooDeep(r, 'filters JSON string');
  await healthy();
  r = await postForm('/api/3/action/package_search', `fq_list=${encodeURIComponent(DEEP)}`);
  assertCkanTooDeep(r, 'fq_list text');
  assert.ok(r.json.error.fq_list, 'the refusal names fq_list');
  await healthy();
  // GET query strings are bounded by the 32 KB header limit; 30,000 levels fit.
  r = await call(srv, 'GET', `/api/3/action/datastore_search?resource_id=${resource.id}&filters=${arrays(15000)}`);
  assertCkanTooDeep(r, 'GET filters');
  r = await call(srv, 'GET', `/api/3/action/package_search?fq_list=${arrays(15000)}`);
  assertCkanTooDeep(r, 'GET fq_list');
  await healthy();
});

test('100,000-level JSON bodies to REST v1 routes are refused with 400 and the server lives', async () => {
  const routes = [
    ['POST', '/api/v1/datasets'],
    ['PATCH', `/api/v1/datasets/${dataset.slug}`],
    ['POST', `/api/v1/datasets/${dataset.slug}/submit`],
    ['PATCH', `/api/v1/resources/${resource.id}`],
    ['PUT', `/api/v1/resources/${resource.id}/datastore/schema`],
    ['POST', '/api/v1/organizations'],
    ['PUT', '/api/v1/licenses/khong-co'],
    ['POST', '/api/v1/auth/login'],
    ['POST', '/api/v1/auth/register'],
    ['POST', '/api/v1/me/tokens'],
  ];
  for (const [method, path] of routes) {
    const r = await call(srv, method, path, {
      token: root, body: `{"title_vi":${DEEP}}`, headers: { 'Content-Type': 'application/json' },
    });
    assertRestTooDeep(r, `${method} ${path}`);
    await healthy();
  }
});

test('deep JSON in REST query parameters (cursor, dump filters) is refused with 400', async () => {
  let r = await call(srv, 'GET', `/api/v1/resources/${resource.id}/rows?sort=huyen&cursor=${b64url(arrays(12000))}`);
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.ok(r.json.error.details.cursor, 'the refusal names cursor');
  await healthy();
  r = await call(srv, 'GET', `/datastore/dump/${resource.id}?filters=${arrays(15000)}`);
  assertRestTooDeep(r, 'dump filters');
  await healthy();
});

test('arrays and objects where CKAN expects text are refused as bad parameters, not serialised', async () => {
  const cases = [
    ['package_show', { id: ['a'] }, 'id'],
    ['package_show', { id: { a: 1 } }, 'id'],
    ['package_search', { q: ['dân số'] }, 'q'],
    ['package_search', { sort: { a: 1 } }, 'sort'],
    ['datastore_search', { resource_id: ['x'] }, 'resource_id'],
    ['datastore_search', { resource_id: 'RID', q: ['Phú Vang'] }, 'q'],
    ['datastore_search', { resource_id: 'RID', filters: { huyen: [['Phú Vang']] } }, 'filters'],
    ['datastore_search', { resource_id: 'RID', filters: { huyen: { a: 1 } } }, 'filters'],
    ['datastore_search', { resource_id: 'RID', fields: ['huyen', ['dan_so']] }, 'fields'],
    ['datastore_search_sql', { sql: ['SELECT 1'] }, 'sql'],
    ['resource_show', { id: [resource?.id] }, 'id'],
    ['organization_show', { id: {} }, 'id'],
    ['tag_list', { query: [] }, 'query'],
  ];
  for (const [action, args, param] of cases) {
    const body = JSON.parse(JSON.stringify(args).replaceAll('RID', resource.id));
    const r = await call(srv, 'POST', `/api/3/action/${action}`, { body });
    assert.equal(r.status, 400, `${action} ${JSON.stringify(args)}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.json.error.__type, 'Validation Error');
    assert.ok(r.json.error[param], `${action}: the refusal names ${param}: ${r.text}`);
  }
  // Scalars are still text, and valid requests still answer.
  let r = await call(srv, 'POST', '/api/3/action/package_show', { body: { id: dataset.slug } });
  assert.equal(r.status, 200, r.text);
  r = await call(srv, 'POST', '/api/3/action/datastore_search',
    { body: { resource_id: resource.id, filters: { huyen: ['Phú Vang', 'A Lưới'] }, fields: ['huyen'] } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.result.total, 2);
  // CKAN's {"column": "text"} form of q is still accepted and ignored, as documented.
  const dictQ = await call(srv, 'POST', '/api/3/action/datastore_search', { body: { resource_id: resource.id, q: { huyen: 'x' } } });
  assert.equal(dictQ.status, 200, dictQ.text);
  assert.equal(dictQ.json.result.total, 3);
  assert.doesNotMatch(dictQ.json.result._links.start, /huyen/);
  // The links are written from what was read: the same rows when followed.
  const next = await call(srv, 'GET', r.json.result._links.start);
  assert.equal(next.status, 200, next.text);
  assert.equal(next.json.result.total, 2);
  await healthy();
});

// The table: each parameter given a value nested 1..64 levels deep (arrays, then objects).
// Within the limit the answer is whatever that value means (never a nesting refusal); beyond it,
// 400 for nesting. Never 500, never a dropped connection.
test('nesting 1..64 at every parameter: refused exactly beyond the limit, never a 500', async () => {
  // [what, send(value text, shape, depth) → response, levels the request adds around the value]
  const rid = resource.id;
  const params = [
    ['package_show id', (v) => postJson('/api/3/action/package_show', `{"id":${v}}`), 1],
    ['package_search q', (v) => postJson('/api/3/action/package_search', `{"q":${v}}`), 1],
    ['package_search fq_list', (v) => postJson('/api/3/action/package_search', `{"fq_list":${v}}`), 1],
    ['package_search fq_list text', (v) => postForm('/api/3/action/package_search', `fq_list=${encodeURIComponent(v)}`), 0],
    ['datastore_search filters', (v) => postJson('/api/3/action/datastore_search', `{"resource_id":"${rid}","filters":${v}}`), 1],
    ['datastore_search filters text', (v) => call(srv, 'GET', `/api/3/action/datastore_search?resource_id=${rid}&filters=${encodeURIComponent(v)}`), 0],
    ['datastore_search q', (v) => postJson('/api/3/action/datastore_search', `{"resource_id":"${rid}","q":${v}}`), 1],
    ['datastore_search fields', (v) => postJson('/api/3/action/datastore_search', `{"resource_id":"${rid}","fields":${v}}`), 1],
    ['datastore_search_sql sql', (v) => postJson('/api/3/action/datastore_search_sql', `{"sql":${v}}`), 1],
    ['REST POST datasets', (v) => call(srv, 'POST', '/api/v1/datasets', { token: root, body: `{"title_vi":${v}}`, headers: { 'Content-Type': 'application/json' } }), 1, 'rest'],
    ['REST login', (v) => postJson('/api/v1/auth/login', `{"username":${v}}`), 1, 'rest'],
    ['REST schema', (v) => call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body: `{"sheet":0,"fields":${v}}`, headers: { 'Content-Type': 'application/json' } }), 1, 'rest'],
    ['REST cursor', (v) => call(srv, 'GET', `/api/v1/resources/${rid}/rows?sort=huyen&cursor=${b64url(v)}`), 0, 'rest'],
    ['dump filters', (v) => call(srv, 'GET', `/datastore/dump/${rid}?filters=${encodeURIComponent(v)}`), 0, 'rest'],
  ];
  let checked = 0;
  for (const [what, send, around, kind] of params) {
    for (const shape of ['array', 'object']) {
      for (let depth = 1; depth <= 64; depth++) {
        const r = await send(nested(shape, depth));
        const label = `${what} ${shape} ${depth}: ${r.status} ${r.text.slice(0, 200)}`;
        assert.ok(r.status < 500, label);
        const refusedForDepth = /lồng quá sâu/.test(r.text);
        if (depth + around > LIMIT) {
          assert.equal(r.status, 400, label);
          assert.ok(refusedForDepth, label);
          if (kind === 'rest') assert.equal(r.json.error.message_vi.includes(TOO_DEEP_VI), true, label);
        } else {
          assert.ok(!refusedForDepth, label);
          assert.ok([200, 400, 403, 404, 409].includes(r.status), label);
        }
        checked++;
      }
    }
  }
  assert.equal(checked, params.length * 2 * 64);
  await healthy();
});

// Issue 15: the schema change read a caller's values with nlohmann's throwing accessors, so a
// wrong type reached the client as a library exception ("[json.exception.type_error.302] …")
// and a sheet number beyond int was cut to 32 bits (4294967297 became sheet 1). Each is now
// refused as a value, naming the field.
test('a schema change with values of the wrong JSON type is refused naming the field', async () => {
  const rid = resource.id;
  const cases = [
    [{ fields: [{ name: 5 }] }, 'fields'],
    [{ fields: [{ name: 'dan_so', type: 7 }] }, 'dan_so'],
    [{ fields: [{ name: 'dan_so', title: ['Dân số'] }] }, 'dan_so'],
    [{ sheet: 4294967297 }, 'sheet'],
    [{ sheet: '2' }, 'sheet'],
  ];
  for (const [body, field] of cases) {
    const r = await call(srv, 'PUT', `/api/v1/resources/${rid}/datastore/schema`, { token: root, body });
    const label = `${JSON.stringify(body)}: ${r.status} ${r.text.slice(0, 300)}`;
    assert.equal(r.status, 400, label);
    assert.equal(r.json.error.code, 'invalid_argument', label);
    assert.ok(field in r.json.error.details, label);
    assert.doesNotMatch(r.text, /json\.exception|type_error/, label);
  }
  await healthy();
});

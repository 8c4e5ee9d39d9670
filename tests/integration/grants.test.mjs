// Grants of shared data (issue 17) as a table: caller × tier × grant shape × read path, on the
// back-end the harness runs (SQLite, or PostgreSQL with ODP_TEST_PG). Each cell says what the
// caller gets: the table whole, the grant's view (its columns, its rows, its masks), a 429 once
// the quota is used up, or exactly the answer to a resource that does not exist. Every answer that
// lets data through is checked for what must not be in it: rows outside the grant, hidden
// columns (ids and labels), and the raw values behind masks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg, fileForm, loadEnded } from './harness.mjs';

const PROVIDER = 'so-y-te';
const CONSUMER = 'so-lao-dong';
const CSV = 'ma,ho_ten,so_dien_thoai,ngay_sinh,huyen,so_luong\r\n' +
  '1,Nguyễn Văn An,0912345456,1990-05-17,Phong Điền,10\r\n' +
  '2,Trần Thị Bình,0987654321,1985-11-02,Hương Trà,20\r\n' +
  '3,Lê Văn Cường,0905111222,2001-01-30,Phong Điền,30\r\n' +
  '4,Phạm Thị Dung,0934555666,1978-07-07,Phú Vang,40\r\n';
const ALL = ['ma', 'ho_ten', 'so_dien_thoai', 'ngay_sinh', 'huyen', 'so_luong'];
const RAW = { ho_ten: 'Nguyễn Văn An', so_dien_thoai: '0912345456', ngay_sinh: '1990-05-17' };

// The grant shapes given to system A, one table each. `view`: the columns and row ids the grant
// shows (null: nothing, the table does not exist for A); `whole`: SQL and the file are allowed.
const SHAPES = {
  all: { body: {}, view: { columns: ALL, rows: [1, 2, 3, 4] }, whole: true },
  some: { body: { columns: ['ma', 'ho_ten', 'huyen'] }, view: { columns: ['ma', 'ho_ten', 'huyen'], rows: [1, 2, 3, 4] } },
  filter: {
    body: { row_filter: 'huyen=Phong%20%C4%90i%E1%BB%81n' },
    view: { columns: ALL, rows: [1, 3] },
  },
  mask: {
    body: {
      columns: ['ma', 'ho_ten', 'so_dien_thoai', 'ngay_sinh', 'huyen'],
      masks: {
        ho_ten: { kind: 'hash' }, so_dien_thoai: { kind: 'partial', keep_start: 4, keep_end: 3 },
        ngay_sinh: { kind: 'year' }, huyen: { kind: 'drop' },
      },
    },
    view: { columns: ['ma', 'ho_ten', 'so_dien_thoai', 'ngay_sinh'], rows: [1, 2, 3, 4], masked: true },
  },
  expired: { body: { valid_from: '2020-01-01', valid_to: '2020-12-31' }, view: null },
  revoked: { body: {}, revoke: true, view: null },
  quota: { body: { requests_per_day: 1 }, view: { columns: ALL, rows: [1, 2, 3, 4] }, whole: true, quota: true },
};
const TIERS = ['public', 'registered', 'internal', 'draft'];
const CALLERS = ['anonymous', 'noGrant', 'grant', 'otherSystem'];
const PATHS = ['search', 'rows', 'aggregate', 'csv', 'xlsx', 'json', 'sql', 'file', 'metadata'];

let srv;
const people = {};
const keys = {};
const tables = {};  // `${tier}/${shape}` -> { rid, dataset }
let missingRid;

const withKey = (key) => (key ? { headers: { 'X-API-Key': key } } : {});

async function ok(r, what) {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

async function approvedSystemWithKey(code) {
  const sys = await ok(await call(srv, 'POST', '/api/v1/consumers', {
    token: people.consumerAdmin,
    body: {
      organization: CONSUMER, agency_code: '000.00.15.H41', system_code: code, name: `Hệ thống ${code}`,
      technical_contact: { name: 'Kỹ thuật viên', email: 'kt@sld.gov.vn' },
    },
  }), `register ${code}`);
  await ok(await call(srv, 'POST', `/api/v1/consumers/${sys.id}/approve`, { token: people.root, body: {} }), 'approve');
  const key = await ok(await call(srv, 'POST', `/api/v1/consumers/${sys.id}/credentials`, {
    token: people.consumerAdmin, body: { kind: 'api_key' },
  }), 'key');
  return { id: sys.id, key: key.api_key };
}

before(async () => {
  srv = await startServer();
  people.root = addUser(srv, 'donvidulieu', { sysadmin: true });
  await makeOrg(srv, people.root, PROVIDER, 'Sở Y tế');
  await makeOrg(srv, people.root, CONSUMER, 'Sở Lao động');
  people.providerAdmin = addUser(srv, 'quantri-yte', { org: PROVIDER, role: 'admin' });
  people.consumerAdmin = addUser(srv, 'quantri-ld', { org: CONSUMER, role: 'admin' });
  const a = await approvedSystemWithKey('he-thong-a');
  const b = await approvedSystemWithKey('he-thong-b');
  const c = await approvedSystemWithKey('he-thong-c');
  keys.grant = a.key;
  keys.otherSystem = b.key;
  keys.noGrant = c.key;
  // One dataset per tier, with one table per shape and one more that system B is granted.
  const datasets = {};
  for (const tier of TIERS) {
    const d = await ok(await call(srv, 'POST', '/api/v1/datasets', {
      token: people.root,
      body: { title_vi: `Danh sách người bệnh ${tier}`, slug: `nguoi-benh-${tier}`, organization: PROVIDER, access: tier === 'draft' ? 'internal' : tier },
    }), `dataset ${tier}`);
    const upload = async (name) => (await ok(await call(srv, 'POST', `/api/v1/datasets/${d.id}/resources`, {
      token: people.root, body: fileForm(CSV, `${name}.csv`, { name }),
    }), `upload ${name}`)).id;
    for (const shape of Object.keys(SHAPES)) tables[`${tier}/${shape}`] = { rid: await upload(`bang-${shape}`), dataset: d.id };
    tables[`${tier}/b`] = { rid: await upload('bang-b'), dataset: d.id };
    datasets[tier] = d.id;
  }
  // The tables hold names, phones and dates of birth: the personal-data review holds them (no
  // publication, no reader but the provider's editors) until each flagged column is decided.
  // The grants' own masks are what this file tests, so the provider declares the columns not
  // personal; personal_data.test.mjs covers the table's masks, and a grant over them.
  for (const t of Object.values(tables)) {
    const st = await loadEnded(srv, t.rid, people.root, (s) => s.job.state === 'done' && s.table);
    for (const f of st.table.personal_data) {
      await ok(await call(srv, 'POST', `/api/v1/resources/${t.rid}/datastore/personal-data`, {
        token: people.providerAdmin,
        body: { column: f.column, decision: 'not_personal', reason: 'Dữ liệu thử nghiệm của quyền chia sẻ' },
      }), `review ${f.column}`);
    }
  }
  for (const t of Object.values(tables)) {
    await loadEnded(srv, t.rid, people.root,
      (s) => s.job.state === 'done' && s.table && s.table.personal_data.every((f) => !f.unresolved));
  }
  for (const tier of TIERS) {
    if (tier === 'draft') continue;
    await ok(await call(srv, 'POST', `/api/v1/datasets/${datasets[tier]}/publish`, { token: people.root, body: {} }), 'publish');
  }
  // The grants, made by the providing organization's admin.
  for (const tier of TIERS) {
    for (const [shape, spec] of Object.entries(SHAPES)) {
      const g = await ok(await call(srv, 'POST', '/api/v1/grants', {
        token: people.providerAdmin, body: { consumer_id: a.id, resource_id: tables[`${tier}/${shape}`].rid, ...spec.body },
      }), `grant ${tier}/${shape}`);
      if (spec.revoke) {
        await ok(await call(srv, 'POST', `/api/v1/grants/${g.id}/revoke`, {
          token: people.providerAdmin, body: { reason: 'Hết nhu cầu' },
        }), 'revoke');
      }
    }
    await ok(await call(srv, 'POST', '/api/v1/grants', {
      token: people.providerAdmin, body: { consumer_id: b.id, resource_id: tables[`${tier}/b`].rid },
    }), `grant B ${tier}`);
  }
  missingRid = tables['public/all'].rid.replace(/[0-9a-f]/g, '0');
});
after(async () => srv?.stop());

// The request of a read path on resource `rid` (datasets: metadata of the table's dataset).
function request(pathName, rid) {
  const enc = encodeURIComponent(rid);
  switch (pathName) {
    case 'search': return ['GET', `/api/3/action/datastore_search?resource_id=${enc}`];
    case 'rows': return ['GET', `/api/v1/resources/${enc}/rows?sort=ma`];
    case 'aggregate': return ['GET', `/api/v1/resources/${enc}/aggregate?metrics=count`];
    case 'csv': return ['GET', `/api/v1/resources/${enc}/export?format=csv&bom=false`];
    case 'xlsx': return ['GET', `/api/v1/resources/${enc}/export?format=xlsx`];
    case 'json': return ['GET', `/datastore/dump/${enc}?format=json`];
    case 'sql': return ['GET', `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(`SELECT * FROM "${rid}"`)}`];
    case 'file': return ['GET', `/api/v1/resources/${enc}/download`];
    case 'metadata': return ['GET', `/api/v1/resources/${enc}/datastore`];
    default: throw new Error(pathName);
  }
}

// What a caller gets: 'whole', 'view' (the grant's), 'quota' (429), or 'none' (not found).
function expected(caller, tier, shape, pathName) {
  if (tier === 'public') return 'whole';  // anyone reads a public published table whole
  if (tier === 'draft' || caller !== 'grant') return 'none';
  const spec = SHAPES[shape];
  if (!spec.view) return 'none';
  if (spec.quota) return pathName === 'metadata' ? 'whole' : 'quota';
  if ((pathName === 'sql' || pathName === 'file') && !spec.whole) return 'none';
  return spec.whole ? 'whole' : 'view';
}

// Rows of an answer as objects, per path.
function rowsOf(pathName, r) {
  switch (pathName) {
    case 'search': return r.json.result.records;
    case 'rows': return r.json.rows;
    case 'sql': return r.json.result.records;
    case 'json': {  // CKAN's dump shape: {"fields": [{"id", …}], "records": [[…]]}
      const ids = r.json.fields.map((f) => f.id);
      return r.json.records.map((row) => Object.fromEntries(row.map((v, i) => [ids[i], v])));
    }
    case 'csv': {
      const [head, ...lines] = r.text.trim().split(/\r?\n/);
      const cols = head.split(',');
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
    }
    default: return null;
  }
}

function checkView(pathName, r, view, where) {
  const text = pathName === 'xlsx' ? '' : r.text;
  // No hidden column: neither its id nor (for tables) its values.
  for (const c of ALL.filter((x) => !view.columns.includes(x))) {
    if (text) assert.ok(!text.includes(`"${c}"`) && !new RegExp(`(^|[,\\n])${c}(,|\\r?\\n)`).test(text), `${where}: column ${c} appears`);
  }
  if (view.masked && text) {
    for (const [c, raw] of Object.entries(RAW)) assert.ok(!text.includes(raw), `${where}: raw ${c} ${raw} appears`);
    assert.ok(!text.includes('Phong Điền'), `${where}: the dropped column's values appear`);
  }
  if (view.rows.length < 4 && text) {
    for (const name of ['Trần Thị Bình', 'Phạm Thị Dung']) assert.ok(!text.includes(name), `${where}: row ${name} outside the filter`);
  }
  const rows = rowsOf(pathName, r);
  if (rows) {
    const ids = rows.map((x) => Number(x.ma)).sort();
    assert.deepEqual(ids, view.rows, `${where}: rows`);
    for (const row of rows) {
      for (const k of Object.keys(row)) {
        assert.ok(k === '_id' || view.columns.includes(k), `${where}: column ${k}`);
      }
    }
    if (view.masked) {
      const first = rows.find((x) => Number(x.ma) === 1);
      assert.match(String(first.so_dien_thoai), /^0912\*\*\*456$/, `${where}: partial mask`);
      assert.equal(String(first.ngay_sinh), '1990', `${where}: year mask`);
      assert.match(String(first.ho_ten), /^h:[0-9a-f]{32}$/, `${where}: hash mask`);
    }
  }
  if (pathName === 'aggregate') assert.equal(r.json.rows[0].count, view.rows.length, `${where}: count`);
  if (pathName === 'metadata') {
    assert.equal(r.json.table.rows, view.rows.length, `${where}: row count`);
    assert.deepEqual(r.json.table.schema.fields.map((f) => f.name), view.columns, `${where}: schema`);
    assert.equal(r.json.job, null, `${where}: the load record is for whole readers`);
  }
}

test('grants: caller × tier × shape × read path', async () => {
  // The quota grants' one request of the day is used first (a read of its rows).
  for (const tier of ['registered', 'internal']) {
    const r = await call(srv, 'GET', `/api/v1/resources/${tables[`${tier}/quota`].rid}/rows`, withKey(keys.grant));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('ratelimit-policy'), '"day";q=1;w=86400');
    assert.match(r.headers.get('ratelimit'), /^"day";r=0;t=\d+$/);
  }
  // The answers for a resource that does not exist, per path and caller.
  const missing = {};
  for (const caller of CALLERS) {
    for (const p of PATHS) {
      const [m, url] = request(p, missingRid);
      const r = await call(srv, m, url, withKey(keys[caller]));
      missing[`${caller}/${p}`] = { status: r.status, text: r.text.split(missingRid).join('<RID>') };
    }
  }
  let cells = 0;
  const counts = { whole: 0, view: 0, quota: 0, none: 0 };
  for (const caller of CALLERS) {
    for (const tier of TIERS) {
      for (const shape of Object.keys(SHAPES)) {
        const { rid } = tables[`${tier}/${shape}`];
        for (const p of PATHS) {
          const want = expected(caller, tier, shape, p);
          const [m, url] = request(p, rid);
          const r = await call(srv, m, url, withKey(keys[caller]));
          const where = `${caller} ${tier}/${shape} ${p}: expected ${want}, got ${r.status} ${r.text.slice(0, 200)}`;
          cells++;
          counts[want]++;
          if (want === 'none') {
            const same = missing[`${caller}/${p}`];
            assert.equal(r.status, same.status, where);
            assert.equal(r.text.split(rid).join('<RID>'), same.text, `${where}: not the answer to a missing table`);
          } else if (want === 'quota') {
            assert.equal(r.status, 429, where);
            assert.match(r.headers.get('retry-after') || '', /^\d+$/, where);
            assert.ok(!r.text.includes('Nguyễn'), where);
          } else {
            assert.equal(r.status, 200, where);
            if (want === 'view') checkView(p, r, SHAPES[shape].view, where);
            if (want === 'whole' && p === 'rows') assert.equal(r.json.rows.length, 4, where);
          }
        }
      }
    }
  }
  assert.equal(cells, CALLERS.length * TIERS.length * Object.keys(SHAPES).length * PATHS.length);
  assert.ok(counts.view > 0 && counts.quota > 0 && counts.none > 0 && counts.whole > 0, JSON.stringify(counts));
});

test('grants: a consumer sees the dataset holding its table, and nothing else of the tier', async () => {
  for (const tier of ['registered', 'internal']) {
    const { dataset } = tables[`${tier}/all`];
    const viaGrant = await call(srv, 'GET', `/api/v1/datasets/${dataset}`, withKey(keys.grant));
    assert.equal(viaGrant.status, 200, viaGrant.text);
    const viaB = await call(srv, 'GET', `/api/v1/datasets/${dataset}`, withKey(keys.otherSystem));
    assert.equal(viaB.status, 200, viaB.text);  // B holds a grant on another table of it
    const none = await call(srv, 'GET', `/api/v1/datasets/${dataset}`, withKey(keys.noGrant));
    assert.equal(none.status, 404, none.text);
    const anonymous = await call(srv, 'GET', `/api/v1/datasets/${dataset}`);
    assert.equal(anonymous.status, 404, anonymous.text);
    // CKAN package_show: the anonymous answer is cached, a consumer's never served from it nor
    // put in it (review finding I1).
    const pkg = `/api/3/action/package_show?id=${dataset}`;
    assert.equal((await call(srv, 'GET', pkg, withKey(keys.grant))).status, 200);
    assert.equal((await call(srv, 'GET', pkg)).status, 404);
    assert.equal((await call(srv, 'GET', pkg, withKey(keys.noGrant))).status, 404);
    assert.equal((await call(srv, 'GET', pkg, withKey(keys.grant))).status, 200);
  }
  // Draft datasets stay closed to grants.
  const draft = await call(srv, 'GET', `/api/v1/datasets/${tables['draft/all'].dataset}`, withKey(keys.grant));
  assert.equal(draft.status, 404, draft.text);
});

test('grants: masked columns cannot be filtered, sorted or searched; hidden ones do not exist', async () => {
  const rid = tables['internal/mask'].rid;
  const filtered = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?so_dien_thoai=0912345456`, withKey(keys.grant));
  assert.equal(filtered.status, 400, filtered.text);
  const sorted = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?sort=ngay_sinh`, withKey(keys.grant));
  assert.equal(sorted.status, 400, sorted.text);
  const q = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?q=Nguyen`, withKey(keys.grant));
  assert.equal(q.status, 400, q.text);
  const grouped = await call(srv, 'GET', `/api/v1/resources/${rid}/aggregate?group_by=ngay_sinh`, withKey(keys.grant));
  assert.equal(grouped.status, 400, grouped.text);
  // A hidden column answers as a column the table does not have, in the same words.
  const some = tables['internal/some'].rid;
  const hidden = await call(srv, 'GET', `/api/v1/resources/${some}/rows?so_luong[gt]=1`, withKey(keys.grant));
  const absent = await call(srv, 'GET', `/api/v1/resources/${some}/rows?khong_co[gt]=1`, withKey(keys.grant));
  assert.equal(hidden.status, absent.status, hidden.text);
  assert.equal(hidden.text.split('so_luong').join('X'), absent.text.split('khong_co').join('X'));
  // The grant's row filter holds with the caller's own.
  const filter = tables['internal/filter'].rid;
  const both = await call(srv, 'GET', `/api/v1/resources/${filter}/rows?so_luong[gt]=15`, withKey(keys.grant));
  assert.deepEqual(both.json.rows.map((r) => r.ma), [3]);
  const outside = await call(srv, 'GET', `/api/v1/resources/${filter}/rows?huyen=H%C6%B0%C6%A1ng%20Tr%C3%A0`, withKey(keys.grant));
  assert.deepEqual(outside.json.rows, []);
  assert.equal(outside.json.total, 0);
});

test('grants: suspension and narrowing act at the next call', async () => {
  const rid = tables['registered/all'].rid;
  const list = await ok(await call(srv, 'GET', '/api/v1/grants', { token: people.providerAdmin }), 'list');
  const g = list.grants.find((x) => x.resource_id === rid);
  assert.ok(g, 'the grant is listed for its provider');
  const mine = await ok(await call(srv, 'GET', '/api/v1/grants', withKey(keys.grant)), 'own list');
  assert.ok(mine.grants.some((x) => x.id === g.id));
  const others = await ok(await call(srv, 'GET', '/api/v1/grants', withKey(keys.otherSystem)), 'other list');
  assert.ok(!others.grants.some((x) => x.id === g.id));
  assert.equal((await call(srv, 'GET', `/api/v1/grants/${g.id}`, withKey(keys.otherSystem))).status, 404);

  const wider = await call(srv, 'PATCH', `/api/v1/grants/${g.id}`, { token: people.providerAdmin, body: { requests_per_day: 0 } });
  assert.equal(wider.status, 200, wider.text);  // it had no limit: 0 is no narrower, but no wider
  const narrowed = await call(srv, 'PATCH', `/api/v1/grants/${g.id}`, {
    token: people.providerAdmin, body: { columns: ['ma', 'huyen'], row_filter: 'huyen[ne]=Ph%C3%BA%20Vang' },
  });
  assert.equal(narrowed.status, 200, narrowed.text);
  const rows = await call(srv, 'GET', `/api/v1/resources/${rid}/rows?sort=ma`, withKey(keys.grant));
  assert.deepEqual(rows.json.rows, [
    { _id: 1, ma: 1, huyen: 'Phong Điền' }, { _id: 2, ma: 2, huyen: 'Hương Trà' }, { _id: 3, ma: 3, huyen: 'Phong Điền' },
  ]);
  // A filter on a column the grant does not show is refused when the grant is made or narrowed.
  const hiddenFilter = await call(srv, 'PATCH', `/api/v1/grants/${g.id}`, {
    token: people.providerAdmin, body: { row_filter: 'so_luong[lte]=20' },
  });
  assert.equal(hiddenFilter.status, 400, hiddenFilter.text);
  // So is a value its column cannot hold, named with its column, in both languages (the rule
  // of the rows endpoint's own filters).
  const notANumber = await call(srv, 'PATCH', `/api/v1/grants/${g.id}`, {
    token: people.providerAdmin, body: { row_filter: 'ma[gt]=abc' },
  });
  assert.equal(notANumber.status, 400, notANumber.text);
  assert.match(notANumber.text, /column ma holds integer values; \\"abc\\" is not one/);
  assert.match(notANumber.text, /Cột ma chứa giá trị kiểu số nguyên/);
  const badDate = await call(srv, 'POST', '/api/v1/grants', {
    token: people.providerAdmin, body: { consumer_id: g.consumer_id, resource_id: tables['internal/b'].rid, row_filter: 'ngay_sinh=1990-13-45' },
  });
  assert.equal(badDate.status, 400, badDate.text);
  assert.match(badDate.text, /ngay_sinh/);
  assert.match(badDate.text, /1990-13-45/);
  assert.match(badDate.text, /ngày \(YYYY-MM-DD\)/);
  const widen = await call(srv, 'PATCH', `/api/v1/grants/${g.id}`, { token: people.providerAdmin, body: { columns: ALL } });
  assert.equal(widen.status, 400, widen.text);
  const byConsumer = await call(srv, 'POST', `/api/v1/grants/${g.id}/suspend`, { token: people.consumerAdmin, body: { reason: 'x' } });
  assert.equal(byConsumer.status, 403, byConsumer.text);
  await ok(await call(srv, 'POST', `/api/v1/grants/${g.id}/suspend`, { token: people.providerAdmin, body: { reason: 'Kiểm tra' } }), 'suspend');
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/rows`, withKey(keys.grant))).status, 404);
  await ok(await call(srv, 'POST', `/api/v1/grants/${g.id}/resume`, { token: people.providerAdmin, body: {} }), 'resume');
  assert.equal((await call(srv, 'GET', `/api/v1/resources/${rid}/rows`, withKey(keys.grant))).status, 200);
});

test('grants: the rate per minute answers 429 with Retry-After and the RateLimit fields', async () => {
  const sys = await approvedSystemWithKey('he-thong-rate');
  const rid = tables['internal/b'].rid;
  await ok(await call(srv, 'POST', '/api/v1/grants', {
    token: people.providerAdmin, body: { consumer_id: sys.id, resource_id: rid, requests_per_minute: 2, rows_per_day: 1000 },
  }), 'grant');
  const first = await call(srv, 'GET', `/api/v1/resources/${rid}/rows`, withKey(sys.key));
  // Within the same minute (the test takes far less than one), the third is refused; a minute
  // boundary in between would reset it, so allow the second or third to be the first refusal.
  assert.equal(first.status, 200, first.text);
  assert.match(first.headers.get('ratelimit-policy'), /"minute";q=2;w=60, "rows";q=1000;w=86400;qu="rows"/);
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await call(srv, 'GET', `/api/v1/resources/${rid}/rows`, withKey(sys.key)));
  const refused = answers.find((r) => r.status === 429);
  assert.ok(refused, answers.map((r) => r.status).join(','));
  const retry = Number(refused.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 60, String(retry));
  assert.match(refused.headers.get('ratelimit'), /"minute";r=0;t=\d+/);
  assert.equal(refused.json.error.code, 'resource_exhausted');
});

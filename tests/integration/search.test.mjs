// Vietnamese search through GET /api/v1/datasets on the demo catalogue plus a few datasets made
// here: tone- and case-insensitive matching (đ → d), exact-tone ranking, field weights, facets,
// filters, Vietnamese sort order, paging, parameter errors and access tiers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, makeOrg } from './harness.mjs';

// Demo datasets that anonymous callers must never see in search.
const DEMO_HIDDEN = {
  'sot-xuat-huyet-theo-tuan': 'registered',
  'phan-anh-hien-truong-2024': 'internal',
  'le-hoi-truyen-thong': 'pending',
  'dien-tich-nang-suat-lua-2024': 'draft',
};
const FACETS = ['organization', 'sector', 'topic', 'tag', 'format', 'license', 'access'];
const TEST_ORG = 'phong-thu-nghiem';
const SORT_ORG = 'to-sap-xep';

let srv;
let root; // sysadmin token
let reader; // a registered user without any organization
const made = {}; // key -> dataset JSON

async function search(params = {}, token) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
  }
  const r = await call(srv, 'GET', `/api/v1/datasets?${qs}`, { token });
  return r;
}

async function ok(params, token) {
  const r = await search(params, token);
  assert.equal(r.status, 200, `${JSON.stringify(params)}: ${r.text}`);
  return r.json;
}

const slugs = (res) => res.results.map((d) => d.slug);

async function createDataset(key, fields, { publish = true } = {}) {
  const c = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { organization: TEST_ORG, access: 'public', ...fields },
  });
  assert.equal(c.status, 201, `create ${key}: ${c.text}`);
  let d = c.json;
  if (publish) {
    const p = await call(srv, 'POST', `/api/v1/datasets/${d.id}/publish`, { token: root, body: {} });
    assert.equal(p.status, 200, `publish ${key}: ${p.text}`);
    d = p.json;
  }
  made[key] = d;
  return d;
}

// What the facets should say, counted from the (complete) result list.
function expectedFacets(results) {
  const counts = Object.fromEntries(FACETS.map((f) => [f, {}]));
  const bump = (f, v) => { counts[f][v] = (counts[f][v] ?? 0) + 1; };
  for (const d of results) {
    if (d.organization) bump('organization', d.organization.slug);
    for (const s of d.sectors) bump('sector', s.slug);
    for (const t of d.topics) bump('topic', t.slug);
    for (const t of d.tags) bump('tag', t);
    for (const f of new Set(d.resources.map((r) => r.format).filter(Boolean))) bump('format', f);
    if (d.license) bump('license', d.license.id);
    bump('access', d.access);
  }
  return counts;
}

function facetCounts(res, field) {
  assert.ok(Array.isArray(res.facets[field]), `facet ${field} is a list: ${JSON.stringify(res.facets)}`);
  const out = {};
  for (const f of res.facets[field]) {
    assert.equal(typeof f.value, 'string');
    assert.equal(typeof f.label, 'string');
    assert.ok(Number.isInteger(f.count) && f.count > 0, JSON.stringify(f));
    out[f.value] = f.count;
  }
  return out;
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'root', { sysadmin: true });
  reader = addUser(srv, 'nguoi-doc');
  await makeOrg(srv, root, TEST_ORG, 'Phòng Thử nghiệm Tìm kiếm');
  await makeOrg(srv, root, SORT_ORG, 'Tổ Sắp Xếp Mẫu');

  // Same folded title, different tones. "Đất đai" is made first, so recency alone would rank
  // "Đặt dải" first.
  await createDataset('datDai', { title_vi: 'Đất đai' });
  await createDataset('datDaiTones', { title_vi: 'Đặt dải' });
  // A term only in the title, then (newer) the same term only in the description.
  await createDataset('inTitle', { title_vi: 'Lưu vực Thạch Hãn', description_vi: 'Số liệu thủy văn.' });
  await createDataset('inDescription', {
    title_vi: 'Số liệu thủy văn bổ sung', description_vi: 'Đo đạc tại lưu vực Thạch Hãn năm 2024.',
  });
  // A second education dataset: "giáo dục" only in its tags and description.
  await createDataset('edu', {
    title_vi: 'Tỷ lệ học sinh đi học đúng độ tuổi', tags: ['giáo dục', 'học sinh'],
    description_vi: 'Số liệu ngành giáo dục năm học 2024-2025.',
  });
  // Restricted ones, which anonymous search must not show or count.
  await createDataset('registered', { title_vi: 'Thống kê dành cho thành viên', access: 'registered' });
  await createDataset('internal', { title_vi: 'Nhật ký nội bộ', access: 'internal' });
  await createDataset('draft', { title_vi: 'Bản nháp công khai' }, { publish: false });

  // Vietnamese order is An < Ăn < Ân < Dân < Đan; made in another order.
  for (const [key, title] of [['dan2', 'Đan lát'], ['an3', 'Ân nhân'], ['an1', 'An toàn'], ['dan1', 'Dân cư'],
    ['an2', 'Ăn uống']]) {
    const c = await call(srv, 'POST', '/api/v1/datasets', {
      token: root, body: { title_vi: title, organization: SORT_ORG, access: 'public' },
    });
    assert.equal(c.status, 201, c.text);
    const p = await call(srv, 'POST', `/api/v1/datasets/${c.json.id}/publish`, { token: root, body: {} });
    assert.equal(p.status, 200, p.text);
    made[key] = p.json;
  }
});

after(async () => {
  if (srv) await srv.stop();
});

test('"giao duc" and "giáo dục" find the same education datasets', async () => {
  const all = await ok({ limit: 1000 });
  const eduOrg = all.results.filter((d) => d.organization?.slug === 'so-giao-duc-dao-tao').map((d) => d.slug);
  assert.ok(eduOrg.includes('danh-sach-truong-trung-hoc'), `demo education datasets: ${eduOrg}`);
  const plain = await ok({ q: 'giao duc', limit: 1000 });
  const toned = await ok({ q: 'giáo dục', limit: 1000 });
  assert.ok(plain.count >= 1);
  assert.equal(plain.count, plain.results.length);
  assert.deepEqual(new Set(slugs(plain)), new Set(slugs(toned)));
  for (const s of [...eduOrg, made.edu.slug]) assert.ok(slugs(plain).includes(s), `${s} found by "giao duc"`);
  assert.ok(plain.count >= 2);
  // Case and Unicode form do not matter either.
  for (const q of ['GIÁO DỤC', 'Giao Duc', 'giáo dục'.normalize('NFD')]) {
    const r = await ok({ q, limit: 1000 });
    assert.deepEqual(new Set(slugs(r)), new Set(slugs(plain)), q);
  }
  // Every word must match: a second word narrows the result.
  const narrower = await ok({ q: 'giáo dục xe buýt', limit: 1000 });
  assert.equal(narrower.count, 0);
});

test('đ folds to d: "don vi hanh chinh" and "dia phuong" find titles written with đ', async () => {
  const toneless = await ok({ q: 'don vi hanh chinh', limit: 1000 });
  assert.ok(slugs(toneless).includes('dan-so-dien-tich-don-vi-hanh-chinh'), slugs(toneless).join());
  const toned = await ok({ q: 'đơn vị hành chính', limit: 1000 });
  assert.deepEqual(new Set(slugs(toned)), new Set(slugs(toneless)));
  const upper = await ok({ q: 'ĐƠN VỊ', limit: 1000 });
  assert.ok(slugs(upper).includes('dan-so-dien-tich-don-vi-hanh-chinh'));

  const dia = await ok({ q: 'dia phuong', limit: 1000 });
  for (const s of ['du-toan-ngan-sach-2025', 'mon-an-dac-san']) assert.ok(slugs(dia).includes(s), `${s} in ${slugs(dia)}`);
  const diaToned = await ok({ q: 'địa phương', limit: 1000 });
  assert.deepEqual(new Set(slugs(diaToned)), new Set(slugs(dia)));
  const dac = await ok({ q: 'dac san' });
  assert.ok(slugs(dac).includes('mon-an-dac-san'));
});

test('an exact-tone query ranks the exact match first', async () => {
  const a = made.datDai; // "Đất đai", older
  const b = made.datDaiTones; // "Đặt dải", newer
  const q1 = await ok({ q: 'đất đai' });
  assert.ok(q1.count >= 2);
  assert.equal(q1.results[0].id, a.id, `"đất đai" first: ${q1.results.map((d) => d.title_vi)}`);
  assert.ok(q1.results.some((d) => d.id === b.id), 'the other tones still match');
  const q2 = await ok({ q: 'đặt dải' });
  assert.equal(q2.results[0].id, b.id, `"đặt dải" first: ${q2.results.map((d) => d.title_vi)}`);
  assert.ok(q2.results.some((d) => d.id === a.id));
  // Upper case and decomposed input still count as the exact tones.
  const q3 = await ok({ q: 'ĐẤT ĐAI' });
  assert.equal(q3.results[0].id, a.id);
  const q4 = await ok({ q: 'đặt dải'.normalize('NFD') });
  assert.equal(q4.results[0].id, b.id);
  // Without tones both match.
  const q5 = await ok({ q: 'dat dai' });
  assert.ok(q5.results.some((d) => d.id === a.id) && q5.results.some((d) => d.id === b.id));
});

test('a match in the title ranks above a match only in the description', async () => {
  for (const q of ['Thạch Hãn', 'thach han']) {
    const r = await ok({ q });
    const ids = r.results.map((d) => d.id);
    const t = ids.indexOf(made.inTitle.id);
    const d = ids.indexOf(made.inDescription.id);
    assert.ok(t >= 0 && d >= 0, `${q}: both found: ${r.results.map((x) => x.title_vi)}`);
    assert.ok(t < d, `${q}: title match first: ${r.results.map((x) => x.title_vi)}`);
  }
});

test('facets for organization, sector, topic, tag, format, license and access add up', async () => {
  const all = await ok({ limit: 1000, facet_limit: -1 });
  assert.equal(all.results.length, all.count);
  assert.deepEqual(Object.keys(all.facets).sort(), [...FACETS].sort());
  const want = expectedFacets(all.results);
  for (const f of FACETS) assert.deepEqual(facetCounts(all, f), want[f], `facet ${f}`);
  // Single-valued facets sum to the result count.
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  assert.equal(sum(facetCounts(all, 'organization')), all.count);
  assert.equal(sum(facetCounts(all, 'access')), all.count);
  assert.equal(sum(facetCounts(all, 'license')), all.results.filter((d) => d.license).length);
  // Demo content gives every facet something to count.
  for (const f of FACETS) assert.ok(all.facets[f].length > 0, `facet ${f} is not empty`);
  assert.ok(facetCounts(all, 'format').CSV >= 1);
  // Labels: organization titles, licence titles.
  const edu = all.facets.organization.find((f) => f.value === 'so-giao-duc-dao-tao');
  assert.equal(edu.label, 'Sở Giáo dục và Đào tạo');
  const ccby = all.facets.license.find((f) => f.value === 'cc-by');
  assert.equal(ccby.label, 'Creative Commons Ghi công 4.0');
  // Sorted by count, largest first.
  for (const f of FACETS) {
    const counts = all.facets[f].map((x) => x.count);
    assert.deepEqual(counts, [...counts].sort((x, y) => y - x), `facet ${f} sorted by count`);
  }

  // Facets of a text query count only its matches.
  const q = await ok({ q: 'giáo dục', limit: 1000, facet_limit: -1 });
  const wantQ = expectedFacets(q.results);
  for (const f of FACETS) assert.deepEqual(facetCounts(q, f), wantQ[f], `facet ${f} for q`);

  // facet_limit cuts each list.
  const cut = await ok({ limit: 0, facet_limit: 2 });
  for (const f of FACETS) assert.ok(cut.facets[f].length <= 2, f);
  assert.deepEqual(cut.results, []);
  assert.equal(cut.count, all.count);
});

test('filters combine: organization and format, repeated values, text and filters', async () => {
  const all = (await ok({ limit: 1000 })).results;
  const formats = (d) => new Set(d.resources.map((r) => r.format));
  const expect = (pred) => new Set(all.filter(pred).map((d) => d.slug));

  const health = await ok({ organization: 'so-y-te', format: 'CSV', limit: 1000 });
  assert.deepEqual(new Set(slugs(health)), expect((d) => d.organization.slug === 'so-y-te' && formats(d).has('CSV')));
  assert.ok(slugs(health).includes('co-so-kham-chua-benh'));
  assert.equal(health.count, health.results.length);
  assert.deepEqual(facetCounts(health, 'organization'), { 'so-y-te': health.count });

  const eduJson = await ok({ organization: 'so-giao-duc-dao-tao', format: 'JSON', limit: 1000 });
  assert.deepEqual(new Set(slugs(eduJson)),
    expect((d) => d.organization.slug === 'so-giao-duc-dao-tao' && formats(d).has('JSON')));
  assert.ok(slugs(eduJson).includes('danh-sach-truong-trung-hoc'));

  const none = await ok({ organization: 'so-y-te', format: 'GeoJSON' });
  assert.equal(none.count, 0);

  // Several values of one filter are alternatives, written either way.
  const either = expect((d) => ['so-y-te', 'so-du-lich'].includes(d.organization.slug));
  const comma = await ok({ organization: 'so-y-te,so-du-lich', limit: 1000 });
  const repeated = await ok({ organization: ['so-y-te', 'so-du-lich'], limit: 1000 });
  assert.deepEqual(new Set(slugs(comma)), either);
  assert.deepEqual(new Set(slugs(repeated)), either);

  // Tag and licence filters, and text with a filter.
  const tagged = await ok({ tag: 'giáo dục', limit: 1000 });
  assert.deepEqual(new Set(slugs(tagged)), expect((d) => d.tags.includes('giáo dục')));
  const licensed = await ok({ license: 'cc-zero', access: 'public', limit: 1000 });
  assert.deepEqual(new Set(slugs(licensed)), expect((d) => d.license?.id === 'cc-zero'));
  const textAndOrg = await ok({ q: 'du lịch', organization: 'so-du-lich', limit: 1000 });
  assert.ok(textAndOrg.count >= 1);
  for (const d of textAndOrg.results) assert.equal(d.organization.slug, 'so-du-lich');

  const unknown = await ok({ organization: 'khong-co-co-quan-nay' });
  assert.equal(unknown.count, 0);
});

test('sort=title follows Vietnamese order (An < Ăn < Ân < Dân < Đan)', async () => {
  const r = await ok({ organization: SORT_ORG, sort: 'title' });
  assert.deepEqual(r.results.map((d) => d.title_vi), ['An toàn', 'Ăn uống', 'Ân nhân', 'Dân cư', 'Đan lát']);
  const desc = await ok({ organization: SORT_ORG, sort: '-title' });
  assert.deepEqual(desc.results.map((d) => d.title_vi), ['Đan lát', 'Dân cư', 'Ân nhân', 'Ăn uống', 'An toàn']);
  // The whole public catalogue, sorted by title, is in Vietnamese dictionary order.
  const all = await ok({ sort: 'title', limit: 1000 });
  const coll = new Intl.Collator('vi');
  for (let i = 1; i < all.results.length; i++) {
    const [a, b] = [all.results[i - 1].title_vi, all.results[i].title_vi];
    assert.ok(coll.compare(a, b) <= 0, `"${a}" before "${b}"`);
  }
});

test('sort=newest, oldest and updated', async () => {
  const createdOrder = ['dan2', 'an3', 'an1', 'dan1', 'an2'].map((k) => made[k].id);
  const newest = await ok({ organization: SORT_ORG, sort: 'newest' });
  assert.deepEqual(newest.results.map((d) => d.id), [...createdOrder].reverse());
  const oldest = await ok({ organization: SORT_ORG, sort: 'oldest' });
  assert.deepEqual(oldest.results.map((d) => d.id), createdOrder);

  // Editing the oldest moves it to the front of sort=updated, not of sort=newest.
  const p = await call(srv, 'PATCH', `/api/v1/datasets/${made.dan2.id}`, {
    token: root, body: { description_vi: 'Nghề đan lát mây tre.' },
  });
  assert.equal(p.status, 200, p.text);
  const updated = await ok({ organization: SORT_ORG, sort: 'updated' });
  assert.equal(updated.results[0].id, made.dan2.id);
  const newest2 = await ok({ organization: SORT_ORG, sort: 'newest' });
  assert.deepEqual(newest2.results.map((d) => d.id), [...createdOrder].reverse());

  // On the whole catalogue the timestamps are monotonic.
  const allNew = await ok({ sort: 'newest', limit: 1000 });
  for (let i = 1; i < allNew.results.length; i++) {
    assert.ok(allNew.results[i - 1].created >= allNew.results[i].created, 'created descending');
  }
  const allUpd = await ok({ sort: 'updated', limit: 1000 });
  for (let i = 1; i < allUpd.results.length; i++) {
    assert.ok(allUpd.results[i - 1].modified >= allUpd.results[i].modified, 'modified descending');
  }
});

test('paging with limit/offset and page', async () => {
  const full = (await ok({ organization: SORT_ORG, sort: 'title' })).results.map((d) => d.id);
  assert.equal(full.length, 5);
  const byOffset = [];
  for (const offset of [0, 2, 4]) {
    const r = await ok({ organization: SORT_ORG, sort: 'title', limit: 2, offset });
    assert.equal(r.count, 5);
    assert.equal(r.limit, 2);
    assert.equal(r.offset, offset);
    byOffset.push(...r.results.map((d) => d.id));
  }
  assert.deepEqual(byOffset, full);
  const byPage = [];
  for (const page of [1, 2, 3]) {
    const r = await ok({ organization: SORT_ORG, sort: 'title', limit: 2, page });
    assert.equal(r.count, 5);
    assert.equal(r.offset, (page - 1) * 2);
    byPage.push(...r.results.map((d) => d.id));
  }
  assert.deepEqual(byPage, full);
  const past = await ok({ organization: SORT_ORG, sort: 'title', limit: 2, offset: 10 });
  assert.equal(past.count, 5);
  assert.deepEqual(past.results, []);
  const zero = await ok({ organization: SORT_ORG, limit: 0 });
  assert.equal(zero.count, 5);
  assert.deepEqual(zero.results, []);
  // The default page size is 20.
  const dflt = await ok({});
  assert.equal(dflt.limit, 20);
  assert.equal(dflt.offset, 0);
  assert.equal(dflt.results.length, Math.min(20, dflt.count));
});

test('bad parameters are 400 with details', async () => {
  const sort = await search({ sort: 'ngau-nhien' });
  assert.equal(sort.status, 400, sort.text);
  assert.ok(sort.json.error.details.sort, sort.text);
  const big = await search({ limit: 5000 });
  assert.equal(big.status, 400, big.text);
  assert.ok(big.json.error.details.limit, big.text);
  for (const [k, v] of [['limit', 'abc'], ['limit', '-1'], ['offset', '-1'], ['page', '0'], ['page', 'x']]) {
    const r = await search({ [k]: v });
    assert.equal(r.status, 400, `${k}=${v}: ${r.text}`);
    assert.ok(r.json.error.details[k], `${k}=${v}: ${r.text}`);
  }
});

test('restricted and unpublished datasets never show in anonymous results or facet counts', async () => {
  const all = await ok({ limit: 1000, facet_limit: -1 });
  const mineHidden = ['registered', 'internal', 'draft'].map((k) => made[k].id);
  for (const d of all.results) {
    assert.equal(d.access, 'public', d.slug);
    assert.equal(d.state, 'published', d.slug);
    assert.ok(!(d.slug in DEMO_HIDDEN), `${d.slug} (${DEMO_HIDDEN[d.slug]}) is hidden`);
    assert.ok(!mineHidden.includes(d.id), `${d.slug} is hidden`);
  }
  assert.deepEqual(facetCounts(all, 'access'), { public: all.count });
  // The IOC's only dataset is internal: the organization is not counted at all.
  assert.equal(facetCounts(all, 'organization')['trung-tam-ioc'], undefined);
  assert.equal(facetCounts(all, 'organization')[TEST_ORG], 5);
  assert.equal(facetCounts(all, 'tag')['sốt xuất huyết'], undefined);
  // Text queries and include_unpublished do not reveal them either.
  for (const q of ['sot xuat huyet', 'phản ánh hiện trường', 'lúa', 'thống kê dành cho thành viên',
    'nhật ký nội bộ', 'bản nháp công khai']) {
    const r = await ok({ q, limit: 1000, facet_limit: -1 });
    for (const d of r.results) {
      assert.ok(!(d.slug in DEMO_HIDDEN) && !mineHidden.includes(d.id), `${q}: ${d.slug}`);
    }
    assert.equal(facetCounts(r, 'access').registered, undefined, q);
    assert.equal(facetCounts(r, 'access').internal, undefined, q);
  }
  const unpublished = await ok({ include_unpublished: 'true', limit: 1000 });
  assert.deepEqual(new Set(slugs(unpublished)), new Set(slugs(all)));
  // Direct reads agree: 404 for restricted ones.
  for (const s of Object.keys(DEMO_HIDDEN)) {
    assert.equal((await call(srv, 'GET', `/api/v1/datasets/${s}`)).status, 404, s);
  }
});

test('a registered user sees the registered datasets, but not internal ones or drafts', async () => {
  const anon = await ok({ limit: 1000 });
  const mine = await ok({ limit: 1000, facet_limit: -1 }, reader);
  const extra = mine.results.filter((d) => !slugs(anon).includes(d.slug));
  assert.deepEqual(new Set(extra.map((d) => d.slug)), new Set(['sot-xuat-huyet-theo-tuan', made.registered.slug]));
  for (const d of extra) assert.equal(d.access, 'registered');
  assert.equal(mine.count, anon.count + 2);
  assert.deepEqual(facetCounts(mine, 'access'), { public: anon.count, registered: 2 });
  assert.deepEqual(facetCounts(mine, 'organization'), expectedFacets(mine.results).organization);
  for (const s of ['phan-anh-hien-truong-2024', 'le-hoi-truyen-thong', 'dien-tich-nang-suat-lua-2024']) {
    assert.ok(!slugs(mine).includes(s), s);
  }
  assert.ok(!mine.results.some((d) => d.id === made.internal.id || d.id === made.draft.id));

  const dengue = await ok({ q: 'sốt xuất huyết' }, reader);
  assert.deepEqual(slugs(dengue), ['sot-xuat-huyet-theo-tuan']);
  const dengueAnon = await ok({ q: 'sốt xuất huyết' });
  assert.equal(dengueAnon.count, 0);
  const filtered = await ok({ access: 'registered', limit: 1000 }, reader);
  assert.equal(filtered.count, 2);
  assert.equal((await ok({ access: 'registered' })).count, 0);
});

test('a nonsense word finds nothing: count 0', async () => {
  for (const q of ['xyzzyqwv', 'qưẻtyzz', 'giáo dục xyzzyqwv']) {
    const r = await ok({ q });
    assert.equal(r.count, 0, q);
    assert.deepEqual(r.results, []);
    for (const f of FACETS) assert.deepEqual(r.facets[f] ?? [], [], `${q}: facet ${f}`);
  }
  // An empty or punctuation-only query is no query: everything.
  const all = await ok({});
  const blank = await ok({ q: '  ,. ' });
  assert.equal(blank.count, all.count);
});

// REST v1: accounts, organizations, taxonomies, licences, datasets and the publishing workflow,
// with the permission and bad-input cases of each endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login, makeOrg } from './harness.mjs';

let srv, root, editor, orgAdmin, member, outsider;

before(async () => {
  srv = await startServer();
  root = addUser(srv, 'root', { sysadmin: true });
  await makeOrg(srv, root, 'so-tai-nguyen', 'Sở Tài nguyên và Môi trường');
  await makeOrg(srv, root, 'so-y-te', 'Sở Y tế');
  editor = addUser(srv, 'bien-tap', { org: 'so-tai-nguyen', role: 'editor' });
  orgAdmin = addUser(srv, 'quan-tri', { org: 'so-tai-nguyen', role: 'admin' });
  member = addUser(srv, 'thanh-vien', { org: 'so-tai-nguyen', role: 'member' });
  outsider = addUser(srv, 'ben-ngoai', { org: 'so-y-te', role: 'admin' });
});
after(async () => { await srv.stop(); });

async function newDataset(token, fields = {}) {
  const r = await call(srv, 'POST', '/api/v1/datasets', {
    token, body: { title_vi: 'Bản đồ đất đai', organization: 'so-tai-nguyen', ...fields },
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('the full publishing path: draft, submit, reject with reason, resubmit, publish, withdraw', async () => {
  const d = await newDataset(editor, { title_vi: 'Quy hoạch sử dụng đất', description_vi: 'Kỳ 2021–2030' });
  assert.equal(d.state, 'draft');
  assert.equal(d.slug, 'quy-hoach-su-dung-dat');
  // Anonymous callers cannot see a draft: 404, not 403.
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.slug}`)).status, 404);
  assert.equal((await call(srv, 'POST', `/api/v1/datasets/${d.id}/submit`, { token: editor, body: {} })).status, 200);
  // The editor cannot publish; the admin must give a reason to reject.
  assert.equal((await call(srv, 'POST', `/api/v1/datasets/${d.id}/publish`, { token: editor, body: {} })).status, 403);
  const noReason = await call(srv, 'POST', `/api/v1/datasets/${d.id}/reject`, { token: orgAdmin, body: {} });
  assert.equal(noReason.status, 400);
  assert.ok(noReason.json.error.details.reason);
  const rejected = await call(srv, 'POST', `/api/v1/datasets/${d.id}/reject`, {
    token: orgAdmin, body: { reason: 'Thiếu mô tả phạm vi' },
  });
  assert.equal(rejected.json.state, 'rejected');
  assert.equal(rejected.json.state_reason, 'Thiếu mô tả phạm vi');
  // The editor sees the reason, fixes and resubmits; the admin publishes.
  const seen = await call(srv, 'GET', `/api/v1/datasets/${d.id}`, { token: editor });
  assert.equal(seen.json.state_reason, 'Thiếu mô tả phạm vi');
  assert.equal((await call(srv, 'PATCH', `/api/v1/datasets/${d.id}`, {
    token: editor, body: { description_vi: 'Quy hoạch kỳ 2021–2030, tỉnh Huế' },
  })).status, 200);
  assert.equal((await call(srv, 'POST', `/api/v1/datasets/${d.id}/submit`, { token: editor, body: {} })).status, 200);
  const published = await call(srv, 'POST', `/api/v1/datasets/${d.id}/publish`, { token: orgAdmin, body: {} });
  assert.equal(published.json.state, 'published');
  const anon = await call(srv, 'GET', `/api/v1/datasets/${d.slug}`);
  assert.equal(anon.status, 200);
  assert.equal(anon.json.description_vi, 'Quy hoạch kỳ 2021–2030, tỉnh Huế');
  // Publishing twice is a state conflict.
  assert.equal((await call(srv, 'POST', `/api/v1/datasets/${d.id}/reject`, {
    token: orgAdmin, body: { reason: 'x' },
  })).status, 409);
  const withdrawn = await call(srv, 'POST', `/api/v1/datasets/${d.id}/withdraw`, {
    token: orgAdmin, body: { reason: 'Số liệu cần kiểm tra lại' },
  });
  assert.equal(withdrawn.json.state, 'withdrawn');
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.slug}`)).status, 404);
  const history = await call(srv, 'GET', `/api/v1/datasets/${d.id}/history`, { token: editor });
  assert.deepEqual(history.json.events.map((e) => e.action),
    ['create', 'submit', 'reject', 'update', 'submit', 'publish', 'withdraw']);
  assert.equal(history.json.events[2].actor, 'quan-tri');
  assert.equal(history.json.events[2].reason, 'Thiếu mô tả phạm vi');
  // History of a dataset the caller cannot see is 404.
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.id}/history`)).status, 404);
});

test('access tiers decide who sees a published dataset', async () => {
  const tiers = {};
  for (const access of ['public', 'registered', 'shared', 'internal']) {
    const d = await newDataset(orgAdmin, { title_vi: `Dữ liệu mức ${access}`, access });
    await call(srv, 'POST', `/api/v1/datasets/${d.id}/publish`, { token: orgAdmin, body: {} });
    tiers[access] = d.slug;
  }
  const see = async (token) => {
    const out = [];
    for (const [tier, slug] of Object.entries(tiers)) {
      if ((await call(srv, 'GET', `/api/v1/datasets/${slug}`, { token })).status === 200) out.push(tier);
    }
    return out;
  };
  assert.deepEqual(await see(undefined), ['public']);
  assert.deepEqual(await see(outsider), ['public', 'registered']);
  assert.deepEqual(await see(member), ['public', 'registered', 'shared', 'internal']);
  assert.deepEqual(await see(root), ['public', 'registered', 'shared', 'internal']);
  // Search results and facet counts follow the same rule.
  const s = await call(srv, 'GET', '/api/v1/datasets?q=du%20lieu%20muc');
  assert.equal(s.json.count, 1);
  assert.deepEqual(s.json.facets.access.map((f) => f.value), ['public']);
  const s2 = await call(srv, 'GET', '/api/v1/datasets?q=du%20lieu%20muc', { token: member });
  assert.equal(s2.json.count, 4);
});

test('dataset writes need the right role and return 403 otherwise', async () => {
  const d = await newDataset(editor, { title_vi: 'Danh mục khoáng sản' });
  assert.equal((await call(srv, 'POST', '/api/v1/datasets', {
    token: member, body: { title_vi: 'Không được', organization: 'so-tai-nguyen' },
  })).status, 403);
  assert.equal((await call(srv, 'POST', '/api/v1/datasets', {
    body: { title_vi: 'Ẩn danh', organization: 'so-tai-nguyen' },
  })).status, 403);
  assert.equal((await call(srv, 'PATCH', `/api/v1/datasets/${d.id}`, {
    token: outsider, body: { title_vi: 'Sửa trộm' },
  })).status, 404);  // outsiders cannot even see a draft
  assert.equal((await call(srv, 'PATCH', `/api/v1/datasets/${d.id}`, {
    token: member, body: { title_vi: 'Sửa trộm' },
  })).status, 403);
  assert.equal((await call(srv, 'DELETE', `/api/v1/datasets/${d.id}`, { token: member })).status, 403);
  assert.equal((await call(srv, 'DELETE', `/api/v1/datasets/${d.id}`, { token: editor })).status, 204);
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.id}`, { token: editor })).status, 404);
});

test('bad dataset input gets a clear error and changes nothing', async () => {
  const before = (await call(srv, 'GET', '/api/v1/datasets?include_unpublished=true&limit=0', { token: root })).json.count;
  const cases = [
    [{ body: '{"title_vi": "thiếu ngoặc"', headers: { 'Content-Type': 'application/json' } }, 400, null],
    [{ body: { title_vi: 42, organization: 'so-tai-nguyen', tags: 'not-a-list' } }, 400, 'tags'],
    [{ body: { organization: 'so-tai-nguyen' } }, 400, 'title_vi'],
    [{ body: { title_vi: 'Cơ quan lạ', organization: 'khong-ton-tai' } }, 400, 'owner_org'],
    [{ body: { title_vi: 'Ngày sai', organization: 'so-tai-nguyen', temporal_start: '31/12/2024' } }, 400, 'temporal_start'],
    [{ body: { title_vi: 'Mức lạ', organization: 'so-tai-nguyen', access: 'secret' } }, 400, 'access'],
    [{ body: { title_vi: 'Giấy phép lạ', organization: 'so-tai-nguyen', license_id: 'wtfpl' } }, 400, 'license_id'],
    [{ body: { title_vi: 'Lĩnh vực lạ', organization: 'so-tai-nguyen', sectors: ['khong-co'] } }, 400, 'sectors'],
    [{ body: { title_vi: 'Có ký tự\u0007 điều khiển', organization: 'so-tai-nguyen' } }, 400, 'title_vi'],
    [{ body: Buffer.from('{"title_vi": "\xff\xfe", "organization": "so-tai-nguyen"}', 'latin1'),
       headers: { 'Content-Type': 'application/json' } }, 400, null],
    [{ body: '[1,2]', headers: { 'Content-Type': 'application/json' } }, 400, null],
  ];
  for (const [opts, status, field] of cases) {
    const r = await call(srv, 'POST', '/api/v1/datasets', { token: root, ...opts });
    assert.equal(r.status, status, `${JSON.stringify(opts.body)} -> ${r.text}`);
    assert.ok(r.json.error.code && r.json.error.message && r.json.error.message_vi, r.text);
    if (field) assert.ok(field in r.json.error.details, `${field} in ${r.text}`);
  }
  const dup = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Trùng', organization: 'so-tai-nguyen', slug: 'trung-lap' },
  });
  assert.equal(dup.status, 201);
  const dup2 = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Trùng nữa', organization: 'so-tai-nguyen', slug: 'trung-lap' },
  });
  assert.equal(dup2.status, 409);
  assert.ok(dup2.json.error.details.name);
  const afterCount = (await call(srv, 'GET', '/api/v1/datasets?include_unpublished=true&limit=0', { token: root })).json.count;
  assert.equal(afterCount, before + 1);
});

test('organizations: sysadmins create, org admins edit and manage members, others cannot', async () => {
  const created = await call(srv, 'POST', '/api/v1/organizations', {
    token: root, body: { title_vi: 'Phòng Đo đạc', parent: 'so-tai-nguyen', title_en: 'Survey office' },
  });
  assert.equal(created.status, 201);
  assert.equal(created.json.slug, 'phong-do-dac');
  assert.ok(created.json.parent_id);
  assert.equal((await call(srv, 'POST', '/api/v1/organizations', {
    token: orgAdmin, body: { title_vi: 'Không được phép' },
  })).status, 403);
  assert.equal((await call(srv, 'POST', '/api/v1/organizations', {
    token: root, body: { title_vi: 'Sở Y tế', slug: 'so-y-te' },
  })).status, 409);
  assert.equal((await call(srv, 'PATCH', '/api/v1/organizations/so-tai-nguyen', {
    token: orgAdmin, body: { description_vi: 'Quản lý đất đai, tài nguyên' },
  })).status, 200);
  assert.equal((await call(srv, 'PATCH', '/api/v1/organizations/so-tai-nguyen', {
    token: outsider, body: { description_vi: 'x' },
  })).status, 403);
  const list = await call(srv, 'GET', '/api/v1/organizations');
  assert.ok(list.json.organizations.some((o) => o.slug === 'phong-do-dac'));
  assert.equal((await call(srv, 'GET', '/api/v1/organizations/khong-co')).status, 404);
  // Members.
  assert.equal((await call(srv, 'PUT', '/api/v1/organizations/so-tai-nguyen/members/ben-ngoai', {
    token: orgAdmin, body: { role: 'member' },
  })).status, 200);
  const members = await call(srv, 'GET', '/api/v1/organizations/so-tai-nguyen/members', { token: orgAdmin });
  assert.ok(members.json.members.some((m) => m.username === 'ben-ngoai' && m.role === 'member'));
  assert.equal((await call(srv, 'PUT', '/api/v1/organizations/so-tai-nguyen/members/ben-ngoai', {
    token: orgAdmin, body: { role: 'king' },
  })).status, 400);
  assert.equal((await call(srv, 'GET', '/api/v1/organizations/so-tai-nguyen/members', { token: member })).status, 403);
  assert.equal((await call(srv, 'DELETE', '/api/v1/organizations/so-tai-nguyen/members/ben-ngoai', {
    token: orgAdmin,
  })).status, 204);
});

test('sectors, topics and licences: seeded, readable by all, editable by sysadmins', async () => {
  const sectors = await call(srv, 'GET', '/api/v1/sectors');
  assert.equal(sectors.json.sectors.length, 15);
  assert.ok(sectors.json.sectors.some((s) => s.title_vi === 'Giáo dục - Đào tạo' && s.slug === 'giao-duc-dao-tao'));
  const topics = await call(srv, 'GET', '/api/v1/topics');
  assert.equal(topics.json.topics.length, 11);
  const licenses = await call(srv, 'GET', '/api/v1/licenses');
  assert.deepEqual(licenses.json.licenses.map((l) => l.id), ['cc-by', 'cc-zero', 'odc-by', 'odc-odbl', 'other']);
  assert.equal(licenses.json.licenses.find((l) => l.id === 'other').is_open, false);
  const t = await call(srv, 'POST', '/api/v1/topics', { token: root, body: { title_vi: 'Chuyển đổi số', title_en: 'Digital transformation' } });
  assert.equal(t.status, 201);
  assert.equal(t.json.slug, 'chuyen-doi-so');
  assert.equal((await call(srv, 'POST', '/api/v1/topics', { token: orgAdmin, body: { title_vi: 'Không' } })).status, 403);
  assert.equal((await call(srv, 'PATCH', '/api/v1/sectors/y-te', { token: root, body: { title_en: 'Public health' } })).json.title_en, 'Public health');
  assert.equal((await call(srv, 'GET', '/api/v1/sectors/chuyen-doi-so')).status, 404);  // a topic, not a sector
  const l = await call(srv, 'PUT', '/api/v1/licenses/cc-by-sa', {
    token: root, body: { title_vi: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/', is_open: true },
  });
  assert.equal(l.status, 200);
  assert.equal((await call(srv, 'PUT', '/api/v1/licenses/x', { token: orgAdmin, body: { title_vi: 'X' } })).status, 403);
  assert.equal((await call(srv, 'PUT', '/api/v1/licenses/ok-id', { token: root, body: { title_vi: 'X', is_open: 'yes' } })).status, 400);
});

test('registration, login, sessions with CSRF, logout', async () => {
  const reg = await call(srv, 'POST', '/api/v1/auth/register', {
    body: { username: 'cong-dan', email: 'congdan@example.vn', password: 'mật khẩu dài', display_name: 'Công Dân', accept_privacy_notice: true },
  });
  // 202: the same answer whether or not the name or e-mail was taken (issue 14).
  assert.equal(reg.status, 202, reg.text);
  assert.equal(reg.json.password_hash, undefined);
  const bad = await call(srv, 'POST', '/api/v1/auth/register', { body: { username: 'X Y', email: 'no', password: '1' } });
  assert.equal(bad.status, 400);
  assert.ok(bad.json.error.details.username && bad.json.error.details.email && bad.json.error.details.password);
  assert.ok(bad.json.error.details.accept_privacy_notice, 'consent to the privacy notice is required');
  const taken = await call(srv, 'POST', '/api/v1/auth/register', {
    body: { username: 'cong-dan', email: 'khac@example.vn', password: 'mật khẩu dài', accept_privacy_notice: true },
  });
  assert.equal(taken.status, 202);
  assert.deepEqual(taken.json, reg.json);
  const wrong = await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'cong-dan', password: 'sai' } });
  assert.equal(wrong.status, 401);
  const ok = await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'cong-dan', password: 'mật khẩu dài' } });
  assert.equal(ok.status, 200);
  const cookie = ok.headers.get('set-cookie');
  assert.match(cookie, /odp_session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const session = await login(srv, 'cong-dan', 'mật khẩu dài');
  const me = await call(srv, 'GET', '/api/v1/me', { session });
  assert.equal(me.json.username, 'cong-dan');
  // A cookie-authenticated write without the CSRF token is refused and creates nothing.
  const noCsrf = await call(srv, 'POST', '/api/v1/me/tokens', {
    session, body: { name: 'x' }, headers: { 'X-CSRF-Token': '' },
  });
  assert.equal(noCsrf.status, 403);
  assert.equal((await call(srv, 'GET', '/api/v1/me/tokens', { session })).json.tokens.length, 0);
  const withCsrf = await call(srv, 'POST', '/api/v1/me/tokens', { session, body: { name: 'máy chủ báo cáo' } });
  assert.equal(withCsrf.status, 201);
  assert.match(withCsrf.json.token, /^odp_/);
  const out = await call(srv, 'POST', '/api/v1/auth/logout', { session });
  assert.equal(out.status, 204);
  assert.equal((await call(srv, 'GET', '/api/v1/me', { session })).status, 401);
});

test('API tokens: raw and Bearer accepted, wrong or revoked tokens are 401', async () => {
  const session = await login(srv, 'bien-tap', 'mat-khau-thu-nghiem');
  const created = await call(srv, 'POST', '/api/v1/me/tokens', { session, body: { name: 'script' } });
  const token = created.json.token;
  assert.equal((await call(srv, 'GET', '/api/v1/me', { token })).json.username, 'bien-tap');
  assert.equal((await call(srv, 'GET', '/api/v1/me', { token: `Bearer ${token}` })).json.username, 'bien-tap');
  const me = await call(srv, 'GET', '/api/v1/me', { token });
  assert.deepEqual(me.json.organizations.map((o) => [o.slug, o.role]), [['so-tai-nguyen', 'editor']]);
  const wrong = await call(srv, 'GET', '/api/v1/datasets', { token: 'odp_wrong' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error.code, 'unauthenticated');
  const list = await call(srv, 'GET', '/api/v1/me/tokens', { token });
  assert.ok(list.json.tokens.every((t) => !('token' in t) && !('token_hash' in t)));
  assert.equal((await call(srv, 'DELETE', `/api/v1/me/tokens/${created.json.id}`, { token })).status, 204);
  assert.equal((await call(srv, 'GET', '/api/v1/me', { token })).status, 401);
  assert.equal((await call(srv, 'GET', '/api/v1/me')).status, 401);
});

test('unknown routes are JSON 404s, wrong methods 405, invalid paths 400', async () => {
  const r = await call(srv, 'GET', '/api/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'not_found');
  assert.equal((await call(srv, 'PUT', '/api/v1/datasets')).status, 405);
  assert.equal((await call(srv, 'GET', '/api/v1/datasets/%FF%FE')).status, 400);
});

test('cached anonymous answers change as soon as the dataset does', async () => {
  const d = await newDataset(orgAdmin, { title_vi: 'Bảng giá đất', access: 'public' });
  await call(srv, 'POST', `/api/v1/datasets/${d.id}/publish`, { token: orgAdmin, body: {} });
  for (const path of [`/api/v1/datasets/${d.slug}`, `/api/3/action/package_show?id=${d.slug}`]) {
    const first = await call(srv, 'GET', path);
    const second = await call(srv, 'GET', path);  // from the cache
    assert.equal(first.text, second.text);
  }
  await call(srv, 'PATCH', `/api/v1/datasets/${d.id}`, { token: orgAdmin, body: { title_vi: 'Bảng giá đất 2025' } });
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.slug}`)).json.title_vi, 'Bảng giá đất 2025');
  assert.equal((await call(srv, 'GET', `/api/3/action/package_show?id=${d.slug}`)).json.result.title, 'Bảng giá đất 2025');
  // Withdrawn: the cached public answer must not outlive it.
  await call(srv, 'POST', `/api/v1/datasets/${d.id}/withdraw`, { token: orgAdmin, body: { reason: 'Sai số' } });
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.slug}`)).status, 404);
  assert.equal((await call(srv, 'GET', `/api/3/action/package_show?id=${d.slug}`)).status, 404);
});

// The review flow as staff use it (issue 18): separation of duties over REST and the page form,
// the site setting that relaxes it, who submitted on the queue and the review page, file and
// schema changes in the dataset's history, and the table's loading status ending in a summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login, makeOrg, fileForm, loadEnded } from './harness.mjs';

const PASSWORD = 'mat-khau-thu-nghiem';
const CSV = 'Mã,Tên trường,Số học sinh\n1,Trường Tiểu học Vĩnh Ninh,812\n2,Trường THCS Nguyễn Tri Phương,abc\n3,Trường THPT Quốc Học,1204\n';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
let srv, root, editor, adminA, adminB;

before(async () => {
  srv = await startServer();
  root = addUser(srv, 'goc', { sysadmin: true });
  await makeOrg(srv, root, 'so-giao-duc', 'Sở Giáo dục và Đào tạo');
  editor = addUser(srv, 'bien-tap', { org: 'so-giao-duc', role: 'editor' });
  adminA = addUser(srv, 'duyet-a', { org: 'so-giao-duc', role: 'admin' });
  adminB = addUser(srv, 'duyet-b', { org: 'so-giao-duc', role: 'admin' });
});
after(async () => { await srv.stop(); });

async function ok(r, what) {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text.slice(0, 500)}`);
  return r.json;
}

async function dataset(token, title, fields = {}) {
  return ok(await call(srv, 'POST', '/api/v1/datasets', {
    token, body: { title_vi: title, organization: 'so-giao-duc', license_id: 'cc-by', ...fields },
  }), `create ${title}`);
}

const act = (token, d, verb) => call(srv, 'POST', `/api/v1/datasets/${d.id}/${verb}`, { token, body: {} });

async function setSelfApproval(value) {
  await ok(await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { allow_self_approval: value } }), 'site');
}

test('whoever submitted cannot publish through REST, sysadmins included; another reviewer can', async () => {
  const d = await dataset(adminA, 'Danh sách trường học');
  await ok(await act(adminA, d, 'submit'), 'submit');
  const own = await act(adminA, d, 'publish');
  assert.equal(own.status, 403, own.text);
  assert.match(own.json.error.message_vi, /không thể tự duyệt/);
  assert.match(own.json.error.message, /another reviewer must approve/);
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.id}`, { token: adminA })).json.state, 'pending');
  assert.equal((await ok(await act(adminB, d, 'publish'), 'publish by B')).state, 'published');

  const s = await dataset(root, 'Danh sách thư viện');
  await ok(await act(root, s, 'submit'), 'submit by root');
  assert.equal((await act(root, s, 'publish')).status, 403);
  await ok(await act(adminA, s, 'publish'), 'publish by A');
});

test('the review queue and page say who submitted; the page form refuses the submitter', async () => {
  const d = await dataset(editor, 'Điểm thi tuyển sinh lớp 10', {
    description_vi: 'Điểm thi **năm 2026** của [Sở](https://example.gov.vn) theo từng trường.',
  });
  await ok(await call(srv, 'POST', `/api/v1/datasets/${d.id}/resources`, {
    token: editor, body: fileForm(CSV, 'Điểm thi.csv', { name: 'Điểm thi' }),
  }), 'upload');
  const rid = (await call(srv, 'GET', `/api/v1/datasets/${d.id}/resources`, { token: editor })).json.resources[0].id;
  await loadEnded(srv, rid, editor, () => true);
  // An admin submits their own dataset: another one must approve it.
  const own = await dataset(adminA, 'Điểm chuẩn vào lớp 10');
  await ok(await act(adminA, own, 'submit'), 'submit own');
  await ok(await act(editor, d, 'submit'), 'submit by editor');

  const a = await login(srv, 'duyet-a', PASSWORD);
  let r = await call(srv, 'GET', '/workspace/review', { session: a });
  assert.equal(r.status, 200);
  assert.match(r.text, /Người gửi duyệt: <strong>bien-tap<\/strong>/);
  assert.match(r.text, /Người gửi duyệt: <strong>duyet-a<\/strong>/);
  r = await call(srv, 'GET', '/en/workspace/review', { session: a });
  assert.match(r.text, /Submitted by: <strong>bien-tap<\/strong>/);

  // The review page: the description rendered as on the public page, the load report and the rows.
  r = await call(srv, 'GET', `/workspace/review/${d.slug}`, { session: a });
  assert.equal(r.status, 200, r.text);
  // (The table of changes above keeps the field's text as written.)
  const described = r.text.slice(r.text.indexOf('id="review-desc-h"')).split('</section>')[0];
  assert.match(described, /<strong>năm 2026<\/strong>/);
  assert.match(described, /<a href="https:\/\/example.gov.vn">Sở<\/a>/);
  assert.doesNotMatch(described, /\*\*năm 2026\*\*/);
  assert.match(r.text, /Báo cáo kiểm tra dữ liệu \(1\)/);
  assert.match(r.text, /Trường THPT Quốc Học/);
  assert.match(r.text, /class="load-summary"/);
  assert.doesNotMatch(r.text, /không thể tự phê duyệt/); // the editor submitted, not A

  // A's own submission: the page says so, and the form is refused by the service.
  r = await call(srv, 'GET', `/workspace/review/${own.slug}`, { session: a });
  assert.match(r.text, /không thể tự phê duyệt/);
  r = await call(srv, 'POST', `/workspace/review/${own.slug}/approve`, {
    session: a, body: new URLSearchParams({ csrf: a.csrf }), headers: FORM,
  });
  assert.equal(r.status, 403, r.text.slice(0, 300));
  assert.match(r.text, /không thể tự duyệt/);
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${own.id}`, { token: adminA })).json.state, 'pending');
  // The editor's submission is A's to approve through the same form.
  r = await call(srv, 'POST', `/workspace/review/${d.slug}/approve`, {
    session: a, body: new URLSearchParams({ csrf: a.csrf }), headers: FORM,
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal((await call(srv, 'GET', `/api/v1/datasets/${d.id}`)).json.state, 'published');
  // B approves A's own.
  const b = await login(srv, 'duyet-b', PASSWORD);
  r = await call(srv, 'POST', `/workspace/review/${own.slug}/approve`, {
    session: b, body: new URLSearchParams({ csrf: b.csrf }), headers: FORM,
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
});

test('with the site setting a submitter may approve their own submission, by REST and by the form', async () => {
  const rest = await dataset(adminA, 'Lịch thi học kỳ');
  const page = await dataset(adminA, 'Lịch nghỉ hè');
  await ok(await act(adminA, rest, 'submit'), 'submit');
  await ok(await act(adminA, page, 'submit'), 'submit');
  // Only "1" or "" is taken; the settings page offers it as a checkbox in both languages.
  const bad = await call(srv, 'PATCH', '/api/v1/site', { token: root, body: { allow_self_approval: 'yes' } });
  assert.equal(bad.status, 400, bad.text);
  await setSelfApproval('1');
  try {
    const rootSession = await login(srv, 'goc', PASSWORD);
    let r = await call(srv, 'GET', '/admin/settings', { session: rootSession });
    assert.match(r.text, /name="allow_self_approval" value="1" checked/);
    assert.match(r.text, /Cho phép người gửi duyệt tự duyệt/);
    r = await call(srv, 'GET', '/en/admin/settings', { session: rootSession });
    assert.match(r.text, /Let whoever submitted a dataset for review approve it themselves/);

    assert.equal((await ok(await act(adminA, rest, 'publish'), 'self publish')).state, 'published');
    const a = await login(srv, 'duyet-a', PASSWORD);
    r = await call(srv, 'GET', `/workspace/review/${page.slug}`, { session: a });
    assert.doesNotMatch(r.text, /không thể tự phê duyệt/);
    r = await call(srv, 'POST', `/workspace/review/${page.slug}/approve`, {
      session: a, body: new URLSearchParams({ csrf: a.csrf }), headers: FORM,
    });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal((await call(srv, 'GET', `/api/v1/datasets/${page.id}`)).json.state, 'published');
  } finally {
    await setSelfApproval('');
  }
  const again = await dataset(adminA, 'Lịch thi lại');
  await ok(await act(adminA, again, 'submit'), 'submit');
  assert.equal((await act(adminA, again, 'publish')).status, 403);
});

test('uploads, replacements and schema changes appear in the history with who and when', async () => {
  const d = await dataset(editor, 'Sĩ số học sinh');
  const up = await ok(await call(srv, 'POST', `/api/v1/datasets/${d.id}/resources`, {
    token: editor, body: fileForm(CSV, 'Sĩ số.csv', { name: 'Sĩ số' }),
  }), 'upload');
  await loadEnded(srv, up.id, editor, () => true);
  await ok(await call(srv, 'PUT', `/api/v1/resources/${up.id}/file`, {
    token: adminA, body: fileForm(CSV + '4,Trường Hai Bà Trưng,977\n', 'Sĩ số 2026.csv'),
  }), 'replace');
  await loadEnded(srv, up.id, editor, (s) => s.job.version === 2);
  await ok(await call(srv, 'PUT', `/api/v1/resources/${up.id}/datastore/schema`, {
    token: editor, body: { fields: [{ name: 'so_hoc_sinh', type: 'string', title: 'Sĩ số' }] },
  }), 'schema');
  const h = await ok(await call(srv, 'GET', `/api/v1/datasets/${d.id}/history`, { token: editor }), 'history');
  const events = h.events;
  const kinds = events.map((e) => e.action);
  for (const k of ['file_upload', 'file_replace', 'schema_change']) assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  const by = Object.fromEntries(events.map((e) => [e.action, e]));
  assert.equal(by.file_upload.actor, 'bien-tap');
  assert.equal(by.file_upload.reason, 'Sĩ số.csv');
  assert.equal(by.file_replace.actor, 'duyet-a');
  assert.equal(by.file_replace.reason, 'Sĩ số 2026.csv → v2');
  assert.equal(by.schema_change.actor, 'bien-tap');
  assert.equal(by.schema_change.reason, 'types: so_hoc_sinh; names: so_hoc_sinh');
  assert.match(by.schema_change.at, /^\d{4}-\d{2}-\d{2}T/);

  const s = await login(srv, 'bien-tap', PASSWORD);
  let r = await call(srv, 'GET', `/workspace/datasets/${d.slug}`, { session: s });
  assert.match(r.text, /Tải lên tệp \(bien-tap\): <q>Sĩ số.csv<\/q>/);
  assert.match(r.text, /Thay tệp \(phiên bản mới\) \(duyet-a\): <q>Sĩ số 2026.csv → v2<\/q>/);
  assert.match(r.text, /Đổi cấu trúc bảng và nạp lại \(bien-tap\): <q>Kiểu cột: so_hoc_sinh; Tên cột: so_hoc_sinh<\/q>/);
  r = await call(srv, 'GET', `/en/workspace/datasets/${d.slug}`, { session: s });
  assert.match(r.text, /File uploaded \(bien-tap\)/);
  assert.match(r.text, /File replaced \(new version\) \(duyet-a\)/);
  assert.match(r.text, /Table structure changed and loaded again \(bien-tap\): <q>Column types: so_hoc_sinh; Column names: so_hoc_sinh<\/q>/);
});

test('the loading status refreshes itself while loading and ends with a summary', async () => {
  const d = await dataset(editor, 'Danh sách giáo viên');
  const rows = ['Mã,Họ tên,Số tiết'];
  for (let i = 1; i <= 3000; i++) rows.push(`${i},Giáo viên ${i},${i % 100 === 0 ? 'không rõ' : 18 + (i % 5)}`);
  const up = await ok(await call(srv, 'POST', `/api/v1/datasets/${d.id}/resources`, {
    token: editor, body: fileForm(rows.join('\n') + '\n', 'Giáo viên.csv', { name: 'Giáo viên' }),
  }), 'upload');
  const s = await login(srv, 'bien-tap', PASSWORD);
  let last;
  let polled = 0;
  for (let i = 0; i < 800; i++) {
    last = await call(srv, 'GET', `/workspace/resources/${up.id}/status`, { session: s });
    assert.equal(last.status, 200, last.text.slice(0, 300));
    if (last.text.includes('class="load-summary"')) break;
    // Still loading: the block asks for itself again, and a link does it without JavaScript.
    assert.match(last.text, new RegExp(`id="load-${up.id}"[^>]*hx-get="/workspace/resources/${up.id}/status" hx-trigger="every 2s" hx-select="#load-${up.id}"`));
    assert.match(last.text, new RegExp(`<a href="/workspace/resources/${up.id}/status">Làm mới`));
    polled++;
    await new Promise((res) => setTimeout(res, 20));
  }
  assert.match(last.text, /class="load-summary"/, last.text.slice(0, 2000));
  // Ended: no more polling, the figures stay, with a link to the report.
  assert.doesNotMatch(last.text, /hx-trigger="every 2s"/);
  assert.match(last.text, /<span class="load-rows">3\.000<\/span> dòng, <span class="load-columns">3<\/span> cột/);
  // The problems are those of the table's load report, linked to it.
  const st = (await call(srv, 'GET', `/api/v1/resources/${up.id}/datastore`, { token: editor })).json;
  const problems = Object.values(st.table.issue_counts || {}).reduce((a, b) => a + b, 0);
  assert.ok(problems > 0, `the load found problems: ${JSON.stringify(st.table.issue_counts)}`);
  assert.match(last.text, new RegExp(`<a href="/datasets/${d.slug}/resources/${up.id}#report-h"><span class="load-problems">${problems.toLocaleString('de-DE')}</span> vấn đề phát hiện</a>`));
  const en = await call(srv, 'GET', `/en/workspace/resources/${up.id}/status`, { session: s });
  assert.match(en.text, /<strong>Loaded:<\/strong> <span class="load-rows">3,000<\/span> rows, <span class="load-columns">3<\/span> columns/);
  // The dataset's manage page keeps the same summary instead of dropping the block.
  const page = await call(srv, 'GET', `/workspace/datasets/${d.slug}`, { session: s });
  assert.match(page.text, new RegExp(`id="load-${up.id}"`));
  assert.match(page.text, /class="load-summary"/);
  // Nobody outside the agency sees it; anonymous visitors are sent to log in.
  assert.equal((await call(srv, 'GET', `/workspace/resources/${up.id}/status`)).status, 303);
  console.log(`status polled ${polled} times while loading`);
});

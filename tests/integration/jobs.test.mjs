// The jobs layer as sysadmins see it (issue 15, "A jobs layer"): a failed datastore load is
// listed with its error in /admin/jobs and in GET /api/v1/jobs, and a retry (the page's form with
// its CSRF token, or the API) runs it again; the blob clean-up is a schedule with a next run;
// /metrics counts the jobs. Everyone but sysadmins is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, call, addUser, login } from './harness.mjs';

let srv;
let root;
let rootSession;
let editor;
let dataset;

// Not UTF-8 (a Windows-1258 byte): the load fails with its line and column. One file per
// test (`tag`), so that each is its own blob.
const bad = (tag) => Buffer.concat([Buffer.from(`Tên,Số,${tag}\nHu`), Buffer.from([0xea]), Buffer.from(',1,x\n')]);
const GOOD = 'Tên,Số\nHuế,1\nĐà Nẵng,2\n';

function form(bytes, filename) {
  const fd = new FormData();
  fd.append('upload', new Blob([bytes], { type: 'text/csv' }), filename);
  return fd;
}

async function until(what, fn) {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const jobs = () => call(srv, 'GET', '/api/v1/jobs', { token: root });

// Uploads a file that is not UTF-8 as a new resource and waits for its load to fail; returns
// the resource, its failed run and the file's bytes.
async function failedLoad(name) {
  const bytes = bad(name);
  const up = await call(srv, 'POST', `/api/v1/datasets/${dataset.slug}/resources`, { token: root, body: form(bytes, name) });
  assert.equal(up.status, 201, up.text);
  const rid = up.json.id;
  const run = await until('the failed run', async () => {
    const r = await jobs();
    assert.equal(r.status, 200, r.text);
    return r.json.failed.find((j) => j.key === `${rid}/v1`);
  });
  return { rid, run, bytes };
}

// The bytes of the resource's file on disk become `bytes` (a file that could not be read is
// readable now): what a retry is for.
function repairBlob(bytes) {
  const sha = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(path.join(srv.dir, 'blobs', sha.slice(0, 2), sha.slice(2)), GOOD);
}

before(async () => {
  srv = await startServer({ demo: true });
  root = addUser(srv, 'goc', { sysadmin: true });
  rootSession = await login(srv, 'goc', 'mat-khau-thu-nghiem');
  editor = addUser(srv, 'bien-tap', { org: 'so-giao-duc-dao-tao', role: 'editor' });
  const d = await call(srv, 'POST', '/api/v1/datasets', {
    token: root, body: { title_vi: 'Danh sách thử việc nền', organization: 'so-giao-duc-dao-tao', access: 'public' },
  });
  assert.equal(d.status, 201, d.text);
  dataset = d.json;
});
after(async () => { await srv.stop(); });

test('only sysadmins see the jobs (API and page)', async () => {
  assert.equal((await call(srv, 'GET', '/api/v1/jobs')).status, 401);
  assert.equal((await call(srv, 'GET', '/api/v1/jobs', { token: editor })).status, 403);
  assert.equal((await call(srv, 'POST', '/api/v1/jobs/khong-co/retry', { token: editor, body: {} })).status, 403);
  const editorSession = await login(srv, 'bien-tap', 'mat-khau-thu-nghiem');
  assert.equal((await call(srv, 'GET', '/admin/jobs', { session: editorSession })).status, 403);
  const anonymous = await call(srv, 'GET', '/admin/jobs');
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.headers.get('location'), /^\/login/);
  const missing = await call(srv, 'POST', '/api/v1/jobs/khong-co/retry', { token: root, body: {} });
  assert.equal(missing.status, 404, missing.text);
});

test('a failed load is listed with its error and a retry through the API loads it', async () => {
  const { rid, run, bytes } = await failedLoad('hong-api.csv');
  assert.equal(run.kind, 'datastore.load');
  assert.equal(run.state, 'failed');
  assert.deepEqual(run.payload, { resource_id: rid, version: 1 });
  assert.match(run.error, /line 2, column 1/);
  // Over: it cannot be cancelled.
  assert.equal((await call(srv, 'POST', `/api/v1/jobs/${run.id}/cancel`, { token: root, body: {} })).status, 409);
  repairBlob(bytes);
  const retried = await call(srv, 'POST', `/api/v1/jobs/${run.id}/retry`, { token: root, body: {} });
  assert.equal(retried.status, 200, retried.text);
  assert.ok(['queued', 'running', 'done'].includes(retried.json.state), retried.text);
  const st = await until('the load', async () => {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root });
    return r.json?.job?.state === 'done' ? r.json : null;
  });
  assert.equal(st.table.rows, 2);
  const after = (await jobs()).json;
  assert.ok(!after.failed.some((j) => j.id === run.id));
  const done = after.history.find((j) => j.id === run.id);
  assert.ok(done, JSON.stringify(after.history));
  assert.equal(done.state, 'done');
  assert.equal(done.attempts, 1);
  // Done: a retry is refused.
  assert.equal((await call(srv, 'POST', `/api/v1/jobs/${run.id}/retry`, { token: root, body: {} })).status, 409);
});

test('the admin page lists the failed load and its retry button (a form with the CSRF token) runs it again', async () => {
  const { rid, run, bytes } = await failedLoad('hong-trang.csv');
  let page = await call(srv, 'GET', '/admin/jobs', { session: rootSession });
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Việc chạy nền<\/h1>/);
  assert.match(page.text, new RegExp(`action="/admin/jobs/${run.id}/retry"`));
  assert.match(page.text, /name="csrf"/);
  assert.match(page.text, new RegExp(`${rid}/v1`));
  const en = await call(srv, 'GET', '/en/admin/jobs', { session: rootSession });
  assert.equal(en.status, 200);
  assert.match(en.text, /<h1>Background jobs<\/h1>/);
  assert.match(en.text, /Retry/);
  // Without the form's token: refused, nothing queued.
  const forged = await call(srv, 'POST', `/admin/jobs/${run.id}/retry`, {
    session: rootSession, headers: { 'X-CSRF-Token': 'sai' }, body: new URLSearchParams(),
  });
  assert.equal(forged.status, 403);
  assert.equal((await call(srv, 'GET', `/api/v1/jobs/${run.id}`, { token: root })).json.state, 'failed');
  repairBlob(bytes);
  const ok = await call(srv, 'POST', `/admin/jobs/${run.id}/retry`, {
    session: rootSession, body: new URLSearchParams({ csrf: rootSession.csrf }),
  });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/admin/jobs?done=job_retried');
  await until('the load', async () => {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token: root });
    return r.json?.job?.state === 'done';
  });
  page = await call(srv, 'GET', '/admin/jobs?done=job_retried', { session: rootSession });
  assert.match(page.text, /Việc đã được xếp hàng để chạy lại/);
  assert.doesNotMatch(page.text, new RegExp(`action="/admin/jobs/${run.id}/retry"`));
});

test('the blob clean-up is a schedule with its next run, and /metrics counts the jobs', async () => {
  const r = (await jobs()).json;
  const gc = r.schedules.find((s) => s.id === 'blob.gc');
  assert.ok(gc, JSON.stringify(r.schedules));
  assert.equal(gc.kind, 'blob.gc');
  assert.equal(gc.spec, 'every:21600');  // the default --gc-interval-hours 6
  assert.ok(Date.parse(gc.next_run) > Date.now());
  const m = await call(srv, 'GET', '/metrics', { token: root });
  assert.equal(m.status, 200);
  assert.match(m.text, /^odp_jobs_running \d+$/m);
  assert.match(m.text, /^odp_jobs_queued \d+$/m);
  assert.match(m.text, /^odp_jobs_failed \d+$/m);
  assert.match(m.text, /^odp_jobs_failed_here_total \d+$/m);
});

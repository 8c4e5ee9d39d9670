// Several servers: two `odp serve` on one PostgreSQL database and one data directory, behind
// nginx (Debian's package, configuration written here). Runs in the PostgreSQL pass of the
// suite (ODP_TEST_PG); SQLite is one server's database by design.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PG_BASE, odp, startServer, call, login, psql, dbOf } from './harness.mjs';

const skip = PG_BASE ? false : 'needs PostgreSQL: scripts/test.sh runs it with ODP_TEST_PG';

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startNginx(dir, upstreams) {
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, `nginx-${t}`), { recursive: true });
  writeFileSync(conf, `
${process.getuid && process.getuid() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
  client_max_body_size 100m;
  upstream odp {
    ${upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=10s;`).join('\n    ')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://odp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout http_502;
    }
  }
}
`);
  const proc = spawn('/usr/sbin/nginx', ['-c', conf, '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url + '/healthz');
      return { url, proc, stop: () => proc.kill('SIGTERM') };
    } catch {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not start: ${err}`);
}

// Polls a resource's datastore status on `srv` until the load of `version` has ended.
async function waitForLoad(srv, token, rid, version, ms) {
  const t0 = Date.now();
  let last = null;
  while (Date.now() - t0 < ms) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token });
    last = r.json;
    const job = r.json && r.json.job;
    if (job && job.version === version && ['done', 'failed', 'cancelled'].includes(job.state)) return r.json;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`load of ${rid} did not end: ${JSON.stringify(last)}`);
}

test('two servers on one PostgreSQL behind nginx share datasets, logins and jobs, and survive one dying', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-multi-'));
  const init = odp(['init', '--data', dir, '--demo']);
  assert.equal(init.status, 0, init.stderr);
  const password = init.stdout.match(/password: (\S+)/)[1];
  // A job whose server stops beating is taken over after 2 s (30 s by default).
  const env = { ODP_JOB_LEASE_SECONDS: '2' };
  const a = await startServer({ shared: dir, env });
  const b = await startServer({ shared: dir, env });
  const lb = await startNginx(dir, [a.url.replace('http://', ''), b.url.replace('http://', '')]);
  const front = { url: lb.url };
  try {
    const token = odp(['token', 'add', 'admin', '--data', dir, '--name', 'multi']).stdout.trim();
    assert.match(token, /\S{20,}/);

    // A dataset created through one server is found through the other at once.
    const made = await call(a, 'POST', '/api/v1/datasets', {
      token, body: { title_vi: 'Danh sách trường học liên thông', organization: 'so-giao-duc-dao-tao' },
    });
    assert.equal(made.status, 201, made.text);
    const slug = made.json.slug;
    const seen = await call(b, 'GET', `/api/v1/datasets/${slug}`, { token });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.title_vi, 'Danh sách trường học liên thông');
    // An edit through B shows through A; search through A finds it (announced by NOTIFY).
    const edited = await call(b, 'PATCH', `/api/v1/datasets/${slug}`, { token, body: { title_en: 'Linked schools' } });
    assert.equal(edited.status, 200, edited.text);
    let found = null;
    const t0 = Date.now();
    while (Date.now() - t0 < 3000) {
      const r = await call(a, 'GET', `/api/v1/datasets?q=${encodeURIComponent('truong hoc lien thong')}&include_unpublished=true`, { token });
      const hit = (r.json.results || r.json.items || r.json.datasets || []).find((d) => d.slug === slug);
      if (hit && hit.title_en === 'Linked schools') { found = Date.now() - t0; break; }
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.notEqual(found, null, 'the edit made through B never reached A\'s search');
    console.log(`# edit through B visible in A's search after ${found} ms`);

    // A login made through one is valid on the other.
    const session = await login(a, 'admin', password);
    const onB = await call(b, 'GET', '/workspace', { session });
    assert.equal(onB.status, 200);
    // Site settings saved through A show on B's pages.
    const settings = new URLSearchParams({ csrf: session.csrf, title_vi: 'Cổng dữ liệu mở liên máy chủ', title_en: 'Shared Open Data', primary_color: '#123456', accent_color: '#654321' });
    const saved = await call(a, 'POST', '/admin/settings', {
      body: settings.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: session.cookie },
    });
    assert.equal(saved.status, 303, saved.text);
    let shown = false;
    for (let i = 0; i < 100 && !shown; i++) {
      shown = /Cổng dữ liệu mở liên máy chủ/.test((await call(b, 'GET', '/')).text);
      if (!shown) await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(shown, 'settings saved through A never showed on B');
    // CKAN's status_show reads the same settings, on both servers, without a restart.
    const siteTitle = async (srv) => (await call(srv, 'GET', '/api/3/action/status_show')).json.result.site_title;
    assert.equal(await siteTitle(a), 'Cổng dữ liệu mở liên máy chủ');
    assert.equal(await siteTitle(b), 'Cổng dữ liệu mở liên máy chủ');
    const logout = await call(b, 'POST', '/api/v1/auth/logout', { session });
    assert.ok(logout.status < 300, logout.text);
    assert.equal((await call(a, 'GET', '/workspace', { session })).status, 303, 'logged out everywhere');

    // A load queued through A runs exactly once (on one server or the other).
    const csv = 'Tên trường,Số học sinh\r\nTrường Tiểu học Phú Hội,512\r\nTrường THCS Nguyễn Tri Phương,890\r\n';
    const fd = new FormData();
    fd.append('name', 'Danh sách trường');
    fd.append('upload', new Blob([Buffer.from(csv, 'utf8')], { type: 'text/csv' }), 'truong.csv');
    const up = await call(a, 'POST', `/api/v1/datasets/${slug}/resources`, { token, body: fd });
    assert.equal(up.status, 201, up.text);
    const small = up.json.id || up.json.resource?.id;
    const table = await waitForLoad(b, token, small, 1, 20000);
    assert.equal(table.job.state, 'done', JSON.stringify(table.job));
    assert.equal(table.rows ?? table.table?.rows, 2, JSON.stringify(table));
    const loads = (a.output() + b.output()).split(`datastore: loaded ${small} v1`).length - 1;
    assert.equal(loads, 1, 'the job ran once');

    // A big load: its server is killed half-way; the other takes the job over and finishes it.
    const rows = ['Mã,Tên,Giá trị'];
    for (let i = 1; i <= 400000; i++) rows.push(`${i},Hộ gia đình số ${i} phường Phú Hội,${(i * 7) % 1000}`);
    const big = new FormData();
    big.append('name', 'Sổ hộ');
    big.append('upload', new Blob([Buffer.from(rows.join('\n') + '\n', 'utf8')], { type: 'text/csv' }), 'so-ho.csv');
    const up2 = await call(a, 'POST', `/api/v1/datasets/${slug}/resources`, { token, body: big });
    assert.equal(up2.status, 201, up2.text);
    const bigId = up2.json.id || up2.json.resource?.id;
    let runner = null;
    for (let i = 0; i < 400 && !runner; i++) {
      if (a.output().includes(`datastore: loading ${bigId}`)) runner = a;
      else if (b.output().includes(`datastore: loading ${bigId}`)) runner = b;
      else await new Promise((res) => setTimeout(res, 10));
    }
    assert.ok(runner, 'nobody started the big load');
    const other = runner === a ? b : a;
    runner.proc.kill('SIGKILL');
    await runner.exited;
    // The survivor keeps serving while it waits out the lease, then loads the table.
    assert.equal((await call(other, 'GET', `/api/v1/datasets/${slug}`, { token })).status, 200);
    const recovered = await waitForLoad(other, token, bigId, 1, 120000);
    assert.equal(recovered.job.state, 'done', JSON.stringify(recovered.job));
    assert.ok(other.output().includes(`datastore: loaded ${bigId} v1: 400000 rows`), other.output().slice(-2000));
    const alive = runner === a ? b : a;

    // Through the load balancer: every request answered, though one server is dead.
    assert.equal(alive.proc.exitCode, null);
    for (let i = 0; i < 20; i++) {
      const r = await call(front, 'GET', `/api/3/action/package_show?id=${slug}`, { token });
      assert.equal(r.status, 200, `request ${i} after one server died: ${r.status}`);
    }
    const made2 = await call(front, 'POST', '/api/v1/datasets', {
      token, body: { title_vi: 'Sau khi một máy chủ dừng', organization: 'so-giao-duc-dao-tao' },
    });
    assert.equal(made2.status, 201, made2.text);
  } finally {
    lb.stop();
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
    try { psql(`DROP SCHEMA IF EXISTS ${dbOf(dir).match(/search_path%3D(\w+)/)[1]} CASCADE`); } catch { /* cluster is thrown away */ }
  }
});

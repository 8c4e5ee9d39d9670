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

test('two servers on one PostgreSQL behind nginx share datasets, logins and survive one dying', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-multi-'));
  const init = odp(['init', '--data', dir, '--demo']);
  assert.equal(init.status, 0, init.stderr);
  const password = init.stdout.match(/password: (\S+)/)[1];
  const a = await startServer({ shared: dir });
  const b = await startServer({ shared: dir });
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
    const logout = await call(b, 'POST', '/api/v1/auth/logout', { session });
    assert.ok(logout.status < 300, logout.text);
    assert.equal((await call(a, 'GET', '/workspace', { session })).status, 303, 'logged out everywhere');

    // Through the load balancer: every request answered; then with one server killed, still.
    for (let i = 0; i < 20; i++) {
      assert.equal((await call(front, 'GET', `/api/3/action/package_show?id=${slug}`, { token })).status, 200);
    }
    a.proc.kill('SIGKILL');
    await a.exited;
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

// datastore_search_sql runs in a lane of its own: slow queries never hold the handler workers,
// health checks are answered at once, a client gets a bounded share (429), the lane a bounded
// queue (503), and anonymous callers a shorter time limit.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, call, addUser } from './harness.mjs';

const SLOW = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

// A GET from a given loopback source address (each is a different client to the server).
function getFrom(srv, localAddress, urlPath, headers = {}) {
  const u = new URL(srv.url + urlPath);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', localAddress,
      headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body, ms: Date.now() - started }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('slow SQL queries get a lane of their own', async (t) => {
  const srv = await startServer({
    demo: true,
    env: { ODP_SQL_WORKERS: '2', ODP_SQL_QUEUE: '2', ODP_SQL_PER_CLIENT: '2', ODP_SQL_TIMEOUT_ANONYMOUS_MS: '2500',
      ODP_SQL_TIMEOUT_MS: '4000' },
  });
  t.after(() => srv.stop());
  const token = addUser(srv, 'lan', {});
  const sqlPath = `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(SLOW)}`;
  const started = Date.now();
  // Two from one client, two from another: the lane (2 running + 2 waiting) is full.
  const running = [
    getFrom(srv, '127.0.0.1', sqlPath), getFrom(srv, '127.0.0.1', sqlPath),
    getFrom(srv, '127.0.0.2', sqlPath), getFrom(srv, '127.0.0.2', sqlPath, { Authorization: token }),
  ];
  await new Promise((r) => setTimeout(r, 300));
  // A third from the first client: its share is taken.
  const mine = await getFrom(srv, '127.0.0.1', sqlPath);
  assert.equal(mine.status, 429, mine.body);
  assert.equal(mine.headers['retry-after'], '1');
  assert.match(JSON.parse(mine.body).error.message_vi, /quá nhiều truy vấn/);
  // A new client: the lane is full.
  const full = await getFrom(srv, '127.0.0.3', sqlPath);
  assert.equal(full.status, 503, full.body);
  assert.equal(full.headers['retry-after'], '1');
  // Meanwhile everything else answers at once: health, search, a signed-in call, a page.
  for (const [p, h] of [['/healthz', {}], ['/api/v1/datasets?q=giao%20duc', {}], ['/api/v1/me', { Authorization: token }],
    ['/', {}], ['/api/3/action/package_search?q=y%20te', {}]]) {
    const r = await getFrom(srv, '127.0.0.4', p, h);
    assert.ok(r.status === 200, `${p}: ${r.status} ${r.body.slice(0, 200)}`);
    assert.ok(r.ms < 1000, `${p} took ${r.ms} ms while SQL ran`);
  }
  const done = await Promise.all(running);
  for (const r of done) {
    assert.equal(r.status, 409, r.body);
    assert.match(r.body, /Query took too long/);
  }
  // Anonymous queries stop at 2.5 s, the signed-in one at 4 s (it waited its turn behind two).
  assert.ok(Date.now() - started < 12000);
  // The lane is free again.
  const r = await call(srv, 'GET', `/api/3/action/datastore_search_sql?sql=${encodeURIComponent('SELECT 1 AS n')}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.result.records, [{ n: 1 }]);
});

// Health, readiness and Prometheus metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call, addUser, login } from './harness.mjs';

let srv;
const METRICS_TOKEN = 'jeton-de-metriques-pour-les-tests';
before(async () => { srv = await startServer({ demo: true, env: { ODP_METRICS_TOKEN: METRICS_TOKEN } }); });
after(async () => { await srv.stop(); });

test('healthz and readyz answer plainly', async () => {
  const h = await call(srv, 'GET', '/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.text, 'ok\n');
  const r = await call(srv, 'GET', '/readyz');
  assert.equal(r.status, 200);
});

test('metrics count requests by route and status and expose a latency histogram and gauges', async () => {
  await call(srv, 'GET', '/api/3/action/package_show?id=luong-mua-thang-2024');
  await call(srv, 'GET', '/api/3/action/package_show?id=khong-co');
  const m = await call(srv, 'GET', '/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /text\/plain/);
  assert.match(m.text, /odp_http_requests_total\{route="\/api\/action\/package_show",status="200"\} [1-9]/);
  assert.match(m.text, /odp_http_requests_total\{route="\/api\/action\/package_show",status="404"\} [1-9]/);
  assert.match(m.text, /odp_http_request_duration_seconds_bucket\{route="\/api\/action\/package_show",le="\+Inf"\}/);
  assert.match(m.text, /# TYPE odp_http_request_duration_seconds histogram/);
  assert.match(m.text, /odp_datasets_public 10/);
  assert.match(m.text, /odp_jobs_running 0/);
  assert.match(m.text, /odp_db_up 1/);
  assert.match(m.text, /odp_datasets_indexed 14/);
  assert.match(m.text, /odp_search_index_bytes [1-9]/);
});

test('the operations page shows requests, errors, answer times, database, jobs and disk to sysadmins only', async () => {
  addUser(srv, 'van-hanh', { sysadmin: true, password: 'Tram-Quan-Sat-2026' });
  addUser(srv, 'bien-tap', { org: 'so-giao-duc-dao-tao', role: 'editor', password: 'Ban-Soan-Thao-2026' });
  const admin = await login(srv, 'van-hanh', 'Tram-Quan-Sat-2026');
  const editor = await login(srv, 'bien-tap', 'Ban-Soan-Thao-2026');
  for (let i = 0; i < 3; i++) await call(srv, 'GET', '/api/3/action/package_show?id=khong-co-o-day');
  const page = await call(srv, 'GET', '/admin/operations', { session: admin });
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /<h1>Vận hành<\/h1>/);
  const total = Number(page.text.match(/id="ops-requests-total">([0-9.]+)</)[1].replace(/\./g, ''));
  assert.ok(total >= 5, `${total} requests`);
  // The route table names the CKAN action with its three 404s, and answer times as people read them.
  const row = page.text.match(/<tr><th scope="row"><code>\/api\/action\/package_show<\/code><\/th>(.*?)<\/tr>/);
  assert.ok(row, 'a row for package_show');
  const cells = [...row[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.ok(Number(cells[1]) >= 3, `4xx ${cells[1]}`);
  assert.match(cells[3], /^(≤ [0-9,]+ m?s|> 5 s)$/);
  assert.match(page.text, /id="ops-db-state">Đang trả lời \((SQLite|PostgreSQL)\)/);
  assert.match(page.text, /id="ops-disk-free">(<strong class="ops-bad">Sắp hết chỗ trống.<\/strong> )?Còn trống ở thư mục dữ liệu: [0-9,.]+ [KMGT]?B/);
  assert.match(page.text, /href="\/admin\/jobs"/);
  const en = await call(srv, 'GET', '/en/admin/operations', { session: admin });
  assert.equal(en.status, 200);
  assert.match(en.text, /<h1>Operations<\/h1>/);
  assert.match(en.text, /id="ops-db-state">Answering \((SQLite|PostgreSQL)\)/);
  // Not for an agency's editor, nor for anyone anonymous.
  assert.notEqual((await call(srv, 'GET', '/admin/operations', { session: editor })).status, 200);
  assert.notEqual((await call(srv, 'GET', '/admin/operations')).status, 200);
  // The admin home links to it instead of to the raw metrics.
  assert.match((await call(srv, 'GET', '/admin', { session: admin })).text, /href="\/admin\/operations"/);
});

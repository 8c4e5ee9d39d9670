// Health, readiness and Prometheus metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call } from './harness.mjs';

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

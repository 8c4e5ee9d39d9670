// The HTTP fast path (serialised anonymous answers, served on the I/O thread) answers only
// requests that carry no credentials: a request with any credential header, in any letter case,
// goes to the handlers, which refuse a bad credential (401/403) even when the answer is cached.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startServer, call } from './harness.mjs';

test('the fast path never answers a request that carries a credential', async (t) => {
  const srv = await startServer({ demo: true });
  t.after(() => srv.stop());
  const slug = (await call(srv, 'GET', '/api/3/action/package_list')).json.result[0];
  const target = `/api/v1/datasets/${slug}`;
  // Twice without credentials: the second answer comes from the fast path.
  for (let i = 0; i < 2; i++) assert.equal((await call(srv, 'GET', target)).status, 200);
  for (const headers of [
    { Authorization: 'Bearer odp_sai' },
    { authorization: 'odp_sai' },
    { 'X-CKAN-API-Key': 'odp_sai' },
    { 'x-ckan-api-key': 'odp_sai' },
    { 'X-API-Key': 'odpk_sai' },
    { 'x-API-key': 'odpk_sai' },
  ]) {
    const r = await call(srv, 'GET', target, { headers });
    assert.ok([401, 403].includes(r.status), `${JSON.stringify(headers)}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  assert.equal((await call(srv, 'GET', target)).status, 200);
});

// `odp copy`: a demo portal on SQLite moved to PostgreSQL and back, datastore tables included,
// each side answering the same. Runs in the PostgreSQL pass of the suite (ODP_TEST_PG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PG_BASE, odp, startServer, call, psql, pgUrlOf } from './harness.mjs';

const skip = PG_BASE ? false : 'needs PostgreSQL: scripts/test.sh runs it with ODP_TEST_PG';

async function tableOf(srv) {
  const pkg = await call(srv, 'GET', '/api/3/action/package_show?id=chat-luong-khong-khi');
  assert.equal(pkg.status, 200, pkg.text);
  const res = pkg.json.result.resources.find((r) => r.datastore_active);
  const r = await call(srv, 'GET', `/api/3/action/datastore_search?resource_id=${res.id}&limit=1000&sort=_id`);
  assert.equal(r.status, 200, r.text);
  const q = await call(srv, 'GET', `/api/3/action/datastore_search?resource_id=${res.id}&q=${encodeURIComponent('phu')}&limit=0`);
  return { records: r.json.result.records, fields: r.json.result.fields, total: r.json.result.total, q: q.json.result.total };
}

test('odp copy moves a portal from SQLite to PostgreSQL and back, tables included, verified', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-copy-'));
  const back = path.join(dir, 'back');
  const schema = `copy_${process.pid}`;
  psql(`CREATE SCHEMA ${schema}`);
  const pg = pgUrlOf(schema);
  const servers = [];
  try {
    assert.equal(odp(['init', '--data', dir, '--demo', '--db', `sqlite:${dir}/odp.db`]).status, 0);
    const there = odp(['copy', '--from', dir, '--to', pg]);
    assert.equal(there.status, 0, there.stderr);
    assert.match(there.stdout, /copied and verified: \d+ rows in \d+ tables/);
    assert.match(there.stdout, /datastore tables rebuilt and verified: [1-9]\d* tables, [1-9]\d* rows/);
    // Into a database that has data: refused, nothing changed.
    const again = odp(['copy', '--from', dir, '--to', pg]);
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /not empty/);

    const sqliteSrv = await startServer({ shared: dir, args: ['--db', `sqlite:${dir}/odp.db`] });
    servers.push(sqliteSrv);
    const pgSrv = await startServer({ shared: dir, args: ['--db', pg] });
    servers.push(pgSrv);
    const a = await tableOf(sqliteSrv);
    const b = await tableOf(pgSrv);
    assert.ok(a.total > 0);
    assert.deepEqual(b, a, 'the same rows, types and search results on both back-ends');

    // Back to a new data directory on SQLite.
    const home = odp(['copy', '--from', pg, '--to', back]);
    assert.equal(home.status, 0, home.stderr);
    assert.ok(existsSync(path.join(back, 'odp.db')));
    const backSrv = await startServer({ shared: back, args: ['--db', `sqlite:${back}/odp.db`] });
    servers.push(backSrv);
    assert.deepEqual(await tableOf(backSrv), a);
  } finally {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
    psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_ds CASCADE`);
  }
});

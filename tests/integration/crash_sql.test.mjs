// A load killed while it builds its indexes leaves the table readable in SQL by its documented
// name (r_<id>_v<n>), as well as by the resource id, once a server serves the portal again.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ODP_BIN, PG_BASE, dbOf, schemaOf, psql, odp, startServer, call } from './harness.mjs';

function jobState(dir, rid, version) {
  const sql = `SELECT state FROM jobs WHERE resource_id = '${rid}' AND version = ${version}`;
  if (PG_BASE) return psql(`SET search_path = ${schemaOf(dir)}; ${sql}`).trim();
  const r = spawnSync('sqlite3', [path.join(dir, 'odp.db'), sql], { encoding: 'utf8' });
  return r.stdout.trim();
}

test('a load killed while indexing leaves its table readable by its documented name', async (t) => {
  const srv = await startServer({ demo: true });
  t.after(() => srv.stop());
  const csv = path.join(srv.dir, 'lon.csv');
  let text = 'ma,ten,so\n';
  for (let i = 0; i < 200000; i++) text += `${i},tên ${i},${(i * 7919) % 100003}\n`;
  writeFileSync(csv, text);
  const slug = 'chat-luong-khong-khi';
  const first = odp(['import', csv, '--data', srv.dir, '--dataset', slug, '--resource', 'lon']);
  assert.equal(first.status, 0, first.stderr);
  const rid = (await call(srv, 'GET', `/api/3/action/package_show?id=${slug}`)).json.result.resources
    .find((r) => r.name === 'lon').id;
  const table = `r_${rid.replace(/[^a-z0-9]/gi, '_')}_v2`;
  // Version 2, killed as soon as it is building its indexes.
  const args = ['import', csv, '--data', srv.dir, '--dataset', slug, '--resource', 'lon'];
  const db = dbOf(srv.dir);
  const proc = spawn(ODP_BIN, db ? [...args, '--db', db] : args, { stdio: 'ignore' });
  let killed = false;
  for (let i = 0; i < 600 && !killed; i++) {
    await new Promise((r) => setTimeout(r, 25));
    if (jobState(srv.dir, rid, 2) === 'indexing') {
      proc.kill('SIGKILL');
      killed = true;
    }
  }
  await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r() : proc.on('exit', r)));
  t.diagnostic(`killed while indexing: ${killed}`);
  // The server picks the job up again after its lease; meanwhile the table is there by name.
  for (const q of [`SELECT count(*) AS n FROM ${table}`, `SELECT count(*) AS n FROM "${rid}"`]) {
    const r = await call(srv, 'GET', `/api/3/action/datastore_search_sql?sql=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${q} (killed while indexing: ${killed}): ${r.text}`);
    assert.equal(r.json.result.records[0].n, 200000);
  }
});

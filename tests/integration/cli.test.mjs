// The command line: help texts, init, user and token management, and a clean SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { odp, startServer, call, PG_BASE, psql, schemaOf } from './harness.mjs';

test('odp --help and every command --help describe their options', () => {
  const top = odp(['--help']);
  assert.equal(top.status, 0);
  for (const cmd of ['init', 'serve', 'user', 'token', 'migrate']) assert.match(top.stdout, new RegExp(cmd));
  const expectations = {
    init: ['--data', '--demo'],
    serve: ['--data', '--listen', '--max-body-bytes', '--no-migrate'],
    'user add': ['USERNAME', '--email', '--sysadmin', '--org', '--role'],
    'token add': ['USERNAME', '--name'],
  };
  for (const [cmd, flags] of Object.entries(expectations)) {
    const r = odp([...cmd.split(' '), '--help']);
    assert.equal(r.status, 0, cmd);
    for (const f of flags) assert.ok(r.stdout.includes(f), `${cmd} --help mentions ${f}`);
  }
});

test('init creates a data directory; user add reads the password from stdin; token add prints once', () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'odp-cli-')), 'data');
  try {
    assert.equal(odp(['init', '--data', dir]).status, 0);
    if (PG_BASE) {
      assert.equal(psql(`SELECT COUNT(*) FROM ${schemaOf(dir)}.schema_version`).trim() > '0', true);
    } else {
      assert.ok(statSync(path.join(dir, 'odp.db')).isFile());
    }
    // Unknown organization and bad role are clear errors.
    const noOrg = odp(['user', 'add', 'lan', '--data', dir, '--email', 'lan@hue.gov.vn', '--org', 'khong-co',
      '--role', 'editor'], { input: 'mat-khau-dai\n' });
    assert.notEqual(noOrg.status, 0);
    assert.match(noOrg.stderr, /organization not found|Không tìm thấy/);
    const badRole = odp(['user', 'add', 'lan', '--data', dir, '--email', 'lan@hue.gov.vn', '--org', 'x',
      '--role', 'king'], { input: 'mat-khau-dai\n' });
    assert.notEqual(badRole.status, 0);
    const shortPw = odp(['user', 'add', 'lan', '--data', dir, '--email', 'lan@hue.gov.vn'], { input: 'ngan\n' });
    assert.notEqual(shortPw.status, 0);
    assert.match(shortPw.stderr, /12/);
    const commonPw = odp(['user', 'add', 'lan', '--data', dir, '--email', 'lan@hue.gov.vn'], { input: 'password1234\n' });
    assert.notEqual(commonPw.status, 0);
    assert.match(commonPw.stderr, /phổ biến|common/);
    const ok = odp(['user', 'add', 'lan', '--data', dir, '--email', 'lan@hue.gov.vn', '--sysadmin'],
      { input: 'mat-khau-dai\n' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /lan/);
    assert.doesNotMatch(ok.stdout, /mat-khau-dai/);
    const dup = odp(['user', 'add', 'lan', '--data', dir, '--email', 'khac@hue.gov.vn'], { input: 'mat-khau-dai\n' });
    assert.notEqual(dup.status, 0);
    const t1 = odp(['token', 'add', 'lan', '--data', dir, '--name', 'báo cáo']);
    const t2 = odp(['token', 'add', 'lan', '--data', dir]);
    assert.equal(t1.status, 0);
    assert.match(t1.stdout.trim(), /^odp_[A-Za-z0-9_-]{40,}$/);
    assert.notEqual(t1.stdout, t2.stdout);
    // Only the hash is stored.
    if (PG_BASE) {
      const raw = t1.stdout.trim();
      assert.equal(psql(`SELECT COUNT(*) FROM ${schemaOf(dir)}.api_tokens`).trim(), '2');
      assert.equal(psql(`SELECT COUNT(*) FROM ${schemaOf(dir)}.api_tokens WHERE strpos(token_hash || name || id, '${raw}') > 0`).trim(), '0');
    } else {
      assert.ok(!readFileSync(path.join(dir, 'odp.db')).includes(Buffer.from(t1.stdout.trim())));
    }
    assert.notEqual(odp(['token', 'add', 'khong-co', '--data', dir]).status, 0);
    assert.notEqual(odp(['token', 'add', 'lan', '--data', path.join(dir, 'missing')]).status, 0);
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('the environment configures what flags do not', async () => {
  const srv = await startServer({ env: { ODP_MAX_BODY_BYTES: '100' } });
  try {
    const r = await call(srv, 'POST', '/api/v1/auth/login', { body: { username: 'x'.repeat(200), password: 'y' } });
    assert.equal(r.status, 413);
  } finally {
    await srv.stop();
  }
});

test('--log-level and ODP_LOG_LEVEL choose the least severe event logged; the flag wins; a wrong level is refused', async () => {
  const infoLine = / info catalogue loaded/;
  const plain = await startServer();
  const quiet = await startServer({ args: ['--log-level', 'warn'] });
  const byEnv = await startServer({ env: { ODP_LOG_LEVEL: 'error' } });
  const flagWins = await startServer({ args: ['--log-level', 'info'], env: { ODP_LOG_LEVEL: 'error' } });
  try {
    assert.match(plain.output(), infoLine);
    assert.doesNotMatch(quiet.output(), infoLine);
    assert.doesNotMatch(byEnv.output(), infoLine);
    assert.match(flagWins.output(), infoLine);
    // Still serving, only quieter.
    assert.equal((await call(quiet, 'GET', '/healthz')).status, 200);
  } finally {
    await Promise.all([plain.stop(), quiet.stop(), byEnv.stop(), flagWins.stop()]);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-cli-'));
  try {
    const r = odp(['serve', '--data', dir, '--listen', '127.0.0.1:0', '--log-level', 'loud']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /invalid log level: loud/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM drains in-flight requests and exits cleanly', async () => {
  const srv = await startServer({ demo: true });
  // Start several requests, then signal while they are in flight.
  const pending = [];
  for (let i = 0; i < 20; i++) pending.push(call(srv, 'GET', '/api/3/action/package_search?q=du%20lieu&rows=50'));
  srv.proc.kill('SIGTERM');
  const results = await Promise.allSettled(pending);
  const answered = results.filter((r) => r.status === 'fulfilled');
  for (const r of answered) assert.equal(r.value.status, 200);
  const { code, signal } = await srv.stop();
  assert.equal(code, 0);
  assert.equal(signal, null);
  assert.match(srv.output(), /stopped/);
});

test('bad --listen values and an outdated schema with --no-migrate are clear errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-cli-'));
  try {
    const r = odp(['serve', '--data', dir, '--listen', 'nonsense']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /HOST:PORT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

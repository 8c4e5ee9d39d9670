// Test harness: starts a real `odp serve` on a free port in a fresh data directory and speaks
// HTTP to it. Used by every integration test (node:test).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ODP_BIN = process.env.ODP_BIN || path.resolve(here, '../../build/odp');

// With ODP_TEST_PG (a PostgreSQL server's URL, see scripts/pg-cluster.sh), every data directory
// gets its own schema there, and every odp command on it is given `--db` for it: the whole
// suite then runs against PostgreSQL.
export const PG_BASE = process.env.ODP_TEST_PG || '';
const schemas = new Map();  // data directory → schema

export function pgUrlOf(schema) {
  return `${PG_BASE}${PG_BASE.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
}

export function psql(sql) {
  const r = spawnSync('psql', [PG_BASE, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout;
}

// The --db of data directory `dir` ('' on SQLite, the default).
export function dbOf(dir) {
  if (!PG_BASE) return '';
  let schema = schemas.get(path.resolve(dir));
  if (!schema) {
    schema = `it_${schemas.size}_${process.pid}_${Date.now() % 1e9}`;
    psql(`CREATE SCHEMA ${schema}`);
    schemas.set(path.resolve(dir), schema);
  }
  return pgUrlOf(schema);
}

// The schema of data directory `dir` (PostgreSQL runs).
export function schemaOf(dir) {
  dbOf(dir);
  return schemas.get(path.resolve(dir));
}

function withDb(args) {
  const i = args.indexOf('--data');
  if (!PG_BASE || i < 0 || args.includes('--db')) return args;
  return [...args, '--db', dbOf(args[i + 1])];
}

// Runs an odp command synchronously; returns {status, stdout, stderr}.
export function odp(args, { input = '', env = {} } = {}) {
  const r = spawnSync(ODP_BIN, withDb(args), { input, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Starts a portal. Options: demo (adds demo content and an admin), args (extra serve flags),
// env, shared (the data directory of a portal already made: another server on it, which leaves
// the directory in place when it stops). Returns {url, dir, adminPassword, proc, stop(), output()}.
export async function startServer({ demo = false, args = [], env = {}, shared = null } = {}) {
  const dir = shared || mkdtempSync(path.join(tmpdir(), 'odp-it-'));
  let adminPassword = null;
  if (!shared) {
    const init = odp(['init', '--data', dir, ...(demo ? ['--demo'] : [])], { env });
    if (init.status !== 0) throw new Error(`odp init failed: ${init.stderr}`);
    const m = init.stdout.match(/password: (\S+)/);
    adminPassword = m ? m[1] : null;
  }
  const proc = spawn(ODP_BIN, withDb(['serve', '--data', dir, '--listen', '127.0.0.1:0', ...args]), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 10000);
    const check = () => {
      const mm = out.match(/listening on (http:\/\/\S+)/);
      if (mm) { clearTimeout(timer); resolve(mm[1]); }
    };
    proc.stdout.on('data', check);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}`)); });
  });
  proc.removeAllListeners('exit');
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url, dir, adminPassword, proc, exited,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const r = await exited;
      if (shared) return r;
      rmSync(dir, { recursive: true, force: true });
      const schema = schemas.get(path.resolve(dir));
      if (schema) {
        psql(`DROP SCHEMA ${schema} CASCADE`);
        schemas.delete(path.resolve(dir));
      }
      return r;
    },
  };
}

// One HTTP call. `body` objects are sent as JSON; strings/Buffers/FormData as they are.
export async function call(srv, method, urlPath, { body, token, session, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = token;
  if (session) {
    h.Cookie = session.cookie;
    if (method !== 'GET' && method !== 'HEAD' && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = session.csrf;
  }
  let payload = body;
  if (body !== undefined && !(typeof body === 'string') && !(body instanceof Buffer) &&
      !(body instanceof FormData) && !(body instanceof URLSearchParams)) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  const res = await fetch(srv.url + urlPath, { method, body: payload, headers: h, redirect: 'manual' });
  const buf = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text: buf.toString('utf8'), bytes: buf };
}

// Adds a user through the CLI (password on stdin) and returns an API token for it.
export function addUser(srv, username, { sysadmin = false, org, role, password = 'mat-khau-thu-nghiem' } = {}) {
  const args = ['user', 'add', username, '--data', srv.dir, '--email', `${username}@example.gov.vn`];
  if (sysadmin) args.push('--sysadmin');
  if (org) args.push('--org', org, '--role', role || 'member');
  const r = odp(args, { input: password + '\n' });
  if (r.status !== 0) throw new Error(`user add failed: ${r.stderr}`);
  const t = odp(['token', 'add', username, '--data', srv.dir, '--name', 'test']);
  if (t.status !== 0) throw new Error(`token add failed: ${t.stderr}`);
  return t.stdout.trim();
}

// Logs in through the API; returns {cookie, csrf}.
export async function login(srv, username, password) {
  const r = await call(srv, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  const cookie = r.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: r.json.csrf_token };
}

// Creates an organization as `token` (a sysadmin) and returns its JSON.
export async function makeOrg(srv, token, slug, title) {
  const r = await call(srv, 'POST', '/api/v1/organizations', { token, body: { slug, title_vi: title } });
  if (r.status !== 201) throw new Error(`org create failed: ${r.status} ${r.text}`);
  return r.json;
}

// A multipart form as the upload routes take it: `fields`, then the file as part `upload`.
export function fileForm(bytes, filename, fields = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('upload', new Blob([typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes]), filename);
  return fd;
}

// Polls the datastore status of resource `rid` until its newest load has ended (done or failed)
// and `check(status)` holds; returns that status. `check` may throw to stop early.
export async function loadEnded(srv, rid, token, check, { tries = 600, ms = 25 } = {}) {
  let last;
  for (let i = 0; i < tries; i++) {
    const r = await call(srv, 'GET', `/api/v1/resources/${rid}/datastore`, { token });
    last = r.json;
    if (r.json.job && ['done', 'failed'].includes(r.json.job.state) && check(r.json)) return r.json;
    await new Promise((res) => setTimeout(res, ms));
  }
  throw new Error(`table of ${rid} never reached the expected state: ${JSON.stringify(last).slice(0, 2000)}`);
}

// Consumer systems (issue 17): registration by an organization's admin, approval by the
// provincial data unit (sysadmins), API keys and OAuth 2.0 client credentials, and revocation —
// on the real server, and on two servers sharing one PostgreSQL database (ODP_TEST_PG).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PG_BASE, startServer, call, addUser, makeOrg, odp } from './harness.mjs';

const ORG = 'so-thong-tin-truyen-thong';
const REGISTRATION = {
  organization: ORG,
  agency_code: '000.00.12.H41',
  system_code: 'mot-cua',
  name: 'Hệ thống thông tin giải quyết thủ tục hành chính',
  description: 'Tra cứu dữ liệu dùng chung cho hồ sơ một cửa.',
  contacts: [{ name: 'Trần Thị Lan', email: 'lan@stttt.gov.vn', role: 'lãnh đạo' }],
  technical_contact: { name: 'Nguyễn Văn An', email: 'an@stttt.gov.vn', phone: '0912 345 678' },
};

const withKey = (key) => ({ headers: { 'X-API-Key': key } });
const withBearer = (t) => ({ headers: { Authorization: `Bearer ${t}` } });

async function tokenRequest(srv, form, headers = {}) {
  return call(srv, 'POST', '/oauth/token', {
    body: new URLSearchParams(form).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  });
}

// Calls `fn` until it gives something truthy (the audit log is written in batches).
async function poll(fn, { tries = 200, ms = 25 } = {}) {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, ms));
  }
  return null;
}

const basic = (id, secret) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

// Sets up a sysadmin, an organization with an admin and an editor; returns their tokens.
async function people(srv, dir = srv.dir) {
  const root = addUser({ dir }, 'donvidulieu', { sysadmin: true });
  await makeOrg(srv, root, ORG, 'Sở Thông tin và Truyền thông');
  const admin = addUser({ dir }, 'quantri', { org: ORG, role: 'admin' });
  const editor = addUser({ dir }, 'bientap', { org: ORG, role: 'editor' });
  return { root, admin, editor };
}

describe('consumer systems on one server', () => {
  let srv, who, system;

  before(async () => {
    srv = await startServer();
    who = await people(srv);
  });
  after(async () => srv?.stop());

  test('an organization admin registers; editors and strangers may not; fields are checked', async () => {
    const byEditor = await call(srv, 'POST', '/api/v1/consumers', { token: who.editor, body: REGISTRATION });
    assert.equal(byEditor.status, 403, byEditor.text);
    const anonymous = await call(srv, 'POST', '/api/v1/consumers', { body: REGISTRATION });
    assert.ok([401, 403].includes(anonymous.status), anonymous.text);
    const bad = await call(srv, 'POST', '/api/v1/consumers', {
      token: who.admin, body: { ...REGISTRATION, agency_code: 'H41', system_code: 'Có dấu', technical_contact: { name: '', email: 'x' } },
    });
    assert.equal(bad.status, 400, bad.text);
    for (const f of ['agency_code', 'system_code', 'technical_name', 'technical_email']) {
      assert.ok(f in bad.json.error.details, `${f} is named: ${bad.text}`);
    }
    const made = await call(srv, 'POST', '/api/v1/consumers', {
      token: who.admin, body: { ...REGISTRATION, agency_code: '000.00.12.h41' },
    });
    assert.equal(made.status, 201, made.text);
    system = made.json;
    assert.equal(system.state, 'pending');
    assert.equal(system.agency_code, '000.00.12.H41');
    assert.equal(system.contacts[0].name, 'Trần Thị Lan');
    const again = await call(srv, 'POST', '/api/v1/consumers', { token: who.admin, body: REGISTRATION });
    assert.equal(again.status, 409, again.text);
    // The editor does not see it; the admin and the data unit do.
    assert.equal((await call(srv, 'GET', `/api/v1/consumers/${system.id}`, { token: who.editor })).status, 404);
    assert.equal((await call(srv, 'GET', `/api/v1/consumers/${system.id}`, { token: who.admin })).status, 200);
    const pending = await call(srv, 'GET', '/api/v1/consumers?state=pending', { token: who.root });
    assert.deepEqual(pending.json.consumers.map((c) => c.id), [system.id]);
  });

  test('only the data unit approves; no credentials before approval', async () => {
    const early = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin, body: { kind: 'api_key' } });
    assert.equal(early.status, 409, early.text);
    const self = await call(srv, 'POST', `/api/v1/consumers/${system.id}/approve`, { token: who.admin });
    assert.equal(self.status, 403, self.text);
    const ok = await call(srv, 'POST', `/api/v1/consumers/${system.id}/approve`, { token: who.root });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.state, 'approved');
  });

  test('register → approve → key → call: the key authenticates the system, not a user', async () => {
    const issued = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
      token: who.admin, body: { kind: 'api_key', name: 'máy chủ chính', expires_in_days: 90 },
    });
    assert.equal(issued.status, 201, issued.text);
    assert.equal(issued.headers.get('cache-control'), 'no-store');
    const key = issued.json.api_key;
    assert.match(key, /^odpk_[A-Za-z0-9_-]{43}$/);
    // Listed without the secret.
    const list = await call(srv, 'GET', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin });
    assert.equal(list.json.credentials.length, 1);
    assert.ok(!list.text.includes(key), 'the key is never shown again');
    assert.equal(list.json.credentials[0].prefix, key.slice(0, 13));

    const me = await call(srv, 'GET', '/api/v1/consumers/me', withKey(key));
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.id, system.id);
    assert.equal(me.json.authenticated_by, 'api_key');
    // It is not a user: the user routes see no one, writes are refused.
    assert.equal((await call(srv, 'GET', '/api/v1/me', withKey(key))).status, 401);
    const write = await call(srv, 'POST', '/api/v1/datasets', { ...withKey(key), body: { title_vi: 'Không được', organization: ORG } });
    assert.ok([401, 403].includes(write.status), write.text);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers', withKey(key))).status, 403);
    // Public reads still work as for anyone, on REST and CKAN, and are not served from the
    // anonymous caches (the fast path answers only requests without credentials).
    assert.equal((await call(srv, 'GET', '/api/v1/datasets', withKey(key))).status, 200);
    assert.equal((await call(srv, 'GET', '/api/3/action/package_search', withKey(key))).status, 200);
    const ckanWrite = await call(srv, 'POST', '/api/3/action/organization_create', { ...withKey(key), body: { name: 'khong-duoc' } });
    assert.equal(ckanWrite.status, 403, ckanWrite.text);
    assert.equal((await call(srv, 'GET', '/api/3/action/package_search', withKey('odpk_sai'))).status, 403);

    // Hostile keys.
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withKey(key + 'x'))).status, 401);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withKey('odpk_' + 'A'.repeat(4000)))).status, 401);
    assert.equal((await call(srv, 'GET', '/api/v1/datasets', withKey('sai'))).status, 401);
    const both = await call(srv, 'GET', '/api/v1/consumers/me', { headers: { 'X-API-Key': key, Authorization: `Bearer ${who.admin}` } });
    assert.equal(both.status, 401, both.text);
  });

  test('rotation: two keys live at once, never three; the revoked one stops at once', async () => {
    const list = await call(srv, 'GET', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin });
    const first = list.json.credentials[0];
    const second = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin, body: { kind: 'api_key' } });
    assert.equal(second.status, 201, second.text);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withKey(second.json.api_key))).status, 200);
    const third = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin, body: { kind: 'api_key' } });
    assert.equal(third.status, 409, third.text);
    const del = await call(srv, 'DELETE', `/api/v1/consumers/${system.id}/credentials/${first.id}`, { token: who.admin });
    assert.equal(del.status, 204, del.text);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withKey(second.json.api_key))).status, 200);
    const after = await call(srv, 'GET', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin });
    assert.deepEqual(after.json.credentials.map((c) => c.state).sort(), ['live', 'revoked']);
  });

  test('OAuth 2.0 client credentials: Basic or post, RFC 6749 errors, an Ed25519 JWT that the JWKS verifies', async () => {
    const client = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
      token: who.admin, body: { kind: 'oauth_client', name: 'ERP' },
    });
    assert.equal(client.status, 201, client.text);
    const { client_id: id, client_secret: secret } = client.json;
    assert.match(id, /^odpc_/);

    const viaBasic = await tokenRequest(srv, { grant_type: 'client_credentials' }, { Authorization: basic(id, secret) });
    assert.equal(viaBasic.status, 200, viaBasic.text);
    assert.equal(viaBasic.json.token_type, 'Bearer');
    assert.equal(viaBasic.json.expires_in, 300);
    assert.equal(viaBasic.headers.get('cache-control'), 'no-store');
    const viaPost = await tokenRequest(srv, { grant_type: 'client_credentials', client_id: id, client_secret: secret });
    assert.equal(viaPost.status, 200, viaPost.text);

    const token = viaBasic.json.access_token;
    const me = await call(srv, 'GET', '/api/v1/consumers/me', withBearer(token));
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.authenticated_by, 'access_token');
    assert.equal(me.json.id, system.id);

    // The JWKS verifies the token independently (Node's own Ed25519).
    const [h, p, s] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url'));
    assert.deepEqual(header, { alg: 'EdDSA', kid: header.kid, typ: 'at+jwt' });
    const jwks = await call(srv, 'GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    const jwk = jwks.json.keys.find((k) => k.kid === header.kid);
    assert.ok(jwk, 'the signing key is published');
    assert.ok(!('d' in jwk), 'never the private half');
    const pub = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    assert.ok(crypto.verify(null, Buffer.from(`${h}.${p}`), pub, Buffer.from(s, 'base64url')));
    const claims = JSON.parse(Buffer.from(p, 'base64url'));
    assert.equal(claims.sub, system.id);
    assert.equal(claims.client_id, id);
    assert.equal(claims.exp - claims.iat, 300);
    assert.equal(claims.aud, claims.iss, 'the audience is the portal (its public base URL)');

    // Errors.
    const wrong = await tokenRequest(srv, { grant_type: 'client_credentials' }, { Authorization: basic(id, secret + 'x') });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate'), /^Basic/);
    const unknown = await tokenRequest(srv, { grant_type: 'client_credentials', client_id: 'odpc_khong', client_secret: secret });
    assert.equal(unknown.json.error, 'invalid_client');
    const twice = await tokenRequest(srv, { grant_type: 'client_credentials', client_id: id, client_secret: secret }, { Authorization: basic(id, secret) });
    assert.equal(twice.status, 400);
    assert.equal(twice.json.error, 'invalid_request');
    const grant = await tokenRequest(srv, { grant_type: 'password', client_id: id, client_secret: secret });
    assert.equal(grant.json.error, 'unsupported_grant_type');
    const json = await call(srv, 'POST', '/oauth/token', { body: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });
    assert.equal(json.status, 400);
    assert.equal(json.json.error, 'invalid_request');

    // Tampered, re-signed with nothing, oversized, alg "none".
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'khac' })).toString('base64url')}.${s}`;
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(tampered))).status, 401);
    const none = `${Buffer.from('{"alg":"none","typ":"at+jwt","kid":"' + header.kid + '"}').toString('base64url')}.${p}.`;
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(none))).status, 401);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(`${h}.${'A'.repeat(5000)}.${s}`))).status, 401);
  });

  test('the data unit rotates the signing key; tokens of the old key keep working until they expire', async () => {
    const client = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
      token: who.admin, body: { kind: 'oauth_client', name: 'ERP 2' },
    });
    assert.equal(client.status, 201, client.text);
    const auth = { Authorization: basic(client.json.client_id, client.json.client_secret) };
    const kidOf = (t) => JSON.parse(Buffer.from(t.split('.')[0], 'base64url')).kid;
    const old = (await tokenRequest(srv, { grant_type: 'client_credentials' }, auth)).json.access_token;

    assert.equal((await call(srv, 'POST', '/api/v1/oauth/signing-keys', { token: who.admin })).status, 403);
    const before = await call(srv, 'GET', '/.well-known/jwks.json');
    const rotated = await call(srv, 'POST', '/api/v1/oauth/signing-keys', { token: who.root });
    assert.equal(rotated.status, 201, rotated.text);
    assert.ok(!('secret_key' in rotated.json) && !rotated.text.includes('"d"'), 'no private half');
    const after = await call(srv, 'GET', '/.well-known/jwks.json');
    assert.equal(after.json.keys.length, before.json.keys.length + 1);
    assert.ok(after.json.keys.some((k) => k.kid === rotated.json.kid));

    // New tokens carry the new kid; the old token still works (its key is still published).
    const fresh = (await tokenRequest(srv, { grant_type: 'client_credentials' }, auth)).json.access_token;
    assert.equal(kidOf(fresh), rotated.json.kid);
    assert.notEqual(kidOf(old), rotated.json.kid);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(old))).status, 200);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(fresh))).status, 200);
    const keys = await call(srv, 'GET', '/api/v1/oauth/signing-keys', { token: who.root });
    assert.equal(keys.json.keys[0].kid, rotated.json.kid, 'newest first');
    assert.ok(keys.json.keys.every((k) => k.retired === null), 'nothing retired within a token lifetime');
  });

  test('a leaked signing key is retired at once: its tokens are refused, a fresh key signs', async () => {
    const client = await call(srv, 'GET', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin });
    const live = client.json.credentials.filter((c) => c.kind === 'oauth_client' && c.state === 'live');
    assert.ok(live.length > 0, client.text);
    // A client of its own, in the slot the rotation test left (the first client is revoked here).
    assert.equal((await call(srv, 'DELETE', `/api/v1/consumers/${system.id}/credentials/${live[0].id}`, { token: who.admin })).status, 204);
    const made = await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, {
      token: who.admin, body: { kind: 'oauth_client', name: 'ERP 3' },
    });
    assert.equal(made.status, 201, made.text);
    const auth = { Authorization: basic(made.json.client_id, made.json.client_secret) };
    const kidOf = (t) => JSON.parse(Buffer.from(t.split('.')[0], 'base64url')).kid;
    const leaked = (await tokenRequest(srv, { grant_type: 'client_credentials' }, auth)).json.access_token;
    const kid = kidOf(leaked);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(leaked))).status, 200);

    const retire = (k, token) => call(srv, 'POST', `/api/v1/oauth/signing-keys/${encodeURIComponent(k)}/retire`, { token });
    assert.equal((await retire(kid, who.admin)).status, 403);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(leaked))).status, 200);
    const retired = await retire(kid, who.root);
    assert.equal(retired.status, 200, retired.text);
    assert.equal(retired.json.retired, kid);
    assert.notEqual(retired.json.signing_key.kid, kid);
    assert.ok(!retired.text.includes('secret'), 'no private half');

    // At once: the token is refused, the key is gone from the JWKS and listed as retired.
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(leaked))).status, 401);
    const jwks = await call(srv, 'GET', '/.well-known/jwks.json');
    assert.ok(!jwks.json.keys.some((k) => k.kid === kid), jwks.text);
    assert.ok(jwks.json.keys.some((k) => k.kid === retired.json.signing_key.kid), jwks.text);
    const keys = await call(srv, 'GET', '/api/v1/oauth/signing-keys', { token: who.root });
    assert.ok(keys.json.keys.find((k) => k.kid === kid).retired, keys.text);
    assert.equal(keys.json.keys[0].kid, retired.json.signing_key.kid, 'the fresh key is the newest');

    // A new token is signed by the fresh key and works.
    const fresh = (await tokenRequest(srv, { grant_type: 'client_credentials' }, auth)).json.access_token;
    assert.equal(kidOf(fresh), retired.json.signing_key.kid);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withBearer(fresh))).status, 200);
    // Retiring it again, or a kid that never was: 404.
    assert.equal((await retire(kid, who.root)).status, 404);
    assert.equal((await retire('khong-co', who.root)).status, 404);

    // In the audit log, with the key that replaced it.
    const event = await poll(async () => {
      const e = await call(srv, 'GET', '/api/v1/audit/events?kind=consumer.signing_key_retired', { token: who.root });
      return e.json.events.find((x) => x.kind === 'consumer.signing_key_retired' && x.subject === kid);
    });
    assert.ok(event, 'consumer.signing_key_retired logged');
  });

  test('refusal needs a reason; revoking the system stops every credential', async () => {
    const other = await call(srv, 'POST', '/api/v1/consumers', { token: who.admin, body: { ...REGISTRATION, system_code: 'bao-cao' } });
    assert.equal(other.status, 201, other.text);
    assert.equal((await call(srv, 'POST', `/api/v1/consumers/${other.json.id}/refuse`, { token: who.root, body: {} })).status, 400);
    const refused = await call(srv, 'POST', `/api/v1/consumers/${other.json.id}/refuse`, { token: who.root, body: { reason: 'Chưa có văn bản đề nghị' } });
    assert.equal(refused.status, 200, refused.text);
    assert.equal(refused.json.state, 'refused');
    assert.equal(refused.json.reason, 'Chưa có văn bản đề nghị');

    const key = (await call(srv, 'POST', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin, body: { kind: 'api_key' } })).json.api_key;
    assert.ok(key, 'a slot was free after the rotation test');
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withKey(key))).status, 200);
    const revoked = await call(srv, 'POST', `/api/v1/consumers/${system.id}/revoke`, { token: who.admin, body: { reason: 'Ngừng vận hành' } });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal((await call(srv, 'GET', '/api/v1/consumers/me', withKey(key))).status, 401);
    const creds = await call(srv, 'GET', `/api/v1/consumers/${system.id}/credentials`, { token: who.admin });
    assert.ok(creds.json.credentials.every((c) => c.state === 'revoked'), creds.text);
  });
});

const skip = PG_BASE ? false : 'needs PostgreSQL: run with ODP_TEST_PG';

test('revocation on one server takes effect on another sharing the PostgreSQL database within a second', { skip }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-consumers-'));
  assert.equal(odp(['init', '--data', dir]).status, 0);
  const a = await startServer({ shared: dir });
  const b = await startServer({ shared: dir });
  try {
    const who = await people(a, dir);
    const made = await call(a, 'POST', '/api/v1/consumers', { token: who.admin, body: REGISTRATION });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    assert.equal((await call(b, 'POST', `/api/v1/consumers/${id}/approve`, { token: who.root })).status, 200);
    const key = await call(a, 'POST', `/api/v1/consumers/${id}/credentials`, { token: who.admin, body: { kind: 'api_key' } });
    const client = await call(a, 'POST', `/api/v1/consumers/${id}/credentials`, { token: who.admin, body: { kind: 'oauth_client' } });
    assert.equal(key.status, 201, key.text);
    assert.equal(client.status, 201, client.text);
    // A token from server a is good on server b (one issuer, one key set in the database).
    const tok = await tokenRequest(a, { grant_type: 'client_credentials' }, { Authorization: basic(client.json.client_id, client.json.client_secret) });
    assert.equal(tok.status, 200, tok.text);
    const token = tok.json.access_token;
    assert.equal((await call(b, 'GET', '/api/v1/consumers/me', withKey(key.json.api_key))).status, 200);
    assert.equal((await call(b, 'GET', '/api/v1/consumers/me', withBearer(token))).status, 200);

    // How long after the revocation on `a` server `b` still answers 200 (ms).
    async function refusedWithin(fn) {
      const t0 = Date.now();
      for (;;) {
        const r = await fn();
        if (r.status === 401) return Date.now() - t0;
        assert.equal(r.status, 200, r.text);
        if (Date.now() - t0 > 5000) return Infinity;
        await new Promise((res) => setTimeout(res, 20));
      }
    }
    const delKey = await call(a, 'DELETE', `/api/v1/consumers/${id}/credentials/${key.json.id}`, { token: who.admin });
    assert.equal(delKey.status, 204);
    const keyLag = await refusedWithin(() => call(b, 'GET', '/api/v1/consumers/me', withKey(key.json.api_key)));
    assert.ok(keyLag < 1000, `the key was refused on b after ${keyLag} ms`);

    // A signing key retired on `a` is refused on `b` within a second; `b`, whose cache still
    // names the retired key as the newest, signs its next token with the fresh one.
    const kid = JSON.parse(Buffer.from(token.split('.')[0], 'base64url')).kid;
    const retired = await call(a, 'POST', `/api/v1/oauth/signing-keys/${kid}/retire`, { token: who.root });
    assert.equal(retired.status, 200, retired.text);
    const retireLag = await refusedWithin(() => call(b, 'GET', '/api/v1/consumers/me', withBearer(token)));
    assert.ok(retireLag < 1000, `the retired key's token was refused on b after ${retireLag} ms`);
    const tok2 = await tokenRequest(b, { grant_type: 'client_credentials' }, { Authorization: basic(client.json.client_id, client.json.client_secret) });
    assert.equal(tok2.status, 200, tok2.text);
    assert.equal(JSON.parse(Buffer.from(tok2.json.access_token.split('.')[0], 'base64url')).kid, retired.json.signing_key.kid);
    assert.equal((await call(a, 'GET', '/api/v1/consumers/me', withBearer(tok2.json.access_token))).status, 200);
    const token2 = tok2.json.access_token;

    const delClient = await call(a, 'DELETE', `/api/v1/consumers/${id}/credentials/${client.json.id}`, { token: who.admin });
    assert.equal(delClient.status, 204);
    const tokenLag = await refusedWithin(() => call(b, 'GET', '/api/v1/consumers/me', withBearer(token2)));
    assert.ok(tokenLag < 1000, `the client's token was refused on b after ${tokenLag} ms`);

    // A whole system: a fresh key, revoked through the system on b, refused on a.
    const key2 = await call(a, 'POST', `/api/v1/consumers/${id}/credentials`, { token: who.admin, body: { kind: 'api_key' } });
    assert.equal((await call(a, 'GET', '/api/v1/consumers/me', withKey(key2.json.api_key))).status, 200);
    assert.equal((await call(b, 'POST', `/api/v1/consumers/${id}/revoke`, { token: who.root, body: { reason: 'Sự cố an ninh' } })).status, 200);
    const systemLag = await refusedWithin(() => call(a, 'GET', '/api/v1/consumers/me', withKey(key2.json.api_key)));
    assert.ok(systemLag < 1000, `the system's key was refused on a after ${systemLag} ms`);
    console.log(`revocation lag across servers: key ${keyLag} ms, token ${tokenLag} ms, system ${systemLag} ms, signing key ${retireLag} ms`);
  } finally {
    await a.stop();
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

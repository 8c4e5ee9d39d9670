// The HTTP authorization matrix (security issue 14, "Keep them closed"): every route the
// server registers × caller kind × access tier × dataset state, in the manner of
// src/access/policy_test.cpp but over HTTP.
//
// The route list comes from the server itself (`odp routes`): a route without an entry in
// ROUTES below fails, and so does an entry whose route no longer exists. Each entry says how
// to exercise the route (which placeholders, which body) and, as a function of the caller and
// the target, what the caller may get:
//   'ok'     allowed: anything but 401/403/404 or a redirect to the login page (a validation
//            error is fine: writes send bodies that fail validation after authorization);
//   'state'  the caller has the right but the dataset's state forbids the action: a 4xx that
//            is not 401/404;
//   'deny'   refused: 401/403 (or a redirect to the login page for anonymous page visitors)
//            when the caller may see the target (or 409 when the state forbids the action to
//            everyone: the workflow says "wrong state" before "wrong role"), else exactly the
//            answer to a missing object (status, body and Location, the identifiers sent apart).
// Allowed cells of destructive routes (deletions, state changes that would succeed) run once
// per caller, on a target made for the purpose; the others are not sent.
// In every answer, nothing of a dataset the caller may not read appears (title, slug, ids),
// apart from the values the request itself sent.
//
// Refusals must come before validation and state checks: ORDERING at the end.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ODP_BIN, startServer, call, addUser, makeOrg } from './harness.mjs';

const CALLERS = ['anonymous', 'registered', 'editorB', 'editorA', 'adminA', 'sysadmin'];
const TIERS = ['public', 'registered', 'shared', 'internal'];
const STATES = ['draft', 'pending', 'published', 'rejected', 'withdrawn', 'deleted'];
const CONCURRENCY = 8;

// ---- The policy (src/access/policy.h), restated for the callers of this test -------------

const inA = (c) => c === 'editorA' || c === 'adminA';
const editsA = (c) => inA(c) || c === 'sysadmin';
const adminsA = (c) => c === 'adminA' || c === 'sysadmin';
const loggedIn = (c) => c !== 'anonymous';

function canRead(c, t) {
  if (c === 'sysadmin') return true;
  if (t.state === 'deleted') return false;
  if (t.state !== 'published') return inA(c);
  if (t.tier === 'public') return true;
  if (t.tier === 'registered') return loggedIn(c);
  return inA(c);  // shared, internal: members of the owner (no grants yet)
}

// Reads of the dataset (or of its resources, tables, files).
const read = (c, t) => (canRead(c, t) ? 'ok' : 'deny');
// A write allowed to `roles` in `states`; a caller who may not read the target is refused as
// if it did not exist.
const write = (roles, states = STATES.filter((s) => s !== 'deleted')) => (c, t) => {
  if (!canRead(c, t) || !roles(c)) return 'deny';
  return states.includes(t.state) ? 'ok' : 'state';
};
const edit = write(editsA);
const deleteRule = (c, t) => {
  if (!canRead(c, t)) return 'deny';
  if (['draft', 'rejected'].includes(t.state)) return editsA(c) ? 'ok' : 'deny';
  if (t.state === 'deleted') return editsA(c) ? 'state' : 'deny';
  return adminsA(c) ? 'ok' : 'deny';
};
const submit = write(editsA, ['draft', 'rejected', 'withdrawn']);
const publish = write(adminsA, ['pending', 'draft', 'withdrawn']);
const reject = write(adminsA, ['pending']);
const withdraw = write(adminsA, ['published']);
const decideChange = write(adminsA, []);
const everyone = () => 'ok';
const members = (c) => (loggedIn(c) ? 'ok' : 'deny');
const sysadmins = (c) => (c === 'sysadmin' ? 'ok' : 'deny');
const orgAdmins = (c) => (adminsA(c) ? 'ok' : 'deny');
const orgEditors = (c) => (editsA(c) ? 'ok' : 'deny');
// Consumer systems of A: unknown to everyone but A's admins and the sysadmins.
const consumerHidden = (c) => !adminsA(c);
// Staff of an agency (a member of any organization) and sysadmins: the sharing catalogue.
const staff = (c) => (['editorB', 'editorA', 'adminA', 'sysadmin'].includes(c) ? 'ok' : 'deny');
const noService = (r) => r.status === 404 && /Không tìm thấy dịch vụ chia sẻ|shared service not found/.test(r.text);
const noRequest = (r) => r.status === 404 && /Không tìm thấy yêu cầu chia sẻ|sharing request not found/.test(r.text);
// Pages answer a missing (or hidden) object with the HTML 404 page, which names nothing.
const pageMissing = (r) => r.status === 404 && /<!doctype html>/i.test(r.text);
const publicTable = () => datasets.find((d) => d.tier === 'public' && d.state === 'published').rid;

// ---- The routes -----------------------------------------------------------------------------
//
// scope: what the placeholders name — 'dataset' (each dataset of A, and a missing one),
// 'resource' (the resource of each dataset), 'org' (organization A), 'group', 'user', 'token',
// 'consumer' (a pending consumer system of A), 'none'. `fill(t)` gives the placeholder values,
// `query(t)` a query string, `body(t)` the body.
// `destructive`: see above. `page`: registered under /en too. `okStatus`/`okWhen(r)`: answers
// that count as allowed although 401/403/404 (a wrong password, "no earlier version").
// `hidden(c)`: for targets other than datasets, whether the caller may not know it exists.
// `formCookie`: send the login form's cookie and token. `concurrency`: at most this many at once.

const BAD_JSON = { raw: '{', type: 'application/json' };
const BAD_LICENSE = { license_id: 'khong-co-giay-phep' };
const REASON = { reason: 'Kiểm thử phân quyền' };
const emptyForm = () => new URLSearchParams({ title_vi: '' });

const ROUTES = {
  // System
  'GET /healthz': { scope: 'none', rule: everyone },
  'GET /readyz': { scope: 'none', rule: everyone },
  // /metrics answers sysadmins (or a configured token or address); everyone else gets 404.
  'GET /metrics': { scope: 'none', rule: sysadmins, deniedAs404: true },
  'GET /dataset/{id}/resource/{rid}/download/{filename}': {
    scope: 'resource', fill: (t) => ({ id: t.id, rid: t.rid, filename: 'bang.csv' }), rule: read,
  },
  'GET /static/{file}': { scope: 'none', fill: () => ({ file: staticFile }), rule: everyone },
  'GET /theme.css': { scope: 'none', rule: everyone },
  'GET /favicon.ico': { scope: 'none', rule: everyone },

  // REST v1: datasets
  // Lists ask for everything they can give (unpublished too): what the caller may not read must
  // stay out.
  'GET /api/v1/datasets': { scope: 'none', query: () => 'limit=1000&include_unpublished=true', rule: everyone },
  // A slug in use: refused with 409 after the permission check, so nothing is created.
  'POST /api/v1/datasets': {
    scope: 'none', body: () => ({ title_vi: 'Trùng', slug: datasets[0].slug, organization: 'co-quan-a' }),
    rule: orgEditors,
  },
  'GET /api/v1/datasets/{id}': { scope: 'dataset', rule: read },
  'GET /api/v1/stats/datasets/{id}': { scope: 'dataset', rule: read },
  'PATCH /api/v1/datasets/{id}': { scope: 'dataset', body: () => BAD_LICENSE, rule: edit },
  'DELETE /api/v1/datasets/{id}': { scope: 'dataset', rule: deleteRule, destructive: true },
  'POST /api/v1/datasets/{id}/submit': { scope: 'dataset', body: () => ({}), rule: submit, destructive: true },
  'POST /api/v1/datasets/{id}/publish': { scope: 'dataset', body: () => ({}), rule: publish, destructive: true },
  // Rejections and withdrawals check the reason before anything else (a missing dataset answers
  // 400 too, so nothing leaks): send one, so that the permission is what decides.
  'POST /api/v1/datasets/{id}/reject': { scope: 'dataset', body: () => REASON, rule: reject, destructive: true },
  'POST /api/v1/datasets/{id}/withdraw': { scope: 'dataset', body: () => REASON, rule: withdraw, destructive: true },
  // No dataset here has a change waiting for review: reviewers get 409, others are refused.
  'POST /api/v1/datasets/{id}/approve-change': { scope: 'dataset', body: () => ({}), rule: decideChange },
  'POST /api/v1/datasets/{id}/reject-change': { scope: 'dataset', body: () => REASON, rule: decideChange },
  'GET /api/v1/datasets/{id}/history': { scope: 'dataset', rule: read },
  'GET /api/v1/datasets/{id}/resources': { scope: 'dataset', rule: read },
  'POST /api/v1/datasets/{id}/resources': { scope: 'dataset', body: () => BAD_JSON, rule: edit },

  // REST v1: resources and their tables
  'GET /api/v1/resources/{id}': { scope: 'resource', rule: read },
  'PATCH /api/v1/resources/{id}': { scope: 'resource', body: () => BAD_JSON, rule: edit },
  'PUT /api/v1/resources/{id}/file': { scope: 'resource', body: () => BAD_JSON, rule: edit },
  'DELETE /api/v1/resources/{id}': { scope: 'resource', rule: edit, destructive: true },
  'GET /api/v1/resources/{id}/versions': { scope: 'resource', rule: read },
  'GET /api/v1/resources/{id}/download': { scope: 'resource', rule: read },
  'GET /api/v1/resources/{id}/datastore': { scope: 'resource', rule: read },
  'GET /api/v1/resources/{id}/rows': { scope: 'resource', query: () => 'limit=2', rule: read },
  'GET /api/v1/resources/{id}/aggregate': { scope: 'resource', query: () => 'group_by=ten&count=true', rule: read },
  'GET /api/v1/resources/{id}/export': { scope: 'resource', query: () => 'format=csv', rule: read },
  'PUT /api/v1/resources/{id}/datastore/schema': { scope: 'resource', body: () => BAD_JSON, rule: edit },
  // Each table has one version and no load is running: "not found" answers that say so.
  'GET /api/v1/resources/{id}/datastore/diff': {
    scope: 'resource', rule: read, okWhen: (r) => r.status === 404 && /earlier version of the table/.test(r.text),
  },
  'POST /api/v1/resources/{id}/datastore/cancel': {
    scope: 'resource', body: () => ({}), rule: edit, okWhen: (r) => r.status === 404 && /datastore load of resource/.test(r.text),
  },
  // Reviews of personal data: whoever may publish the dataset, in any state.
  'POST /api/v1/resources/{id}/datastore/personal-data': {
    scope: 'resource', body: () => BAD_JSON, rule: write(adminsA),
  },
  'GET /datastore/dump/{id}': { scope: 'resource', rule: read },

  // REST v1: organizations
  'GET /api/v1/organizations': { scope: 'none', rule: everyone },
  'GET /api/v1/stats': { scope: 'none', rule: everyone },
  'POST /api/v1/organizations': { scope: 'none', body: () => ({ slug: '', title_vi: '' }), rule: sysadmins },
  'GET /api/v1/organizations/{id}': { scope: 'org', rule: everyone },
  'PATCH /api/v1/organizations/{id}': { scope: 'org', body: () => ({ title_vi: '' }), rule: orgAdmins },
  'GET /api/v1/organizations/{id}/members': { scope: 'org', rule: orgAdmins },
  'PUT /api/v1/organizations/{id}/members/{user}': {
    scope: 'org', fill: (t) => ({ id: t.org, user: 'bien-tap-a' }), body: () => ({ role: 'vua' }), rule: orgAdmins,
  },
  'DELETE /api/v1/organizations/{id}/members/{user}': {
    scope: 'org', fill: (t) => ({ id: t.org, user: t.user || 'nguoi-thu' }), rule: orgAdmins, destructive: true,
  },

  // REST v1: taxonomies and licences
  'GET /api/v1/sectors': { scope: 'none', rule: everyone },
  'POST /api/v1/sectors': { scope: 'none', body: () => ({ slug: '' }), rule: sysadmins },
  'GET /api/v1/sectors/{id}': { scope: 'group', rule: everyone },
  'PATCH /api/v1/sectors/{id}': { scope: 'group', body: () => ({ title_vi: '' }), rule: sysadmins },
  'GET /api/v1/topics': { scope: 'none', rule: everyone },
  'POST /api/v1/topics': { scope: 'none', body: () => ({ slug: '' }), rule: sysadmins },
  'GET /api/v1/topics/{id}': { scope: 'group', fill: (t) => ({ id: t.topic }), rule: everyone },
  'PATCH /api/v1/topics/{id}': { scope: 'group', fill: (t) => ({ id: t.topic }), body: () => ({ title_vi: '' }), rule: sysadmins },
  'GET /api/v1/licenses': { scope: 'none', rule: everyone },
  'PUT /api/v1/licenses/{id}': { scope: 'none', fill: () => ({ id: 'cc-by-4.0' }), body: () => ({ title_vi: '' }), rule: sysadmins },

  // REST v1: accounts
  'POST /api/v1/auth/register': { scope: 'none', body: () => ({ username: '' }), rule: everyone },
  // A wrong password is 401 by design: the route itself is open to everyone.
  'POST /api/v1/auth/login': {
    scope: 'none', body: () => ({ username: 'khong-ai', password: 'sai' }), rule: everyone, okStatus: [401],
  },
  'POST /api/v1/auth/logout': { scope: 'none', body: () => ({}), rule: everyone },
  'GET /api/v1/me': { scope: 'none', rule: members },
  'GET /api/v1/me/tokens': { scope: 'none', rule: members },
  'POST /api/v1/me/tokens': { scope: 'none', body: () => BAD_JSON, rule: members },
  // Someone else's token (editor A's spare one): only its owner may revoke it.
  'DELETE /api/v1/me/tokens/{id}': {
    scope: 'token', rule: (c) => (c === 'editorA' ? 'ok' : 'deny'), destructive: true, hidden: (c) => c !== 'editorA',
  },
  'GET /api/v1/openapi.json': { scope: 'none', rule: everyone },
  // Usage records and the audit log (api/audit_api.h): an organization's calls for its members,
  // every call and the log for sysadmins, the anonymised daily totals and checkpoints for all.
  'GET /api/v1/usage/calls': { scope: 'none', query: () => 'organization=co-quan-a', rule: (c) => (editsA(c) ? 'ok' : 'deny') },
  'GET /api/v1/usage/daily': { scope: 'none', query: () => 'organization=co-quan-a', rule: (c) => (editsA(c) ? 'ok' : 'deny') },
  'GET /api/v1/usage/daily.csv': { scope: 'none', rule: everyone },
  'GET /api/v1/audit/events': { scope: 'none', rule: sysadmins },
  'GET /api/v1/audit/verify': { scope: 'none', rule: sysadmins },
  'GET /api/v1/audit/checkpoints': { scope: 'none', rule: everyone },
  'POST /api/v1/audit/checkpoints': { scope: 'none', body: () => ({}), rule: sysadmins },
  // The jobs layer: sysadmins only; a run that does not exist is their only allowed answer here.
  'GET /api/v1/jobs': { scope: 'none', rule: sysadmins },
  'GET /api/v1/site': { scope: 'none', rule: everyone },
  'PATCH /api/v1/site': { scope: 'none', body: () => ({ title_vi: '' }), rule: sysadmins },
  'GET /site/logo/{file}': {
    scope: 'none', fill: () => ({ file: `${'0'.repeat(64)}.png` }), rule: everyone, okWhen: (r) => r.status === 404,
  },
  'GET /api/v1/jobs/{id}': {
    scope: 'none', fill: () => ({ id: 'khong-co-viec' }), rule: sysadmins, okWhen: (r) => r.status === 404 && /job/.test(r.text),
  },
  'POST /api/v1/jobs/{id}/retry': {
    scope: 'none', fill: () => ({ id: 'khong-co-viec' }), body: () => ({}), rule: sysadmins,
    okWhen: (r) => r.status === 404 && /job/.test(r.text),
  },
  'POST /api/v1/jobs/{id}/cancel': {
    scope: 'none', fill: () => ({ id: 'khong-co-viec' }), body: () => ({}), rule: sysadmins,
    okWhen: (r) => r.status === 404 && /job/.test(r.text),
  },

  // Invitations (api/invitations_api.h): sysadmins only. The matrix's users have passwords: a
  // resend is 409 and a revocation 404 (no invitation) for sysadmins, and an empty invitation 400.
  'GET /api/v1/invitations': { scope: 'none', rule: sysadmins },
  'POST /api/v1/invitations': { scope: 'none', body: () => ({ username: '' }), rule: sysadmins },
  'POST /api/v1/invitations/{user}/resend': { scope: 'user', body: () => ({}), rule: sysadmins },
  'DELETE /api/v1/invitations/{user}': {
    scope: 'user', rule: sysadmins, okWhen: (r) => r.status === 404 && /invitation/.test(r.text),
  },
  // Consumer systems (access/consumers.h): A's admins manage A's systems, sysadmins decide; a
  // system is 404 to anyone who may not manage it, as a missing one is. The target is a pending
  // system of A: credentials for it are 409 (not approved) to those allowed.
  'GET /api/v1/consumers': { scope: 'none', rule: members },
  'POST /api/v1/consumers': { scope: 'none', body: () => ({ organization: 'co-quan-a', agency_code: 'sai' }), rule: orgAdmins },
  // Only a consumer system's own key or token is answered; every user is 401.
  'GET /api/v1/consumers/me': { scope: 'none', rule: () => 'deny' },
  'GET /api/v1/consumers/{id}': { scope: 'consumer', rule: orgAdmins, hidden: consumerHidden },
  'POST /api/v1/consumers/{id}/approve': {
    scope: 'consumer', body: () => ({}), rule: sysadmins, hidden: consumerHidden, destructive: true,
  },
  // Without a reason: the data unit gets 400, after the permission check.
  'POST /api/v1/consumers/{id}/refuse': { scope: 'consumer', body: () => ({}), rule: sysadmins, hidden: consumerHidden },
  'POST /api/v1/consumers/{id}/revoke': {
    scope: 'consumer', body: () => REASON, rule: orgAdmins, hidden: consumerHidden, destructive: true,
  },
  'GET /api/v1/consumers/{id}/credentials': { scope: 'consumer', rule: orgAdmins, hidden: consumerHidden },
  'POST /api/v1/consumers/{id}/credentials': {
    scope: 'consumer', body: () => ({ kind: 'api_key' }), rule: orgAdmins, hidden: consumerHidden,
  },
  'DELETE /api/v1/consumers/{id}/credentials/{credential}': {
    scope: 'consumer', fill: (t) => ({ id: t.consumer, credential: 'khong-co' }), rule: orgAdmins, hidden: consumerHidden,
    okWhen: (r) => r.status === 404 && /live credential not found/.test(r.text),
  },
  // Inter-agency sharing (sharing/sharing.h): the catalogue is for staff of any agency; a
  // service or request that does not exist (or that the caller may not see) is 404 to everyone
  // allowed past the first check; the calendar's writes and the overdue board are sysadmins'.
  'GET /api/v1/sharing/services': { scope: 'none', rule: staff },
  // A public table of A: only A's admins may offer it (then the missing title is 400).
  'POST /api/v1/sharing/services': { scope: 'none', body: () => ({ resource_id: publicTable() }), rule: orgAdmins },
  'GET /api/v1/sharing/services/{id}': { scope: 'none', fill: () => ({ id: 'khong-co' }), rule: staff, okWhen: noService },
  'PUT /api/v1/sharing/services/{id}': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => ({}), rule: staff, okWhen: noService },
  'POST /api/v1/sharing/services/{id}/withdraw': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => ({}), rule: staff, okWhen: noService },
  'GET /api/v1/sharing/services/{id}/openapi.json': { scope: 'none', fill: () => ({ id: 'khong-co' }), rule: staff, okWhen: noService },
  'GET /api/v1/sharing/requests': { scope: 'none', rule: members },
  // Not multipart: staff get 400 (the letter is missing).
  'POST /api/v1/sharing/requests': { scope: 'none', body: () => ({}), rule: staff },
  'GET /api/v1/sharing/requests/{id}': { scope: 'none', fill: () => ({ id: 'khong-co' }), rule: everyone, okWhen: noRequest },
  'GET /api/v1/sharing/requests/{id}/letter': { scope: 'none', fill: () => ({ id: 'khong-co' }), rule: everyone, okWhen: noRequest },
  'POST /api/v1/sharing/requests/{id}/ask-info': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => ({ question: 'x' }), rule: everyone, okWhen: noRequest },
  'POST /api/v1/sharing/requests/{id}/answer': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => ({ answer: 'x' }), rule: everyone, okWhen: noRequest },
  'POST /api/v1/sharing/requests/{id}/approve': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => ({}), rule: everyone, okWhen: noRequest },
  'POST /api/v1/sharing/requests/{id}/refuse': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => REASON, rule: everyone, okWhen: noRequest },
  'POST /api/v1/sharing/requests/{id}/withdraw': { scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => ({}), rule: everyone, okWhen: noRequest },
  'GET /api/v1/sharing/overdue': { scope: 'none', rule: sysadmins },
  'GET /api/v1/sharing/calendar': { scope: 'none', rule: members },
  // An invalid kind: the data unit gets 400, after the permission check.
  'PUT /api/v1/sharing/calendar/{day}': { scope: 'none', fill: () => ({ day: '2026-05-04' }), body: () => ({ kind: 'sai' }), rule: sysadmins },
  'DELETE /api/v1/sharing/calendar/{day}': {
    scope: 'none', fill: () => ({ day: '2000-01-01' }), rule: sysadmins,
    okWhen: (r) => r.status === 404 && /calendar day not announced/.test(r.text),
  },
  'GET /api/v1/notifications': { scope: 'none', rule: members },
  'POST /api/v1/notifications/read': { scope: 'none', body: () => ({}), rule: members },
  // Grants (access/grants.h): A's admins grant A's tables and manage those grants (the target
  // grant is on an internal table of A, to a system of A: A's admins see it from both sides); a
  // grant is 404 to anyone else, as a missing one is. Bodies fail validation after the check.
  'GET /api/v1/grants': { scope: 'none', rule: members },
  'POST /api/v1/grants': {
    scope: 'resource', body: (t) => ({ resource_id: t.rid, consumer_id: 'khong-co' }), rule: write(adminsA),
  },
  'GET /api/v1/grants/{id}': { scope: 'grant', rule: orgAdmins, hidden: consumerHidden },
  'PATCH /api/v1/grants/{id}': {
    scope: 'grant', body: () => ({ requests_per_day: -1 }), rule: orgAdmins, hidden: consumerHidden,
  },
  'POST /api/v1/grants/{id}/suspend': { scope: 'grant', body: () => ({}), rule: orgAdmins, hidden: consumerHidden },
  // Active: resuming it is 409 for those allowed.
  'POST /api/v1/grants/{id}/resume': { scope: 'grant', body: () => ({}), rule: orgAdmins, hidden: consumerHidden },
  'POST /api/v1/grants/{id}/revoke': { scope: 'grant', body: () => ({}), rule: orgAdmins, hidden: consumerHidden },
  'GET /api/v1/oauth/signing-keys': { scope: 'none', rule: sysadmins },
  'POST /api/v1/oauth/signing-keys': { scope: 'none', body: () => ({}), rule: sysadmins },
  // A kid that does not exist: 404 naming the signing key for sysadmins, 403 for everyone else.
  'POST /api/v1/oauth/signing-keys/{kid}/retire': {
    scope: 'none', fill: () => ({ kid: 'khong-co' }), body: () => ({}), rule: sysadmins,
    okWhen: (r) => r.status === 404 && /signing key/.test(r.text),
  },
  // The token endpoint authenticates clients, not users: unknown clients are 401 invalid_client
  // (400 invalid_request for callers sending a user's token as a second client authentication).
  'POST /oauth/token': {
    scope: 'none', rule: everyone, okStatus: [401],
    body: () => ({ raw: 'grant_type=client_credentials&client_id=odpc_khong&client_secret=sai', type: 'application/x-www-form-urlencoded' }),
  },
  'GET /.well-known/jwks.json': { scope: 'none', rule: everyone },

  // CKAN: the routes take the action's name; every action has an entry under `action NAME`.
  '* /api/action/{name}': { actions: true },
  '* /api/3/action/{name}': { actions: true },

  // Pages (each also under /en)
  'GET /': { page: true, scope: 'none', rule: everyone },
  'GET /datasets': { page: true, scope: 'none', query: () => 'q=', rule: everyone },
  'GET /datasets/{slug}': { page: true, scope: 'dataset', rule: read },
  'GET /datasets/{slug}/resources/{id}': { page: true, scope: 'resource', rule: read },
  'GET /organizations': { page: true, scope: 'none', rule: everyone },
  'GET /organizations/{slug}': { page: true, scope: 'org', rule: everyone },
  'GET /sectors': { page: true, scope: 'none', rule: everyone },
  'GET /topics': { page: true, scope: 'none', rule: everyone },
  'GET /sectors/{slug}': { page: true, scope: 'group', rule: everyone },
  'GET /topics/{slug}': { page: true, scope: 'group', fill: (t) => ({ slug: t.topic }), rule: everyone },
  'GET /about': { page: true, scope: 'none', rule: everyone },
  'GET /dieu-khoan': { page: true, scope: 'none', rule: everyone },
  'GET /quyen-rieng-tu': { page: true, scope: 'none', rule: everyone },
  'GET /thong-ke': { page: true, scope: 'none', rule: everyone },
  'GET /statistics': { page: true, scope: 'none', rule: everyone },
  'GET /developers': { page: true, scope: 'none', rule: everyone },
  // Found on the web (issue 18): robots, the sitemap and the Atom feeds are the same for everyone.
  'GET /robots.txt': { scope: 'none', rule: everyone },
  'GET /sitemap.xml': { scope: 'none', rule: everyone },
  'GET /sitemap-{n}.xml': { scope: 'none', fill: () => ({ n: '1' }), rule: everyone },
  'GET /feed.atom': { page: true, scope: 'none', rule: everyone },
  'GET /organizations/{slug}/feed.atom': { page: true, scope: 'org', rule: everyone },
  'GET /sectors/{slug}/feed.atom': { page: true, scope: 'group', rule: everyone },
  'GET /topics/{slug}/feed.atom': { page: true, scope: 'group', fill: (t) => ({ slug: t.topic }), rule: everyone },
  // Following by e-mail acts for nobody: the same for every caller. Without an address the
  // request is 400; a link that does not exist is the same 410 page for everyone.
  'GET /theo-doi': { page: true, scope: 'org', query: (t) => `kind=organization&key=${t.org}`, rule: everyone },
  'POST /theo-doi': {
    page: true, scope: 'org', body: (t) => new URLSearchParams({ kind: 'organization', key: t.org, email: '' }), rule: everyone,
  },
  'GET /theo-doi/xac-nhan': { page: true, scope: 'none', query: () => 'token=khong-co', rule: everyone },
  'POST /theo-doi/xac-nhan': { page: true, scope: 'none', body: () => new URLSearchParams({ token: 'khong-co' }), rule: everyone },
  'GET /theo-doi/huy': { page: true, scope: 'none', query: () => 'token=khong-co', rule: everyone },
  'POST /theo-doi/huy': { page: true, scope: 'none', body: () => new URLSearchParams({ token: 'khong-co' }), rule: everyone },
  'GET /login': { page: true, scope: 'none', rule: everyone },
  // The forms need the form cookie and its token (else 403); a wrong password is 401.
  'POST /login': {
    page: true, scope: 'none', formCookie: true, body: () => new URLSearchParams({ login: 'khong-ai', password: 'sai' }),
    rule: everyone, okStatus: [401],
  },
  'GET /register': { page: true, scope: 'none', rule: everyone },
  'POST /register': { page: true, scope: 'none', formCookie: true, body: () => new URLSearchParams({ username: '' }), rule: everyone },
  'POST /logout': { page: true, scope: 'none', body: () => new URLSearchParams(), rule: everyone },
  'GET /quen-mat-khau': { page: true, scope: 'none', rule: everyone },
  // Without an e-mail the form answers 400 and nothing is queued.
  'POST /quen-mat-khau': {
    page: true, scope: 'none', formCookie: true, body: () => new URLSearchParams({ email: '' }), rule: everyone,
  },
  // A link that does not exist: the same 410 page for everyone.
  'GET /dat-mat-khau': { page: true, scope: 'none', rule: everyone },
  'POST /dat-mat-khau': {
    page: true, scope: 'none', formCookie: true, body: () => new URLSearchParams({ token: 'khong-co' }), rule: everyone,
  },
  // Sign-in with the public-service portal (OpenID Connect): not configured in this test, so
  // starting (or linking) answers 404 as if the page did not exist (signed-in callers of
  // /login/oidc are sent to their workspace), and a callback without the browser's state is 401
  // for everyone.
  'GET /login/oidc': { page: true, scope: 'none', rule: everyone, okStatus: [404] },
  'GET /login/oidc/callback': { page: true, scope: 'none', rule: everyone, okStatus: [401] },
  'POST /profile/oidc': { page: true, scope: 'none', body: () => new URLSearchParams(), rule: members, okStatus: [404] },
  // An identity the caller does not have: 404 once signed in.
  'POST /profile/oidc/unlink': {
    page: true, scope: 'none', body: () => new URLSearchParams({ issuer: 'https://idp.example', subject: 'x' }),
    rule: members, okStatus: [404],
  },
  'GET /profile': { page: true, scope: 'none', rule: members },
  'POST /profile/password': {
    page: true, scope: 'none', body: () => new URLSearchParams({ current: 'sai', password: 'x' }), rule: members,
  },
  'GET /tokens': { page: true, scope: 'none', rule: members },
  'POST /profile/privacy': { page: true, scope: 'none', body: () => new URLSearchParams({ privacy_version: '0' }), rule: members },
  'POST /tokens': { page: true, scope: 'none', body: () => new URLSearchParams({ name: '' }), rule: members },
  'POST /tokens/{id}/revoke': {
    page: true, scope: 'token', body: () => new URLSearchParams(), rule: (c) => (c === 'editorA' ? 'ok' : 'deny'),
    destructive: true, hidden: (c) => c !== 'editorA',
  },
  'GET /admin': { page: true, scope: 'none', rule: sysadmins },
  'GET /admin/organizations': { page: true, scope: 'none', rule: sysadmins },
  'POST /admin/organizations': { page: true, scope: 'none', body: () => new URLSearchParams({ slug: '' }), rule: sysadmins },
  'GET /admin/organizations/{slug}': { page: true, scope: 'org', rule: orgAdmins },
  // Only sysadmins may save the organization's form (its admins may open it): stricter than the
  // policy, which lets them edit the organization through the API.
  'POST /admin/organizations/{slug}': { page: true, scope: 'org', body: () => new URLSearchParams({ title_vi: '' }), rule: sysadmins },
  'POST /admin/organizations/{slug}/members': {
    page: true, scope: 'org', body: () => new URLSearchParams({ username: 'nguoi-thu', role: 'vua' }), rule: orgAdmins,
  },
  'POST /admin/organizations/{slug}/members/{user}': {
    page: true, scope: 'org', fill: (t) => ({ slug: t.org, user: 'bien-tap-a' }),
    body: () => new URLSearchParams({ role: 'vua' }), rule: orgAdmins,
  },
  'POST /admin/organizations/{slug}/members/{user}/remove': {
    page: true, scope: 'org', fill: (t) => ({ slug: t.org, user: t.user || 'nguoi-thu' }), body: () => new URLSearchParams(),
    rule: orgAdmins, destructive: true,
  },
  'GET /admin/users': { page: true, scope: 'none', rule: sysadmins },
  'GET /admin/invitations': { page: true, scope: 'none', rule: sysadmins },
  'POST /admin/invitations': { page: true, scope: 'none', body: () => new URLSearchParams({ username: '' }), rule: sysadmins },
  'POST /admin/invitations/{user}/resend': {
    page: true, scope: 'user', body: () => new URLSearchParams(), rule: sysadmins,
  },
  // The matrix's users have passwords: no invitation to revoke (404 for sysadmins).
  'POST /admin/invitations/{user}/revoke': {
    page: true, scope: 'user', body: () => new URLSearchParams(), rule: sysadmins, okWhen: (r) => r.status === 404,
  },
  'POST /admin/users/{user}/disable': {
    page: true, scope: 'user', body: () => new URLSearchParams(), rule: sysadmins, destructive: true,
  },
  'POST /admin/users/{user}/enable': { page: true, scope: 'user', body: () => new URLSearchParams(), rule: sysadmins },
  'POST /admin/users/{user}/unlock': { page: true, scope: 'user', body: () => new URLSearchParams(), rule: sysadmins },
  'POST /admin/users/{user}/reset-password': {
    page: true, scope: 'user', body: () => new URLSearchParams(), rule: sysadmins, destructive: true,
  },
  'GET /admin/taxonomy': { page: true, scope: 'none', rule: sysadmins },
  'POST /admin/taxonomy/groups': { page: true, scope: 'none', body: () => new URLSearchParams({ slug: '' }), rule: sysadmins },
  'POST /admin/taxonomy/groups/{slug}': {
    page: true, scope: 'group', body: () => new URLSearchParams({ title_vi: '' }), rule: sysadmins,
  },
  'POST /admin/taxonomy/licenses': { page: true, scope: 'none', body: () => new URLSearchParams({ id: '' }), rule: sysadmins },
  'POST /admin/settings/mail': { page: true, scope: 'none', body: () => new URLSearchParams({ smtp_port: '0' }), rule: sysadmins },
  'POST /admin/settings/oidc': { page: true, scope: 'none', body: () => new URLSearchParams({ oidc_issuer: 'ftp://x' }), rule: sysadmins },
  'POST /admin/settings/mail/test': { page: true, scope: 'none', body: () => new URLSearchParams(), rule: sysadmins },
  'GET /admin/jobs': { page: true, scope: 'none', rule: sysadmins },
  'GET /admin/operations': { page: true, scope: 'none', rule: sysadmins },
  'GET /admin/audit': { page: true, scope: 'none', rule: sysadmins },
  // Usage by consumer systems: a member of an organization sees the calls to its data (the page
  // opens on their first organization); callers without one are refused.
  'GET /usage': { page: true, scope: 'none', rule: (c) => (editsA(c) || c === 'editorB' ? 'ok' : 'deny') },
  'POST /admin/jobs/{id}/retry': {
    page: true, scope: 'none', fill: () => ({ id: 'khong-co-viec' }), body: () => new URLSearchParams(), rule: sysadmins,
    okWhen: (r) => r.status === 404,
  },
  'POST /admin/jobs/{id}/cancel': {
    page: true, scope: 'none', fill: () => ({ id: 'khong-co-viec' }), body: () => new URLSearchParams(), rule: sysadmins,
    okWhen: (r) => r.status === 404,
  },
  'GET /admin/settings': { page: true, scope: 'none', rule: sysadmins },
  'POST /admin/settings': { page: true, scope: 'none', body: () => new URLSearchParams({ site_title_vi: '' }), rule: sysadmins },
  'GET /admin/legal': { page: true, scope: 'none', rule: sysadmins },
  'POST /admin/legal': { page: true, scope: 'none', body: () => new URLSearchParams({ terms_vi: 'x'.repeat(200 * 1024) }), rule: sysadmins },
  'GET /workspace': { page: true, scope: 'none', rule: members },
  'GET /workspace/new': { page: true, scope: 'none', rule: members },
  'POST /workspace/new': { page: true, scope: 'none', body: emptyForm, rule: members },
  'GET /workspace/review': { page: true, scope: 'none', rule: members },
  'GET /workspace/review/{slug}': { page: true, scope: 'dataset', rule: write(adminsA, STATES) },
  // A decision on a column flagged as personal data: whoever may publish the dataset.
  'POST /workspace/resources/{id}/personal-data': {
    page: true, scope: 'resource', body: () => new URLSearchParams(), rule: write(adminsA),
  },
  'POST /workspace/review/{slug}/approve': {
    page: true, scope: 'dataset', body: () => new URLSearchParams(), rule: publish, destructive: true,
  },
  'POST /workspace/review/{slug}/reject': {
    page: true, scope: 'dataset', body: () => new URLSearchParams(REASON), rule: reject, destructive: true,
  },
  'GET /workspace/datasets/{slug}': { page: true, scope: 'dataset', rule: edit },
  'GET /workspace/datasets/{slug}/edit': { page: true, scope: 'dataset', rule: edit },
  'POST /workspace/datasets/{slug}/edit': { page: true, scope: 'dataset', body: emptyForm, rule: edit },
  'POST /workspace/datasets/{slug}/resources': {
    page: true, scope: 'dataset', body: () => new URLSearchParams({ name: '' }), rule: edit,
  },
  'POST /workspace/datasets/{slug}/submit': {
    page: true, scope: 'dataset', body: () => new URLSearchParams(), rule: submit, destructive: true,
  },
  'POST /workspace/datasets/{slug}/withdraw': {
    page: true, scope: 'dataset', body: () => new URLSearchParams(REASON), rule: withdraw, destructive: true,
  },
  'POST /workspace/datasets/{slug}/delete': {
    page: true, scope: 'dataset', body: () => new URLSearchParams(), rule: deleteRule, destructive: true,
  },
  'POST /workspace/resources/{id}/replace': { page: true, scope: 'resource', body: () => new URLSearchParams(), rule: edit },
  'POST /workspace/resources/{id}/delete': {
    page: true, scope: 'resource', body: () => new URLSearchParams(), rule: edit, destructive: true,
  },
  'GET /workspace/resources/{id}/schema': { page: true, scope: 'resource', rule: edit },
  'GET /workspace/resources/{id}/status': { page: true, scope: 'resource', rule: edit },
  'POST /workspace/resources/{id}/cancel': { page: true, scope: 'resource', body: () => new URLSearchParams(), rule: edit },
  'POST /workspace/resources/{id}/schema': {
    page: true, scope: 'resource', body: () => new URLSearchParams({ 'type.khong_co': 'vua' }), rule: edit,
  },

  // Consumer systems in the browser: the same rules as the API.
  'GET /workspace/consumers': { page: true, scope: 'none', rule: members },
  'POST /workspace/consumers': {
    page: true, scope: 'none', body: () => new URLSearchParams({ organization: 'co-quan-a', agency_code: 'sai' }), rule: orgAdmins,
  },
  // Grants: the page is for signed-in users (each sees the grants they may); changes as the API.
  'GET /workspace/grants': { page: true, scope: 'none', rule: members },
  'POST /workspace/grants': {
    page: true, scope: 'resource', body: (t) => new URLSearchParams({ resource_id: t.rid, consumer_id: 'khong-co' }),
    rule: write(adminsA),
  },
  'POST /workspace/grants/{id}/suspend': {
    page: true, scope: 'grant', body: () => new URLSearchParams({}), rule: orgAdmins, hidden: consumerHidden,
  },
  'POST /workspace/grants/{id}/resume': {
    page: true, scope: 'grant', body: () => new URLSearchParams({}), rule: orgAdmins, hidden: consumerHidden,
  },
  'POST /workspace/grants/{id}/revoke': {
    page: true, scope: 'grant', body: () => new URLSearchParams({}), rule: orgAdmins, hidden: consumerHidden,
  },
  'GET /workspace/consumers/{id}': { page: true, scope: 'consumer', rule: orgAdmins, hidden: consumerHidden },
  'POST /workspace/consumers/{id}/approve': {
    page: true, scope: 'consumer', body: () => new URLSearchParams(), rule: sysadmins, hidden: consumerHidden, destructive: true,
  },
  'POST /workspace/consumers/{id}/refuse': {
    page: true, scope: 'consumer', body: () => new URLSearchParams(), rule: sysadmins, hidden: consumerHidden,
  },
  'POST /workspace/consumers/{id}/revoke': {
    page: true, scope: 'consumer', body: () => new URLSearchParams(REASON), rule: orgAdmins, hidden: consumerHidden,
    destructive: true,
  },
  'POST /workspace/consumers/{id}/credentials': {
    page: true, scope: 'consumer', body: () => new URLSearchParams({ kind: 'api_key' }), rule: orgAdmins, hidden: consumerHidden,
  },
  'POST /workspace/consumers/{id}/credentials/{cid}/revoke': {
    page: true, scope: 'consumer', fill: (t) => ({ id: t.consumer, cid: 'khong-co' }), body: () => new URLSearchParams(),
    rule: orgAdmins, hidden: consumerHidden,
    okWhen: (r) => r.status === 404 && /khoá còn hiệu lực|live credential not found/.test(r.text),
  },

  // Sharing in the browser: the same rules as the API.
  'GET /chia-se': { page: true, scope: 'none', rule: staff },
  'POST /chia-se': { page: true, scope: 'none', body: () => new URLSearchParams({ resource_id: publicTable() }), rule: orgAdmins },
  'GET /chia-se/dich-vu/{id}': { page: true, scope: 'none', fill: () => ({ id: 'khong-co' }), rule: staff, okWhen: pageMissing },
  'POST /chia-se/dich-vu/{id}/yeu-cau': {
    page: true, scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => new URLSearchParams(), rule: staff, okWhen: pageMissing,
  },
  'POST /chia-se/dich-vu/{id}/ngung': {
    page: true, scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => new URLSearchParams(), rule: staff, okWhen: pageMissing,
  },
  'GET /chia-se/yeu-cau': { page: true, scope: 'none', rule: members },
  'GET /chia-se/yeu-cau/{id}': { page: true, scope: 'none', fill: () => ({ id: 'khong-co' }), rule: members, okWhen: pageMissing },
  ...Object.fromEntries(['bo-sung', 'tra-loi', 'phe-duyet', 'tu-choi', 'rut'].map((step) => [`POST /chia-se/yeu-cau/{id}/${step}`, {
    page: true, scope: 'none', fill: () => ({ id: 'khong-co' }), body: () => new URLSearchParams(REASON), rule: members, okWhen: pageMissing,
  }])),
  'GET /chia-se/lich': { page: true, scope: 'none', rule: sysadmins },
  'POST /chia-se/lich': { page: true, scope: 'none', body: () => new URLSearchParams({ kind: 'sai' }), rule: sysadmins },
  'POST /chia-se/lich/xoa': {
    page: true, scope: 'none', body: () => new URLSearchParams({ day: '2000-01-01' }), rule: sysadmins,
    okWhen: (r) => r.status === 404 && /Ngày này không có|calendar day not announced/.test(r.text),
  },
  'GET /chia-se/qua-han': { page: true, scope: 'none', rule: sysadmins },
  'GET /thong-bao': { page: true, scope: 'none', rule: members },
  'POST /thong-bao/da-doc': { page: true, scope: 'none', body: () => new URLSearchParams(), rule: members },

  // CKAN actions (on both /api/action/ and /api/3/action/)
  'action status_show': { scope: 'none', rule: everyone },
  'action site_read': { scope: 'none', rule: everyone },
  'action package_list': { scope: 'none', rule: everyone },
  'action current_package_list_with_resources': { scope: 'none', query: () => 'limit=1000', rule: everyone },
  'action package_search': {
    scope: 'none', query: () => 'rows=1000&include_private=true&include_drafts=true&include_deleted=true', rule: everyone,
  },
  'action organization_list': { scope: 'none', query: () => 'all_fields=true&include_dataset_count=true', rule: everyone },
  'action group_list': { scope: 'none', query: () => 'all_fields=true', rule: everyone },
  'action tag_list': { scope: 'none', rule: everyone },
  'action license_list': { scope: 'none', rule: everyone },
  'action organization_show': {
    scope: 'org', query: (t) => `id=${t.org}&include_datasets=true`, rule: everyone,
  },
  'action group_show': { scope: 'group', query: (t) => `id=${t.group}&include_datasets=true`, rule: everyone },
  'action package_show': { scope: 'dataset', query: (t) => `id=${t.id}`, rule: read },
  'action resource_show': { scope: 'resource', query: (t) => `id=${t.rid}`, rule: read },
  'action datastore_search': { scope: 'resource', query: (t) => `resource_id=${t.rid}&limit=2`, rule: read },
  'action datastore_search_sql': {
    // Two statements at a time per client at most (ODP_SQL_PER_CLIENT): else 429.
    scope: 'resource', query: (t) => `sql=${encodeURIComponent(`SELECT * FROM "${t.rid}" LIMIT 2`)}`, rule: read,
    concurrency: 2,
  },
  'action package_create': {
    scope: 'none', body: () => ({ name: datasets[0].slug, title: 'Trùng', owner_org: 'co-quan-a' }), rule: orgEditors,
  },
  'action package_update': { scope: 'dataset', body: (t) => ({ id: t.id, ...BAD_LICENSE }), rule: edit },
  'action package_patch': { scope: 'dataset', body: (t) => ({ id: t.id, ...BAD_LICENSE }), rule: edit },
  'action package_delete': { scope: 'dataset', body: (t) => ({ id: t.id }), rule: deleteRule, destructive: true },
  'action resource_create': { scope: 'dataset', body: (t) => ({ package_id: t.id, url: 'javascript:alert(1)' }), rule: edit },
  'action resource_update': { scope: 'resource', body: (t) => ({ id: t.rid, url: 'javascript:alert(1)' }), rule: edit },
  'action organization_create': { scope: 'none', body: () => ({ name: '' }), rule: sysadmins },
};

// ---- The portal -----------------------------------------------------------------------------

const CSV = 'ma,ten,so\r\n1,Quốc Học,1234\r\n2,Hai Bà Trưng,980\r\n';

function routesOfServer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'odp-routes-'));
  try {
    const env = { ...process.env };
    delete env.ODP_DB;
    const r = spawnSync(ODP_BIN, ['routes', '--data', dir], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`odp routes failed: ${r.stderr}`);
    return r.stdout.split('\n').filter(Boolean).map((l) => {
      const [method, pattern] = l.split(' ');
      return method === 'action' ? `action ${pattern}` : `${method} ${pattern}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const listed = routesOfServer();
const started = Date.now();
const srv = await startServer();
after(async () => { await srv.stop(); });

const root = addUser(srv, 'goc', { sysadmin: true });
await makeOrg(srv, root, 'co-quan-a', 'Cơ quan A');
await makeOrg(srv, root, 'co-quan-b', 'Cơ quan B');
const tokens = {
  anonymous: undefined,
  registered: addUser(srv, 'dang-ky'),
  editorB: addUser(srv, 'bien-tap-b', { org: 'co-quan-b', role: 'editor' }),
  editorA: addUser(srv, 'bien-tap-a', { org: 'co-quan-a', role: 'editor' }),
  adminA: addUser(srv, 'quan-tri-a', { org: 'co-quan-a', role: 'admin' }),
  sysadmin: root,
};
addUser(srv, 'nguoi-thu', { org: 'co-quan-a', role: 'member' });  // a member to (not) remove

async function ok(r, what) {
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

const sector = (await ok(await call(srv, 'GET', '/api/v1/sectors'), 'sectors')).sectors[0].slug;
const topic = (await ok(await call(srv, 'GET', '/api/v1/topics'), 'topics')).topics[0].slug;

// A dataset of A in `tier` and `state` with a CSV resource (so that its table exists), in the
// first sector and topic and with a tag of its own (so that group pages and tag lists would
// show it).
const tagOf = (slug) => `nhan-${slug}`;
async function makeDataset(tier, state, slug, title) {
  {
    const d = await ok(await call(srv, 'POST', '/api/v1/datasets', {
      token: root,
      body: { title_vi: title, slug, organization: 'co-quan-a', access: tier, sectors: [sector], topics: [topic], tags: [tagOf(slug)] },
    }), `create ${slug}`);
    const fd = new FormData();
    fd.append('name', `Bang ${tier} ${state}`);
    fd.append('upload', new Blob([CSV], { type: 'text/csv' }), 'bang.csv');
    const res = await ok(await call(srv, 'POST', `/api/v1/datasets/${d.id}/resources`, { token: root, body: fd }),
      `upload to ${slug}`);
    const step = (verb, body = {}, token = root) => call(srv, 'POST', `/api/v1/datasets/${d.id}/${verb}`, { token, body })
      .then((r) => ok(r, `${verb} ${slug}`));
    // An editor submits: whoever submitted may not approve, and the admins are the callers here.
    if (state === 'pending') await step('submit', {}, tokens.editorA);
    if (state === 'published') await step('publish');
    if (state === 'rejected') { await step('submit', {}, tokens.editorA); await step('reject', { reason: 'Thiếu mô tả' }); }
    if (state === 'withdrawn') { await step('publish'); await step('withdraw', { reason: 'Sai số' }); }
    if (state === 'deleted') {
      const r = await call(srv, 'DELETE', `/api/v1/datasets/${d.id}`, { token: root });
      assert.ok(r.status === 200 || r.status === 204, `delete ${slug}: ${r.status} ${r.text}`);
    }
    return { tier, state, id: d.id, slug, title, rid: res.id, org: 'co-quan-a' };
  }
}

// One dataset of A per tier × state.
const datasets = [];
for (const tier of TIERS) {
  for (const state of STATES) {
    datasets.push(await makeDataset(tier, state, `authz-${tier}-${state}`, `Bo du lieu kiem thu ${tier} ${state} QX7`));
  }
}
// Tables are loaded in the background: wait until each has ended.
for (const d of datasets) {
  for (let i = 0; ; i++) {
    const r = await call(srv, 'GET', `/api/v1/resources/${d.rid}/datastore`, { token: root });
    const job = r.json && r.json.job;
    if (job && (job.state === 'done' || job.state === 'failed')) break;
    if (i > 400) throw new Error(`table of ${d.slug} not loaded: ${r.text}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}
// A spare token of editor A, for the revocation routes.
const spare = await ok(await call(srv, 'POST', '/api/v1/me/tokens', { token: tokens.editorA, body: { name: 'du-phong' } }),
  'spare token');
const spareTokenId = spare.id;
const staticFile = (await call(srv, 'GET', '/')).text.match(/\/static\/([^"'?]+)/)[1];
// A pending consumer system of A, and a way to make more (for destructive cells).
let consumerCount = 0;
async function makeConsumer() {
  const n = ++consumerCount;
  return (await ok(await call(srv, 'POST', '/api/v1/consumers', {
    token: tokens.adminA,
    body: {
      organization: 'co-quan-a', agency_code: '000.00.01.H41', system_code: `he-thong-${n}`, name: `Hệ thống ${n}`,
      technical_contact: { name: 'Kỹ thuật viên', email: 'kythuat@example.gov.vn' },
    },
  }), `consumer ${n}`)).id;
}
const consumerId = await makeConsumer();
// An approved system of A holding a grant on an internal published table of A.
const grantSystem = await makeConsumer();
await ok(await call(srv, 'POST', `/api/v1/consumers/${grantSystem}/approve`, { token: root, body: {} }), 'approve');
const grantTable = datasets.find((d) => d.tier === 'internal' && d.state === 'published');
const grantId = (await ok(await call(srv, 'POST', '/api/v1/grants', {
  token: root, body: { consumer_id: grantSystem, resource_id: grantTable.rid, columns: ['ma', 'ten'] },
}), 'grant')).id;
// The login and registration forms' cookie and token.
const loginForm = await call(srv, 'GET', '/login');
const formCookie = loginForm.headers.get('set-cookie').split(';')[0];
const formCsrf = loginForm.text.match(/name="csrf" value="([^"]+)"/)[1];

const zeroed = (id) => id.replace(/[0-9a-f]/g, '0').replace(/[g-z]/g, 'x');
const missingDataset = {
  tier: null, state: null, id: zeroed(datasets[0].id), slug: 'authz-khong-ton-tai', title: null,
  rid: zeroed(datasets[0].rid), org: 'co-quan-a',
};

// What a caller may not read: every title, slug and id of those datasets.
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hiddenFrom = Object.fromEntries(CALLERS.map((c) => {
  const words = datasets.filter((d) => !canRead(c, d)).flatMap((d) => [d.title, d.slug, d.id, d.rid, tagOf(d.slug)]);
  return [c, words.length ? new RegExp(words.map(escapeRe).join('|')) : null];
}));

// ---- Exercising a route ------------------------------------------------------------------------

// The targets of a scope: [{label, t, hidden(c)}]; the last one is the missing object.
function targetsOf(entry) {
  switch (entry.scope) {
    case 'dataset':
    case 'resource':
      return [...datasets.map((d) => ({ label: `${d.tier}/${d.state}`, t: d })),
        { label: 'missing', t: missingDataset, missing: true }];
    case 'org':
      return [{ label: 'org A', t: { org: 'co-quan-a' } }, { label: 'missing', t: { org: 'co-quan-khong-co' }, missing: true }];
    case 'group':
      return [{ label: 'group', t: { group: sector, topic } },
        { label: 'missing', t: { group: 'linh-vuc-khong-co', topic: 'chu-de-khong-co' }, missing: true }];
    case 'user':
      return [{ label: 'user', t: { user: 'nguoi-thu' } }, { label: 'missing', t: { user: 'khong-ai-ca' }, missing: true }];
    case 'token':
      return [{ label: 'token', t: { token: spareTokenId } }, { label: 'missing', t: { token: zeroed(spareTokenId) }, missing: true }];
    case 'consumer':
      return [{ label: 'consumer', t: { consumer: consumerId } },
        { label: 'missing', t: { consumer: zeroed(consumerId) }, missing: true }];
    case 'grant':
      return [{ label: 'grant', t: { grant: grantId } },
        { label: 'missing', t: { grant: zeroed(grantId) }, missing: true }];
    default:
      return [{ label: '-', t: {} }];
  }
}

function defaultFill(scope, t) {
  switch (scope) {
    case 'dataset': return { id: t.id, slug: t.slug };
    case 'resource': return { id: t.rid, rid: t.rid, slug: t.slug };
    case 'org': return { id: t.org, slug: t.org };
    case 'group': return { id: t.group, slug: t.group };
    case 'user': return { user: t.user };
    case 'token': return { id: t.token };
    case 'consumer': return { id: t.consumer };
    case 'grant': return { id: t.grant };
    default: return {};
  }
}

// The request of `entry` on `pattern` for target t: {method, url, body, sent}.
function requestOf(key, entry, pattern, t) {
  let [method, pat] = key.startsWith('action ') ? ['*', pattern.replace('{name}', key.slice(7))] : key.split(' ');
  const vals = { ...defaultFill(entry.scope, t), ...(entry.fill ? entry.fill(t) : {}) };
  let url = pat.replace(/\{(\w+)\}/g, (_, k) => {
    if (vals[k] === undefined) throw new Error(`${key}: no value for {${k}}`);
    return encodeURIComponent(vals[k]);
  });
  if (method === '*' && key.startsWith('action ')) method = entry.body ? 'POST' : 'GET';
  if (entry.query) url += `?${entry.query(t)}`;
  let body = entry.body ? entry.body(t) : undefined;
  let headers = {};
  if (body && body.raw !== undefined) { headers = { 'Content-Type': body.type }; body = body.raw; }
  if (entry.formCookie) { headers.Cookie = formCookie; body.set('csrf', formCsrf); }
  // The identifiers the request itself names (never a title): answers may echo them.
  const text = url + (typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString()
    : body ? JSON.stringify(body) : '');
  const sent = [...Object.values(vals), t.id, t.slug, t.rid]
    .filter((v) => typeof v === 'string' && v.length > 3 && text.includes(v));
  return { method, url, body, headers, sent };
}

// The workflow answers 409 to everyone who may read the dataset when its state forbids the
// action whoever asks (catalog.cpp Transition: "wrong state" before "wrong role").
function stateRefusal(entry, t, r) {
  return r.status === 409 && t.state && entry.rule('sysadmin', t) === 'state';
}

// An answer with the identifiers the request sent replaced, for comparing with a missing object's.
function normalise(r, sent) {
  let text = `${r.headers.get('location') || ''}\n${r.text}`;
  for (const s of sent) text = text.split(s).join('<ID>');
  return text;
}

const loginRedirect = (r) => r.status >= 300 && r.status < 400 && /\/login/.test(r.headers.get('location') || '');

async function pool(items, fn, concurrency = CONCURRENCY) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]);
    }
  }));
}

// Destructive routes: one allowed cell per caller runs on a target made for it.
let freshCount = 0;
async function freshTarget(entry, t) {
  const n = ++freshCount;
  switch (entry.scope) {
    case 'dataset':
    case 'resource':
      return makeDataset(t.tier, t.state, `authz-fresh-${n}`, `Bo du lieu dung mot lan ${n}`);
    case 'org':
      addUser(srv, `thu-${n}`, { org: 'co-quan-a', role: 'member' });
      return { org: 'co-quan-a', user: `thu-${n}` };
    case 'user':
      addUser(srv, `thu-${n}`);
      return { user: `thu-${n}` };
    case 'token':
      return { token: (await ok(await call(srv, 'POST', '/api/v1/me/tokens', { token: tokens.editorA, body: { name: `t${n}` } }), 'token')).id };
    case 'consumer':
      return { consumer: await makeConsumer() };
    default:
      throw new Error(`no fresh target for scope ${entry.scope}`);
  }
}

let cellsTested = 0;
let cellsSkipped = 0;

// Runs every cell of `key` on `pattern`; returns the list of failures (strings).
async function runRoute(key, entry, pattern) {
  const targets = targetsOf(entry);
  const missing = targets.find((x) => x.missing);
  const missingAnswer = {};
  const failures = [];
  const cells = [];
  for (const caller of CALLERS) {
    for (const target of targets) cells.push({ caller, target });
  }
  // The answers to a missing object first: hidden objects must answer the same.
  if (missing) {
    await pool(CALLERS, async (caller) => {
      const q = requestOf(key, entry, pattern, missing.t);
      missingAnswer[caller] = { r: await call(srv, q.method, q.url, { token: tokens[caller], body: q.body, headers: q.headers }), q };
    }, entry.concurrency);
  }
  const freshFor = new Set();  // callers that have had their destructive cell
  await pool(cells.filter((c) => !c.target.missing), async ({ caller, target }) => {
    let t = target.t;
    const rule = entry.rule(caller, t);
    if (rule === 'ok' && entry.destructive) {
      if (freshFor.has(caller)) { cellsSkipped++; return; }
      freshFor.add(caller);
      t = await freshTarget(entry, t);
    }
    const q = requestOf(key, entry, pattern, t);
    const r = await call(srv, q.method, q.url, { token: tokens[caller], body: q.body, headers: q.headers });
    cellsTested++;
    const where = `${q.method} ${q.url} as ${caller} (${target.label}): expected ${rule}, got ${r.status}`;
    const hidden = entry.hidden ? entry.hidden(caller) : (t.tier ? !canRead(caller, t) : false);
    if (rule === 'ok') {
      const okStatus = entry.okStatus || [];
      const refused = [401, 403, 404].includes(r.status) && !okStatus.includes(r.status) && !(entry.okWhen && entry.okWhen(r));
      if (refused || loginRedirect(r) || r.status >= 500) {
        failures.push(`${where} ${r.text.slice(0, 200)}`);
      }
    } else if (rule === 'state') {
      if (!(r.status >= 400 && r.status < 500) || [401, 404].includes(r.status)) failures.push(`${where} ${r.text.slice(0, 200)}`);
    } else if (hidden && missing) {
      // Exactly the answer to a missing object, the identifiers sent apart.
      const m = missingAnswer[caller];
      const same = r.status === m.r.status && normalise(r, q.sent) === normalise(m.r, m.q.sent);
      if (!same || (r.status < 400 && !loginRedirect(r))) {
        failures.push(`${where}; a missing object answers ${m.r.status} ${m.r.text.slice(0, 200)}; this one ${r.text.slice(0, 200)}`);
      }
    } else if (!([401, 403].includes(r.status) || (caller === 'anonymous' && loginRedirect(r)) ||
                 (entry.deniedAs404 && r.status === 404) ||
                 (entry.scope === 'token' && r.status === 404) || stateRefusal(entry, t, r))) {
      failures.push(`${where} ${r.text.slice(0, 200)}`);
    }
    // Nothing of what the caller may not read, apart from what the request sent.
    const re = hiddenFrom[caller];
    if (re) {
      let text = r.text;
      for (const s of q.sent) text = text.split(s).join('');
      const m = text.match(re);
      if (m) failures.push(`${q.method} ${q.url} as ${caller} (${target.label}): the answer (${r.status}) shows "${m[0]}"`);
    }
  }, entry.concurrency);
  return failures;
}

// ---- The tests ----------------------------------------------------------------------------------

// Every pattern the table covers, as `odp routes` prints it.
function coveredKeys() {
  const out = new Map();  // listed key → [table key, pattern]
  for (const [key, entry] of Object.entries(ROUTES)) {
    if (key.startsWith('action ')) continue;
    const [method, pattern] = key.split(' ');
    out.set(key, [key, pattern]);
    if (entry.page) {
      const en = pattern === '/' ? '/en' : `/en${pattern}`;
      out.set(`${method} ${en}`, [key, en]);
      if (pattern === '/') out.set(`${method} /en/`, [key, '/en/']);
    }
  }
  return out;
}

test('every route the server registers has an entry in the matrix', () => {
  const covered = coveredKeys();
  const lacking = listed.filter((k) => !covered.has(k) && !(k.startsWith('action ') && ROUTES[k]));
  assert.deepEqual(lacking, [], `routes without an entry in ROUTES: ${lacking.join(', ')}`);
});

test('every entry of the matrix names a route that exists', () => {
  const have = new Set(listed);
  const stale = [...coveredKeys().keys(), ...Object.keys(ROUTES).filter((k) => k.startsWith('action '))]
    .filter((k) => !have.has(k));
  assert.deepEqual(stale, [], `entries for routes that no longer exist: ${stale.join(', ')}`);
});

// The leak checks mean something only if the lists do show readable datasets.
test('lists, group pages and tag lists show the public published dataset to anonymous callers', async () => {
  const shown = datasets.find((d) => d.tier === 'public' && d.state === 'published');
  for (const url of ['/api/v1/datasets?limit=1000', '/api/3/action/package_search?rows=1000',
    `/api/3/action/group_show?id=${sector}&include_datasets=true`, '/api/3/action/tag_list',
    `/sectors/${sector}`, `/topics/${topic}`, '/organizations/co-quan-a']) {
    const r = await call(srv, 'GET', url);
    assert.equal(r.status, 200, url);
    assert.ok(r.text.includes(url.includes('tag_list') ? tagOf(shown.slug) : shown.slug), `${url} does not show ${shown.slug}`);
  }
});

// Destructive routes last: a wrongly allowed deletion then spoils no other route's cells.
const runs = [];
for (const [listedKey, [key, pattern]] of coveredKeys()) {
  const entry = ROUTES[key];
  if (entry.actions) {
    for (const k of Object.keys(ROUTES).filter((x) => x.startsWith('action '))) {
      runs.push({ name: `${k.slice(7)} on ${pattern}`, key: k, entry: ROUTES[k], pattern });
    }
    continue;
  }
  runs.push({ name: listedKey, key, entry, pattern });
}
runs.sort((a, b) => Number(!!a.entry.destructive) - Number(!!b.entry.destructive));

for (const run of runs) {
  test(`authorization of ${run.name}`, async () => {
    const failures = await runRoute(run.key, run.entry, run.pattern);
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}

// A caller without the right hears 401/403 before anything about its input or the object's
// state: the validation and workflow checks come after the permission check.
const missingId = missingDataset.id;
const publicPublished = datasets.find((d) => d.tier === 'public' && d.state === 'published');
const ORDERING = [
  // The fields of a new dataset are judged after the right to create in the organization.
  { caller: 'editorB', method: 'POST', url: '/api/v1/datasets', body: { title_vi: '', organization: 'co-quan-a' } },
  { caller: 'editorB', method: 'POST', url: '/api/3/action/package_create', body: { name: '', owner_org: 'co-quan-a' } },
  // The reason of a rejection or withdrawal after the caller's right (and for a missing dataset).
  { caller: 'anonymous', method: 'POST', url: `/api/v1/datasets/${missingId}/reject`, body: {} },
  { caller: 'anonymous', method: 'POST', url: `/api/v1/datasets/${publicPublished.id}/withdraw`, body: {} },
  { caller: 'editorB', method: 'POST', url: `/api/v1/datasets/${publicPublished.id}/withdraw`, body: {} },
  // "Wrong role" before "wrong state".
  { caller: 'anonymous', method: 'POST', url: `/api/v1/datasets/${publicPublished.id}/submit`, body: {} },
  { caller: 'editorA', method: 'POST', url: `/api/v1/datasets/${publicPublished.id}/publish`, body: {} },
  // Taxonomy and licence writes: the right before the body is parsed.
  { caller: 'anonymous', method: 'PATCH', url: `/api/v1/sectors/${sector}`, body: '{', json: true },
  { caller: 'editorA', method: 'POST', url: '/api/v1/sectors', body: '{', json: true },
  { caller: 'editorA', method: 'PUT', url: '/api/v1/licenses/cc-by-4.0', body: '{', json: true },
];
for (const o of ORDERING) {
  test(`${o.method} ${o.url} as ${o.caller} is refused before its input is checked`, async () => {
    const headers = o.json ? { 'Content-Type': 'application/json' } : {};
    const r = await call(srv, o.method, o.url, { token: tokens[o.caller], body: o.body, headers });
    assert.ok([401, 403].includes(r.status), `${r.status} ${r.text}`);
  });
}

test('the matrix ran', () => {
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`# authz matrix: ${listed.length} routes listed, ${runs.length} route runs, ` +
              `${cellsTested} cells tested, ${cellsSkipped} destructive cells skipped, ${secs} s`);
  assert.ok(cellsTested > 1000);
});

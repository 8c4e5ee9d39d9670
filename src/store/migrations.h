// Schema migrations: one ordered list of versions, each with its SQL per back-end.
//
// At open, each newer migration is applied in its own transaction, re-reading MAX(version) inside
// it after taking the write lock (SQLite BEGIN IMMEDIATE, PostgreSQL pg_advisory_xact_lock), so
// several servers starting at once on one database migrate it exactly once. With migrate = false
// (`odp serve --no-migrate`) an outdated schema is an error ("database schema is at version 4,
// this odp needs 5; run `odp migrate`").
//
// Versions: 1 catalogue, accounts, history (every table of both); 2 download counts per dataset
// and month (`download_counts (dataset_id, month, count)`, month as "2026-11"); 3 the last
// published snapshot of each dataset, for reviewers' diffs (`published_snapshots (dataset_id,
// snapshot, at)`); 4 the catalogue's change feed (`catalog_changes (seq, kind, key, origin, at)`);
// 5 background jobs shared by every server (`jobs (kind, resource_id, version, file, options,
// state, error_vi, error_en, rows, owner, heartbeat, updated)`); 6 failed sign-ins; 7 the jobs
// layer's runs and schedules; 8 consumer systems (`consumer_systems`), their credentials
// (`consumer_credentials`) and the Ed25519 keys that sign their access tokens (`signing_keys`);
// 9 consents to the privacy notice (`privacy_consents (user_id, notice_version, accepted)`);
// 10 views and downloads (`usage_counts (day, kind, format, dataset_id, resource_id,
// organization_id, count)`, day as "2026-12-07" in Viet Nam time; the rows of `download_counts`
// move in as the first day of their month, and that table is dropped); 11 inter-agency sharing
// (`shared_services`, `sharing_requests`, `sharing_events`, `calendar_days`, `notifications`;
// store/sharing_store.h); 12 single-use links that set a password (`account_links (token_hash,
// kind, user_id, created_by, created, expires, used)`: invitations and password resets, the
// secret kept only as its SHA-256);
// 13 the tamper-evident log (`audit_log`, its head `audit_head`, `audit_checkpoints`,
// `audit_keys`; store/audit_store.h);
// 14 grants of shared data (`grants`) and the counts of their quotas (`quota_counts (scope,
// period, requests, row_count)`);
// 15 following datasets and agencies by e-mail (`follows`, `follow_requests`;
// store/follow_store.h);
// 16 sign-in with an OpenID Connect provider (`external_identities (issuer, subject, user_id,
// email, created, last_used)` and the sign-ins in progress `oidc_sign_ins`;
// store/identity_store.h);
// 17 notices sent once across servers and restarts (`notice_claims (key, at)`: "expiry:grant:…",
// "quota:…:2026-12-07"; store/sharing_store.h ClaimNotice).
#pragma once

#include <string>
#include <vector>

namespace odp::store {

struct Migration {
  int version;
  std::string description;
  std::string sqlite_sql;
  std::string postgres_sql;  // the same version on PostgreSQL: times BIGINT, serials BIGSERIAL
};

const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

}  // namespace odp::store

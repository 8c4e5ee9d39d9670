#include "store/migrations.h"

namespace odp::store {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "catalogue, accounts, history", R"SQL(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('catalog_generation', '0');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE organizations (
  id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title_vi TEXT NOT NULL, title_en TEXT NOT NULL,
  description_vi TEXT NOT NULL, description_en TEXT NOT NULL, parent_id TEXT REFERENCES organizations(id),
  image_url TEXT NOT NULL, email TEXT NOT NULL, created INTEGER NOT NULL, modified INTEGER NOT NULL);
CREATE TABLE groups (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('sector','topic')), slug TEXT NOT NULL UNIQUE,
  title_vi TEXT NOT NULL, title_en TEXT NOT NULL, description_vi TEXT NOT NULL,
  description_en TEXT NOT NULL, position INTEGER NOT NULL, created INTEGER NOT NULL);
CREATE TABLE licenses (
  id TEXT PRIMARY KEY, title_vi TEXT NOT NULL, title_en TEXT NOT NULL, url TEXT NOT NULL,
  is_open INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE datasets (
  id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, organization_id TEXT NOT NULL REFERENCES organizations(id),
  state TEXT NOT NULL, access TEXT NOT NULL, doc TEXT NOT NULL,
  created INTEGER NOT NULL, modified INTEGER NOT NULL);
CREATE INDEX datasets_org ON datasets(organization_id);
CREATE TABLE resources (
  id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL REFERENCES datasets(id), position INTEGER NOT NULL,
  doc TEXT NOT NULL, created INTEGER NOT NULL, modified INTEGER NOT NULL);
CREATE INDEX resources_dataset ON resources(dataset_id, position);
CREATE TABLE resource_versions (
  resource_id TEXT NOT NULL REFERENCES resources(id), version INTEGER NOT NULL, sha256 TEXT NOT NULL,
  size INTEGER NOT NULL, filename TEXT NOT NULL, mimetype TEXT NOT NULL, created_by TEXT NOT NULL,
  created INTEGER NOT NULL, PRIMARY KEY (resource_id, version));
CREATE TABLE dataset_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id TEXT NOT NULL, actor_id TEXT NOT NULL,
  action TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE INDEX dataset_events_dataset ON dataset_events(dataset_id, id);
CREATE TABLE users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL, password_hash TEXT NOT NULL, sysadmin INTEGER NOT NULL,
  disabled INTEGER NOT NULL, created INTEGER NOT NULL);
CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
  role TEXT NOT NULL, PRIMARY KEY (user_id, organization_id));
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, created INTEGER NOT NULL, last_used INTEGER NOT NULL,
  revoked INTEGER NOT NULL);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL,
  created INTEGER NOT NULL, expires INTEGER NOT NULL);
)SQL",
       R"SQL(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('catalog_generation', '0');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE organizations (
  id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title_vi TEXT NOT NULL, title_en TEXT NOT NULL,
  description_vi TEXT NOT NULL, description_en TEXT NOT NULL, parent_id TEXT REFERENCES organizations(id),
  image_url TEXT NOT NULL, email TEXT NOT NULL, created BIGINT NOT NULL, modified BIGINT NOT NULL);
CREATE TABLE groups (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('sector','topic')), slug TEXT NOT NULL UNIQUE,
  title_vi TEXT NOT NULL, title_en TEXT NOT NULL, description_vi TEXT NOT NULL,
  description_en TEXT NOT NULL, position BIGINT NOT NULL, created BIGINT NOT NULL);
CREATE TABLE licenses (
  id TEXT PRIMARY KEY, title_vi TEXT NOT NULL, title_en TEXT NOT NULL, url TEXT NOT NULL,
  is_open BIGINT NOT NULL, position BIGINT NOT NULL);
CREATE TABLE datasets (
  id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, organization_id TEXT NOT NULL REFERENCES organizations(id),
  state TEXT NOT NULL, access TEXT NOT NULL, doc TEXT NOT NULL,
  created BIGINT NOT NULL, modified BIGINT NOT NULL);
CREATE INDEX datasets_org ON datasets(organization_id);
CREATE TABLE resources (
  id TEXT PRIMARY KEY, dataset_id TEXT NOT NULL REFERENCES datasets(id), position BIGINT NOT NULL,
  doc TEXT NOT NULL, created BIGINT NOT NULL, modified BIGINT NOT NULL);
CREATE INDEX resources_dataset ON resources(dataset_id, position);
CREATE TABLE resource_versions (
  resource_id TEXT NOT NULL REFERENCES resources(id), version BIGINT NOT NULL, sha256 TEXT NOT NULL,
  size BIGINT NOT NULL, filename TEXT NOT NULL, mimetype TEXT NOT NULL, created_by TEXT NOT NULL,
  created BIGINT NOT NULL, PRIMARY KEY (resource_id, version));
CREATE TABLE dataset_events (
  id BIGSERIAL PRIMARY KEY, dataset_id TEXT NOT NULL, actor_id TEXT NOT NULL,
  action TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT NOT NULL,
  at BIGINT NOT NULL);
CREATE INDEX dataset_events_dataset ON dataset_events(dataset_id, id);
CREATE TABLE users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL, password_hash TEXT NOT NULL, sysadmin BIGINT NOT NULL,
  disabled BIGINT NOT NULL, created BIGINT NOT NULL);
CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users(id), organization_id TEXT NOT NULL REFERENCES organizations(id),
  role TEXT NOT NULL, PRIMARY KEY (user_id, organization_id));
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, created BIGINT NOT NULL, last_used BIGINT NOT NULL,
  revoked BIGINT NOT NULL);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), csrf_token TEXT NOT NULL,
  created BIGINT NOT NULL, expires BIGINT NOT NULL);
)SQL"},
      {2, "download counts per dataset and month", R"SQL(
CREATE TABLE download_counts (
  dataset_id TEXT NOT NULL, month TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (dataset_id, month));
)SQL",
       R"SQL(
CREATE TABLE download_counts (
  dataset_id TEXT NOT NULL, month TEXT NOT NULL, count BIGINT NOT NULL,
  PRIMARY KEY (dataset_id, month));
)SQL"},
      {3, "the last published snapshot of each dataset, for reviewers' diffs", R"SQL(
CREATE TABLE published_snapshots (
  dataset_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL, at INTEGER NOT NULL);
)SQL",
       R"SQL(
CREATE TABLE published_snapshots (
  dataset_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL, at BIGINT NOT NULL);
)SQL"},
      {4, "the catalogue's change feed, read by the other servers on the same database", R"SQL(
CREATE TABLE catalog_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, key TEXT NOT NULL,
  origin TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX catalog_changes_at ON catalog_changes(at);
)SQL",
       R"SQL(
CREATE TABLE catalog_changes (
  seq BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL,
  origin TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX catalog_changes_at ON catalog_changes(at);
)SQL"},
      {5, "background jobs shared by every server: claimed once, kept alive by heartbeats", R"SQL(
CREATE TABLE jobs (
  kind TEXT NOT NULL, resource_id TEXT NOT NULL, version INTEGER NOT NULL, file TEXT NOT NULL,
  options TEXT NOT NULL, state TEXT NOT NULL, error_vi TEXT NOT NULL, error_en TEXT NOT NULL,
  rows INTEGER NOT NULL, owner TEXT NOT NULL, heartbeat INTEGER NOT NULL, updated INTEGER NOT NULL,
  PRIMARY KEY (kind, resource_id, version));
CREATE INDEX jobs_state ON jobs(kind, state, updated);
)SQL",
       R"SQL(
CREATE TABLE jobs (
  kind TEXT NOT NULL, resource_id TEXT NOT NULL, version INTEGER NOT NULL, file TEXT NOT NULL,
  options TEXT NOT NULL, state TEXT NOT NULL, error_vi TEXT NOT NULL, error_en TEXT NOT NULL,
  rows BIGINT NOT NULL, owner TEXT NOT NULL, heartbeat BIGINT NOT NULL, updated BIGINT NOT NULL,
  PRIMARY KEY (kind, resource_id, version));
CREATE INDEX jobs_state ON jobs(kind, state, updated);
)SQL"},
      {6, "failed sign-ins per account and per address, counted by every server together", R"SQL(
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failure INTEGER NOT NULL);
)SQL",
       R"SQL(
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY, failures BIGINT NOT NULL, last_failure BIGINT NOT NULL);
)SQL"},
      {7, "the jobs layer: runs with leases, retries and progress; schedules fired once each",
       R"SQL(
CREATE TABLE job_runs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
  cancel_requested INTEGER NOT NULL, attempts INTEGER NOT NULL, max_attempts INTEGER NOT NULL,
  run_at INTEGER NOT NULL, owner TEXT NOT NULL, lease_until INTEGER NOT NULL, progress INTEGER NOT NULL,
  message TEXT NOT NULL, error TEXT NOT NULL, schedule_id TEXT NOT NULL, created INTEGER NOT NULL,
  started INTEGER NOT NULL, finished INTEGER NOT NULL, updated INTEGER NOT NULL);
CREATE INDEX job_runs_due ON job_runs(state, run_at);
CREATE INDEX job_runs_key ON job_runs(kind, key, state);
CREATE TABLE job_schedules (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, spec TEXT NOT NULL,
  max_attempts INTEGER NOT NULL, next_run INTEGER NOT NULL, last_run INTEGER NOT NULL, updated INTEGER NOT NULL);
-- Loads left unfinished by an older version become runs of the jobs layer.
INSERT INTO job_runs (id, kind, key, payload, state, cancel_requested, attempts, max_attempts, run_at, owner,
  lease_until, progress, message, error, schedule_id, created, started, finished, updated)
SELECT 'datastore-' || resource_id || '-v' || CAST(version AS TEXT), 'datastore.load',
  resource_id || '/v' || CAST(version AS TEXT),
  '{"resource_id":"' || resource_id || '","version":' || CAST(version AS TEXT) || '}', 'queued', 0, 0, 1, updated,
  '', 0, 0, '', '', '', updated, 0, 0, updated
FROM jobs WHERE kind = 'datastore' AND state IN ('queued', 'running', 'indexing', 'cancelling');
)SQL",
       R"SQL(
CREATE TABLE job_runs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,
  cancel_requested BIGINT NOT NULL, attempts BIGINT NOT NULL, max_attempts BIGINT NOT NULL,
  run_at BIGINT NOT NULL, owner TEXT NOT NULL, lease_until BIGINT NOT NULL, progress BIGINT NOT NULL,
  message TEXT NOT NULL, error TEXT NOT NULL, schedule_id TEXT NOT NULL, created BIGINT NOT NULL,
  started BIGINT NOT NULL, finished BIGINT NOT NULL, updated BIGINT NOT NULL);
CREATE INDEX job_runs_due ON job_runs(state, run_at);
CREATE INDEX job_runs_key ON job_runs(kind, key, state);
CREATE TABLE job_schedules (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, spec TEXT NOT NULL,
  max_attempts BIGINT NOT NULL, next_run BIGINT NOT NULL, last_run BIGINT NOT NULL, updated BIGINT NOT NULL);
-- Loads left unfinished by an older version become runs of the jobs layer.
INSERT INTO job_runs (id, kind, key, payload, state, cancel_requested, attempts, max_attempts, run_at, owner,
  lease_until, progress, message, error, schedule_id, created, started, finished, updated)
SELECT 'datastore-' || resource_id || '-v' || CAST(version AS TEXT), 'datastore.load',
  resource_id || '/v' || CAST(version AS TEXT),
  '{"resource_id":"' || resource_id || '","version":' || CAST(version AS TEXT) || '}', 'queued', 0, 0, 1, updated,
  '', 0, 0, '', '', '', updated, 0, 0, updated
FROM jobs WHERE kind = 'datastore' AND state IN ('queued', 'running', 'indexing', 'cancelling');
)SQL"},
      {8,
       "consumer systems of other agencies, their credentials, and the keys signing their tokens",
       R"SQL(
CREATE TABLE consumer_systems (
  id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), agency_code TEXT NOT NULL,
  system_code TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, contacts TEXT NOT NULL,
  technical_name TEXT NOT NULL, technical_email TEXT NOT NULL, technical_phone TEXT NOT NULL,
  state TEXT NOT NULL, reason TEXT NOT NULL, registered_by TEXT NOT NULL, decided_by TEXT NOT NULL,
  created INTEGER NOT NULL, decided INTEGER NOT NULL, modified INTEGER NOT NULL,
  UNIQUE (agency_code, system_code));
CREATE INDEX consumer_systems_org ON consumer_systems(organization_id, created);
CREATE TABLE consumer_credentials (
  id TEXT PRIMARY KEY, system_id TEXT NOT NULL REFERENCES consumer_systems(id), kind TEXT NOT NULL,
  name TEXT NOT NULL, lookup TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE, created_by TEXT NOT NULL,
  created INTEGER NOT NULL, expires INTEGER NOT NULL, last_used INTEGER NOT NULL, revoked INTEGER NOT NULL,
  UNIQUE (kind, lookup));
CREATE INDEX consumer_credentials_system ON consumer_credentials(system_id, created);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY, public_key TEXT NOT NULL, secret_key TEXT NOT NULL, created INTEGER NOT NULL,
  retired INTEGER NOT NULL);
)SQL",
       R"SQL(
CREATE TABLE consumer_systems (
  id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), agency_code TEXT NOT NULL,
  system_code TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL, contacts TEXT NOT NULL,
  technical_name TEXT NOT NULL, technical_email TEXT NOT NULL, technical_phone TEXT NOT NULL,
  state TEXT NOT NULL, reason TEXT NOT NULL, registered_by TEXT NOT NULL, decided_by TEXT NOT NULL,
  created BIGINT NOT NULL, decided BIGINT NOT NULL, modified BIGINT NOT NULL,
  UNIQUE (agency_code, system_code));
CREATE INDEX consumer_systems_org ON consumer_systems(organization_id, created);
CREATE TABLE consumer_credentials (
  id TEXT PRIMARY KEY, system_id TEXT NOT NULL REFERENCES consumer_systems(id), kind TEXT NOT NULL,
  name TEXT NOT NULL, lookup TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE, created_by TEXT NOT NULL,
  created BIGINT NOT NULL, expires BIGINT NOT NULL, last_used BIGINT NOT NULL, revoked BIGINT NOT NULL,
  UNIQUE (kind, lookup));
CREATE INDEX consumer_credentials_system ON consumer_credentials(system_id, created);
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY, public_key TEXT NOT NULL, secret_key TEXT NOT NULL, created BIGINT NOT NULL,
  retired BIGINT NOT NULL);
)SQL"},
      {9, "consents to the privacy notice: who accepted which version, when", R"SQL(
CREATE TABLE privacy_consents (
  user_id TEXT NOT NULL REFERENCES users(id), notice_version INTEGER NOT NULL, accepted INTEGER NOT NULL,
  PRIMARY KEY (user_id, notice_version));
)SQL",
       R"SQL(
CREATE TABLE privacy_consents (
  user_id TEXT NOT NULL REFERENCES users(id), notice_version BIGINT NOT NULL, accepted BIGINT NOT NULL,
  PRIMARY KEY (user_id, notice_version));
)SQL"},
      {10,
       "views and downloads of every kind per day, dataset, resource and agency (download counts "
       "move in)",
       R"SQL(
CREATE TABLE usage_counts (
  day TEXT NOT NULL, kind TEXT NOT NULL, format TEXT NOT NULL, dataset_id TEXT NOT NULL,
  resource_id TEXT NOT NULL, organization_id TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (day, kind, format, dataset_id, resource_id));
-- The monthly download counts of older versions become the first day of their month.
INSERT INTO usage_counts (day, kind, format, dataset_id, resource_id, organization_id, count)
SELECT c.month || '-01', 'download', 'file', c.dataset_id, '', COALESCE(d.organization_id, ''), c.count
FROM download_counts c LEFT JOIN datasets d ON d.id = c.dataset_id;
DROP TABLE download_counts;
)SQL",
       R"SQL(
CREATE TABLE usage_counts (
  day TEXT NOT NULL, kind TEXT NOT NULL, format TEXT NOT NULL, dataset_id TEXT NOT NULL,
  resource_id TEXT NOT NULL, organization_id TEXT NOT NULL, count BIGINT NOT NULL,
  PRIMARY KEY (day, kind, format, dataset_id, resource_id));
-- The monthly download counts of older versions become the first day of their month.
INSERT INTO usage_counts (day, kind, format, dataset_id, resource_id, organization_id, count)
SELECT c.month || '-01', 'download', 'file', c.dataset_id, '', COALESCE(d.organization_id, ''), c.count
FROM download_counts c LEFT JOIN datasets d ON d.id = c.dataset_id;
DROP TABLE download_counts;
)SQL"},
      {11,
       "inter-agency sharing: offered services, requests with their history and clock, announced "
       "calendar days, in-portal notifications",
       R"SQL(
CREATE TABLE shared_services (
  id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), dataset_id TEXT NOT NULL,
  resource_id TEXT NOT NULL, state TEXT NOT NULL, doc TEXT NOT NULL, created_by TEXT NOT NULL,
  created INTEGER NOT NULL, modified INTEGER NOT NULL);
CREATE INDEX shared_services_org ON shared_services(organization_id);
CREATE TABLE sharing_requests (
  id TEXT PRIMARY KEY, service_id TEXT NOT NULL REFERENCES shared_services(id), provider_org TEXT NOT NULL,
  requester_org TEXT NOT NULL, consumer_id TEXT NOT NULL, state TEXT NOT NULL, submitted INTEGER NOT NULL,
  deadline INTEGER NOT NULL, reminded INTEGER NOT NULL, overdue_notified INTEGER NOT NULL, letter_sha256 TEXT NOT NULL,
  doc TEXT NOT NULL, created_by TEXT NOT NULL, created INTEGER NOT NULL, modified INTEGER NOT NULL);
CREATE INDEX sharing_requests_state ON sharing_requests(state, deadline);
CREATE TABLE sharing_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, actor_id TEXT NOT NULL, action TEXT NOT NULL,
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, note TEXT NOT NULL, doc TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX sharing_events_request ON sharing_events(request_id, seq);
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('day_off','working_day')), note TEXT NOT NULL,
  updated_by TEXT NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE notifications (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, subject_id TEXT NOT NULL,
  text_vi TEXT NOT NULL, text_en TEXT NOT NULL, link TEXT NOT NULL, created INTEGER NOT NULL, read_at INTEGER NOT NULL);
CREATE INDEX notifications_user ON notifications(user_id, created);
)SQL",
       R"SQL(
CREATE TABLE shared_services (
  id TEXT PRIMARY KEY, organization_id TEXT NOT NULL REFERENCES organizations(id), dataset_id TEXT NOT NULL,
  resource_id TEXT NOT NULL, state TEXT NOT NULL, doc TEXT NOT NULL, created_by TEXT NOT NULL,
  created BIGINT NOT NULL, modified BIGINT NOT NULL);
CREATE INDEX shared_services_org ON shared_services(organization_id);
CREATE TABLE sharing_requests (
  id TEXT PRIMARY KEY, service_id TEXT NOT NULL REFERENCES shared_services(id), provider_org TEXT NOT NULL,
  requester_org TEXT NOT NULL, consumer_id TEXT NOT NULL, state TEXT NOT NULL, submitted BIGINT NOT NULL,
  deadline BIGINT NOT NULL, reminded BIGINT NOT NULL, overdue_notified BIGINT NOT NULL, letter_sha256 TEXT NOT NULL,
  doc TEXT NOT NULL, created_by TEXT NOT NULL, created BIGINT NOT NULL, modified BIGINT NOT NULL);
CREATE INDEX sharing_requests_state ON sharing_requests(state, deadline);
CREATE TABLE sharing_events (
  seq BIGSERIAL PRIMARY KEY, request_id TEXT NOT NULL, actor_id TEXT NOT NULL, action TEXT NOT NULL,
  from_state TEXT NOT NULL, to_state TEXT NOT NULL, note TEXT NOT NULL, doc TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX sharing_events_request ON sharing_events(request_id, seq);
CREATE TABLE calendar_days (
  day TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('day_off','working_day')), note TEXT NOT NULL,
  updated_by TEXT NOT NULL, updated BIGINT NOT NULL);
CREATE TABLE notifications (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, subject_id TEXT NOT NULL,
  text_vi TEXT NOT NULL, text_en TEXT NOT NULL, link TEXT NOT NULL, created BIGINT NOT NULL, read_at BIGINT NOT NULL);
CREATE INDEX notifications_user ON notifications(user_id, created);
)SQL"},
      {12, "single-use links that set a password: invitations and password resets", R"SQL(
CREATE TABLE account_links (
  token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id),
  created_by TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL, used INTEGER NOT NULL);
CREATE INDEX account_links_user ON account_links(user_id, kind);
)SQL",
       R"SQL(
CREATE TABLE account_links (
  token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id),
  created_by TEXT NOT NULL, created BIGINT NOT NULL, expires BIGINT NOT NULL, used BIGINT NOT NULL);
CREATE INDEX account_links_user ON account_links(user_id, kind);
)SQL"},
      {13,
       "the tamper-evident log: records chained by SHA-256, its head, signed checkpoints and "
       "their keys",
       R"SQL(
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
  organization TEXT NOT NULL, subject TEXT NOT NULL, request_id TEXT NOT NULL,
  status BIGINT NOT NULL, rows_answered BIGINT NOT NULL, bytes BIGINT NOT NULL,
  duration_us BIGINT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_kind ON audit_log(kind, at);
CREATE INDEX audit_log_actor ON audit_log(actor, at);
CREATE INDEX audit_log_organization ON audit_log(organization, at);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head VALUES (1, 0, '');
CREATE TABLE audit_checkpoints (
  seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, at BIGINT NOT NULL, kid TEXT NOT NULL,
  signature TEXT NOT NULL);
CREATE TABLE audit_keys (
  kid TEXT PRIMARY KEY, public_key TEXT NOT NULL, secret_key TEXT NOT NULL, created BIGINT NOT NULL);
-- Append only: rewriting history needs dropping these first (which verification reveals).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
)SQL",
       R"SQL(
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
  organization TEXT NOT NULL, subject TEXT NOT NULL, request_id TEXT NOT NULL,
  status BIGINT NOT NULL, rows_answered BIGINT NOT NULL, bytes BIGINT NOT NULL,
  duration_us BIGINT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_kind ON audit_log(kind, at);
CREATE INDEX audit_log_actor ON audit_log(actor, at);
CREATE INDEX audit_log_organization ON audit_log(organization, at);
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head VALUES (1, 0, '');
CREATE TABLE audit_checkpoints (
  seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, at BIGINT NOT NULL, kid TEXT NOT NULL,
  signature TEXT NOT NULL);
CREATE TABLE audit_keys (
  kid TEXT PRIMARY KEY, public_key TEXT NOT NULL, secret_key TEXT NOT NULL, created BIGINT NOT NULL);
-- Append only: rewriting history needs dropping these first (which verification reveals).
CREATE FUNCTION odp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION odp_audit_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
FOR EACH ROW EXECUTE FUNCTION odp_audit_append_only();
)SQL"},
      {14, "grants of shared data to consumer systems, and the counts of their quotas",
       R"SQL(
CREATE TABLE grants (
  id TEXT PRIMARY KEY, consumer_id TEXT NOT NULL REFERENCES consumer_systems(id),
  organization_id TEXT NOT NULL, dataset_id TEXT NOT NULL, resource_id TEXT NOT NULL,
  service_id TEXT, request_id TEXT, columns TEXT NOT NULL, row_filter TEXT NOT NULL,
  masks TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER NOT NULL,
  requests_per_day INTEGER NOT NULL, rows_per_day INTEGER NOT NULL,
  requests_per_minute INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL,
  created_by TEXT NOT NULL, modified_by TEXT NOT NULL, created INTEGER NOT NULL,
  modified INTEGER NOT NULL);
CREATE INDEX grants_consumer ON grants(consumer_id, created);
CREATE INDEX grants_organization ON grants(organization_id, created);
CREATE INDEX grants_dataset ON grants(dataset_id, created);
CREATE TABLE quota_counts (
  scope TEXT NOT NULL, period TEXT NOT NULL, requests INTEGER NOT NULL, row_count INTEGER NOT NULL,
  PRIMARY KEY (scope, period));
)SQL",
       R"SQL(
CREATE TABLE grants (
  id TEXT PRIMARY KEY, consumer_id TEXT NOT NULL REFERENCES consumer_systems(id),
  organization_id TEXT NOT NULL, dataset_id TEXT NOT NULL, resource_id TEXT NOT NULL,
  service_id TEXT, request_id TEXT, columns TEXT NOT NULL, row_filter TEXT NOT NULL,
  masks TEXT NOT NULL, valid_from BIGINT NOT NULL, valid_to BIGINT NOT NULL,
  requests_per_day BIGINT NOT NULL, rows_per_day BIGINT NOT NULL,
  requests_per_minute BIGINT NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL,
  created_by TEXT NOT NULL, modified_by TEXT NOT NULL, created BIGINT NOT NULL,
  modified BIGINT NOT NULL);
CREATE INDEX grants_consumer ON grants(consumer_id, created);
CREATE INDEX grants_organization ON grants(organization_id, created);
CREATE INDEX grants_dataset ON grants(dataset_id, created);
CREATE TABLE quota_counts (
  scope TEXT NOT NULL, period TEXT NOT NULL, requests BIGINT NOT NULL, row_count BIGINT NOT NULL,
  PRIMARY KEY (scope, period));
)SQL"},
      {15, "following datasets and agencies by e-mail, and the log of follow requests", R"SQL(
CREATE TABLE follows (
  id TEXT PRIMARY KEY, email TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('dataset','organization')),
  target_id TEXT NOT NULL, lang TEXT NOT NULL, confirm_hash TEXT NOT NULL, confirm_expires INTEGER NOT NULL,
  unsubscribe_token TEXT NOT NULL UNIQUE, created INTEGER NOT NULL, confirmed INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, UNIQUE (email, kind, target_id));
CREATE INDEX follows_confirm ON follows(confirm_hash);
CREATE TABLE follow_requests (
  id TEXT PRIMARY KEY, email TEXT NOT NULL, client TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX follow_requests_email ON follow_requests(email, at);
CREATE INDEX follow_requests_client ON follow_requests(client, at);
CREATE INDEX follow_requests_at ON follow_requests(at);
)SQL",
       R"SQL(
CREATE TABLE follows (
  id TEXT PRIMARY KEY, email TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('dataset','organization')),
  target_id TEXT NOT NULL, lang TEXT NOT NULL, confirm_hash TEXT NOT NULL, confirm_expires BIGINT NOT NULL,
  unsubscribe_token TEXT NOT NULL UNIQUE, created BIGINT NOT NULL, confirmed BIGINT NOT NULL,
  last_seen BIGINT NOT NULL, UNIQUE (email, kind, target_id));
CREATE INDEX follows_confirm ON follows(confirm_hash);
CREATE TABLE follow_requests (
  id TEXT PRIMARY KEY, email TEXT NOT NULL, client TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX follow_requests_email ON follow_requests(email, at);
CREATE INDEX follow_requests_client ON follow_requests(client, at);
CREATE INDEX follow_requests_at ON follow_requests(at);
)SQL"},
      {16,
       "sign-in with an OpenID Connect provider: identities linked to accounts, sign-ins in "
       "progress",
       R"SQL(
CREATE TABLE external_identities (
  issuer TEXT NOT NULL, subject TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id),
  email TEXT NOT NULL, created INTEGER NOT NULL, last_used INTEGER NOT NULL, PRIMARY KEY (issuer, subject));
CREATE INDEX external_identities_user ON external_identities(user_id);
CREATE TABLE oidc_sign_ins (
  state_hash TEXT PRIMARY KEY, issuer TEXT NOT NULL, nonce TEXT NOT NULL, code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL, link_user_id TEXT NOT NULL, lang TEXT NOT NULL, created INTEGER NOT NULL,
  expires INTEGER NOT NULL);
CREATE INDEX oidc_sign_ins_expires ON oidc_sign_ins(expires);
)SQL",
       R"SQL(
CREATE TABLE external_identities (
  issuer TEXT NOT NULL, subject TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id),
  email TEXT NOT NULL, created BIGINT NOT NULL, last_used BIGINT NOT NULL, PRIMARY KEY (issuer, subject));
CREATE INDEX external_identities_user ON external_identities(user_id);
CREATE TABLE oidc_sign_ins (
  state_hash TEXT PRIMARY KEY, issuer TEXT NOT NULL, nonce TEXT NOT NULL, code_verifier TEXT NOT NULL,
  return_to TEXT NOT NULL, link_user_id TEXT NOT NULL, lang TEXT NOT NULL, created BIGINT NOT NULL,
  expires BIGINT NOT NULL);
CREATE INDEX oidc_sign_ins_expires ON oidc_sign_ins(expires);
)SQL"},
      {17, "notices sent once: expiry warnings and quota warnings, claimed by one server",
       R"SQL(
CREATE TABLE notice_claims (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
)SQL",
       R"SQL(
CREATE TABLE notice_claims (key TEXT PRIMARY KEY, at BIGINT NOT NULL);
)SQL"},
  };
  return kMigrations;
}

int LatestSchemaVersion() { return AllMigrations().back().version; }

}  // namespace odp::store

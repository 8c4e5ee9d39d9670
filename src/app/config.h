// Configuration for every command: flags first, then ODP_* environment variables, then defaults.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "formats/rows.h"

namespace odp::app {

struct Config {
  std::string data_dir = "./odp-data";
  std::string db_url;  // default: sqlite:<data_dir>/odp.db
  std::string listen = "127.0.0.1:8080";
  std::string site_url;  // default: http://<listen>
  int threads = 1;       // I/O threads
  int workers = 2;       // handler threads
  int64_t max_body_bytes = 8LL * 1024 * 1024;
  int64_t max_upload_bytes = 2LL * 1024 * 1024 * 1024;
  bool allow_registration = true;
  bool secure_cookies = false;
  bool migrate = true;
  // Uploads slower than this many bytes per second over a window are cut (0: never).
  int64_t min_upload_rate = 8 * 1024;
  int upload_rate_window_seconds = 30;
  // Blob garbage collection in `odp serve`: every `gc_interval_hours` (0: off), removing blobs
  // no row refers to that are older than `gc_grace_hours`.
  double gc_interval_hours = 6;
  double gc_grace_hours = 24;
  // Instead of every `gc_interval_hours`: daily at this time ("HH:MM", the portal's time zone).
  std::string gc_daily_at;
  // The jobs layer in `odp serve`: worker threads per server, and how long a run whose server
  // stopped renewing its lease waits before another server takes it over
  // (ODP_JOB_WORKERS, ODP_JOB_LEASE_SECONDS).
  int64_t job_workers = 2;
  int64_t job_lease_seconds = 30;
  // Reverse proxies whose X-Forwarded-For is believed (IPs/CIDRs, comma-separated; default none).
  std::string trusted_proxies;
  // Who may read /metrics besides sysadmins: these addresses (IPs/CIDRs; loopback is not implied)
  // and callers sending `Authorization: Bearer <metrics_token>`. Both default to nobody.
  std::string metrics_allow;
  std::string metrics_token;
  // Limits on every table read into the datastore (ODP_TABLE_MAX_COLUMNS, ODP_TABLE_MAX_CELL_BYTES,
  // ODP_TABLE_MAX_ROWS, ODP_XLSX_MAX_EXPANDED_BYTES, ODP_XLSX_MAX_RATIO).
  formats::ReadLimits table_limits;
  // datastore_search_sql (ODP_SQL_WORKERS, ODP_SQL_QUEUE, ODP_SQL_PER_CLIENT, ODP_SQL_TIMEOUT_MS,
  // ODP_SQL_TIMEOUT_ANONYMOUS_MS, ODP_SQL_MAX_ANSWER_BYTES): the threads of its own lane, how many
  // more may wait, how many one client may run at once, time limits for signed-in and anonymous
  // callers, and the largest answer.
  int64_t sql_workers = 2;
  int64_t sql_queue = 4;
  int64_t sql_per_client = 2;
  int64_t sql_timeout_ms = 5000;
  int64_t sql_timeout_anonymous_ms = 2000;
  int64_t sql_max_answer_bytes = 32LL << 20;
  // How often `odp serve` writes the views and downloads counted in memory to the database
  // (ODP_USAGE_FLUSH_MS; catalog/usage_counter.h). Other servers' pages show them after this
  // plus their own next flush.
  int64_t usage_flush_ms = 5000;
  // The audit log (audit/log.h): a consumer system's call is answered only once its usage record
  // is written (503 otherwise; ODP_AUDIT_FAIL_CLOSED), and a signed checkpoint every N records
  // (ODP_AUDIT_CHECKPOINT_EVERY) or T seconds (ODP_AUDIT_CHECKPOINT_SECONDS).
  bool audit_fail_closed = false;
  int64_t audit_checkpoint_every = 10000;
  int64_t audit_checkpoint_seconds = 60;
  // How often followers are mailed about changes (ODP_FOLLOW_SCAN_SECONDS; web/follow.cpp), and
  // URLs per sitemap file (ODP_SITEMAP_PAGE_SIZE; at most the protocol's 50,000).
  int64_t follow_scan_seconds = 60;
  int64_t sitemap_page_size = 50000;
  // The least severe log events written: debug, info, warn or error (ODP_LOG_LEVEL).
  std::string log_level = "info";
  // Outgoing mail (mail/mailer.h), used until a sysadmin saves mail settings in /admin/settings:
  // ODP_SMTP_HOST ("" = no mail), ODP_SMTP_PORT, ODP_SMTP_SECURITY (none, starttls, tls),
  // ODP_SMTP_USER, ODP_SMTP_PASSWORD, ODP_SMTP_FROM (the sender's address), ODP_SMTP_FROM_NAME.
  std::string smtp_host;
  int smtp_port = 25;
  std::string smtp_security = "none";
  std::string smtp_user;
  std::string smtp_password;
  std::string smtp_from;
  std::string smtp_from_name;
  // Sign-in with the public-service portal (oidc/relying_party.h), used until a sysadmin saves
  // its settings in /admin/settings: ODP_OIDC_ISSUER, ODP_OIDC_CLIENT_ID, ODP_OIDC_CLIENT_SECRET,
  // ODP_OIDC_LABEL_VI, ODP_OIDC_LABEL_EN; on when an issuer and a client id are given, unless
  // ODP_OIDC_ENABLED=0.
  std::string oidc_issuer;
  std::string oidc_client_id;
  std::string oidc_client_secret;
  std::string oidc_label_vi;
  std::string oidc_label_en;
  bool oidc_enabled = true;

  std::string DbUrl() const;
  std::string BlobDir() const { return data_dir + "/blobs"; }
  std::string SpoolDir() const { return data_dir + "/tmp"; }
};

// Fills unset fields from ODP_DATA, ODP_DB, ODP_LISTEN, ODP_SITE_URL, ODP_THREADS, ODP_WORKERS,
// ODP_MAX_BODY_BYTES, ODP_MAX_UPLOAD_BYTES, ODP_ALLOW_REGISTRATION, ODP_SECURE_COOKIES,
// ODP_MIN_UPLOAD_RATE, ODP_UPLOAD_RATE_WINDOW, ODP_GC_INTERVAL_HOURS, ODP_GC_GRACE_HOURS,
// ODP_TRUSTED_PROXIES, ODP_METRICS_ALLOW, ODP_METRICS_TOKEN, ODP_LOG_LEVEL, ODP_SQL_*,
// ODP_USAGE_FLUSH_MS, ODP_SMTP_*, ODP_FOLLOW_SCAN_SECONDS, ODP_SITEMAP_PAGE_SIZE and the table
// limits above.
// ODP_USAGE_FLUSH_MS, ODP_SMTP_*, ODP_OIDC_* and the table limits above.
// `flags_set` lists the fields given on the command line, which the environment never overrides.
void ApplyEnvironment(Config& c, const std::string& flags_set);

// Splits "HOST:PORT"; kInvalidArgument when malformed.
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen);

}  // namespace odp::app

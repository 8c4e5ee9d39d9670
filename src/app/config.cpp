#include "app/config.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "base/parse.h"

namespace odp::app {

std::string Config::DbUrl() const {
  return db_url.empty() ? "sqlite:" + data_dir + "/odp.db" : db_url;
}

void ApplyEnvironment(Config& c, const std::string& flags_set) {
  auto env = [&](const char* name, const char* flag, auto apply) {
    const char* v = std::getenv(name);
    if (v && *v && flags_set.find(std::string(",") + flag + ",") == std::string::npos)
      apply(std::string(v));
  };
  env("ODP_DATA", "data", [&](const std::string& v) { c.data_dir = v; });
  env("ODP_DB", "db", [&](const std::string& v) { c.db_url = v; });
  env("ODP_LISTEN", "listen", [&](const std::string& v) { c.listen = v; });
  env("ODP_SITE_URL", "site-url", [&](const std::string& v) { c.site_url = v; });
  env("ODP_THREADS", "threads", [&](const std::string& v) { c.threads = std::atoi(v.c_str()); });
  env("ODP_WORKERS", "workers", [&](const std::string& v) { c.workers = std::atoi(v.c_str()); });
  env("ODP_MAX_BODY_BYTES", "max-body-bytes",
      [&](const std::string& v) { c.max_body_bytes = std::atoll(v.c_str()); });
  env("ODP_MAX_UPLOAD_BYTES", "max-upload-bytes",
      [&](const std::string& v) { c.max_upload_bytes = std::atoll(v.c_str()); });
  env("ODP_ALLOW_REGISTRATION", "allow-registration",
      [&](const std::string& v) { c.allow_registration = v == "1" || v == "true"; });
  env("ODP_SECURE_COOKIES", "secure-cookies",
      [&](const std::string& v) { c.secure_cookies = v == "1" || v == "true"; });
  env("ODP_MIN_UPLOAD_RATE", "min-upload-rate",
      [&](const std::string& v) { c.min_upload_rate = std::atoll(v.c_str()); });
  env("ODP_UPLOAD_RATE_WINDOW", "upload-rate-window",
      [&](const std::string& v) { c.upload_rate_window_seconds = std::atoi(v.c_str()); });
  env("ODP_GC_INTERVAL_HOURS", "gc-interval-hours",
      [&](const std::string& v) { c.gc_interval_hours = std::atof(v.c_str()); });
  env("ODP_GC_GRACE_HOURS", "gc-grace-hours",
      [&](const std::string& v) { c.gc_grace_hours = std::atof(v.c_str()); });
  env("ODP_GC_DAILY_AT", "gc-daily-at", [&](const std::string& v) { c.gc_daily_at = v; });
  env("ODP_TRUSTED_PROXIES", "trusted-proxies",
      [&](const std::string& v) { c.trusted_proxies = v; });
  env("ODP_METRICS_ALLOW", "metrics-allow", [&](const std::string& v) { c.metrics_allow = v; });
  env("ODP_METRICS_TOKEN", "metrics-token", [&](const std::string& v) { c.metrics_token = v; });
  env("ODP_LOG_LEVEL", "log-level", [&](const std::string& v) { c.log_level = v; });
  // Outgoing mail: the defaults until a sysadmin saves mail settings in /admin/settings.
  env("ODP_SMTP_HOST", "smtp-host", [&](const std::string& v) { c.smtp_host = v; });
  env("ODP_SMTP_PORT", "smtp-port",
      [&](const std::string& v) { c.smtp_port = std::atoi(v.c_str()); });
  env("ODP_SMTP_SECURITY", "smtp-security", [&](const std::string& v) { c.smtp_security = v; });
  env("ODP_SMTP_USER", "smtp-user", [&](const std::string& v) { c.smtp_user = v; });
  env("ODP_SMTP_PASSWORD", "smtp-password", [&](const std::string& v) { c.smtp_password = v; });
  env("ODP_SMTP_FROM", "smtp-from", [&](const std::string& v) { c.smtp_from = v; });
  env("ODP_SMTP_FROM_NAME", "smtp-from-name", [&](const std::string& v) { c.smtp_from_name = v; });
  env("ODP_AUDIT_FAIL_CLOSED", "audit-fail-closed",
      [&](const std::string& v) { c.audit_fail_closed = v == "1" || v == "true"; });
  env("ODP_OIDC_ISSUER", "oidc-issuer", [&](const std::string& v) { c.oidc_issuer = v; });
  env("ODP_OIDC_CLIENT_ID", "oidc-client-id", [&](const std::string& v) { c.oidc_client_id = v; });
  env("ODP_OIDC_CLIENT_SECRET", "oidc-client-secret",
      [&](const std::string& v) { c.oidc_client_secret = v; });
  env("ODP_OIDC_LABEL_VI", "oidc-label-vi", [&](const std::string& v) { c.oidc_label_vi = v; });
  env("ODP_OIDC_LABEL_EN", "oidc-label-en", [&](const std::string& v) { c.oidc_label_en = v; });
  env("ODP_OIDC_ENABLED", "oidc-enabled",
      [&](const std::string& v) { c.oidc_enabled = v == "1" || v == "true"; });
  auto limit = [&](const char* name, int64_t& field) {
    const char* v = std::getenv(name);
    if (v && *v && std::atoll(v) > 0) field = std::atoll(v);
  };
  limit("ODP_TABLE_MAX_COLUMNS", c.table_limits.max_columns);
  limit("ODP_TABLE_MAX_CELL_BYTES", c.table_limits.max_cell_bytes);
  limit("ODP_TABLE_MAX_ROWS", c.table_limits.max_rows);
  limit("ODP_XLSX_MAX_EXPANDED_BYTES", c.table_limits.max_expanded_bytes);
  limit("ODP_XLSX_MAX_RATIO", c.table_limits.max_expansion_ratio);
  limit("ODP_JOB_WORKERS", c.job_workers);
  limit("ODP_JOB_LEASE_SECONDS", c.job_lease_seconds);
  limit("ODP_SQL_WORKERS", c.sql_workers);
  limit("ODP_SQL_QUEUE", c.sql_queue);
  limit("ODP_SQL_PER_CLIENT", c.sql_per_client);
  limit("ODP_SQL_TIMEOUT_MS", c.sql_timeout_ms);
  limit("ODP_SQL_TIMEOUT_ANONYMOUS_MS", c.sql_timeout_anonymous_ms);
  limit("ODP_SQL_MAX_ANSWER_BYTES", c.sql_max_answer_bytes);
  limit("ODP_USAGE_FLUSH_MS", c.usage_flush_ms);
  limit("ODP_AUDIT_CHECKPOINT_EVERY", c.audit_checkpoint_every);
  limit("ODP_AUDIT_CHECKPOINT_SECONDS", c.audit_checkpoint_seconds);
  limit("ODP_FOLLOW_SCAN_SECONDS", c.follow_scan_seconds);
  limit("ODP_SITEMAP_PAGE_SIZE", c.sitemap_page_size);
  if (c.follow_scan_seconds < 1) c.follow_scan_seconds = 1;
  c.sitemap_page_size = std::clamp<int64_t>(c.sitemap_page_size, 2, 50000);
  if (c.threads < 1) c.threads = 1;
  if (c.workers < 0) c.workers = 0;
  if (c.min_upload_rate < 0) c.min_upload_rate = 0;
  if (c.upload_rate_window_seconds < 1) c.upload_rate_window_seconds = 1;
  if (c.gc_interval_hours < 0) c.gc_interval_hours = 0;
  if (c.gc_grace_hours < 0) c.gc_grace_hours = 0;
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (Result<int64_t> port = ParseIntIn(std::string_view(listen).substr(colon + 1), 0, 65535);
      port.ok()) {
    return std::make_pair(host, static_cast<uint16_t>(*port));
  }
  return Status::InvalidArgument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
}

}  // namespace odp::app

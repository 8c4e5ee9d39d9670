// Configuration for every command: flags first, then ODP_* environment variables, then defaults.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "formats/rows.h"

namespace odp::app {

struct Config {
  std::string data_dir = "./odp-data";
  std::string db_url;            // default: sqlite:<data_dir>/odp.db
  std::string listen = "127.0.0.1:8080";
  std::string site_url;          // default: http://<listen>
  int threads = 1;  // I/O threads
  int workers = 2;  // handler threads
  int64_t max_body_bytes = 8LL * 1024 * 1024;
  int64_t max_upload_bytes = 2LL * 1024 * 1024 * 1024;
  bool allow_registration = true;
  bool secure_cookies = false;
  bool migrate = true;
  // Reverse proxies whose X-Forwarded-For is believed (IPs/CIDRs, comma-separated; default none).
  std::string trusted_proxies;
  // Who may read /metrics besides sysadmins: these addresses (IPs/CIDRs; loopback is not implied)
  // and callers sending `Authorization: Bearer <metrics_token>`. Both default to nobody.
  std::string metrics_allow;
  std::string metrics_token;
  // Limits on every table read into the datastore (ODP_TABLE_MAX_COLUMNS, ODP_TABLE_MAX_CELL_BYTES,
  // ODP_TABLE_MAX_ROWS, ODP_XLSX_MAX_EXPANDED_BYTES, ODP_XLSX_MAX_RATIO).
  formats::ReadLimits table_limits;

  std::string DbUrl() const;
  std::string BlobDir() const { return data_dir + "/blobs"; }
  std::string SpoolDir() const { return data_dir + "/tmp"; }
};

// Fills unset fields from ODP_DATA, ODP_DB, ODP_LISTEN, ODP_SITE_URL, ODP_THREADS, ODP_WORKERS,
// ODP_MAX_BODY_BYTES, ODP_MAX_UPLOAD_BYTES, ODP_ALLOW_REGISTRATION, ODP_SECURE_COOKIES,
// ODP_TRUSTED_PROXIES, ODP_METRICS_ALLOW, ODP_METRICS_TOKEN and the table limits above.
// `flags_set` lists the fields given on the command line, which the environment never overrides.
void ApplyEnvironment(Config& c, const std::string& flags_set);

// Splits "HOST:PORT"; kInvalidArgument when malformed.
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen);

}  // namespace odp::app

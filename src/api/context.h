// What every API handler shares: the services, the configuration and the anonymous response
// cache. Authentication is in api/auth.h, JSON answers and errors in api/response.h.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "access/accounts.h"
#include "access/consumers.h"
#include "access/grants.h"
#include "access/quota.h"
#include "catalog/catalog.h"
#include "catalog/settings.h"
#include "http/client_address.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace odp::datastore {
class Datastore;
}
namespace odp::jobs {
class Jobs;
}
namespace odp::mail {
class Mailer;
}
namespace odp::sharing {
class SharingService;
}
namespace odp::audit {
class Log;
}
namespace odp::oidc {
class RelyingParty;
class ExternalAccounts;
}  // namespace odp::oidc

namespace odp::api {

struct ApiConfig {
  std::string site_url = "http://127.0.0.1:8080";  // absolute base for links in API answers
  bool allow_registration = true;
  bool secure_cookies = false;  // set behind TLS
  int64_t session_ttl_seconds = 14 * 24 * 3600;
  int64_t max_upload_bytes = 2LL * 1024 * 1024 * 1024;
  std::string spool_dir;
  // datastore_search_sql's limits (anonymous callers get the shorter time).
  int sql_timeout_ms = 5000;
  int sql_timeout_anonymous_ms = 2000;
  int64_t sql_max_answer_bytes = 32LL << 20;
  http::AddressList trusted_proxies;  // whose X-Forwarded-For is believed (http::ClientAddress)
  http::AddressList metrics_allow;    // may read /metrics without credentials
  std::string metrics_token;          // Bearer token that may read /metrics ("" = none)
  // Every consumer system's call needs its usage record written before it is answered (503
  // otherwise); see api/audit_api.h.
  bool audit_fail_closed = false;
};

// Texts keyed by a string, valid while the catalogue generation is unchanged: per-dataset JSON,
// whole anonymous answers, and (for the HTTP fast path) serialised responses with their
// metrics label. Bounded by entries and by bytes (keys and texts): when full it starts over, as
// entries are cheap to rebuild. Thread-safe.
//
// An entry may also age out (`max_age`: pages that show live view and download counts are
// rebuilt at most that often), and may carry `on_serve`, run by every Get that returns it (the
// pages count a view of a dataset served from the cache with it; it must be cheap and must not
// use this cache).
struct CachePutOptions {
  std::chrono::milliseconds max_age{0};  // 0: until the generation moves
  std::function<void()> on_serve;        // run by every Get that returns the entry
};

class GenerationCache {
 public:
  using PutOptions = CachePutOptions;

  GenerationCache(size_t max_entries = 50000, size_t max_bytes = 64 << 20)  // NOLINT
      : max_entries_(max_entries), max_bytes_(max_bytes) {}
  size_t bytes() const;

  // The cached text (shared: a hit copies nothing), or null when absent, stale or too old.
  // `label`, when given, receives the entry's label.
  std::shared_ptr<const std::string> Get(std::string_view key, int64_t generation,
                                         std::string* label = nullptr) const;
  std::shared_ptr<const std::string> Put(std::string key, int64_t generation, std::string text,
                                         std::string label = {}, PutOptions options = {});

 private:
  struct Entry {
    int64_t generation;
    std::shared_ptr<const std::string> text;
    std::string label;
    std::chrono::steady_clock::time_point expires{};  // epoch (zero): never
    std::function<void()> on_serve;
  };
  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::shared_mutex mu_;
  // Looked up by string_view (Get allocates no key).
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>> entries_;  // guarded by mu_
  size_t bytes_ = 0;  // keys and texts of entries_, guarded by mu_
};

// Built with designated initializers; the references are required, the rest may be left out
// (every member after them has a default):
//   ApiContext ctx{.catalog = c, .accounts = a, .settings = s, .blobs = b, .feed = st,
//                  .config = cfg};
struct ApiContext {
  catalog::CatalogService& catalog;
  access::AccountService& accounts;
  catalog::SettingsService& settings;  // the site's name and description (status_show, pages)
  store::BlobStore& blobs;
  store::ChangeFeed& feed;  // /readyz: the database answers when it reads the feed's position
  ApiConfig config{};
  GenerationCache cache{};        // per-dataset JSON and whole anonymous answers
  std::function<bool()> ready{};  // for /readyz; unset: always ready
  GenerationCache fast{};         // serialised answers for the HTTP fast path, labelled by route
  datastore::Datastore* datastore = nullptr;  // tables of tabular resources; null when not opened
  jobs::Jobs* jobs = nullptr;  // background jobs (/admin/jobs); null when not running
  // Other agencies' systems and their credentials; null: X-API-Key and access tokens are refused.
  access::ConsumerService* consumers = nullptr;
  // Outgoing e-mail (mail/mailer.h); null: nothing is sent (commands without a jobs runner).
  mail::Mailer* mailer = nullptr;
  // Inter-agency sharing (sharing/sharing.h); null: its routes and pages answer 404.
  sharing::SharingService* sharing = nullptr;
  // The tamper-evident log (usage records, events); null: nothing is recorded (api/audit_api.h).
  audit::Log* audit = nullptr;
  // True for calls whose usage record must be written before they are answered (grants mark
  // services with personal data); unset: only ApiConfig::audit_fail_closed decides.
  std::function<bool(const http::Request&, const access::Principal&)> needs_audit{};
  // Grants of shared data and their quotas (access/grants.h, access/quota.h); null: consumers
  // read only what anonymous callers read. `mask_key` keys the hash masks of grants.
  access::GrantService* grants = nullptr;
  access::QuotaCounter* quotas = nullptr;
  std::string mask_key{};
  // Sign-in with the public-service portal (oidc/relying_party.h) and the accounts it lands in;
  // null: its pages answer 503.
  oidc::RelyingParty* oidc = nullptr;
  oidc::ExternalAccounts* external_accounts = nullptr;
};

}  // namespace odp::api

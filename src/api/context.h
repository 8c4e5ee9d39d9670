// What every API handler shares: the services, configuration, authentication, JSON and error
// helpers, and the anonymous response cache.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "access/accounts.h"
#include "catalog/catalog.h"
#include "http/request.h"
#include "store/blob_store.h"

namespace odp::api {

using json = nlohmann::json;

struct ApiConfig {
  std::string site_url = "http://127.0.0.1:8080";  // absolute base for links in API answers
  std::string site_title = "Cổng dữ liệu mở";
  std::string site_description = "Cổng dữ liệu mở của tỉnh";
  bool allow_registration = true;
  bool secure_cookies = false;  // set behind TLS
  int64_t session_ttl_seconds = 14 * 24 * 3600;
  int64_t max_upload_bytes = 2LL * 1024 * 1024 * 1024;
  std::string spool_dir;
};

// Anonymous responses keyed by URL, valid while the catalogue generation is unchanged.
class ResponseCache {
 public:
  // The cached text, or null. Shared, so that a hit costs no copy of the body.
  std::shared_ptr<const std::string> Get(const std::string& key, int64_t generation) const;
  std::shared_ptr<const std::string> Put(const std::string& key, int64_t generation, std::string body);

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::pair<int64_t, std::shared_ptr<const std::string>>> entries_;  // guarded by mu_
};

// Complete serialised answers to anonymous GETs, keyed by request target and valid while the
// catalogue generation is unchanged; served by the HTTP server's fast path.
class FastCache {
 public:
  std::shared_ptr<const std::string> Get(std::string_view target, int64_t generation, std::string& route) const;
  void Put(std::string target, int64_t generation, std::string route, std::string response);

 private:
  struct Entry {
    int64_t generation;
    std::string route;
    std::shared_ptr<const std::string> response;
  };
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

struct ApiContext {
  catalog::CatalogService& catalog;
  access::AccountService& accounts;
  store::BlobStore& blobs;
  store::Store& store;
  ApiConfig config;
  ResponseCache cache;
  std::function<bool()> ready;  // for /readyz
  FastCache fast;
};

// Who is calling: an API token (raw or "Bearer …" in Authorization, or X-CKAN-API-Key), else
// a session cookie, else anonymous. A token that is wrong or revoked is an error (401), not
// anonymous; a stale cookie is simply anonymous.
Result<access::Principal> Authenticate(ApiContext& ctx, const http::Request& req);

// True when the request carries no credential at all (no token, no cookie).
bool SentNoCredentials(const http::Request& req);

// For writes: a cookie-authenticated caller must send the session's CSRF token in the
// X-CSRF-Token header (or `csrf_field`, for HTML forms).
Status CheckCsrf(const access::Principal& who, const http::Request& req,
                 const std::string& csrf_field = "");

// The HTTP status for a Status code (one place for the whole API).
int HttpStatusFor(StatusCode code);

// REST error body: {"error":{"code","message","message_vi","details"}}.
http::Response ErrorResponse(const Status& s);
http::Response JsonResponse(int status, const json& body);
http::Response JsonText(int status, std::string body);
http::Response JsonText(int status, std::shared_ptr<const std::string> body);

// Parses a JSON object body; invalid JSON, invalid UTF-8 or a non-object is kInvalidArgument.
Result<json> ParseJsonObject(const std::string& body);

// Reads optional typed fields from a JSON object into inputs, recording wrong types.
class FieldReader {
 public:
  explicit FieldReader(const json& obj) : obj_(obj) {}
  void Str(const char* key, std::optional<std::string>& out);
  void StrList(const char* key, std::optional<std::vector<std::string>>& out);
  void StrMap(const char* key, std::optional<std::map<std::string, std::string>>& out);
  void Int(const char* key, std::optional<int>& out);
  // OK, or kInvalidArgument naming every field of the wrong type.
  Status status() const;

 private:
  const json& obj_;
  Status errors_ = Status::InvalidArgument("fields have the wrong type", "Trường có kiểu dữ liệu sai");
  bool bad_ = false;
};

// Dumps JSON, replacing any invalid UTF-8 rather than throwing.
std::string Dump(const json& j);

}  // namespace odp::api

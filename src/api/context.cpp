#include "api/context.h"

#include "base/crypto.h"

namespace odp::api {

std::shared_ptr<const std::string> GenerationCache::Get(std::string_view key, int64_t generation,
                                                        std::string* label) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || it->second.generation != generation) return nullptr;
  if (label) *label = it->second.label;
  return it->second.text;
}

std::shared_ptr<const std::string> GenerationCache::Put(std::string key, int64_t generation,
                                                        std::string text, std::string label) {
  auto shared = std::make_shared<const std::string>(std::move(text));
  std::unique_lock lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[std::move(key)] = {generation, shared, std::move(label)};
  return shared;
}

bool SentNoCredentials(const http::Request& req) {
  return req.Header("authorization").empty() && req.Header("cookie").empty() &&
         req.Header("x-ckan-api-key").empty();
}

Result<access::Principal> Authenticate(ApiContext& ctx, const http::Request& req) {
  std::string token = req.Header("authorization");
  if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0) token = token.substr(7);
  if (token.empty()) token = req.Header("x-ckan-api-key");
  if (!token.empty()) return ctx.accounts.PrincipalFromToken(token);
  std::string cookie = req.Cookie("odp_session");
  if (!cookie.empty()) {
    auto p = ctx.accounts.PrincipalFromSession(cookie);
    if (p.ok()) return p;
  }
  return access::Principal{};
}

std::string ClientAddressOf(const ApiContext& ctx, const http::Request& req) {
  return http::ClientAddress(req, ctx.config.trusted_proxies);
}

Status CheckCsrf(const access::Principal& who, const http::Request& req, const std::string& csrf_field) {
  if (who.via != access::Principal::Via::kSession) return Status::Ok();
  std::string sent = req.Header("x-csrf-token");
  if (sent.empty()) sent = csrf_field;
  if (!sent.empty() && SecretsEqual(sent, who.csrf_token)) return Status::Ok();
  return Status::PermissionDenied("missing or wrong CSRF token",
                                  "Thiếu mã chống giả mạo yêu cầu (CSRF); hãy tải lại trang");
}

void SetSessionCookie(const ApiContext& ctx, http::Response& r, const std::string& value, int64_t max_age) {
  std::string c = "odp_session=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (ctx.config.secure_cookies) c += "; Secure";
  r.headers.emplace_back("Set-Cookie", std::move(c));
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kConflict: return 409;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

static http::Response JsonHeaders(int status) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  return r;
}

http::Response JsonText(int status, std::string body) {
  http::Response r = JsonHeaders(status);
  r.body = std::move(body);
  return r;
}

http::Response JsonText(int status, std::shared_ptr<const std::string> body) {
  http::Response r = JsonHeaders(status);
  r.shared_body = std::move(body);
  return r;
}

http::Response JsonResponse(int status, const json& body) { return JsonText(status, Dump(body)); }

http::Response ErrorResponse(const Status& s) {
  json details = json::object();
  for (const auto& [k, v] : s.fields()) details[k] = v;
  json body = {{"error",
                {{"code", StatusCodeName(s.code())},
                 {"message", s.message()},
                 {"message_vi", s.message_vi()},
                 {"details", details}}}};
  http::Response r = JsonResponse(HttpStatusFor(s.code()), body);
  if (s.code() == StatusCode::kUnauthenticated) r.Set("WWW-Authenticate", "Bearer realm=\"odp\"");
  return r;
}

Result<json> ParseJsonObject(const std::string& body) {
  if (body.empty()) return json::object();
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    return Status::InvalidArgument("the body is not valid JSON (or not UTF-8)",
                                   "Nội dung gửi lên không phải JSON hợp lệ (hoặc không phải UTF-8)");
  }
  if (!j.is_object()) {
    return Status::InvalidArgument("the body must be a JSON object", "Nội dung phải là một đối tượng JSON");
  }
  return j;
}

void FieldReader::Str(const char* key, std::optional<std::string>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  if (it->is_string()) {
    out = it->get<std::string>();
  } else if (it->is_number() || it->is_boolean()) {
    out = it->dump();
  } else {
    errors_.WithField(key, "Phải là chuỗi ký tự");
    bad_ = true;
  }
}

void FieldReader::StrList(const char* key, std::optional<std::vector<std::string>>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  if (!it->is_array()) {
    errors_.WithField(key, "Phải là danh sách chuỗi");
    bad_ = true;
    return;
  }
  std::vector<std::string> v;
  for (const auto& e : *it) {
    if (e.is_string()) {
      v.push_back(e.get<std::string>());
    } else if (e.is_object() && e.contains("name") && e["name"].is_string()) {
      v.push_back(e["name"].get<std::string>());  // CKAN's [{"name": "..."}] form
    } else {
      errors_.WithField(key, "Phải là danh sách chuỗi");
      bad_ = true;
      return;
    }
  }
  out = std::move(v);
}

void FieldReader::StrMap(const char* key, std::optional<std::map<std::string, std::string>>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  std::map<std::string, std::string> m;
  if (it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        errors_.WithField(key, "Giá trị phải là chuỗi");
        bad_ = true;
        return;
      }
      m[k] = v.get<std::string>();
    }
  } else if (it->is_array()) {  // CKAN extras: [{"key": k, "value": v}]
    for (const auto& e : *it) {
      if (!e.is_object() || !e.contains("key") || !e["key"].is_string() || !e.contains("value") ||
          !e["value"].is_string()) {
        errors_.WithField(key, "Phải là danh sách {key, value}");
        bad_ = true;
        return;
      }
      m[e["key"].get<std::string>()] = e["value"].get<std::string>();
    }
  } else {
    errors_.WithField(key, "Phải là đối tượng");
    bad_ = true;
    return;
  }
  out = std::move(m);
}

void FieldReader::Int(const char* key, std::optional<int>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  if (it->is_number_integer()) {
    out = it->get<int>();
  } else if (it->is_string()) {
    try {
      size_t used = 0;
      int v = std::stoi(it->get<std::string>(), &used);
      if (used == it->get<std::string>().size()) {
        out = v;
        return;
      }
    } catch (const std::exception&) {
    }
    errors_.WithField(key, "Phải là số nguyên");
    bad_ = true;
  } else {
    errors_.WithField(key, "Phải là số nguyên");
    bad_ = true;
  }
}

Status FieldReader::status() const { return bad_ ? errors_ : Status::Ok(); }

}  // namespace odp::api

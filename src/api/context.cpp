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
  const size_t size = key.size() + shared->size() + label.size();
  if (size > max_bytes_ / 8) return shared;  // too big to be worth a place
  std::unique_lock lock(mu_);
  if (entries_.size() >= max_entries_ || bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  auto [it, inserted] = entries_.try_emplace(std::move(key));
  if (!inserted) bytes_ -= it->first.size() + it->second.text->size() + it->second.label.size();
  it->second = {generation, shared, std::move(label)};
  bytes_ += size;
  return shared;
}

size_t GenerationCache::bytes() const {
  std::shared_lock lock(mu_);
  return bytes_;
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

}  // namespace odp::api

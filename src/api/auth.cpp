#include "api/auth.h"

#include "api/audit_api.h"
#include "api/response.h"
#include "base/crypto.h"
#include "http/client_address.h"

namespace odp::api {

using http::Request;
using http::Response;

bool SentNoCredentials(const http::Request& req) {
  return req.Header("authorization").empty() && req.Header("cookie").empty() &&
         req.Header("x-ckan-api-key").empty() && req.Header("x-api-key").empty();
}

namespace {

// A compact JWS has exactly two dots; user API tokens ("odp_…") have none.
bool LooksLikeJwt(const std::string& token) {
  const size_t first = token.find('.');
  return first != std::string::npos && token.find('.', first + 1) != std::string::npos;
}

Status NoConsumers() {
  return Status::Unauthenticated("consumer credentials are not accepted by this server",
                                 "Máy chủ này không nhận thông tin xác thực của hệ thống kết nối");
}

// A consumer principal carries its system's grants in effect now (read on every call, so a
// change to a grant counts at once on every server).
Result<access::Principal> WithGrants(ApiContext& ctx, Result<access::Principal> who) {
  if (!who.ok() || ctx.grants == nullptr || !who->consumer()) return who;
  ODP_ASSIGN_OR_RETURN(auto grants, ctx.grants->InEffect(who->consumer_id, NowMicros()));
  who->grants = std::make_shared<const std::vector<Grant>>(std::move(grants));
  return who;
}

}  // namespace

Result<access::Principal> Authenticate(ApiContext& ctx, const http::Request& req) {
  std::string token = req.Header("authorization");
  if (token.rfind("Bearer ", 0) == 0 || token.rfind("bearer ", 0) == 0) token = token.substr(7);
  const std::string& api_key = req.Header("x-api-key");
  if (!api_key.empty()) {
    // A consumer system's key. One credential per request: a key with a token or a cookie
    // would leave it unclear whose rights apply.
    if (!token.empty() || !req.Header("x-ckan-api-key").empty()) {
      return Status::Unauthenticated(
          "send one credential: X-API-Key or Authorization, not both",
          "Chỉ gửi một loại thông tin xác thực: X-API-Key hoặc Authorization");
    }
    if (ctx.consumers == nullptr) return NoConsumers();
    return WithGrants(ctx, ctx.consumers->AuthenticateKey(api_key));
  }
  if (!token.empty() && LooksLikeJwt(token)) {
    if (ctx.consumers == nullptr) return NoConsumers();
    return WithGrants(ctx, ctx.consumers->AuthenticateToken(token));
  }
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

Status CheckCsrf(const access::Principal& who, const http::Request& req,
                 const std::string& csrf_field) {
  if (who.via != access::Principal::Via::kSession) return Status::Ok();
  std::string sent = req.Header("x-csrf-token");
  if (sent.empty()) sent = csrf_field;
  if (!sent.empty() && SecretsEqual(sent, who.csrf_token)) return Status::Ok();
  return Status::PermissionDenied("missing or wrong CSRF token",
                                  "Thiếu mã chống giả mạo yêu cầu (CSRF); hãy tải lại trang");
}

void SetSessionCookie(const ApiContext& ctx, http::Response& r, const std::string& value,
                      int64_t max_age) {
  std::string c = "odp_session=" + value +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (ctx.config.secure_cookies) c += "; Secure";
  r.headers.emplace_back("Set-Cookie", std::move(c));
}

RouteHandler WithAuth(ApiContext& ctx, AuthedHandler fn) {
  return [&ctx, fn = std::move(fn)](Request& req, const PathParams& params) -> Response {
    auto who = Authenticate(ctx, req);
    if (!who.ok()) return ErrorResponse(who.status());
    if (req.method != "GET" && req.method != "HEAD") {
      Status csrf = CheckCsrf(*who, req);
      if (!csrf.ok()) return ErrorResponse(csrf);
    }
    auto id = params.find("id");
    return RecordedCall(ctx, req, *who, id == params.end() ? "" : id->second, [&]() -> Response {
      try {
        return fn(req, params, *who);
      } catch (const json::exception& e) {
        return ErrorResponse(Status::InvalidArgument(std::string("bad JSON value: ") + e.what(),
                                                     "Giá trị JSON không hợp lệ"));
      }
    });
  };
}

}  // namespace odp::api

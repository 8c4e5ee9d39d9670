// Consumer systems over HTTP: /api/v1/consumers… (registration, decisions, credentials), the
// OAuth 2.0 token endpoint POST /oauth/token (client credentials grant, RFC 6749 §4.4) and the
// public keys at /.well-known/jwks.json. The rules are ConsumerService's (access/consumers.h).
#include <string>

#include "access/consumers.h"
#include "api/api.h"
#include "api/handler.h"
#include "base/crypto.h"

namespace odp::api {
namespace {

using access::Principal;
using http::Request;
using http::Response;

Status NotEnabled() {
  return Status(StatusCode::kNotFound, "consumer systems are not enabled on this server",
                "Máy chủ này chưa bật chức năng hệ thống kết nối");
}

json ConsumerJson(const ConsumerSystem& c) {
  json contacts = json::parse(c.contacts, nullptr, false);
  if (!contacts.is_array()) contacts = json::array();
  return {
      {"id", c.id},
      {"organization_id", c.organization_id},
      {"agency_code", c.agency_code},
      {"system_code", c.system_code},
      {"name", c.name},
      {"description", c.description},
      {"contacts", contacts},
      {"technical_contact",
       {{"name", c.technical_name}, {"email", c.technical_email}, {"phone", c.technical_phone}}},
      {"state", c.state},
      {"reason", c.reason},
      {"registered_by", c.registered_by},
      {"decided_by", c.decided_by},
      {"created", FormatIsoSeconds(c.created)},
      {"decided", c.decided ? json(FormatIsoSeconds(c.decided)) : json(nullptr)},
      {"modified", FormatIsoSeconds(c.modified)}};
}

json CredentialJson(const ConsumerCredential& k) {
  const Micros now = NowMicros();
  std::string state = k.revoked ? "revoked" : (k.expires && now >= k.expires ? "expired" : "live");
  return {{"id", k.id},
          {"kind", k.kind},
          {"name", k.name},
          {k.kind == "oauth_client" ? "client_id" : "prefix", k.lookup},
          {"state", state},
          {"created", FormatIsoSeconds(k.created)},
          {"expires", k.expires ? json(FormatIsoSeconds(k.expires)) : json(nullptr)},
          {"last_used", k.last_used ? json(FormatIsoSeconds(k.last_used)) : json(nullptr)},
          {"revoked", k.revoked ? json(FormatIsoSeconds(k.revoked)) : json(nullptr)}};
}

Result<std::string> Field(const json& j, const char* key) { return JsonStringField(j, key); }

Result<access::ConsumerContact> ContactFrom(const json& j) {
  access::ConsumerContact c;
  if (j.is_null()) return c;
  if (!j.is_object())
    return Status::InvalidArgument("a contact must be an object",
                                   "Người liên hệ phải là một đối tượng JSON");
  ODP_ASSIGN_OR_RETURN(c.name, Field(j, "name"));
  ODP_ASSIGN_OR_RETURN(c.email, Field(j, "email"));
  ODP_ASSIGN_OR_RETURN(c.phone, Field(j, "phone"));
  ODP_ASSIGN_OR_RETURN(c.role, Field(j, "role"));
  return c;
}

Result<access::ConsumerService*> Service(ApiContext& ctx) {
  if (ctx.consumers == nullptr) return NotEnabled();
  return ctx.consumers;
}

Result<Response> ListConsumers(ApiContext& ctx, Request& req, const PathParams&,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto list, svc->List(who, req.Param("state")));
  json out = json::array();
  for (const auto& c : list) out.push_back(ConsumerJson(c));
  return JsonResponse(200, {{"consumers", out}});
}

Result<Response> RegisterConsumer(ApiContext& ctx, Request& req, const PathParams&,
                                  const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  access::ConsumerRegistration r;
  ODP_ASSIGN_OR_RETURN(r.organization, Field(j, "organization"));
  ODP_ASSIGN_OR_RETURN(r.agency_code, Field(j, "agency_code"));
  ODP_ASSIGN_OR_RETURN(r.system_code, Field(j, "system_code"));
  ODP_ASSIGN_OR_RETURN(r.name, Field(j, "name"));
  ODP_ASSIGN_OR_RETURN(r.description, Field(j, "description"));
  if (j.contains("technical_contact")) {
    ODP_ASSIGN_OR_RETURN(r.technical, ContactFrom(j["technical_contact"]));
  }
  if (j.contains("contacts") && !j["contacts"].is_null()) {
    if (!j["contacts"].is_array() || j["contacts"].size() > 10) {
      return Status::InvalidArgument("contacts: a list of at most 10",
                                     "Danh sách người liên hệ (tối đa 10)")
          .WithField("contacts", "Tối đa 10 người liên hệ");
    }
    for (const json& c : j["contacts"]) {
      ODP_ASSIGN_OR_RETURN(auto contact, ContactFrom(c));
      r.contacts.push_back(std::move(contact));
    }
  }
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, svc->Register(who, r));
  return JsonResponse(201, ConsumerJson(c));
}

Result<Response> ConsumerMe(ApiContext& ctx, Request&, const PathParams&, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  if (!who.consumer()) {
    return Status::Unauthenticated(
        "call with a consumer system's X-API-Key or access token",
        "Hãy gọi bằng khoá API (X-API-Key) hoặc mã truy cập của hệ thống kết nối");
  }
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, svc->SystemOf(who));
  json j = {
      {"id", c.id},
      {"agency_code", c.agency_code},
      {"system_code", c.system_code},
      {"name", c.name},
      {"organization_id", c.organization_id},
      {"state", c.state},
      {"credential_id", who.credential_id},
      {"authenticated_by", who.via == Principal::Via::kConsumerKey ? "api_key" : "access_token"}};
  return JsonResponse(200, j);
}

Result<Response> GetConsumer(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, svc->Get(who, p.at("id")));
  return JsonResponse(200, ConsumerJson(c));
}

Result<std::string> Reason(const Request& req) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  return Field(j, "reason");
}

Result<Response> ApproveConsumer(ApiContext& ctx, Request&, const PathParams& p,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, svc->Approve(who, p.at("id")));
  return JsonResponse(200, ConsumerJson(c));
}

Result<Response> RefuseConsumer(ApiContext& ctx, Request& req, const PathParams& p,
                                const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(std::string reason, Reason(req));
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, svc->Refuse(who, p.at("id"), reason));
  return JsonResponse(200, ConsumerJson(c));
}

Result<Response> RevokeConsumer(ApiContext& ctx, Request& req, const PathParams& p,
                                const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(std::string reason, Reason(req));
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, svc->Revoke(who, p.at("id"), reason));
  return JsonResponse(200, ConsumerJson(c));
}

Result<Response> ListCredentials(ApiContext& ctx, Request&, const PathParams& p,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto list, svc->ListCredentials(who, p.at("id")));
  json out = json::array();
  for (const auto& k : list) out.push_back(CredentialJson(k));
  return JsonResponse(200, {{"credentials", out}});
}

Result<Response> IssueCredential(ApiContext& ctx, Request& req, const PathParams& p,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  access::CredentialRequest r;
  ODP_ASSIGN_OR_RETURN(r.kind, Field(j, "kind"));
  ODP_ASSIGN_OR_RETURN(r.name, Field(j, "name"));
  if (j.contains("expires_in_days") && !j["expires_in_days"].is_null()) {
    auto days = JsonInteger(j["expires_in_days"]);
    if (!days.ok() || *days < 1 || *days > 730) {
      return Status::InvalidArgument("expires_in_days: 1 to 730", "Thời hạn từ 1 đến 730 ngày")
          .WithField("expires_in_days", "Thời hạn từ 1 đến 730 ngày");
    }
    r.expires_in_days = static_cast<int>(*days);
  }
  ODP_ASSIGN_OR_RETURN(auto issued, svc->IssueCredential(who, p.at("id"), r));
  json out = CredentialJson(issued.credential);
  if (r.kind == "api_key") {
    out["api_key"] = issued.secret;
  } else {
    out["client_id"] = issued.client_id;
    out["client_secret"] = issued.secret;
  }
  Response resp = JsonResponse(201, out);
  resp.Set("Cache-Control", "no-store");
  return resp;
}

Result<Response> RevokeCredential(ApiContext& ctx, Request&, const PathParams& p,
                                  const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_RETURN_IF_ERROR(svc->RevokeCredential(who, p.at("id"), p.at("credential")));
  return NoContent();
}

json SigningKeyJson(const SigningKey& k) {
  return {{"kid", k.kid},
          {"created", FormatIsoSeconds(k.created)},
          {"retired", k.retired ? json(FormatIsoSeconds(k.retired)) : json(nullptr)}};
}

Result<Response> ListSigningKeys(ApiContext& ctx, Request&, const PathParams&,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto keys, svc->ListSigningKeys(who));
  json out = json::array();
  for (const auto& k : keys) out.push_back(SigningKeyJson(k));
  return JsonResponse(200, {{"keys", out}});
}

Result<Response> RotateSigningKey(ApiContext& ctx, Request&, const PathParams&,
                                  const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(SigningKey k, svc->RotateSigningKey(who));
  return JsonResponse(201, SigningKeyJson(k));
}

// Retires a (leaked) key at once; answers with the key that signs from now on.
Result<Response> RetireSigningKey(ApiContext& ctx, Request&, const PathParams& p,
                                  const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(SigningKey signer, svc->RetireSigningKey(who, p.at("kid")));
  return JsonResponse(200, {{"retired", p.at("kid")}, {"signing_key", SigningKeyJson(signer)}});
}

// OAuth 2.0 ------------------------------------------------------------------------------------

// An RFC 6749 §5.2 error body; never cached.
Response OAuthError(int status, const std::string& error, const std::string& description) {
  Response r = JsonResponse(status, {{"error", error}, {"error_description", description}});
  r.Set("Cache-Control", "no-store");
  r.Set("Pragma", "no-cache");
  if (status == 401) r.Set("WWW-Authenticate", "Basic realm=\"odp\", charset=\"UTF-8\"");
  return r;
}

// Not behind WithAuth: the Authorization header here carries the client's Basic credentials.
Response Token(ApiContext& ctx, Request& req, const PathParams&) {
  if (ctx.consumers == nullptr)
    return OAuthError(400, "invalid_request", "consumer systems are not enabled");
  const std::string& type = req.Header("content-type");
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    return OAuthError(400, "invalid_request",
                      "send the parameters as application/x-www-form-urlencoded");
  }
  if (req.body.size() > 8192) return OAuthError(400, "invalid_request", "request too large");
  std::string grant_type, client_id, client_secret;
  int grants = 0, ids = 0, secrets = 0;
  for (const auto& [key, value] : http::ParseQuery(req.body)) {
    if (key == "grant_type") {
      grant_type = value;
      ++grants;
    } else if (key == "client_id") {
      client_id = value;
      ++ids;
    } else if (key == "client_secret") {
      client_secret = value;
      ++secrets;
    }
  }
  if (grants > 1 || ids > 1 || secrets > 1) {
    return OAuthError(400, "invalid_request", "a parameter is repeated");  // RFC 6749 §3.2
  }
  const std::string& authorization = req.Header("authorization");
  if (!authorization.empty()) {
    if (ids || secrets)
      return OAuthError(400, "invalid_request", "use one client authentication method");
    if (authorization.size() > 1024 ||
        (authorization.rfind("Basic ", 0) != 0 && authorization.rfind("basic ", 0) != 0)) {
      return OAuthError(401, "invalid_client", "client authentication failed");
    }
    auto decoded = Base64Decode(authorization.substr(6));
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos ||
        !http::UrlDecode(std::string_view(*decoded).substr(0, colon), true, client_id) ||
        !http::UrlDecode(std::string_view(*decoded).substr(colon + 1), true, client_secret)) {
      return OAuthError(401, "invalid_client", "client authentication failed");
    }
  }
  if (grant_type.empty()) return OAuthError(400, "invalid_request", "grant_type is required");
  if (grant_type != "client_credentials") {
    return OAuthError(400, "unsupported_grant_type", "only client_credentials is supported");
  }
  if (client_id.empty() || client_secret.empty()) {
    return OAuthError(401, "invalid_client", "client authentication failed");
  }
  auto token = ctx.consumers->IssueToken(client_id, client_secret);
  if (!token.ok()) {
    if (token.status().code() == StatusCode::kUnauthenticated) {
      return OAuthError(401, "invalid_client", "client authentication failed");
    }
    return ErrorResponse(token.status());
  }
  Response r = JsonResponse(200, {{"access_token", token->token},
                                  {"token_type", "Bearer"},
                                  {"expires_in", token->expires_in}});
  r.Set("Cache-Control", "no-store");
  r.Set("Pragma", "no-cache");
  return r;
}

Response Jwks(ApiContext& ctx, Request&, const PathParams&) {
  if (ctx.consumers == nullptr) return JsonText(200, std::string(R"({"keys":[]})"));
  auto text = ctx.consumers->Jwks();
  if (!text.ok()) return ErrorResponse(text.status());
  Response r = JsonText(200, *text);
  r.Set("Content-Type", "application/jwk-set+json");
  r.Set("Cache-Control", "public, max-age=60");
  return r;
}

}  // namespace

void RegisterConsumers(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/consumers", ListConsumers);
  AddRoute(router, ctx, "POST", "/api/v1/consumers", RegisterConsumer);
  AddRoute(router, ctx, "GET", "/api/v1/consumers/me", ConsumerMe);
  AddRoute(router, ctx, "GET", "/api/v1/consumers/{id}", GetConsumer);
  AddRoute(router, ctx, "POST", "/api/v1/consumers/{id}/approve", ApproveConsumer);
  AddRoute(router, ctx, "POST", "/api/v1/consumers/{id}/refuse", RefuseConsumer);
  AddRoute(router, ctx, "POST", "/api/v1/consumers/{id}/revoke", RevokeConsumer);
  AddRoute(router, ctx, "GET", "/api/v1/consumers/{id}/credentials", ListCredentials);
  AddRoute(router, ctx, "POST", "/api/v1/consumers/{id}/credentials", IssueCredential);
  AddRoute(router, ctx, "DELETE", "/api/v1/consumers/{id}/credentials/{credential}",
           RevokeCredential);
  AddRoute(router, ctx, "GET", "/api/v1/oauth/signing-keys", ListSigningKeys);
  AddRoute(router, ctx, "POST", "/api/v1/oauth/signing-keys", RotateSigningKey);
  AddRoute(router, ctx, "POST", "/api/v1/oauth/signing-keys/{kid}/retire", RetireSigningKey);
  router.Add("POST", "/oauth/token",
             [&ctx](Request& req, const PathParams& p) { return Token(ctx, req, p); });
  router.Add("GET", "/.well-known/jwks.json",
             [&ctx](Request& req, const PathParams& p) { return Jwks(ctx, req, p); });
}

}  // namespace odp::api

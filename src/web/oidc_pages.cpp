#include "web/oidc_pages.h"

#include "api/auth.h"
#include "base/log.h"
#include "http/request.h"
#include "oidc/external_accounts.h"
#include "oidc/relying_party.h"

namespace odp::web {
namespace {

using http::Response;
using json = nlohmann::json;

constexpr const char* kStateCookie = "odp_oidc";
constexpr const char* kMethod = "OpenID Connect";

std::string StateCookie(const Page& p, const std::string& value, int max_age) {
  std::string c = std::string(kStateCookie) + "=" + value +
                  "; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (p.api.config.secure_cookies) c += "; Secure";
  return c;
}

bool Ready(const Page& p) { return p.api.oidc != nullptr && p.api.oidc->Settings().ready(); }

// Off: as if the page did not exist on this portal.
Status Off(const Page& p) {
  return Status(StatusCode::kNotFound, p.web.assets->Message(Lang::kEn, "oidc_off"),
                p.web.assets->Message(Lang::kVi, "oidc_off"));
}

// The same words for the person whatever went wrong; the log has the reason.
Status Failed(const Page& p, const Status& why) {
  const char* key = why.code() == StatusCode::kAlreadyExists       ? "oidc_linked_elsewhere"
                    : why.code() == StatusCode::kResourceExhausted ? "login_throttled"
                    : why.code() == StatusCode::kUnavailable       ? "oidc_unavailable"
                                                                   : "oidc_failed";
  StatusCode code = why.code() == StatusCode::kAlreadyExists ||
                            why.code() == StatusCode::kResourceExhausted ||
                            why.code() == StatusCode::kUnavailable
                        ? why.code()
                        : StatusCode::kUnauthenticated;
  return Status(code, p.web.assets->Message(Lang::kEn, key), p.web.assets->Message(Lang::kVi, key));
}

// Sends the browser to the provider.
Response Start(Page& p, const std::string& return_to, const std::string& link_user_id) {
  if (!Ready(p)) return p.Error(Off(p));
  auto a = p.api.oidc->Begin({return_to, link_user_id, p.en() ? "en" : "vi"});
  if (!a.ok()) {
    LogWarn("OpenID Connect sign-in not started: " + a.status().message());
    return p.Error(Failed(p, a.status()));
  }
  Response r;
  r.status = 303;
  r.Set("Location", a->url);
  r.Set("Cache-Control", "no-store");
  r.headers.emplace_back("Set-Cookie", StateCookie(p, a->state, 600));
  return r;
}

Response Begin(Page& p, const api::PathParams&) {
  if (p.who.authenticated()) return p.Redirect("/workspace");
  return Start(p, http::LocalRedirectTarget(p.req.Param("next"), p.Url("/workspace")), "");
}

Response Callback(Page& p, const api::PathParams&) {
  const access::LoginContext context{api::ClientAddressOf(p.api, p.req)};
  auto fail = [&](const Status& why) {
    p.api.accounts.CountVerifiedFailure(kMethod, why.message(), context);
    Response r = p.Error(Failed(p, why));
    r.headers.emplace_back("Set-Cookie", StateCookie(p, "", 0));
    r.Set("Cache-Control", "no-store");
    return r;
  };
  if (p.api.oidc == nullptr || p.api.external_accounts == nullptr) return p.Error(Off(p));
  if (p.req.HasParam("error")) {
    return fail(Status::Unauthenticated("the provider answered error=" +
                                        p.req.Param("error").substr(0, 60)));
  }
  auto who =
      p.api.oidc->Complete(p.req.Param("state"), p.req.Cookie(kStateCookie), p.req.Param("code"));
  if (!who.ok()) return fail(who.status());
  // Linking needs the same person still signed in to the account that asked.
  if (!who->request.link_user_id.empty() && p.who.user_id != who->request.link_user_id)
    return fail(Status::Unauthenticated("linking finished by another session"));
  auto account = p.api.external_accounts->Resolve(*who, p.api.oidc->Settings().mapping);
  if (!account.ok()) return fail(account.status());
  const std::string base = who->request.lang == "en" ? "/en" : "";
  Response r;
  r.status = 303;
  r.Set("Cache-Control", "no-store");
  r.headers.emplace_back("Set-Cookie", StateCookie(p, "", 0));
  if (!who->request.link_user_id.empty()) {
    r.Set("Location", base + "/profile?oidc_linked=1");
    return r;
  }
  auto session = p.api.accounts.OpenVerifiedSession(
      account->user.id, p.api.config.session_ttl_seconds * 1000000, context, kMethod);
  if (!session.ok()) return fail(session.status());
  r.Set("Location", http::LocalRedirectTarget(who->request.return_to, base + "/workspace"));
  api::SetSessionCookie(p.api, r, session->cookie_value, p.api.config.session_ttl_seconds);
  return r;
}

Response Link(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  return Start(p, p.Url("/profile"), p.who.user_id);
}

Response Unlink(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  if (p.api.external_accounts == nullptr) return p.Error(Off(p));
  auto user = p.api.accounts.GetUser(p.who.user_id);
  auto linked = p.api.external_accounts->List(p.who.user_id);
  if (!user.ok() || !linked.ok()) return p.Error(user.ok() ? linked.status() : user.status());
  // An account without a password whose only way in is this link would be shut out.
  if (user->password_hash.empty() && linked->size() <= 1) {
    return p.Error(Status(StatusCode::kConflict,
                          p.web.assets->Message(Lang::kEn, "oidc_unlink_last"),
                          p.web.assets->Message(Lang::kVi, "oidc_unlink_last")));
  }
  Status s = p.api.external_accounts->Unlink(p.who.user_id, p.Field("issuer"), p.Field("subject"));
  if (!s.ok()) return p.Error(s);
  return p.Redirect("/profile?oidc_unlinked=1");
}

}  // namespace

json OidcButton(Page& p) {
  if (p.api.oidc == nullptr) return nullptr;
  oidc::OidcSettings s = p.api.oidc->Settings();
  if (!s.ready()) return nullptr;
  std::string url = p.Url("/login/oidc");
  const std::string next = p.req.Param("next");
  if (!next.empty() && http::LocalRedirectTarget(next, "") == next)
    url += "?next=" + oidc::FormEncode(next);
  return {{"label", p.Pick(s.label_vi, s.label_en)}, {"url", url}};
}

json OidcProfile(Page& p) {
  if (p.api.oidc == nullptr || p.api.external_accounts == nullptr) return nullptr;
  oidc::OidcSettings s = p.api.oidc->Settings();
  auto linked = p.api.external_accounts->List(p.who.user_id);
  json list = json::array();
  if (linked.ok()) {
    for (const ExternalIdentity& e : *linked) {
      list.push_back({{"issuer", e.issuer},
                      {"subject", e.subject},
                      {"email", e.email},
                      {"since", p.Date(e.created, true)},
                      {"last_used", p.Date(e.last_used, true)}});
    }
  }
  if (!s.ready() && list.empty()) return nullptr;
  return {{"ready", s.ready()},
          {"label", p.Pick(s.label_vi, s.label_en)},
          {"identities", list},
          {"has_identities", !list.empty()},
          {"linked_now", p.req.HasParam("oidc_linked")},
          {"unlinked_now", p.req.HasParam("oidc_unlinked")}};
}

void RegisterOidcPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/login/oidc", Begin);
  AddPage(router, web, "GET", "/login/oidc/callback", Callback);
  AddPage(router, web, "POST", "/profile/oidc", Link);
  AddPage(router, web, "POST", "/profile/oidc/unlink", Unlink);
}

}  // namespace odp::web

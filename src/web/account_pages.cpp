// Accounts in the browser: registration, login, logout, forgotten passwords and the links that
// set a password (invitations, resets), profile and API tokens.
#include "api/invitations_api.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "http/request.h"
#include "web/oidc_pages.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;

// Forms shown to anonymous visitors (login, registration) carry a token that must match a
// cookie set with the form (double submit), since there is no session yet to hold one.
constexpr const char* kFormCookie = "odp_form";

std::string FormToken(Page& p, Response* set_cookie_on) {
  std::string token = p.req.Cookie(kFormCookie);
  if (token.size() != 32) {
    token = RandomToken(24);
    if (set_cookie_on) {
      std::string c = std::string(kFormCookie) + "=" + token +
                      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=7200";
      if (p.api.config.secure_cookies) c += "; Secure";
      set_cookie_on->headers.emplace_back("Set-Cookie", c);
    }
  }
  return token;
}

Status CheckFormToken(Page& p) {
  std::string cookie = p.req.Cookie(kFormCookie);
  std::string sent = p.Field("csrf");
  if (cookie.empty() || sent.empty() || !SecretsEqual(cookie, sent)) {
    return Status::PermissionDenied("missing or wrong form token",
                                    "Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại");
  }
  return Status::Ok();
}

// Only same-site relative paths (http::LocalRedirectTarget); anything else goes to `fallback`.
std::string SafeNext(const std::string& next, const std::string& fallback) {
  return http::LocalRedirectTarget(next, fallback);
}

int PrivacyVersionOf(const Page& p) { return catalog::PrivacyVersion(p.api.settings.Get()); }

// Renders an anonymous form page (login, register) with its token cookie.
Response AnonymousForm(Page& p, const std::string& tmpl, const std::string& title, json extra,
                       int status = 200) {
  Response cookie_holder;
  std::string token = FormToken(p, &cookie_holder);
  json v = p.View(title);
  v["form_token"] = token;
  for (auto& [k, val] : extra.items()) v[k] = val;
  Response r = p.Render(tmpl, std::move(v), status);
  for (auto& h : cookie_holder.headers) r.headers.push_back(h);
  r.Set("Cache-Control", "no-store");
  return r;
}

Response LoginForm(Page& p, const api::PathParams&) {
  if (p.who.authenticated()) return p.Redirect("/workspace");
  return AnonymousForm(p, "login", p.T("nav_login"),
                       {{"next", p.req.Param("next")},
                        {"login", ""},
                        {"registered", p.req.HasParam("registered")},
                        {"password_set", p.req.HasParam("password_set")},
                        {"oidc", OidcButton(p)}});
}

Response LoginPost(Page& p, const api::PathParams&) {
  if (Status s = CheckFormToken(p); !s.ok()) {
    return AnonymousForm(
        p, "login", p.T("nav_login"),
        {{"error", p.Message(s)}, {"next", p.Field("next")}, {"login", p.Field("login")}}, 403);
  }
  auto session = p.api.accounts.Login(p.Field("login"), p.Field("password"),
                                      p.api.config.session_ttl_seconds * 1000000,
                                      {api::ClientAddressOf(p.api, p.req)});
  if (!session.ok()) {
    const bool throttled = session.status().code() == StatusCode::kResourceExhausted;
    return AnonymousForm(p, "login", p.T("nav_login"),
                         {{"error", p.T(throttled ? "login_throttled" : "login_failed")},
                          {"next", p.Field("next")},
                          {"login", p.Field("login")}},
                         throttled ? 429 : 401);
  }
  Response r = p.Redirect(SafeNext(p.Field("next"), p.Url("/workspace")), false);
  api::SetSessionCookie(p.api, r, session->cookie_value, p.api.config.session_ttl_seconds);
  return r;
}

Response RegisterForm(Page& p, const api::PathParams&) {
  if (!p.api.config.allow_registration)
    return p.Error(
        Status::PermissionDenied("registration is closed", "Trang này không mở đăng ký tài khoản"));
  return AnonymousForm(p, "register", p.T("nav_register"),
                       {{"values", json::object()},
                        {"errors", json::object()},
                        {"privacy_version", PrivacyVersionOf(p)}});
}

Response RegisterPost(Page& p, const api::PathParams&) {
  if (!p.api.config.allow_registration)
    return p.Error(
        Status::PermissionDenied("registration is closed", "Trang này không mở đăng ký tài khoản"));
  const int version = PrivacyVersionOf(p);
  json values = {{"username", p.Field("username")},
                 {"email", p.Field("email")},
                 {"display_name", p.Field("display_name")},
                 {"accept_privacy", p.Field("accept_privacy") == "1"}};
  auto again = [&](const Status& s, int status) {
    return AnonymousForm(p, "register", p.T("nav_register"),
                         {{"error", p.Message(s)},
                          {"values", values},
                          {"errors", p.FieldErrors(s)},
                          {"privacy_version", version}},
                         status);
  };
  if (Status s = CheckFormToken(p); !s.ok()) return again(s, 403);
  access::NewUser u{p.Field("username"), p.Field("email"), p.Field("display_name"),
                    p.Field("password"), false};
  // Every problem of the form at once: the account's fields, the second password, the consent.
  Status bad = access::ValidateNewUser(u);
  if (bad.ok())
    bad = Status::InvalidArgument("The registration form has errors", "Biểu mẫu đăng ký còn lỗi");
  if (p.Field("password") != p.Field("password2"))
    bad.WithField("password2", "Hai mật khẩu không khớp");
  // Consent to the notice that was shown: a notice changed since the form was loaded must be read
  // again.
  if (p.Field("accept_privacy") != "1") {
    bad.WithField("accept_privacy", "Cần đồng ý với thông báo về quyền riêng tư");
  } else if (p.Field("privacy_version") != std::to_string(version)) {
    values["accept_privacy"] = false;
    bad.WithField("accept_privacy", "Thông báo về quyền riêng tư vừa thay đổi; hãy đọc lại");
  }
  if (!bad.fields().empty()) return again(bad, 400);
  // The same answer whether the account was created or its name or e-mail was already taken
  // (AccountService::Register), so registration does not tell who has an account. The consent
  // is recorded with a new account.
  if (Status s = p.api.accounts.Register(u, version); !s.ok())
    return again(s, api::HttpStatusFor(s.code()));
  return p.Redirect("/login?registered=1");
}

// Forgotten passwords and links that set one ------------------------------------------------

Response ForgotForm(Page& p, const api::PathParams&) {
  return AnonymousForm(p, "forgot_password", p.T("forgot_title"), {{"email", ""}});
}

// The same page, after the same work, whether or not an account has the address: the lookup and
// the e-mail happen in a job (api::QueuePasswordResetMail).
Response ForgotPost(Page& p, const api::PathParams&) {
  const std::string email = p.Field("email");
  auto again = [&](const std::string& error, int status) {
    return AnonymousForm(p, "forgot_password", p.T("forgot_title"),
                         {{"error", error}, {"email", email}}, status);
  };
  if (Status s = CheckFormToken(p); !s.ok()) return again(p.Message(s), 403);
  if (email.empty() || email.size() > 254 || email.find('@') == std::string::npos)
    return again(p.T("forgot_bad_email"), 400);
  Status counted = p.api.accounts.CountResetRequest(email, {api::ClientAddressOf(p.api, p.req)});
  if (counted.code() == StatusCode::kResourceExhausted) return again(p.Message(counted), 429);
  if (!counted.ok()) return p.Error(counted);
  if (Status s = api::QueuePasswordResetMail(p.api.jobs, email); !s.ok()) return p.Error(s);
  return AnonymousForm(p, "forgot_password", p.T("forgot_title"),
                       {{"sent", true}, {"email", email}});
}

json SetPasswordView(Page& p, const access::NewLink& nl, const std::string& secret) {
  const bool invite = nl.link.kind == access::ToString(access::LinkKind::kInvite);
  return {{"token", secret},
          {"invite", invite},
          {"username", nl.user.username},
          {"display_name", nl.user.display_name},
          {"privacy_version", PrivacyVersionOf(p)},
          {"errors", json::object()}};
}

Response SetPasswordForm(Page& p, const api::PathParams&) {
  const std::string secret = p.req.Param("token");
  auto link = p.api.accounts.CheckLink(secret);
  if (!link.ok()) {
    return AnonymousForm(p, "set_password", p.T("set_password_title"),
                         {{"dead", true}, {"error", p.Message(link.status())}}, 410);
  }
  return AnonymousForm(p, "set_password", p.T("set_password_title"),
                       SetPasswordView(p, *link, secret));
}

Response SetPasswordPost(Page& p, const api::PathParams&) {
  const std::string secret = p.Field("token");
  auto link = p.api.accounts.CheckLink(secret);
  if (!link.ok()) {
    return AnonymousForm(p, "set_password", p.T("set_password_title"),
                         {{"dead", true}, {"error", p.Message(link.status())}}, 410);
  }
  json v = SetPasswordView(p, *link, secret);
  auto again = [&](const Status& s, int status) {
    v["error"] = p.Message(s);
    v["errors"] = p.FieldErrors(s);
    return AnonymousForm(p, "set_password", p.T("set_password_title"), v, status);
  };
  if (Status s = CheckFormToken(p); !s.ok()) return again(s, 403);
  const bool invite = v["invite"].get<bool>();
  Status bad = Status::InvalidArgument("The form has errors", "Biểu mẫu còn lỗi");
  if (p.Field("password") != p.Field("password2"))
    bad.WithField("password2", "Hai mật khẩu không khớp");
  int version = 0;
  if (invite) {
    version = PrivacyVersionOf(p);
    if (p.Field("accept_privacy") != "1") {
      bad.WithField("accept_privacy", "Cần đồng ý với thông báo về quyền riêng tư");
    } else if (p.Field("privacy_version") != std::to_string(version)) {
      bad.WithField("accept_privacy", "Thông báo về quyền riêng tư vừa thay đổi; hãy đọc lại");
    }
  }
  if (!bad.fields().empty()) return again(bad, 400);
  auto user = p.api.accounts.UseLink(secret, p.Field("password"), version);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) {
      return AnonymousForm(p, "set_password", p.T("set_password_title"),
                           {{"dead", true}, {"error", p.Message(user.status())}}, 410);
    }
    return again(user.status(), api::HttpStatusFor(user.status().code()));
  }
  return p.Redirect("/login?password_set=1");
}

Response LogoutPost(Page& p, const api::PathParams&) {
  if (p.who.authenticated()) {
    if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
    (void)p.api.accounts.Logout(p.req.Cookie("odp_session"));
  }
  Response r = p.Redirect("/");
  api::SetSessionCookie(p.api, r, "", 0);
  return r;
}

json ProfileView(Page& p) {
  json v = p.View(p.T("nav_profile"));
  auto user = p.api.accounts.GetUser(p.who.user_id);
  if (user.ok()) {
    v["profile"] = {{"username", user->username},
                    {"email", user->email},
                    {"display_name", user->display_name},
                    {"sysadmin", user->sysadmin},
                    {"since", p.Date(user->created)}};
  }
  json orgs = json::array();
  for (const auto& [org_id, role] : p.who.roles) {
    auto o = p.api.catalog.GetOrganization(org_id);
    if (!o.ok()) continue;
    orgs.push_back({{"title", p.Pick(o->title_vi, o->title_en)},
                    {"url", p.Url("/organizations/" + o->slug)},
                    {"role", p.T(std::string("role_") + ToString(role))}});
  }
  v["memberships"] = std::move(orgs);
  // Which privacy notice the user accepted, and whether a newer one is in force.
  catalog::SiteSettings site = p.api.settings.Get();
  const int current = catalog::PrivacyVersion(site);
  json privacy = {
      {"current", current},
      {"updated", site.privacy_updated.empty() ? std::string() : p.Day(site.privacy_updated)}};
  if (auto consents = p.api.accounts.ListPrivacyConsents(p.who.user_id);
      consents.ok() && !consents->empty()) {
    const PrivacyConsent& last = consents->front();
    privacy["accepted"] = {{"version", last.notice_version}, {"at", p.Date(last.accepted, true)}};
    privacy["changed"] = last.notice_version < current;
  } else {
    privacy["accepted"] = false;
    privacy["changed"] = true;
  }
  v["privacy"] = std::move(privacy);
  v["privacy_accepted_now"] = p.req.HasParam("privacy_accepted");
  // After a sign-in with the public-service portal's account that has not accepted the notice
  // in force (web/oidc_pages.cpp): where to go once it is accepted.
  v["privacy_needed"] = p.req.HasParam("privacy_needed");
  v["privacy_next"] = http::LocalRedirectTarget(p.req.Param("next"), "");
  v["welcome"] = p.req.HasParam("welcome");
  v["password_changed"] = p.req.HasParam("password_changed");
  v["kept_tokens"] = p.req.Param("password_changed") == "kept_tokens";
  v["errors"] = json::object();
  v["oidc"] = OidcProfile(p);
  return v;
}

Response Profile(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  return p.Render("profile", ProfileView(p));
}

Response ChangePassword(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  json v = ProfileView(p);
  // The current password is checked (and throttled) like a sign-in.
  Status check = p.api.accounts.CheckPassword(p.who.user_id, p.Field("current_password"),
                                              {api::ClientAddressOf(p.api, p.req)});
  if (check.code() == StatusCode::kResourceExhausted) {
    v["errors"] = {{"current_password", p.T("login_throttled")}};
    return p.Render("profile", std::move(v), 429);
  }
  if (!check.ok()) {
    v["errors"] = {{"current_password", p.T("wrong_password")}};
    return p.Render("profile", std::move(v), 400);
  }
  if (p.Field("new_password") != p.Field("new_password2")) {
    v["errors"] = {{"new_password2", p.T("passwords_differ")}};
    return p.Render("profile", std::move(v), 400);
  }
  // Other sessions always end; API tokens are revoked unless the user asked to keep them.
  access::PasswordChange change;
  change.keep_session_cookie = p.req.Cookie("odp_session");
  change.keep_tokens = p.Field("keep_tokens") == "1";
  Status s = p.api.accounts.SetPassword(p.who.user_id, p.Field("new_password"), change);
  if (!s.ok()) {
    json e = p.FieldErrors(s);
    v["errors"] = {{"new_password", e.contains("password") ? e["password"] : json(p.Message(s))}};
    return p.Render("profile", std::move(v), 400);
  }
  return p.Redirect(change.keep_tokens ? "/profile?password_changed=kept_tokens"
                                       : "/profile?password_changed=1");
}

// Accepts the privacy notice in force (the version the page showed: a newer one must be read
// first).
Response AcceptPrivacy(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  const int version = PrivacyVersionOf(p);
  if (p.Field("privacy_version") != std::to_string(version)) return p.Redirect("/profile");
  if (Status s = p.api.accounts.RecordPrivacyConsent(p.who.user_id, version); !s.ok())
    return p.Error(s);
  const std::string next = http::LocalRedirectTarget(p.Field("next"), "");
  if (!next.empty()) return p.Redirect(next, false);
  return p.Redirect("/profile?privacy_accepted=1");
}

Response TokensView(Page& p, const std::string& secret, const Status& error) {
  json v = p.View(p.T("nav_tokens"));
  auto tokens = p.api.accounts.ListTokens(p.who.user_id);
  json list = json::array();
  if (tokens.ok()) {
    for (const auto& t : *tokens) {
      if (t.revoked) continue;
      list.push_back({{"id", t.id},
                      {"name", t.name},
                      {"created", p.Date(t.created, true)},
                      {"last_used", t.last_used > 0 ? p.Date(t.last_used, true) : p.T("never")}});
    }
  }
  v["tokens"] = std::move(list);
  if (!secret.empty()) v["new_secret"] = secret;
  if (!error.ok()) {
    v["error"] = p.Message(error);
    v["errors"] = p.FieldErrors(error);
  }
  v["site_url"] = p.api.config.site_url;
  return p.Render("tokens", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response Tokens(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  return TokensView(p, "", Status::Ok());
}

Response CreateToken(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  auto t = p.api.accounts.CreateToken(p.who.user_id, p.Field("name"));
  if (!t.ok()) return TokensView(p, "", t.status());
  return TokensView(p, t->secret, Status::Ok());
}

Response RevokeToken(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  Status s = p.api.accounts.RevokeToken(p.who.user_id, params.at("id"));
  if (!s.ok()) return p.Error(s);
  return p.Redirect("/tokens");
}

}  // namespace

void RegisterAccountPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/login", LoginForm);
  AddPage(router, web, "POST", "/login", LoginPost);
  AddPage(router, web, "GET", "/register", RegisterForm);
  AddPage(router, web, "POST", "/register", RegisterPost);
  AddPage(router, web, "POST", "/logout", LogoutPost);
  AddPage(router, web, "GET", "/quen-mat-khau", ForgotForm);
  AddPage(router, web, "POST", "/quen-mat-khau", ForgotPost);
  AddPage(router, web, "GET", "/dat-mat-khau", SetPasswordForm);
  AddPage(router, web, "POST", "/dat-mat-khau", SetPasswordPost);
  AddPage(router, web, "GET", "/profile", Profile);
  AddPage(router, web, "POST", "/profile/password", ChangePassword);
  AddPage(router, web, "POST", "/profile/privacy", AcceptPrivacy);
  AddPage(router, web, "GET", "/tokens", Tokens);
  AddPage(router, web, "POST", "/tokens", CreateToken);
  AddPage(router, web, "POST", "/tokens/{id}/revoke", RevokeToken);
}

}  // namespace odp::web

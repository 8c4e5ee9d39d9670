// Administration: organizations (create, edit, nest), members (picked by a search) and roles,
// users (invite by e-mail, disable, reset password), mail settings, sectors, topics and licences,
// the site settings (identity, emblem, terms of use and privacy notice), and the background jobs.
#include <algorithm>
#include <climits>
#include <cmath>
#include <fstream>
#include <set>

#include "access/policy.h"
#include "api/invitations_api.h"
#include "api/upload.h"
#include "base/ids.h"
#include "base/parse.h"
#include "http/metrics.h"
#include "http/request.h"
#include "jobs/jobs.h"
#include "mail/mailer.h"
#include "oidc/relying_party.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;

// Runs `fn` for sysadmins only (login first for anonymous visitors).
template <typename Fn>
Response SysadminOnly(Page& p, Fn fn) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (!p.who.sysadmin) {
    return p.Error(Status::PermissionDenied("only system administrators",
                                            "Chỉ quản trị hệ thống mới vào được trang này"));
  }
  if (p.req.method == "POST") {
    if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  }
  return fn();
}

json Done(Page& p, json v) {
  std::string done = p.req.Param("done");
  if (!done.empty()) v["done_message"] = p.T("done_" + done);
  return v;
}

// How many users the member search shows at most.
constexpr int kMemberSearchLimit = 20;

Response AdminHome(Page& p, const api::PathParams&) {
  return SysadminOnly(p, [&] {
    json v = p.View(p.T("nav_admin"));
    auto users = p.api.accounts.ListUsers();
    v["count_users"] = users.ok() ? static_cast<int>(users->size()) : 0;
    v["count_orgs"] = static_cast<int>(p.api.catalog.ListOrganizations().size());
    v["count_datasets"] = static_cast<int>(p.api.catalog.IndexedDatasets());
    return p.Render("admin_home", std::move(v));
  });
}

// Organizations ------------------------------------------------------------------------------

json OrgChoices(Page& p, const std::string& selected, const std::string& exclude_id) {
  json list = json::array();
  for (const auto& o : p.api.catalog.ListOrganizations()) {
    if (o.id == exclude_id) continue;
    list.push_back({{"slug", o.slug},
                    {"title", p.Pick(o.title_vi, o.title_en)},
                    {"selected", o.slug == selected || o.id == selected}});
  }
  return list;
}

catalog::OrganizationInput OrgInput(Page& p, json& values) {
  catalog::OrganizationInput in;
  for (const char* k : {"slug", "title_vi", "title_en", "description_vi", "description_en",
                        "parent", "email", "image_url"}) {
    values[k] = p.Field(k);
  }
  if (!p.Field("slug").empty()) in.slug = p.Field("slug");
  in.title_vi = p.Field("title_vi");
  in.title_en = p.Field("title_en");
  in.description_vi = p.Field("description_vi");
  in.description_en = p.Field("description_en");
  in.parent = p.Field("parent");
  in.email = p.Field("email");
  in.image_url = p.Field("image_url");
  return in;
}

Response OrgList(Page& p, const json& values, const Status& error) {
  json v = Done(p, p.View(p.T("admin_orgs")));
  auto counts = p.api.catalog.CountByFacet(p.who, "organization");
  json list = json::array();
  auto orgs = p.api.catalog.ListOrganizations();
  for (const auto& o : orgs) {
    std::string parent;
    for (const auto& q : orgs) {
      if (q.id == o.parent_id) parent = p.Pick(q.title_vi, q.title_en);
    }
    auto it = counts.find(o.slug);
    list.push_back({{"title", p.Pick(o.title_vi, o.title_en)},
                    {"slug", o.slug},
                    {"parent", parent},
                    {"count", it == counts.end() ? 0 : it->second},
                    {"edit_url", p.Url("/admin/organizations/" + o.slug)}});
  }
  v["orgs"] = std::move(list);
  v["values"] = values;
  v["parents"] = OrgChoices(p, values.value("parent", ""), "");
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("admin_orgs", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response OrgEdit(Page& p, const std::string& slug, json values, const Status& error) {
  auto org = p.api.catalog.GetOrganization(slug);
  if (!org.ok()) return p.Error(org.status());
  bool manage = access::Allowed(p.who, access::Action::kManageOrganization, {org->id});
  if (!manage)
    return p.who.authenticated()
               ? p.Error(Status::PermissionDenied("not an admin of this organization",
                                                  "Bạn không quản trị cơ quan này"))
               : p.NeedLogin();
  json v = Done(p, p.View(p.Pick(org->title_vi, org->title_en)));
  if (values.is_null()) {
    values = {{"slug", org->slug},
              {"title_vi", org->title_vi},
              {"title_en", org->title_en},
              {"description_vi", org->description_vi},
              {"description_en", org->description_en},
              {"parent", org->parent_id},
              {"email", org->email},
              {"image_url", org->image_url}};
  }
  v["values"] = values;
  v["org_title"] = p.Pick(org->title_vi, org->title_en);
  v["parents"] = OrgChoices(p, values.value("parent", ""), org->id);
  v["can_edit_org"] = p.who.sysadmin;
  v["action"] = p.Url("/admin/organizations/" + org->slug);
  v["public_url"] = p.Url("/organizations/" + org->slug);
  json members = json::array();
  std::set<std::string> member_ids;
  if (auto ms = p.api.accounts.ListMembers(org->id); ms.ok()) {
    for (const auto& m : *ms) {
      member_ids.insert(m.user_id);
      auto u = p.api.accounts.GetUser(m.user_id);
      if (!u.ok()) continue;
      json roles = json::array();
      for (OrgRole r : {OrgRole::kMember, OrgRole::kEditor, OrgRole::kAdmin}) {
        roles.push_back({{"value", ToString(r)},
                         {"label", p.T(std::string("role_") + ToString(r))},
                         {"selected", r == m.role}});
      }
      members.push_back(
          {{"username", u->username},
           {"email", u->email},
           {"roles", std::move(roles)},
           {"role_label", p.T(std::string("role_") + ToString(m.role))},
           {"update_url", p.Url("/admin/organizations/" + org->slug + "/members/" + u->username)},
           {"remove_url",
            p.Url("/admin/organizations/" + org->slug + "/members/" + u->username + "/remove")}});
    }
  }
  v["members"] = std::move(members);
  v["member_add_url"] = p.Url("/admin/organizations/" + org->slug + "/members");
  // Picking a new member: a search by name, user name or e-mail (tone marks optional), answered
  // on this page (a plain GET form; htmx swaps just the results in when present).
  const std::string q = p.req.Param("q");
  v["member_query"] = q;
  v["member_search_url"] = p.Url("/admin/organizations/" + org->slug);
  if (!q.empty()) {
    json found = json::array();
    if (auto users = p.api.accounts.SearchUsers(q, kMemberSearchLimit); users.ok()) {
      for (const auto& u : *users) {
        found.push_back({{"username", u.username},
                         {"display_name", u.display_name},
                         {"email", u.email},
                         {"disabled", u.disabled},
                         {"member", member_ids.count(u.id) > 0}});
      }
      v["member_results_full"] = static_cast<int>(found.size()) >= kMemberSearchLimit;
    }
    v["member_results_none"] = found.empty();
    v["has_member_results"] = !found.empty();
    v["member_results"] = std::move(found);
  }
  json roles = json::array();
  for (OrgRole r : {OrgRole::kMember, OrgRole::kEditor, OrgRole::kAdmin}) {
    roles.push_back({{"value", ToString(r)},
                     {"label", p.T(std::string("role_") + ToString(r))},
                     {"selected", r == OrgRole::kEditor}});
  }
  v["roles"] = std::move(roles);
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("admin_org", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response MemberChange(Page& p, const std::string& slug, const std::string& username, bool remove) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  auto org = p.api.catalog.GetOrganization(slug);
  if (!org.ok()) return p.Error(org.status());
  if (!access::Allowed(p.who, access::Action::kManageOrganization, {org->id})) {
    return p.Error(Status::PermissionDenied("not an admin of this organization",
                                            "Bạn không quản trị cơ quan này"));
  }
  std::string name = username.empty() ? p.Field("username") : username;
  auto user = p.api.accounts.GetUser(name);
  if (!user.ok()) {
    Status s = Status::NotFound("user", name);
    s.WithField("username", "Không có tài khoản: " + name);
    return OrgEdit(p, slug, nullptr, s);
  }
  Status s = Status::Ok();
  if (remove) {
    s = p.api.accounts.RemoveMembership(user->id, org->id);
  } else {
    auto role = ParseOrgRole(p.Field("role"));
    if (!role) {
      s = Status::InvalidArgument("unknown role", "Vai trò không hợp lệ");
      s.WithField("role", "Vai trò không hợp lệ");
    } else {
      s = p.api.accounts.SetMembership(user->id, org->id, *role);
    }
  }
  if (!s.ok()) return OrgEdit(p, slug, nullptr, s);
  return p.Redirect("/admin/organizations/" + slug + "?done=members_saved");
}

// Users --------------------------------------------------------------------------------------

Response UserList(Page& p, const std::string& new_password_for, const std::string& new_password) {
  json v = Done(p, p.View(p.T("admin_users")));
  auto users = p.api.accounts.ListUsers();
  json list = json::array();
  if (users.ok()) {
    for (const auto& u : *users) {
      auto locked = p.api.accounts.LockedUntil(u.id);
      list.push_back(
          {{"locked_until", locked.ok() && *locked > 0 ? json(p.Date(*locked, true)) : json(false)},
           {"unlock_url", p.Url("/admin/users/" + u.username + "/unlock")},
           {"username", u.username},
           {"email", u.email},
           {"sysadmin", u.sysadmin},
           {"disabled", u.disabled},
           {"created", p.Date(u.created)},
           {"self", u.id == p.who.user_id},
           {"toggle_url",
            p.Url("/admin/users/" + u.username + (u.disabled ? "/enable" : "/disable"))},
           {"reset_url", p.Url("/admin/users/" + u.username + "/reset-password")}});
    }
  }
  v["users"] = std::move(list);
  if (!new_password.empty())
    v["new_password"] = {{"username", new_password_for}, {"password", new_password}};
  return p.Render("admin_users", std::move(v));
}

Response SettingsPage(Page& p, const catalog::SiteSettings& s, const Status& error);
json MailSettingsValues(Page& p);
json OidcSettingsValues(Page& p);
int IntOr(const std::string& s, int fallback);

// Invitations --------------------------------------------------------------------------------

Response Invitations(Page& p, json values, const Status& error) {
  json v = Done(p, p.View(p.T("admin_invitations")));
  json list = json::array();
  if (auto pending = p.api.accounts.ListPendingInvitations(); pending.ok()) {
    for (const auto& inv : *pending) {
      list.push_back(
          {{"username", inv.user.username},
           {"display_name", inv.user.display_name},
           {"email", inv.user.email},
           {"created", p.Date(inv.user.created, true)},
           {"sent", !inv.link.token_hash.empty()},
           {"expired", inv.expired},
           {"expires", p.Date(inv.link.expires, true)},
           {"resend_url", p.Url("/admin/invitations/" + inv.user.username + "/resend")},
           {"revoke_url", p.Url("/admin/invitations/" + inv.user.username + "/revoke")}});
    }
  }
  v["has_invitations"] = !list.empty();
  v["invitations"] = std::move(list);
  if (values.is_null()) values = {{"role", "editor"}};
  v["values"] = values;
  v["orgs"] = OrgChoices(p, values.value("organization", ""), "");
  json roles = json::array();
  for (OrgRole r : {OrgRole::kMember, OrgRole::kEditor, OrgRole::kAdmin}) {
    roles.push_back({{"value", ToString(r)},
                     {"label", p.T(std::string("role_") + ToString(r))},
                     {"selected", values.value("role", "") == ToString(r)}});
  }
  v["roles"] = std::move(roles);
  v["mail_ready"] = p.api.mailer != nullptr && p.api.mailer->Settings().configured();
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("admin_invitations", std::move(v),
                  error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response Invite(Page& p) {
  json values = {{"username", p.Field("username")},
                 {"email", p.Field("email")},
                 {"display_name", p.Field("display_name")},
                 {"organization", p.Field("organization")},
                 {"role", p.Field("role")}};
  auto in = api::MakeInvitee(p.Field("username"), p.Field("email"), p.Field("display_name"),
                             p.Field("organization"), p.Field("role"));
  if (!in.ok()) return Invitations(p, values, in.status());
  auto user = api::Invite(p.api.accounts, p.api.jobs, *in, p.who.user_id);
  if (!user.ok()) return Invitations(p, values, user.status());
  return p.Redirect("/admin/invitations?done=invitation_sent");
}

// Mail settings --------------------------------------------------------------------------------

json MailSettingsValues(Page& p) {
  if (p.api.mailer == nullptr) return json::object();
  mail::MailSettingsView view = p.api.mailer->View();
  const mail::SmtpSettings& s = view.settings;
  json security = json::array();
  for (auto sec :
       {mail::SmtpSecurity::kNone, mail::SmtpSecurity::kStartTls, mail::SmtpSecurity::kTls}) {
    security.push_back({{"value", mail::ToString(sec)},
                        {"label", p.T(std::string("smtp_security_") + mail::ToString(sec))},
                        {"selected", sec == s.security}});
  }
  return {{"smtp_host", s.host},
          {"smtp_port", std::to_string(s.port)},
          {"smtp_security", std::move(security)},
          {"smtp_username", s.username},
          {"smtp_password_set", view.password_set},
          {"smtp_from_address", s.from_address},
          {"smtp_from_name", s.from_name},
          {"smtp_from_store", view.from_store},
          {"smtp_configured", s.configured()}};
}

Response SaveMailSettings(Page& p) {
  if (p.api.mailer == nullptr) return p.Error(Status::Unavailable("mail is not started"));
  mail::SmtpSettings s;
  s.host = p.Field("smtp_host");
  s.port = IntOr(p.Field("smtp_port"), 0);
  const std::string sec = p.Field("smtp_security");
  s.security = sec == "starttls" ? mail::SmtpSecurity::kStartTls
               : sec == "tls"    ? mail::SmtpSecurity::kTls
                                 : mail::SmtpSecurity::kNone;
  s.username = p.Field("smtp_username");
  s.password = p.Field("smtp_password");
  s.from_address = p.Field("smtp_from_address");
  s.from_name = p.Field("smtp_from_name");
  if (Status st = p.api.mailer->Save(s, p.Field("smtp_clear_password") == "1"); !st.ok())
    return SettingsPage(p, p.api.settings.Get(), st);
  return p.Redirect("/admin/settings?done=mail_saved#mail");
}

// Queues a test message to the signed-in sysadmin's own address.
Response SendTestMail(Page& p) {
  if (p.api.mailer == nullptr) return p.Error(Status::Unavailable("mail is not started"));
  auto me = p.api.accounts.GetUser(p.who.user_id);
  if (!me.ok()) return p.Error(me.status());
  mail::MailMessage m;
  m.to = me->email;
  m.to_name = me->display_name;
  const auto& vi = p.web.assets->Message(Lang::kVi, "mail_test_body");
  const auto& en = p.web.assets->Message(Lang::kEn, "mail_test_body");
  m.subject = p.web.assets->Message(Lang::kVi, "mail_test_subject") + " / " +
              p.web.assets->Message(Lang::kEn, "mail_test_subject");
  m.body = vi + "\n\n-- English --\n\n" + en + "\n";
  if (auto queued = p.api.mailer->Queue(m); !queued.ok()) return p.Error(queued.status());
  return p.Redirect("/admin/settings?done=mail_test_queued#mail");
}

// Sign-in with the public-service portal (OpenID Connect) ------------------------------------

json OidcSettingsValues(Page& p) {
  if (p.api.oidc == nullptr) return nullptr;
  oidc::OidcSettingsView view = p.api.oidc->View();
  const oidc::OidcSettings& s = view.settings;
  json roles = json::array();
  for (OrgRole r : {OrgRole::kMember, OrgRole::kEditor, OrgRole::kAdmin}) {
    roles.push_back({{"value", ToString(r)},
                     {"label", p.T(std::string("role_") + ToString(r))},
                     {"selected", s.mapping.role == ToString(r)}});
  }
  return {{"enabled", s.enabled},
          {"issuer", s.issuer},
          {"client_id", s.client_id},
          {"secret_set", view.secret_set},
          {"label_vi", s.label_vi},
          {"label_en", s.label_en},
          {"role_claim", s.mapping.claim},
          {"role_value", s.mapping.value},
          {"role_organization", s.mapping.organization},
          {"roles", std::move(roles)},
          {"redirect_uri", p.api.oidc->redirect_uri()}};
}

Response SaveOidcSettings(Page& p) {
  if (p.api.oidc == nullptr) return p.Error(Status::Unavailable("OpenID Connect is not started"));
  oidc::OidcSettings s;
  s.enabled = p.Field("oidc_enabled") == "1";
  s.issuer = p.Field("oidc_issuer");
  s.client_id = p.Field("oidc_client_id");
  s.client_secret = p.Field("oidc_client_secret");
  s.label_vi = p.Field("oidc_label_vi");
  s.label_en = p.Field("oidc_label_en");
  s.mapping = {p.Field("oidc_role_claim"), p.Field("oidc_role_value"),
               p.Field("oidc_role_organization"), p.Field("oidc_role")};
  if (Status st = p.api.oidc->Save(s, p.Field("oidc_clear_secret") == "1"); !st.ok())
    return SettingsPage(p, p.api.settings.Get(), st);
  return p.Redirect("/admin/settings?done=oidc_saved#oidc");
}

// Taxonomy and licences ------------------------------------------------------------------------

Response Taxonomy(Page& p, const Status& error) {
  json v = Done(p, p.View(p.T("admin_taxonomy")));
  auto groups = [&](GroupKind kind) {
    json list = json::array();
    for (const auto& g : p.api.catalog.ListGroups(kind)) {
      list.push_back({{"slug", g.slug},
                      {"title_vi", g.title_vi},
                      {"title_en", g.title_en},
                      {"position", g.position},
                      {"url", p.Url("/admin/taxonomy/groups/" + g.slug)}});
    }
    return list;
  };
  v["sectors"] = groups(GroupKind::kSector);
  v["topics"] = groups(GroupKind::kTopic);
  json lic = json::array();
  for (const auto& l : p.api.catalog.ListLicenses()) {
    lic.push_back({{"id", l.id},
                   {"title_vi", l.title_vi},
                   {"title_en", l.title_en},
                   {"url", l.url},
                   {"open", l.is_open},
                   {"position", l.position}});
  }
  v["licenses"] = std::move(lic);
  v["group_create_url"] = p.Url("/admin/taxonomy/groups");
  v["license_url"] = p.Url("/admin/taxonomy/licenses");
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("admin_taxonomy", std::move(v),
                  error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

// A form's integer field, or `fallback` when it is empty or not an integer.
int IntOr(const std::string& s, int fallback) {
  Result<int64_t> n = ParseIntIn(s, INT_MIN, INT_MAX);
  return n.ok() ? static_cast<int>(*n) : fallback;
}

// Settings -------------------------------------------------------------------------------------

// The fields of each settings form; a field left out of a request becomes empty (and is refused
// when required).
constexpr const char* kIdentityFields[] = {
    "title_vi",   "title_en",       "province_vi",          "province_en",        "agency_vi",
    "agency_en",  "responsible_vi", "responsible_en",       "license_vi",         "license_en",
    "address_vi", "address_en",     "contact_phone",        "contact_email",      "tagline_vi",
    "tagline_en", "logo_url",       "primary_color",        "accent_color",       "footer_vi",
    "footer_en",  "map_tile_url",   "map_tile_attribution", "allow_self_approval"};
constexpr const char* kLegalFields[] = {"terms_vi", "terms_en", "privacy_vi", "privacy_en"};

Response SettingsPage(Page& p, const catalog::SiteSettings& s, const Status& error) {
  json v = Done(p, p.View(p.T("admin_settings")));
  v["values"] = catalog::SettingsJson(s);
  v["logo_preview"] = catalog::LogoPath(p.api.settings.Get());
  v["uploaded_logo"] = !p.api.settings.Get().logo_sha256.empty();
  v["max_logo"] = FormatBytes(catalog::kMaxLogoBytes, p.lang);
  v["mail"] = MailSettingsValues(p);
  v["oidc"] = OidcSettingsValues(p);
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("admin_settings", std::move(v),
                  error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response LegalPage(Page& p, const catalog::SiteSettings& s, const Status& error) {
  json v = Done(p, p.View(p.T("admin_legal")));
  v["values"] = catalog::SettingsJson(s);
  catalog::SiteSettings current = p.api.settings.Get();
  v["privacy_version"] = catalog::PrivacyVersion(current);
  v["privacy_updated"] =
      current.privacy_updated.empty() ? std::string() : p.Day(current.privacy_updated);
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("admin_legal", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

// The current settings with the form's `keys` taken from `fields`.
template <typename Keys>
catalog::SiteSettings FromForm(Page& p, const Keys& keys,
                               const std::map<std::string, std::string>& fields) {
  json patch = json::object();
  for (const char* key : keys) {
    auto it = fields.find(key);
    patch[key] = it == fields.end() ? std::string() : it->second;
  }
  catalog::SiteSettings s = p.api.settings.Get();
  (void)catalog::ApplySettingsPatch(s, patch);  // every key is an editable string
  return s;
}

// The emblem's content type, told by its first bytes (catalog::LogoContentType).
Result<std::string> UploadedLogoType(Page& p, const catalog::UploadedFile& file) {
  std::string head(512, '\0');
  std::ifstream in(p.api.blobs.PathOf(file.blob.sha256), std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return catalog::LogoContentType(head, file.blob.size);
}

// POST /admin/settings: a multipart form (the emblem is a file), or a urlencoded one without it.
// Everything is checked first (the text settings, then the emblem); nothing is saved unless
// all of it is valid.
Response SaveSettings(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (!p.who.sysadmin) {
    return p.Error(Status::PermissionDenied("only system administrators",
                                            "Chỉ quản trị hệ thống mới vào được trang này"));
  }
  if (p.req.body_file.empty()) {  // urlencoded
    if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
    catalog::SiteSettings s = FromForm(p, kIdentityFields, p.Form());
    if (Status st = p.api.settings.Save(s); !st.ok()) return SettingsPage(p, s, st);
    return p.Redirect("/admin/settings?done=saved");
  }
  auto form = api::ReadUploadForm(p.api, p.req);
  if (!form.ok()) return SettingsPage(p, p.api.settings.Get(), form.status());
  auto csrf = form->fields.find("csrf");
  if (Status s = api::CheckCsrf(p.who, p.req, csrf == form->fields.end() ? "" : csrf->second);
      !s.ok()) {
    return p.Error(s);
  }
  catalog::SiteSettings s = FromForm(p, kIdentityFields, form->fields);
  if (Status st = catalog::ValidateSettings(s); !st.ok()) return SettingsPage(p, s, st);
  // The emblem's bytes go to the blob store to be looked at; a refused one is referenced by
  // nothing and goes with the next blob collection.
  if (Status st = api::StoreUploadedFile(p.api, p.req, *form); !st.ok()) {
    return SettingsPage(p, s, Status(st).WithField("logo", p.Message(st)));
  }
  // A form sent without choosing a file has an empty file part.
  std::string logo_type;
  if (form->file && form->file->blob.size > 0) {
    auto type = UploadedLogoType(p, *form->file);
    if (!type.ok()) return SettingsPage(p, s, type.status());
    logo_type = *type;
  }
  if (Status st = p.api.settings.Save(s); !st.ok()) return SettingsPage(p, s, st);
  if (form->fields.count("remove_logo") != 0 && form->fields["remove_logo"] == "1") {
    if (Status st = p.api.settings.ClearLogo(); !st.ok()) return SettingsPage(p, s, st);
  }
  if (!logo_type.empty()) {
    if (Status st = p.api.settings.SetLogo(form->file->blob.sha256, logo_type); !st.ok()) {
      return SettingsPage(p, s, st);
    }
  }
  return p.Redirect("/admin/settings?done=saved");
}

// Background jobs -----------------------------------------------------------------------------

// What a run is about, for people: the schedule's name, else its key.
std::string JobSubject(const store::JobRun& r) {
  if (!r.schedule_id.empty()) return r.schedule_id;
  return r.key;
}

json JobRow(Page& p, const store::JobRun& r) {
  return {{"id", r.id},
          {"kind", r.kind},
          {"subject", JobSubject(r)},
          {"state_label", p.T("job_state_" + r.state)},
          {"percent", static_cast<int>(std::lround(r.progress * 100))},
          {"message", r.message},
          {"error", r.error},
          {"cancel_requested", r.cancel_requested},
          {"attempts", r.attempts},
          {"max_attempts", r.max_attempts},
          {"server", r.owner.substr(0, 8)},
          {"run_at", p.Date(r.run_at, true)},
          {"started", p.Date(r.started, true)},
          {"finished", p.Date(r.finished, true)},
          {"retry_url", p.Url("/admin/jobs/" + r.id + "/retry")},
          {"cancel_url", p.Url("/admin/jobs/" + r.id + "/cancel")}};
}

// "every:3600" → "Mỗi 3600 giây" / "Every 3600 seconds"; "daily:03:30" → "Hằng ngày lúc 03:30".
std::string ScheduleLabel(Page& p, const std::string& spec) {
  if (spec.rfind("every:", 0) == 0)
    return p.T("job_every") + " " + spec.substr(6) + " " + p.T("job_seconds");
  if (spec.rfind("daily:", 0) == 0) return p.T("job_daily_at") + " " + spec.substr(6);
  return p.T("job_once");
}

Response JobsPage(Page& p) {
  if (!p.api.jobs) return p.Error(Status::Unavailable("this server runs no jobs"));
  auto o = p.api.jobs->Overview(50);
  if (!o.ok()) return p.Error(o.status());
  json v = Done(p, p.View(p.T("admin_jobs")));
  auto rows = [&](const std::vector<store::JobRun>& list) {
    json a = json::array();
    for (const auto& r : list) a.push_back(JobRow(p, r));
    return a;
  };
  v["running"] = rows(o->running);
  v["queued"] = rows(o->queued);
  v["failed"] = rows(o->failed);
  v["history"] = rows(o->history);
  json schedules = json::array();
  for (const auto& s : o->schedules) {
    schedules.push_back({{"id", s.id},
                         {"kind", s.kind},
                         {"spec", ScheduleLabel(p, s.spec)},
                         {"next_run", s.next_run > 0 ? p.Date(s.next_run, true) : "—"},
                         {"last_run", s.last_run > 0 ? p.Date(s.last_run, true) : "—"}});
  }
  v["schedules"] = std::move(schedules);
  for (const char* k : {"running", "queued", "failed", "history", "schedules"})
    v[std::string("has_") + k] = !v[k].empty();
  v["count_running"] = o->counts.running;
  v["count_queued"] = o->counts.queued;
  v["count_failed"] = o->counts.failed;
  return p.Render("admin_jobs", std::move(v));
}

// Operations --------------------------------------------------------------------------------

// A time to answer as people read it: "≤ 2,5 ms", "≤ 1 s", "> 5 s".
std::string AnswerTime(Page& p, double seconds) {
  if (std::isinf(seconds)) return "> 5 s";
  if (seconds <= 0) return "—";
  const double ms = seconds * 1000;
  std::string n = ms >= 1000 ? FormatCount(static_cast<int64_t>(ms / 1000), p.lang) + " s"
                  : ms >= 1  ? FormatCount(static_cast<int64_t>(std::lround(ms)), p.lang) + " ms"
                             : std::string(p.en() ? "0.5" : "0,5") + " ms";
  if (ms >= 1 && ms < 10 && std::abs(ms - std::round(ms)) > 1e-9) {
    // 2.5 ms (a bucket bound) keeps its tenth.
    n = std::to_string(static_cast<int>(ms)) + (p.en() ? "." : ",") +
        std::to_string(static_cast<int>(std::lround(ms * 10)) % 10) + " ms";
  }
  return "≤ " + n;
}

std::string Share(Page& p, uint64_t part, uint64_t whole) {
  if (whole == 0) return "0 %";
  const double pct = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", pct);
  std::string s = buf;
  if (!p.en()) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

// /admin/operations: this server's requests, errors and answer times since it started, the
// database, the jobs and the disk, read from the same registry as /metrics (http/metrics.h).
Response Operations(Page& p) {
  json v = p.View(p.T("ops_title"));
  const http::MetricsSnapshot m = http::TakeMetricsSnapshot();
  const double uptime = m.Gauge("odp_uptime_seconds", 0);
  const auto minutes = static_cast<int64_t>(uptime / 60);
  v["uptime"] = minutes >= 1440
                    ? FormatCount(minutes / 1440, p.lang) + " " + p.T("ops_days") + " " +
                          FormatCount(minutes % 1440 / 60, p.lang) + " " + p.T("ops_hours")
                : minutes >= 60 ? FormatCount(minutes / 60, p.lang) + " " + p.T("ops_hours") + " " +
                                      FormatCount(minutes % 60, p.lang) + " " + p.T("ops_minutes")
                                : FormatCount(minutes, p.lang) + " " + p.T("ops_minutes");
  const http::RouteFigures& t = m.total;
  v["requests"] = FormatCount(static_cast<int64_t>(t.requests), p.lang);
  v["per_minute"] =
      FormatCount(static_cast<int64_t>(uptime >= 60 ? static_cast<double>(t.requests) * 60 / uptime
                                                    : t.requests),
                  p.lang);
  v["server_errors"] = FormatCount(static_cast<int64_t>(t.server_errors), p.lang);
  v["server_error_share"] = Share(p, t.server_errors, t.requests);
  v["has_server_errors"] = t.server_errors > 0;
  v["client_errors"] = FormatCount(static_cast<int64_t>(t.client_errors), p.lang);
  v["client_error_share"] = Share(p, t.client_errors, t.requests);
  v["p50"] = AnswerTime(p, t.p50_seconds);
  v["p99"] = AnswerTime(p, t.p99_seconds);
  json routes = json::array();
  for (const auto& r : m.routes) {
    if (routes.size() >= 25) break;
    routes.push_back({{"route", r.route},
                      {"requests", FormatCount(static_cast<int64_t>(r.requests), p.lang)},
                      {"client_errors", FormatCount(static_cast<int64_t>(r.client_errors), p.lang)},
                      {"server_errors", FormatCount(static_cast<int64_t>(r.server_errors), p.lang)},
                      {"has_server_errors", r.server_errors > 0},
                      {"p50", AnswerTime(p, r.p50_seconds)},
                      {"p95", AnswerTime(p, r.p95_seconds)},
                      {"p99", AnswerTime(p, r.p99_seconds)}});
  }
  v["has_routes"] = !routes.empty();
  v["routes"] = std::move(routes);
  // The database.
  const bool db_up = m.Gauge("odp_db_up", 0) > 0;
  v["db_up"] = db_up;
  const double db_bytes = m.Gauge("odp_db_bytes");
  v["db_kind"] = db_bytes >= 0 ? "SQLite" : "PostgreSQL";
  if (db_bytes >= 0) v["db_size"] = FormatBytes(static_cast<int64_t>(db_bytes), p.lang);
  v["generation"] = FormatCount(static_cast<int64_t>(m.Gauge("odp_catalog_generation", 0)), p.lang);
  v["datasets_indexed"] =
      FormatCount(static_cast<int64_t>(m.Gauge("odp_datasets_indexed", 0)), p.lang);
  v["index_size"] = FormatBytes(static_cast<int64_t>(m.Gauge("odp_search_index_bytes", 0)), p.lang);
  v["cache_size"] = FormatBytes(static_cast<int64_t>(m.Gauge("odp_page_cache_bytes", 0)), p.lang);
  // The jobs.
  const auto failed = static_cast<int64_t>(m.Gauge("odp_jobs_failed", 0));
  v["jobs_running"] = FormatCount(static_cast<int64_t>(m.Gauge("odp_jobs_running", 0)), p.lang);
  v["jobs_queued"] = FormatCount(static_cast<int64_t>(m.Gauge("odp_jobs_queued", 0)), p.lang);
  v["jobs_failed"] = FormatCount(failed, p.lang);
  v["has_failed_jobs"] = failed > 0;
  // The disk.
  const double free = m.Gauge("odp_disk_free_bytes");
  const double total = m.Gauge("odp_disk_total_bytes");
  if (free >= 0 && total > 0) {
    v["disk_free"] = FormatBytes(static_cast<int64_t>(free), p.lang);
    v["disk_total"] = FormatBytes(static_cast<int64_t>(total), p.lang);
    v["disk_free_share"] = Share(p, static_cast<uint64_t>(free), static_cast<uint64_t>(total));
    v["disk_low"] = free / total < 0.1;
  }
  return p.Render("admin_operations", std::move(v));
}

}  // namespace

void RegisterAdminPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/admin/operations", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return Operations(p); });
  });
  AddPage(router, web, "GET", "/admin", AdminHome);

  AddPage(router, web, "GET", "/admin/organizations", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return OrgList(p, json::object(), Status::Ok()); });
  });
  AddPage(router, web, "POST", "/admin/organizations", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] {
      json values;
      auto in = OrgInput(p, values);
      if (in.parent && in.parent->empty()) in.parent.reset();
      auto o = p.api.catalog.CreateOrganization(p.who, in);
      if (!o.ok()) return OrgList(p, values, o.status());
      return p.Redirect("/admin/organizations/" + o->slug + "?done=org_created");
    });
  });
  AddPage(router, web, "GET", "/admin/organizations/{slug}", [](Page& p, const api::PathParams& a) {
    if (!p.who.authenticated()) return p.NeedLogin();
    return OrgEdit(p, a.at("slug"), nullptr, Status::Ok());
  });
  AddPage(router, web, "POST", "/admin/organizations/{slug}",
          [](Page& p, const api::PathParams& a) {
            return SysadminOnly(p, [&] {
              json values;
              auto in = OrgInput(p, values);
              in.slug.reset();
              auto o = p.api.catalog.UpdateOrganization(p.who, a.at("slug"), in);
              if (!o.ok()) return OrgEdit(p, a.at("slug"), values, o.status());
              return p.Redirect("/admin/organizations/" + o->slug + "?done=saved");
            });
          });
  AddPage(
      router, web, "POST", "/admin/organizations/{slug}/members",
      [](Page& p, const api::PathParams& a) { return MemberChange(p, a.at("slug"), "", false); });
  AddPage(router, web, "POST", "/admin/organizations/{slug}/members/{user}",
          [](Page& p, const api::PathParams& a) {
            return MemberChange(p, a.at("slug"), a.at("user"), false);
          });
  AddPage(router, web, "POST", "/admin/organizations/{slug}/members/{user}/remove",
          [](Page& p, const api::PathParams& a) {
            return MemberChange(p, a.at("slug"), a.at("user"), true);
          });

  AddPage(router, web, "GET", "/admin/users", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return UserList(p, "", ""); });
  });
  auto set_disabled = [](bool disabled) {
    return [disabled](Page& p, const api::PathParams& a) {
      return SysadminOnly(p, [&] {
        auto u = p.api.accounts.GetUser(a.at("user"));
        if (!u.ok()) return p.Error(u.status());
        if (u->id == p.who.user_id) {
          return p.Error(Status::InvalidArgument("you cannot disable yourself",
                                                 "Không thể tự khoá tài khoản của mình"));
        }
        if (Status s = p.api.accounts.SetDisabled(u->id, disabled); !s.ok()) return p.Error(s);
        return p.Redirect(std::string("/admin/users?done=") +
                          (disabled ? "user_disabled" : "user_enabled"));
      });
    };
  };
  AddPage(router, web, "POST", "/admin/users/{user}/disable", set_disabled(true));
  AddPage(router, web, "POST", "/admin/users/{user}/enable", set_disabled(false));
  AddPage(router, web, "POST", "/admin/users/{user}/unlock", [](Page& p, const api::PathParams& a) {
    return SysadminOnly(p, [&] {
      auto u = p.api.accounts.GetUser(a.at("user"));
      if (!u.ok()) return p.Error(u.status());
      if (Status s = p.api.accounts.Unlock(u->id); !s.ok()) return p.Error(s);
      return p.Redirect("/admin/users?done=user_unlocked");
    });
  });
  AddPage(router, web, "POST", "/admin/users/{user}/reset-password",
          [](Page& p, const api::PathParams& a) {
            return SysadminOnly(p, [&] {
              auto u = p.api.accounts.GetUser(a.at("user"));
              if (!u.ok()) return p.Error(u.status());
              std::string password = RandomToken(12);
              if (Status s = p.api.accounts.SetPassword(u->id, password); !s.ok())
                return p.Error(s);
              return UserList(p, u->username, password);
            });
          });

  AddPage(router, web, "GET", "/admin/invitations", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return Invitations(p, nullptr, Status::Ok()); });
  });
  AddPage(router, web, "POST", "/admin/invitations", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return Invite(p); });
  });
  AddPage(router, web, "POST", "/admin/invitations/{user}/resend",
          [](Page& p, const api::PathParams& a) {
            return SysadminOnly(p, [&] {
              auto u = p.api.accounts.GetUser(a.at("user"));
              if (!u.ok()) return p.Error(u.status());
              if (Status s = api::QueueInvitationMail(p.api.jobs, u->id, p.who.user_id); !s.ok())
                return p.Error(s);
              return p.Redirect("/admin/invitations?done=invitation_sent");
            });
          });
  AddPage(router, web, "POST", "/admin/invitations/{user}/revoke",
          [](Page& p, const api::PathParams& a) {
            return SysadminOnly(p, [&] {
              auto u = p.api.accounts.GetUser(a.at("user"));
              if (!u.ok()) return p.Error(u.status());
              if (Status s = p.api.accounts.RevokeInvitation(u->id); !s.ok()) return p.Error(s);
              return p.Redirect("/admin/invitations?done=invitation_revoked");
            });
          });

  AddPage(router, web, "GET", "/admin/taxonomy", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return Taxonomy(p, Status::Ok()); });
  });
  AddPage(router, web, "POST", "/admin/taxonomy/groups", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] {
      catalog::GroupInput in;
      if (!p.Field("slug").empty()) in.slug = p.Field("slug");
      in.title_vi = p.Field("title_vi");
      in.title_en = p.Field("title_en");
      in.position = IntOr(p.Field("position"), 100);
      auto g = p.api.catalog.CreateGroup(
          p.who, p.Field("kind") == "topic" ? GroupKind::kTopic : GroupKind::kSector, in);
      if (!g.ok()) return Taxonomy(p, g.status());
      return p.Redirect("/admin/taxonomy?done=saved");
    });
  });
  AddPage(router, web, "POST", "/admin/taxonomy/groups/{slug}",
          [](Page& p, const api::PathParams& a) {
            return SysadminOnly(p, [&] {
              catalog::GroupInput in;
              in.title_vi = p.Field("title_vi");
              in.title_en = p.Field("title_en");
              in.position = IntOr(p.Field("position"), 0);
              auto g = p.api.catalog.UpdateGroup(p.who, a.at("slug"), in);
              if (!g.ok()) return Taxonomy(p, g.status());
              return p.Redirect("/admin/taxonomy?done=saved");
            });
          });
  AddPage(router, web, "POST", "/admin/taxonomy/licenses", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] {
      License l;
      l.id = p.Field("id");
      l.title_vi = p.Field("title_vi");
      l.title_en = p.Field("title_en");
      l.url = p.Field("url");
      l.is_open = p.Field("is_open") == "1";
      l.position = IntOr(p.Field("position"), 100);
      auto r = p.api.catalog.PutLicense(p.who, l);
      if (!r.ok()) return Taxonomy(p, r.status());
      return p.Redirect("/admin/taxonomy?done=saved");
    });
  });

  AddPage(router, web, "GET", "/admin/jobs", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return JobsPage(p); });
  });
  AddPage(router, web, "POST", "/admin/jobs/{id}/retry", [](Page& p, const api::PathParams& a) {
    return SysadminOnly(p, [&] {
      if (!p.api.jobs) return p.Error(Status::Unavailable("this server runs no jobs"));
      if (Status s = p.api.jobs->Retry(a.at("id")); !s.ok()) return p.Error(s);
      return p.Redirect("/admin/jobs?done=job_retried");
    });
  });
  AddPage(router, web, "POST", "/admin/jobs/{id}/cancel", [](Page& p, const api::PathParams& a) {
    return SysadminOnly(p, [&] {
      if (!p.api.jobs) return p.Error(Status::Unavailable("this server runs no jobs"));
      if (Status s = p.api.jobs->Cancel(a.at("id")); !s.ok()) return p.Error(s);
      return p.Redirect("/admin/jobs?done=job_cancelled");
    });
  });
  AddPage(router, web, "GET", "/admin/settings", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return SettingsPage(p, p.api.settings.Get(), Status::Ok()); });
  });
  AddPage(router, web, "POST", "/admin/settings", SaveSettings);
  AddPage(router, web, "POST", "/admin/settings/mail", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return SaveMailSettings(p); });
  });
  AddPage(router, web, "POST", "/admin/settings/mail/test", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return SendTestMail(p); });
  });
  AddPage(router, web, "POST", "/admin/settings/oidc", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return SaveOidcSettings(p); });
  });
  for (const char* prefix : {"", "/en"})
    router.AcceptUploads("POST", std::string(prefix) + "/admin/settings");
  AddPage(router, web, "GET", "/admin/legal", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] { return LegalPage(p, p.api.settings.Get(), Status::Ok()); });
  });
  AddPage(router, web, "POST", "/admin/legal", [](Page& p, const api::PathParams&) {
    return SysadminOnly(p, [&] {
      catalog::SiteSettings s = FromForm(p, kLegalFields, p.Form());
      if (Status st = p.api.settings.Save(s); !st.ok()) return LegalPage(p, s, st);
      return p.Redirect("/admin/legal?done=saved");
    });
  });
}

}  // namespace odp::web

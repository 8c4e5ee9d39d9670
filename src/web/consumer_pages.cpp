// Consumer systems in the browser (access/consumers.h): an organization's admins register their
// agency's information systems and issue, rotate and revoke their credentials; the provincial
// data unit (sysadmins) approves or refuses registrations. Everything goes through the same
// ConsumerService as /api/v1/consumers, so the pages and the API never disagree.
//
//   /workspace/consumers                      list (sysadmins: every system) and the registration
//   form /workspace/consumers/{id}                 one system: decision forms, credentials POST
//   …/{id}/approve | refuse | revoke     decisions (refuse and revoke need a reason) POST
//   …/{id}/credentials                   issue a key or an OAuth client (the secret is shown once)
//   POST …/{id}/credentials/{cid}/revoke      revoke one credential
#include <climits>

#include "access/consumers.h"
#include "access/policy.h"
#include "base/parse.h"
#include "http/request.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;

// Runs `fn` for signed-in users on a server with consumer systems; checks CSRF on POSTs.
template <typename Fn>
Response Consumers(Page& p, Fn fn) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (p.api.consumers == nullptr) {
    return p.Error(Status(StatusCode::kNotFound, "consumer systems are not enabled",
                          "Chưa bật chức năng hệ thống kết nối"));
  }
  if (p.req.method == "POST") {
    if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  }
  return fn(*p.api.consumers);
}

std::string StateText(Page& p, const std::string& state) { return p.T("consumer_state_" + state); }

// The organizations whose systems `who` may register: those they admin (every one for sysadmins).
json RegisterChoices(Page& p, const std::string& selected) {
  json list = json::array();
  for (const auto& o : p.api.catalog.ListOrganizations()) {
    if (!access::Allowed(p.who, access::Action::kRegisterConsumer, {o.id})) continue;
    list.push_back({{"slug", o.slug},
                    {"title", p.Pick(o.title_vi, o.title_en)},
                    {"selected", o.slug == selected}});
  }
  return list;
}

json SystemRow(Page& p, const ConsumerSystem& c) {
  std::string org = c.organization_id;
  if (auto o = p.api.catalog.GetOrganization(c.organization_id); o.ok())
    org = p.Pick(o->title_vi, o->title_en);
  return {{"id", c.id},
          {"url", p.Url("/workspace/consumers/" + c.id)},
          {"agency_code", c.agency_code},
          {"system_code", c.system_code},
          {"name", c.name},
          {"organization", org},
          {"state", c.state},
          {"state_text", StateText(p, c.state)},
          {"pending", c.state == "pending"},
          {"created", p.Date(c.created)}};
}

Response ListPage(Page& p, access::ConsumerService& svc, const json& values, const Status& error) {
  json v = p.View(p.T("consumers_title"));
  if (std::string done = p.req.Param("done"); !done.empty())
    v["done_message"] = p.T("consumer_done_" + done);
  auto list = svc.List(p.who);
  json rows = json::array();
  if (list.ok()) {
    for (const auto& c : *list) rows.push_back(SystemRow(p, c));
  }
  v["systems"] = std::move(rows);
  v["data_unit"] = access::Allowed(p.who, access::Action::kDecideConsumer, {});
  json choices = RegisterChoices(p, values.value("organization", ""));
  v["can_register"] = !choices.empty();
  v["org_choices"] = std::move(choices);
  v["values"] = values;
  v["form_url"] = p.Url("/workspace/consumers");
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("consumers", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response RegisterPost(Page& p, access::ConsumerService& svc) {
  access::ConsumerRegistration r;
  json values = json::object();
  for (const char* k : {"organization", "agency_code", "system_code", "name", "description",
                        "technical_name", "technical_email", "technical_phone", "contact_name",
                        "contact_email", "contact_phone", "contact_role"}) {
    values[k] = p.Field(k);
  }
  r.organization = p.Field("organization");
  r.agency_code = p.Field("agency_code");
  r.system_code = p.Field("system_code");
  r.name = p.Field("name");
  r.description = p.Field("description");
  r.technical = {p.Field("technical_name"), p.Field("technical_email"), p.Field("technical_phone"),
                 ""};
  if (!p.Field("contact_name").empty() || !p.Field("contact_email").empty()) {
    r.contacts.push_back({p.Field("contact_name"), p.Field("contact_email"),
                          p.Field("contact_phone"), p.Field("contact_role")});
  }
  auto c = svc.Register(p.who, r);
  if (!c.ok()) {
    Status s = c.status();
    // The single contact of the form is "contacts.0" to the service.
    if (s.fields().count("contacts.0")) s.WithField("contact_name", s.fields().at("contacts.0"));
    return ListPage(p, svc, values, s);
  }
  return p.Redirect("/workspace/consumers/" + c->id + "?done=registered");
}

// One system. `issued` is a credential just issued (its secret is shown here once).
Response SystemPage(Page& p, access::ConsumerService& svc, const std::string& id,
                    const Status& error, const access::NewCredential* issued = nullptr) {
  auto c = svc.Get(p.who, id);
  if (!c.ok()) return p.Error(c.status());
  json v = p.View(c->name);
  if (std::string done = p.req.Param("done"); !done.empty())
    v["done_message"] = p.T("consumer_done_" + done);
  v["system"] = SystemRow(p, *c);
  v["system"]["description"] = c->description;
  v["system"]["reason"] = c->reason;
  v["system"]["technical"] = {
      {"name", c->technical_name}, {"email", c->technical_email}, {"phone", c->technical_phone}};
  json contacts = json::parse(c->contacts, nullptr, false);
  v["system"]["contacts"] = contacts.is_array() ? contacts : json::array();
  if (c->decided) v["system"]["decided"] = p.Date(c->decided, true);
  const bool data_unit = access::Allowed(p.who, access::Action::kDecideConsumer, {});
  const bool manager =
      access::Allowed(p.who, access::Action::kManageConsumer, {c->organization_id});
  v["can_approve"] = data_unit && (c->state == "pending" || c->state == "refused");
  v["can_refuse"] = data_unit && c->state == "pending";
  v["can_revoke"] = (data_unit || manager) && c->state != "revoked";
  v["can_issue"] = manager && c->state == "approved";
  const std::string base = "/workspace/consumers/" + c->id;
  v["approve_url"] = p.Url(base + "/approve");
  v["refuse_url"] = p.Url(base + "/refuse");
  v["revoke_url"] = p.Url(base + "/revoke");
  v["issue_url"] = p.Url(base + "/credentials");
  v["list_url"] = p.Url("/workspace/consumers");
  json creds = json::array();
  if (auto list = svc.ListCredentials(p.who, c->id); list.ok()) {
    const Micros now = NowMicros();
    for (const auto& k : *list) {
      const bool live = k.revoked == 0 && (k.expires == 0 || now < k.expires);
      creds.push_back({{"id", k.id},
                       {"name", k.name},
                       {"kind_text", p.T(k.kind == "api_key" ? "consumer_kind_api_key"
                                                             : "consumer_kind_oauth_client")},
                       {"lookup", k.lookup},
                       {"created", p.Date(k.created)},
                       {"expires", k.expires ? p.Date(k.expires) : ""},
                       {"last_used", k.last_used ? p.Date(k.last_used, true) : ""},
                       {"state_text", p.T(k.revoked ? "consumer_cred_revoked"
                                          : live    ? "consumer_cred_live"
                                                    : "consumer_cred_expired")},
                       {"live", live},
                       {"revoke_url", p.Url(base + "/credentials/" + k.id + "/revoke")}});
    }
  }
  v["has_credentials"] = !creds.empty();
  v["credentials"] = std::move(creds);
  if (issued != nullptr) {
    v["issued"] = {
        {"api_key", issued->credential.kind == "api_key" ? issued->secret : ""},
        {"client_id", issued->client_id},
        {"client_secret", issued->credential.kind == "oauth_client" ? issued->secret : ""},
        {"site_url", p.api.config.site_url}};
  }
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  Response r =
      p.Render("consumer", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
  if (issued != nullptr) r.Set("Cache-Control", "no-store");
  return r;
}

Response DecisionPost(Page& p, access::ConsumerService& svc, const std::string& id,
                      const std::string& decision) {
  Result<ConsumerSystem> r = decision == "approve"  ? svc.Approve(p.who, id)
                             : decision == "refuse" ? svc.Refuse(p.who, id, p.Field("reason"))
                                                    : svc.Revoke(p.who, id, p.Field("reason"));
  if (!r.ok()) return SystemPage(p, svc, id, r.status());
  return p.Redirect("/workspace/consumers/" + id + "?done=" +
                    (decision == "approve"  ? "approved"
                     : decision == "refuse" ? "refused"
                                            : "revoked"));
}

Response IssuePost(Page& p, access::ConsumerService& svc, const std::string& id) {
  access::CredentialRequest r;
  r.kind = p.Field("kind");
  r.name = p.Field("name");
  const std::string days_text = p.Field("expires_in_days");
  Result<int64_t> days = ParseIntIn(days_text, INT_MIN, INT_MAX);
  r.expires_in_days = days_text.empty() ? 365 : days.ok() ? static_cast<int>(*days) : 0;
  auto issued = svc.IssueCredential(p.who, id, r);
  if (!issued.ok()) return SystemPage(p, svc, id, issued.status());
  // The secret is in this answer only: no redirect, nothing cached.
  return SystemPage(p, svc, id, Status::Ok(), &*issued);
}

Response RevokeCredentialPost(Page& p, access::ConsumerService& svc, const std::string& id,
                              const std::string& cid) {
  Status s = svc.RevokeCredential(p.who, id, cid);
  if (!s.ok()) return SystemPage(p, svc, id, s);
  return p.Redirect("/workspace/consumers/" + id + "?done=credential_revoked");
}

}  // namespace

void RegisterConsumerPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/workspace/consumers", [](Page& p, const api::PathParams&) {
    return Consumers(p, [&](access::ConsumerService& svc) {
      return ListPage(p, svc, json::object(), Status::Ok());
    });
  });
  AddPage(router, web, "POST", "/workspace/consumers", [](Page& p, const api::PathParams&) {
    return Consumers(p, [&](access::ConsumerService& svc) { return RegisterPost(p, svc); });
  });
  AddPage(router, web, "GET", "/workspace/consumers/{id}", [](Page& p, const api::PathParams& a) {
    return Consumers(p, [&](access::ConsumerService& svc) {
      return SystemPage(p, svc, a.at("id"), Status::Ok());
    });
  });
  for (const char* decision : {"approve", "refuse", "revoke"}) {
    AddPage(router, web, "POST", std::string("/workspace/consumers/{id}/") + decision,
            [decision = std::string(decision)](Page& p, const api::PathParams& a) {
              return Consumers(p, [&](access::ConsumerService& svc) {
                return DecisionPost(p, svc, a.at("id"), decision);
              });
            });
  }
  AddPage(router, web, "POST", "/workspace/consumers/{id}/credentials",
          [](Page& p, const api::PathParams& a) {
            return Consumers(
                p, [&](access::ConsumerService& svc) { return IssuePost(p, svc, a.at("id")); });
          });
  AddPage(router, web, "POST", "/workspace/consumers/{id}/credentials/{cid}/revoke",
          [](Page& p, const api::PathParams& a) {
            return Consumers(p, [&](access::ConsumerService& svc) {
              return RevokeCredentialPost(p, svc, a.at("id"), a.at("cid"));
            });
          });
}

}  // namespace odp::web

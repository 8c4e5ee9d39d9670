// Grants of shared data in the browser (access/grants.h): the providing organization's admins
// (and sysadmins) grant a consumer system a table, and suspend, resume and revoke grants; the
// consumer's organization admins see the grants their systems hold. Everything goes through the
// same services as /api/v1/grants (api/grant_reads.h's CreateGrantChecked for new grants), so
// the page and the API never disagree. Narrowing is the API's (PATCH /api/v1/grants/{id}).
//
//   /workspace/grants                         list and the form for a new grant
//   POST /workspace/grants                    create
//   POST /workspace/grants/{id}/suspend | resume | revoke   (suspend and revoke need a reason)
#include <climits>
#include <sstream>

#include "access/grants.h"
#include "access/policy.h"
#include "api/datastore_params.h"
#include "api/grant_reads.h"
#include "base/civil_date.h"
#include "base/parse.h"
#include "http/request.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;

// Runs `fn` for signed-in users on a server with grants; checks CSRF on POSTs.
template <typename Fn>
Response Grants(Page& p, Fn fn) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (p.api.grants == nullptr) {
    return p.Error(Status(StatusCode::kNotFound, "grants are not enabled",
                          "Chưa bật chức năng cấp quyền chia sẻ"));
  }
  if (p.req.method == "POST") {
    if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  }
  return fn(*p.api.grants);
}

std::string Trimmed(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

// "so_dien_thoai: partial 4 3" per line → masks; InvalidArgument naming the line otherwise.
Result<access::ColumnMasks> MasksFromLines(const std::string& text) {
  access::ColumnMasks out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    auto bad = Status::InvalidArgument("a mask line is \"column: kind\"",
                                       "Mỗi dòng mặt nạ có dạng \"cột: loại\"")
                   .WithField("masks", "Dòng không hợp lệ: " + line);
    if (colon == std::string::npos) return bad;
    std::string column = Trimmed(line.substr(0, colon));
    std::istringstream words(line.substr(colon + 1));
    std::string kind;
    words >> kind;
    access::ColumnMask m;
    auto k = access::ParseMaskKind(kind);
    if (column.empty() || !k) return bad;
    m.kind = *k;
    if (m.kind == access::MaskKind::kPartial) {
      if (!(words >> m.keep_start >> m.keep_end) || m.keep_start < 0 || m.keep_end < 0 ||
          m.keep_start > access::kMaxPartialKeep || m.keep_end > access::kMaxPartialKeep) {
        return bad;
      }
    }
    out[column] = m;
  }
  return out;
}

std::string MasksText(const Grant& g) {
  std::string out;
  for (const auto& [column, m] : access::GrantMasks(g)) {
    if (!out.empty()) out += "; ";
    out += column + ": " + access::ToString(m.kind);
    if (m.kind == access::MaskKind::kPartial) {
      out += " " + std::to_string(m.keep_start) + " " + std::to_string(m.keep_end);
    }
  }
  return out;
}

json GrantRow(Page& p, const Grant& g) {
  std::string dataset = g.dataset_id, resource = g.resource_id;
  if (auto r = p.api.catalog.GetResource(p.who, g.resource_id); r.ok()) {
    dataset = p.Pick(r->first->dataset.title_vi, r->first->dataset.title_en);
    resource = r->second.name.empty() ? r->second.id : r->second.name;
  }
  std::string system = g.consumer_id;
  if (p.api.consumers != nullptr) {
    if (auto c = p.api.consumers->Get(p.who, g.consumer_id); c.ok()) {
      system = c->name + " (" + c->agency_code + ")";
    }
  }
  std::string columns;
  for (const auto& c : access::GrantColumns(g)) columns += (columns.empty() ? "" : ", ") + c;
  auto limit = [&](int64_t n) { return n > 0 ? std::to_string(n) : p.T("grant_no_limit"); };
  const bool manager = access::Allowed(p.who, access::Action::kManageGrant, {g.organization_id});
  const std::string base = "/workspace/grants/" + g.id;
  return {{"id", g.id},
          {"system", system},
          {"dataset", dataset},
          {"resource", resource},
          {"columns", columns.empty() ? p.T("grant_all_columns") : columns},
          {"row_filter", g.row_filter.empty() ? p.T("grant_all_rows") : g.row_filter},
          {"masks", MasksText(g)},
          {"valid_from", g.valid_from ? p.Date(g.valid_from) : ""},
          {"valid_to", g.valid_to ? p.Date(g.valid_to - 1) : p.T("grant_no_end")},
          {"requests_per_day", limit(g.requests_per_day)},
          {"rows_per_day", limit(g.rows_per_day)},
          {"requests_per_minute", limit(g.requests_per_minute)},
          {"state_text", p.T("grant_state_" + g.state)},
          {"reason", g.reason},
          {"can_suspend", manager && g.state == "active"},
          {"can_resume", manager && g.state == "suspended"},
          {"can_revoke", manager && g.state != "revoked"},
          {"suspend_url", p.Url(base + "/suspend")},
          {"resume_url", p.Url(base + "/resume")},
          {"revoke_url", p.Url(base + "/revoke")}};
}

Response ListPage(Page& p, access::GrantService& svc, const json& values, const Status& error) {
  json v = p.View(p.T("grants_title"));
  if (std::string done = p.req.Param("done"); !done.empty()) {
    v["done_message"] = p.T("grant_done_" + done);
  }
  json rows = json::array();
  if (auto list = svc.List(p.who, {}); list.ok()) {
    for (const auto& g : *list) rows.push_back(GrantRow(p, g));
  }
  v["grants"] = std::move(rows);
  bool can_grant = p.who.sysadmin;
  for (const auto& [org, role] : p.who.roles) can_grant = can_grant || role == OrgRole::kAdmin;
  v["can_grant"] = can_grant;
  v["values"] = values;
  v["form_url"] = p.Url("/workspace/grants");
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("grants", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Result<Micros> DateInput(const std::string& text, const char* name, bool end) {
  if (text.empty()) return Micros{0};
  auto d = ParseCivilDate(text);
  if (!d) {
    return Status::InvalidArgument(std::string(name) + " must be a date",
                                   "Ngày phải có dạng YYYY-MM-DD")
        .WithField(name, "Ngày dạng YYYY-MM-DD");
  }
  return StartOfVietnamDay(end ? AddDays(*d, 1) : *d);
}

Result<int64_t> LimitInput(const std::string& text, const char* name) {
  if (text.empty()) return int64_t{0};
  Result<int64_t> n = ParseIntIn(text, 0, access::kMaxQuota);
  if (!n.ok()) {
    return Status::InvalidArgument(std::string(name) + " must be a whole number",
                                   "Hạn mức phải là số nguyên không âm")
        .WithField(name, "Số nguyên không âm (để trống: không giới hạn)");
  }
  return n;
}

Result<access::GrantInput> ReadInput(Page& p) {
  access::GrantInput in;
  in.consumer_id = p.Field("consumer_id");
  in.resource_id = p.Field("resource_id");
  in.columns = api::SplitList(p.Field("columns"), ',');
  in.row_filter = p.Field("row_filter");
  ODP_ASSIGN_OR_RETURN(in.masks, MasksFromLines(p.Field("masks")));
  ODP_ASSIGN_OR_RETURN(in.valid_from, DateInput(p.Field("valid_from"), "valid_from", false));
  ODP_ASSIGN_OR_RETURN(in.valid_to, DateInput(p.Field("valid_to"), "valid_to", true));
  ODP_ASSIGN_OR_RETURN(in.requests_per_day,
                       LimitInput(p.Field("requests_per_day"), "requests_per_day"));
  ODP_ASSIGN_OR_RETURN(in.rows_per_day, LimitInput(p.Field("rows_per_day"), "rows_per_day"));
  ODP_ASSIGN_OR_RETURN(in.requests_per_minute,
                       LimitInput(p.Field("requests_per_minute"), "requests_per_minute"));
  return in;
}

Response CreatePost(Page& p, access::GrantService& svc) {
  json values = json::object();
  for (const char* k :
       {"consumer_id", "resource_id", "columns", "row_filter", "masks", "valid_from", "valid_to",
        "requests_per_day", "rows_per_day", "requests_per_minute"}) {
    values[k] = p.Field(k);
  }
  auto in = ReadInput(p);
  if (!in.ok()) return ListPage(p, svc, values, in.status());
  auto g = api::CreateGrantChecked(p.api, p.who, *in);
  if (!g.ok()) return ListPage(p, svc, values, g.status());
  return p.Redirect("/workspace/grants?done=created");
}

Response ChangePost(Page& p, access::GrantService& svc, const std::string& id,
                    const std::string& change) {
  Result<Grant> r = change == "suspend"  ? svc.Suspend(p.who, id, p.Field("reason"))
                    : change == "resume" ? svc.Resume(p.who, id)
                                         : svc.Revoke(p.who, id, p.Field("reason"));
  if (!r.ok()) {
    if (r.status().code() == StatusCode::kNotFound) return p.Error(r.status());
    return ListPage(p, svc, json::object(), r.status());
  }
  return p.Redirect("/workspace/grants?done=" + (change == "suspend"  ? std::string("suspended")
                                                 : change == "resume" ? "resumed"
                                                                      : "revoked"));
}

}  // namespace

void RegisterGrantPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/workspace/grants", [](Page& p, const api::PathParams&) {
    return Grants(p, [&](access::GrantService& svc) {
      return ListPage(p, svc, json::object(), Status::Ok());
    });
  });
  AddPage(router, web, "POST", "/workspace/grants", [](Page& p, const api::PathParams&) {
    return Grants(p, [&](access::GrantService& svc) { return CreatePost(p, svc); });
  });
  for (const char* change : {"suspend", "resume", "revoke"}) {
    AddPage(router, web, "POST", std::string("/workspace/grants/{id}/") + change,
            [change = std::string(change)](Page& p, const api::PathParams& a) {
              return Grants(p, [&](access::GrantService& svc) {
                return ChangePost(p, svc, a.at("id"), change);
              });
            });
  }
}

}  // namespace odp::web

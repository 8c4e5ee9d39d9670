// The pages of the usage records and of the audit log (api/audit_api.h, audit/log.h):
//
//   /usage (/en/usage)   calls by consumer systems per day, as a table with a Chart.js chart
//                        (web/static/stats.js draws it from the table), and the latest calls.
//                        Sysadmins see every call; a member of an organization the calls to its
//                        data (?organization=, default the first of their organizations); an
//                        admin of a consumer system's organization that system's calls
//                        (?consumer=). The same JSON as GET /api/v1/usage/daily and /calls.
//   /admin/audit         (sysadmins) the newest records of the log, the verification of the
//                        whole chain (?verify=1, the check `odp audit verify` runs) and the
//                        export of the signed checkpoints.
#include <string>

#include "api/audit_api.h"
#include "audit/log.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;

Response UsagePage(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  // Default scope: a user who is not a sysadmin sees their first organization's data.
  std::string organization = p.req.Param("organization");
  std::string consumer = p.req.Param("consumer");
  if (!p.who.sysadmin && organization.empty() && consumer.empty() && !p.who.roles.empty()) {
    organization = p.who.roles.begin()->first;
    p.req.query.emplace_back("organization", organization);
  }
  auto daily = api::UsageDailyJson(p.api, p.req, p.who);
  if (!daily.ok()) return p.Error(daily.status());
  auto calls = api::UsageCallsJson(p.api, p.req, p.who);
  if (!calls.ok()) return p.Error(calls.status());
  json v = p.View(p.T("usage_title"));
  json days = json::array();
  for (const auto& d : (*daily)["days"]) {
    days.push_back({{"label", p.Day(d.value("day", std::string()))},
                    {"calls", d.value("calls", int64_t{0})},
                    {"calls_text", FormatCount(d.value("calls", int64_t{0}), p.lang)},
                    {"errors", d.value("errors", int64_t{0})},
                    {"errors_text", FormatCount(d.value("errors", int64_t{0}), p.lang)},
                    {"bytes_text", FormatBytes(d.value("bytes", int64_t{0}), p.lang)}});
  }
  v["days"] = days;
  v["has_days"] = !days.empty();
  v["total_calls"] = FormatCount((*daily).value("calls", int64_t{0}), p.lang);
  v["total_errors"] = FormatCount((*daily).value("errors", int64_t{0}), p.lang);
  v["from"] = p.Day((*daily).value("from", std::string()));
  v["to"] = p.Day((*daily).value("to", std::string()));
  json rows = json::array();
  for (const auto& c : (*calls)["calls"]) {
    json d = c.value("details", json::object());
    rows.push_back({{"at", c.value("at", std::string())},
                    {"request_id", c.value("request_id", std::string())},
                    {"consumer", c.value("consumer", std::string())},
                    {"organization", c.value("organization", std::string())},
                    {"subject", c.value("subject", std::string())},
                    {"status", c.value("status", int64_t{0})},
                    {"end_user", d.is_object() ? d.value("end_user", std::string()) : ""},
                    {"purpose", d.is_object() ? d.value("purpose", std::string()) : ""}});
  }
  v["calls"] = rows;
  v["has_calls"] = !rows.empty();
  v["scope_organization"] = organization;
  v["scope_consumer"] = consumer;
  v["csv_url"] = "/api/v1/usage/daily.csv";
  v["alt_lang_url"] = p.en() ? "/usage" : "/en/usage";
  return p.Render("usage", std::move(v));
}

Response AuditPage(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (!p.who.sysadmin) {
    return p.Error(Status::PermissionDenied("only system administrators",
                                            "Chỉ quản trị hệ thống mới vào được trang này"));
  }
  if (p.api.audit == nullptr) return p.Error(Status::Unavailable("the audit log is not running"));
  audit::Log& log = *p.api.audit;
  json v = p.View(p.T("audit_title"));
  if (p.req.Param("verify") == "1") {
    (void)log.Flush();
    auto report = audit::VerifyLog(log.store(), 0, 0);
    if (!report.ok()) return p.Error(report.status());
    v["verified"] = true;
    v["verify_ok"] = report->ok;
    v["verify_records"] = FormatCount(report->records, p.lang);
    v["verify_checkpoints"] = FormatCount(report->checkpoints, p.lang);
    v["verify_bad_seq"] = report->bad_seq;
    v["verify_problem"] = report->problem;
  }
  store::AuditQuery q;
  q.limit = 100;
  q.kind = p.req.Param("kind");
  auto records = log.store().QueryAuditRecords(q);
  if (!records.ok()) return p.Error(records.status());
  json rows = json::array();
  for (const auto& r : *records) {
    rows.push_back({{"seq", r.seq},
                    {"at", p.Date(r.at, true)},
                    {"kind", r.kind},
                    {"actor", r.actor},
                    {"subject", r.subject},
                    {"details", r.body},
                    {"hash", r.hash.substr(0, 16)}});
  }
  v["records"] = rows;
  auto head = log.store().AuditHead();
  v["head_seq"] = head.ok() ? head->seq : 0;
  auto latest = log.store().LatestAuditCheckpoint();
  if (latest.ok() && latest->has_value()) {
    v["checkpoint_seq"] = (*latest)->seq;
    v["checkpoint_at"] = p.Date((*latest)->at, true);
  }
  v["writable"] = log.Writable();
  v["kind"] = q.kind;
  return p.Render("admin_audit", std::move(v));
}

}  // namespace

void RegisterUsagePages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/usage", UsagePage);
  AddPage(router, web, "GET", "/admin/audit", AuditPage);
}

}  // namespace odp::web

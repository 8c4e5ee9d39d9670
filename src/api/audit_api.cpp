#include "api/audit_api.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <utility>

#include "api/handler.h"
#include "api/response.h"
#include "audit/log.h"
#include "base/civil_date.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/parse.h"

namespace odp::api {

using http::Request;
using http::Response;
using json = nlohmann::json;

namespace {

constexpr size_t kMaxReferenceBytes = 256;
constexpr Micros kDay = 86400LL * 1000000;
constexpr Micros kVietnamOffset = 7LL * 3600 * 1000000;

bool RequestIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

std::string Capped(const std::string& s) {
  return s.size() <= kMaxReferenceBytes ? s : s.substr(0, kMaxReferenceBytes);
}

std::string CompactJson(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The provider of `object_id` (a resource or a dataset the caller may read), or "".
std::string ProviderOf(ApiContext& ctx, const access::Principal& who,
                       const std::string& object_id) {
  if (object_id.empty()) return "";
  if (auto r = ctx.catalog.GetResource(who, object_id); r.ok()) {
    return r->first->dataset.organization_id;
  }
  if (auto d = ctx.catalog.GetDataset(who, object_id); d.ok()) {
    return (*d)->dataset.organization_id;
  }
  return "";
}

int64_t BodyBytes(const Response& r) {
  if (r.shared_body) return static_cast<int64_t>(r.shared_body->size());
  if (!r.file_path.empty()) return r.file_length;
  if (r.stream) return -1;  // streamed: not known when the record is made
  return static_cast<int64_t>(r.body.size());
}

audit::Log& LogOf(ApiContext& ctx) { return *ctx.audit; }

Status NoLog() { return Status::Unavailable("the audit log is not running on this server"); }

// Micros of the start of `day` in Viet Nam time.
Micros DayStart(const CivilDate& day) { return DaysSinceEpoch(day) * kDay - kVietnamOffset; }

// from/to query parameters ("2026-12-01", inclusive days); the last `default_days` by default.
Status ReadDays(const Request& req, int default_days, store::AuditQuery& q) {
  Micros now = NowMicros();
  CivilDate today = CivilDateFromDays((now + kVietnamOffset) / kDay);
  CivilDate from = AddDays(today, -(default_days - 1));
  CivilDate to = today;
  if (req.HasParam("from")) {
    auto d = ParseCivilDate(req.Param("from"));
    if (!d) return Status::InvalidArgument("from: a date YYYY-MM-DD", "from: ngày dạng YYYY-MM-DD");
    from = *d;
  }
  if (req.HasParam("to")) {
    auto d = ParseCivilDate(req.Param("to"));
    if (!d) return Status::InvalidArgument("to: a date YYYY-MM-DD", "to: ngày dạng YYYY-MM-DD");
    to = *d;
  }
  if (DaysSinceEpoch(to) < DaysSinceEpoch(from)) {
    return Status::InvalidArgument("to is before from", "Ngày kết thúc trước ngày bắt đầu");
  }
  if (DaysSinceEpoch(to) - DaysSinceEpoch(from) > 3660) {
    return Status::InvalidArgument("at most ten years at once", "Tối đa mười năm mỗi lần");
  }
  q.from = DayStart(from);
  q.to = DayStart(AddDays(to, 1));
  return Status::Ok();
}

// The query's scope for `who` (see the header): which calls the caller may see.
Result<store::AuditQuery> ScopedQuery(ApiContext& ctx, const Request& req,
                                      const access::Principal& who) {
  store::AuditQuery q;
  std::string consumer = req.Param("consumer");
  std::string organization = req.Param("organization");
  if (!organization.empty()) {
    ODP_ASSIGN_OR_RETURN(auto org, ctx.catalog.GetOrganization(organization));
    organization = org.id;
  }
  if (who.consumer()) {
    if (!consumer.empty() && consumer != who.consumer_id) {
      return Status::NotFound("consumer system", consumer);
    }
    q.actor = "consumer:" + who.consumer_id;
    q.organization = organization;
    return q;
  }
  if (!who.authenticated()) {
    return Status::Unauthenticated("sign in to see usage records", "Hãy đăng nhập để xem");
  }
  if (!consumer.empty()) {
    if (!who.sysadmin) {
      if (ctx.consumers == nullptr) return Status::NotFound("consumer system", consumer);
      ODP_RETURN_IF_ERROR(ctx.consumers->Get(who, consumer).status());
    }
    q.actor = "consumer:" + consumer;
  }
  if (!organization.empty()) {
    if (!who.sysadmin && who.RoleIn(organization) == nullptr && consumer.empty()) {
      return Status::PermissionDenied("only members of the organization see the use of its data",
                                      "Chỉ thành viên của đơn vị mới xem được việc sử dụng dữ "
                                      "liệu của đơn vị");
    }
    q.organization = organization;
  }
  if (!who.sysadmin && q.actor.empty() && q.organization.empty()) {
    return Status::PermissionDenied(
        "name an organization you belong to (organization=) or a consumer system you manage "
        "(consumer=)",
        "Hãy chọn một đơn vị của bạn (organization=) hoặc một hệ thống kết nối bạn quản lý "
        "(consumer=)");
  }
  return q;
}

std::string OrgSlug(ApiContext& ctx, const std::string& id,
                    std::map<std::string, std::string>& cache) {
  if (id.empty()) return "";
  auto it = cache.find(id);
  if (it != cache.end()) return it->second;
  std::string slug = id;
  if (auto o = ctx.catalog.GetOrganization(id); o.ok()) slug = o->slug;
  cache.emplace(id, slug);
  return slug;
}

json RecordJson(const store::AuditRecord& r) {
  json j = {{"seq", r.seq},
            {"at", FormatIsoMicros(r.at)},
            {"kind", r.kind},
            {"actor", r.actor},
            {"organization", r.organization},
            {"subject", r.subject},
            {"request_id", r.request_id}};
  if (r.kind == "api.call") {
    j["status"] = r.status;
    j["rows"] = r.rows < 0 ? json(nullptr) : json(r.rows);
    j["bytes"] = r.bytes < 0 ? json(nullptr) : json(r.bytes);
    j["duration_ms"] = static_cast<double>(r.duration_us) / 1000.0;
  }
  json body = json::parse(r.body, nullptr, false);
  j["details"] = body.is_discarded() ? json(r.body) : body;
  j["hash"] = r.hash;
  return j;
}

Result<int> ReadLimit(const Request& req, int fallback) {
  if (!req.HasParam("limit")) return fallback;
  ODP_ASSIGN_OR_RETURN(int64_t n, ParseIntIn(req.Param("limit"), 1, 1000));
  return static_cast<int>(n);
}

// Routes ---------------------------------------------------------------------------------------

Result<Response> GetUsageCalls(ApiContext& ctx, Request& req, const PathParams&,
                               const access::Principal& who) {
  ODP_ASSIGN_OR_RETURN(json body, UsageCallsJson(ctx, req, who));
  Response r = JsonResponse(200, body);
  r.Set("Cache-Control", "no-store");
  return r;
}

Result<Response> GetUsageDaily(ApiContext& ctx, Request& req, const PathParams&,
                               const access::Principal& who) {
  ODP_ASSIGN_OR_RETURN(json body, UsageDailyJson(ctx, req, who));
  Response r = JsonResponse(200, body);
  r.Set("Cache-Control", "no-store");
  return r;
}

Result<Response> GetUsageDailyCsv(ApiContext& ctx, Request& req, const PathParams&,
                                  const access::Principal&) {
  if (ctx.audit == nullptr) return NoLog();
  store::AuditQuery q;
  ODP_RETURN_IF_ERROR(ReadDays(req, 365, q));
  ODP_ASSIGN_OR_RETURN(auto totals, LogOf(ctx).store().SumAuditCalls(q));
  std::map<std::string, std::string> slugs;
  std::string out = "day,organization,calls,errors,rows,bytes\r\n";
  for (const auto& t : totals) {
    out += t.day + "," + OrgSlug(ctx, t.organization, slugs) + "," + std::to_string(t.calls) + "," +
           std::to_string(t.errors) + "," + std::to_string(t.rows) + "," + std::to_string(t.bytes) +
           "\r\n";
  }
  Response r;
  r.body = std::move(out);
  r.Set("Content-Type", "text/csv; charset=utf-8");
  r.Set("Content-Disposition", "attachment; filename=\"odp-api-usage-daily.csv\"");
  r.Set("Cache-Control", "no-cache");
  return r;
}

Result<Response> GetAuditEvents(ApiContext& ctx, Request& req, const PathParams&,
                                const access::Principal& who) {
  if (!who.sysadmin) {
    return Status::PermissionDenied("only the data unit (sysadmins) reads the audit log",
                                    "Chỉ đơn vị quản lý dữ liệu (quản trị hệ thống) xem nhật ký");
  }
  if (ctx.audit == nullptr) return NoLog();
  store::AuditQuery q;
  q.kind = req.Param("kind");
  q.actor = req.Param("actor");
  q.organization = req.Param("organization");
  ODP_ASSIGN_OR_RETURN(q.limit, ReadLimit(req, 100));
  if (req.HasParam("before")) {
    ODP_ASSIGN_OR_RETURN(q.before_seq, ParseIntIn(req.Param("before"), 1, INT64_MAX));
  }
  ODP_ASSIGN_OR_RETURN(auto records, LogOf(ctx).store().QueryAuditRecords(q));
  json list = json::array();
  for (const auto& r : records) list.push_back(RecordJson(r));
  json body = {{"events", list}};
  if (static_cast<int>(records.size()) == q.limit && !records.empty()) {
    body["next_before"] = records.back().seq;
  }
  Response r = JsonResponse(200, body);
  r.Set("Cache-Control", "no-store");
  return r;
}

Result<Response> GetAuditVerify(ApiContext& ctx, Request& req, const PathParams&,
                                const access::Principal& who) {
  if (!who.sysadmin) {
    return Status::PermissionDenied("only the data unit (sysadmins) verifies the audit log",
                                    "Chỉ quản trị hệ thống kiểm tra nhật ký");
  }
  if (ctx.audit == nullptr) return NoLog();
  int64_t from = 0, to = 0;
  if (req.HasParam("from")) {
    ODP_ASSIGN_OR_RETURN(from, ParseIntIn(req.Param("from"), 1, INT64_MAX));
  }
  if (req.HasParam("to")) {
    ODP_ASSIGN_OR_RETURN(to, ParseIntIn(req.Param("to"), 1, INT64_MAX));
  }
  ODP_RETURN_IF_ERROR(LogOf(ctx).Flush());
  auto started = std::chrono::steady_clock::now();
  ODP_ASSIGN_OR_RETURN(auto report, audit::VerifyLog(LogOf(ctx).store(), from, to));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  json body = {{"ok", report.ok},
               {"records", report.records},
               {"checkpoints", report.checkpoints},
               {"first_seq", report.first_seq},
               {"last_seq", report.last_seq},
               {"seconds", seconds}};
  if (!report.ok) {
    body["bad_seq"] = report.bad_seq;
    body["problem"] = report.problem;
  }
  Response r = JsonResponse(200, body);
  r.Set("Cache-Control", "no-store");
  return r;
}

Result<Response> GetAuditCheckpoints(ApiContext& ctx, Request&, const PathParams&,
                                     const access::Principal&) {
  if (ctx.audit == nullptr) return NoLog();
  ODP_ASSIGN_OR_RETURN(std::string text, audit::ExportCheckpoints(LogOf(ctx).store()));
  Response r;
  r.body = std::move(text);
  r.Set("Content-Type", "application/x-ndjson; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  return r;
}

Result<Response> PostAuditCheckpoint(ApiContext& ctx, Request&, const PathParams&,
                                     const access::Principal& who) {
  if (!who.sysadmin) {
    return Status::PermissionDenied("only sysadmins sign checkpoints",
                                    "Chỉ quản trị hệ thống ký điểm kiểm tra");
  }
  if (ctx.audit == nullptr) return NoLog();
  ODP_ASSIGN_OR_RETURN(auto cp, LogOf(ctx).CheckpointNow());
  if (!cp) return JsonResponse(200, json{{"checkpoint", nullptr}});
  return JsonResponse(200, json{{"checkpoint",
                                 {{"seq", cp->seq},
                                  {"hash", cp->hash},
                                  {"at", cp->at},
                                  {"kid", cp->kid},
                                  {"signature", cp->signature}}}});
}

}  // namespace

std::string RequestIdOf(const Request& req) {
  const std::string& sent = req.Header(kRequestIdHeader);
  if (!sent.empty() && sent.size() <= 128 && std::all_of(sent.begin(), sent.end(), RequestIdChar)) {
    return sent;
  }
  return NewUuid();
}

std::string ParamsDigest(const Request& req) {
  Sha256Stream h;
  for (const std::string* part : {&req.method, &req.path, &req.query_string, &req.body}) {
    std::string len = std::to_string(part->size()) + ":";
    h.Update(len);
    h.Update(*part);
  }
  if (!req.body_file.empty()) h.Update("file:" + req.body_file);
  return h.FinishHex();
}

Response RecordedCall(ApiContext& ctx, const Request& req, const access::Principal& who,
                      const std::string& object_id, const std::function<Response()>& run) {
  // Anonymous answers may be cached whole (the fast path): they carry no request id.
  if (!who.consumer() && !who.authenticated()) return run();
  std::string request_id = RequestIdOf(req);
  const bool record = who.consumer() && ctx.audit != nullptr;
  const bool required = who.consumer() && (ctx.config.audit_fail_closed ||
                                           (ctx.needs_audit && ctx.needs_audit(req, who)));
  Response r;
  if (required) {
    Status writable = ctx.audit == nullptr ? NoLog() : ctx.audit->RequireWritable();
    if (!writable.ok()) {
      r = ErrorResponse(writable);
      r.Set("X-Request-Id", request_id);
      return r;
    }
  }
  auto started = std::chrono::steady_clock::now();
  r = run();
  auto spent = std::chrono::steady_clock::now() - started;
  if (record) {
    store::AuditEntry e;
    e.kind = "api.call";
    e.actor = "consumer:" + who.consumer_id;
    e.organization = ProviderOf(ctx, who, object_id);
    e.subject = req.method + " " + req.path;
    e.request_id = request_id;
    e.status = r.status;
    if (const std::string* rows = r.Find(kResultRowsHeader)) {
      if (auto n = ParseInt(*rows); n.ok()) e.rows = *n;
    }
    e.bytes = BodyBytes(r);
    e.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(spent).count();
    e.body = CompactJson(json{{"credential", who.credential_id},
                              {"end_user", Capped(req.Header(kEndUserHeader))},
                              {"purpose", Capped(req.Header(kPurposeHeader))},
                              {"params_sha256", ParamsDigest(req)}});
    if (required) {
      Status written = ctx.audit->AppendNow(std::move(e));
      if (!written.ok()) r = ErrorResponse(written);
    } else {
      ctx.audit->Append(std::move(e));
    }
  }
  r.Set("X-Request-Id", request_id);
  return r;
}

Result<json> UsageCallsJson(ApiContext& ctx, const Request& req, const access::Principal& who) {
  if (ctx.audit == nullptr) return NoLog();
  ODP_ASSIGN_OR_RETURN(store::AuditQuery q, ScopedQuery(ctx, req, who));
  q.kind = "api.call";
  ODP_RETURN_IF_ERROR(ReadDays(req, 30, q));
  ODP_ASSIGN_OR_RETURN(q.limit, ReadLimit(req, 100));
  if (req.HasParam("before")) {
    ODP_ASSIGN_OR_RETURN(q.before_seq, ParseIntIn(req.Param("before"), 1, INT64_MAX));
  }
  ODP_ASSIGN_OR_RETURN(auto records, LogOf(ctx).store().QueryAuditRecords(q));
  std::map<std::string, std::string> slugs;
  json list = json::array();
  for (const auto& r : records) {
    json j = RecordJson(r);
    j["organization"] = OrgSlug(ctx, r.organization, slugs);
    j["consumer"] = r.actor.rfind("consumer:", 0) == 0 ? r.actor.substr(9) : r.actor;
    j.erase("actor");
    j.erase("kind");
    list.push_back(std::move(j));
  }
  json body = {{"calls", list}};
  if (static_cast<int>(records.size()) == q.limit && !records.empty()) {
    body["next_before"] = records.back().seq;
  }
  return body;
}

Result<json> UsageDailyJson(ApiContext& ctx, const Request& req, const access::Principal& who) {
  if (ctx.audit == nullptr) return NoLog();
  ODP_ASSIGN_OR_RETURN(store::AuditQuery q, ScopedQuery(ctx, req, who));
  ODP_RETURN_IF_ERROR(ReadDays(req, 30, q));
  ODP_ASSIGN_OR_RETURN(auto totals, LogOf(ctx).store().SumAuditCalls(q));
  std::map<std::string, store::AuditCallTotal> days;
  std::map<std::string, std::string> slugs;
  json by_org = json::array();
  for (const auto& t : totals) {
    auto& d = days[t.day];
    d.day = t.day;
    d.calls += t.calls;
    d.errors += t.errors;
    d.rows += t.rows;
    d.bytes += t.bytes;
    d.duration_us += t.duration_us;
    by_org.push_back({{"day", t.day},
                      {"organization", OrgSlug(ctx, t.organization, slugs)},
                      {"calls", t.calls},
                      {"errors", t.errors},
                      {"rows", t.rows},
                      {"bytes", t.bytes}});
  }
  json list = json::array();
  int64_t calls = 0, errors = 0;
  for (const auto& [day, d] : days) {
    calls += d.calls;
    errors += d.errors;
    list.push_back({{"day", day},
                    {"calls", d.calls},
                    {"errors", d.errors},
                    {"rows", d.rows},
                    {"bytes", d.bytes},
                    {"avg_ms", d.calls == 0 ? 0.0
                                            : static_cast<double>(d.duration_us) / 1000.0 /
                                                  static_cast<double>(d.calls)}});
  }
  return json{{"from", FormatCivilDate(CivilDateFromDays((q.from + kVietnamOffset) / kDay))},
              {"to", FormatCivilDate(CivilDateFromDays((q.to + kVietnamOffset) / kDay - 1))},
              {"calls", calls},
              {"errors", errors},
              {"days", list},
              {"by_organization", by_org}};
}

void RegisterAudit(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/usage/calls", GetUsageCalls);
  AddRoute(router, ctx, "GET", "/api/v1/usage/daily", GetUsageDaily);
  AddRoute(router, ctx, "GET", "/api/v1/usage/daily.csv", GetUsageDailyCsv);
  AddRoute(router, ctx, "GET", "/api/v1/audit/events", GetAuditEvents);
  AddRoute(router, ctx, "GET", "/api/v1/audit/verify", GetAuditVerify);
  AddRoute(router, ctx, "GET", "/api/v1/audit/checkpoints", GetAuditCheckpoints);
  AddRoute(router, ctx, "POST", "/api/v1/audit/checkpoints", PostAuditCheckpoint);
}

}  // namespace odp::api

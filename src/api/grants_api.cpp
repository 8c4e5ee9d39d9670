// Grants of shared data over HTTP: /api/v1/grants… (create, list, show, narrow, suspend, resume,
// revoke). The rules are GrantService's (access/grants.h); how grants act on the read paths is
// api/grant_reads.h.
#include <string>

#include "access/grants.h"
#include "api/api.h"
#include "api/grant_reads.h"
#include "api/handler.h"
#include "base/civil_date.h"

namespace odp::api {
namespace {

using access::Principal;
using http::Request;
using http::Response;

Status NotEnabled() {
  return Status(StatusCode::kNotFound, "grants are not enabled on this server",
                "Máy chủ này chưa bật chức năng cấp quyền chia sẻ");
}

Result<access::GrantService*> Service(ApiContext& ctx) {
  if (ctx.grants == nullptr) return NotEnabled();
  return ctx.grants;
}

json OptionalTime(Micros t) { return t != 0 ? json(FormatIsoSeconds(t)) : json(nullptr); }

json GrantJson(const Grant& g) {
  json masks = json::object();
  for (const auto& [column, m] : access::GrantMasks(g)) masks[column] = access::MaskToJson(m);
  const std::vector<std::string> columns = access::GrantColumns(g);
  const Micros now = NowMicros();
  std::string effect = g.state != "active"                       ? g.state
                       : g.valid_to != 0 && now >= g.valid_to    ? "expired"
                       : g.valid_from != 0 && now < g.valid_from ? "not_yet_valid"
                                                                 : "in_effect";
  return {{"id", g.id},
          {"consumer_id", g.consumer_id},
          {"organization_id", g.organization_id},
          {"dataset_id", g.dataset_id},
          {"resource_id", g.resource_id},
          {"service_id", g.service_id ? json(*g.service_id) : json(nullptr)},
          {"request_id", g.request_id ? json(*g.request_id) : json(nullptr)},
          {"columns", columns.empty() ? json(nullptr) : json(columns)},
          {"row_filter", g.row_filter},
          {"masks", masks},
          {"valid_from", OptionalTime(g.valid_from)},
          {"valid_to", OptionalTime(g.valid_to)},
          {"requests_per_day", g.requests_per_day},
          {"rows_per_day", g.rows_per_day},
          {"requests_per_minute", g.requests_per_minute},
          {"state", g.state},
          {"effect", effect},
          {"reason", g.reason},
          {"created_by", g.created_by},
          {"modified_by", g.modified_by},
          {"created", FormatIsoSeconds(g.created)},
          {"modified", FormatIsoSeconds(g.modified)}};
}

// A date "2026-12-31" (Viet Nam time): the start of that day, or with `end` the start of the
// next (a grant valid "to 2026-12-31" is valid all that day). null or absent: 0.
Result<Micros> DateField(const json& body, const char* name, bool end) {
  if (!body.contains(name) || body[name].is_null()) return Micros{0};
  auto date = body[name].is_string() ? ParseCivilDate(body[name].get<std::string>())
                                     : std::optional<CivilDate>();
  if (!date) {
    return Status::InvalidArgument(std::string(name) + " must be a date YYYY-MM-DD",
                                   "Ngày phải có dạng YYYY-MM-DD")
        .WithField(name, "Ngày dạng YYYY-MM-DD");
  }
  return end ? StartOfVietnamDay(AddDays(*date, 1)) : StartOfVietnamDay(*date);
}

Result<std::optional<int64_t>> LimitField(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::optional<int64_t>();
  auto n = JsonInteger(body[name]);
  if (!n.ok() || *n < 0) {
    return Status::InvalidArgument(std::string(name) + " must be a whole number, 0 for no limit",
                                   "Hạn mức phải là số nguyên không âm (0: không giới hạn)")
        .WithField(name, "Số nguyên không âm");
  }
  return std::optional<int64_t>(*n);
}

Result<std::vector<std::string>> ColumnsField(const json& body) {
  std::vector<std::string> out;
  if (!body.contains("columns") || body["columns"].is_null()) return out;
  auto bad = Status::InvalidArgument("columns must be a list of column ids",
                                     "Cột phải là danh sách mã cột")
                 .WithField("columns", "Danh sách mã cột, hoặc null cho mọi cột");
  if (!body["columns"].is_array()) return bad;
  for (const auto& c : body["columns"]) {
    if (!c.is_string()) return bad;
    out.push_back(c.get<std::string>());
  }
  return out;
}

Result<access::ColumnMasks> MasksField(const json& body) {
  if (!body.contains("masks") || body["masks"].is_null()) return access::ColumnMasks{};
  auto masks = access::MasksFromText(body["masks"].dump());
  if (!masks.ok()) {
    return Status::InvalidArgument(masks.status().message(), masks.status().message_vi())
        .WithField("masks", masks.status().message_vi());
  }
  return masks;
}

Result<std::optional<std::string>> OptionalText(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::optional<std::string>();
  ODP_ASSIGN_OR_RETURN(std::string v, JsonStringField(body, name));
  return std::optional<std::string>(v);
}

Result<Response> ListGrants(ApiContext& ctx, Request& req, const PathParams&,
                            const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  if (!who.authenticated() && !who.consumer()) {
    return Status::Unauthenticated("sign in to see grants", "Hãy đăng nhập để xem quyền chia sẻ");
  }
  access::GrantFilter f{req.Param("consumer_id"), req.Param("dataset_id"), req.Param("state")};
  ODP_ASSIGN_OR_RETURN(auto list, grants->List(who, f));
  json out = json::array();
  for (const auto& g : list) out.push_back(GrantJson(g));
  return JsonResponse(200, {{"grants", out}, {"count", list.size()}});
}

Result<Response> CreateGrant(ApiContext& ctx, Request& req, const PathParams&,
                             const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json body, ParseJsonObject(req.body));
  access::GrantInput in;
  ODP_ASSIGN_OR_RETURN(in.consumer_id, JsonStringField(body, "consumer_id"));
  ODP_ASSIGN_OR_RETURN(in.resource_id, JsonStringField(body, "resource_id"));
  if (in.resource_id.empty()) {
    return Status::InvalidArgument("resource_id is required", "Cần chọn tài nguyên")
        .WithField("resource_id", "Bắt buộc");
  }
  // Who may grant is checked before anything about the table is (api/grant_reads.h).
  ODP_RETURN_IF_ERROR(grants->CheckCanGrant(who, in.resource_id));
  ODP_ASSIGN_OR_RETURN(in.service_id, OptionalText(body, "service_id"));
  ODP_ASSIGN_OR_RETURN(in.request_id, OptionalText(body, "request_id"));
  ODP_ASSIGN_OR_RETURN(in.columns, ColumnsField(body));
  ODP_ASSIGN_OR_RETURN(in.row_filter, JsonStringField(body, "row_filter"));
  ODP_ASSIGN_OR_RETURN(in.masks, MasksField(body));
  ODP_ASSIGN_OR_RETURN(in.valid_from, DateField(body, "valid_from", false));
  ODP_ASSIGN_OR_RETURN(in.valid_to, DateField(body, "valid_to", true));
  for (auto [name, into] : {std::pair{"requests_per_day", &in.requests_per_day},
                            std::pair{"rows_per_day", &in.rows_per_day},
                            std::pair{"requests_per_minute", &in.requests_per_minute}}) {
    ODP_ASSIGN_OR_RETURN(auto v, LimitField(body, name));
    *into = v.value_or(0);
  }
  ODP_ASSIGN_OR_RETURN(Grant g, CreateGrantChecked(ctx, who, in));
  return JsonResponse(201, GrantJson(g));
}

Result<Response> GetGrant(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  ODP_ASSIGN_OR_RETURN(Grant g, grants->Get(who, p.at("id")));
  return JsonResponse(200, GrantJson(g));
}

Result<Response> NarrowGrant(ApiContext& ctx, Request& req, const PathParams& p,
                             const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  ODP_ASSIGN_OR_RETURN(Grant current, grants->ForChange(who, p.at("id")));
  ODP_ASSIGN_OR_RETURN(json body, ParseJsonObject(req.body));
  access::GrantNarrowing n;
  if (body.contains("columns")) {
    ODP_ASSIGN_OR_RETURN(auto columns, ColumnsField(body));
    n.columns = columns;
  }
  if (body.contains("row_filter")) {
    ODP_ASSIGN_OR_RETURN(auto filter, JsonStringField(body, "row_filter"));
    n.row_filter = filter;
  }
  if (body.contains("masks")) {
    ODP_ASSIGN_OR_RETURN(auto masks, MasksField(body));
    n.masks = masks;
  }
  if (body.contains("valid_to")) {
    ODP_ASSIGN_OR_RETURN(Micros to, DateField(body, "valid_to", true));
    n.valid_to = to;
  }
  for (auto [name, into] : {std::pair{"requests_per_day", &n.requests_per_day},
                            std::pair{"rows_per_day", &n.rows_per_day},
                            std::pair{"requests_per_minute", &n.requests_per_minute}}) {
    ODP_ASSIGN_OR_RETURN(*into, LimitField(body, name));
  }
  // What the grant would be must still fit its table.
  std::vector<std::string> columns = n.columns ? *n.columns : access::GrantColumns(current);
  access::ColumnMasks masks = access::GrantMasks(current);
  if (n.masks) {
    for (const auto& [c, m] : *n.masks) masks[c] = m;
  }
  std::string filter = current.row_filter;
  if (n.row_filter && !n.row_filter->empty()) {
    filter = filter.empty() ? *n.row_filter : filter + "&" + *n.row_filter;
  }
  ODP_RETURN_IF_ERROR(GrantFitsTable(ctx, current.resource_id, columns, masks, filter));
  ODP_ASSIGN_OR_RETURN(Grant g, grants->Narrow(who, p.at("id"), n));
  return JsonResponse(200, GrantJson(g));
}

Result<Response> SuspendGrant(ApiContext& ctx, Request& req, const PathParams& p,
                              const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json body, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(std::string reason, JsonStringField(body, "reason"));
  ODP_ASSIGN_OR_RETURN(Grant g, grants->Suspend(who, p.at("id"), reason));
  return JsonResponse(200, GrantJson(g));
}

Result<Response> ResumeGrant(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  ODP_ASSIGN_OR_RETURN(Grant g, grants->Resume(who, p.at("id")));
  return JsonResponse(200, GrantJson(g));
}

Result<Response> RevokeGrant(ApiContext& ctx, Request& req, const PathParams& p,
                             const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* grants, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json body, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(std::string reason, JsonStringField(body, "reason"));
  ODP_ASSIGN_OR_RETURN(Grant g, grants->Revoke(who, p.at("id"), reason));
  return JsonResponse(200, GrantJson(g));
}

}  // namespace

void RegisterGrants(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/grants", ListGrants);
  AddRoute(router, ctx, "POST", "/api/v1/grants", CreateGrant);
  AddRoute(router, ctx, "GET", "/api/v1/grants/{id}", GetGrant);
  AddRoute(router, ctx, "PATCH", "/api/v1/grants/{id}", NarrowGrant);
  AddRoute(router, ctx, "POST", "/api/v1/grants/{id}/suspend", SuspendGrant);
  AddRoute(router, ctx, "POST", "/api/v1/grants/{id}/resume", ResumeGrant);
  AddRoute(router, ctx, "POST", "/api/v1/grants/{id}/revoke", RevokeGrant);
}

}  // namespace odp::api

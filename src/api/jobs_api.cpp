#include "api/jobs_api.h"

#include <algorithm>
#include <cstdlib>

#include "api/api.h"
#include "api/handler.h"
#include "jobs/jobs.h"

namespace odp::api {
namespace {

using access::Principal;
using http::Request;
using http::Response;

std::string Iso(Micros t) { return t > 0 ? FormatIsoSeconds(t) : ""; }

// Sysadmins only, on a server that runs jobs.
Status MayManageJobs(const ApiContext& ctx, const Principal& who) {
  if (!who.authenticated())
    return Status::Unauthenticated("sign in to see the jobs", "Hãy đăng nhập để xem các việc");
  if (!who.sysadmin) {
    return Status::PermissionDenied("only system administrators see the jobs",
                                    "Chỉ quản trị hệ thống mới xem được các việc chạy nền");
  }
  if (!ctx.jobs) return Status::Unavailable("this server runs no jobs");
  return Status::Ok();
}

}  // namespace

json JobRunJson(const store::JobRun& r) {
  json payload = json::parse(r.payload, nullptr, false);
  return {{"id", r.id},
          {"kind", r.kind},
          {"key", r.key},
          {"payload", payload.is_discarded() ? json(r.payload) : payload},
          {"state", r.state},
          {"cancel_requested", r.cancel_requested},
          {"attempts", r.attempts},
          {"max_attempts", r.max_attempts},
          {"run_at", Iso(r.run_at)},
          {"server", r.owner},
          {"lease_until", Iso(r.lease_until)},
          {"progress", r.progress},
          {"message", r.message},
          {"error", r.error},
          {"schedule", r.schedule_id},
          {"created", Iso(r.created)},
          {"started", Iso(r.started)},
          {"finished", Iso(r.finished)},
          {"updated", Iso(r.updated)}};
}

json JobScheduleJson(const store::JobSchedule& s) {
  json payload = json::parse(s.payload, nullptr, false);
  return {{"id", s.id},
          {"kind", s.kind},
          {"spec", s.spec},
          {"payload", payload.is_discarded() ? json(s.payload) : payload},
          {"next_run", Iso(s.next_run)},
          {"last_run", Iso(s.last_run)}};
}

namespace {

// Counts, running, queued, failed, history (?history=N, default 50, at most 500) and schedules.
Result<Response> ListJobs(ApiContext& ctx, Request& req, const PathParams&, const Principal& who) {
  ODP_RETURN_IF_ERROR(MayManageJobs(ctx, who));
  int history = 50;
  if (std::string h = req.Param("history"); !h.empty())
    history = std::clamp(std::atoi(h.c_str()), 0, 500);
  ODP_ASSIGN_OR_RETURN(auto o, ctx.jobs->Overview(history));
  auto runs = [](const std::vector<store::JobRun>& list) {
    json a = json::array();
    for (const auto& r : list) a.push_back(JobRunJson(r));
    return a;
  };
  json schedules = json::array();
  for (const auto& s : o.schedules) schedules.push_back(JobScheduleJson(s));
  return JsonResponse(200, {{"counts",
                             {{"queued", o.counts.queued},
                              {"running", o.counts.running},
                              {"failed", o.counts.failed},
                              {"done", o.counts.done},
                              {"cancelled", o.counts.cancelled}}},
                            {"running_here", ctx.jobs->running_here()},
                            {"server", ctx.jobs->owner()},
                            {"running", runs(o.running)},
                            {"queued", runs(o.queued)},
                            {"failed", runs(o.failed)},
                            {"history", runs(o.history)},
                            {"schedules", std::move(schedules)}});
}

Result<Response> GetJob(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_RETURN_IF_ERROR(MayManageJobs(ctx, who));
  ODP_ASSIGN_OR_RETURN(store::JobRun r, ctx.jobs->Get(p.at("id")));
  return JsonResponse(200, JobRunJson(r));
}

Result<Response> RetryJob(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_RETURN_IF_ERROR(MayManageJobs(ctx, who));
  ODP_RETURN_IF_ERROR(ctx.jobs->Retry(p.at("id")));
  ODP_ASSIGN_OR_RETURN(store::JobRun r, ctx.jobs->Get(p.at("id")));
  return JsonResponse(200, JobRunJson(r));
}

Result<Response> CancelJob(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_RETURN_IF_ERROR(MayManageJobs(ctx, who));
  ODP_RETURN_IF_ERROR(ctx.jobs->Cancel(p.at("id")));
  ODP_ASSIGN_OR_RETURN(store::JobRun r, ctx.jobs->Get(p.at("id")));
  return JsonResponse(200, JobRunJson(r));
}

}  // namespace

void RegisterJobs(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/jobs", ListJobs);
  AddRoute(router, ctx, "GET", "/api/v1/jobs/{id}", GetJob);
  AddRoute(router, ctx, "POST", "/api/v1/jobs/{id}/retry", RetryJob);
  AddRoute(router, ctx, "POST", "/api/v1/jobs/{id}/cancel", CancelJob);
}

}  // namespace odp::api

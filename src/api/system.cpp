// Health, readiness, metrics, the CKAN-style download path, and the router assembly.
#include <climits>

#include "api/api.h"
#include "api/datastore_api.h"
#include "api/grant_reads.h"
#include "api/handler.h"
#include "api/invitations_api.h"
#include "api/jobs_api.h"
#include "api/site_api.h"
#include "api/stats_api.h"
#include "api/upload.h"
#include "base/crypto.h"
#include "base/parse.h"
#include "http/metrics.h"

namespace odp::api {

using access::Principal;
using http::Request;
using http::Response;

namespace {

// /metrics is for operators: sysadmins (session or API token), callers presenting the configured
// metrics token as a Bearer token, and the configured addresses. Loopback is not implied.
bool MayReadMetrics(ApiContext& ctx, const Request& req) {
  if (!ctx.config.metrics_allow.empty() &&
      ctx.config.metrics_allow.Contains(ClientAddressOf(ctx, req))) {
    return true;
  }
  const std::string& auth = req.Header("authorization");
  if (!ctx.config.metrics_token.empty() && auth.rfind("Bearer ", 0) == 0 &&
      SecretsEqual(auth.substr(7), ctx.config.metrics_token)) {
    return true;
  }
  auto who = Authenticate(ctx, req);
  return who.ok() && who->sysadmin;
}

Response PlainText(int status, std::string body) {
  Response r;
  r.status = status;
  r.Set("Content-Type", "text/plain; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

// Not behind WithAuth: probes and scrapers send no credentials.
Response Healthz(Request&, const PathParams&) { return PlainText(200, "ok\n"); }

Response Readyz(ApiContext& ctx, Request&) {
  bool ready = (!ctx.ready || ctx.ready()) && ctx.feed.CatalogGeneration().ok();
  return PlainText(ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
}

Response Metrics(ApiContext& ctx, Request& req) {
  // Everyone else is told there is nothing here.
  if (!MayReadMetrics(ctx, req)) return ErrorResponse(Status::NotFound("page", "/metrics"));
  Response r;
  r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  r.body = http::RenderMetrics();
  return r;
}

// Resource URLs in CKAN answers look like CKAN's own, so harvesters that rewrite or match
// them keep working. The file name segment is informative; the resource id decides.
Result<Response> CkanStyleDownload(ApiContext& ctx, Request& req, const PathParams& p,
                                   const Principal& who) {
  int version = 0;
  if (req.HasParam("version")) {
    Result<int64_t> n = ParseIntIn(req.Param("version"), INT_MIN, INT_MAX);
    if (!n.ok()) return Status::InvalidArgument("version must be a number", "Phiên bản phải là số");
    version = static_cast<int>(*n);
  }
  ODP_ASSIGN_OR_RETURN(catalog::Download d, OpenFileFor(ctx, who, p.at("rid"), version));
  // Through a grant the file counts against its quota (api/grant_reads.h).
  ReadAdmission admission = AdmitTableRead(ctx, who, p.at("rid"));
  if (admission.refused) return QuotaRefusal(admission);
  Response r = FileResponse(req, d);
  AddQuotaHeaders(admission, r);
  // The map of a GeoJSON file (web/static/map.js) reads it with ?view=map: a view of the page,
  // not a download.
  if (r.status == 200 && req.method == "GET" && req.Param("view") != "map") {
    const std::string client = ClientAddressOf(ctx, req);
    ctx.catalog.RecordDownload(d.dataset_id, p.at("rid"), "file",
                               {client, req.Header("user-agent")});
  }
  return r;
}

}  // namespace

void RegisterSystem(Router& router, ApiContext& ctx) {
  router.Add("GET", "/healthz", Healthz);
  router.Add("GET", "/readyz",
             [&ctx](Request& req, const PathParams&) { return Readyz(ctx, req); });
  router.Add("GET", "/metrics",
             [&ctx](Request& req, const PathParams&) { return Metrics(ctx, req); });
  AddRoute(router, ctx, "GET", "/dataset/{id}/resource/{rid}/download/{filename}",
           CkanStyleDownload);
}

std::unique_ptr<Router> BuildRouter(ApiContext& ctx) {
  auto router = std::make_unique<Router>();
  RegisterSystem(*router, ctx);
  RegisterRestV1(*router, ctx);
  RegisterCkan(*router, ctx);
  RegisterDatastore(*router, ctx);
  RegisterJobs(*router, ctx);
  RegisterInvitations(*router, ctx);
  RegisterConsumers(*router, ctx);
  RegisterSharing(*router, ctx);
  RegisterGrants(*router, ctx);
  RegisterSite(*router, ctx);
  RegisterStats(*router, ctx);
  RegisterAudit(*router, ctx);
  return router;
}

}  // namespace odp::api

// Health, readiness, metrics, the CKAN-style download path, and the router assembly.
#include <climits>

#include "api/api.h"
#include "api/datastore_api.h"
#include "api/jobs_api.h"
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
  if (!ctx.config.metrics_allow.empty() && ctx.config.metrics_allow.Contains(ClientAddressOf(ctx, req))) {
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

}  // namespace

void RegisterSystem(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  router.Add("GET", "/healthz", [](Request&, const PathParams&) {
    Response r;
    r.Set("Content-Type", "text/plain; charset=utf-8");
    r.Set("Cache-Control", "no-store");
    r.body = "ok\n";
    return r;
  });
  router.Add("GET", "/readyz", [c](Request&, const PathParams&) {
    bool ready = (!c->ready || c->ready()) && c->feed.CatalogGeneration().ok();
    Response r;
    r.status = ready ? 200 : 503;
    r.Set("Content-Type", "text/plain; charset=utf-8");
    r.Set("Cache-Control", "no-store");
    r.body = ready ? "ready\n" : "not ready\n";
    return r;
  });
  router.Add("GET", "/metrics", [c](Request& req, const PathParams&) {
    // Everyone else is told there is nothing here.
    if (!MayReadMetrics(*c, req)) return ErrorResponse(Status::NotFound("page", "/metrics"));
    Response r;
    r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.Set("Cache-Control", "no-store");
    r.body = http::RenderMetrics();
    return r;
  });
  // Resource URLs in CKAN answers look like CKAN's own, so harvesters that rewrite or match
  // them keep working. The file name segment is informative; the resource id decides.
  router.Add("GET", "/dataset/{id}/resource/{rid}/download/{filename}",
             WithAuth(ctx, [c](Request& req, const PathParams& p, const Principal& who) {
               int version = 0;
               if (req.HasParam("version")) {
                 Result<int64_t> n = ParseIntIn(req.Param("version"), INT_MIN, INT_MAX);
                 if (!n.ok()) {
                   return ErrorResponse(Status::InvalidArgument("version must be a number", "Phiên bản phải là số"));
                 }
                 version = static_cast<int>(*n);
               }
               auto d = c->catalog.OpenDownload(who, p.at("rid"), version);
               if (!d.ok()) return ErrorResponse(d.status());
               Response r = FileResponse(req, *d);
               if (r.status == 200 && req.method == "GET") c->catalog.RecordDownload(d->dataset_id);
               return r;
             }));
}

std::unique_ptr<Router> BuildRouter(ApiContext& ctx) {
  auto router = std::make_unique<Router>();
  RegisterSystem(*router, ctx);
  RegisterRestV1(*router, ctx);
  RegisterCkan(*router, ctx);
  RegisterDatastore(*router, ctx);
  RegisterJobs(*router, ctx);
  return router;
}

}  // namespace odp::api

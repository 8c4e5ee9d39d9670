// Health, readiness, metrics, the CKAN-style download path, and the router assembly.
#include "api/api.h"
#include "api/upload.h"
#include "http/metrics.h"

namespace odp::api {

using access::Principal;
using http::Request;
using http::Response;

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
    bool ready = (!c->ready || c->ready()) && c->store.CatalogGeneration().ok();
    Response r;
    r.status = ready ? 200 : 503;
    r.Set("Content-Type", "text/plain; charset=utf-8");
    r.Set("Cache-Control", "no-store");
    r.body = ready ? "ready\n" : "not ready\n";
    return r;
  });
  // A plain bilingual entry page until the web pages arrive: what this is and where the APIs are.
  router.Add("GET", "/", [c](Request&, const PathParams&) {
    auto escape = [](const std::string& s) {
      std::string out;
      for (char ch : s) {
        switch (ch) {
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '&': out += "&amp;"; break;
          case '"': out += "&quot;"; break;
          default: out += ch;
        }
      }
      return out;
    };
    Response r;
    r.Set("Content-Type", "text/html; charset=utf-8");
    r.Set("Content-Security-Policy", "default-src 'none'; style-src 'none'");
    r.Set("X-Content-Type-Options", "nosniff");
    std::string title = escape(c->config.site_title);
    r.body = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>" + title +
             "</title><meta name=\"viewport\" content=\"width=device-width\"></head><body><h1>" + title +
             "</h1><p>" + std::to_string(c->catalog.ListPublicSlugs().size()) +
             " bộ dữ liệu công khai / public datasets.</p><ul>"
             "<li><a href=\"/api/v1/datasets\">REST API v1</a> — "
             "<a href=\"/api/v1/openapi.json\">OpenAPI 3.1</a></li>"
             "<li><a href=\"/api/3/action/package_search\">CKAN Action API</a></li>"
             "</ul><p lang=\"en\">ODP open data portal. The web pages are being built; the APIs above "
             "serve everything today.</p></body></html>";
    return r;
  });
  router.Add("GET", "/metrics", [](Request&, const PathParams&) {
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
                 try {
                   version = std::stoi(req.Param("version"));
                 } catch (const std::exception&) {
                   return ErrorResponse(Status::InvalidArgument("version must be a number", "Phiên bản phải là số"));
                 }
               }
               auto d = c->catalog.OpenDownload(who, p.at("rid"), version);
               if (!d.ok()) return ErrorResponse(d.status());
               return FileResponse(req, *d);
             }));
}

std::unique_ptr<Router> BuildRouter(ApiContext& ctx) {
  auto router = std::make_unique<Router>();
  RegisterSystem(*router, ctx);
  RegisterRestV1(*router, ctx);
  RegisterCkan(*router, ctx);
  return router;
}

}  // namespace odp::api

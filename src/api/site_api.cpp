#include "api/site_api.h"

#include <filesystem>
#include <system_error>

#include "api/handler.h"
#include "api/params.h"

namespace odp::api {
namespace {

using access::Principal;
using http::Request;
using http::Response;

Result<Response> GetSite(ApiContext& ctx, Request&, const PathParams&, const Principal&) {
  return JsonResponse(200, SiteJson(ctx.settings.Get()));
}

Result<Response> PatchSite(ApiContext& ctx, Request& req, const PathParams&, const Principal& who) {
  if (!who.authenticated()) {
    return Status::Unauthenticated("sign in to change the site settings",
                                   "Hãy đăng nhập để sửa cài đặt trang");
  }
  if (!who.sysadmin) {
    return Status::PermissionDenied("only system administrators change the site settings",
                                    "Chỉ quản trị hệ thống mới sửa được cài đặt trang");
  }
  ODP_ASSIGN_OR_RETURN(json patch, ParseJsonObject(req.body));
  catalog::SiteSettings s = ctx.settings.Get();
  ODP_RETURN_IF_ERROR(catalog::ApplySettingsPatch(s, patch));
  ODP_RETURN_IF_ERROR(ctx.settings.Save(s));
  return JsonResponse(200, SiteJson(ctx.settings.Get()));
}

Response NotFound() {
  Response r;
  r.status = 404;
  r.Set("Content-Type", "text/plain; charset=utf-8");
  r.Set("Cache-Control", "no-cache");
  r.body = "not found\n";
  return r;
}

// Serves the current emblem's blob, streamed from its file by the server as downloads are (never
// read into memory here); any other name is a 404.
Response Logo(ApiContext& ctx, const PathParams& p) {
  catalog::SiteSettings s = ctx.settings.Get();
  const std::string path = catalog::LogoPath(s);
  if (s.logo_sha256.empty() || path != "/site/logo/" + p.at("file")) return NotFound();
  std::string file = ctx.blobs.PathOf(s.logo_sha256);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > static_cast<uintmax_t>(catalog::kMaxLogoBytes)) return NotFound();
  Response r;
  r.file_path = std::move(file);
  r.file_offset = 0;
  r.file_length = static_cast<int64_t>(size);
  r.Set("Content-Type", s.logo_type);
  r.Set("Cache-Control", "public, max-age=31536000, immutable");
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("Content-Security-Policy", "default-src 'none'; sandbox");
  return r;
}

}  // namespace

json SiteJson(const catalog::SiteSettings& s) {
  json j = catalog::SettingsJson(s);
  j["logo"] = catalog::LogoPath(s);
  j["privacy_version"] = catalog::PrivacyVersion(s);
  return j;
}

void RegisterSite(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/site", GetSite);
  AddRoute(router, ctx, "PATCH", "/api/v1/site", PatchSite);
  router.Add("GET", "/site/logo/{file}",
             [&ctx](Request&, const PathParams& p) { return Logo(ctx, p); });
}

}  // namespace odp::api

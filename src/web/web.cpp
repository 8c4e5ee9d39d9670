#include "web/web.h"

#include "base/crypto.h"
#include "web/oidc_pages.h"
#include "web/page.h"

namespace odp::web {

std::string ThemeCss(const catalog::SiteSettings& s) {
  return ":root{--primary:" + s.primary_color + ";--accent:" + s.accent_color + "}\n";
}

std::string ThemeUrl(const catalog::SiteSettings& s) {
  return "/theme.css?v=" + Sha256Hex(ThemeCss(s)).substr(0, 10);
}

Result<std::unique_ptr<WebContext>> WebContext::Open(api::ApiContext& api) {
  auto w = std::make_unique<WebContext>(api);
  ODP_ASSIGN_OR_RETURN(w->templates, Templates::Load());
  ODP_ASSIGN_OR_RETURN(w->assets, Assets::Load());
  return w;
}

void RegisterPages(api::Router& router, WebContext& web) {
  WebContext* w = &web;
  router.Add("GET", "/static/{file}", [w](http::Request& req, const api::PathParams&) {
    http::Response r;
    const Asset* a = w->assets->FindByUrl(req.path);
    if (!a) {
      r.status = 404;
      r.Set("Content-Type", "text/plain; charset=utf-8");
      r.body = "not found\n";
      return r;
    }
    r.Set("Content-Type", a->content_type);
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
    r.Set("X-Content-Type-Options", "nosniff");
    // The bundled boundary file is CC BY 4.0 (web/maps/README.md); the file says so too.
    if (a->content_type == "application/geo+json")
      r.Set("Link", "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"");
    r.shared_body = a->bytes;
    return r;
  });
  router.Add("GET", "/theme.css", [w](http::Request&, const api::PathParams&) {
    http::Response r;
    r.Set("Content-Type", "text/css; charset=utf-8");
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
    r.body = ThemeCss(w->api.settings.Get());
    return r;
  });
  router.Add("GET", "/favicon.ico", [w](http::Request&, const api::PathParams&) {
    http::Response r;
    const Asset* a = w->assets->Find("logo.svg");
    r.Set("Content-Type", "image/svg+xml");
    r.Set("Cache-Control", "public, max-age=86400");
    if (a) r.shared_body = a->bytes;
    return r;
  });
  // Addresses that match nothing: JSON under /api/, a page (in the address's language) elsewhere.
  router.SetNotFound([w](http::Request& req, const api::PathParams&) {
    if (req.path.rfind("/api/", 0) == 0)
      return api::ErrorResponse(Status::NotFound("page", req.path));
    Lang lang = req.path == "/en" || req.path.rfind("/en/", 0) == 0 ? Lang::kEn : Lang::kVi;
    auto who = api::Authenticate(w->api, req);
    Page page(*w, req, lang, who.ok() ? *who : access::Principal{});
    return page.Error(Status::NotFound("page", req.path));
  });
  RegisterPublicPages(router, web);
  RegisterAccountPages(router, web);
  RegisterWorkspacePages(router, web);
  RegisterAdminPages(router, web);
  RegisterConsumerPages(router, web);
  RegisterSharingPages(router, web);
  RegisterGrantPages(router, web);
  RegisterStatsPages(router, web);
  RegisterUsagePages(router, web);
  RegisterDiscoveryPages(router, web);
  RegisterFollowPages(router, web);
  RegisterOidcPages(router, web);
}

}  // namespace odp::web

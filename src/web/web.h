// The web layer: server-rendered pages in Vietnamese (under /) and English (under /en/), built
// from mustache templates and enhanced with htmx. Pages call the same services as the APIs.
#pragma once

#include <memory>
#include <string>

#include "api/auth.h"
#include "api/context.h"
#include "api/response.h"
#include "api/router.h"
#include "catalog/settings.h"
#include "web/assets.h"
#include "web/render.h"

namespace odp::web {

// The stylesheet with the site's colours, and its address: /theme.css?v=<hash of the text>, so
// that a cached copy is never stale, across restarts too.
std::string ThemeCss(const catalog::SiteSettings& s);
std::string ThemeUrl(const catalog::SiteSettings& s);

class WebContext {
 public:
  // Loads the templates, assets and messages built into the binary. The site settings are
  // api.settings (catalog::SettingsService).
  static Result<std::unique_ptr<WebContext>> Open(api::ApiContext& api);

  api::ApiContext& api;
  std::unique_ptr<Templates> templates;
  std::unique_ptr<Assets> assets;

  explicit WebContext(api::ApiContext& a) : api(a) {}
};

// Registers every page route (both languages) and /static/….
void RegisterPages(api::Router& router, WebContext& web);

}  // namespace odp::web

// The web layer: server-rendered pages in Vietnamese (under /) and English (under /en/), built
// from mustache templates and enhanced with htmx. Pages call the same services as the APIs.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "api/context.h"
#include "api/router.h"
#include "web/assets.h"
#include "web/render.h"

namespace odp::web {

// What the site administrator sets in the administration pages; shown at once, no restart.
struct SiteSettings {
  std::string title_vi = "Cổng dữ liệu mở";
  std::string title_en = "Open Data Portal";
  std::string tagline_vi = "Dữ liệu mở của các cơ quan nhà nước trong tỉnh, miễn phí cho mọi người";
  std::string tagline_en = "Open data from the province's public agencies, free for everyone";
  std::string logo_url;                // empty: the built-in logo
  std::string primary_color = "#0b5394";
  std::string accent_color = "#b45309";
  std::string contact_email;
  std::string contact_phone;
  std::string address_vi;
  std::string footer_vi = "Dữ liệu được cung cấp theo giấy phép ghi trên từng bộ dữ liệu.";
  std::string footer_en = "Data is provided under the licence shown on each dataset.";
};

// The settings as a JSON object of strings keyed like the fields ("title_vi", …): how they are
// stored, and the settings form's values. Reading takes the keys present and leaves the other
// fields at their defaults.
nlohmann::json SettingsJson(const SiteSettings& s);
SiteSettings SettingsFromJson(const nlohmann::json& j);

// Validates colours (#rrggbb) and lengths; kInvalidArgument naming the fields.
Status ValidateSettings(const SiteSettings& s);

class WebContext {
 public:
  // Loads the templates, assets and messages built into the binary and the site settings.
  static Result<std::unique_ptr<WebContext>> Open(api::ApiContext& api);

  api::ApiContext& api;
  std::unique_ptr<Templates> templates;
  std::unique_ptr<Assets> assets;

  SiteSettings settings() const;
  // Stores the settings and invalidates cached pages.
  Status SaveSettings(const SiteSettings& s);
  // The stylesheet with the site's colours, and its address: /theme.css?v=<hash of the text>,
  // so that a cached copy is never stale, across restarts too.
  std::string ThemeCss() const;
  std::string ThemeUrl() const;

  explicit WebContext(api::ApiContext& a) : api(a) {}

 private:
  // Reads the settings from the store; REQUIRES mu_ held (or construction).
  void ReadSettingsLocked() const;
  // Reads them again when another server saved them since; REQUIRES mu_ held.
  void RefreshSettingsLocked() const;
  mutable std::mutex mu_;
  mutable SiteSettings settings_;     // guarded by mu_
  mutable std::string theme_url_;     // from the settings' colours; guarded by mu_
  mutable int64_t settings_seen_ = 0;  // the catalogue's settings_generation() they were read at
};

// Registers every page route (both languages) and /static/….
void RegisterPages(api::Router& router, WebContext& web);

}  // namespace odp::web

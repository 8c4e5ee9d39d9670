#include "web/web.h"

#include "base/crypto.h"
#include "web/page.h"

namespace odp::web {
namespace {

constexpr const char* kSettingsKey = "site_settings";

// Every setting with its key in the stored JSON.
const std::pair<const char*, std::string SiteSettings::*> kSettingFields[] = {
    {"title_vi", &SiteSettings::title_vi},         {"title_en", &SiteSettings::title_en},
    {"tagline_vi", &SiteSettings::tagline_vi},     {"tagline_en", &SiteSettings::tagline_en},
    {"logo_url", &SiteSettings::logo_url},         {"primary_color", &SiteSettings::primary_color},
    {"accent_color", &SiteSettings::accent_color}, {"contact_email", &SiteSettings::contact_email},
    {"contact_phone", &SiteSettings::contact_phone}, {"address_vi", &SiteSettings::address_vi},
    {"footer_vi", &SiteSettings::footer_vi},       {"footer_en", &SiteSettings::footer_en}};

std::string ThemeCssOf(const SiteSettings& s) {
  return ":root{--primary:" + s.primary_color + ";--accent:" + s.accent_color + "}\n";
}

std::string ThemeUrlOf(const SiteSettings& s) { return "/theme.css?v=" + Sha256Hex(ThemeCssOf(s)).substr(0, 10); }

bool IsColor(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (size_t i = 1; i < 7; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  }
  return true;
}

}  // namespace

json SettingsJson(const SiteSettings& s) {
  json j = json::object();
  for (const auto& [key, field] : kSettingFields) j[key] = s.*field;
  return j;
}

SiteSettings SettingsFromJson(const json& j) {
  SiteSettings s;
  for (const auto& [key, field] : kSettingFields) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string()) s.*field = it->get<std::string>();
  }
  return s;
}

Status ValidateSettings(const SiteSettings& s) {
  Status err = Status::InvalidArgument("invalid site settings", "Cài đặt trang chưa hợp lệ");
  bool bad = false;
  auto need = [&](const std::string& v, const char* field, size_t max) {
    if (v.empty()) {
      err.WithField(field, "Không được để trống / Required");
      bad = true;
    } else if (v.size() > max) {
      err.WithField(field, "Quá dài / Too long");
      bad = true;
    }
  };
  need(s.title_vi, "title_vi", 200);
  need(s.title_en, "title_en", 200);
  if (!IsColor(s.primary_color)) {
    err.WithField("primary_color", "Màu dạng #rrggbb / A colour like #0b5394");
    bad = true;
  }
  if (!IsColor(s.accent_color)) {
    err.WithField("accent_color", "Màu dạng #rrggbb / A colour like #b45309");
    bad = true;
  }
  if (!s.logo_url.empty() && s.logo_url.rfind("https://", 0) != 0 && s.logo_url.rfind("/", 0) != 0) {
    err.WithField("logo_url", "Địa chỉ bắt đầu bằng https:// hoặc / / Must start with https:// or /");
    bad = true;
  }
  for (const std::string* v : {&s.tagline_vi, &s.tagline_en, &s.footer_vi, &s.footer_en, &s.address_vi}) {
    if (v->size() > 2000) {
      err.WithField("footer_vi", "Quá dài / Too long");
      bad = true;
    }
  }
  return bad ? err : Status::Ok();
}

Result<std::unique_ptr<WebContext>> WebContext::Open(api::ApiContext& api) {
  auto w = std::make_unique<WebContext>(api);
  ODP_ASSIGN_OR_RETURN(w->templates, Templates::Load());
  ODP_ASSIGN_OR_RETURN(w->assets, Assets::Load());
  w->ReadSettingsLocked();
  return w;
}

void WebContext::ReadSettingsLocked() const {
  settings_seen_ = api.catalog.settings_generation();
  if (auto stored = api.store.GetSetting(kSettingsKey); stored.ok()) {
    json j = json::parse(*stored, nullptr, false);
    if (j.is_object()) settings_ = SettingsFromJson(j);
  } else if (auto title = api.store.GetSetting("site_title"); title.ok()) {
    settings_.title_vi = *title;
  }
  theme_url_ = ThemeUrlOf(settings_);
}

void WebContext::RefreshSettingsLocked() const {
  // Saved through another server since they were read.
  if (api.catalog.settings_generation() != settings_seen_) ReadSettingsLocked();
}

SiteSettings WebContext::settings() const {
  std::lock_guard lock(mu_);
  RefreshSettingsLocked();
  return settings_;
}

Status WebContext::SaveSettings(const SiteSettings& s) {
  ODP_RETURN_IF_ERROR(ValidateSettings(s));
  ODP_RETURN_IF_ERROR(api.store.PutSetting(kSettingsKey, SettingsJson(s).dump()));
  {
    std::lock_guard lock(mu_);
    settings_ = s;
    theme_url_ = ThemeUrlOf(s);
  }
  // Kept for the CKAN status_show answer, which reads it at start-up.
  (void)api.store.PutSetting("site_title", s.title_vi);
  api.catalog.Touch();  // cached pages show the old name and colours
  return Status::Ok();
}

std::string WebContext::ThemeCss() const { return ThemeCssOf(settings()); }

std::string WebContext::ThemeUrl() const {
  std::lock_guard lock(mu_);
  RefreshSettingsLocked();
  return theme_url_;
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
    r.shared_body = a->bytes;
    return r;
  });
  router.Add("GET", "/theme.css", [w](http::Request&, const api::PathParams&) {
    http::Response r;
    r.Set("Content-Type", "text/css; charset=utf-8");
    r.Set("Cache-Control", "public, max-age=31536000, immutable");
    r.body = w->ThemeCss();
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
    if (req.path.rfind("/api/", 0) == 0) return api::ErrorResponse(Status::NotFound("page", req.path));
    Lang lang = req.path == "/en" || req.path.rfind("/en/", 0) == 0 ? Lang::kEn : Lang::kVi;
    auto who = api::Authenticate(w->api, req);
    Page page(*w, req, lang, who.ok() ? *who : access::Principal{});
    return page.Error(Status::NotFound("page", req.path));
  });
  RegisterPublicPages(router, web);
  RegisterAccountPages(router, web);
  RegisterWorkspacePages(router, web);
  RegisterAdminPages(router, web);
}

}  // namespace odp::web

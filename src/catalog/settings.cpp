#include "catalog/settings.h"

#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"

namespace odp::catalog {
namespace {

using json = nlohmann::json;

constexpr const char* kSettingsKey = "site_settings";
// What databases older than the settings form hold: the Vietnamese title only.
constexpr const char* kLegacyTitleKey = "site_title";

// Every setting with its key in the stored JSON.
const std::pair<const char*, std::string SiteSettings::*> kSettingFields[] = {
    {"title_vi", &SiteSettings::title_vi},         {"title_en", &SiteSettings::title_en},
    {"tagline_vi", &SiteSettings::tagline_vi},     {"tagline_en", &SiteSettings::tagline_en},
    {"logo_url", &SiteSettings::logo_url},         {"primary_color", &SiteSettings::primary_color},
    {"accent_color", &SiteSettings::accent_color}, {"contact_email", &SiteSettings::contact_email},
    {"contact_phone", &SiteSettings::contact_phone}, {"address_vi", &SiteSettings::address_vi},
    {"footer_vi", &SiteSettings::footer_vi},       {"footer_en", &SiteSettings::footer_en}};

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
  if (!s.logo_url.empty() && s.logo_url.rfind("https://", 0) != 0 && s.logo_url.rfind('/', 0) != 0) {
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

SettingsService::SettingsService(store::SettingsStore& store, CatalogService& catalog)
    : store_(store), catalog_(catalog) {
  ReadLocked();
}

void SettingsService::ReadLocked() const {
  // The generation first: a change recorded while the store is read makes the next Get read again.
  seen_ = catalog_.settings_generation();
  if (auto stored = store_.GetSetting(kSettingsKey); stored.ok()) {
    json j = json::parse(*stored, nullptr, false);
    if (j.is_object()) settings_ = SettingsFromJson(j);
  } else if (auto title = store_.GetSetting(kLegacyTitleKey); title.ok()) {
    settings_.title_vi = *title;
  }
}

SiteSettings SettingsService::Get() const {
  std::lock_guard lock(mu_);
  // Saved through another server since they were read.
  if (catalog_.settings_generation() != seen_) ReadLocked();
  return settings_;
}

Status SettingsService::Save(const SiteSettings& s) {
  ODP_RETURN_IF_ERROR(ValidateSettings(s));
  {
    std::lock_guard lock(mu_);
    ODP_RETURN_IF_ERROR(store_.PutSetting(kSettingsKey, SettingsJson(s).dump()));
    settings_ = s;
  }
  catalog_.Touch();  // other servers re-read them; cached pages show the old name and colours
  return Status::Ok();
}

}  // namespace odp::catalog

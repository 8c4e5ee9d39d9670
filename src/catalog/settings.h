// SettingsService: the one owner of the site settings (the portal's name, tagline, colours,
// contact and footer) that pages and the CKAN API (status_show) both read.
//
// The store is the source of truth (setting "site_settings", a JSON object of strings). The
// service keeps a copy and reads the store again when the catalogue's change feed says another
// server saved them (CatalogService::settings_generation(), moved by CatchUp), so a change made
// on one server is seen by every server without a restart. Save() stores, updates the copy and
// records a "settings" change (CatalogService::Touch), which also starts every cache keyed on
// the catalogue generation over.
// Safe to call from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "store/store.h"

namespace odp::catalog {

class CatalogService;

// What the site administrator sets in the administration pages.
struct SiteSettings {
  std::string title_vi = "Cổng dữ liệu mở";
  std::string title_en = "Open Data Portal";
  std::string tagline_vi = "Dữ liệu mở của các cơ quan nhà nước trong tỉnh, miễn phí cho mọi người";
  std::string tagline_en = "Open data from the province's public agencies, free for everyone";
  std::string logo_url;  // empty: the built-in logo
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

// Validates colours (#rrggbb), required titles, the logo's address and lengths;
// kInvalidArgument naming the fields.
Status ValidateSettings(const SiteSettings& s);

class SettingsService {
 public:
  // Reads the settings from `store`. Databases older than the settings form hold only a
  // "site_title" setting, taken as the Vietnamese title. `catalog` and `store` must outlive it.
  SettingsService(store::SettingsStore& store, CatalogService& catalog);

  // The settings as last saved on any server whose change this server's catalogue has caught
  // up with.
  SiteSettings Get() const;
  // Validates and stores `s`; the other servers see it once they catch up on the change feed.
  Status Save(const SiteSettings& s);

 private:
  // Reads the settings from the store; REQUIRES mu_ held (or construction).
  void ReadLocked() const;

  store::SettingsStore& store_;
  CatalogService& catalog_;
  mutable std::mutex mu_;
  mutable SiteSettings settings_;  // guarded by mu_
  mutable int64_t seen_ = 0;       // settings_generation() settings_ was read at; guarded by mu_
};

}  // namespace odp::catalog

// SettingsService: the one owner of the site settings (the portal's name, tagline, colours, the
// identity an official site must show under Decree 42/2022 — province, owning agency, person
// responsible, address, phone, e-mail, licence, emblem — the terms of use and the privacy
// notice) that pages, the REST API (/api/v1/site) and the CKAN API (status_show) all read.
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
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"
#include "base/time.h"
#include "store/store.h"

namespace odp::catalog {

class CatalogService;

// What the site administrator sets in the administration pages (or through PATCH /api/v1/site).
// Every field is text; an empty one is simply not shown.
struct SiteSettings {
  std::string title_vi = "Cổng dữ liệu mở";
  std::string title_en = "Open Data Portal";
  std::string tagline_vi = "Dữ liệu mở của các cơ quan nhà nước trong tỉnh, miễn phí cho mọi người";
  std::string tagline_en = "Open data from the province's public agencies, free for everyone";
  std::string logo_url;  // empty: the uploaded emblem if any, else the built-in logo
  std::string primary_color = "#0b5394";
  std::string accent_color = "#b45309";
  std::string contact_email;
  std::string contact_phone;
  std::string address_vi;
  std::string footer_vi = "Dữ liệu được cung cấp theo giấy phép ghi trên từng bộ dữ liệu.";
  std::string footer_en = "Data is provided under the licence shown on each dataset.";

  // Who runs the site (Decree 42/2022/NĐ-CP, art. 5): shown in the header and footer.
  std::string province_vi;  // "Thành phố Huế"
  std::string province_en;  // "Hue City"
  std::string agency_vi;  // the owning agency: "Sở Khoa học và Công nghệ thành phố Huế"
  std::string agency_en;
  std::string responsible_vi;  // the person responsible for the content, with their post
  std::string responsible_en;
  std::string address_en;
  std::string license_vi;  // the licence or decision establishing the site: "Giấy phép số …"
  std::string license_en;
  // The uploaded emblem or logo: a blob (SHA-256, lower-case hex) and its type, "image/png" or
  // "image/jpeg". Set only by SetLogo()/ClearLogo() in the service, never by a form or PATCH.
  std::string logo_sha256;
  std::string logo_type;

  // Terms of use and privacy notice, Markdown (rendered safely by web/render.h). Empty: the
  // pages show the portal's built-in text (web/messages.json, "terms_default_md" and
  // "privacy_default_md").
  std::string terms_vi;
  std::string terms_en;
  std::string privacy_vi;
  std::string privacy_en;
  // The privacy notice's version ("1" is the built-in notice, then "2", "3", …) and the day it
  // took effect ("2026-12-07", Viet Nam time; "" for the built-in one). Kept by the service:
  // Save() moves them whenever either text of the notice changes, so a consent records which
  // text was accepted.
  std::string privacy_version = "1";
  std::string privacy_updated;

  // The map view's background (web/maps/README.md): a tile URL template with {z}, {x}, {y} and
  // optionally {s} as the host's first label ("https://{s}.tile.example.vn/{z}/{x}/{y}.png"),
  // and the attribution its provider requires, shown as text. An empty URL means no tiles: the
  // map shows its points over the bundled outline of the province only.
  std::string map_tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  std::string map_tile_attribution = "© OpenStreetMap contributors";

  // Separation of duties (access::MayApproveSubmission): "1" lets whoever submitted a dataset
  // for review approve it themselves, for small agencies where one person does both; "" (the
  // default) leaves the approval to another reviewer. Nothing else is accepted.
  std::string allow_self_approval;
};

// Whether `s` lets a submitter approve their own submission.
inline bool SelfApprovalAllowed(const SiteSettings& s) { return s.allow_self_approval == "1"; }

// The settings as a JSON object of strings keyed like the fields ("title_vi", …): how they are
// stored, and the settings form's values. Reading takes the keys present and leaves the other
// fields at their defaults.
nlohmann::json SettingsJson(const SiteSettings& s);
SiteSettings SettingsFromJson(const nlohmann::json& j);

// Changes `s` by the string members of `patch` (a PATCH body, or a form as key/value). Only
// editable keys are taken: the emblem's blob and type and the notice's version and date are
// the service's; such a key, an unknown one or a value that is not a string is refused
// (kInvalidArgument naming the field) and `s` is left unchanged.
Status ApplySettingsPatch(SiteSettings& s, const nlohmann::json& patch);

// The Content-Security-Policy source of the tile server: "https://tile.openstreetmap.org",
// "https://*.tile.example.vn" for a URL with {s}, with the port when there is one; "" when no
// tile URL is set. REQUIRES ValidateSettings(s) passed (the URL is then a valid template).
std::string TileCspSource(const SiteSettings& s);

// Validates colours (#rrggbb), the tile URL (http or https, a host of letters, digits, dots and
// dashes, {z}/{x}/{y} in the path, nothing a header or a policy could be broken with), required
// titles, the logo's address, the e-mail and phone, the emblem's blob and type, and lengths;
// kInvalidArgument naming every wrong field.
Status ValidateSettings(const SiteSettings& s);

// The privacy notice's version as a number (1 or more).
int PrivacyVersion(const SiteSettings& s);

// Where pages and the API show the emblem from: "/site/logo/<sha256>.png" (or .jpg) for an
// uploaded one, served with a year's cache since the address changes with the file; else
// `logo_url`; "" for the built-in logo.
std::string LogoPath(const SiteSettings& s);

// Emblem files: PNG or JPEG of at most kMaxLogoBytes, told by their first bytes (never by the
// name or the type the browser sent). SVG is refused: it can carry script and links, and the
// emblem is served from the site's own origin.
inline constexpr int64_t kMaxLogoBytes = 1 << 20;
// The content type of an emblem whose first bytes are `head` and whose size is `size`, or
// kInvalidArgument with the field "logo" saying why it is refused.
Result<std::string> LogoContentType(std::string_view head, int64_t size);

class SettingsService {
 public:
  // Reads the settings from `store`. Databases older than the settings form hold only a
  // "site_title" setting, taken as the Vietnamese title. `catalog` and `store` must outlive it.
  // Gives `catalog` its self-approval rule (CatalogService::SetSelfApprovalRule), read from
  // these settings.
  SettingsService(store::SettingsStore& store, CatalogService& catalog);
  // Takes the self-approval rule back from the catalogue (it falls back to kForbidden).
  // REQUIRES: no publication is running.
  ~SettingsService();
  SettingsService(const SettingsService&) = delete;
  SettingsService& operator=(const SettingsService&) = delete;

  // The settings as last saved on any server whose change this server's catalogue has caught
  // up with.
  SiteSettings Get() const;
  // Validates and stores `s`; the other servers see it once they catch up on the change feed.
  // The emblem and the notice's version are kept from the stored settings, whatever `s` holds;
  // when the privacy notice's text (either language) differs from the stored one, its version
  // goes up by one and takes effect on the day of `now`.
  Status Save(const SiteSettings& s, Micros now = NowMicros());
  // Makes the blob `sha256` (already in the blob store, checked with LogoContentType) of type
  // `content_type` the site's emblem; ClearLogo() goes back to the built-in one.
  Status SetLogo(const std::string& sha256, const std::string& content_type);
  Status ClearLogo();
  // Saves of the settings are recorded there ("settings.saved", the keys changed); null:
  // nowhere. Set before use.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

 private:
  // Reads the settings from the store; REQUIRES mu_ held (or construction).
  void ReadLocked() const;
  // Stores `s` as they are and makes them current. REQUIRES mu_ held.
  Status StoreLocked(const SiteSettings& s);

  store::SettingsStore& store_;
  CatalogService& catalog_;
  store::AuditSink* audit_ = nullptr;  // set before use
  mutable std::mutex mu_;
  mutable SiteSettings settings_;  // guarded by mu_
  mutable int64_t seen_ = 0;       // settings_generation() settings_ was read at; guarded by mu_
};

}  // namespace odp::catalog

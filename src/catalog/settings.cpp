#include "catalog/settings.h"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <optional>
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
    {"title_vi", &SiteSettings::title_vi},
    {"title_en", &SiteSettings::title_en},
    {"tagline_vi", &SiteSettings::tagline_vi},
    {"tagline_en", &SiteSettings::tagline_en},
    {"logo_url", &SiteSettings::logo_url},
    {"primary_color", &SiteSettings::primary_color},
    {"accent_color", &SiteSettings::accent_color},
    {"contact_email", &SiteSettings::contact_email},
    {"contact_phone", &SiteSettings::contact_phone},
    {"address_vi", &SiteSettings::address_vi},
    {"footer_vi", &SiteSettings::footer_vi},
    {"footer_en", &SiteSettings::footer_en},
    {"province_vi", &SiteSettings::province_vi},
    {"province_en", &SiteSettings::province_en},
    {"agency_vi", &SiteSettings::agency_vi},
    {"agency_en", &SiteSettings::agency_en},
    {"responsible_vi", &SiteSettings::responsible_vi},
    {"responsible_en", &SiteSettings::responsible_en},
    {"address_en", &SiteSettings::address_en},
    {"license_vi", &SiteSettings::license_vi},
    {"license_en", &SiteSettings::license_en},
    {"logo_sha256", &SiteSettings::logo_sha256},
    {"logo_type", &SiteSettings::logo_type},
    {"terms_vi", &SiteSettings::terms_vi},
    {"terms_en", &SiteSettings::terms_en},
    {"privacy_vi", &SiteSettings::privacy_vi},
    {"privacy_en", &SiteSettings::privacy_en},
    {"privacy_version", &SiteSettings::privacy_version},
    {"privacy_updated", &SiteSettings::privacy_updated},
    {"map_tile_url", &SiteSettings::map_tile_url},
    {"map_tile_attribution", &SiteSettings::map_tile_attribution},
    {"allow_self_approval", &SiteSettings::allow_self_approval}};

// Fields only the service sets.
bool IsServiceField(std::string_view key) {
  return key == "logo_sha256" || key == "logo_type" || key == "privacy_version" ||
         key == "privacy_updated";
}

constexpr size_t kMaxLine = 300;           // names, addresses, licence numbers
constexpr size_t kMaxParagraph = 2000;     // taglines, footers
constexpr size_t kMaxNotice = 100 * 1024;  // terms of use, privacy notice (Markdown)

bool IsColor(const std::string& c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (size_t i = 1; i < 7; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(c[i]))) return false;
  }
  return true;
}

bool IsLowerHex64(const std::string& v) {
  if (v.size() != 64) return false;
  for (char c : v) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) ||
        std::isupper(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

// One '@' with text on both sides, a dot in the domain, no spaces or angle brackets.
bool IsEmail(const std::string& v) {
  size_t at = v.find('@');
  if (at == std::string::npos || at == 0 || v.find('@', at + 1) != std::string::npos) return false;
  std::string domain = v.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.back() == '.')
    return false;
  for (char c : v) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == '"' || c == ',')
      return false;
  }
  return v.size() <= 254;
}

// Digits with the separators people write ("0234 3822 123", "+84 234 3822123", "(0234) 3.822.123"),
// at least six digits; "… - máy lẻ 12" is not a phone number.
bool IsPhone(const std::string& v) {
  int digits = 0;
  for (char c : v) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '(' && c != ')' && c != '.' && c != '-') {
      return false;
    }
  }
  return digits >= 6 && digits <= 20;
}

bool HasControl(const std::string& v, bool allow_newlines) {
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))) return true;
    if (u == 0x7f) return true;
  }
  return false;
}

// "3" → 3; anything else → 1 (the built-in notice).
int ParseVersion(const std::string& v) {
  int n = 0;
  for (char c : v) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || n > 100000000) return 1;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? n : 1;
}

// "https://{s}.tile.example.vn:8080/{z}/{x}/{y}.png" → {"https://", "{s}.tile.example.vn:8080",
// "/{z}/{x}/{y}.png"}; nullopt when it is not an http(s) URL with a host of letters, digits,
// dots and dashes (an optional "{s}." label first, an optional port) and a path that has {z},
// {x} and {y} and no character that could end a header, an attribute or a policy source.
struct TileUrlParts {
  std::string scheme, host, path;
};
std::optional<TileUrlParts> ParseTileUrl(const std::string& url) {
  TileUrlParts parts;
  for (const char* scheme : {"https://", "http://"}) {
    if (url.rfind(scheme, 0) == 0) parts.scheme = scheme;
  }
  if (parts.scheme.empty() || url.size() > kMaxLine) return std::nullopt;
  size_t slash = url.find('/', parts.scheme.size());
  if (slash == std::string::npos) return std::nullopt;
  parts.host = url.substr(parts.scheme.size(), slash - parts.scheme.size());
  parts.path = url.substr(slash);
  std::string_view name = parts.host;
  if (name.rfind("{s}.", 0) == 0) name.remove_prefix(4);
  if (size_t colon = name.find(':'); colon != std::string_view::npos) {
    std::string_view port = name.substr(colon + 1);
    if (port.empty() || port.size() > 5) return std::nullopt;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    name = name.substr(0, colon);
  }
  if (name.empty() || name.front() == '.' || name.front() == '-' || name.back() == '.') {
    return std::nullopt;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return std::nullopt;
  }
  for (char c : parts.path) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == ';' ||
        c == ',' || c == '\\') {
      return std::nullopt;
    }
  }
  for (const char* needed : {"{z}", "{x}", "{y}"}) {
    if (parts.path.find(needed) == std::string::npos) return std::nullopt;
  }
  return parts;
}

}  // namespace

std::string TileCspSource(const SiteSettings& s) {
  auto parts = ParseTileUrl(s.map_tile_url);
  if (!parts) return "";
  std::string host = parts->host;
  if (host.rfind("{s}.", 0) == 0) host = "*." + host.substr(4);
  return parts->scheme + host;
}

Status ApplySettingsPatch(SiteSettings& s, const json& patch) {
  if (!patch.is_object()) {
    return Status::InvalidArgument("the site settings must be a JSON object",
                                   "Cài đặt trang phải là một đối tượng JSON");
  }
  Status err = Status::InvalidArgument("invalid site settings", "Cài đặt trang chưa hợp lệ");
  bool bad = false;
  SiteSettings changed = s;
  for (const auto& [key, value] : patch.items()) {
    std::string* known = nullptr;
    for (const auto& [k, field] : kSettingFields) {
      if (key == k) known = &(changed.*field);
    }
    if (known == nullptr) {
      err.WithField(key, "Không có trường này");
      bad = true;
    } else if (IsServiceField(key)) {
      err.WithField(key, "Trường này không sửa trực tiếp được");
      bad = true;
    } else if (!value.is_string()) {
      err.WithField(key, "Phải là một chuỗi");
      bad = true;
    } else {
      *known = value.get<std::string>();
    }
  }
  if (bad) return err;
  s = std::move(changed);
  return Status::Ok();
}

int PrivacyVersion(const SiteSettings& s) { return ParseVersion(s.privacy_version); }

std::string LogoPath(const SiteSettings& s) {
  if (!s.logo_sha256.empty()) {
    return "/site/logo/" + s.logo_sha256 + (s.logo_type == "image/png" ? ".png" : ".jpg");
  }
  return s.logo_url;
}

Result<std::string> LogoContentType(std::string_view head, int64_t size) {
  auto refuse = [](const char* en, const char* vi) {
    return Status::InvalidArgument(en, vi).WithField("logo", vi);
  };
  if (size <= 0) return refuse("the emblem file is empty", "Tệp biểu trưng rỗng");
  if (size > kMaxLogoBytes)
    return refuse("the emblem is larger than 1 MB", "Biểu trưng lớn hơn 1 MB");
  if (head.size() >= 8 && head.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    return std::string("image/png");
  }
  if (head.size() >= 3 && head.substr(0, 3) == std::string_view("\xff\xd8\xff", 3)) {
    return std::string("image/jpeg");
  }
  // Skip a byte-order mark and white space to tell SVG apart from other files, only to say why.
  size_t i = head.rfind("\xef\xbb\xbf", 0) == 0 ? 3 : 0;
  while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
  std::string_view rest = head.substr(i);
  if (rest.rfind("<?xml", 0) == 0 || rest.rfind("<svg", 0) == 0 || rest.rfind("<!--", 0) == 0) {
    return refuse("SVG emblems are not accepted; upload a PNG or JPEG",
                  "Không nhận biểu trưng SVG; hãy tải lên tệp PNG hoặc JPEG");
  }
  return refuse("the emblem must be a PNG or JPEG image", "Biểu trưng phải là ảnh PNG hoặc JPEG");
}

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
  auto fail = [&](const char* field, const char* problem) {
    if (err.fields().count(field) == 0) err.WithField(field, problem);
    bad = true;
  };
  auto need = [&](const std::string& v, const char* field, size_t max) {
    if (v.empty()) {
      fail(field, "Không được để trống / Required");
    } else if (v.size() > max) {
      fail(field, "Quá dài / Too long");
    }
  };
  need(s.title_vi, "title_vi", 200);
  need(s.title_en, "title_en", 200);
  if (!IsColor(s.primary_color)) fail("primary_color", "Màu dạng #rrggbb / A colour like #0b5394");
  if (!IsColor(s.accent_color)) fail("accent_color", "Màu dạng #rrggbb / A colour like #b45309");
  if (!s.logo_url.empty() && s.logo_url.rfind("https://", 0) != 0 &&
      s.logo_url.rfind('/', 0) != 0) {
    fail("logo_url", "Địa chỉ bắt đầu bằng https:// hoặc / / Must start with https:// or /");
  }
  if (!s.logo_url.empty() && (s.logo_url.rfind("//", 0) == 0 || HasControl(s.logo_url, false) ||
                              s.logo_url.find_first_of(" \"'<>") != std::string::npos)) {
    fail("logo_url", "Địa chỉ bắt đầu bằng https:// hoặc / / Must start with https:// or /");
  }
  if (!s.contact_email.empty() && !IsEmail(s.contact_email)) {
    fail("contact_email", "Địa chỉ e-mail không hợp lệ");
  }
  if (!s.contact_phone.empty() && !IsPhone(s.contact_phone)) {
    fail("contact_phone", "Số điện thoại chỉ gồm chữ số, dấu cách và + ( ) . -");
  }
  // One-line fields: names, addresses, licence numbers.
  for (const char* key :
       {"province_vi", "province_en", "agency_vi", "agency_en", "responsible_vi", "responsible_en",
        "address_vi", "address_en", "license_vi", "license_en", "contact_email", "contact_phone"}) {
    for (const auto& [k, field] : kSettingFields) {
      if (std::string_view(k) != key) continue;
      const std::string& v = s.*field;
      if (v.size() > kMaxLine) fail(key, "Quá dài / Too long");
      if (HasControl(v, false)) fail(key, "Chỉ một dòng, không có ký tự điều khiển");
    }
  }
  using Field = std::pair<const char*, const std::string*>;
  const Field paragraphs[] = {{"tagline_vi", &s.tagline_vi},
                              {"tagline_en", &s.tagline_en},
                              {"footer_vi", &s.footer_vi},
                              {"footer_en", &s.footer_en}};
  for (const auto& [key, v] : paragraphs) {
    if (v->size() > kMaxParagraph) fail(key, "Quá dài / Too long");
  }
  const Field notices[] = {{"terms_vi", &s.terms_vi},
                           {"terms_en", &s.terms_en},
                           {"privacy_vi", &s.privacy_vi},
                           {"privacy_en", &s.privacy_en}};
  for (const auto& [key, v] : notices) {
    if (v->size() > kMaxNotice) fail(key, "Quá dài (tối đa 100 KB)");
    if (HasControl(*v, true)) fail(key, "Có ký tự điều khiển");
  }
  if (!s.map_tile_url.empty() && !ParseTileUrl(s.map_tile_url)) {
    fail("map_tile_url",
         "Địa chỉ http(s)://máy-chủ/…/{z}/{x}/{y}.png, không dấu cách hay dấu nháy / "
         "An http(s)://host/…/{z}/{x}/{y}.png address without spaces or quotes");
  }
  if (s.map_tile_attribution.size() > kMaxLine) fail("map_tile_attribution", "Quá dài / Too long");
  if (HasControl(s.map_tile_attribution, false)) {
    fail("map_tile_attribution", "Chỉ một dòng, không có ký tự điều khiển");
  }
  if (!s.allow_self_approval.empty() && s.allow_self_approval != "1") {
    fail("allow_self_approval", "Chỉ nhận \"1\" hoặc để trống / Only \"1\" or empty");
  }
  if (!s.logo_sha256.empty() && (!IsLowerHex64(s.logo_sha256) ||
                                 (s.logo_type != "image/png" && s.logo_type != "image/jpeg"))) {
    fail("logo", "Biểu trưng phải là ảnh PNG hoặc JPEG");
  }
  return bad ? err : Status::Ok();
}

SettingsService::SettingsService(store::SettingsStore& store, CatalogService& catalog)
    : store_(store), catalog_(catalog) {
  ReadLocked();
  catalog_.SetSelfApprovalRule([this] {
    return SelfApprovalAllowed(Get()) ? access::SelfApproval::kAllowed
                                      : access::SelfApproval::kForbidden;
  });
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

SettingsService::~SettingsService() { catalog_.SetSelfApprovalRule(nullptr); }

SiteSettings SettingsService::Get() const {
  std::lock_guard lock(mu_);
  // Saved through another server since they were read.
  if (catalog_.settings_generation() != seen_) ReadLocked();
  return settings_;
}

Status SettingsService::StoreLocked(const SiteSettings& s) {
  ODP_RETURN_IF_ERROR(store_.PutSetting(kSettingsKey, SettingsJson(s).dump()));
  settings_ = s;
  return Status::Ok();
}

Status SettingsService::Save(const SiteSettings& in, Micros now) {
  SiteSettings s = in;
  {
    std::lock_guard lock(mu_);
    // The latest stored copy: another server may have saved a newer notice or emblem.
    ReadLocked();
    s.logo_sha256 = settings_.logo_sha256;
    s.logo_type = settings_.logo_type;
    s.privacy_version = settings_.privacy_version;
    s.privacy_updated = settings_.privacy_updated;
    if (s.privacy_vi != settings_.privacy_vi || s.privacy_en != settings_.privacy_en) {
      s.privacy_version = std::to_string(ParseVersion(settings_.privacy_version) + 1);
      std::tm day = VietnamTime(now);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", day.tm_year + 1900, day.tm_mon + 1,
                    day.tm_mday);
      s.privacy_updated = buf;
    }
    ODP_RETURN_IF_ERROR(ValidateSettings(s));
    const bool privacy_changed = s.privacy_version != settings_.privacy_version;
    ODP_RETURN_IF_ERROR(StoreLocked(s));
    if (audit_ != nullptr) {
      audit_->Record(store::AuditEvent("settings.saved", "", "", "site",
                                       nlohmann::json{{"privacy_version", s.privacy_version},
                                                      {"privacy_changed", privacy_changed}}
                                           .dump()));
    }
  }
  catalog_.Touch();  // other servers re-read them; cached pages show the old name and colours
  return Status::Ok();
}

Status SettingsService::SetLogo(const std::string& sha256, const std::string& content_type) {
  {
    std::lock_guard lock(mu_);
    ReadLocked();
    SiteSettings s = settings_;
    s.logo_sha256 = sha256;
    s.logo_type = content_type;
    ODP_RETURN_IF_ERROR(ValidateSettings(s));
    ODP_RETURN_IF_ERROR(StoreLocked(s));
  }
  catalog_.Touch();
  return Status::Ok();
}

Status SettingsService::ClearLogo() {
  {
    std::lock_guard lock(mu_);
    ReadLocked();
    SiteSettings s = settings_;
    s.logo_sha256.clear();
    s.logo_type.clear();
    ODP_RETURN_IF_ERROR(StoreLocked(s));
  }
  catalog_.Touch();
  return Status::Ok();
}

}  // namespace odp::catalog

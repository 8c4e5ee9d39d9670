#include "catalog/settings.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "testing/temp_portal.h"

namespace odp::catalog {
namespace {

SiteSettings Renamed(const std::string& title_vi) {
  SiteSettings s;
  s.title_vi = title_vi;
  s.title_en = "Hue Open Data";
  s.primary_color = "#123456";
  return s;
}

TEST(SettingsServiceTest, DefaultsUntilSavedThenTheSavedOnesAlsoAfterARestart) {
  testing::TempPortal portal;
  EXPECT_EQ(portal.settings->Get().title_vi, "Cổng dữ liệu mở");
  ASSERT_TRUE(portal.settings->Save(Renamed("Cổng dữ liệu mở Huế")).ok());
  EXPECT_EQ(portal.settings->Get().title_vi, "Cổng dữ liệu mở Huế");
  SettingsService restarted(*portal.store, *portal.catalog);
  EXPECT_EQ(restarted.Get().title_vi, "Cổng dữ liệu mở Huế");
  EXPECT_EQ(restarted.Get().primary_color, "#123456");
  EXPECT_EQ(restarted.Get().footer_en, SiteSettings{}.footer_en);
}

TEST(SettingsServiceTest, InvalidSettingsAreRefusedWithTheirFieldsAndNotStored) {
  testing::TempPortal portal;
  SiteSettings bad = Renamed("");
  bad.accent_color = "red";
  bad.logo_url = "http://example.com/logo.png";
  Status s = portal.settings->Save(bad);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.fields().count("title_vi"), 1u);
  EXPECT_EQ(s.fields().count("accent_color"), 1u);
  EXPECT_EQ(s.fields().count("logo_url"), 1u);
  EXPECT_EQ(s.fields().count("primary_color"), 0u);
  EXPECT_EQ(portal.settings->Get().title_vi, "Cổng dữ liệu mở");
  EXPECT_FALSE(portal.store->GetSetting("site_settings").ok());
}

TEST(SettingsServiceTest, SavingStartsCachesKeyedOnTheGenerationOver) {
  testing::TempPortal portal;
  int64_t before = portal.catalog->generation();
  ASSERT_TRUE(portal.settings->Save(Renamed("Cổng dữ liệu mở Huế")).ok());
  EXPECT_GT(portal.catalog->generation(), before);
}

// Two servers on one database: each has its own catalogue and settings service.
TEST(SettingsServiceTest, AnotherServersSaveIsSeenOnceItsCatalogueCatchesUp) {
  testing::TempPortal portal;
  auto other_catalog =
      CatalogService::Open(*portal.store, *portal.store, *portal.store, *portal.blobs).value();
  SettingsService other(*portal.store, *other_catalog);
  EXPECT_EQ(other.Get().title_vi, "Cổng dữ liệu mở");
  ASSERT_TRUE(portal.settings->Save(Renamed("Cổng dữ liệu mở Huế")).ok());
  // Until the change feed is read, the other server keeps what it read.
  EXPECT_EQ(other.Get().title_vi, "Cổng dữ liệu mở");
  ASSERT_EQ(other_catalog->CatchUp().value(), 1);
  EXPECT_EQ(other.Get().title_vi, "Cổng dữ liệu mở Huế");
  // And its own save reaches the first one the same way.
  ASSERT_TRUE(other.Save(Renamed("Cổng dữ liệu mở tỉnh Huế")).ok());
  ASSERT_EQ(portal.catalog->CatchUp().value(), 1);
  EXPECT_EQ(portal.settings->Get().title_vi, "Cổng dữ liệu mở tỉnh Huế");
}

TEST(SettingsServiceTest, ADatabaseWithOnlyTheOldSiteTitleKeepsItsName) {
  testing::TempPortal portal;
  ASSERT_TRUE(portal.store->PutSetting("site_title", "Cổng dữ liệu tỉnh cũ").ok());
  SettingsService settings(*portal.store, *portal.catalog);
  EXPECT_EQ(settings.Get().title_vi, "Cổng dữ liệu tỉnh cũ");
  EXPECT_EQ(settings.Get().title_en, SiteSettings{}.title_en);
}

TEST(SettingsJsonTest, RoundTripsEveryFieldAndKeepsDefaultsForMissingOrNonStringKeys) {
  SiteSettings s = Renamed("Cổng dữ liệu mở Huế");
  s.contact_phone = "0234 3822 123";
  s.address_vi = "16 Lê Lợi, Huế";
  nlohmann::json j = SettingsJson(s);
  EXPECT_EQ(j.size(), 32u);  // with allow_self_approval
  SiteSettings back = SettingsFromJson(j);
  EXPECT_EQ(SettingsJson(back), j);
  SiteSettings partial = SettingsFromJson(nlohmann::json{{"title_vi", "Tên"}, {"title_en", 42}});
  EXPECT_EQ(partial.title_vi, "Tên");
  EXPECT_EQ(partial.title_en, SiteSettings{}.title_en);
}

// The rule for each field of the identity, one row per case: the value, the field named in the
// error ("" when valid).
TEST(ValidateSettingsTest, IdentityFieldsTable) {
  struct Case {
    std::string SiteSettings::*field;
    std::string value;
    std::string error_field;
  };
  const Case cases[] = {
      {&SiteSettings::contact_email, "", ""},
      {&SiteSettings::contact_email, "dulieumo@hue.gov.vn", ""},
      {&SiteSettings::contact_email, "dulieumo", "contact_email"},
      {&SiteSettings::contact_email, "a@b", "contact_email"},
      {&SiteSettings::contact_email, "a b@hue.gov.vn", "contact_email"},
      {&SiteSettings::contact_email, "a@b@hue.gov.vn", "contact_email"},
      {&SiteSettings::contact_phone, "", ""},
      {&SiteSettings::contact_phone, "0234 3822 123", ""},
      {&SiteSettings::contact_phone, "+84 (234) 3.822.123", ""},
      {&SiteSettings::contact_phone, "12345", "contact_phone"},
      {&SiteSettings::contact_phone, "0234 3822 123 máy lẻ 12", "contact_phone"},
      {&SiteSettings::agency_vi, "Sở Khoa học và Công nghệ thành phố Huế", ""},
      {&SiteSettings::agency_vi, "Sở\nKhoa học", "agency_vi"},
      {&SiteSettings::agency_en, std::string(301, 'a'), "agency_en"},
      {&SiteSettings::province_vi, "Thành phố Huế", ""},
      {&SiteSettings::responsible_vi, "Ông Nguyễn Văn An, Giám đốc Sở", ""},
      {&SiteSettings::license_vi, "Quyết định số 123/QĐ-UBND ngày 15/01/2026", ""},
      {&SiteSettings::license_en, "tab\there", "license_en"},
      {&SiteSettings::address_en, "1 Le Lai, Hue", ""},
      {&SiteSettings::terms_vi, "## Phạm vi\n\nĐoạn một.\r\n", ""},
      {&SiteSettings::privacy_en, std::string(100 * 1024 + 1, 'x'), "privacy_en"},
      {&SiteSettings::privacy_vi, std::string("a\0b", 3), "privacy_vi"},
      {&SiteSettings::logo_url, "https://hue.gov.vn/logo.png", ""},
      {&SiteSettings::logo_url, "//evil.example/logo.png", "logo_url"},
      {&SiteSettings::logo_url, "javascript:alert(1)", "logo_url"},
  };
  int checked = 0;
  for (const Case& c : cases) {
    SiteSettings s;
    s.*c.field = c.value;
    Status st = ValidateSettings(s);
    if (c.error_field.empty()) {
      EXPECT_TRUE(st.ok()) << c.value << ": " << st.message();
    } else {
      ASSERT_EQ(st.code(), StatusCode::kInvalidArgument) << c.value;
      EXPECT_EQ(st.fields().count(c.error_field), 1u) << c.value;
      EXPECT_EQ(st.fields().size(), 1u) << c.value;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 25);
}

// The tile server's URL: what is accepted, and the policy source each accepted one gives (the map
// page's Content-Security-Policy allows exactly that source for images).
TEST(ValidateSettingsTest, TileUrlsTableWithTheirPolicySources) {
  struct Case {
    std::string url;
    bool valid;
    std::string csp;
  };
  const Case cases[] = {
      {"", true, ""},
      {"https://tile.openstreetmap.org/{z}/{x}/{y}.png", true, "https://tile.openstreetmap.org"},
      {"https://{s}.tile.example.vn/{z}/{x}/{y}.png", true, "https://*.tile.example.vn"},
      {"http://gis.hue.gov.vn:8080/tiles/{z}/{x}/{y}.png?key=abc", true,
       "http://gis.hue.gov.vn:8080"},
      {"https://tile.openstreetmap.org/{z}/{x}.png", false, ""},  // no {y}
      {"ftp://tile.example.vn/{z}/{x}/{y}.png", false, ""},
      {"//tile.example.vn/{z}/{x}/{y}.png", false, ""},
      {"https://tile.example.vn; script-src *; /{z}/{x}/{y}.png", false, ""},
      {"https://tile.example.vn/{z}/{x}/{y}.png; script-src *", false, ""},
      {"https://tile.example.vn/{z}/{x}/{y}.png\r\nSet-Cookie: a=b", false, ""},
      {"https://tile.example.vn/{z}/{x}/{y}.png' onerror='x", false, ""},
      {"https://*.example.vn/{z}/{x}/{y}.png", false, ""},
      {"https://tile.example.vn:abc/{z}/{x}/{y}.png", false, ""},
      {"https://.example.vn/{z}/{x}/{y}.png", false, ""},
  };
  int checked = 0;
  for (const Case& c : cases) {
    SiteSettings s;
    s.map_tile_url = c.url;
    Status st = ValidateSettings(s);
    if (c.valid) {
      EXPECT_TRUE(st.ok()) << c.url << ": " << st.message();
      EXPECT_EQ(TileCspSource(s), c.csp) << c.url;
    } else {
      ASSERT_EQ(st.code(), StatusCode::kInvalidArgument) << c.url;
      EXPECT_EQ(st.fields().count("map_tile_url"), 1u) << c.url;
      EXPECT_EQ(TileCspSource(s), "") << c.url;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 14);
}

TEST(ValidateSettingsTest, TheDefaultTilesAreOpenStreetMapsWithItsAttribution) {
  SiteSettings s;
  EXPECT_EQ(TileCspSource(s), "https://tile.openstreetmap.org");
  EXPECT_EQ(s.map_tile_attribution, "© OpenStreetMap contributors");
  s.map_tile_attribution = "a\nb";
  EXPECT_EQ(ValidateSettings(s).fields().count("map_tile_attribution"), 1u);
}

TEST(ValidateSettingsTest, AnEmblemNeedsABlobHashAndAnImageType) {
  SiteSettings s;
  s.logo_sha256 = std::string(64, 'a');
  s.logo_type = "image/png";
  EXPECT_TRUE(ValidateSettings(s).ok());
  s.logo_type = "image/svg+xml";
  EXPECT_EQ(ValidateSettings(s).fields().count("logo"), 1u);
  s.logo_type = "image/jpeg";
  s.logo_sha256 = std::string(64, 'A');
  EXPECT_EQ(ValidateSettings(s).fields().count("logo"), 1u);
  s.logo_sha256 = "../../etc/passwd";
  EXPECT_EQ(ValidateSettings(s).fields().count("logo"), 1u);
}

TEST(LogoContentTypeTest, PngAndJpegByTheirFirstBytesAndNothingElse) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  const std::string jpeg("\xff\xd8\xff\xe0\0\x10JFIF", 10);
  EXPECT_EQ(LogoContentType(png, 2000).value(), "image/png");
  EXPECT_EQ(LogoContentType(jpeg, 2000).value(), "image/jpeg");
  // SVG is refused, with a message that says so (also after a BOM and white space).
  for (std::string svg : {std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
                          std::string("\xef\xbb\xbf  <?xml version=\"1.0\"?><svg/>")}) {
    auto r = LogoContentType(svg, 100);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().fields().at("logo").find("SVG"), std::string::npos);
  }
  auto gif = LogoContentType("GIF89a", 100);
  ASSERT_FALSE(gif.ok());
  EXPECT_EQ(gif.status().fields().at("logo"), "Biểu trưng phải là ảnh PNG hoặc JPEG");
  EXPECT_FALSE(LogoContentType(png, 0).ok());
  EXPECT_TRUE(LogoContentType(png, kMaxLogoBytes).ok());
  EXPECT_EQ(LogoContentType(png, kMaxLogoBytes + 1).status().fields().at("logo"),
            "Biểu trưng lớn hơn 1 MB");
}

TEST(ApplySettingsPatchTest, TakesEditableStringsAndRefusesTheRestWithoutChangingAnything) {
  SiteSettings s;
  ASSERT_TRUE(ApplySettingsPatch(
                  s, {{"agency_vi", "Sở Khoa học và Công nghệ"}, {"province_en", "Hue City"}})
                  .ok());
  EXPECT_EQ(s.agency_vi, "Sở Khoa học và Công nghệ");
  EXPECT_EQ(s.province_en, "Hue City");
  EXPECT_EQ(s.title_vi, SiteSettings{}.title_vi);
  const SiteSettings before = s;
  Status st = ApplySettingsPatch(s, {{"agency_vi", "Khác"},
                                     {"logo_sha256", std::string(64, 'a')},
                                     {"privacy_version", "9"},
                                     {"colour", "#000000"},
                                     {"title_en", 3}});
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.fields().size(), 4u);
  for (const char* f : {"logo_sha256", "privacy_version", "colour", "title_en"}) {
    EXPECT_EQ(st.fields().count(f), 1u) << f;
  }
  EXPECT_EQ(SettingsJson(s), SettingsJson(before));
  EXPECT_FALSE(ApplySettingsPatch(s, nlohmann::json::array()).ok());
}

TEST(SettingsServiceTest, ChangingThePrivacyNoticeRaisesItsVersionOnThatDay) {
  testing::TempPortal portal;
  EXPECT_EQ(PrivacyVersion(portal.settings->Get()), 1);  // the built-in notice
  SiteSettings s = portal.settings->Get();
  s.agency_vi = "Sở Khoa học và Công nghệ";
  ASSERT_TRUE(portal.settings->Save(s).ok());
  EXPECT_EQ(PrivacyVersion(portal.settings->Get()), 1) << "other fields do not touch the notice";
  s.privacy_vi = "## Dữ liệu thu thập\n\nTên đăng nhập và e-mail.";
  // 2026-12-06T18:30Z is already 7 December in Viet Nam (UTC+7).
  const Micros evening_utc = 1796581800LL * 1000000;
  ASSERT_TRUE(portal.settings->Save(s, evening_utc).ok());
  EXPECT_EQ(portal.settings->Get().privacy_version, "2");
  EXPECT_EQ(portal.settings->Get().privacy_updated, "2026-12-07");
  s.privacy_en = "## Data collected";
  ASSERT_TRUE(portal.settings->Save(s, evening_utc).ok());
  EXPECT_EQ(PrivacyVersion(portal.settings->Get()), 3);
  // A caller cannot set the version or the emblem: the service keeps its own.
  SiteSettings forged = portal.settings->Get();
  forged.privacy_version = "1";
  forged.logo_sha256 = std::string(64, 'b');
  forged.logo_type = "image/png";
  ASSERT_TRUE(portal.settings->Save(forged).ok());
  EXPECT_EQ(PrivacyVersion(portal.settings->Get()), 3);
  EXPECT_EQ(portal.settings->Get().logo_sha256, "");
}

TEST(SettingsServiceTest, TheEmblemIsSetAndClearedAndServedFromAnAddressThatChangesWithIt) {
  testing::TempPortal portal;
  EXPECT_EQ(LogoPath(portal.settings->Get()), "");
  const std::string sha(64, 'c');
  ASSERT_TRUE(portal.settings->SetLogo(sha, "image/png").ok());
  EXPECT_EQ(LogoPath(portal.settings->Get()), "/site/logo/" + sha + ".png");
  SettingsService restarted(*portal.store, *portal.catalog);
  EXPECT_EQ(restarted.Get().logo_sha256, sha);
  EXPECT_FALSE(portal.settings->SetLogo(sha, "image/svg+xml").ok());
  // The blob collector keeps it: the settings are among the blob references.
  auto refs = portal.store->ListBlobReferences().value();
  EXPECT_NE(std::find(refs.begin(), refs.end(), sha), refs.end());
  ASSERT_TRUE(portal.settings->ClearLogo().ok());
  EXPECT_EQ(LogoPath(portal.settings->Get()), "");
}

}  // namespace
}  // namespace odp::catalog

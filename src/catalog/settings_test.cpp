#include "catalog/settings.h"

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
  EXPECT_EQ(j.size(), 12u);
  SiteSettings back = SettingsFromJson(j);
  EXPECT_EQ(SettingsJson(back), j);
  SiteSettings partial = SettingsFromJson(nlohmann::json{{"title_vi", "Tên"}, {"title_en", 42}});
  EXPECT_EQ(partial.title_vi, "Tên");
  EXPECT_EQ(partial.title_en, SiteSettings{}.title_en);
}

}  // namespace
}  // namespace odp::catalog

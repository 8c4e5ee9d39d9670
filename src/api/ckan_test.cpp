// CKAN shapes: package_show and organization_show carry every key CKAN clients read.
#include <gtest/gtest.h>

#include "api/context.h"
#include "api/json_shapes.h"
#include "testing/temp_portal.h"

namespace odp::api {
namespace {

TEST(GenerationCacheTest, BoundedByBytes) {
  GenerationCache c(1000, 100000);
  for (int i = 0; i < 1000; ++i) c.Put("k" + std::to_string(i), 1, std::string(1000, 'x'));
  EXPECT_LE(c.bytes(), 100000u);
  EXPECT_GT(c.bytes(), 0u);
  // A text too big for its share is handed back but not kept.
  auto big = c.Put("big", 1, std::string(50000, 'y'));
  EXPECT_EQ(big->size(), 50000u);
  EXPECT_EQ(c.Get("big", 1), nullptr);
  // Replacing an entry counts it once.
  GenerationCache d(10, 100000);
  d.Put("a", 1, std::string(100, 'x'));
  d.Put("a", 2, std::string(200, 'x'));
  EXPECT_EQ(d.bytes(), 1u + 200u);
  EXPECT_EQ(d.Get("a", 1), nullptr);
  EXPECT_NE(d.Get("a", 2), nullptr);
}

TEST(CkanShapesTest, PackageHasEveryCkanKeyAndOurExtras) {
  testing::TempPortal portal;
  auto admin = testing::TempPortal::Sysadmin();
  catalog::OrganizationInput oi;
  oi.title_vi = "Sở Tài chính";
  ASSERT_TRUE(portal.catalog->CreateOrganization(admin, oi).ok());
  catalog::DatasetInput in;
  in.title_vi = "Ngân sách";
  in.organization = "so-tai-chinh";
  in.tags = std::vector<std::string>{"ngân sách"};
  in.sectors = std::vector<std::string>{"kinh-te-tai-chinh"};
  in.license_id = "cc-by";
  auto e = portal.catalog->CreateDataset(admin, in);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ApiContext ctx{.catalog = *portal.catalog,
                 .accounts = *portal.accounts,
                 .settings = *portal.settings,
                 .blobs = *portal.blobs,
                 .feed = *portal.store};
  json p = CkanPackage(ctx, **e);
  for (const char* key : {"id",
                          "name",
                          "title",
                          "type",
                          "state",
                          "private",
                          "owner_org",
                          "organization",
                          "author",
                          "author_email",
                          "maintainer",
                          "maintainer_email",
                          "license_id",
                          "license_title",
                          "license_url",
                          "isopen",
                          "notes",
                          "url",
                          "version",
                          "metadata_created",
                          "metadata_modified",
                          "creator_user_id",
                          "num_resources",
                          "num_tags",
                          "tags",
                          "groups",
                          "extras",
                          "relationships_as_subject",
                          "relationships_as_object",
                          "resources",
                          "title_en",
                          "access_level"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  EXPECT_EQ(p["name"], "ngan-sach");
  EXPECT_EQ(p["state"], "draft");
  EXPECT_EQ(p["isopen"], true);
  EXPECT_EQ(p["tags"][0]["name"], "ngân sách");
  EXPECT_EQ(p["groups"][0]["name"], "kinh-te-tai-chinh");
  EXPECT_EQ(p["organization"]["is_organization"], true);
  // Naive ISO timestamps with microseconds, no zone.
  std::string created = p["metadata_created"];
  EXPECT_EQ(created.size(), 26u);
  EXPECT_EQ(created.back() == 'Z', false);
}

}  // namespace
}  // namespace odp::api

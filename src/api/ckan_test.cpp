// CKAN shapes: package_show and organization_show carry every key CKAN clients read.
#include <gtest/gtest.h>

#include "api/json_shapes.h"
#include "testing/temp_portal.h"

namespace odp::api {
namespace {

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
  ApiContext ctx{*portal.catalog, *portal.accounts, *portal.blobs, *portal.store, {}, {}, nullptr, {}};
  json p = CkanPackage(ctx, **e);
  for (const char* key : {"id", "name", "title", "type", "state", "private", "owner_org", "organization",
                          "author", "author_email", "maintainer", "maintainer_email", "license_id",
                          "license_title", "license_url", "isopen", "notes", "url", "version",
                          "metadata_created", "metadata_modified", "creator_user_id", "num_resources",
                          "num_tags", "tags", "groups", "extras", "relationships_as_subject",
                          "relationships_as_object", "resources", "title_en", "access_level"}) {
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

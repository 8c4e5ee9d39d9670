#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/ids.h"
#include "store/migrations.h"

namespace odp::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("odp-store-" + NewUuid())).string();
    std::filesystem::create_directories(dir_);
    store_ = std::move(OpenStore(dir_ + "/odp.db").value());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Organization Org(const std::string& slug) {
    Organization o;
    o.id = NewUuid();
    o.slug = slug;
    o.title_vi = "Sở " + slug;
    o.created = o.modified = 1;
    return o;
  }
  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, DatasetRoundTripsEveryField) {
  Organization o = Org("so-y-te");
  ASSERT_TRUE(store_->InsertOrganization(o).ok());
  Dataset d;
  d.id = NewUuid();
  d.slug = "danh-sach-benh-vien";
  d.title_vi = "Danh sách bệnh viện";
  d.title_en = "Hospitals";
  d.organization_id = o.id;
  d.tags = {"y tế", "bệnh viện"};
  d.sector_ids = {"s1"};
  d.access = AccessTier::kShared;
  d.state = DatasetState::kPending;
  d.extras = {{"nguồn", "Sở Y tế"}};
  d.spatial = {"46"};
  d.created = 10;
  d.modified = 20;
  ASSERT_TRUE(store_->InsertDataset(d).ok());
  auto got = store_->GetDataset("danh-sach-benh-vien");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, d.id);
  EXPECT_EQ(got->title_en, "Hospitals");
  EXPECT_EQ(got->tags, d.tags);
  EXPECT_EQ(got->access, AccessTier::kShared);
  EXPECT_EQ(got->state, DatasetState::kPending);
  EXPECT_EQ(got->extras.at("nguồn"), "Sở Y tế");
  EXPECT_EQ(got->modified, 20);
}

TEST_F(SqliteStoreTest, DuplicateSlugIsAlreadyExists) {
  ASSERT_TRUE(store_->InsertOrganization(Org("so-y-te")).ok());
  Status s = store_->InsertOrganization(Org("so-y-te"));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
}

TEST_F(SqliteStoreTest, FailedTransactionChangesNothing) {
  Status s = store_->Transaction([&] {
    ODP_RETURN_IF_ERROR(store_->InsertOrganization(Org("so-tai-chinh")));
    return Status::Conflict("abort");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(store_->GetOrganization("so-tai-chinh").status().code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, UpdateOfMissingRecordIsNotFound) {
  EXPECT_EQ(store_->UpdateOrganization(Org("khong-co")).code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, CatalogGenerationCounts) {
  int64_t before = store_->CatalogGeneration().value();
  ASSERT_TRUE(store_->BumpCatalogGeneration().ok());
  EXPECT_EQ(store_->CatalogGeneration().value(), before + 1);
}

TEST_F(SqliteStoreTest, OutdatedSchemaIsRefusedWithoutMigration) {
  std::string path = dir_ + "/fresh.db";
  auto refused = OpenStore(path, /*migrate=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("odp migrate"), std::string::npos);
  ASSERT_TRUE(OpenStore(path, true).ok());
  EXPECT_TRUE(OpenStore(path, false).ok());
}

TEST_F(SqliteStoreTest, PostgresUrlIsAClearError) {
  auto s = OpenStore("postgresql://localhost/odp");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace odp::store

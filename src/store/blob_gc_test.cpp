#include "store/blob_gc.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "testing/temp_portal.h"

namespace odp::store {
namespace {

using catalog::UploadedFile;

constexpr Micros kHour = 3600LL * 1000000;

class BlobGcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog::OrganizationInput org;
    org.title_vi = "Sở Tài chính";
    org.slug = "so-tai-chinh";
    ASSERT_TRUE(portal_.catalog->CreateOrganization(admin_, org).ok());
    catalog::DatasetInput in;
    in.title_vi = "Ngân sách tỉnh";
    in.organization = "so-tai-chinh";
    slug_ = portal_.catalog->CreateDataset(admin_, in).value()->dataset.slug;
  }
  BlobInfo Put(const std::string& bytes) { return portal_.blobs->Put(bytes).value(); }
  bool OnDisk(const BlobInfo& b) { return portal_.blobs->Exists(b.sha256); }
  // A collection as it would run `hours_later` hours from now, with a 24-hour grace period.
  BlobGcReport Collect(int hours_later, bool dry_run = false) {
    BlobGcOptions o;
    o.grace = 24 * kHour;
    o.now = NowMicros() + hours_later * kHour;
    o.dry_run = dry_run;
    return CollectBlobGarbage(*portal_.store, *portal_.blobs, o).value();
  }

  testing::TempPortal portal_;
  access::Principal admin_ = testing::TempPortal::Sysadmin();
  std::string slug_;
};

TEST_F(BlobGcTest, NeverRemovesTheFilesOfCurrentOrOldVersions) {
  BlobInfo v1 = Put("nam,thu\n2024,100\n");
  auto added = portal_.catalog->AddResource(admin_, slug_, {}, UploadedFile{v1, "thu.csv", "", {}});
  ASSERT_TRUE(added.ok());
  BlobInfo v2 = Put("nam,thu\n2025,120\n");
  ASSERT_TRUE(
      portal_.catalog
          ->UpdateResource(admin_, added->second.id, {}, UploadedFile{v2, "thu.csv", "", {}})
          .ok());
  BlobGcReport r = Collect(48);
  EXPECT_TRUE(OnDisk(v1));
  EXPECT_TRUE(OnDisk(v2));
  EXPECT_EQ(r.blobs_referenced, 2);
  EXPECT_EQ(r.blobs_removed, 0);
}

TEST_F(BlobGcTest, RemovesAnOrphanOlderThanTheGracePeriod) {
  BlobInfo kept = Put("kept");
  ASSERT_TRUE(
      portal_.catalog->AddResource(admin_, slug_, {}, UploadedFile{kept, "a.txt", "", {}}).ok());
  BlobInfo orphan = Put("a file whose upload was refused after it was stored");
  BlobGcReport r = Collect(25);
  EXPECT_FALSE(OnDisk(orphan));
  EXPECT_TRUE(OnDisk(kept));
  EXPECT_EQ(r.blobs_removed, 1);
  EXPECT_EQ(r.bytes_removed, orphan.size);
  ASSERT_EQ(r.removed.size(), 1u);
  EXPECT_EQ(r.removed[0].sha256, orphan.sha256);
}

TEST_F(BlobGcTest, KeepsAnUploadInProgressWithinTheGracePeriod) {
  // Committed, but the row that will refer to it is not written yet (here, or by another server).
  BlobInfo pending = Put("an upload whose resource row is being written");
  BlobGcReport r = Collect(0);
  EXPECT_TRUE(OnDisk(pending));
  EXPECT_EQ(r.blobs_in_grace, 1);
  EXPECT_EQ(r.blobs_removed, 0);
  // Still kept until the grace period is over.
  Collect(23);
  EXPECT_TRUE(OnDisk(pending));
}

TEST_F(BlobGcTest, KeepsBlobsNamedBySettingsAndDatastoreJobs) {
  BlobInfo logo = Put("<svg/>");
  BlobInfo source = Put("a,b\n1,2\n");
  ASSERT_TRUE(portal_.store->PutSetting("site", "{\"logo_blob\":\"" + logo.sha256 + "\"}").ok());
  JobRecord j{"datastore", "r1",     1,  portal_.blobs->PathOf(source.sha256),
              "{}",        "queued", "", "",
              0,           "",       0,  NowMicros()};
  ASSERT_TRUE(portal_.store->QueueJob(j).ok());
  BlobGcReport r = Collect(48);
  EXPECT_TRUE(OnDisk(logo));
  EXPECT_TRUE(OnDisk(source));
  EXPECT_EQ(r.blobs_removed, 0);
}

TEST_F(BlobGcTest, DryRunReportsButRemovesNothing) {
  BlobInfo orphan = Put("orphan");
  BlobGcReport r = Collect(48, /*dry_run=*/true);
  EXPECT_EQ(r.blobs_removed, 1);
  EXPECT_TRUE(OnDisk(orphan));
}

TEST_F(BlobGcTest, RemovesACrashedWritersTempFileAfterTheGracePeriod) {
  std::string tmp = portal_.dir() + "/blobs/tmp/crashed-writer";
  std::ofstream(tmp) << "half a file";
  EXPECT_EQ(Collect(0).temp_files_removed, 0);
  EXPECT_TRUE(std::filesystem::exists(tmp));
  BlobGcReport r = Collect(25);
  EXPECT_EQ(r.temp_files_removed, 1);
  EXPECT_EQ(r.temp_bytes_removed, 11);
  EXPECT_FALSE(std::filesystem::exists(tmp));
}

TEST(BlobStoreGcTest, RemoveIfOlderKeepsABlobCommittedAgainAfterTheCutoff) {
  auto dir = std::filesystem::temp_directory_path() / ("odp-blobgc-" + NewUuid());
  auto blobs = BlobStore::Open(dir.string()).value();
  BlobInfo b = blobs->Put("same bytes").value();
  const Micros cutoff = NowMicros() - kHour;  // committed just now: after the cutoff
  EXPECT_FALSE(blobs->RemoveIfOlder(b.sha256, cutoff).value());
  EXPECT_TRUE(blobs->Exists(b.sha256));
  EXPECT_TRUE(blobs->RemoveIfOlder(b.sha256, NowMicros() + kHour).value());
  EXPECT_FALSE(blobs->Exists(b.sha256));
  std::filesystem::remove_all(dir);
}

TEST(BlobStoreGcTest, AFileMovedAsideByACrashedCollectionIsPutBack) {
  auto dir = std::filesystem::temp_directory_path() / ("odp-blobgc-" + NewUuid());
  auto blobs = BlobStore::Open(dir.string()).value();
  BlobInfo b = blobs->Put("still referenced").value();
  std::string path = blobs->PathOf(b.sha256);
  std::filesystem::rename(path, path + ".gc-crashed");
  EXPECT_EQ(blobs->RecoverMovedAside(NowMicros() - kHour), 0);  // just moved: maybe in progress
  EXPECT_FALSE(blobs->Exists(b.sha256));
  EXPECT_EQ(blobs->RecoverMovedAside(NowMicros() + kHour), 1);
  EXPECT_TRUE(blobs->Exists(b.sha256));
  EXPECT_FALSE(std::filesystem::exists(path + ".gc-crashed"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace odp::store

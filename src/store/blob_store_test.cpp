#include "store/blob_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "base/ids.h"

namespace odp::store {
namespace {

std::string TempDir() {
  auto p = std::filesystem::temp_directory_path() / ("odp-blob-" + NewUuid());
  return p.string();
}

TEST(BlobStoreTest, StoresBytesUnderTheirHashAndLeavesNoTempFile) {
  std::string root = TempDir();
  auto blobs = BlobStore::Open(root);
  ASSERT_TRUE(blobs.ok());
  auto w = (*blobs)->NewWriter(100);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Append("ab").ok());
  ASSERT_TRUE((*w)->Append("c").ok());
  auto info = (*w)->Commit();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(info->size, 3);
  std::ifstream in((*blobs)->PathOf(info->sha256));
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "abc");
  EXPECT_TRUE(std::filesystem::is_empty(root + "/tmp"));
  std::filesystem::remove_all(root);
}

TEST(BlobStoreTest, OversizedWriteFailsAndAbandonedWriterCleansUp) {
  std::string root = TempDir();
  auto blobs = BlobStore::Open(root);
  ASSERT_TRUE(blobs.ok());
  {
    auto w = (*blobs)->NewWriter(2);
    ASSERT_TRUE(w.ok());
    Status s = (*w)->Append("abc");
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  }
  EXPECT_TRUE(std::filesystem::is_empty(root + "/tmp"));
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace odp::store

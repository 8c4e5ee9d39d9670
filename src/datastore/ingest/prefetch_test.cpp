#include "datastore/ingest/prefetch.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "datastore/ingest/spool.h"
#include "formats/csv.h"
#include "testing/read_rows.h"

namespace odp::datastore::ingest {
namespace {

using odp::testing::ReadAll;

class PrefetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("odp-prefetch-" + std::to_string(::getpid()) + ".csv"))
                .string();
    std::ofstream out(path_, std::ios::binary);
    out << "ma,ten\n";
    for (int i = 1; i <= 2500; ++i) out << i << ",\"Dòng\n" << i << "\"\n";  // two lines per record
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::unique_ptr<formats::RowSource> Csv() {
    auto csv = formats::CsvFileSource::Open(path_);
    EXPECT_TRUE(csv.ok());
    return std::move(*csv);
  }
  std::string path_;
};

TEST_F(PrefetchTest, ALastLineEndsTheRowsThereAndAfterARewind) {
  PrefetchRows ahead(Csv(), /*batch_rows=*/100, /*batches=*/2);
  std::vector<int64_t> lines;
  auto all = ReadAll(ahead, &lines);
  ASSERT_EQ(all.size(), 2501u);
  // Line 1 the header, then records of two lines each: the record of line 1000 ends at 1001.
  ahead.set_last_line(1001);
  ASSERT_TRUE(ahead.Rewind().ok());
  lines.clear();
  auto cut = ReadAll(ahead, &lines);
  EXPECT_TRUE(ahead.status().ok());
  ASSERT_FALSE(lines.empty());
  EXPECT_LE(lines.back(), 1001);
  EXPECT_EQ(cut.size(), 501u);  // the header and 500 records
  // Again from the start: the same rows, the read-ahead stopped and started cleanly.
  ASSERT_TRUE(ahead.Rewind().ok());
  EXPECT_EQ(ReadAll(ahead), cut);
}

TEST_F(PrefetchTest, GivesTheSameRowsLinesAndProgressAsTheSourceAcrossBatches) {
  auto plain = Csv();
  std::vector<int64_t> want_lines, got_lines;
  auto want = ReadAll(*plain, &want_lines);
  PrefetchRows ahead(Csv(), /*batch_rows=*/100, /*batches=*/2);
  auto got = ReadAll(ahead, &got_lines);
  EXPECT_EQ(got, want);
  EXPECT_EQ(got_lines, want_lines);
  EXPECT_EQ(got.size(), 2501u);
  EXPECT_TRUE(ahead.status().ok());
  EXPECT_EQ(ahead.bytes_read(), ahead.bytes_total());
  EXPECT_EQ(ahead.describe(), plain->describe());
  // Rewind reads it all again; so does a second rewind in the middle.
  ASSERT_TRUE(ahead.Rewind().ok());
  std::vector<std::string> row;
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(ahead.Next(row));
  ASSERT_TRUE(ahead.Rewind().ok());
  EXPECT_EQ(ReadAll(ahead), want);
}

TEST_F(PrefetchTest, PassesTheSourcesErrorOnAndStopsWhenDroppedEarly) {
  formats::ReadLimits small;
  small.max_rows = 1000;
  auto limited = formats::CsvFileSource::Open(path_, 0, small);
  ASSERT_TRUE(limited.ok());
  PrefetchRows ahead(std::move(*limited), 64);
  std::vector<std::string> row;
  size_t n = 0;
  while (ahead.Next(row)) ++n;
  EXPECT_FALSE(ahead.status().ok());
  EXPECT_LE(n, 1001u);
  // Destroyed while reading ahead: the thread stops.
  auto early = std::make_unique<PrefetchRows>(Csv(), 10);
  ASSERT_TRUE(early->Next(row));
  early.reset();
}

TEST_F(PrefetchTest, SpoolRecordsTheFirstReadingAndReplaysIt) {
  auto plain = Csv();
  std::vector<int64_t> want_lines, lines;
  auto want = ReadAll(*plain, &want_lines);
  SpoolRows spool(Csv(), std::filesystem::temp_directory_path().string());
  // Rewound before the end: recorded again from the start.
  std::vector<std::string> row;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(spool.Next(row));
  ASSERT_TRUE(spool.Rewind().ok());
  EXPECT_EQ(ReadAll(spool, &lines), want);
  EXPECT_EQ(lines, want_lines);
  // Read to the end: replayed, the same rows and lines, progress to the total.
  ASSERT_TRUE(spool.Rewind().ok());
  lines.clear();
  EXPECT_EQ(ReadAll(spool, &lines), want);
  EXPECT_EQ(lines, want_lines);
  EXPECT_TRUE(spool.status().ok());
  EXPECT_EQ(spool.bytes_read(), spool.bytes_total());
  ASSERT_TRUE(spool.Rewind().ok());
  EXPECT_EQ(ReadAll(spool), want);
  // Behind a read-ahead, as the loader uses them.
  PrefetchRows ahead(
      std::make_unique<SpoolRows>(Csv(), std::filesystem::temp_directory_path().string()), 100);
  EXPECT_EQ(ReadAll(ahead), want);
  ASSERT_TRUE(ahead.Rewind().ok());
  EXPECT_EQ(ReadAll(ahead), want);
}

}  // namespace
}  // namespace odp::datastore::ingest

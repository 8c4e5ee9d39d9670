#include "datastore/datastore.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace odp::datastore {
namespace {

class DatastoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("odp-ds-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto ds = Datastore::Open((dir_ / "datastore.db").string());
    ASSERT_TRUE(ds.ok()) << ds.status().message();
    ds_ = std::move(*ds);
    ds_->Start();
  }
  void TearDown() override {
    ds_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
  std::unique_ptr<Datastore> ds_;
};

// A messy but ordinary government export: a title row, a blank row, Vietnamese numbers and
// dates, a ragged row and one with an extra cell.
const char* kSchools =
    "DANH SÁCH TRƯỜNG HỌC NĂM 2024,,,,\n"
    ",,,,\n"
    "Mã trường;Tên trường;Số học sinh;Điểm TB;Ngày thành lập\n"
    "046001;Trường THPT Quốc Học;1.234;7,5;05/09/1896\n"
    "046002;Trường THPT Hai Bà Trưng;980;8,25;01/10/1917\n"
    "046003;\"Trường THCS Nguyễn Tri Phương; Huế\";612\n"
    "046004;Trường THPT Phú Bài;845;6,75;15/08/1975;thừa\n";

TEST_F(DatastoreTest, LoadsTypedColumnsBelowTitleRows) {
  auto t = ds_->Load("res-1", 1, Write("truong.csv", kSchools));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->delimiter, ';');
  EXPECT_EQ(t->header_line, 3);
  EXPECT_EQ(t->rows, 4);
  ASSERT_EQ(t->fields.size(), 5u);
  EXPECT_EQ(t->fields[0].id, "ma_truong");
  EXPECT_EQ(t->fields[0].type, ColumnType::kString);  // leading zeros: a code
  EXPECT_EQ(t->fields[1].label, "Tên trường");
  EXPECT_EQ(t->fields[2].id, "so_hoc_sinh");
  EXPECT_EQ(t->fields[2].type, ColumnType::kInteger);
  EXPECT_EQ(t->fields[3].type, ColumnType::kNumber);
  EXPECT_EQ(t->fields[4].type, ColumnType::kDate);
  ASSERT_EQ(t->issue_counts["extra_cells"], 1);
  EXPECT_EQ(t->issues[0].line, 7);
  EXPECT_EQ(t->issues[0].column, 6);

  Query q;
  q.sort = {{"so_hoc_sinh", true}};
  auto r = ds_->Search(*t, q);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->total, 4);
  ASSERT_EQ(r->rows.size(), 4u);
  EXPECT_EQ(r->rows[0][2], "Trường THPT Quốc Học");
  EXPECT_EQ(r->rows[0][3], 1234);
  EXPECT_EQ(r->rows[0][4], 7.5);
  EXPECT_EQ(r->rows[0][5], "1896-09-05");
  EXPECT_TRUE(r->rows[3][4].is_null());  // the ragged row's missing cells
}

TEST_F(DatastoreTest, FiltersSearchesTextAndPages) {
  auto t = ds_->Load("res-1", 1, Write("truong.csv", kSchools));
  ASSERT_TRUE(t.ok());
  Query q;
  q.filters["ngay_thanh_lap"] = {"01/10/1917"};
  auto r = ds_->Search(*t, q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->total, 1);
  EXPECT_EQ(r->rows[0][1], "046002");
  Query text;
  text.q = "phu bai";
  r = ds_->Search(*t, text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 1);  // "Phú Bài", found without tone marks
  text.q = "QUỐC HỌC";
  r = ds_->Search(*t, text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 1);
  text.q = "phu";
  r = ds_->Search(*t, text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 2);  // "Phú Bài" and "Nguyễn Tri Phương"
  Query page;
  page.limit = 2;
  page.offset = 2;
  page.fields = {"ten_truong"};
  r = ds_->Search(*t, page);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].size(), 2u);  // _id and the one field
  EXPECT_EQ(r->rows[0][0], 3);
  Query bad;
  bad.sort = {{"khong_co", false}};
  EXPECT_EQ(ds_->Search(*t, bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DatastoreTest, NotUtf8IsAnErrorWithLineAndColumnAndKeepsThePreviousVersion) {
  ASSERT_TRUE(ds_->Load("res-1", 1, Write("v1.csv", kSchools)).ok());
  auto bad = ds_->Load("res-1", 2, Write("v2.csv", "a,b\n1,Hu\xEA\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message_vi().find("dòng 2, cột 2"), std::string::npos) << bad.status().message_vi();
  auto latest = ds_->Table("res-1");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 1);
  auto job = ds_->Job("res-1");
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->state, "failed");
}

TEST_F(DatastoreTest, QueuedLoadsRunInTheBackgroundAndNewVersionsReplaceOldOnes) {
  ASSERT_TRUE(ds_->Enqueue("res-2", 1, Write("a.csv", "x,y\n1,2\n")).ok());
  ASSERT_TRUE(ds_->Enqueue("res-2", 2, Write("b.csv", "x,y\n1,2\n3,4\n")).ok());
  ds_->WaitIdle();
  auto t = ds_->Table("res-2");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->version, 2);
  EXPECT_EQ(t->rows, 2);
  auto v1 = ds_->Table("res-2", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->rows, 1);
  EXPECT_EQ(ds_->Job("res-2")->state, "done");
}

TEST_F(DatastoreTest, JobsLeftUnfinishedByAnEarlierProcessRunAtTheNextStart) {
  std::string db = (dir_ / "resume.db").string();
  std::string file = Write("later.csv", "a,b\n1,2\n3,4\n");
  {
    auto first = Datastore::Open(db);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*first)->Enqueue("res-9", 1, file).ok());  // never started: as if it had crashed
  }
  auto second = Datastore::Open(db);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE((*second)->Table("res-9").ok());
  (*second)->Start();
  (*second)->WaitIdle();
  auto t = (*second)->Table("res-9");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, 2);
}

TEST(ColumnIds, AreSafeUniqueAndReadable) {
  EXPECT_EQ(ColumnIds({"Số học sinh", "Số học sinh", "", "2024", "_id"}),
            (std::vector<std::string>{"so_hoc_sinh", "so_hoc_sinh_2", "cot_3", "c_2024", "id"}));
}

TEST(Delimited, QuotesOnlyWhatNeedsIt) {
  std::string out;
  AppendDelimitedRow(out, {1, "a,b", "say \"x\"", nullptr, true, 2.5}, ',');
  EXPECT_EQ(out, "1,\"a,b\",\"say \"\"x\"\"\",,true,2.5\r\n");
}

}  // namespace
}  // namespace odp::datastore

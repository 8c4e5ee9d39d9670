// What is PostgreSQL's own: how its tables are read (plans). The behaviour both back-ends share
// is tested through the service in datastore_test.cpp, on whichever ODP_TEST_PG selects.
#include "datastore/pg_backend.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "datastore/datastore.h"
#include "datastore/pg.h"
#include "testing/test_db.h"

namespace odp::datastore {
namespace {

// A datastore on the PostgreSQL cluster of ODP_TEST_PG; skipped without one.
class PgBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("odp-pgb-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<testing::TestDatabase>(dir_.string());
    if (!db_->postgres()) GTEST_SKIP() << "PostgreSQL only (ODP_TEST_PG)";
    auto ds = Datastore::Open({.path = (dir_ / "datastore.db").string(), .pg_url = db_->url()});
    ASSERT_TRUE(ds.ok()) << ds.status().message();
    ds_ = std::move(*ds);
  }
  void TearDown() override {
    ds_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<Datastore> ds_;
};

// A page filtered on an indexed column of few values is read through that
// column's index, not in `_id` order throwing away the rows that do not match (what the
// planner chooses with its default random_page_cost).
TEST_F(PgBackendTest, AFilteredPageIsReadThroughTheColumnsIndex) {
  // Rows as wide as a register's (a few hundred bytes), so that reading in `_id` order means
  // reading many pages.
  std::string address;
  for (int w = 0; w < 30; ++w) address += "0123456789";
  std::string csv = "ma,phuong,ten,dia_chi\n";
  for (int i = 0; i < 20000; ++i) {
    csv += std::to_string(100000 + i) + ",Phường " + std::to_string((i * 7919) % 14) + ",Hộ " +
           std::to_string(i) + "," + std::to_string(i) + "-" + address + "\n";
  }
  auto t = ds_->Load("p", 1, Write("p.csv", csv));
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_TRUE(ds_->BuildIndexes("p", 1).ok());
  auto tables = pg::Tables::Open(db_->url());
  ASSERT_TRUE(tables.ok()) << tables.status().message();
  pg::Tables::Lease conn(**tables);
  ASSERT_TRUE(conn.status().ok());
  auto plan = conn->Query("EXPLAIN SELECT * FROM " + (*tables)->Ref(t->table) +
                              " WHERE (\"phuong\" = $1) ORDER BY _id LIMIT 100 OFFSET 0",
                          {std::string("Phường 3")});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::string text;
  for (int i = 0; i < plan->rows(); ++i) text += std::string(plan->text(i, 0)) + "\n";
  EXPECT_NE(text.find("Index Cond: (phuong ="), std::string::npos) << text;
  // And the rows are those of the filter, in `_id` order.
  Query q;
  q.filters["phuong"] = {"Phường 3"};
  auto r = ds_->Search(*t, q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rows.size(), 100u);
  EXPECT_GT(r->total, 1300);
  for (size_t i = 1; i < r->rows.size(); ++i) EXPECT_LT(r->rows[i - 1][0], r->rows[i][0]);
}

}  // namespace
}  // namespace odp::datastore

// Test support: the database a test's store lives in. SQLite in the test's directory by default;
// when ODP_TEST_PG names a PostgreSQL server (scripts/pg-cluster.sh), a fresh schema there,
// dropped afterwards, so that every store test runs against both back-ends.
#pragma once

#include <string>

namespace odp::testing {

class TestDatabase {
 public:
  // `dir`: the test's temporary directory (holds the SQLite file).
  explicit TestDatabase(const std::string& dir);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The URL to open the store with (`--db`).
  const std::string& url() const { return url_; }
  bool postgres() const { return !schema_.empty(); }
  // A second, empty database of the same kind (for copies and fresh-schema tests).
  static std::string FreshUrl(const std::string& dir, const std::string& name);

 private:
  std::string url_;
  std::string schema_;
};

}  // namespace odp::testing

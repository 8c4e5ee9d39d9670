#include "testing/test_db.h"

#include <cstdlib>
#include <stdexcept>

#include "base/ids.h"
#include "store/pg_db.h"

namespace odp::testing {
namespace {

const char* PgBase() {
  const char* base = std::getenv("ODP_TEST_PG");
  return base && *base ? base : nullptr;
}

void RunOnBase(const std::string& sql) {
  auto conn = store::internal::PgConnection::Open(PgBase());
  if (!conn.ok()) throw std::runtime_error(conn.status().message());
  Status s = conn.value()->Exec(sql);
  if (!s.ok()) throw std::runtime_error(s.message());
}

std::string NewSchema() {
  std::string schema = "t_" + NewUuid();
  for (char& c : schema) {
    if (c == '-') c = '_';
  }
  RunOnBase("CREATE SCHEMA " + schema);
  return schema;
}

std::string SchemaUrl(const std::string& schema) {
  std::string base = PgBase();
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

}  // namespace

TestDatabase::TestDatabase(const std::string& dir) {
  if (!PgBase()) {
    url_ = dir + "/odp.db";
    return;
  }
  schema_ = NewSchema();
  url_ = SchemaUrl(schema_);
}

TestDatabase::~TestDatabase() {
  if (schema_.empty()) return;
  try {
    RunOnBase("DROP SCHEMA IF EXISTS " + schema_ + "_ds CASCADE; DROP SCHEMA " + schema_ +
              " CASCADE");
  } catch (const std::exception&) {
    // The cluster is thrown away after the run; a leftover schema harms nothing.
  }
}

std::string TestDatabase::FreshUrl(const std::string& dir, const std::string& name) {
  if (!PgBase()) return dir + "/" + name + ".db";
  return SchemaUrl(NewSchema());
}

}  // namespace odp::testing

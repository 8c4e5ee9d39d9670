// The SQLite driver for the SQL store: a thin RAII layer over the SQLite C API.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "base/status.h"
#include "store/sql.h"

namespace odp::store::internal {

class SqliteConnection final : public sql::Connection {
 public:
  // Opens (creating if needed) the database at `path` in WAL mode with foreign keys on.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path);
  ~SqliteConnection() override;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  Status Exec(const std::string& sql) override;
  Result<std::unique_ptr<sql::Statement>> Prepare(std::string_view sql) override;
  int64_t Changes() const override { return sqlite3_changes64(db_); }
  sqlite3* raw() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Maps a SQLite result code to a Status (constraint violations become kAlreadyExists/kConflict).
Status SqliteError(sqlite3* db, int rc, std::string_view context);

}  // namespace odp::store::internal

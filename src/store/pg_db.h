// The PostgreSQL driver for the SQL store, over libpq. Statements keep SQLite's `?`/`?N`
// placeholders; Prepare rewrites them to `$N`. Values travel as text, so the store's INTEGER
// columns (BIGINT on PostgreSQL) and TEXT columns need no per-type code.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "store/sql.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace odp::store::internal {

class PgConnection final : public sql::Connection {
 public:
  // Connects to `url` (a libpq URI, "postgresql://user@host/db?…").
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);
  ~PgConnection() override;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  Status Exec(const std::string& sql) override;
  Result<std::unique_ptr<sql::Statement>> Prepare(std::string_view sql) override;
  int64_t Changes() const override { return changes_; }
  bool Healthy() const override;
  Result<bool> WaitForNotification(int timeout_ms) override;

  PGconn* raw() { return conn_; }
  void set_changes(int64_t n) { changes_ = n; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  PGconn* conn_;
  int64_t changes_ = 0;
};

// Rewrites SQLite placeholders (`?`, `?N`) to PostgreSQL's (`$N`), leaving quoted text alone.
std::string ToPgPlaceholders(std::string_view sql);

// Maps a failed result to a Status by its SQLSTATE (unique violations become kAlreadyExists,
// other integrity violations kConflict, lost connections and serialisation failures
// kUnavailable). `res` may be null (connection-level failure).
Status PgError(PGconn* conn, const PGresult* res, std::string_view context);

// Hides the password of a connection URL for logs and messages.
std::string RedactPgUrl(const std::string& url);

}  // namespace odp::store::internal

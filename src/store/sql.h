// A small SQL driver interface: what the SQL store needs of a database connection, so that one
// implementation of Store (SqlStore) runs on SQLite and on PostgreSQL. Statements are written
// with `?` or `?N` placeholders (SQLite's spelling); the PostgreSQL driver rewrites them to `$N`.
// A Connection is used by one thread at a time; the store's pool hands them out.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace odp::store::sql {

enum class Dialect { kSqlite, kPostgres };

class Statement {
 public:
  virtual ~Statement() = default;

  // Binds are 1-based, in the order of the placeholders (or by their number).
  virtual Statement& Bind(int index, std::string_view text) = 0;
  virtual Statement& Bind(int index, int64_t value) = 0;
  virtual Statement& BindNull(int index) = 0;
  // Without these, a `const char*` would bind as a bool.
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }

  // Returns true when a row is available, false at the end; errors become a Status.
  virtual Result<bool> Step() = 0;
  // Runs to completion, expecting no rows.
  Status Run();

  virtual std::string Text(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  virtual bool IsNull(int col) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters.
  virtual Status Exec(const std::string& sql) = 0;
  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;
  // Rows changed by the last statement run on this connection.
  virtual int64_t Changes() const = 0;
  // False when the connection is broken and should be replaced (PostgreSQL after a restart).
  virtual bool Healthy() const { return true; }
  // Waits up to `timeout_ms` for a notification on a channel this connection LISTENs to (true
  // when one came). Without notifications (SQLite) it sleeps and returns false.
  virtual Result<bool> WaitForNotification(int timeout_ms);
};

}  // namespace odp::store::sql

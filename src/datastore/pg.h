// The datastore's tables on PostgreSQL (internal): connections with their prepared statements,
// the schema the tables live in, and results read as text. datastore.cpp (loading) and
// query.cpp (reading) use it when the portal's database is PostgreSQL.
//
// Layout: every resource version is a table `<schema>."r_<id>_v<n>"` with `_id bigint`, one
// column per field (bigint for integers and booleans, double precision for numbers, text
// COLLATE "C" for dates, datetimes and strings, so that text sorts by its bytes as in SQLite),
// and a hidden column made by the loader in C++: `_fold`, the folded text of the string columns
// joined by U+001F (what `contains`, `startswith` and an unindexed `q` search). An indexed `q`
// searches the words of `_fold` (`<schema>.odp_words(_fold)`: split where the query side splits,
// made a tsvector without any text parser) through a GIN index on that expression, built with
// the others.
// `<schema>.ds_tables` registers complete versions. `<schema>_sql` holds one view per resource
// datastore_search_sql runs each query logged in as a role made for that request, which may
// read only views (in a schema made for that request) of the tables the caller may read.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace odp::datastore::pg {

// A result, read as text.
class Result_ {
 public:
  explicit Result_(PGresult* r = nullptr) : r_(r) {}
  Result_(Result_&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result_& operator=(Result_&& o) noexcept {
    if (this != &o) {
      if (r_) PQclear(r_);
      r_ = o.r_;
      o.r_ = nullptr;
    }
    return *this;
  }
  Result_(const Result_&) = delete;
  ~Result_() {
    if (r_) PQclear(r_);
  }
  int rows() const { return r_ ? PQntuples(r_) : 0; }
  int columns() const { return r_ ? PQnfields(r_) : 0; }
  bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string_view text(int row, int col) const {
    return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
  }
  int64_t integer(int row, int col) const;
  double number(int row, int col) const;
  PGresult* get() const { return r_; }

 private:
  PGresult* r_;
};

using Params = std::vector<std::optional<std::string>>;

class Conn {
 public:
  static odp::Result<std::unique_ptr<Conn>> Open(const std::string& url);
  // The database of `url`, logged in as `user` with `password`, with server `options`.
  static odp::Result<std::unique_ptr<Conn>> OpenAs(const std::string& url, const std::string& user,
                                                   const std::string& password, const std::string& options);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  PGconn* raw() const { return conn_; }
  bool Healthy() const;
  // Statements without parameters, several allowed (simple protocol).
  Status Exec(const std::string& sql);
  // One statement with `$n` parameters (text; nullopt = NULL). `prepare`: kept prepared on this
  // connection under its text, so that asking again skips parsing and planning.
  odp::Result<Result_> Query(const std::string& sql, const Params& params = {}, bool prepare = false);

 private:
  explicit Conn(PGconn* c) : conn_(c) {}
  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
};

// An error of `conn` (and `res`, which may be null) as a Status.
Status Error(PGconn* conn, const PGresult* res, std::string_view what);

// Appends `v` to a COPY text-format line (backslash, tab, newline and CR escaped).
void AppendCopyText(std::string& out, std::string_view v);

// The tables' home.
class Tables {
 public:
  // Connects to `url`, creates the schema, the registry, the views' schema and the reader role
  // (when missing), and starts listening for tables registered by other servers.
  static odp::Result<std::unique_ptr<Tables>> Open(const std::string& url);
  ~Tables();

  const std::string& url() const { return url_; }
  const std::string& schema() const { return schema_; }          // "datastore" (or "<schema>_ds")
  const std::string& views() const { return views_; }            // schema_ + "_sql"
  // "schema"."table"
  std::string Ref(const std::string& table) const;

  // A pooled connection, given back when the lease ends.
  class Lease {
   public:
    explicit Lease(Tables& t);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    const Status& status() const { return status_; }
    Conn* operator->() const { return conn_; }
    Conn& operator*() const { return *conn_; }

   private:
    Tables& t_;
    Conn* conn_ = nullptr;
    Status status_;
  };

  // Bumped whenever a table is registered or indexed, here or (via NOTIFY) by another server:
  // cached table descriptions older than it are stale.
  int64_t generation() const;
  void Bump();

 private:
  Tables() = default;
  void Listen();

  std::string url_, schema_, views_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  size_t open_ = 0;                          // guarded by mu_
  static constexpr size_t kPool = 8;
  std::atomic<int64_t> generation_{0};
  std::atomic<bool> stop_{false};
  std::unique_ptr<Conn> listener_;
  std::thread listen_thread_;
};

}  // namespace odp::datastore::pg

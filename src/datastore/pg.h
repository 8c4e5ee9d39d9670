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
//
// The datastore on PostgreSQL (`datastore/pg.h`, `pg.cpp`, `pg_backend.cpp`). With `--db
// postgresql://…`, `Datastore::Open` is given the URL and keeps no SQLite file: every version
// is a table `datastore."r_<id>_v<n>"` (schema `<schema>_ds` when the URL selects a schema of
// its own, so that tests and portals sharing a cluster stay apart), registered in
// `datastore.ds_tables` as in SQLite. Column types: integers and booleans `bigint` (booleans
// 0/1, as in SQLite), numbers `double precision`, dates, datetimes and strings `text COLLATE
// "C"` (bytewise order and comparison, as SQLite's `BINARY`). A hidden column is made by the
// loader in C++, since Vietnamese folding is C++ (`text::FoldVietnamese`) on both back-ends:
// `_fold`, the folded text of the string columns joined by U+001F (`contains`/`startswith` read
// a column's part with `split_part`; an unindexed `q` is `strpos(_fold, …)`); an indexed `q`
// uses a GIN index on `<schema>.odp_words(_fold)`, the same words the query side splits (runs
// of ASCII letters and digits and of non-ASCII bytes) made a `tsvector` in SQL without a text
// parser, so `q` finds what it finds on SQLite. The two passes of a CSV load overlap: once the
// first pass has profiled 2,000 rows, the table is loaded on a second thread (reading the file
// again) with the types those rows give, while the first pass profiles the rest; before that
// load commits it waits for the first pass and compares its final types and number styles with
// its own. Equal (nearly always), it commits: the same rows a load after the first pass would
// write. Not equal (a value far down that does not fit), it rolls back and the file is loaded
// again with the file's types (logged). A load is one transaction on a connection of its own:
// `CREATE TABLE` (without its primary key), one `COPY … FROM STDIN WITH (FORMAT binary)` (pass
// 2 types each cell with the same `TypeCell` as SQLite's loader and writes big-endian integers
// and doubles and length-prefixed text; 1 MiB pieces are queued to a sender thread, so that the
// server parses one piece while the loader types and folds the next), `ALTER TABLE … ADD
// PRIMARY KEY (_id)` (one sorted build instead of an insert per row), the key and geopoint
// checks (`CheckLoadedTable`, shared), the registration, `NOTIFY odp_tables`, `COMMIT`; a
// cancel, a shutdown or a dead server rolls back the lot. Indexes: one per column (named by
// PostgreSQL: table names leave too little room under 63 bytes), the GIN index, `ANALYZE`.
// Queries are built by the same functions as SQLite's (`WhereClause`, `KeysetClause`,
// `BuildSelect` with a `pg` flag): NULL first ascending and last descending spelled out (`NULLS
// FIRST`/`LAST`), `TRUE`/`FALSE` instead of 1/0, `LIMIT ALL`, values a column cannot hold
// dropped from `=`/`IN` (PostgreSQL refuses to compare them; SQLite compares and finds
// nothing), `?` rewritten to `$n`; pages run as prepared statements on a pool of eight
// connections. Those connections set `random_page_cost` to 1.1 (unless the operator set it for
// the server, database or role): with the default of 4, meant for spinning disks, the planner
// reads a page filtered on a column of few values through the `_id` index and throws away the
// rows that do not match (13 for each one kept on the benchmark's register) instead of reading
// them from the `(column, _id)` index, ten times the work (0.77 against 0.10 ms in `EXPLAIN
// ANALYZE`); exports read through `DECLARE … CURSOR` in batches of 5,000 rows on a connection
// of their own; aggregates use `COALESCE(sum(…), 0)` for SQLite's `total()`; version diffs
// compare columns as text (a column's type may change between versions). `datastore_search_sql`
// makes, on a pooled connection and committed, a role for the request (`odp_q_<uuid>`, LOGIN
// with a random password, `CONNECTION LIMIT 1`, valid ten minutes) and a schema of the same
// name holding a view for every version the caller may read among those the query's text names
// (by resource id for the newest, and by table name), granted to that role alone; then it logs
// in as that role on a connection of its own (`search_path` = that schema, `statement_timeout`,
// `default_transaction_read_only`), runs `BEGIN READ ONLY`, declares the query as a cursor
// (`DECLARE … CURSOR FOR <sql>` accepts only a SELECT or VALUES, and the extended protocol only
// one statement) and fetches it in batches of 1,000, measuring every value and the whole
// answer; the role and schema are dropped at the end (expired leftovers at the next start).
// Because the query's session *is* that role, nothing it runs can take more rights:
// `set_config('role', 'none')` returns to the same role, and SQL run from text (`query_to_xml`,
// `ts_stat`) runs as it too. A table the caller may not read has no view, so PostgreSQL's
// "relation does not exist" is what a missing table gets too; errors are spelled as SQLite
// spells them ("no such table: X"). The portal's user needs `CREATEROLE`, and `pg_hba.conf`
// must let the request roles log in with a password. What PostgreSQL allows that SQLite's
// limits did not: a query may build a value of up to 1 GB before the time limit stops it (it is
// refused on the way out beyond `max_value_bytes`).
#pragma once

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

#include <libpq-fe.h>

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
                                                   const std::string& password,
                                                   const std::string& options);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  PGconn* raw() const { return conn_; }
  bool Healthy() const;
  // Statements without parameters, several allowed (simple protocol).
  Status Exec(const std::string& sql);
  // One statement with `$n` parameters (text; nullopt = NULL). `prepare`: kept prepared on this
  // connection under its text, so that asking again skips parsing and planning.
  odp::Result<Result_> Query(const std::string& sql, const Params& params = {},
                             bool prepare = false);

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
  const std::string& schema() const { return schema_; }  // "datastore" (or "<schema>_ds")
  const std::string& views() const { return views_; }    // schema_ + "_sql"
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

// Internals shared by the datastore's source files (datastore.cpp: loading and bookkeeping;
// query.cpp: reading). Not part of the datastore's interface.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "datastore/backend.h"
#include "datastore/datastore.h"

namespace odp::datastore {

namespace ingest {
class PrefetchRows;
}  // namespace ingest

Status SqlError(sqlite3* db, const std::string& what);
Status Exec(sqlite3* db, const std::string& sql);
// datastore_search_sql's answer outgrew its limit (Conflict), on both back-ends.
Status AnswerTooLarge(int64_t limit);
// `text` with every absolute file path cut to its last part ("…/name"): load errors are shown
// to anyone who may read the resource, and the server's directories are none of their business.
std::string WithoutPaths(const std::string& text);
// What a text weighs in a JSON answer: its bytes, quotes and escapes.
int64_t JsonWeight(std::string_view text);
// The longest value a SQLite query may make (see SearchSql).
inline constexpr int kSqlMaxValueBytes = 256 * 1024;

// RAII statement.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s); }
};
Status Prepare(sqlite3* db, const std::string& sql, Stmt& st);

std::string Quote(const std::string& id);
// The full-text index of a table.
std::string FtsName(const std::string& table);

// Opens a connection with the datastore's SQL functions (odp_fold).
Status OpenConnection(const std::string& path, int flags, sqlite3** conn);

// Prepared statements of one pooled connection, by their SQL, the most recently used first: a
// page of rows or a search asked again skips preparing its SELECT. Only the thread that leases
// the connection touches its cache.
class StmtCache {
 public:
  ~StmtCache();
  // A statement for `sql` from the cache (removed from it), or nullptr.
  sqlite3_stmt* Take(const std::string& sql);
  // Keeps `s` (reset, bindings cleared) for the next Take of `sql`; the least recently used
  // beyond kSize is finalised.
  void Give(const std::string& sql, sqlite3_stmt* s);

 private:
  static constexpr size_t kSize = 32;
  std::vector<std::pair<std::string, sqlite3_stmt*>> entries_;  // most recent last
};

// A connection of datastore_search_sql and what it knows of the database's names, made again
// whenever the database changed (query.cpp).
struct SqlConn {
  sqlite3* db = nullptr;
  int64_t version = -1;                       // the data_version its views were made for
  std::map<std::string, std::string> tables;  // lower-case table or view name -> resource id
  std::set<std::string> names;                // lower-case: every other name it must not show
  std::map<int64_t, std::string> root_table;  // root page in main -> lower-case table it stores
  std::set<std::string> table_vtabs;          // "vtab:<address>" of json_each and json_tree
  ~SqlConn();
};

// The SQLite tables' connections. The loading thread writes through `writer` (one load at a
// time: Datastore serialises them); queries take a connection from the read pool; `watch` notices
// commits made by other processes (`odp import` beside `odp serve`).
struct SqliteDb {
  std::string path;
  sqlite3* writer = nullptr;
  sqlite3* watch = nullptr;

  std::mutex pool_mu;
  std::condition_variable pool_cv;
  std::vector<sqlite3*> idle;  // guarded by pool_mu
  std::vector<sqlite3*> all;   // guarded by pool_mu
  std::map<sqlite3*, std::unique_ptr<StmtCache>>
      stmt_caches;  // one per pooled connection; guarded by pool_mu
  static constexpr size_t kReaders = 4;

  // "PRAGMA data_version" on `watch`, prepared once; guarded by SqlBackend::cache().mu.
  Stmt data_version_stmt;

  // datastore_search_sql: read-only connections with a view per resource, leased one per
  // query (the API bounds how many queries run at once).
  std::mutex sql_mu;
  std::condition_variable sql_cv;
  std::vector<std::unique_ptr<SqlConn>> sql_idle;  // guarded by sql_mu
  int sql_open = 0;                                // guarded by sql_mu
  static constexpr int kSqlConns = 4;

  ~SqliteDb();
};

// A read connection from the pool, given back when destroyed.
class ReadLease {
 public:
  explicit ReadLease(SqliteDb& db);
  ~ReadLease();
  ReadLease(const ReadLease&) = delete;
  ReadLease& operator=(const ReadLease&) = delete;
  sqlite3* get() const { return conn_; }
  StmtCache& statements() const { return *cache_; }

 private:
  SqliteDb& db_;
  sqlite3* conn_ = nullptr;
  StmtCache* cache_ = nullptr;
};

// A value bound to a statement parameter.
void BindJson(sqlite3_stmt* s, int index, const nlohmann::json& v);

// The SQL name of a version's table ("r_<id>_v<n>").
std::string TableName(const std::string& resource_id, int version);

// Counts an issue by kind and keeps the first kMaxIssues.
void AddIssue(TableInfo& t, IngestIssue issue);

// A value of pass 2 of a load as its column stores it.
struct Typed {
  enum Kind { kNull, kInt, kReal, kText } kind = kNull;
  int64_t i = 0;
  double d = 0;
  std::string_view s;        // into the caller's buffer
  bool placeholder = false;  // a numeric column's "-", "…", "x", …: stored empty, to be counted
};
// Types one trimmed cell as `f` says (text goes into `buf`). False when a non-empty value does not
// fit a type the publisher chose (it is then stored empty); inferred types fit every value.
bool TypeCell(const Field& f, std::string_view raw, std::string& buf, Typed& out);
// Reports a value that did not fit column `c`'s type: `not_a_number` (with what to do) in a
// numeric column, `type_mismatch` in another.
void AddMisfit(TableInfo& t, int64_t line, size_t c, std::string_view raw);
// Reports the placeholders stored empty, `per_column[c]` in column c: one entry per column,
// counted per cell.
void ReportPlaceholders(TableInfo& t, const std::vector<int64_t>& per_column);
// Reports the first non-empty cell beyond the header's `columns` columns.
void ReportExtraCells(TableInfo& t, const std::vector<std::string>& row, int64_t line,
                      size_t columns);

// Pass 2's rows, read the same way by every back-end's WriteRows: the data rows of `rows` after
// the first `to_skip` (by position, not line: a JSON array's header and first record share a
// line), blank rows left out, each cell trimmed and typed by its field (TypeCell). What does
// not fit is reported into `t` as it is met (AddMisfit, ReportExtraCells, placeholders counted);
// Finish() reports the rest. `masks` (personal data) are applied to each row before it is typed,
// here and only here, so that neither back-end ever writes a raw value of a masked column.
class TypedRows {
 public:
  TypedRows(TableInfo& t, ingest::PrefetchRows& rows, size_t to_skip, const CellMasks& masks);
  // From the first data row again (the source rewound).
  Status Rewind();
  // The next data row; false at the end or on a read error (Finish() says which).
  bool Next();
  // The row's cells, one per field. Text views point into buffers of this reader, valid until
  // the next Next(); `text(c)` is column c's buffer, for a back-end that must edit it.
  const std::vector<Typed>& cells() const { return cells_; }
  std::string& text(size_t c) { return texts_[c]; }
  Typed& cell(size_t c) { return cells_[c]; }
  int64_t line() const;
  int64_t bytes_read() const;
  // After Next() returned false: the source's failure, or else the end-of-table reports (the
  // placeholders left empty per column, a quote not closed at the end of a CSV file).
  Status Finish();

 private:
  TableInfo& t_;
  ingest::PrefetchRows& rows_;
  const size_t skip_;
  size_t to_skip_;
  std::vector<std::string> row_, texts_;
  std::vector<Typed> cells_;
  std::vector<int64_t> placeholders_;
  const CellMasks& masks_;
};

// Runs one SQL query on the table being loaded, calling back with each row as text ("" for NULL).
using RowQuery = std::function<Status(
    const std::string& sql, const std::function<void(const std::vector<std::string>&)>& on_row)>;
// After the rows are in (same transaction): duplicate and missing primary keys reported into
// `t.issues`, and the geopoint found when every latitude and longitude is a coordinate.
// `table_sql` names the table in SQL.
Status CheckLoadedTable(TableInfo& t, const std::string& table_sql, const RowQuery& query);

nlohmann::json InfoToJson(const TableInfo& t);
// A column review as stored in table descriptions and load options ({} for none).
nlohmann::json ReviewToJson(const ColumnReview& r);
ColumnReview ReviewFromJson(const nlohmann::json& j);
TableInfo InfoFromJson(const std::string& resource_id, int version, const nlohmann::json& j,
                       int64_t created);

}  // namespace odp::datastore

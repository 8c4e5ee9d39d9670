// The datastore: every tabular file (CSV, TSV, XLSX, XLS, JSON, …) of a resource version
// becomes a typed table that can be queried. Tables live in their own SQLite database
// (DATA/datastore.db), one table per resource version; a version becomes visible only when it
// is completely loaded, so a failed or interrupted load leaves the previous version serving.
//
// Loading reads the file twice: once to find the header row and infer every column's type over
// all values, once to insert the typed rows; then one index per column and a full-text index
// are built. Thread-safe: loads run on one background thread, queries on any thread through a
// small pool of read connections (WAL: readers never wait for a load).
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/status.h"
#include "datastore/infer.h"
#include "formats/rows.h"

namespace odp::store {
class Store;
}
namespace odp::formats {
class PrefetchRows;
}
namespace odp::datastore::pg {
class Tables;
}

struct sqlite3_stmt;

namespace odp::datastore {

struct Field {
  std::string id;     // safe identifier derived from the label ("so_hoc_sinh")
  std::string label;  // the header as written ("Số học sinh")
  ColumnType type = ColumnType::kString;
  NumberStyle style = NumberStyle::kVietnamese;
  std::string description;  // written by the publisher
};

// What the publisher says about a column, applied over what the loader inferred.
struct FieldOverride {
  std::string id;
  std::optional<ColumnType> type;  // values that do not fit become empty, each reported
  std::string label;               // "" keeps the header's
  std::optional<std::string> description;  // unset keeps what was said before ("" clears)
};

// A problem found while loading, with where it is (1-based line and column of the file).
struct IngestIssue {
  std::string kind;  // "extra_cells", "invalid_utf8", …
  int64_t line = 0;
  int column = 0;
  std::string message_vi;
  std::string message_en;
};

// How to read an upload; empty values are detected from the file.
struct LoadOptions {
  std::string format;    // "csv", "tsv", "xlsx", "xls", "json", "ndjson"; "" from the file's bytes
  std::string encoding;  // delimited text: "utf-8", "windows-1258", "tcvn3", "vni", "viscii", "utf-16"
  int sheet = -1;        // workbooks: the sheet (0-based); -1 the first
  // Workbooks: every sheet stacked into one table, columns matched by their header labels, with
  // a first column naming the sheet (a register kept as one sheet per district or year).
  bool all_sheets = false;
  std::vector<FieldOverride> fields;
  std::vector<std::string> primary_key;  // field ids; duplicates and empty keys are reported
};

// `change` laid over `base`: each field's type, label and description where `change` says one,
// the primary key when `change` names one, the sheet and encoding when set. What a schema
// change or a new upload does to the options the publisher set earlier.
LoadOptions MergeOptions(LoadOptions base, const LoadOptions& change);

struct TableInfo {
  std::string resource_id;
  int version = 0;
  std::string table;  // SQL name
  std::vector<Field> fields;
  int64_t rows = 0;
  int64_t header_line = 0;
  char delimiter = ',';
  std::string source;    // what was read: "CSV ;", "XLSX: Dân số", …
  std::string encoding;  // the text encoding found (delimited text), "" for other formats
  std::vector<IngestIssue> issues;  // the first kMaxIssues
  std::map<std::string, int64_t> issue_counts;
  int64_t created = 0;
  bool indexed = false;  // one index per column and the full-text index are built
  std::vector<std::string> primary_key;
  // A geopoint: the latitude and longitude columns (ids), found by their names when both are
  // numbers and every value is a valid coordinate; empty when the table has none. GeoJSON
  // exports and maps use them.
  std::string latitude, longitude;
};

// How one version differs from an earlier one: by primary key when both declare the same one
// (a row with the same key and other values is "changed"), else as sets of whole rows.
struct VersionDiff {
  int from = 0, to = 0;
  std::vector<std::string> key;  // empty: compared as whole rows
  int64_t added = 0, removed = 0, changed = 0;
  std::vector<std::string> added_columns, removed_columns;
};

// The state of the load of one resource version.
struct IngestJob {
  std::string resource_id;
  int version = 0;
  std::string state;  // "queued", "running", "indexing", "done", "failed", "cancelled"
  std::string error_vi, error_en;
  int64_t bytes_done = 0, bytes_total = 0, rows_done = 0;
  int64_t updated = 0;
};

// A condition of the REST filter grammar (docs/api.md): `field[op]=value`.
enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kContains, kStartsWith, kIsNull, kNotNull };
// "eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "startswith", "null", "notnull".
const char* OpName(Op op);
std::optional<Op> ParseOp(std::string_view name);

struct Condition {
  std::string field;
  Op op = Op::kEq;
  std::vector<std::string> values;  // one, or several for kIn; none for the null tests
};

struct Query {
  std::map<std::string, std::vector<std::string>> filters;  // field id -> accepted values (OR)
  std::vector<Condition> where;                             // all must hold (AND)
  std::string q;  // words found in the text columns, compared folded (tone marks and case ignored)
  std::vector<std::string> fields;                          // empty: all
  std::vector<std::pair<std::string, bool>> sort;           // field id, descending
  int64_t limit = 100;  // Search: 0 gives no rows (counts only); Open/Scan: 0 means no limit
  int64_t offset = 0;
  bool include_total = true;
  // Keyset paging: the sort key (the sort fields' values, then `_id`) of the last row already
  // seen; rows after it are returned. A page deep in a table costs the same as the first.
  std::optional<std::vector<nlohmann::json>> after;
  // Only rows with first < _id <= second. A cursor opened with a range reads one snapshot of
  // the table and can be restarted on another range (Cursor::Restart): exports read a table in
  // ranges on several threads.
  std::optional<std::pair<int64_t, int64_t>> id_range;
};

struct QueryResult {
  std::vector<Field> fields;  // the selected ones, in order (with "_id" first)
  std::vector<std::vector<nlohmann::json>> rows;
  int64_t total = -1;  // -1 when not asked
  // The sort key of the last row when the page is full (more rows may follow): pass it as
  // Query::after for the next page.
  std::optional<std::vector<nlohmann::json>> next;
};

// Group-by with aggregate functions, for charts: `SELECT g…, fn(field)… GROUP BY g…`.
struct Metric {
  std::string fn;     // "count", "sum", "avg", "min", "max"
  std::string field;  // empty for count
};
struct AggregateQuery {
  Query filter;                       // its filters, where and q select the rows
  std::vector<std::string> group_by;  // none: one row over the whole selection
  std::vector<Metric> metrics;        // none: count
  int64_t limit = 1000;               // groups
  bool order_by_value = false;        // largest first metric first, else by the group columns
};
struct AggregateResult {
  std::vector<std::string> columns;  // group ids then "count", "sum_dien_tich", …
  std::vector<std::vector<nlohmann::json>> rows;
};

// The answer to one read-only SQL query (CKAN datastore_search_sql).
struct SqlResult {
  std::vector<std::pair<std::string, std::string>> fields;  // name, CKAN type ("int", "numeric", "text")
  std::vector<std::vector<nlohmann::json>> rows;
  bool truncated = false;
};
struct SqlLimits {
  int64_t max_rows = 32000;
  int timeout_ms = 5000;
  int max_value_bytes = 16 << 20;  // the longest text or blob a query may build
  // The whole answer's values (text and blob bytes, 8 per number): beyond it the query is
  // stopped and refused (Conflict) rather than its rows piled up in memory.
  int64_t max_answer_bytes = 32 << 20;
};

// Rows of one query, read one at a time (exports). Holds one of the datastore's read
// connections until destroyed. Column 0 is `_id`, then the selected fields in order.
class Cursor {
 public:
  ~Cursor();
  bool Next();  // false at the end or on an error (see status())
  Status status() const;
  size_t columns() const { return types_.size(); }
  ColumnType type(size_t c) const { return types_[c]; }
  bool is_null(size_t c) const;
  int64_t integer(size_t c) const;
  double number(size_t c) const;
  std::string_view text(size_t c) const;
  nlohmann::json value(size_t c) const;
  int64_t rows_read() const { return rows_; }
  // The SQLite statement behind the cursor (nullptr on PostgreSQL), for a reader that takes
  // every cell of every row (exports) and calls SQLite once per cell rather than per fact.
  sqlite3_stmt* sqlite_statement() const;
  // A cursor opened with Query::id_range (SQLite): reads the rows of (first, last] next, in the
  // same snapshot of the table.
  Status Restart(int64_t first, int64_t last);

 private:
  friend class Datastore;
  Cursor() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<ColumnType> types_;
  int64_t rows_ = 0;
};

constexpr size_t kMaxIssues = 100;

class Datastore {
 public:
  // Opens (creating) the database at `path`. Queries work at once; loads wait for Start().
  // `limits` apply to every file read (the operator's ODP_TABLE_* settings). Jobs are queued in
  // `jobs` (the portal's store, shared by every server on it); without one, in a store of the
  // datastore's own beside `path`. ODP_JOB_LEASE_SECONDS (default 30) is how long a job whose
  // server stopped sending heartbeats waits before another takes it over.
  // With `pg_url` (a PostgreSQL URL: the portal's database), the tables are kept there instead of
  // in `path`: one table per version in the schema "datastore", loaded with COPY.
  static Result<std::unique_ptr<Datastore>> Open(const std::string& path, const formats::ReadLimits& limits = {},
                                                 store::Store* jobs = nullptr, const std::string& pg_url = "");
  ~Datastore();
  bool on_postgres() const { return pg_ != nullptr; }
  // Starts the loading thread: it claims queued jobs (its own and other servers'), and jobs
  // whose server died, one at a time, and loads them from the start. Only the processes that
  // load (serve, init, import) call it.
  void Start();
  // Stops the loading thread; a load in progress is abandoned at its next batch (rolled back,
  // queued again) and re-run by the next loading thread to claim it.
  void Stop();

  // Loads `file` as `version` of `resource_id` now, on the caller's thread: the table is
  // queryable when this returns. Indexes are built afterwards by BuildIndexes().
  Result<TableInfo> Load(const std::string& resource_id, int version, const std::string& file,
                         const LoadOptions& options = {});
  // One index per column and a full-text index over the folded text columns; until they
  // exist, filters and `q` scan the table.
  Status BuildIndexes(const std::string& resource_id, int version);
  // Loads `version` of `resource_id` again from the file and options its job recorded, now, with
  // its indexes (`odp copy` rebuilds every table this way on the other back-end).
  Result<TableInfo> LoadRecorded(const std::string& resource_id, int version);
  // A checksum of every row of a table (SHA-256 over the sorted hashes of the rows' JSON), to
  // compare a table across back-ends.
  Result<std::string> Checksum(const TableInfo& t) const;
  // Queues a load and its indexes for a loading thread (this server's or another's).
  Status Enqueue(const std::string& resource_id, int version, const std::string& file,
                 const LoadOptions& options = {});
  // Loads the newest file of `resource_id` again with other options (a sheet, an encoding,
  // column types, labels or descriptions, a primary key), without a new upload. The table is
  // replaced when the load is complete; until then the current one keeps serving.
  Status Reload(const std::string& resource_id, const LoadOptions& options);
  // How the newest file of `resource_id` was (or is being) read: what a new upload or a schema
  // change starts from, so that the publisher's column types, labels, descriptions, key and
  // sheet outlive the file they were set on. Defaults when nothing was loaded.
  LoadOptions Options(const std::string& resource_id) const;
  // Gives up the load of `resource_id`: a queued one never runs, a running one stops at its next
  // batch (on whichever server runs it); the previous version keeps serving. NotFound when
  // nothing is loading.
  Status Cancel(const std::string& resource_id);

  // The newest complete version's table (version 0), or a given version.
  Result<TableInfo> Table(const std::string& resource_id, int version = 0) const;
  Result<IngestJob> Job(const std::string& resource_id) const;  // the newest job
  // Every loaded version of a resource, oldest first.
  std::vector<int> Versions(const std::string& resource_id) const;
  Result<VersionDiff> Diff(const std::string& resource_id, int from, int to) const;
  Result<QueryResult> Search(const TableInfo& t, const Query& q) const;
  // The rows of a query one by one, without a limit unless the query has one (exports).
  Result<std::unique_ptr<Cursor>> Open(const TableInfo& t, const Query& q) const;
  // Calls `row` for every row of the query, for exports; stops when it returns false.
  Status Scan(const TableInfo& t, const Query& q,
              const std::function<bool(const std::vector<nlohmann::json>&)>& row) const;
  Result<AggregateResult> Aggregate(const TableInfo& t, const AggregateQuery& a) const;
  // Runs one read-only SELECT. Tables are named by resource id (`SELECT * FROM "<id>"`, the
  // newest version) or by their table names (`r_<id>_v<n>`, any version). Only the tables of
  // resources for which `may_read(resource_id)` is true can be read: every other name (another
  // resource's table, the bookkeeping tables, the schema, PRAGMA functions) answers exactly as a
  // table that does not exist, and what the compiled statement opens is checked against the
  // readable tables before it runs (sql_guard.h). Only allowlisted functions can be called. No
  // writes, ATTACH or PRAGMA. A query running past the time limit, or whose answer outgrows
  // `limits.max_answer_bytes`, is stopped (Conflict).
  Result<SqlResult> SearchSql(const std::string& sql, const std::function<bool(const std::string&)>& may_read,
                              const SqlLimits& limits = {}) const;

  // Called (on the loading thread) after each version is loaded, e.g. to invalidate cached pages.
  void SetOnLoaded(std::function<void(const TableInfo&)> fn);

  // Waits until no job is queued or running and this loading thread is idle (`odp init
  // --demo`, tests); returns at once when the thread is not started.
  void WaitIdle();

  struct Db;  // connections and caches (datastore.cpp)

 private:
  Datastore() = default;
  void Run();
  Status MoveOldJobs();
  // PostgreSQL (pg_tables.cpp): the table registered for a version (to replace), pass 2 of a
  // load (COPY), the indexes, the registry.
  Result<std::string> PgRegisteredTable(const std::string& resource_id, int version) const;
  // `before_commit` (optional) runs once the rows are in and checked, before the table is
  // registered: an error from it rolls the load back and is returned.
  Result<TableInfo> PgWriteRows(TableInfo t, formats::PrefetchRows& rows, size_t to_skip, int64_t pass1_bytes,
                                const std::string& replaced, const std::function<void(int64_t, int64_t)>& progress,
                                const std::function<Status()>& stop_requested,
                                const std::function<Status(const TableInfo&)>& before_commit = nullptr);
  Status PgBuildIndexes(TableInfo t);
  // How SQL names the table of `t` (schema-qualified on PostgreSQL).
  std::string TableSql(const TableInfo& t) const;
  Result<TableInfo> PgTable(const std::string& resource_id, int version) const;
  std::vector<int> PgVersions(const std::string& resource_id) const;
  Result<SqlResult> PgSearchSql(const std::string& sql, const std::function<bool(const std::string&)>& may_read,
                                const SqlLimits& limits) const;
  formats::ReadLimits limits_;
  Status SaveJob(const IngestJob& j);
  // A cursor over `sql` (types of every column it selects), on a pooled connection or its own.
  Result<std::unique_ptr<Cursor>> Prepared(const std::string& sql, const std::vector<nlohmann::json>& args,
                                           std::vector<ColumnType> types, bool own_connection) const;
  Result<TableInfo> LoadRows(const std::string& resource_id, int version, const std::string& file,
                             const LoadOptions& options, IngestJob& job);

  std::unique_ptr<Db> db_;
  std::unique_ptr<pg::Tables> pg_;              // the tables on PostgreSQL, or null (SQLite)
  store::Store* jobs_ = nullptr;                // the job queue
  std::unique_ptr<store::Store> own_jobs_;      // when no store was given
  std::string origin_;                          // this process's name in the job queue
  int64_t lease_us_ = 30 * int64_t{1000000};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;          // guarded by mu_: a job was queued here
  bool busy_ = false;          // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::atomic<bool> abandon_{false};  // set by Stop(): the running load gives up
  std::atomic<bool> cancelled_{false};  // set by Cancel() for the running load
  std::string running_;        // guarded by mu_: the resource being loaded
  std::thread worker_;
  std::function<void(const TableInfo&)> on_loaded_;  // guarded by mu_
};

// The `_id` column every table has (the row's number in the file's order).
const Field& IdField();

// The columns a query returns after `_id`, in order: `q.fields` as asked (unknown ids left out),
// else all of the table's.
std::vector<Field> SelectedColumns(const TableInfo& t, const Query& q);

// Rows as delimited text with RFC 4180 quoting and CRLF line ends (no header line).
void AppendDelimitedRow(std::string& out, const std::vector<nlohmann::json>& row, char delimiter);
std::string DelimitedRows(const std::vector<std::vector<nlohmann::json>>& rows, char delimiter);
// One cell as delimited text (quoted when it holds the delimiter, a quote or a line break).
void AppendDelimitedCell(std::string& out, std::string_view text, char delimiter);

// Safe, unique column identifiers for header labels ("Số học sinh" → "so_hoc_sinh").
std::vector<std::string> ColumnIds(const std::vector<std::string>& labels);

}  // namespace odp::datastore

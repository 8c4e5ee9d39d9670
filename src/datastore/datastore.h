// The datastore: every tabular file (CSV, TSV, XLSX, XLS, JSON, …) of a resource version
// becomes a typed table that can be queried. Tables live in their own SQLite database
// (DATA/datastore.db), one table per resource version; a version becomes visible only when it
// is completely loaded, so a failed or interrupted load leaves the previous version serving.
//
// Loading reads the file twice: once to find the header row and infer every column's type over
// all values, once to insert the typed rows; then one index per column and a full-text index
// are built. Thread-safe: loads run on one background thread, queries on any thread through a
// small pool of read connections (WAL: readers never wait for a load).
//
// Loading (`Datastore::Load`) reads the source twice:
//
// 1. Pass 1 reads up to 50 rows and takes as the header the first whose non-empty cells
//    reach 60 % of the widest of them, so title rows ("BÁO CÁO SỐ LIỆU TRƯỜNG HỌC 2024") and
//    blank rows above the header are skipped. `HeaderLabels` then checks for a header on two
//    rows: when the row below the header has text only, the row below that has numbers under
//    that text, and the header leaves cells empty (or repeats a merged label) above the second
//    row's labels, the two are joined ("Dân số" over "Nam" → `Dân số - Nam`) and both rows are
//    skipped. Empty cells at the end of the header are dropped. Every row after the header then
//    feeds the column profiles; blank rows are skipped. A cell that is not valid UTF-8 stops the
//    load there, with its line and column. The cancel and abandon flags are checked every 50,000
//    rows.
// 2. The publisher's settings (`LoadOptions::fields`, from the schema route) are applied
//    over what was inferred: a type, a label, a description per column id; an id the file does
//    not have fails the load. So does a primary-key column that does not exist.
// 3. The table's name is `r_<resource id>_v<n>` (`-` in the id becomes `_`). When that
//    version is already registered (it is being loaded again with other settings), the new rows
//    go to a new table, `r_<id>_v<n>_l<digits>`, so that the registered one keeps serving.
// 4. Pass 2 creates the table and inserts the typed rows, numbered `_id` 1, 2, 3, … in file
//    order, skipping the header rows by position (a JSON array's header and first record share a
//    line). Blank rows are skipped; the missing cells of a short row are NULL; cells to the
//    right of the header's last column are dropped and reported (`extra_cells`, once per row).
//    Inferred types fit every value; a type the publisher chose may not, and such a value is
//    stored as NULL and reported (`type_mismatch`). A quote still open at the end of a CSV file
//    is reported as `unterminated_quote`.
// 5. It commits every 50,000 rows (`kBatch`), so that another process writing to
//    `datastore.db` (a second server on the same host, an `odp import`) waits at most one batch
//    for the file's write lock. Before each commit it checks the cancel flag (set by `Cancel()`
//    in this process, or by the job's heartbeat when the job was cancelled through another
//    server or taken away) and the abandon flag (`Stop()`): the batch in progress is rolled back
//    and the load returns "load cancelled" (the job becomes `cancelled`, unless it was taken
//    away, in which case nothing is written) or "load abandoned at shutdown" (the loading thread
//    hands the job back to the queue, to be run again by whichever loading thread claims it
//    next). Rows committed by earlier batches stay in the unregistered table.
// 6. With a primary key, duplicated key values (`duplicate_key`, up to 1,000 groups) and
//    rows with an empty key column (`missing_key`, up to 100) are reported, not refused.
// 7. The rows are written with `PRAGMA synchronous=OFF` (and a 32 MiB page cache on the
//    writer): their commits hand the data to the operating system without waiting for the disk.
//    The registering transaction runs with `synchronous=NORMAL` again, and rolling back a
//    failed, cancelled or abandoned load sets it back to `NORMAL` as well. The reasoning: until
//    the table is registered, a crash of the process only leaves an unregistered table. SQLite
//    does not give that promise for a crash of the operating system or a power loss during the
//    unsynced commits: the database file may then be damaged (see
//    [operators.md](operators.md#tables-from-data-files)).
// 8. The version is registered in `ds_tables` only in the last transaction (an upsert, for a
//    version loaded again). Until that commit no query can see the new table, and the previous
//    one keeps answering; a load that fails or is interrupted therefore leaves the previous
//    table serving. After the commit, a table it replaced (the same version's previous table) is
//    dropped with its full-text table.
// 9. Indexes are built after registration (`BuildIndexes`, run by the loading thread right
//    after `Load`; the job is `indexing` meanwhile, and the table already serves): one index per
//    column (`<table>_i<n>`), then a contentless FTS5 table `<table>_fts` (`content=''`,
//    `detail=none`, tokenizer `unicode61`) whose row `rowid = _id` holds `odp_fold()` of the
//    row's text columns joined by spaces. Then `indexed: true` is written into the table's
//    `info`. Until then filters scan the table and `q` is a substring scan (below). The abandon
//    flag is checked between two indexes (the job is then handed back to the queue, and the
//    loading thread that claims it loads the version again from the start); cancelling does not
//    reach this step.
//
// The report of a load is its `issues` (the first 100, `kMaxIssues`, each with its kind, line,
// column and a message in Vietnamese and English) and `issue_counts` (all of them, by kind):
// `extra_cells`, `unterminated_quote`, `type_mismatch`, `duplicate_key`, `missing_key`. A load
// fails as a whole, with a message in both languages, when the file is missing or empty ("Tệp không
// có dữ liệu"), has no header row, is not UTF-8 where it should be ("Tệp không phải văn bản UTF-8
// (dòng 2, cột 1); hãy lưu lại dưới dạng CSV UTF-8 hoặc chọn bảng mã khi tải lên"), cannot be read
// by its reader, passes a `ReadLimits` limit, or names a column, sheet or encoding that does not
// exist.
//
// Storage. One SQLite file, `DATA/datastore.db`, separate from the catalogue's `odp.db` (WAL,
// 10 s busy timeout; the writer uses `synchronous=NORMAL` except while a load writes its rows, see
// above). Its registry is created at open (`CREATE TABLE IF NOT EXISTS`); there are no migrations
// yet. The jobs are not in this file but in the store (`jobs`, see "Background loads"): when `Open`
// finds a `ds_jobs` table (kept here by earlier releases), it copies its rows into the store in one
// store transaction (loads left `running` or `indexing` become `queued`, with the options
// publishers set) and renames the table `ds_jobs_moved_to_store`, so the move happens once.
//
// - Table: Holds
// - `r_<resource id>_v<n>`, `r_<resource id>_v<n>_l<digits>`: one table per loaded resource version
//   (the second form after the version was loaded again with other settings): `_id INTEGER PRIMARY
//   KEY` and one column per field, typed as above
// - `<table>_i<n>`, `<table>_fts`: its per-column indexes and its contentless FTS5 table (with
//   FTS5's own shadow tables)
// - `ds_tables (resource_id, version, info, created)`: the registry: one row per complete version.
//   `info` is JSON: the table name, the fields (`id`, `label`, `type`, number `style`,
//   `description`), rows, header line, delimiter, `source`, `encoding`, `indexed`, `primary_key`,
//   issues and issue counts
// - `ds_jobs_moved_to_store`: only in files written by earlier releases: their job list, already
//   copied into the store's `jobs`; nothing reads it
//
// `Table(rid)` returns the highest registered version of a resource, `Table(rid, n)` a given one,
// `Versions(rid)` all of them. Older versions' tables stay in the file; nothing drops them yet. A
// table left half-filled by a failed, cancelled or interrupted load is not registered. One for a
// new version is dropped only when the same version is loaded again; one for a version loaded again
// (`…_l<digits>`) is never dropped, since the next attempt picks a new name.
//
// Connections (`Datastore::Db` in `internal.h`), all with the `odp_fold` SQL function:
//
// - the writer, used only by loads and index builds; `write_mu` lets one run at a time,
//   whether on the loading thread or a direct `Load()` call;
// - the watch connection, which only reads `PRAGMA data_version`;
// - a pool of up to four read connections (`kReaders`), opened as needed. A `ReadLease` takes
//   one and gives it back when destroyed; when all four are out, it waits (with no time limit)
//   for one to come back. `Table` (on a cache miss), `Versions`, `Search`, `Aggregate` and `Diff`
//   hold one for a statement or two; a `Cursor` holds one until it is destroyed, which for an
//   export is the whole download. In WAL mode the readers see the last committed state and never
//   wait for a load;
// - the SQL connections, read-only, a pool of up to four opened as `datastore_search_sql`
//   needs them (below).
//
// The table cache. `Table()` keeps each `TableInfo` it reads, by `rid` (the newest) and
// `rid#n`. Before every lookup it reads `PRAGMA data_version` on the watch connection; that number
// changes whenever *another* connection commits to the file, in this process or in another (an `odp
// import` beside `odp serve`), and the cache is then emptied. The loader also empties it after its
// own registration (`Invalidate`). So a table registered by another process is seen at the next
// query, without a restart. Exact totals are cached too, by table name, WHERE clause and arguments:
// a registered table never changes (a load of the same version writes a new table), so they never
// go stale; the map is cleared at 10,000 entries. The loads this process runs keep their progress
// (rows and bytes) in memory (`Db::jobs`, `jobs_map_mu`), which the store's `jobs` does not hold.
//
// Background loads. The jobs live in the store's `jobs` table (kind `datastore`), so every
// server on one database shares one queue. `Datastore::Open(path, limits, store)` takes the
// portal's store; without one (unit tests, benchmarks) it opens a SQLite store of its own beside
// the file, `<path without .db>-jobs.db`. Each `Datastore` has a random id, its name as a job's
// owner. Queries work at once, but nothing loads until `Start()` starts the one loading thread. The
// thread asks the store for a job (`ClaimJob`): the oldest `queued` one, whichever process queued
// it, or a `running` or `indexing` one whose heartbeat is older than the lease
// (`ODP_JOB_LEASE_SECONDS`, default 30 s: its server died). When there is none it waits 500 ms, or
// until a local `Enqueue` wakes it, and asks again. A claimed job is loaded from the start: the
// thread logs `datastore: loading RID vN`, runs `Load` and then `BuildIndexes`, and logs
// `datastore: loaded RID vN: R rows in T ms`. Meanwhile a heartbeat thread calls `HeartbeatJob`
// every fifth of the lease; when the answer is `cancelling` (a cancel made through any server) or
// empty (the job was taken over or queued again), it sets the cancel flag, and the load stops at
// its next batch. Each change of state (`running`, `indexing`, `done`, `failed`, `cancelled`) is
// written with `SaveJob` as the job's holder, so a server that lost the job writes nothing.
//
// - `Enqueue(resource, version, file, options)` makes `file` absolute (against the current
//   directory), so that another process started elsewhere can run the job, queues it in the store
//   (`QueueJob`) and wakes this process's loading thread; other servers find it when they next
//   poll. Queueing a version again replaces its job with the newer options; a load of it in
//   progress loses its claim (its writes are refused, and its heartbeat stops it at a later
//   batch), so the job stays `queued` and runs again, and callers who wait for the job wait for
//   the last one.
// - `Reload(resource, options)` enqueues the newest file of the resource (the newest job's) again
//   with other options: the schema route and the upload fields `sheet` and `encoding` use it.
// - `Cancel(resource)` (`CancelJobs`) makes the resource's queued jobs `cancelled` and its
//   running one `cancelling`; the server running it sees that in its next heartbeat, or at once
//   when it is this process. NotFound when there is neither. A `cancelling` job whose server died
//   is made `cancelled` by the first claim after its lease has run out.
// - `Stop()` sets the abandon flag, so that a load in progress gives up at its next batch, and
//   ends the thread. The abandoned job is handed back at once (`queued`, no owner, heartbeat 0),
//   so the next loading thread to ask, here after a restart or on another server, runs it without
//   waiting for the lease. Jobs still waiting stay `queued`.
// - `Job(resource)` reads the newest job from the store (a `cancelling` job reads as `running`)
//   and, when this process runs that version, returns its in-memory progress instead.
//   `Options(resource)` returns the newest job's options.
// - `WaitIdle()` returns when this loading thread is idle and the store has no job of the kind
//   queued, running, indexing or cancelling (it checks every 20 ms), and at once when the thread
//   was never started. `SetOnLoaded(fn)` registers a function that the loading thread calls after
//   each version is registered (before its indexes).
//
// A job queued in a process that never calls `Start()` waits in the store until a loading thread of
// any process on the same database claims it.
//
// Queries (`query.cpp`). `Search(table, query)` returns a page of rows, the cursor of the next
// page and, if asked, the total; `Open(table, query)` returns a `Cursor` over every matching row
// (exports); `Scan` calls a function for each. All build one `SELECT` from a `Query`:
//
// - `filters` (CKAN): column id → accepted values. Values of one column are OR-ed, columns
//   AND-ed, each an equality.
// - `where` (the REST grammar): `Condition`s, AND-ed. `eq`, `ne`, `in` become `IN`/`NOT IN`
//   lists; `lt`, `lte`, `gt`, `gte` comparisons; `null`, `notnull` `IS [NOT] NULL`; `contains`
//   `instr(odp_fold(col), ?) > 0` and `startswith` `odp_fold(col) LIKE ? ESCAPE '\'` with the
//   folded value and `%`, `_`, `\` escaped (on a non-text column, against `CAST(col AS TEXT)`).
// - Values are converted the way the column stores them (`StoredValue`): numbers through the
//   canonical reading first and then the column's own style (`7,5` finds 7.5 in a Vietnamese
//   column), dates and datetimes through the date parsers (`01/10/1917` matches `1917-10-01`),
//   booleans through the boolean parser, text to NFC. A value that does not convert is compared
//   as the raw text (an equality then matches nothing); for an order comparison it is an error
//   naming the column ("Giá trị không đúng kiểu integer: nhiều").
// - `q`: on an indexed table, `_id IN (SELECT rowid FROM <table>_fts WHERE … MATCH ?)` with every
//   folded word of `q` as a quoted prefix term, AND-ed (`"huyen"* AND "co"* AND "to"*`); on a
//   table not indexed yet, `instr(odp_fold(col), fold(q)) > 0` over every `string` column, OR-ed:
//   a substring scan. `odp_fold` is an SQL function registered on every datastore connection that
//   calls the same `text::FoldVietnamese` as the catalogue's search, so both ignore tone marks,
//   `đ`/`d` and case.
// - `fields`: the columns to return; `_id` always comes first.
// - `sort`: column ids, each ascending or descending, then always `_id` ascending, so the order
//   is total. Text sorts by its bytes (SQLite's `BINARY` collation), not in Vietnamese order:
//   capitals first, and `Chè` before `Cá`. Sort columns that are not among `fields` are selected
//   too, hidden, for the cursor.
// - Keyset paging: `after` is the sort key of the last row already seen (its sort columns'
//   values, then `_id`). `KeysetClause` adds "rows after that key" as an OR of AND terms (`a >
//   ?`, or `a = ? AND b < ?`, …, then `_id > ?`), respecting each column's direction and SQLite's
//   NULL order (NULL first ascending, last descending: after a NULL in a descending column
//   nothing follows in that column). No rows before the key are counted or skipped: with the
//   indexes built and one sort column (or none), SQLite starts reading at the key, so a page deep
//   in the table costs about what the first does; with several sort columns it may still sort the
//   rows that follow the key. `Search` returns the key of the last row as `next` when the page is
//   full.
// - `limit` and `offset`. `Search` with a limit of 0 returns no rows (only the total, if asked).
//   `Open` and `Scan` with a limit of 0 return every row; the offset applies either way.
// - `include_total`: `SELECT count(*)` with the same conditions (not the keyset), from the cache
//   when the same count was made before; the table's `rows` when there is no condition.
//
// A column id that the table does not have, in `fields`, `filters`, conditions or `sort`, is
// `kInvalidArgument` with the parameter named ("Không có cột: khong_co"); all the bad conditions of
// a query are reported together. Column ids reach the SQL only after they were found in the table's
// fields, and every value is a bound parameter.
//
// `Aggregate(table, a)` runs `SELECT group…, fn(col)… FROM table WHERE … GROUP BY group… ORDER BY …
// LIMIT n` with the same WHERE clause; `sum` is `sum()` on integer columns (an integer) and
// `total()` on number columns. `Diff(rid, from, to)` compares two versions' tables with `count(*)`
// queries: joined on the primary key when both declare the same one (`NOT EXISTS` for added and
// removed, `IS NOT` over the common columns for changed), else `EXCEPT` over the common columns.
//
// Options that last. `LoadOptions` of each load are stored with its job (`jobs.options` in the
// store, as JSON: format, encoding, sheet, field settings, primary key), so that a load run again,
// on any server, reads the file the same way; `Datastore::Options(resource)` returns the newest.
// The upload listener starts a new version's load from them (format and encoding cleared, to be
// found again), and the schema route and form merge their change into them (`MergeOptions`: a
// field's type, label and description where the change says one, the key when it names one, sheet
// and encoding when set). A saved column the new file lacks is reported (`schema_column_missing`)
// and ignored instead of failing the load.
//
// Not built yet. Still missing from the datastore:
//
// - a cancel button and the load's progress on the publisher's pages (the API has both);
// - the SQL name of a version's table in the status (needed to query older versions with SQL
//   after a schema change renamed the table);
// - pruning: older versions' tables, tables of deleted resources and half-filled tables stay in
//   `datastore.db`;
// - a command to load files that are already uploaded (for example before the datastore existed,
//   or XLSX files uploaded before XLSX was read): `odp import` stores a file again, as a new
//   version, and `Reload` needs an earlier load of the resource;
// - limits on load time, and cancelling the index build;
// - OpenAPI entries for the routes added after `…/datastore`;
// - a metric for loads (`odp_jobs_running` stays 0).
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

// Safe, unique column identifiers for header labels ("Số học sinh" → "so_hoc_sinh").
std::vector<std::string> ColumnIds(const std::vector<std::string>& labels);

}  // namespace odp::datastore

// The datastore: every tabular file (CSV, TSV, XLSX, XLS, JSON, …) of a resource version
// becomes a typed table that can be queried. Tables live in their own SQLite database
// (DATA/datastore.db), or in the portal's PostgreSQL database, one table per resource version; a
// version becomes visible only when it is completely loaded, so a failed or interrupted load
// leaves the previous version serving.
//
// Loading reads the file twice: once to find the header row and infer every column's type over
// all values, once to insert the typed rows; then one index per column and a full-text index
// are built. Thread-safe: loads run as jobs (jobs/jobs.h), one at a time per server, queries on
// any thread through a small pool of read connections (WAL: readers never wait for a load).
//
// Loading (`Datastore::Load`) reads the source twice:
//
// 1. Pass 1 reads up to 50 rows and takes as the header the first whose distinct runs of
//    filled cells (a run of equal neighbours, as a workbook reads a merged range, counts once)
//    reach 60 % of the widest row's filled cells, so title rows ("BÁO CÁO SỐ LIỆU TRƯỜNG HỌC
//    2024", even merged across the whole table), notes ("Đơn vị tính: người") and blank rows
//    above the header are skipped. A group row right above it ("2011" over "Diện tích (km²)" and
//    "Dân số") makes the header start there. `HeaderLabels` then checks for a header on two
//    rows: when the row below the header has text only, the row below that has numbers under
//    that text, and the header leaves cells empty (or repeats a merged label) above the second
//    row's labels, the two are joined, the group label carried right over its empty or merged
//    cells ("Dân số" over "Nam" → `Dân số / Nam`, "2011" merged over two → `2011 / Diện tích
//    (km²)`, `2011 / Dân số`), and both rows are skipped. The publisher may instead say where
//    the table is (`LoadOptions::header_row`, `first_row`, `last_row`: rows of the file from 1;
//    the rows are read on to the ones named, up to `ingest::kMaxHeadRows`, and rows below
//    `last_row` are not read). Empty cells at the end of the header are dropped. Every row after
//    the header then feeds the column profiles; blank rows are skipped. A cell that is not valid
//    UTF-8 stops the load there, with its line and column. The cancel and abandon flags are
//    checked every 50,000 rows.
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
//    In a numeric column, placeholders (`-`, `…`, `x`, `không có`, `KXĐ`, `N/A`, …:
//    `IsPlaceholder`) are stored as NULL and counted (`placeholder_null`, one entry per column);
//    a few stray values (at most 5 % and 50, `StrayValuesAllowed`) leave the column numeric and
//    are stored as NULL, each listed with its line, column and value and what to do
//    (`not_a_number`: "ô này không phải số; sửa trong tệp hoặc đặt cột là văn bản"); more make
//    it text, reported as `type_demoted` when numbers were the majority. A column without any
//    value is kept as text and reported (`empty_column`). Other inferred types fit every value; a
//    type the publisher chose may not, and such a value is stored as NULL and reported
//    (`type_mismatch`). A quote still open at the end of a CSV file is reported as
//    `unterminated_quote`.
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
// `extra_cells`, `unterminated_quote`, `type_mismatch`, `not_a_number`, `placeholder_null`,
// `empty_column`, `type_demoted`, `duplicate_key`, `missing_key`, `schema_column_missing`, and for
// workbooks what reading them found (`legacy_text_decoded`, `legacy_text_kept`,
// `formula_error`: datastore/ingest/workbook_text.h), added after pass 1. A load
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
// Background loads. Loads run on the jobs layer (jobs/jobs.h). Each version keeps its load
// record in the store's `jobs` table (kind `datastore`): state, errors, rows, file and options,
// what the API and the pages read. The run that does the work is a job of kind `datastore.load`
// (payload
// `{"resource_id", "version"}`, key `<resource id>/v<version>`), so claiming, leases, take-over
// after a server dies, cancellation and the history sysadmins see are the jobs layer's.
// `Datastore::Open({.jobs, .runs})` takes the portal's store; without one (unit tests,
// benchmarks) it opens a SQLite store of its own beside the file, `<path without .db>-jobs.db`.
// Each `Datastore` has a random id, its name as a record's owner. Queries work at once, but nothing
// loads until `Start(runner)` registers the `datastore.load` handler on the portal's `jobs::Jobs`
// (or, given none, on a runner of its own with one worker), with `max_attempts` 1 (a file that
// cannot be read fails again; a sysadmin retries it) and `concurrency` 1 (one load at a time per
// server). The handler takes the version's record with a compare-and-set on its owner (whoever held
// it: the jobs layer gave this server the run), returns at once when the record is `done` or
// `cancelled`, records `cancelled` when the run or the record was asked to stop, and otherwise logs
// `datastore: loading RID vN`, runs `Load` and then `BuildIndexes`, and logs `datastore: loaded RID
// vN: R rows in T ms`. Meanwhile a heartbeat thread calls `HeartbeatJob` on the record every fifth
// of the lease and looks at the run's context every 50 ms; a `cancelling` record (a cancel made
// through any server's API), an empty answer (the record was queued again), or a cancelled or lost
// run sets the cancel flag, and the load stops at its next batch. Each change of state (`running`,
// `indexing`, `done`, `failed`, `cancelled`) is written with `SaveJob` as the record's holder, so a
// server that lost it writes nothing. The handler's error becomes the run's: a failed load is a
// failed run, shown in `/admin/jobs` with a retry button.
//
// - `Enqueue(resource, version, file, options)` makes `file` absolute (against the current
//   directory), so that another process started elsewhere can run the job, queues the record
//   (`QueueJob`) and the run (`EnqueueJobRun`) in one transaction and wakes this process's
//   workers; other servers find it when they next poll. Queueing a version again replaces its job
//   with the newer options; a load of it in progress loses its claim (its writes are refused, and
//   its heartbeat stops it at a later batch), so the job stays `queued` and runs again, and callers
//   who wait for the job wait for the last one.
// - `Reload(resource, options)` enqueues the newest file of the resource (the newest job's) again
//   with other options: the schema route and the upload fields `sheet` and `encoding` use it.
// - `Cancel(resource)` (`CancelJobs`) makes the resource's queued records `cancelled` and its
//   running one `cancelling`, and cancels the runs with keys under the resource's id
//   (`CancelByKey`); the server running it sees that in its next heartbeat or lease renewal, or
//   at once when it is this process. NotFound when there is no record to cancel. A run whose
//   server died while it was being cancelled is claimed after its lease; the handler sees the
//   request and records `cancelled`. Cancelling a queued `datastore.load` run from `/admin/jobs`
//   calls `Cancel(resource)`.
// - `Stop()` sets the abandon flag, so that a load in progress gives up at its next batch, and
//   unregisters the handler (waiting for it). The abandoned record is handed back at once
//   (`queued`, no owner, heartbeat 0), and so is the run (its attempt not counted), so the next
//   server to ask, here after a restart or elsewhere, runs it without waiting for the lease. Runs
//   still waiting stay `queued`. Call it before the runner's `Stop()`.
// - `Job(resource)` reads the newest job from the store (a `cancelling` job reads as `running`)
//   and, when this process runs that version, returns its in-memory progress instead.
//   `Options(resource)` returns the newest job's options.
// - `WaitIdle()` returns when no load runs here and the store has no record queued, running,
//   indexing or cancelling (it checks every 20 ms), and at once when loading was never started.
//   `SetOnLoaded(fn)` registers a function that the loading thread calls after each version is
//   registered (before its indexes).
//
// A load queued in a process that never calls `Start()` waits in the store until a worker of any
// process on the same database claims its run.
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
//
// The table description is datastore/table.h, the query language datastore/query.h; both are
// included here for the service's callers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "datastore/query.h"
#include "datastore/table.h"
#include "formats/rows.h"

namespace odp::store {
class DatastoreJobStore;
class JobStore;
class Store;
}  // namespace odp::store
namespace odp::jobs {
class Jobs;
class JobContext;
}  // namespace odp::jobs

namespace odp::datastore {

class Backend;  // backend.h

// How to open a datastore (Datastore::Open).
struct DatastoreOptions {
  // The SQLite database of the tables (created when missing), unless `pg_url` is set.
  std::string path = {};
  // Applies to every file read (the operator's ODP_TABLE_* settings).
  formats::ReadLimits limits = {};
  // The load records (`jobs`) and the jobs layer's runs that do the loads (`runs`): the portal's
  // store, shared by every server on it. Both roles of one Store (a record and its run are queued
  // in one transaction), or both null: a store of the datastore's own beside `path`.
  store::DatastoreJobStore* jobs = nullptr;
  store::JobStore* runs = nullptr;
  // A PostgreSQL URL (the portal's database): the tables are kept there instead, one table per
  // version in the schema "datastore", loaded with COPY.
  std::string pg_url = {};
  // The portal's one mask secret (access/masks.h: reviewers' and grants' hash masks); every
  // server on one database must share it. Empty: a random key of this process (tests).
  std::string mask_key = {};
};

class Datastore {
 public:
  // Opens (creating) the tables' database. Queries work at once; loads wait for Start().
  // ODP_JOB_LEASE_SECONDS (default 30) is how long a job whose server stopped sending heartbeats
  // waits before another takes it over.
  static Result<std::unique_ptr<Datastore>> Open(const DatastoreOptions& options);
  ~Datastore();
  // Whether a cursor opened with Query::id_range can be restarted on another range, so that an
  // export reads a table in ranges on several threads (SQLite; PostgreSQL reads it through one
  // server-side cursor).
  bool reads_ranges_in_parallel() const;
  // Starts loading: registers the "datastore.load" handler on `runner` (the portal's jobs
  // layer), or on a runner of its own with one worker when null. Runs of it (this server's and
  // other servers' uploads, and loads whose server died) are claimed one at a time per server and
  // loaded from the start. Only the processes that load (serve, init, import) call it.
  //
  // Loads and the jobs layer: each version's load record (store::JobRecord, kind "datastore")
  // stays what the API and pages read (state, errors, rows, file, options); the jobs layer's run
  // (kind "datastore.load", key "<resource id>/v<version>") owns claiming, leases, take-over,
  // cancellation and the history sysadmins see. The handler takes the record when it starts.
  void Start(jobs::Jobs* runner = nullptr);
  // Stops loading here: a load in progress is abandoned at its next batch (rolled back, queued
  // again) and re-run by the next server to claim it. Waits for it. Call before the runner's Stop.
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
  // Whether `file` opens as a table with `options` (the sheet exists, the records path is in
  // the file, the encoding is known), without loading it: what the caller checks before it
  // stores a new version, so that options that cannot work change nothing. Reads the whole
  // file for JSON (both passes of its reader), the workbook's directory for XLSX and XLS.
  Status CheckFile(const std::string& file, const LoadOptions& options) const;
  // The names of the sheets of the workbook `file`, in order; empty for a file of another kind.
  Result<std::vector<std::string>> SheetNames(const std::string& file) const;
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
  Result<SqlResult> SearchSql(const std::string& sql,
                              const std::function<bool(const std::string&)>& may_read,
                              const SqlLimits& limits = {}) const;

  // ---- Personal data (datastore/personal_data.h, access/masks.h) ----
  // Records a reviewer's decision on a column of `resource_id` (a field of its newest table, or
  // a column flagged in it): "not_personal" with a reason, or "mask" with a mask. It is kept
  // with the load options (so later files keep it) and every loaded version is loaded again
  // with it, in the background: until those loads end, the tables are as they were. A mask is
  // applied as the rows are written, so no read of any version sees the raw values afterwards.
  // InvalidArgument (with the field at fault) for an unknown decision or mask, a missing reason
  // or a column the table does not have; NotFound when the resource has no table. Returns the
  // decision as recorded (the reason normalised, no mask unless masked, `at` set when 0).
  // Reviews on this server are recorded one at a time, so quick reviews of several columns all
  // reach the loads (each adds to what the ones before it recorded).
  Result<ColumnReview> Review(const std::string& resource_id, ColumnReview review);
  // OK, or Conflict naming every column still flagged and unreviewed in any loaded version of
  // `tables` (resource id → the name shown), in Vietnamese and English: what refuses a
  // publication as open or registered data.
  Status CheckPublishable(const std::vector<std::pair<std::string, std::string>>& tables) const;
  // Whether some version of `resource_id` has a column flagged and not yet reviewed: its rows
  // are then served only to those who may edit the dataset.
  bool HoldsUnreviewedPersonalData(const std::string& resource_id) const;
  // Whether some version of `resource_id` has a column flagged and not declared "not
  // personal" (unreviewed or masked): the original file then holds raw personal data and is
  // served only to those who may edit the dataset.
  bool FileHoldsPersonalData(const std::string& resource_id) const;

  // Called (on the loading thread) after each version is loaded, e.g. to invalidate cached pages.
  void SetOnLoaded(std::function<void(const TableInfo&)> fn);

  // Waits until no job is queued or running and this loading thread is idle (`odp init
  // --demo`, tests); returns at once when the thread is not started.
  void WaitIdle();

  // Runs `fn` on the loading thread each time a load has read its record and is about to take
  // it (tests: something queued in that moment must still be what the load reads).
  void SetBeforeClaimForTest(std::function<void()> fn);

 private:
  Datastore() = default;
  // The handler of "datastore.load" runs (jobs layer).
  Status RunLoad(jobs::JobContext& ctx);
  // Queues the run of a version's load (the record is written by the caller).
  Status QueueLoadRun(const std::string& resource_id, int version);
  formats::ReadLimits limits_;
  std::string mask_key_;  // set by Open, never changed
  Status SaveJob(const IngestJob& j);
  Result<TableInfo> LoadRows(const std::string& resource_id, int version, const std::string& file,
                             const LoadOptions& options, IngestJob& job);

  // Where the tables live (SQLite or PostgreSQL): every read and write of a table goes
  // through it. Set by Open, never changed.
  std::unique_ptr<Backend> backend_;
  std::mutex write_mu_;  // one load or index build at a time (the thread, or Load() from a command)
  mutable std::mutex jobs_map_mu_;
  std::map<std::string, IngestJob>
      jobs_map_;  // guarded by jobs_map_mu_: progress of this process's loads
  store::DatastoreJobStore* jobs_ = nullptr;  // the load records
  store::JobStore* runs_ = nullptr;           // the runs of loads (jobs layer)
  std::unique_ptr<store::Store> own_jobs_;    // when no store was given
  std::string origin_;                        // this process's name in the job queue
  int64_t lease_us_ = 30 * int64_t{1000000};
  std::unique_ptr<jobs::Jobs> own_runner_;  // when Start() was given none
  mutable std::mutex mu_;
  jobs::Jobs* runner_ = nullptr;        // guarded by mu_: where loads run, once started
  bool started_ = false;                // guarded by mu_
  bool busy_ = false;                   // guarded by mu_
  bool stopping_ = false;               // guarded by mu_
  std::atomic<bool> abandon_{false};    // set by Stop(): the running load gives up
  std::atomic<bool> cancelled_{false};  // set by Cancel() for the running load
  std::string running_;                 // guarded by mu_: the resource being loaded
  std::function<void(const TableInfo&)> on_loaded_;  // guarded by mu_
  std::function<void()> before_claim_for_test_;      // guarded by mu_
  std::mutex review_mu_;  // one Review at a time: its read, merge and queue of the options
};

}  // namespace odp::datastore

// The datastore: every tabular file (CSV, TSV, XLSX, XLS, JSON, …) of a resource version
// becomes a typed table that can be queried. Tables live in their own SQLite database
// (DATA/datastore.db), or in the portal's PostgreSQL database, one table per resource version; a
// version becomes visible only when it is completely loaded, so a failed or interrupted load
// leaves the previous version serving.
//
// Loading reads the file twice: once to find the header row and infer every column's type over
// all values, once to insert the typed rows; then one index per column and a full-text index
// are built. Thread-safe: loads run on one background thread, queries on any thread through a
// small pool of read connections (WAL: readers never wait for a load).
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
class Store;
}

namespace odp::datastore {

class Backend;  // backend.h

// How to open a datastore (Datastore::Open).
struct DatastoreOptions {
  // The SQLite database of the tables (created when missing), unless `pg_url` is set.
  std::string path = {};
  // Applies to every file read (the operator's ODP_TABLE_* settings).
  formats::ReadLimits limits = {};
  // The job queue: the portal's store, shared by every server on it; null: a store of the
  // datastore's own beside `path`.
  store::Store* jobs = nullptr;
  // A PostgreSQL URL (the portal's database): the tables are kept there instead, one table per
  // version in the schema "datastore", loaded with COPY.
  std::string pg_url = {};
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

 private:
  Datastore() = default;
  void Run();
  formats::ReadLimits limits_;
  Status SaveJob(const IngestJob& j);
  Result<TableInfo> LoadRows(const std::string& resource_id, int version, const std::string& file,
                             const LoadOptions& options, IngestJob& job);

  // Where the tables live (SQLite or PostgreSQL): every read and write of a table goes
  // through it. Set by Open, never changed.
  std::unique_ptr<Backend> backend_;
  std::mutex write_mu_;  // one load or index build at a time (the thread, or Load() from a command)
  mutable std::mutex jobs_map_mu_;
  std::map<std::string, IngestJob> jobs_map_;  // guarded by jobs_map_mu_: progress of this process's loads
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

}  // namespace odp::datastore

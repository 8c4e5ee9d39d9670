// The datastore: every tabular file (CSV, TSV, …) of a resource version becomes a typed table
// that can be queried. Tables live in their own SQLite database (DATA/datastore.db), one table
// per resource version; a version becomes visible only when it is completely loaded, so a failed
// or interrupted load leaves the previous version serving.
//
// Loading reads the file twice: once to find the header row and infer every column's type over
// all values, once to insert the typed rows. Thread-safe: loads run on one background thread,
// queries on any thread (the database's own locking; readers never wait for a load).
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
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "datastore/infer.h"

namespace odp::datastore {

struct Field {
  std::string id;     // safe identifier derived from the label ("so_hoc_sinh")
  std::string label;  // the header as written ("Số học sinh")
  ColumnType type = ColumnType::kString;
  NumberStyle style = NumberStyle::kVietnamese;
};

// A problem found while loading, with where it is (1-based line and column of the file).
struct IngestIssue {
  std::string kind;  // "extra_cells", "invalid_utf8", …
  int64_t line = 0;
  int column = 0;
  std::string message_vi;
  std::string message_en;
};

struct TableInfo {
  std::string resource_id;
  int version = 0;
  std::string table;  // SQL name
  std::vector<Field> fields;
  int64_t rows = 0;
  int64_t header_line = 0;
  char delimiter = ',';
  std::vector<IngestIssue> issues;  // the first kMaxIssues
  std::map<std::string, int64_t> issue_counts;
  int64_t created = 0;
};

// The state of the load of one resource version.
struct IngestJob {
  std::string resource_id;
  int version = 0;
  std::string state;  // "queued", "running", "done", "failed"
  std::string error_vi, error_en;
  int64_t bytes_done = 0, bytes_total = 0, rows_done = 0;
  int64_t updated = 0;
};

struct Query {
  std::map<std::string, std::vector<std::string>> filters;  // field id -> accepted values (OR)
  std::string q;  // text contained in any text column, compared folded (tone marks and case ignored)
  std::vector<std::string> fields;                          // empty: all
  std::vector<std::pair<std::string, bool>> sort;           // field id, descending
  int64_t limit = 100;  // Search: 0 gives no rows (counts only); Scan: 0 means no limit
  int64_t offset = 0;
  bool include_total = true;
};

struct QueryResult {
  std::vector<Field> fields;  // the selected ones, in order (with "_id" first)
  std::vector<std::vector<nlohmann::json>> rows;
  int64_t total = -1;  // -1 when not asked
};

constexpr size_t kMaxIssues = 100;

class Datastore {
 public:
  // Opens (creating) the database at `path`. Queries work at once; loads wait for Start().
  static Result<std::unique_ptr<Datastore>> Open(const std::string& path);
  ~Datastore();
  // Starts the loading thread; jobs left queued or running by a previous process are loaded
  // again from the start. Only the processes that load (serve, init, import) call it.
  void Start();
  // Stops the loading thread; a load in progress is abandoned at its next batch (rolled back,
  // left "running" in ds_jobs) and re-run by the next Start().
  void Stop();

  // Loads `file` (delimited text) as `version` of `resource_id` now, on the caller's thread.
  Result<TableInfo> Load(const std::string& resource_id, int version, const std::string& file);
  // Queues the same for the loading thread.
  Status Enqueue(const std::string& resource_id, int version, const std::string& file);

  // The newest complete version's table (version 0), or a given version.
  Result<TableInfo> Table(const std::string& resource_id, int version = 0) const;
  Result<IngestJob> Job(const std::string& resource_id) const;  // the newest job
  Result<QueryResult> Search(const TableInfo& t, const Query& q) const;
  // Calls `row` for every row of the query (no limit), for exports; stops when it returns false.
  Status Scan(const TableInfo& t, const Query& q,
              const std::function<bool(const std::vector<nlohmann::json>&)>& row) const;

  // Called (on the loading thread) after each version is loaded, e.g. to invalidate cached pages.
  void SetOnLoaded(std::function<void(const TableInfo&)> fn);

  // Waits until the loading thread has nothing left to do (`odp init --demo`, tests).
  void WaitIdle();

 private:
  Datastore() = default;
  void Run();
  Status SaveJob(const IngestJob& j);
  Result<std::string> BuildSql(const TableInfo& t, const Query& q, bool count, std::vector<std::string>& args) const;

  struct Db;
  std::unique_ptr<Db> db_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Pending {
    std::string resource_id;
    int version;
    std::string file;
  };
  std::deque<Pending> queue_;  // guarded by mu_
  bool busy_ = false;          // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  std::atomic<bool> abandon_{false};  // set by Stop(): the running load gives up
  std::thread worker_;
  std::function<void(const TableInfo&)> on_loaded_;  // guarded by mu_
};

// The columns a query returns after `_id`, in order: `q.fields` as asked (unknown ids left out),
// else all of the table's.
std::vector<Field> SelectedColumns(const TableInfo& t, const Query& q);

// Rows as delimited text with RFC 4180 quoting and CRLF line ends (no header line).
void AppendDelimitedRow(std::string& out, const std::vector<nlohmann::json>& row, char delimiter);
std::string DelimitedRows(const std::vector<std::vector<nlohmann::json>>& rows, char delimiter);

// Safe, unique column identifiers for header labels ("Số học sinh" → "so_hoc_sinh").
std::vector<std::string> ColumnIds(const std::vector<std::string>& labels);

}  // namespace odp::datastore

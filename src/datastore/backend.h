// Where the datastore's tables live: the one seam between the service (datastore.h: jobs,
// loading, the API's view of tables) and a database. Two implementations: SQLite, a file of the
// datastore's own (sqlite_backend.h), and PostgreSQL, a schema of the portal's database
// (pg_backend.h). Nothing outside them knows which one is in use; a behaviour that differs
// (PostgreSQL compares across versions as text, cannot restart a ranged cursor) is a property
// asked of the back-end, not a test of its kind.
//
// Reads. Every read of a table's rows goes through one of Open, Search, Aggregate, Diff (the
// REST reads, exports, charts) or SearchSql (datastore_search_sql), and on each back-end through
// one place per kind of read:
//   - Open, Search, Aggregate and Diff build their SQL from a TableInfo and a Query in one place
//     (SqlBackend, query.cpp), which names the table being read only through the back-end's
//     ReadSource(); the rows come back through its Run().
//   - SearchSql reads only the views each back-end makes per readable resource (SQLite: views
//     on its SQL connections; PostgreSQL: a schema of views made for the request).
// A restriction on what a reader may see (columns, a row filter, column masks: the grants of
// shared data) belongs there: in ReadSource() (a restricted relation instead of the table) and
// in the per-resource views of SearchSql. Nothing else reads rows.
//
// Thread-safety: every method may be called from any thread; WriteRows and BuildIndexes are
// called one at a time (Datastore serialises loads).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "access/masks.h"
#include "base/status.h"
#include "datastore/query.h"
#include "datastore/table.h"

namespace odp::datastore::ingest {
class PrefetchRows;
}

namespace odp::datastore {

// What pass 2 does to the cells of the file's columns before it types them: the reviewers' masks
// of columns holding personal data (access/masks.h, LoadOptions::reviews), by the column's place
// in the file. The fields of the table being written already leave the dropped columns out and
// give the masked ones their masked types (text; a year: integer).
struct CellMasks {
  size_t file_columns = 0;                                       // the header's columns
  std::vector<std::pair<size_t, access::ColumnMask>> by_column;  // the last column first
  std::string key;                                               // the portal's mask secret
  bool empty() const { return by_column.empty(); }
};

// What pass 2 of a load reports and asks while it writes.
struct WriteHooks {
  // Rows written and bytes read so far (pass 1's bytes included), now and then.
  std::function<void(int64_t rows, int64_t bytes)> progress;
  // Asked between batches: an error stops the load (rolled back) with it.
  std::function<Status()> stop_requested;
  // Optional: runs once the rows are in and checked, before the table is registered; an error
  // from it rolls the load back and is returned.
  // It may change the table's description (its issues) before it is stored.
  std::function<Status(TableInfo&)> before_commit;
  // Applied to every row by TypedRows (datastore/internal.h), whichever back-end writes.
  CellMasks masks = {};
};

class Backend {
 public:
  virtual ~Backend() = default;

  // ---- The registry of complete versions ----
  // The newest complete version's table (version 0), or a given version. NotFound when none.
  virtual Result<TableInfo> Table(const std::string& resource_id, int version) const = 0;
  // Every registered version of a resource, oldest first.
  virtual std::vector<int> Versions(const std::string& resource_id) const = 0;
  // The SQL name of the table registered for `version` now, "" when none: a load of the same
  // version again writes another table, which replaces it when complete.
  virtual Result<std::string> RegisteredTable(const std::string& resource_id,
                                              int version) const = 0;
  // Drops cached table descriptions (after a registration the back-end did not see itself).
  virtual void Invalidate() = 0;

  // ---- Writing ----
  // Pass 2 of a load: creates `t.table` with `t.fields`, writes the typed rows of `rows` from
  // the start, skipping the first `to_skip` (the header), checks them (primary key, geopoint),
  // registers the table as `t.version` of `t.resource_id` and drops `replaced` (if any). A load
  // that stops leaves no table behind. `pass1_bytes` counts in the progress reported.
  virtual Result<TableInfo> WriteRows(TableInfo t, ingest::PrefetchRows& rows, size_t to_skip,
                                      int64_t pass1_bytes, const std::string& replaced,
                                      const WriteHooks& hooks) = 0;
  // One index per column and a full-text index, then marks `t` indexed. Unavailable when
  // `abandon` was set meanwhile (shutdown).
  virtual Status BuildIndexes(TableInfo t, const std::atomic<bool>& abandon) = 0;
  // Whether pass 2 may start on a second thread while pass 1 still profiles the rest of the
  // file (the load is then made again when the types change): worth it where writing the rows
  // costs as much as reading them (PostgreSQL's COPY).
  virtual bool writes_while_profiling() const = 0;

  // ---- Reading (see the header comment: the seam for restrictions) ----
  virtual Result<std::unique_ptr<Cursor>> Open(const TableInfo& t, const Query& q) const = 0;
  virtual Result<QueryResult> Search(const TableInfo& t, const Query& q) const = 0;
  virtual Result<AggregateResult> Aggregate(const TableInfo& t, const AggregateQuery& a) const = 0;
  virtual Result<VersionDiff> Diff(const TableInfo& from, const TableInfo& to) const = 0;
  // datastore_search_sql (Datastore::SearchSql says the rules; sql_guard.h how they hold).
  virtual Result<SqlResult> SearchSql(const std::string& sql,
                                      const std::function<bool(const std::string&)>& may_read,
                                      const SqlLimits& limits) const = 0;
  // Whether a cursor opened with Query::id_range can be restarted on another range.
  virtual bool reads_ranges_in_parallel() const = 0;
};

}  // namespace odp::datastore

// The datastore's tables in a SQLite file of their own (DATA/datastore.db): one table per
// resource version, registered in `ds_tables` when complete, with one index per column and a
// contentless FTS5 table of the folded text. WAL: readers (a pool of connections) never wait
// for a load; commits made by other processes (`odp import` beside `odp serve`) are noticed
// through PRAGMA data_version.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "datastore/sql_backend.h"
#include "store/records.h"

namespace odp::store {
class DatastoreJobStore;
}

namespace odp::datastore {

struct SqliteDb;  // connections and statement caches (internal.h)

class SqliteBackend final : public SqlBackend {
 public:
  // Opens (creating) the database at `path`. Jobs an older build kept in that file are moved
  // once into `jobs`; `queue_run` queues the run of each one still waiting (jobs layer).
  using QueueRun = std::function<Status(const JobRecord&)>;
  static Result<std::unique_ptr<SqliteBackend>> OpenFile(const std::string& path,
                                                         store::DatastoreJobStore& jobs,
                                                         const QueueRun& queue_run);
  ~SqliteBackend() override;

  Result<TableInfo> Table(const std::string& resource_id, int version) const override;
  std::vector<int> Versions(const std::string& resource_id) const override;
  Result<std::string> RegisteredTable(const std::string& resource_id, int version) const override;
  Result<TableInfo> WriteRows(TableInfo t, ingest::PrefetchRows& rows, size_t to_skip,
                              int64_t pass1_bytes, const std::string& replaced,
                              const WriteHooks& hooks) override;
  Status BuildIndexes(TableInfo t, const std::atomic<bool>& abandon) override;
  bool writes_while_profiling() const override { return false; }
  Result<SqlResult> SearchSql(const std::string& sql,
                              const std::function<bool(const std::string&)>& may_read,
                              const SqlLimits& limits) const override;
  bool reads_ranges_in_parallel() const override { return true; }

 protected:
  std::string ReadSource(const TableInfo& t) const override;
  Result<std::unique_ptr<Cursor>> Run(const std::string& sql,
                                      const std::vector<nlohmann::json>& args,
                                      std::vector<ColumnType> types, ReadMode mode) const override;

 private:
  SqliteBackend();
  Status MoveOldJobs(store::DatastoreJobStore& jobs, const QueueRun& queue_run);
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace odp::datastore

// The datastore's tables on PostgreSQL, in a schema of the portal's database (pg.h gives the
// layout): rows loaded with COPY, a GIN index over the folded words, the registry shared by
// every server (a NOTIFY tells the others), datastore_search_sql run as a role made for the
// request.
#pragma once

#include <memory>
#include <string>

#include "datastore/sql_backend.h"

namespace odp::datastore {

namespace pg {
class Tables;
}

class PgBackend final : public SqlBackend {
 public:
  // Connects to `url` and makes the schema when missing (pg::Tables::Open).
  static Result<std::unique_ptr<PgBackend>> Connect(const std::string& url);
  ~PgBackend() override;

  Result<TableInfo> Table(const std::string& resource_id, int version) const override;
  std::vector<int> Versions(const std::string& resource_id) const override;
  Result<std::string> RegisteredTable(const std::string& resource_id, int version) const override;
  Result<TableInfo> WriteRows(TableInfo t, ingest::PrefetchRows& rows, size_t to_skip,
                              int64_t pass1_bytes, const std::string& replaced,
                              const WriteHooks& hooks) override;
  Status BuildIndexes(TableInfo t, const std::atomic<bool>& abandon) override;
  bool writes_while_profiling() const override { return true; }
  Result<SqlResult> SearchSql(const std::string& sql,
                              const std::function<bool(const std::string&)>& may_read,
                              const SqlLimits& limits) const override;
  bool reads_ranges_in_parallel() const override { return false; }

 protected:
  std::string ReadSource(const TableInfo& t) const override;
  Result<std::unique_ptr<Cursor>> Run(const std::string& sql,
                                      const std::vector<nlohmann::json>& args,
                                      std::vector<ColumnType> types, ReadMode mode) const override;

 private:
  explicit PgBackend(std::unique_ptr<pg::Tables> tables);
  std::unique_ptr<pg::Tables> tables_;
};

}  // namespace odp::datastore

// What the two back-ends share (internal): the structured reads — Open, Search, Aggregate,
// Diff — built as SQL from a TableInfo and a Query in one place (query.cpp), in the back-end's
// dialect, and the cache of table descriptions and counts. A back-end supplies how a table is
// named for reading (ReadSource: the seam of backend.h) and how SQL runs (Run).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datastore/backend.h"
#include "datastore/sql_guard.h"

namespace odp::datastore {

class SqlBackend : public Backend {
 public:
  Result<std::unique_ptr<Cursor>> Open(const TableInfo& t, const Query& q) const override;
  Result<QueryResult> Search(const TableInfo& t, const Query& q) const override;
  Result<AggregateResult> Aggregate(const TableInfo& t, const AggregateQuery& a) const override;
  Result<VersionDiff> Diff(const TableInfo& from, const TableInfo& to) const override;
  void Invalidate() override;

 protected:
  // `functions_schema`: where the datastore's SQL functions live on PostgreSQL ("" on SQLite).
  SqlBackend(SqlDialect dialect, std::string functions_schema)
      : dialect_(dialect), functions_schema_(std::move(functions_schema)) {}

  // How a read names the table of `t` in SQL: the one place every structured read of a table
  // goes through (a restricted relation would be put here; see backend.h).
  virtual std::string ReadSource(const TableInfo& t) const = 0;

  enum class ReadMode {
    kPage,    // a bounded read: a pooled connection, given back as soon as it can be
    kStream,  // an unbounded one (exports): a connection of its own, so that slow downloads
              // never starve the pool
    kRanges,  // kStream in one snapshot, restartable on other `_id` ranges (Cursor::Restart)
  };
  // Runs `sql` with `args` bound to its `?` parameters; `types` are the columns' types.
  virtual Result<std::unique_ptr<Cursor>> Run(const std::string& sql,
                                              const std::vector<nlohmann::json>& args,
                                              std::vector<ColumnType> types,
                                              ReadMode mode) const = 0;

  // Table descriptions by "resource_id" (newest) and "resource_id#version", valid for one
  // `version` of the database (the back-end's own counter of changes), and exact counts by
  // table and condition (tables never change once registered).
  struct Cache {
    std::mutex mu;
    std::map<std::string, std::shared_ptr<const TableInfo>> tables;  // guarded by mu
    int64_t version = -1;                                            // guarded by mu
    std::map<std::string, int64_t> totals;                           // guarded by mu
  };
  Cache& cache() const { return cache_; }
  SqlDialect dialect() const { return dialect_; }

 private:
  const SqlDialect dialect_;
  const std::string functions_schema_;
  mutable Cache cache_;
};

}  // namespace odp::datastore

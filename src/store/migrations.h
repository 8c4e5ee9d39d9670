// Schema migrations: one ordered list of versions, each with its SQL per back-end.
#pragma once

#include <string>
#include <vector>

namespace odp::store {

struct Migration {
  int version;
  std::string description;
  std::string sqlite_sql;
  std::string postgres_sql;  // the same version on PostgreSQL: times BIGINT, serials BIGSERIAL
};

const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

}  // namespace odp::store

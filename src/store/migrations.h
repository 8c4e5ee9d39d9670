// Schema migrations: one ordered list of versions, each with its SQL per back-end.
#pragma once

#include <string>
#include <vector>

namespace odp::store {

struct Migration {
  int version;
  std::string description;
  std::string sqlite_sql;
  // The PostgreSQL statements for the same version go here when that back-end lands.
};

const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

}  // namespace odp::store

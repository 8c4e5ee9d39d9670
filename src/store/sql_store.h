// SqlStore: the Store written once in SQL, over a driver (store/sql.h) for SQLite or PostgreSQL.
//
// Connections come from a small pool; a thread keeps the same connection for nested calls and
// transactions. SQLite gets one connection (one database file in WAL mode; every call is
// serialised, and the portal's hot read paths are answered from the services' in-memory
// indexes). PostgreSQL gets several, so that several servers and threads work at once.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace odp::store {

// Opens (creating if needed) the database at `path` and migrates it unless `migrate` is false.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool migrate);

// Connects to the PostgreSQL database at `url` (libpq URI) with up to `pool_size` connections
// and migrates it unless `migrate` is false.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, bool migrate,
                                                 int pool_size = 8);

}  // namespace odp::store

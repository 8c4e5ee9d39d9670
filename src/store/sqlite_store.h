// SqliteStore: the embedded Store, one SQLite database file in WAL mode.
//
// One connection guarded by a recursive mutex: every call is serialised. The hot read paths of
// the portal are answered from the services' in-memory indexes, so the store is not the limit.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace odp::store {

// Opens (creating if needed) the database at `path` and migrates it unless `migrate` is false.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool migrate);

}  // namespace odp::store

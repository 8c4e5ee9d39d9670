// Copying a whole portal database between back-ends (SQLite ⇄ PostgreSQL, or the same kind):
// every table of the catalogue, accounts, files' metadata, history and the change feed, then a
// verification by row counts and checksums on both sides. `odp copy` drives it.
//
// Rows are read in key order (organizations parents first, by a recursive CTE over parent_id);
// PostgreSQL's serial sequences are moved past the copied numbers. The checksum is a SHA-256
// over the sorted SHA-256s of the rows' canonical text, so the two databases' different
// collations do not matter. A unit test checks CopiedTables() against the schema, so a new
// table cannot be forgotten.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace odp::store {

struct TableCopy {
  std::string table;
  int64_t rows = 0;
  std::string checksum;  // SHA-256 of the rows' canonical text, independent of row order
};

// The tables copied, parents before children (what the migrations create, except bookkeeping).
const std::vector<std::string>& CopiedTables();

// Copies every table of `from_url` into `to_url` (both migrated to the latest schema first; the
// target must hold no rows yet) in one transaction on the target, then re-reads both and
// compares counts and checksums. Returns what was copied; any difference is an error, and the
// target is left empty then.
Result<std::vector<TableCopy>> CopyDatabase(const std::string& from_url, const std::string& to_url);

// Counts and checksums of every copied table of the database at `url`.
Result<std::vector<TableCopy>> Fingerprint(const std::string& url);

}  // namespace odp::store

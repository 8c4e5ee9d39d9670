// Column masks applied to what the back-ends return (Query::masks): the rows of a Search and
// a cursor that masks as it reads. Private to the datastore (Datastore::Search, Open, Scan).
#pragma once

#include <memory>

#include "base/status.h"
#include "datastore/query.h"

namespace odp::datastore::internal {

// `q` without its masks: what the back-end runs.
Query Unmasked(const Query& q);
// Masks the rows of `r` (read with Unmasked(q)) in place, and gives the masked fields their
// masked types.
void MaskResult(const Query& q, QueryResult& r);
// A cursor over `inner` (opened with Unmasked(q) on `t`) that returns masked cells.
std::unique_ptr<Cursor> MaskCursor(std::unique_ptr<Cursor> inner, const TableInfo& t,
                                   const Query& q);

}  // namespace odp::datastore::internal

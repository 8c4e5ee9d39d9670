// Reads of a table and of its original file: one decision per read path, covering both the
// grants of shared data (access/grants.h) and the personal-data state of the table
// (datastore/personal_data.h, docs/security.md "Personal data"):
//   - the rows of one version (REST rows, aggregate, export, the dump, CKAN datastore_search, the
//     pages' previews): TableFor, then RestrictQuery / RestrictAggregate on the query;
//   - any version (CKAN datastore_search_sql, which may name any; the table's status route):
//     TableDecisionFor;
//   - the original file (both download routes): OpenFileFor.
//
// Personal data. A table with a column flagged and not yet reviewed is read only by the
// publisher's own editors (those who may edit the dataset: its organization's editors and
// admins, sysadmins); to everyone else, a consumer reading through a grant included, the
// resource has no table. A reviewer's masks are applied when the rows are written, so every
// reader, the editors included, reads them masked; a grant's masks are applied on top of them
// (they add to the table's masks and can never undo them). The original file keeps the raw
// values: while a column is flagged and not declared "not personal", only the publisher's
// editors may download it.
//
// The view. Through a grant, the table's fields are the granted columns without the dropped
// ones (a column outside them answers exactly as a column the table does not have: the
// datastore's own "Không có cột" error for a filter or sort, left out of `fields`); its load
// report (issues, which may quote cells) is left out; its primary key and geopoint only when all
// their columns are in the view. The grant's row filter is ANDed with the caller's filters. A
// masked column is shown masked and cannot be filtered, sorted, grouped or aggregated on (that
// would select by the hidden value). Full-text `q` is refused through a grant that hides or
// masks any column (the search index holds every text column). The grant's row filter may use
// only columns of the view (checked when the grant is made, CheckGrantAgainstTable).
//
// Quotas. AdmitRead counts a request under its grant (access/quota.h) and gives the
// RateLimit headers, or the 429 answer with Retry-After; CountRows counts the rows answered.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "access/grants.h"
#include "access/masks.h"
#include "api/context.h"
#include "base/status.h"
#include "datastore/datastore.h"
#include "http/request.h"

namespace odp::api {

struct TableForCaller {
  datastore::TableInfo table;  // the caller's view of the table (above)
  Resource resource;
  std::optional<Grant> grant;              // set when read through a grant
  access::ColumnMasks masks;               // the grant's masks shown (not drop)
  std::vector<datastore::Condition> rows;  // the grant's row filter
  bool whole = true;                       // every column visible and unmasked
};

// The table of `rid` (the newest version, or `version` when not empty) as `who` may read it;
// Status::NotFound("resource", rid) when `who` may not, exactly as for no such resource; held for
// a personal-data review (above), NotFound("datastore table of resource", rid), exactly as for
// a resource without a table.
Result<TableForCaller> TableFor(ApiContext& ctx, const access::Principal& who,
                                const std::string& rid, const std::string& version);
// How `who` may read the table of `rid`, any of its versions (access::DecideTableRead);
// NotFound("resource", rid) when not at all, exactly as for no such resource. A decision of
// kNone (OK) when the resource is readable but its table is not: some version is held for a
// personal-data review and `who` is not among the publisher's editors.
Result<access::TableDecision> TableDecisionFor(ApiContext& ctx, const access::Principal& who,
                                               const std::string& rid);
// The original file of `rid` (`version`, 0 the current one) as `who` may download it:
// CatalogService::OpenDownload's answer (NotFound as for no such resource, also through a grant
// that does not show the table whole), then PermissionDenied when the file holds personal data
// (above) and `who` is not among the publisher's editors.
Result<catalog::Download> OpenFileFor(ApiContext& ctx, const access::Principal& who,
                                      const std::string& rid, int version);
// Narrows `q` to the grant (nothing without one). InvalidArgument for a masked column in a
// filter or sort, and for `q` when the view is not whole.
Status RestrictQuery(const ApiContext& ctx, const TableForCaller& t, datastore::Query& q);
Status RestrictAggregate(const ApiContext& ctx, const TableForCaller& t,
                         datastore::AggregateQuery& a);

// A grant's row filter (the REST filter grammar as a query string) as conditions; only filter
// parameters may appear (no q, fields, sort, limit, offset or cursor).
Result<std::vector<datastore::Condition>> ParseRowFilter(const std::string& filter);
// Whether the grant's columns, masks and row filter fit `table`: the columns exist, the masks
// are on granted columns, the row filter parses and names only columns the grant shows.
Status CheckGrantAgainstTable(const datastore::Datastore& ds, const datastore::TableInfo& table,
                              const std::vector<std::string>& columns,
                              const access::ColumnMasks& masks, const std::string& row_filter);

// Whether a grant's columns, masks and row filter fit the table of `resource_id` (a resource
// without a table can be granted only whole).
Status GrantFitsTable(ApiContext& ctx, const std::string& resource_id,
                      const std::vector<std::string>& columns, const access::ColumnMasks& masks,
                      const std::string& row_filter);
// Creates a grant as the API and the pages do: who may grant first (so nobody else learns the
// table's columns from the errors), then the grant against the table, then GrantService::Create.
Result<Grant> CreateGrantChecked(ApiContext& ctx, const access::Principal& who,
                                 const access::GrantInput& in);

// A read admitted under a grant, or refused by its quota.
struct ReadAdmission {
  std::vector<std::pair<std::string, std::string>> headers;  // RateLimit-Policy, RateLimit
  bool refused = false;
  int64_t retry_after = 0;
};
ReadAdmission AdmitRead(ApiContext& ctx, const TableForCaller& t);
// The same for one grant (datastore_search_sql, which may read several granted tables).
ReadAdmission AdmitGrant(ApiContext& ctx, const Grant& g);
// A read of resource `rid` by `who` that does not go through TableFor (the original file):
// admitted under the grant it goes through, if any.
ReadAdmission AdmitTableRead(ApiContext& ctx, const access::Principal& who, const std::string& rid);
// The 429 answer of a refused admission (REST error body).
http::Response QuotaRefusal(const ReadAdmission& a);
// Adds the admission's headers to `r`.
void AddQuotaHeaders(const ReadAdmission& a, http::Response& r);
// Counts `rows` rows answered through the grant (nothing without one).
void CountRows(ApiContext& ctx, const TableForCaller& t, int64_t rows);
void CountGrantRows(ApiContext& ctx, const Grant& g, int64_t rows);
// Rows the grant may still answer today (-1: no limit, or no grant).
int64_t RowsLeft(ApiContext& ctx, const TableForCaller& t);

}  // namespace odp::api

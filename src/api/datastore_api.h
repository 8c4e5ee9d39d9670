// The datastore over HTTP: the REST rows, aggregate, export and schema routes and
// /datastore/dump/{resource_id} (CSV with a BOM by default, TSV, JSON).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/context.h"
#include "api/datastore_params.h"
#include "api/router.h"
#include "datastore/datastore.h"

namespace odp::api {

// How to read an uploaded table, from an upload form's `sheet` (from 1, or "all" to stack every
// sheet), `encoding`, `records`, `header_row`, `first_row` and `last_row` fields (rows of the
// file from 1; "auto" or "0" finds the row from the file again, as a negative LoadOptions row,
// see MergeOptions); nullopt when the form says none of them.
Result<std::optional<datastore::LoadOptions>> LoadOptionsFromForm(
    const std::map<std::string, std::string>& fields);
// Loads the newest file of `resource_id` again with `change` laid over what the publisher said
// before (MergeOptions).
Status ReloadWith(ApiContext& ctx, const std::string& resource_id,
                  const datastore::LoadOptions& change);

// What a schema change changes, as a dataset's history records it
// (CatalogService::RecordTableChange): "types: a, b; names: c; descriptions: d; sheet: 2;
// encoding: windows-1258; header_row: 3; first_row: 4; last_row: 90; primary_key: id; records:
// data[]; all_sheets: on; wide_to_long: off", only the parts that differ between `before` and
// `after`, in that order. The keys are words the pages translate (web/messages.json
// "schema_change_<key>"); "" when the file is only loaded again.
std::string DescribeSchemaChange(const datastore::LoadOptions& before,
                                 const datastore::LoadOptions& after);
// Loads the newest file of `resource_id` again with `options` (already merged) and records the
// change in its dataset's history as `who`'s. REQUIRES: `who` may edit the dataset (checked
// again when the change is recorded; a failure to record is logged, the load stands).
Status ReloadAndRecord(ApiContext& ctx, const access::Principal& who,
                       const std::string& resource_id, const datastore::LoadOptions& options);

// One resource per chosen sheet of the workbook `file` (stored), added to `dataset`: each a
// resource of its own over the same blob, named "<input's name or the file's stem> — <sheet
// name>", loading its sheet with the file's other `read_as` options. `sheets` is a form's `sheets`
// field: "all" or "*" for every sheet, else sheet numbers from 1 separated by commas.
// InvalidArgument (details.sheets) for a malformed list, a number past the last sheet or a
// file that is not a workbook, before any resource is added.
// REQUIRES: `who` may edit `dataset`.
Result<std::vector<std::pair<catalog::EntryPtr, Resource>>> AddSheetResources(
    ApiContext& ctx, const access::Principal& who, const std::string& dataset,
    const catalog::ResourceInput& input, const catalog::UploadedFile& file,
    const std::string& sheets);

// A reviewer's decision on a column of `resource_id` (of dataset `d`) flagged as personal data,
// as the API and the review page take it: PermissionDenied unless `who` may publish `d`; then
// Datastore::Review (its InvalidArgument for a bad decision, mask, reason or column), with
// `review.by` set to `who`. A decision recorded goes to the audit log as
// "personal_data.reviewed": actor `who`, organization `d`'s, subject `resource_id`, details
// {dataset_id, column, decision, mask, reason, previous} where `previous` is the decision it
// replaces ({decision, mask}, or null for the column's first review), so a mask applied, a
// mask changed and a column marked not personal can each be told apart in the log.
// REQUIRES: `resource_id` is a resource of `d`.
Status ReviewPersonalColumn(ApiContext& ctx, const access::Principal& who, const Dataset& d,
                            const std::string& resource_id, datastore::ColumnReview review);

void RegisterDatastore(Router& router, ApiContext& ctx);

}  // namespace odp::api

// The datastore over HTTP: query parsing shared by CKAN's datastore_search and the dump path,
// and /datastore/dump/{resource_id} (CSV with a BOM by default, TSV, JSON).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/context.h"
#include "api/router.h"
#include "datastore/datastore.h"

namespace odp::api {

// Reads filters (object, or its JSON text), q, fields (list or "a,b"), sort ("a asc, b desc"),
// limit (default 100, at most 32,000), offset, include_total. kInvalidArgument names the field.
Result<datastore::Query> ParseDatastoreQuery(const json& args);
// The REST grammar from URL parameters: `field=value` or `field[op]=value` (eq, ne, lt, lte,
// gt, gte, in "a,b", contains, startswith, null, notnull), q, fields "a,b", sort "a,-b",
// limit (default 100, at most 10,000), offset, cursor (a previous answer's `next`),
// include_total.
Result<datastore::Query> ParseRestQuery(const http::Request& req);

// How to read an uploaded table, from an upload form's `sheet` (from 1, or "all" to stack every
// sheet) and `encoding` fields; nullopt when the form says neither.
Result<std::optional<datastore::LoadOptions>> LoadOptionsFromForm(const std::map<std::string, std::string>& fields);
// Loads the newest file of `resource_id` again with `change` laid over what the publisher said
// before (MergeOptions).
Status ReloadWith(ApiContext& ctx, const std::string& resource_id, const datastore::LoadOptions& change);

// `group_by` "a,b", `metrics` "count,sum:dien_tich,avg:x", `order` "value", `limit` (default
// 1000, at most 10,000) over the rows `filter` selects.
Result<datastore::AggregateQuery> ParseAggregateQuery(const http::Request& req, datastore::Query filter);
// The `next` cursor of a page (base64url of the last row's sort key), as `cursor=` takes it.
std::string EncodeCursor(const std::vector<json>& key);

void RegisterDatastore(Router& router, ApiContext& ctx);

}  // namespace odp::api

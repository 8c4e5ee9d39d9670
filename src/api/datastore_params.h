// The datastore's query parameters, read safely: CKAN's datastore_search arguments and the REST
// rows grammar (docs/api.md). Pure, like api/params.h, whose rules they keep: caller JSON only
// through ParseRequestJson, caller values never serialised again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/params.h"
#include "datastore/datastore.h"
#include "http/request.h"

namespace odp::api {

// "a, b,,c" -> {"a", "b", "c"}: pieces trimmed, empty ones dropped.
std::vector<std::string> SplitList(const std::string& s, char sep);

// CKAN's datastore_search parameters: filters (an object of scalars or lists of scalars, or
// its JSON text), q (text; CKAN's {"column": "text"} form is ignored), fields (a list of names
// or "a,b"), sort ("a asc, b desc"), limit
// (default 100, at most 32,000), offset, include_total. kInvalidArgument names the field; a
// value of the wrong form is a BadParameter.
Result<datastore::Query> ParseDatastoreQuery(const json& args);
// The REST grammar from URL parameters: `field=value` or `field[op]=value` (eq, ne, lt, lte,
// gt, gte, in "a,b", contains, startswith, null, notnull), q, fields "a,b", sort "a,-b",
// limit (default 100, at most 10,000), offset, cursor (a previous answer's `next`),
// include_total.
Result<datastore::Query> ParseRestQuery(const http::Request& req);
// `group_by` "a,b", `metrics` "count,sum:dien_tich,avg:x", `order` "value", `limit` (default
// 1000, at most 10,000) over the rows `filter` selects.
Result<datastore::AggregateQuery> ParseAggregateQuery(const http::Request& req,
                                                      datastore::Query filter);
// The `next` cursor of a page (base64url of the last row's sort key), as `cursor=` takes it.
std::string EncodeCursor(const std::vector<json>& key);
// The sort key a cursor holds: a JSON list of scalars. Anything else is kInvalidArgument
// naming `cursor`.
Result<std::vector<json>> DecodeCursor(std::string_view text);

}  // namespace odp::api

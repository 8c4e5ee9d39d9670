// The readers of what API callers send (security issue 14): request JSON through the nesting
// limit, JSON object bodies, CKAN action parameters (ReadCkanArgs, CkanArgs) and the datastore
// readers (datastore_search's arguments, the REST rows grammar, aggregates, cursors), each fed
// the same bytes as a JSON body, an urlencoded form and a query string, as the handlers get them.
// Broken promises abort: a parsed value deeper than kMaxRequestJsonDepth, a nesting refusal that
// is not a BadParameter, a cursor that does not read back.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/datastore_params.h"
#include "api/params.h"

namespace {

using odp::api::json;

// The depth of a parsed value, without recursion (the value may be as deep as the limit).
int TreeDepth(const json& root) {
  int deepest = 0;
  std::vector<std::pair<const json*, int>> stack = {{&root, 0}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    deepest = std::max(deepest, d + 1);
    for (const auto& child : *v) stack.emplace_back(&child, d + 1);
  }
  return deepest;
}

// Every CKAN reader over `args`, under the keys the actions read.
void ReadCkan(const json& args) {
  odp::api::CkanArgs in(args);
  for (const char* key : {"id", "name", "q", "fq", "sort", "sql", "resource_id", "records_format",
                          "state", "query", "package_id"}) {
    (void)in.Str(key);
  }
  for (const char* key : {"rows", "start", "limit", "offset", "page", "facet.limit"})
    (void)in.Int(key);
  for (const char* key : {"fq_list", "facet.field", "organizations", "groups"}) (void)in.List(key);
  (void)in.Bool("include_private", false);
  (void)in.Bool("facet", true);
  if (!in.ok() && in.status().fields().empty()) std::abort();  // a refusal names its parameter
  (void)odp::api::ParseDatastoreQuery(args);
  odp::api::FieldReader f(args);
  std::optional<std::string> s;
  std::optional<std::vector<std::string>> list;
  std::optional<std::map<std::string, std::string>> map;
  std::optional<int> n;
  f.Str("title", s);
  f.StrList("tags", list);
  f.StrMap("extras", map);
  f.Int("position", n);
  (void)f.status();
}

void ReadRest(const odp::http::Request& req) {
  auto q = odp::api::ParseRestQuery(req);
  if (q.ok()) (void)odp::api::ParseAggregateQuery(req, *q);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);

  // The limit: what parses is never deeper than the limit, and what the pre-scan refuses is
  // refused as a bad parameter.
  const bool too_deep = odp::api::JsonNestsDeeperThan(in, odp::api::kMaxRequestJsonDepth);
  auto parsed = odp::api::ParseRequestJson(in);
  if (parsed.ok() == too_deep) std::abort();
  if (!parsed.ok() && !odp::api::IsBadParameter(parsed.status())) std::abort();
  if (parsed.ok() && !parsed->is_discarded()) {
    if (TreeDepth(*parsed) > odp::api::kMaxRequestJsonDepth) std::abort();
    if (parsed->is_object()) ReadCkan(*parsed);
  }
  if (auto body = odp::api::ParseJsonObject(in); body.ok()) ReadCkan(*body);

  // The same bytes as the bodies and query strings the handlers read.
  odp::http::Request post;
  post.method = "POST";
  for (const char* type : {"application/json", "application/x-www-form-urlencoded"}) {
    post.headers["content-type"] = type;
    post.body = in;
    if (auto args = odp::api::ReadCkanArgs(post); args.ok()) ReadCkan(*args);
  }
  odp::http::Request get;
  get.method = "GET";
  get.query = odp::http::ParseQuery(in);
  if (auto args = odp::api::ReadCkanArgs(get); args.ok()) ReadCkan(*args);
  ReadRest(get);

  // Cursors: any text is read safely; a cursor made from a key reads back as that key.
  auto key = odp::api::DecodeCursor(in);
  if (key.ok()) {
    auto again = odp::api::DecodeCursor(odp::api::EncodeCursor(*key));
    if (!again.ok() || *again != *key) std::abort();
  }
  return 0;
}

// CKAN Action API: /api/action/<name> and /api/3/action/<name>, GET and POST, with CKAN's
// envelope, statuses and error types (reference: shared/reference/open-data-portals.md §2, §5).
#include <algorithm>
#include <set>

#include "api/api.h"
#include "api/datastore_api.h"
#include "api/json_shapes.h"
#include "api/params.h"
#include "api/upload.h"
#include "datastore/delimited.h"
#include "datastore/export.h"
#include "formats/text_writers.h"
#include "text/vietnamese.h"

namespace odp::api {

using access::Principal;
using http::Request;
using http::Response;

namespace {

// A CKAN error: HTTP status, __type and message, or field errors for validation.
struct CkanError {
  int status;
  std::string type;
  std::string message;
  std::map<std::string, std::string> fields;
};

// A result already serialised (large answers are assembled from cached text).
struct RawJson {
  std::string text;
  bool whole = false;  // the whole response body, envelope included (written in one buffer)
};

using CkanResult = std::variant<json, CkanError, RawJson>;

CkanError FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound: return {404, "Not Found Error", "Not found: " + s.message(), {}};
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
      return {403, "Authorization Error", "Access denied: " + s.message(), {}};
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kConflict:
    case StatusCode::kResourceExhausted: {
      // Our field names where CKAN's differ, so clients find the problem under their key.
      static const std::map<std::string, std::string> kCkanNames = {
          {"title_vi", "title"},          {"description_vi", "notes"},
          {"contact_name", "maintainer"}, {"contact_email", "maintainer_email"},
          {"title_en", "title_en"},       {"description_en", "notes_en"},
          {"access", "access_level"}};
      CkanError e{409, "Validation Error", s.message(), {}};
      for (const auto& [field, problem] : s.fields()) {
        auto it = kCkanNames.find(field);
        e.fields[it == kCkanNames.end() ? field : it->second] = problem;
      }
      if (e.fields.empty()) e.fields["message"] = s.message_vi();
      return e;
    }
    default: return {500, "Internal Server Error", "Internal Server Error: " + s.message(), {}};
  }
}

CkanError SearchQueryError(const std::string& msg) {
  return {400, "Search Query Error", "Search Query is invalid: " + msg, {}};
}

std::string Help(const ApiContext& ctx, const std::string& action) {
  return ctx.config.site_url + "/api/3/action/help_show?name=" + action;
}

Response Envelope(const ApiContext& ctx, const std::string& action, CkanResult r) {
  if (auto* raw = std::get_if<RawJson>(&r); raw && raw->whole)
    return JsonText(200, std::move(raw->text));
  if (!std::holds_alternative<CkanError>(r)) {
    // Built in one string of the right size: results can be large (datastore_search records).
    const std::string dumped =
        std::holds_alternative<json>(r) ? Dump(std::get<json>(r)) : std::string();
    const std::string& result =
        std::holds_alternative<json>(r) ? dumped : std::get<RawJson>(r).text;
    const std::string help = Dump(json(Help(ctx, action)));
    std::string body;
    body.reserve(help.size() + result.size() + 40);
    body += "{\"help\":";
    body += help;
    body += ",\"success\":true,\"result\":";
    body += result;
    body += '}';
    return JsonText(200, std::move(body));
  }
  const CkanError& e = std::get<CkanError>(r);
  json err = {{"__type", e.type}};
  if (e.type == "Validation Error") {
    for (const auto& [k, v] : e.fields) err[k] = json::array({v});
  } else {
    err["message"] = e.message;
  }
  return JsonText(e.status,
                  Dump({{"help", Help(ctx, action)}, {"success", false}, {"error", err}}));
}

Response BadRequest(const std::string& msg) {
  return JsonText(400, Dump(json("Bad request: " + msg)));
}

// Parameters as CKAN receives them: GET query (repeated keys become lists), a JSON object
// body, an urlencoded form, or a multipart form (with an optional file).
// A multipart form's file part is not stored while the parameters are read: an action that
// takes a file calls StoreFile() once it has checked the caller's right to write.
struct Params {
  json args = json::object();
  std::optional<catalog::UploadedFile> file;  // set by StoreFile()
  UploadForm form;
  const Request* request = nullptr;
};

Status StoreFile(ApiContext& ctx, Params& p) {
  if (!p.request) return Status::Ok();
  ODP_RETURN_IF_ERROR(StoreUploadedFile(ctx, *p.request, p.form));
  p.file = p.form.file;
  return Status::Ok();
}

Result<Params> ReadParams(ApiContext& ctx, const Request& req) {
  Params p;
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (!get && !req.body_file.empty()) {
    ODP_ASSIGN_OR_RETURN(p.form, ReadUploadForm(ctx, req));
    for (const auto& [k, v] : p.form.fields) p.args[k] = v;
    p.request = &req;
    return p;
  }
  ODP_ASSIGN_OR_RETURN(p.args, ReadCkanArgs(req));
  return p;
}

// A parameter CkanArgs refused: 400 for its form (a list where text is expected, JSON nested
// too deeply), CKAN's 409 for an invalid value; both "Validation Error" naming the parameter.
CkanError ArgsError(const Status& s) {
  return {IsBadParameter(s) ? 400 : 409, "Validation Error", s.message(), s.fields()};
}

// CKAN facet/filter field -> ODP facet field.
std::optional<std::string> FacetFieldFor(const std::string& ckan) {
  static const std::map<std::string, std::string> kMap = {{"organization", "organization"},
                                                          {"groups", "groups"},
                                                          {"tags", "tags"},
                                                          {"res_format", "res_format"},
                                                          {"license_id", "license_id"},
                                                          {"sector", "sector"},
                                                          {"topic", "topic"},
                                                          {"sectors", "sector"},
                                                          {"topics", "topic"},
                                                          {"access_level", "access"}};
  auto it = kMap.find(ckan);
  if (it == kMap.end()) return std::nullopt;
  return it->second;
}

// Parses Solr-ish `field:value` terms (fq, or a fielded q) into filters; free words go to `text`.
std::optional<CkanError> ParseTerms(const std::string& s, catalog::SearchRequest& sr,
                                    std::string& text) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    size_t start = i;
    if (s[i] == '+') ++start, ++i;
    // Read a term up to a space outside quotes.
    std::string field, value;
    bool quoted = false;
    size_t colon = std::string::npos;
    std::string term;
    while (i < s.size() && (quoted || s[i] != ' ')) {
      if (s[i] == '"') quoted = !quoted;
      if (s[i] == ':' && colon == std::string::npos && !quoted) colon = term.size();
      term += s[i];
      ++i;
    }
    (void)start;
    if (colon == std::string::npos) {
      if (term != "*") text += (text.empty() ? "" : " ") + term;
      continue;
    }
    field = term.substr(0, colon);
    value = term.substr(colon + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (field == "*" && value == "*") continue;
    if (field == "state" || field == "site_id" || field == "capacity" || field == "dataset_type")
      continue;
    if (field == "text" || field == "title" || field == "name" || field == "notes") {
      text += (text.empty() ? "" : " ") + value;
      continue;
    }
    auto f = FacetFieldFor(field);
    if (!f) return SearchQueryError("unknown field \"" + field + "\"");
    sr.filters[*f].push_back(value);
  }
  return std::nullopt;
}

const std::set<std::string>& PackageSearchKeys() {
  static const std::set<std::string> kKeys = {"q",
                                              "fq",
                                              "fq_list",
                                              "rows",
                                              "start",
                                              "sort",
                                              "facet",
                                              "facet.field",
                                              "facet.limit",
                                              "facet.mincount",
                                              "include_private",
                                              "include_drafts",
                                              "include_deleted",
                                              "use_default_schema",
                                              "fl",
                                              "qf",
                                              "bf",
                                              "boost",
                                              "tie",
                                              "defType",
                                              "mm",
                                              "callback",
                                              "_"};
  return kKeys;
}

CkanResult PackageSearch(ApiContext& ctx, Params& p, const Principal& who) {
  const json& args = p.args;
  std::vector<std::string> unknown;
  for (const auto& [k, v] : args.items()) {
    if (!PackageSearchKeys().count(k) && k.rfind("ext_", 0) != 0) unknown.push_back(k);
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& k : unknown) list += (list.empty() ? "'" : ", '") + k + "'";
    return SearchQueryError("\"Invalid search parameters: [" + list + "]\"");
  }
  catalog::SearchRequest sr;
  CkanArgs in(args);
  long rows = in.Int("rows").value_or(10);
  long start = in.Int("start").value_or(0);
  long facet_limit = in.Int("facet.limit").value_or(50);
  long facet_mincount = in.Int("facet.mincount").value_or(1);
  const std::string q = in.Str("q");
  const std::string fq = in.Str("fq");
  const std::vector<std::string> fq_list = in.List("fq_list");
  std::string sort = in.Str("sort");
  const std::vector<std::string> facet_fields = in.List("facet.field");
  if (!in.ok()) return ArgsError(in.status());
  if (rows < 0 || start < 0)
    return CkanError{
        409, "Validation Error", "", {{rows < 0 ? "rows" : "start", "Must be a natural number"}}};
  sr.limit = static_cast<int>(std::min<long>(rows, 1000));
  sr.offset = static_cast<int>(start);
  sr.facet_limit = static_cast<int>(facet_limit);
  sr.facet_mincount = static_cast<int>(facet_mincount);
  std::string text;
  if (!q.empty() && q.find(':') != std::string::npos) {
    if (auto e = ParseTerms(q, sr, text)) return *e;
  } else {
    text = q;
  }
  if (auto e = ParseTerms(fq, sr, text)) return *e;
  for (const auto& term : fq_list) {
    if (auto e = ParseTerms(term, sr, text)) return *e;
  }
  sr.q = text;
  if (sort.empty()) sort = "score desc, metadata_modified desc";
  std::string first = sort.substr(0, sort.find(','));
  while (!first.empty() && first.back() == ' ') first.pop_back();
  static const std::map<std::string, catalog::SortOrder> kSorts = {
      {"score desc", catalog::SortOrder::kRelevance},
      {"metadata_modified desc", catalog::SortOrder::kUpdated},
      {"metadata_created desc", catalog::SortOrder::kNewest},
      {"metadata_created asc", catalog::SortOrder::kOldest},
      {"title_string asc", catalog::SortOrder::kTitleAsc},
      {"title_string desc", catalog::SortOrder::kTitleDesc},
      {"name asc", catalog::SortOrder::kNameAsc},
      {"name desc", catalog::SortOrder::kNameDesc}};
  auto so = kSorts.find(first);
  if (so == kSorts.end()) return SearchQueryError("unsupported sort \"" + sort + "\"");
  sr.sort = so->second;
  sr.include_restricted = in.Bool("include_private", false);
  sr.include_unpublished = in.Bool("include_drafts", false);
  bool facets_on = in.Bool("facet", true);
  std::vector<std::pair<std::string, std::string>> facet_map;  // ckan name -> odp field
  if (facets_on) {
    for (const auto& f : facet_fields) {
      auto ours = FacetFieldFor(f);
      if (ours) {
        facet_map.emplace_back(f, *ours);
        sr.facet_fields.push_back(*ours);
      } else {
        facet_map.emplace_back(f, "");
      }
    }
  }
  const int64_t gen = ctx.catalog.generation();
  sr.ids_only = true;
  catalog::SearchResponse res = ctx.catalog.Search(who, sr);
  // Package dicts are spliced in as cached JSON text; only the small parts are built here.
  const std::string results = JsonArrayOfResults(ctx, res.ids, gen, CkanPackageTextOf);
  json facets = json::object(), search_facets = json::object();
  for (const auto& [ckan_name, field] : facet_map) {
    json counts = json::object();
    json items = json::array();
    if (!field.empty()) {
      for (const auto& c : res.facets[field]) {
        counts[c.value] = c.count;
        items.push_back({{"name", c.value},
                         {"display_name", ctx.catalog.FacetValueTitle(field, c.value)},
                         {"count", c.count}});
      }
    }
    std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
      return a["display_name"].get<std::string>() > b["display_name"].get<std::string>();
    });
    facets[ckan_name] = counts;
    search_facets[ckan_name] = {{"title", ckan_name}, {"items", items}};
  }
  return RawJson{"{\"count\":" + std::to_string(res.total) + ",\"facets\":" + Dump(facets) +
                 ",\"results\":" + results + ",\"sort\":" + Dump(json(sort)) +
                 ",\"search_facets\":" + Dump(search_facets) + "}"};
}

CkanResult PackageShow(ApiContext& ctx, Params& p, const Principal& who) {
  const json& args = p.args;
  CkanArgs in(args);
  std::string id = in.Str("id");
  if (id.empty()) id = in.Str("name");
  if (!in.ok()) return ArgsError(in.status());
  if (id.empty()) return CkanError{409, "Validation Error", "", {{"id", "Missing value"}}};
  const int64_t gen = ctx.catalog.generation();
  auto e = ctx.catalog.GetDataset(who, id);
  if (!e.ok()) return CkanError{404, "Not Found Error", "Not found", {}};
  return RawJson{CkanPackageText(ctx, **e, gen)};
}

// Group-like listings (organization_list / group_list).
template <typename T, typename Shape>
CkanResult GroupListResult(const json& args, std::vector<T> items,
                           const std::map<std::string, int>& counts, Shape shape,
                           const char* names_key) {
  CkanArgs in(args);
  bool all_fields = in.Bool("all_fields", false);
  long limit = in.Int("limit").value_or(all_fields ? 25 : 1000);
  long offset = in.Int("offset").value_or(0);
  std::string q = text::FoldVietnamese(in.Str("q"));
  std::vector<std::string> only = in.List(names_key);
  std::string sort = in.Str("sort");
  if (!in.ok()) return ArgsError(in.status());
  std::vector<T> kept;
  for (auto& it : items) {
    if (!only.empty() && std::find(only.begin(), only.end(), it.slug) == only.end()) continue;
    if (!q.empty() && text::FoldVietnamese(it.slug + " " + it.title_vi + " " + it.title_en + " " +
                                           it.description_vi)
                              .find(q) == std::string::npos) {
      continue;
    }
    kept.push_back(it);
  }
  if (sort.empty()) sort = "title asc";
  bool desc = sort.find("desc") != std::string::npos;
  auto count_of = [&](const T& t) {
    auto c = counts.find(t.slug);
    return c == counts.end() ? 0 : c->second;
  };
  std::stable_sort(kept.begin(), kept.end(), [&](const T& a, const T& b) {
    if (sort.rfind("name", 0) == 0) return desc ? a.slug > b.slug : a.slug < b.slug;
    if (sort.rfind("package_count", 0) == 0)
      return desc ? count_of(a) > count_of(b) : count_of(a) < count_of(b);
    std::string ka = text::VietnameseSortKey(a.title_vi), kb = text::VietnameseSortKey(b.title_vi);
    return desc ? ka > kb : ka < kb;
  });
  json out = json::array();
  for (long i = offset; i < static_cast<long>(kept.size()) && i < offset + limit; ++i) {
    if (all_fields) {
      out.push_back(shape(kept[static_cast<size_t>(i)], count_of(kept[static_cast<size_t>(i)])));
    } else {
      out.push_back(kept[static_cast<size_t>(i)].slug);
    }
  }
  return out;
}

json PackagesOf(ApiContext& ctx, const Principal& who, const std::string& field,
                const std::string& value, int limit) {
  catalog::SearchRequest sr;
  sr.filters[field] = {value};
  sr.limit = limit;
  sr.sort = catalog::SortOrder::kUpdated;
  json arr = json::array();
  for (const auto& e : ctx.catalog.Search(who, sr).results) arr.push_back(CkanPackage(ctx, *e));
  return arr;
}

// CKAN package fields -> DatasetInput.
Result<catalog::DatasetInput> CkanDatasetInput(ApiContext& ctx, const json& a) {
  catalog::DatasetInput in;
  FieldReader f(a);
  f.Str("name", in.slug);
  f.Str("title", in.title_vi);
  f.Str("title_en", in.title_en);
  f.Str("notes", in.description_vi);
  f.Str("notes_en", in.description_en);
  f.Str("owner_org", in.organization);
  f.Str("license_id", in.license_id);
  f.Str("maintainer", in.contact_name);
  f.Str("maintainer_email", in.contact_email);
  f.Str("version", in.version);
  f.Str("update_frequency", in.update_frequency);
  f.Str("temporal_start", in.temporal_start);
  f.Str("temporal_end", in.temporal_end);
  f.StrList("tags", in.tags);
  f.StrList("spatial", in.spatial);
  f.StrList("sectors", in.sectors);
  f.StrList("topics", in.topics);
  f.StrMap("extras", in.extras);
  f.Str("access_level", in.access);
  std::optional<std::vector<std::string>> groups;
  f.StrList("groups", groups);
  ODP_RETURN_IF_ERROR(f.status());
  if (in.slug && !in.title_vi) {
    // CKAN allows a dataset without a title (it shows the name); ours needs a Vietnamese one.
  }
  if (!in.access && a.contains("private")) {
    in.access = CkanArgs(a).Bool("private", false) ? "internal" : "public";
  }
  if (groups) {
    std::vector<std::string> sectors = in.sectors.value_or(std::vector<std::string>{});
    std::vector<std::string> topics = in.topics.value_or(std::vector<std::string>{});
    for (const auto& g : *groups) {
      auto group = ctx.catalog.GetGroup(g);
      if (!group.ok()) {
        return Status::InvalidArgument("unknown group " + g, "Không có nhóm: " + g)
            .WithField("groups", "Không có nhóm: " + g);
      }
      (group->kind == GroupKind::kSector ? sectors : topics).push_back(group->slug);
    }
    in.sectors = sectors;
    in.topics = topics;
  }
  return in;
}

catalog::ResourceInput CkanResourceInput(const json& a) {
  catalog::ResourceInput in;
  auto s = [&](const char* k, std::optional<std::string>& out) {
    if (a.contains(k) && a[k].is_string()) out = a[k].get<std::string>();
  };
  s("name", in.name);
  s("description", in.description);
  s("format", in.format);
  s("url", in.url);
  if (in.url && in.url->empty()) in.url.reset();
  return in;
}

// After package_create: publish when the caller may (organization admins, sysadmins), submit
// for review when the caller is an editor — so CKAN clients that expect an active dataset get
// one when they have the right, and editors' datasets enter the review queue.
// A dataset the caller asked to keep as a draft (`state` "draft") stays one.
Result<catalog::EntryPtr> AdvanceAfterCreate(ApiContext& ctx, const Principal& who,
                                             catalog::EntryPtr e, bool keep_draft) {
  if (keep_draft) return e;
  const Dataset& d = e->dataset;
  if (access::Allowed(who, access::Action::kPublishDataset,
                      {d.organization_id, d.access, d.state})) {
    return ctx.catalog.Transition(who, d.id, access::Action::kPublishDataset, "");
  }
  return ctx.catalog.Transition(who, d.id, access::Action::kSubmitDataset, "");
}

// datastore_search: rows of a resource's table, CKAN's shape ("fields", "records", "_links",
// "total"), with the resource's access rules.
CkanResult DatastoreSearch(ApiContext& ctx, Params& p, const Principal& who) {
  const json& a = p.args;
  CkanArgs in(a);
  std::string rid = in.Str("resource_id");
  if (rid.empty()) rid = in.Str("id");
  std::string format = in.Str("records_format");
  if (!in.ok()) return ArgsError(in.status());
  if (rid.empty())
    return CkanError{409, "Validation Error", "", {{"resource_id", "Missing value"}}};
  auto res = ctx.catalog.GetResource(who, rid);
  if (!res.ok() || !ctx.datastore) {
    return CkanError{
        404, "Not Found Error", "Not found: Resource \"" + rid + "\" was not found.", {}};
  }
  auto table = ctx.datastore->Table(rid);
  if (table.ok() && !MayReadTable(ctx, who, res->second, *table)) {
    table = Status::NotFound("table of resource", rid);
  }
  if (!table.ok())
    return CkanError{
        404, "Not Found Error", "Not found: Resource \"" + rid + "\" was not found.", {}};
  auto parsed = ParseDatastoreQuery(a);
  if (!parsed.ok()) {
    if (IsBadParameter(parsed.status())) return ArgsError(parsed.status());
    CkanError e{409, "Validation Error", "", {}};
    for (const auto& [f, m] : parsed.status().fields()) e.fields[f] = m;
    return e;
  }
  datastore::Query q = *parsed;
  if (format.empty()) format = "objects";
  if (format != "objects" && format != "lists" && format != "csv" && format != "tsv") {
    return CkanError{409, "Validation Error", "", {{"records_format", "Unsupported value"}}};
  }
  auto validation = [](const Status& s) {
    CkanError e{409, "Validation Error", "", {}};
    for (const auto& [f, m] : s.fields()) e.fields[f] = m;
    if (e.fields.empty()) e.fields["query"] = s.message();
    return e;
  };
  // The total (cached per table and condition) and the field list first; the records last.
  datastore::Query counting = q;
  counting.limit = 0;
  auto found = ctx.datastore->Search(*table, counting);
  if (!found.ok()) return validation(found.status());
  // The links repeat the query, so that following `next` pages through the same rows: text the
  // caller sent as it was, filters and fields sent as JSON written again from what was read
  // (scalars only), never the caller's JSON itself.
  std::string base = "/api/3/action/datastore_search?resource_id=" + http::UrlEncode(rid);
  auto link_param = [&base](const char* key, const std::string& value) {
    base += std::string("&") + key + "=" + http::UrlEncode(value);
  };
  if (a.contains("q") && a["q"].is_string()) link_param("q", q.q);
  if (a.contains("filters") && a["filters"].is_string()) {
    link_param("filters", a["filters"].get<std::string>());
  } else if (a.contains("filters") && a["filters"].is_object()) {
    json filters = json::object();
    for (const auto& [field, values] : q.filters) {
      filters[field] = values.size() == 1 ? json(values[0]) : json(values);
    }
    link_param("filters", Dump(filters));
  }
  if (a.contains("fields") && a["fields"].is_string()) {
    link_param("fields", a["fields"].get<std::string>());
  } else if (a.contains("fields") && a["fields"].is_array()) {  // ["a", "b"] → "a,b"
    std::string joined;
    for (const auto& f : q.fields) joined += (joined.empty() ? "" : ",") + f;
    link_param("fields", joined);
  }
  if (a.contains("sort") && a["sort"].is_string()) link_param("sort", a["sort"].get<std::string>());
  if (a.contains("records_format") && !a["records_format"].is_null()) {
    link_param("records_format", format);
  }
  if (q.limit != 100) base += "&limit=" + std::to_string(q.limit);
  // The whole body written in one buffer: the envelope and the result's header as
  // nlohmann::json would write them (keys sorted), then the records last, straight from the
  // database. The strings written here are valid UTF-8 (ids and labels checked when loaded, the
  // resource id found in the catalogue, the links percent-encoded).
  std::string text = "{\"help\":";
  formats::AppendJsonString(text, Help(ctx, "datastore_search"));
  text += ",\"success\":true,\"result\":{\"_links\":{\"next\":";
  formats::AppendJsonString(text, base + "&offset=" + std::to_string(q.offset + q.limit));
  text += ",\"start\":";
  formats::AppendJsonString(text, base);
  text += "},\"fields\":[";
  for (size_t i = 0; i < found->fields.size(); ++i) {
    const auto& f = found->fields[i];
    text += i ? ",{\"id\":" : "{\"id\":";
    formats::AppendJsonString(text, f.id);
    if (f.id != "_id") {
      text += ",\"info\":{\"label\":";
      formats::AppendJsonString(text, f.label);
      text += '}';
    }
    text += ",\"type\":\"";
    text += datastore::CkanTypeName(f.type);
    text += "\"}";
  }
  text += "],\"include_total\":";
  text += q.include_total ? "true" : "false";
  text += ",\"limit\":" + std::to_string(q.limit);
  if (q.offset) text += ",\"offset\":" + std::to_string(q.offset);
  text += ",\"records_format\":";
  formats::AppendJsonString(text, format);
  text += ",\"resource_id\":";
  formats::AppendJsonString(text, rid);
  if (q.include_total)
    text += ",\"total\":" + std::to_string(found->total) + ",\"total_was_estimated\":false";
  text += ",\"records\":";
  if (format == "objects" || format == "lists") {
    auto rows = datastore::AppendRecordsJson(*ctx.datastore, *table, q, format == "objects", text);
    if (!rows.ok()) return validation(rows.status());
  } else {
    auto rows = ctx.datastore->Search(*table, q);
    if (!rows.ok()) return validation(rows.status());
    text += json(datastore::DelimitedRows(rows->rows, format == "tsv" ? '\t' : ',')).dump();
  }
  text += "}}";
  return RawJson{std::move(text), true};
}

// datastore_search_sql: one read-only SELECT over the datastore's tables (named by resource
// id), with the caller's access to each resource checked by the database's authorizer.
CkanResult DatastoreSearchSql(ApiContext& ctx, Params& p, const Principal& who) {
  const json& a = p.args;
  CkanArgs in(a);
  std::string sql = in.Str("sql");
  if (!in.ok()) return ArgsError(in.status());
  if (sql.empty()) return CkanError{409, "Validation Error", "", {{"sql", "Missing value"}}};
  if (!ctx.datastore)
    return CkanError{404, "Not Found Error", "Not found: the datastore is not enabled", {}};
  auto may_read = [&ctx, &who](const std::string& rid) {
    auto res = ctx.catalog.GetResource(who, rid);
    return res.ok() && MayReadRows(ctx, who, res->second);
  };
  datastore::SqlLimits limits;
  limits.timeout_ms =
      who.user_id.empty() ? ctx.config.sql_timeout_anonymous_ms : ctx.config.sql_timeout_ms;
  limits.max_answer_bytes = ctx.config.sql_max_answer_bytes;
  auto r = ctx.datastore->SearchSql(sql, may_read, limits);
  if (!r.ok()) {
    const Status& s = r.status();
    if (s.code() == StatusCode::kPermissionDenied) {
      return CkanError{403, "Authorization Error", "Access denied: " + s.message(), {}};
    }
    return CkanError{409, "Validation Error", "", {{"query", s.message()}}};
  }
  json fields = json::array();
  for (const auto& [name, type] : r->fields) fields.push_back({{"id", name}, {"type", type}});
  json records = json::array();
  for (const auto& row : r->rows) {
    json o = json::object();
    for (size_t c = 0; c < row.size() && c < r->fields.size(); ++c) o[r->fields[c].first] = row[c];
    records.push_back(std::move(o));
  }
  json out = {{"sql", sql}, {"fields", std::move(fields)}, {"records", std::move(records)}};
  if (r->truncated) out["records_truncated"] = true;
  return out;
}

using ActionFn = CkanResult (*)(ApiContext&, Params&, const Principal&);

struct ActionDef {
  bool write;  // POST only, and never anonymous
  ActionFn fn;
};

CkanResult StatusShow(ApiContext& ctx, Params&, const Principal&) {
  catalog::SiteSettings site = ctx.settings.Get();
  return json{{"site_title", site.title_vi},     {"site_description", site.tagline_vi},
              {"site_url", ctx.config.site_url}, {"error_emails_to", nullptr},
              {"locale_default", "vi"},          {"extensions", json::array({"odp"})},
              {"ckan_version", "2.11.5"},        {"odp_version", "0.1.0"}};
}

CkanResult SiteRead(ApiContext&, Params&, const Principal&) { return json(true); }

CkanResult PackageList(ApiContext& ctx, Params& p, const Principal&) {
  CkanArgs in(p.args);
  auto limit = in.Int("limit");
  long offset = in.Int("offset").value_or(0);
  if (!in.ok()) return ArgsError(in.status());
  auto slugs = ctx.catalog.ListPublicSlugs();
  json out = json::array();
  for (long i = offset; i < static_cast<long>(slugs.size()); ++i) {
    if (limit && i >= offset + *limit) break;
    out.push_back(slugs[static_cast<size_t>(i)]);
  }
  return out;
}

CkanResult ResourceShow(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs in(p.args);
  std::string id = in.Str("id");
  if (!in.ok()) return ArgsError(in.status());
  if (id.empty()) return CkanError{409, "Validation Error", "", {{"id", "Missing value"}}};
  auto r = ctx.catalog.GetResource(who, id);
  if (!r.ok()) return CkanError{404, "Not Found Error", "Not found: Resource was not found.", {}};
  return CkanResource(ctx, r->second, r->first->dataset);
}

CkanResult OrganizationList(ApiContext& ctx, Params& p, const Principal& who) {
  return GroupListResult(p.args, ctx.catalog.ListOrganizations(),
                         ctx.catalog.CountByFacet(who, "organization"), CkanOrganization,
                         "organizations");
}

CkanResult GroupList(ApiContext& ctx, Params& p, const Principal& who) {
  return GroupListResult(p.args, ctx.catalog.ListGroups(std::nullopt),
                         ctx.catalog.CountByFacet(who, "groups"), CkanGroup, "groups");
}

CkanResult OrganizationShow(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs in(p.args);
  std::string id = in.Str("id");
  if (!in.ok()) return ArgsError(in.status());
  if (id.empty()) return CkanError{409, "Validation Error", "", {{"id", "Missing value"}}};
  auto o = ctx.catalog.GetOrganization(id);
  if (!o.ok())
    return CkanError{404, "Not Found Error", "Not found: Organization was not found.", {}};
  json j = CkanOrganization(*o, ctx.catalog.CountByFacet(who, "organization")[o->slug]);
  j["users"] = json::array();
  if (in.Bool("include_datasets", false)) {
    j["packages"] = PackagesOf(ctx, who, "organization", o->slug, 10);
  }
  return j;
}

CkanResult GroupShow(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs in(p.args);
  std::string id = in.Str("id");
  if (!in.ok()) return ArgsError(in.status());
  if (id.empty()) return CkanError{409, "Validation Error", "", {{"id", "Missing value"}}};
  auto g = ctx.catalog.GetGroup(id);
  if (!g.ok()) return CkanError{404, "Not Found Error", "Not found: Group was not found.", {}};
  json j = CkanGroup(*g, ctx.catalog.CountByFacet(who, "groups")[g->slug]);
  j["users"] = json::array();
  if (in.Bool("include_datasets", false)) {
    j["packages"] = PackagesOf(ctx, who, "groups", g->slug, 1000);
  }
  return j;
}

CkanResult TagList(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs in(p.args);
  std::string q = in.Str("query");
  if (q.empty()) q = in.Str("q");
  if (!in.ok()) return ArgsError(in.status());
  std::string folded = text::FoldVietnamese(q);
  bool all = in.Bool("all_fields", false);
  json out = json::array();
  for (const auto& [tag, n] : ctx.catalog.CountByFacet(who, "tags")) {
    if (!folded.empty() && text::FoldVietnamese(tag).find(folded) == std::string::npos) continue;
    if (all) {
      out.push_back(
          {{"id", tag}, {"name", tag}, {"vocabulary_id", nullptr}, {"display_name", tag}});
    } else {
      out.push_back(tag);
    }
  }
  return out;
}

CkanResult LicenseList(ApiContext& ctx, Params&, const Principal&) {
  json out = json::array();
  for (const auto& l : ctx.catalog.ListLicenses()) out.push_back(CkanLicense(l));
  return out;
}

CkanResult CurrentPackageListWithResources(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs in(p.args);
  long limit = in.Int("limit").value_or(1000);
  long offset = in.Int("offset").value_or(0);
  long page = in.Int("page").value_or(0);
  if (!in.ok()) return ArgsError(in.status());
  if (page > 0) offset = (page - 1) * limit;
  catalog::SearchRequest sr;
  sr.include_restricted = false;
  sr.sort = catalog::SortOrder::kUpdated;
  sr.limit = static_cast<int>(std::min<long>(limit, 1000));
  sr.offset = static_cast<int>(offset);
  json out = json::array();
  for (const auto& e : ctx.catalog.Search(who, sr).results) out.push_back(CkanPackage(ctx, *e));
  return out;
}

CkanResult PackageCreate(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs args(p.args);
  const bool keep_draft = args.Str("state") == "draft";
  if (!args.ok()) return ArgsError(args.status());
  ODP_ASSIGN_OR_RETURN_WITH(catalog::DatasetInput in, CkanDatasetInput(ctx, p.args), FromStatus);
  ODP_ASSIGN_OR_RETURN_WITH(catalog::EntryPtr e, ctx.catalog.CreateDataset(who, in), FromStatus);
  ODP_ASSIGN_OR_RETURN_WITH(e, AdvanceAfterCreate(ctx, who, e, keep_draft), FromStatus);
  if (p.args.contains("resources") && p.args["resources"].is_array()) {
    for (const auto& r : p.args["resources"]) {
      if (!r.is_object()) continue;
      ODP_ASSIGN_OR_RETURN_WITH(
          auto added,
          ctx.catalog.AddResource(who, e->dataset.id, CkanResourceInput(r), std::nullopt),
          FromStatus);
      e = added.first;
    }
  }
  return CkanPackage(ctx, *e);
}

CkanResult PackageUpdate(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs args(p.args);
  std::string id = args.Str("id");
  if (id.empty()) id = args.Str("name");
  if (!args.ok()) return ArgsError(args.status());
  ODP_ASSIGN_OR_RETURN_WITH(catalog::DatasetInput in, CkanDatasetInput(ctx, p.args), FromStatus);
  // package_update replaces: fields the client left out are cleared.
  if (!in.tags) in.tags = std::vector<std::string>{};
  if (!in.extras) in.extras = std::map<std::string, std::string>{};
  if (!in.description_vi) in.description_vi = "";
  ODP_ASSIGN_OR_RETURN_WITH(catalog::EntryPtr e, ctx.catalog.UpdateDataset(who, id, in),
                            FromStatus);
  return CkanPackage(ctx, *e);
}

CkanResult PackagePatch(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs args(p.args);
  std::string id = args.Str("id");
  if (!args.ok()) return ArgsError(args.status());
  ODP_ASSIGN_OR_RETURN_WITH(catalog::DatasetInput in, CkanDatasetInput(ctx, p.args), FromStatus);
  if (in.slug && *in.slug == id) in.slug.reset();
  ODP_ASSIGN_OR_RETURN_WITH(catalog::EntryPtr e, ctx.catalog.UpdateDataset(who, id, in),
                            FromStatus);
  return CkanPackage(ctx, *e);
}

CkanResult PackageDelete(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs args(p.args);
  std::string id = args.Str("id");
  if (!args.ok()) return ArgsError(args.status());
  Status s = ctx.catalog.DeleteDataset(who, id);
  if (!s.ok()) return FromStatus(s);
  return json(nullptr);
}

CkanResult ResourceCreate(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs args(p.args);
  std::string pkg = args.Str("package_id");
  if (!args.ok()) return ArgsError(args.status());
  if (pkg.empty()) return CkanError{409, "Validation Error", "", {{"package_id", "Missing value"}}};
  // The right to write is checked before the file part reaches the blob store.
  if (Status s = ctx.catalog.CheckCanEdit(who, pkg); !s.ok()) return FromStatus(s);
  if (Status s = StoreFile(ctx, p); !s.ok()) return FromStatus(s);
  ODP_ASSIGN_OR_RETURN_WITH(
      auto r, ctx.catalog.AddResource(who, pkg, CkanResourceInput(p.args), p.file), FromStatus);
  return CkanResource(ctx, r.second, r.first->dataset);
}

CkanResult ResourceUpdate(ApiContext& ctx, Params& p, const Principal& who) {
  CkanArgs in(p.args);
  std::string id = in.Str("id");
  if (!in.ok()) return ArgsError(in.status());
  if (id.empty()) return CkanError{409, "Validation Error", "", {{"id", "Missing value"}}};
  ODP_ASSIGN_OR_RETURN_WITH(auto cur, ctx.catalog.GetResource(who, id), FromStatus);
  if (Status s = ctx.catalog.CheckCanEdit(who, cur.first->dataset.id); !s.ok())
    return FromStatus(s);
  if (Status s = StoreFile(ctx, p); !s.ok()) return FromStatus(s);
  ODP_ASSIGN_OR_RETURN_WITH(
      auto r, ctx.catalog.UpdateResource(who, id, CkanResourceInput(p.args), p.file), FromStatus);
  return CkanResource(ctx, r.second, r.first->dataset);
}

CkanResult OrganizationCreate(ApiContext& ctx, Params& p, const Principal& who) {
  catalog::OrganizationInput in;
  FieldReader f(p.args);
  f.Str("name", in.slug);
  f.Str("title", in.title_vi);
  f.Str("title_en", in.title_en);
  f.Str("description", in.description_vi);
  f.Str("description_en", in.description_en);
  f.Str("image_url", in.image_url);
  f.Str("parent", in.parent);
  if (!f.status().ok()) return FromStatus(f.status());
  if (!in.title_vi && in.slug) in.title_vi = *in.slug;
  ODP_ASSIGN_OR_RETURN_WITH(Organization o, ctx.catalog.CreateOrganization(who, in), FromStatus);
  return CkanOrganization(o, 0);
}

// Every action this portal answers, with its handler.
const std::map<std::string, ActionDef>& Actions() {
  static const std::map<std::string, ActionDef> kActions = {
      {"status_show", {false, StatusShow}},
      {"site_read", {false, SiteRead}},
      {"package_list", {false, PackageList}},
      {"datastore_search", {false, DatastoreSearch}},
      {"datastore_search_sql", {false, DatastoreSearchSql}},
      {"package_search", {false, PackageSearch}},
      {"package_show", {false, PackageShow}},
      {"resource_show", {false, ResourceShow}},
      {"organization_list", {false, OrganizationList}},
      {"group_list", {false, GroupList}},
      {"organization_show", {false, OrganizationShow}},
      {"group_show", {false, GroupShow}},
      {"tag_list", {false, TagList}},
      {"license_list", {false, LicenseList}},
      {"current_package_list_with_resources", {false, CurrentPackageListWithResources}},
      // Writes: POST only, never anonymous.
      {"package_create", {true, PackageCreate}},
      {"package_update", {true, PackageUpdate}},
      {"package_patch", {true, PackagePatch}},
      {"package_delete", {true, PackageDelete}},
      {"resource_create", {true, ResourceCreate}},
      {"resource_update", {true, ResourceUpdate}},
      {"organization_create", {true, OrganizationCreate}},
  };
  return kActions;
}

Response HandleAction(ApiContext& ctx, Request& req, const std::string& name) {
  auto it = Actions().find(name);
  if (it == Actions().end()) return BadRequest("Action name not known: " + name);
  const ActionDef& action = it->second;
  bool get = req.method == "GET" || req.method == "HEAD";
  if (get && action.write) return BadRequest("Action " + name + " requires a POST request");
  if (!get && req.method != "POST") return BadRequest("method " + req.method + " not allowed");
  auto who = Authenticate(ctx, req);
  if (!who.ok()) {
    return Envelope(
        ctx, name,
        CkanError{403, "Authorization Error", "Access denied: " + who.status().message(), {}});
  }
  if (action.write && !who->authenticated()) {
    // Anonymous callers may not write; refuse before an upload is parsed into the blob store.
    return Envelope(
        ctx, name,
        CkanError{403, "Authorization Error", "Access denied: log in or send an API token", {}});
  }
  if (!get) {
    Status csrf = CheckCsrf(*who, req);
    if (!csrf.ok()) return Envelope(ctx, name, FromStatus(csrf));
  }
  // Anonymous package_show answers come from a cache keyed by the dataset and the catalogue
  // generation: the hot path of CKAN harvesters and `ckanapi dump`.
  // Only the plain `?id=…` form is cached, so that the key names exactly what is answered.
  const bool cacheable = get && name == "package_show" && !who->authenticated() &&
                         req.query.size() == 1 && req.query[0].first == "id";
  std::string cache_key;
  int64_t gen = 0;
  if (cacheable) {
    cache_key = "ckan:package_show:" + req.Param("id");
    gen = ctx.catalog.generation();
    if (auto hit = ctx.cache.Get(cache_key, gen)) return JsonText(200, hit);
  }
  auto params = ReadParams(ctx, req);
  if (!params.ok()) {
    if (IsBadParameter(params.status())) return Envelope(ctx, name, ArgsError(params.status()));
    if (params.status().code() == StatusCode::kInvalidArgument &&
        !params.status().fields().empty()) {
      return Envelope(ctx, name, FromStatus(params.status()));
    }
    return BadRequest(params.status().message());
  }
  CkanResult result;
  try {
    result = action.fn(ctx, *params, *who);
  } catch (const json::exception& e) {
    result = CkanError{409, "Validation Error", e.what(), {{"message", e.what()}}};
  }
  Response r = Envelope(ctx, name, std::move(result));
  if (cacheable && r.status == 200) ctx.cache.Put(cache_key, gen, r.body);
  return r;
}

}  // namespace

std::vector<std::string> CkanActionNames() {
  std::vector<std::string> out;
  for (const auto& [name, def] : Actions()) out.push_back(name);
  return out;
}

void RegisterCkan(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  for (const char* base : {"/api/action/{name}", "/api/3/action/{name}"}) {
    router.AcceptUploads("POST", base, [](const PathParams& p) {
      return p.at("name") == "resource_create" || p.at("name") == "resource_update";
    });
    router.Add("*", base, [c](Request& req, const PathParams& p) {
      const int64_t gen = c->catalog.generation();  // before answering: see FastCache
      Response r = HandleAction(*c, req, p.at("name"));
      r.route =
          "/api/action/" + (Actions().count(p.at("name")) ? p.at("name") : std::string("unknown"));
      r.Set("Access-Control-Allow-Origin", "*");
      // Anonymous `package_show?id=…` answers go to the server's fast path.
      if (r.status == 200 && req.method == "GET" && p.at("name") == "package_show" &&
          req.query.size() == 1 && req.query[0].first == "id" && SentNoCredentials(req)) {
        c->fast.Put(req.target, gen, http::SerializeResponse(r), r.route);
      }
      return r;
    });
  }
}

}  // namespace odp::api

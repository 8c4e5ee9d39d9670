// The public site: home, search, dataset, organization, sector and topic pages, about, API.
//
// The preview on dataset pages (`TablePreview` in `src/web/public_pages.cpp`, rendered by
// `web/templates/dataset.mustache`). For each resource that has a table, the dataset page adds a
// collapsed `<details>` under the resource: "Xem trước bảng dữ liệu — 4 dòng, 5 cột" ("Preview the
// table — 4 rows, 5 columns"). Open, it shows:
//
// - the first 10 rows (`Search` with a limit of 10, in file order), without `_id`; numbers with a
//   decimal comma on Vietnamese pages, booleans as "Có"/"Không";
// - each column's label with its type name under it ("số nguyên", "số", "ngày", "có/không", "ngày
//   giờ", "văn bản");
// - "Đang hiện 4 / 4." (rows shown of all rows), and links to the CSV dump ("Tải bảng CSV (mở
//   được bằng Excel)") and the JSON dump;
// - when the load reported problems, "Báo cáo kiểm tra dữ liệu (N)" with N counting all of them
//   and the first 20 listed with their line and column, in the page's language;
// - a `datastore_search` `curl` example (`…&limit=5`, on `--site-url`) with a copy button.
//
// The preview is part of the dataset page, so exactly those who may read the dataset see it, and it
// links to the resource's own page.

#include <algorithm>
#include <set>

#include "api/api.h"
#include "api/datastore_api.h"
#include "api/grant_reads.h"
#include "api/openapi.h"
#include "base/parse.h"
#include "datastore/datastore.h"
#include "http/request.h"
#include "text/vietnamese.h"
#include "web/discovery.h"
#include "web/page.h"
#include "web/view_models.h"

namespace odp::web {
namespace {

using http::Response;

constexpr int kPageSize = 20;
const char* const kFacetFields[] = {"organization", "sector",     "topic", "tags",
                                    "res_format",   "license_id", "access"};

// A message of the catalogue with its "{name}" parts filled: the head's description of a list.
std::string Sentence(const Page& p, const std::string& key,
                     const std::map<std::string, std::string>& values) {
  std::string text = p.T(key);
  for (const auto& [name, value] : values) {
    const std::string mark = "{" + name + "}";
    for (size_t at = text.find(mark); at != std::string::npos;
         at = text.find(mark, at + value.size()))
      text.replace(at, mark.size(), value);
  }
  return text;
}

json GroupList(Page& p, GroupKind kind) {
  auto counts = p.api.catalog.CountByFacet(p.who, kind == GroupKind::kSector ? "sector" : "topic");
  json list = json::array();
  for (const Group& g : p.api.catalog.ListGroups(kind)) {
    auto it = counts.find(g.slug);
    int n = it == counts.end() ? 0 : it->second;
    list.push_back(
        {{"title", p.Pick(g.title_vi, g.title_en)},
         {"url",
          p.Url(std::string(kind == GroupKind::kSector ? "/sectors/" : "/topics/") + g.slug)},
         {"count", n}});
  }
  return list;
}

json Cards(Page& p, const catalog::SearchResponse& res) {
  json list = json::array();
  for (const auto& e : res.results) {
    if (e) list.push_back(DatasetCard(p, *e));
  }
  return list;
}

Response Home(Page& p, const api::PathParams&) {
  json v = p.View(p.api.settings.Get().title_vi);
  v["title"] = v["site"]["title"];
  v["is_home"] = true;
  catalog::SearchRequest sr;
  sr.sort = catalog::SortOrder::kNewest;
  sr.limit = 6;
  sr.include_restricted = false;
  auto newest = p.api.catalog.Search(p.who, sr);
  v["newest"] = Cards(p, newest);
  v["count_datasets"] = newest.total;
  v["count_orgs"] = static_cast<int>(p.api.catalog.ListOrganizations().size());
  const catalog::UsageSummary usage = p.api.catalog.Usage(p.who);
  auto top = p.api.catalog.MostDownloaded(p.who, usage, 6);
  json popular = json::array();
  for (const auto& [e, n] : top) {
    json c = DatasetCard(p, *e);
    c["downloads"] = FormatCount(n, p.lang);
    popular.push_back(std::move(c));
  }
  v["popular"] = std::move(popular);
  // Of what the visitor may read: a total over hidden datasets would tell when they are used.
  v["count_downloads_month"] = FormatCount(usage.this_month.downloads, p.lang);
  p.ShowsLiveFigures();
  v["sectors"] = GroupList(p, GroupKind::kSector);
  v["topics"] = GroupList(p, GroupKind::kTopic);
  p.Describe(Sentence(p, "meta_home",
                      {{"site", v["site"]["title"].get<std::string>()},
                       {"datasets", FormatCount(newest.total, p.lang)},
                       {"orgs", FormatCount(v["count_orgs"].get<int>(), p.lang)}}));
  p.SetFeed(p.Url("/feed.atom"));
  return p.Render("home", std::move(v));
}

// The search page; also the body of organization, sector and topic pages (`fixed` names the
// filter that the page itself sets, which is not offered as a removable filter).
json SearchView(Page& p, const std::string& fixed_field, const std::string& fixed_value,
                const std::string& path) {
  const http::Request& req = p.req;
  catalog::SearchRequest sr;
  sr.q = req.Param("q");
  for (const char* f : kFacetFields) {
    auto values = req.Params(f);
    std::vector<std::string> nonempty;
    for (auto& val : values) {
      if (!val.empty()) nonempty.push_back(val);
    }
    if (!nonempty.empty()) sr.filters[f] = nonempty;
    sr.facet_fields.push_back(f);
  }
  if (!fixed_field.empty()) sr.filters[fixed_field] = {fixed_value};
  std::string sort = req.Param("sort");
  static const std::map<std::string, catalog::SortOrder> kSorts = {
      {"", catalog::SortOrder::kRelevance},
      {"newest", catalog::SortOrder::kNewest},
      {"updated", catalog::SortOrder::kUpdated},
      {"title", catalog::SortOrder::kTitleAsc},
      {"oldest", catalog::SortOrder::kOldest}};
  auto sit = kSorts.find(sort);
  if (sit == kSorts.end()) sort.clear();
  sr.sort = sit == kSorts.end() ? catalog::SortOrder::kRelevance : sit->second;
  if (sr.sort == catalog::SortOrder::kRelevance && sr.q.empty())
    sr.sort = catalog::SortOrder::kUpdated;
  // Page 1 unless `page` is an integer; then held to 1 … 10000.
  Result<int64_t> asked = ParseInt(req.Param("page"));
  const int page = asked.ok() ? static_cast<int>(std::clamp<int64_t>(*asked, 1, 10000)) : 1;
  sr.offset = (page - 1) * kPageSize;
  sr.limit = kPageSize;
  sr.facet_limit = 12;
  sr.include_unpublished = false;
  auto res = p.api.catalog.Search(p.who, sr);

  // The current query as pairs, to build links that add or remove one value.
  std::vector<std::pair<std::string, std::string>> current;
  if (!sr.q.empty()) current.emplace_back("q", sr.q);
  for (const char* f : kFacetFields) {
    auto it = sr.filters.find(f);
    if (it == sr.filters.end() || f == fixed_field) continue;
    for (const auto& val : it->second) current.emplace_back(f, val);
  }
  if (!sort.empty()) current.emplace_back("sort", sort);
  auto link = [&](const std::vector<std::pair<std::string, std::string>>& params) {
    return p.Url(path) + QueryString(params);
  };

  json v;
  v["q"] = sr.q;
  v["total"] = res.total;
  v["has_results"] = res.total > 0;
  v["results"] = Cards(p, res);
  v["action"] = p.Url(path);
  v["hidden"] = json::array();  // filters kept when the search box is submitted
  for (const auto& [k, val] : current) {
    if (k != "q") v["hidden"].push_back({{"name", k}, {"value", val}});
  }
  json facets = json::array();
  for (const char* f : kFacetFields) {
    if (f == fixed_field) continue;
    auto fit = res.facets.find(f);
    if (fit == res.facets.end() || fit->second.empty()) continue;
    json items = json::array();
    for (const auto& fc : fit->second) {
      bool active = false;
      auto ait = sr.filters.find(f);
      if (ait != sr.filters.end()) {
        active = std::find(ait->second.begin(), ait->second.end(), fc.value) != ait->second.end();
      }
      auto params = current;
      if (active) {
        std::erase(params, std::make_pair(std::string(f), fc.value));
      } else {
        params.emplace_back(f, fc.value);
      }
      items.push_back({{"title", FacetTitle(p, f, fc.value)},
                       {"count", fc.count},
                       {"active", active},
                       {"url", link(params)}});
    }
    facets.push_back(
        {{"field", f}, {"label", p.T(std::string("facet_") + f)}, {"items", std::move(items)}});
  }
  v["facets"] = std::move(facets);
  json active = json::array();
  for (const auto& [k, val] : current) {
    if (k == "sort") continue;
    auto params = current;
    std::erase(params, std::make_pair(k, val));
    std::string label = k == "q" ? "“" + val + "”" : FacetTitle(p, k, val);
    active.push_back({{"label", label},
                      {"field", k == "q" ? p.T("search_words") : p.T("facet_" + k)},
                      {"remove_url", link(params)}});
  }
  v["active"] = std::move(active);
  v["has_active"] = !v["active"].empty();
  if (v["has_active"]) {
    v["clear_url"] = p.Url(path);
  }
  json sorts = json::array();
  for (const char* s : {"", "newest", "updated", "title"}) {
    sorts.push_back({{"value", s},
                     {"label", p.T(std::string("sort_") + (*s ? s : "relevance"))},
                     {"selected", sort == s}});
  }
  v["sorts"] = std::move(sorts);
  int pages = (res.total + kPageSize - 1) / kPageSize;
  if (pages > 1) {
    json pl = json::array();
    auto page_link = [&](int n) {
      auto params = current;
      if (n > 1) params.emplace_back("page", std::to_string(n));
      return link(params);
    };
    for (int n = std::max(1, page - 3); n <= std::min(pages, page + 3); ++n) {
      pl.push_back({{"n", n}, {"url", page_link(n)}, {"current", n == page}});
    }
    v["pager"] = {{"pages", pl},
                  {"has_prev", page > 1},
                  {"has_next", page < pages},
                  {"prev_url", page_link(page - 1)},
                  {"next_url", page_link(page + 1)}};
  }
  v["from"] = res.total == 0 ? 0 : sr.offset + 1;
  v["to"] = sr.offset + static_cast<int>(res.results.size());
  if (res.total == 0 && !sr.q.empty()) {
    std::string folded = text::FoldVietnamese(sr.q);
    if (folded != sr.q) {
      v["suggest"] = {{"q", folded}, {"url", p.Url(path) + QueryString({{"q", folded}})}};
    }
  }
  return v;
}

Response Search(Page& p, const api::PathParams&) {
  json v = p.View(p.T("nav_datasets"));
  std::string q = p.req.Param("q");
  if (!q.empty()) v["title"] = p.T("search_results_for") + " “" + q + "”";
  v["search"] = SearchView(p, "", "", "/datasets");
  p.Describe(q.empty() ? Sentence(p, "meta_search",
                                  {{"n", FormatCount(v["search"]["total"].get<int>(), p.lang)}})
                       : Sentence(p, "meta_search_q",
                                  {{"n", FormatCount(v["search"]["total"].get<int>(), p.lang)},
                                   {"q", q}}));
  p.SetFeed(p.Url("/feed.atom"));
  return p.Render("search", std::move(v));
}

// schema.org Dataset, for search engines; "</" is escaped so that the JSON cannot end the script.
std::string JsonLd(const Page& p, const catalog::DatasetEntry& e, const Organization* org,
                   const License* lic) {
  const Dataset& d = e.dataset;
  const std::string& site = p.api.config.site_url;
  json j = {{"@context", "https://schema.org"},
            {"@type", "Dataset"},
            {"name", p.Pick(d.title_vi, d.title_en)},
            {"description", d.description_vi.empty()
                                ? d.title_vi
                                : Excerpt(p.Pick(d.description_vi, d.description_en), 5000)},
            {"url", site + p.Url("/datasets/" + d.slug)},
            {"identifier", d.id},
            {"inLanguage", p.en() ? "en" : "vi"},
            {"isAccessibleForFree", true},
            {"dateCreated", FormatIsoSeconds(d.created)},
            {"dateModified", FormatIsoSeconds(d.modified)}};
  if (!d.tags.empty()) j["keywords"] = d.tags;
  if (org) {
    j["publisher"] = {{"@type", "GovernmentOrganization"},
                      {"name", org->title_vi},
                      {"url", site + "/organizations/" + org->slug}};
    j["creator"] = j["publisher"];
  }
  if (lic && !lic->url.empty()) j["license"] = lic->url;
  if (!d.temporal_start.empty() || !d.temporal_end.empty()) {
    j["temporalCoverage"] =
        d.temporal_start + "/" + (d.temporal_end.empty() ? ".." : d.temporal_end);
  }
  json dist = json::array();
  for (const auto& r : e.resources) {
    json x = {{"@type", "DataDownload"},
              {"name", r.name},
              {"encodingFormat", r.mimetype.empty() ? r.format : r.mimetype}};
    x["contentUrl"] = r.upload ? site + "/dataset/" + d.id + "/resource/" + r.id + "/download/" +
                                     http::UrlEncode(r.filename)
                               : r.url;
    if (r.size > 0) x["contentSize"] = std::to_string(r.size) + " B";
    dist.push_back(std::move(x));
  }
  if (!dist.empty()) j["distribution"] = std::move(dist);
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      out += "\\u003c";
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

// The first rows, the schema and the validation report of a resource's table (false when the
// resource has none).
json TablePreview(const Page& p, const Resource& r, const std::string& slug) {
  if (!p.api.datastore) return false;
  // The pages' reader is never a consumer system (page.cpp): never a grant's view here.
  auto found = api::TableFor(p.api, p.who, r.id, "");
  if (!found.ok() || found->grant) return false;
  auto t = Result<datastore::TableInfo>(std::move(found->table));
  datastore::Query q;
  q.limit = 10;
  auto rows = p.api.datastore->Search(*t, q);
  if (!rows.ok()) return false;
  json columns = json::array();
  for (const auto& f : t->fields) {
    columns.push_back({{"label", f.label},
                       {"id", f.id},
                       {"type", p.T(std::string("type_") + datastore::ToString(f.type))}});
  }
  json body = json::array();
  const std::vector<ColumnDisplay> shown_as = ColumnDisplays(rows->fields, rows->rows);
  for (const auto& row : rows->rows) {
    json cells = json::array();
    for (size_t c = 1; c < row.size() && c < shown_as.size(); ++c)
      cells.push_back(CellText(p, row[c], shown_as[c]));
    body.push_back({{"cells", cells}});
  }
  int64_t issue_total = 0;
  for (const auto& [kind, n] : t->issue_counts) issue_total += n;
  json issues = json::array();
  for (const auto& i : t->issues) {
    if (issues.size() >= 20) break;
    issues.push_back({{"line", i.line},
                      {"column", i.column > 0 ? json(i.column) : json(false)},
                      {"message", p.en() ? i.message_en : i.message_vi}});
  }
  const std::string& site = p.api.config.site_url;
  return {
      {"rows", t->rows},
      {"column_count", static_cast<int>(t->fields.size())},
      {"columns", columns},
      {"body", body},
      {"shown", static_cast<int>(rows->rows.size())},
      {"issue_total", issue_total},
      {"has_issues", issue_total > 0},
      {"issues", issues},
      {"dump_csv", "/datastore/dump/" + r.id},
      {"dump_json", "/datastore/dump/" + r.id + "?format=json"},
      {"api", "curl '" + site + "/api/3/action/datastore_search?resource_id=" + r.id + "&limit=5'"},
      {"api_id", "api-ds-" + r.id},
      {"page_url", p.Url("/datasets/" + slug + "/resources/" + r.id)}};
}

namespace {

Response DatasetPage(Page& p, const api::PathParams& params) {
  auto got = p.api.catalog.GetDataset(p.who, params.at("slug"));
  if (!got.ok()) return p.Error(got.status());
  const catalog::DatasetEntry& e = **got;
  const Dataset& d = e.dataset;
  p.CountView(d.id);
  p.ShowsLiveFigures();
  auto counted = p.api.catalog.DatasetUsage(p.who, d.id);
  catalog::UsageSummary usage = counted.ok() ? std::move(*counted) : catalog::UsageSummary{};
  json v = p.View(p.Pick(d.title_vi, d.title_en));
  json ds;
  ds["usage"] = {{"views", FormatCount(usage.total.views, p.lang)},
                 {"downloads", FormatCount(usage.total.downloads, p.lang)},
                 {"views_month", FormatCount(usage.this_month.views, p.lang)},
                 {"downloads_month", FormatCount(usage.this_month.downloads, p.lang)},
                 {"api", "/api/v1/stats/datasets/" + d.slug}};
  ds["id"] = d.id;
  ds["slug"] = d.slug;
  ds["title"] = p.Pick(d.title_vi, d.title_en);
  ds["other_title"] = p.en() ? d.title_vi : d.title_en;
  std::string desc = p.Pick(d.description_vi, d.description_en);
  ds["description_html"] = MarkdownToHtml(desc);
  ds["has_description"] = !desc.empty();
  auto org = p.api.catalog.GetOrganization(d.organization_id);
  if (org.ok()) {
    ds["org"] = {{"title", p.Pick(org->title_vi, org->title_en)},
                 {"url", p.Url("/organizations/" + org->slug)}};
  }
  json groups = json::array();
  for (const auto* ids : {&d.sector_ids, &d.topic_ids}) {
    for (const auto& gid : *ids) {
      auto g = p.api.catalog.GetGroup(gid);
      if (!g.ok()) continue;
      groups.push_back(
          {{"title", p.Pick(g->title_vi, g->title_en)},
           {"kind", p.T(g->kind == GroupKind::kSector ? "label_sector" : "label_topic")},
           {"url", p.Url(std::string(g->kind == GroupKind::kSector ? "/sectors/" : "/topics/") +
                         g->slug)}});
    }
  }
  ds["groups"] = std::move(groups);
  json tags = json::array();
  for (const auto& t : d.tags)
    tags.push_back({{"name", t}, {"url", p.Url("/datasets" + QueryString({{"tags", t}}))}});
  ds["tags"] = std::move(tags);
  auto lic = p.api.catalog.GetLicense(d.license_id);
  if (lic.ok())
    ds["license"] = {
        {"title", p.Pick(lic->title_vi, lic->title_en)}, {"url", lic->url}, {"open", lic->is_open}};
  ds["frequency"] = FrequencyLabel(p, d.update_frequency);
  if (!d.temporal_start.empty() || !d.temporal_end.empty()) {
    ds["temporal"] = d.temporal_start + " – " + d.temporal_end;
  }
  std::string spatial;
  for (const auto& s : d.spatial) spatial += (spatial.empty() ? "" : ", ") + s;
  ds["spatial"] = spatial;
  ds["contact_name"] = d.contact_name;
  ds["contact_email"] = d.contact_email;
  ds["version"] = d.version;
  ds["created"] = p.Date(d.created);
  ds["modified"] = p.Date(d.modified);
  ds["published"] = p.Date(d.published);
  ds["access_label"] = AccessLabel(p, d.access);
  ds["access_explain"] = p.T(std::string("access_") + ToString(d.access) + "_explain");
  ds["restricted"] = d.access != AccessTier::kPublic;
  ds["state_label"] = StateLabel(p, d.state);
  ds["unpublished"] = d.state != DatasetState::kPublished;
  ds["state_reason"] = d.state_reason;
  json resources = json::array();
  for (const auto& r : e.resources) {
    json x;
    x["id"] = r.id;
    x["name"] = r.name.empty() ? r.filename : r.name;
    x["description"] = r.description;
    x["format"] = r.format.empty() ? "—" : r.format;
    x["upload"] = r.upload;
    x["size"] = r.upload ? FormatBytes(r.size, p.lang) : "";
    x["modified"] = p.Date(r.modified);
    x["version"] = r.version;
    x["has_versions"] = r.version > 1;
    x["url"] = r.upload ? "/dataset/" + d.id + "/resource/" + r.id + "/download/" +
                              http::UrlEncode(r.filename)
                        : r.url;
    x["filename"] = r.filename;
    x["table"] = TablePreview(p, r, d.slug);
    auto used = usage.resources.find(r.id);
    x["downloads"] =
        FormatCount(used == usage.resources.end() ? 0 : used->second.downloads, p.lang);
    resources.push_back(std::move(x));
  }
  ds["resources"] = std::move(resources);
  ds["has_resources"] = !e.resources.empty();
  bool can_edit = p.api.catalog.CheckCanEdit(p.who, d.id).ok();
  ds["can_edit"] = can_edit;
  ds["edit_url"] = p.Url("/workspace/datasets/" + d.slug);
  // Everyone sees when the dataset changed; who did it and review reasons are for its editors.
  ds["history"] = HistoryView(p, d.id, can_edit, 50);
  const std::string& site = p.api.config.site_url;
  ds["api_rest"] = "curl '" + site + "/api/v1/datasets/" + d.slug + "'";
  ds["api_ckan"] = "curl '" + site + "/api/3/action/package_show?id=" + d.slug + "'";
  v["ds"] = std::move(ds);
  v["jsonld"] = JsonLd(p, e, org.ok() ? &*org : nullptr, lic.ok() ? &*lic : nullptr);
  std::string first = FirstSentence(desc);
  p.Describe(first.empty() ? p.Pick(d.title_vi, d.title_en) : first);
  p.SetOpenGraphType("article");
  // Only a published public dataset can be followed (and only its news is ever mailed).
  if (d.state == DatasetState::kPublished && d.access == AccessTier::kPublic)
    p.SetFollowTarget("dataset", d.slug);
  return p.Render("dataset", std::move(v));
}

Response Organizations(Page& p, const api::PathParams&) {
  json v = p.View(p.T("nav_organizations"));
  auto counts = p.api.catalog.CountByFacet(p.who, "organization");
  auto orgs = p.api.catalog.ListOrganizations();
  std::map<std::string, std::vector<const Organization*>> children;
  for (const auto& o : orgs) children[o.parent_id].push_back(&o);
  std::function<json(const std::string&)> tree = [&](const std::string& parent) {
    json list = json::array();
    for (const Organization* o : children[parent]) {
      auto it = counts.find(o->slug);
      json x = {{"title", p.Pick(o->title_vi, o->title_en)},
                {"url", p.Url("/organizations/" + o->slug)},
                {"count", it == counts.end() ? 0 : it->second}};
      json kids = tree(o->id);
      x["has_children"] = !kids.empty();
      x["children"] = std::move(kids);
      list.push_back(std::move(x));
    }
    return list;
  };
  v["orgs"] = tree("");
  p.Describe(
      Sentence(p, "meta_orgs", {{"n", FormatCount(static_cast<int64_t>(orgs.size()), p.lang)}}));
  return p.Render("organizations", std::move(v));
}

Response OrganizationPage(Page& p, const api::PathParams& params) {
  auto org = p.api.catalog.GetOrganization(params.at("slug"));
  if (!org.ok()) return p.Error(org.status());
  json v = p.View(p.Pick(org->title_vi, org->title_en));
  json o = {{"title", p.Pick(org->title_vi, org->title_en)},
            {"description_html", MarkdownToHtml(p.Pick(org->description_vi, org->description_en))},
            {"email", org->email},
            {"image_url", org->image_url}};
  if (!org->parent_id.empty()) {
    if (auto parent = p.api.catalog.GetOrganization(org->parent_id); parent.ok()) {
      o["parent"] = {{"title", p.Pick(parent->title_vi, parent->title_en)},
                     {"url", p.Url("/organizations/" + parent->slug)}};
    }
  }
  json kids = json::array();
  for (const auto& c : p.api.catalog.ListOrganizations()) {
    if (c.parent_id == org->id)
      kids.push_back(
          {{"title", p.Pick(c.title_vi, c.title_en)}, {"url", p.Url("/organizations/" + c.slug)}});
  }
  o["has_children"] = !kids.empty();
  o["children"] = std::move(kids);
  v["org"] = std::move(o);
  v["search"] = SearchView(p, "organization", org->slug, "/organizations/" + org->slug);
  std::string about = FirstSentence(p.Pick(org->description_vi, org->description_en));
  p.Describe(about.empty() ? Sentence(p, "meta_org",
                                      {{"org", p.Pick(org->title_vi, org->title_en)},
                                       {"n", FormatCount(v["search"]["total"].get<int>(), p.lang)}})
                           : about);
  p.SetFeed(p.Url("/organizations/" + org->slug + "/feed.atom"));
  p.SetFollowTarget("organization", org->slug);
  return p.Render("organization", std::move(v));
}

Response GroupsPage(Page& p, GroupKind kind) {
  json v = p.View(p.T(kind == GroupKind::kSector ? "nav_sectors" : "nav_topics"));
  v["groups"] = GroupList(p, kind);
  v["intro"] = p.T(kind == GroupKind::kSector ? "sectors_intro" : "topics_intro");
  p.Describe(Sentence(p, kind == GroupKind::kSector ? "meta_sectors" : "meta_topics",
                      {{"n", FormatCount(static_cast<int64_t>(v["groups"].size()), p.lang)}}));
  return p.Render("groups", std::move(v));
}

Response GroupPage(Page& p, GroupKind kind, const std::string& slug) {
  auto g = p.api.catalog.GetGroup(slug);
  if (!g.ok() || g->kind != kind)
    return p.Error(Status::NotFound(kind == GroupKind::kSector ? "sector" : "topic", slug));
  json v = p.View(p.Pick(g->title_vi, g->title_en));
  v["group"] = {{"title", p.Pick(g->title_vi, g->title_en)},
                {"kind", p.T(kind == GroupKind::kSector ? "label_sector" : "label_topic")},
                {"description_html", MarkdownToHtml(p.Pick(g->description_vi, g->description_en))}};
  std::string base = kind == GroupKind::kSector ? "/sectors/" : "/topics/";
  v["search"] =
      SearchView(p, kind == GroupKind::kSector ? "sector" : "topic", g->slug, base + g->slug);
  std::string about = FirstSentence(p.Pick(g->description_vi, g->description_en));
  p.Describe(about.empty() ? Sentence(p, "meta_group",
                                      {{"group", p.Pick(g->title_vi, g->title_en)},
                                       {"n", FormatCount(v["search"]["total"].get<int>(), p.lang)}})
                           : about);
  p.SetFeed(p.Url(base + g->slug + "/feed.atom"));
  return p.Render("group", std::move(v));
}

// The terms of use or the privacy notice: the administrator's text in this language (the
// Vietnamese one when the English is empty), else the portal's built-in text.
Response Notice(Page& p, bool privacy) {
  catalog::SiteSettings s = p.api.settings.Get();
  const std::string& text =
      privacy ? p.Pick(s.privacy_vi, s.privacy_en) : p.Pick(s.terms_vi, s.terms_en);
  json v = p.View(p.T(privacy ? "privacy_title" : "terms_title"));
  v["notice_html"] = MarkdownToHtml(
      text.empty() ? p.T(privacy ? "privacy_default_md" : "terms_default_md") : text);
  v["privacy"] = privacy;
  v["built_in"] = text.empty();
  v["version"] = catalog::PrivacyVersion(s);
  v["updated"] = s.privacy_updated.empty() ? std::string() : p.Day(s.privacy_updated);
  // Shown untranslated when the English page falls back to the Vietnamese text.
  v["fallback_vi"] =
      p.en() && !text.empty() && (privacy ? s.privacy_en.empty() : s.terms_en.empty());
  return p.Render("notice", std::move(v));
}

Response About(Page& p, const api::PathParams&) {
  json v = p.View(p.T("nav_about"));
  v["count_datasets"] = static_cast<int>(p.api.catalog.ListPublicSlugs().size());
  v["count_orgs"] = static_cast<int>(p.api.catalog.ListOrganizations().size());
  json lic = json::array();
  for (const auto& l : p.api.catalog.ListLicenses()) {
    lic.push_back({{"title", p.Pick(l.title_vi, l.title_en)}, {"url", l.url}, {"open", l.is_open}});
  }
  v["licenses"] = std::move(lic);
  p.Describe(Sentence(p, "meta_about",
                      {{"datasets", FormatCount(v["count_datasets"].get<int>(), p.lang)},
                       {"orgs", FormatCount(v["count_orgs"].get<int>(), p.lang)}}));
  return p.Render("about", std::move(v));
}

// The OpenAPI document as a page: its operations grouped by its tags, in the document's order,
// with the summaries and descriptions of the reader's language (`x-summary-vi`,
// `x-description-vi` in Vietnamese). Operations whose tag is not declared come last.
Response Developers(Page& p, const api::PathParams&) {
  json v = p.View(p.T("nav_api"));
  const auto& doc = api::OpenApiJson();
  json groups = json::array();
  std::map<std::string, size_t> group_of;  // tag → index in groups
  auto text = [](const auto& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->template get<std::string>() : std::string();
  };
  if (auto tags = doc.find("tags"); tags != doc.end() && tags->is_array()) {
    for (const auto& t : *tags) {
      std::string name = text(t, "name");
      group_of[name] = groups.size();
      groups.push_back({{"tag", name},
                        {"title", p.Pick(text(t, "x-description-vi"), text(t, "description"))},
                        {"operations", json::array()}});
    }
  }
  for (const api::OpenApiOperation& op : api::OpenApiOperations()) {
    auto [it, added] = group_of.emplace(op.tag, groups.size());
    if (added)
      groups.push_back({{"tag", op.tag}, {"title", op.tag}, {"operations", json::array()}});
    const std::string& description = p.Pick(op.description_vi, op.description);
    groups[it->second]["operations"].push_back(
        {{"method", op.method},
         {"path", op.path},
         {"summary", p.Pick(op.summary_vi, op.summary)},
         {"has_description", !description.empty()},
         {"description_html", description.empty() ? std::string() : MarkdownToHtml(description)}});
  }
  json shown = json::array();
  for (auto& g : groups) {
    if (!g["operations"].empty()) shown.push_back(std::move(g));
  }
  v["groups"] = std::move(shown);
  v["site_url"] = p.api.config.site_url;
  p.Describe(p.T("meta_developers"));
  return p.Render("developers", std::move(v));
}

}  // namespace

void RegisterPublicPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/", Home, Cacheable::kYes);
  AddPage(router, web, "GET", "/datasets", Search, Cacheable::kYes);
  AddPage(router, web, "GET", "/datasets/{slug}", DatasetPage, Cacheable::kYes);
  AddPage(router, web, "GET", "/datasets/{slug}/resources/{id}", ResourcePage, Cacheable::kYes);
  AddPage(router, web, "GET", "/organizations", Organizations, Cacheable::kYes);
  AddPage(router, web, "GET", "/organizations/{slug}", OrganizationPage, Cacheable::kYes);
  AddPage(
      router, web, "GET", "/sectors",
      [](Page& p, const api::PathParams&) { return GroupsPage(p, GroupKind::kSector); },
      Cacheable::kYes);
  AddPage(
      router, web, "GET", "/topics",
      [](Page& p, const api::PathParams&) { return GroupsPage(p, GroupKind::kTopic); },
      Cacheable::kYes);
  AddPage(
      router, web, "GET", "/sectors/{slug}",
      [](Page& p, const api::PathParams& a) {
        return GroupPage(p, GroupKind::kSector, a.at("slug"));
      },
      Cacheable::kYes);
  AddPage(
      router, web, "GET", "/topics/{slug}",
      [](Page& p, const api::PathParams& a) {
        return GroupPage(p, GroupKind::kTopic, a.at("slug"));
      },
      Cacheable::kYes);
  AddPage(router, web, "GET", "/about", About, Cacheable::kYes);
  AddPage(
      router, web, "GET", "/dieu-khoan",
      [](Page& p, const api::PathParams&) { return Notice(p, false); }, Cacheable::kYes);
  AddPage(
      router, web, "GET", "/quyen-rieng-tu",
      [](Page& p, const api::PathParams&) { return Notice(p, true); }, Cacheable::kYes);
  AddPage(router, web, "GET", "/developers", Developers, Cacheable::kYes);
}

}  // namespace odp::web

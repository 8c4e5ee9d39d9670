// What crawlers and feed readers fetch: /robots.txt, the sitemap (/sitemap.xml, an index of
// /sitemap-N.xml) and the Atom feeds of new and updated public datasets (web/discovery.h for
// the formats).
//
// Only published public datasets appear, and the lists come from CatalogService's memory
// (ListPublicDatasets), so a request costs no database read. Answers to anonymous GETs go into
// the page cache until the next catalogue write, like the public pages (bodies over 1 MB, which
// only sitemap files of large catalogues reach, are rebuilt from memory instead). Feeds exist in
// both languages (`/feed.atom`, `/en/feed.atom`, …); robots.txt and the sitemap, which list
// both languages, only once.

#include <algorithm>
#include <map>

#include "api/api.h"
#include "base/parse.h"
#include "http/request.h"
#include "web/discovery.h"
#include "web/page.h"
#include "web/view_models.h"

namespace odp::web {
namespace {

using http::Response;

constexpr size_t kMaxCachedBody = 1 << 20;
constexpr size_t kFeedEntries = 50;

// Registers a route answered the same to everyone, kept in the page cache for anonymous GETs.
void AddCachedRoute(api::Router& router, WebContext& web, const std::string& pattern,
                    std::function<Response(WebContext&, const api::PathParams&)> build) {
  router.Add("GET", pattern,
             [&web, pattern, build](http::Request& req, const api::PathParams& params) {
               const int64_t generation = web.api.catalog.generation();
               Response r = build(web, params);
               r.route = pattern;
               r.Set("X-Content-Type-Options", "nosniff");
               r.Set("Cache-Control", "no-cache");
               if (r.status == 200 && api::SentNoCredentials(req) &&
                   r.body.size() <= kMaxCachedBody && req.AllParamsRead()) {
                 web.api.fast.Put(req.target, generation, http::SerializeResponse(r), pattern);
               }
               return r;
             });
}

Response Text(int status, const std::string& type, std::string body) {
  Response r;
  r.status = status;
  r.Set("Content-Type", type);
  r.body = std::move(body);
  return r;
}

Response Robots(WebContext& web, const api::PathParams&) {
  std::string out =
      "# Cổng dữ liệu mở: the public pages may be crawled in both languages.\n"
      "User-agent: *\n"
      "Allow: /\n";
  // Administration, accounts, workspaces, the machine interfaces and their downloads, and the
  // combinations of search filters, which would explode into countless addresses.
  for (const char* path :
       {"/admin", "/login", "/register", "/logout", "/profile", "/tokens", "/quen-mat-khau",
        "/dat-mat-khau", "/workspace", "/chia-se", "/thong-bao", "/theo-doi", "/api/",
        "/datastore/", "/datasets?", "/datasets/*/resources/*?", "/organizations/*?", "/sectors/*?",
        "/topics/*?"}) {
    out += "Disallow: " + std::string(path) + "\n";
    if (std::string_view(path).starts_with("/api/") ||
        std::string_view(path).starts_with("/datastore/"))
      continue;
    out += "Disallow: /en" + std::string(path) + "\n";
  }
  // The pages of a plain list stay reachable.
  out += "Allow: /datasets?page=\nAllow: /en/datasets?page=\n";
  out += "Allow: /api/v1/openapi.json\n";
  out += "\nSitemap: " + web.api.config.site_url + "/sitemap.xml\n";
  return Text(200, "text/plain; charset=utf-8", std::move(out));
}

// Every public page of the site, once (the sitemap lists each in both languages).
std::vector<SitemapEntry> SitemapEntries(WebContext& web) {
  catalog::CatalogService& cat = web.api.catalog;
  std::vector<catalog::PublicDatasetRef> datasets = cat.ListPublicDatasets();
  Micros newest = 0;
  std::map<std::string, Micros> newest_of_org;
  std::map<std::string, Micros> newest_of_group;
  for (const auto& d : datasets) {
    newest = std::max(newest, d.modified);
    Micros& o = newest_of_org[d.organization_id];
    o = std::max(o, d.modified);
    for (const auto* ids : {&d.sector_ids, &d.topic_ids}) {
      for (const auto& g : *ids) {
        Micros& m = newest_of_group[g];
        m = std::max(m, d.modified);
      }
    }
  }
  std::vector<SitemapEntry> out;
  out.reserve(datasets.size() + 64);
  out.push_back({"/", newest, ""});
  out.push_back({"/datasets", newest, ""});
  out.push_back({"/organizations", 0, ""});
  out.push_back({"/sectors", 0, ""});
  out.push_back({"/topics", 0, ""});
  out.push_back({"/about", 0, ""});
  out.push_back({"/developers", 0, ""});
  out.push_back({"/thong-ke", 0, "/en/statistics"});
  out.push_back({"/dieu-khoan", 0, ""});
  out.push_back({"/quyen-rieng-tu", 0, ""});
  for (const auto& o : cat.ListOrganizations()) {
    auto it = newest_of_org.find(o.id);
    out.push_back({"/organizations/" + o.slug,
                   std::max(o.modified, it == newest_of_org.end() ? Micros{0} : it->second), ""});
  }
  for (const auto& g : cat.ListGroups(std::nullopt)) {
    auto it = newest_of_group.find(g.id);
    out.push_back({std::string(g.kind == GroupKind::kSector ? "/sectors/" : "/topics/") + g.slug,
                   it == newest_of_group.end() ? g.created : it->second, ""});
  }
  for (const auto& d : datasets) out.push_back({"/datasets/" + d.slug, d.modified, ""});
  return out;
}

Response SitemapIndex(WebContext& web, const api::PathParams&) {
  return Text(200, "application/xml; charset=utf-8",
              SitemapIndexXml(web.api.config.site_url, SitemapEntries(web), web.sitemap_page_size));
}

Response SitemapFile(WebContext& web, const api::PathParams& params) {
  Result<int64_t> n = ParseInt(params.at("n"));
  std::string body;
  if (n.ok() && *n >= 1 && *n <= 1000000) {
    body = SitemapXml(web.api.config.site_url, SitemapEntries(web), static_cast<size_t>(*n),
                      web.sitemap_page_size);
  }
  if (body.empty()) return Text(404, "text/plain; charset=utf-8", "not found\n");
  return Text(200, "application/xml; charset=utf-8", std::move(body));
}

// The feed of the newest public datasets matching `keep`, for the page at `page_path` (a
// Vietnamese path), titled `title`.
Response Feed(Page& p, const std::string& page_path, const std::string& title,
              const std::function<bool(const catalog::PublicDatasetRef&)>& keep) {
  std::vector<catalog::PublicDatasetRef> all = p.api.catalog.ListPublicDatasets();
  // An empty feed is as new as the catalogue's newest public dataset.
  Micros newest = 0;
  for (const auto& d : all) newest = std::max(newest, d.modified);
  std::erase_if(all, [&](const catalog::PublicDatasetRef& d) { return !keep(d); });
  const size_t n = std::min(all.size(), kFeedEntries);
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const auto& a, const auto& b) {
                      return a.modified != b.modified ? a.modified > b.modified : a.slug < b.slug;
                    });
  all.resize(n);
  const std::string& site = p.api.config.site_url;
  const catalog::SiteSettings s = p.api.settings.Get();
  AtomFeed f;
  const std::string path = p.en() ? EnglishPath(page_path) : page_path;
  f.self_url = site + (page_path == "/" ? p.Url("/feed.atom") : p.Url(page_path + "/feed.atom"));
  f.id = f.self_url;
  f.html_url = site + path;
  f.title = title + " · " + p.Pick(s.title_vi, s.title_en);
  f.subtitle = p.T("feed_subtitle");
  f.language = p.en() ? "en" : "vi";
  f.author = p.Pick(s.agency_vi, s.agency_en);
  f.updated = newest;
  std::map<std::string, std::string> org_titles;
  for (const auto& o : p.api.catalog.ListOrganizations())
    org_titles[o.id] = p.Pick(o.title_vi, o.title_en);
  for (const auto& ref : all) {
    // Read as an anonymous visitor: only what everyone may read reaches a feed.
    auto got = p.api.catalog.GetDataset(access::Principal{}, ref.id);
    if (!got.ok()) continue;
    const Dataset& d = (*got)->dataset;
    AtomEntry e;
    e.url = site + p.Url("/datasets/" + d.slug);
    e.id = "urn:odp:dataset:" + d.id;
    e.title = p.Pick(d.title_vi, d.title_en);
    e.summary = Excerpt(p.Pick(d.description_vi, d.description_en), 600);
    e.updated = d.modified;
    e.published = d.published;
    e.author = org_titles[d.organization_id];
    f.entries.push_back(std::move(e));
  }
  Response r = Text(200, "application/atom+xml; charset=utf-8", AtomXml(f));
  r.Set("X-Content-Type-Options", "nosniff");
  return r;
}

Response SiteFeed(Page& p, const api::PathParams&) {
  return Feed(p, "/", p.T("feed_new_datasets"), [](const auto&) { return true; });
}

Response OrganizationFeed(Page& p, const api::PathParams& params) {
  auto org = p.api.catalog.GetOrganization(params.at("slug"));
  if (!org.ok()) return p.Error(org.status());
  const std::string id = org->id;
  return Feed(p, "/organizations/" + org->slug, p.Pick(org->title_vi, org->title_en),
              [&id](const catalog::PublicDatasetRef& d) { return d.organization_id == id; });
}

Response GroupFeed(Page& p, GroupKind kind, const std::string& slug) {
  auto g = p.api.catalog.GetGroup(slug);
  if (!g.ok() || g->kind != kind)
    return p.Error(Status::NotFound(kind == GroupKind::kSector ? "sector" : "topic", slug));
  const std::string id = g->id;
  const bool sector = kind == GroupKind::kSector;
  return Feed(p, std::string(sector ? "/sectors/" : "/topics/") + g->slug,
              p.Pick(g->title_vi, g->title_en), [&id, sector](const catalog::PublicDatasetRef& d) {
                const auto& ids = sector ? d.sector_ids : d.topic_ids;
                return std::find(ids.begin(), ids.end(), id) != ids.end();
              });
}

}  // namespace

void RegisterDiscoveryPages(api::Router& router, WebContext& web) {
  AddCachedRoute(router, web, "/robots.txt", Robots);
  AddCachedRoute(router, web, "/sitemap.xml", SitemapIndex);
  AddCachedRoute(router, web, "/sitemap-{n}.xml", SitemapFile);
  AddPage(router, web, "GET", "/feed.atom", SiteFeed, Cacheable::kYes);
  AddPage(router, web, "GET", "/organizations/{slug}/feed.atom", OrganizationFeed, Cacheable::kYes);
  AddPage(
      router, web, "GET", "/sectors/{slug}/feed.atom",
      [](Page& p, const api::PathParams& a) {
        return GroupFeed(p, GroupKind::kSector, a.at("slug"));
      },
      Cacheable::kYes);
  AddPage(
      router, web, "GET", "/topics/{slug}/feed.atom",
      [](Page& p, const api::PathParams& a) {
        return GroupFeed(p, GroupKind::kTopic, a.at("slug"));
      },
      Cacheable::kYes);
}

}  // namespace odp::web

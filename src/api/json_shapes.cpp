#include "api/json_shapes.h"

#include "datastore/datastore.h"
#include "http/request.h"

namespace odp::api {
namespace {

json Iso(Micros t) { return t == 0 ? json(nullptr) : json(FormatIsoMicros(t)); }
json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

std::string DownloadUrl(const ApiContext& ctx, const Resource& r) {
  if (!r.upload) return r.url;
  return ctx.config.site_url + "/dataset/" + r.dataset_id + "/resource/" + r.id + "/download/" +
         http::UrlEncode(r.filename);
}

json OrganizationJson(const Organization& o) {
  return {{"id", o.id},
          {"slug", o.slug},
          {"title_vi", o.title_vi},
          {"title_en", o.title_en},
          {"description_vi", o.description_vi},
          {"description_en", o.description_en},
          {"parent_id", OrNull(o.parent_id)},
          {"image_url", o.image_url},
          {"email", o.email},
          {"created", FormatIsoSeconds(o.created)},
          {"modified", FormatIsoSeconds(o.modified)}};
}

json GroupJson(const Group& g) {
  return {{"id", g.id},
          {"kind", ToString(g.kind)},
          {"slug", g.slug},
          {"title_vi", g.title_vi},
          {"title_en", g.title_en},
          {"description_vi", g.description_vi},
          {"description_en", g.description_en},
          {"position", g.position}};
}

json LicenseJson(const License& l) {
  return {{"id", l.id},
          {"title_vi", l.title_vi},
          {"title_en", l.title_en},
          {"url", l.url},
          {"is_open", l.is_open}};
}

json ResourceJson(const ApiContext& ctx, const Resource& r, const Dataset& d) {
  json j = {{"id", r.id},
            {"dataset_id", r.dataset_id},
            {"name", r.name},
            {"description", r.description},
            {"format", r.format},
            {"kind", r.upload ? "upload" : "link"},
            {"url", DownloadUrl(ctx, r)},
            {"position", r.position},
            {"created", FormatIsoSeconds(r.created)},
            {"modified", FormatIsoSeconds(r.modified)}};
  if (r.upload) {
    j["filename"] = r.filename;
    j["mimetype"] = r.mimetype;
    j["size"] = r.size;
    j["sha256"] = r.sha256;
    j["version"] = r.version;
  }
  return j;
}

json DatasetJson(const ApiContext& ctx, const catalog::DatasetEntry& e) {
  const Dataset& d = e.dataset;
  json org = nullptr;
  if (auto o = ctx.catalog.GetOrganization(d.organization_id); o.ok()) {
    org = {{"id", o->id}, {"slug", o->slug}, {"title_vi", o->title_vi}, {"title_en", o->title_en}};
  }
  auto groups = [&](const std::vector<std::string>& ids) {
    json arr = json::array();
    for (const auto& id : ids) {
      if (auto g = ctx.catalog.GetGroup(id); g.ok()) {
        arr.push_back({{"id", g->id},
                       {"slug", g->slug},
                       {"title_vi", g->title_vi},
                       {"title_en", g->title_en}});
      }
    }
    return arr;
  };
  json license = nullptr;
  if (!d.license_id.empty()) {
    if (auto l = ctx.catalog.GetLicense(d.license_id); l.ok()) license = LicenseJson(*l);
  }
  json resources = json::array();
  for (const auto& r : e.resources) resources.push_back(ResourceJson(ctx, r, d));
  return {{"id", d.id},
          {"slug", d.slug},
          {"title_vi", d.title_vi},
          {"title_en", d.title_en},
          {"description_vi", d.description_vi},
          {"description_en", d.description_en},
          {"organization", org},
          {"sectors", groups(d.sector_ids)},
          {"topics", groups(d.topic_ids)},
          {"tags", d.tags},
          {"license", license},
          {"access", ToString(d.access)},
          {"state", ToString(d.state)},
          {"state_reason", d.state_reason},
          {"pending_changes",
           d.HasPendingChange()
               ? json{{"access", d.pending_access.empty() ? json(nullptr) : json(d.pending_access)},
                      {"license_id",
                       d.pending_license_id ? json(*d.pending_license_id) : json(nullptr)}}
               : json(nullptr)},
          {"update_frequency", d.update_frequency},
          {"temporal_start", OrNull(d.temporal_start)},
          {"temporal_end", OrNull(d.temporal_end)},
          {"spatial", d.spatial},
          {"contact_name", d.contact_name},
          {"contact_email", d.contact_email},
          {"version", d.version},
          {"extras", d.extras},
          {"created", FormatIsoSeconds(d.created)},
          {"modified", FormatIsoSeconds(d.modified)},
          {"published", d.published ? json(FormatIsoSeconds(d.published)) : json(nullptr)},
          {"resources", resources}};
}

json UserJson(const User& u, bool with_email) {
  json j = {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"sysadmin", u.sysadmin},
            {"disabled", u.disabled},
            {"created", FormatIsoSeconds(u.created)}};
  if (with_email) j["email"] = u.email;
  return j;
}

// CKAN --------------------------------------------------------------------------------------

// The group dict CKAN uses for both organizations and groups.
static json CkanGroupDict(const std::string& id, const std::string& name, const std::string& title,
                          const std::string& description, const std::string& image, Micros created,
                          bool is_organization, int package_count) {
  return {{"id", id},
          {"name", name},
          {"title", title},
          {"display_name", title},
          {"type", is_organization ? "organization" : "group"},
          {"description", description},
          {"image_url", image},
          {"image_display_url", image},
          {"created", FormatIsoMicros(created)},
          {"is_organization", is_organization},
          {"approval_status", "approved"},
          {"state", "active"},
          {"package_count", package_count},
          {"num_followers", 0},
          {"extras", json::array()},
          {"groups", json::array()}};
}

json CkanOrganization(const Organization& o, int package_count) {
  json j = CkanGroupDict(o.id, o.slug, o.title_vi, o.description_vi, o.image_url, o.created, true,
                         package_count);
  j["title_en"] = o.title_en;
  j["description_en"] = o.description_en;
  j["parent_id"] = OrNull(o.parent_id);
  return j;
}

json CkanGroup(const Group& g, int package_count) {
  json j = CkanGroupDict(g.id, g.slug, g.title_vi, g.description_vi, "", g.created, false,
                         package_count);
  j["title_en"] = g.title_en;
  j["odp_kind"] = ToString(g.kind);
  return j;
}

json CkanResource(const ApiContext& ctx, const Resource& r, const Dataset& d) {
  return {
      {"id", r.id},
      {"package_id", d.id},
      {"url", DownloadUrl(ctx, r)},
      {"name", r.name},
      {"description", r.description},
      {"format", r.format},
      {"mimetype", OrNull(r.mimetype)},
      {"mimetype_inner", nullptr},
      {"size", r.upload ? json(r.size) : json(nullptr)},
      {"hash", r.sha256.empty() ? "" : "sha256:" + r.sha256},
      {"created", FormatIsoMicros(r.created)},
      {"last_modified", Iso(r.modified)},
      {"metadata_modified", FormatIsoMicros(r.modified)},
      {"position", r.position},
      {"state", "active"},
      {"resource_type", nullptr},
      {"url_type", r.upload ? json("upload") : json(nullptr)},
      {"cache_url", nullptr},
      {"cache_last_updated", nullptr},
      {"datastore_active", ctx.datastore != nullptr && r.upload && ctx.datastore->Table(r.id).ok()},
      {"version", r.upload ? json(r.version) : json(nullptr)}};
}

json CkanLicense(const License& l) {
  return {{"id", l.id},
          {"title", l.title_vi},
          {"title_en", l.title_en},
          {"url", l.url},
          {"is_okd_compliant", l.is_open},
          {"is_osi_compliant", false},
          {"od_conformance", l.is_open ? "approved" : "not reviewed"},
          {"osd_conformance", "not reviewed"},
          {"status", "active"},
          {"maintainer", ""},
          {"family", ""}};
}

json CkanPackage(const ApiContext& ctx, const catalog::DatasetEntry& e) {
  const Dataset& d = e.dataset;
  json org = nullptr;
  if (auto o = ctx.catalog.GetOrganization(d.organization_id); o.ok()) {
    org = {{"id", o->id},
           {"name", o->slug},
           {"title", o->title_vi},
           {"type", "organization"},
           {"description", o->description_vi},
           {"image_url", o->image_url},
           {"created", FormatIsoMicros(o->created)},
           {"is_organization", true},
           {"approval_status", "approved"},
           {"state", "active"}};
  }
  json groups = json::array(), sectors = json::array(), topics = json::array();
  for (const auto* ids : {&d.sector_ids, &d.topic_ids}) {
    for (const auto& id : *ids) {
      auto g = ctx.catalog.GetGroup(id);
      if (!g.ok()) continue;
      groups.push_back({{"id", g->id},
                        {"name", g->slug},
                        {"title", g->title_vi},
                        {"display_name", g->title_vi},
                        {"description", g->description_vi},
                        {"image_display_url", ""}});
      (g->kind == GroupKind::kSector ? sectors : topics).push_back(g->slug);
    }
  }
  json tags = json::array();
  for (const auto& t : d.tags) {
    tags.push_back({{"id", t},
                    {"name", t},
                    {"display_name", t},
                    {"state", "active"},
                    {"vocabulary_id", nullptr}});
  }
  json extras = json::array();
  for (const auto& [k, v] : d.extras) extras.push_back({{"key", k}, {"value", v}});
  json resources = json::array();
  for (const auto& r : e.resources) resources.push_back(CkanResource(ctx, r, d));
  std::string license_title, license_url;
  bool isopen = false;
  if (!d.license_id.empty()) {
    if (auto l = ctx.catalog.GetLicense(d.license_id); l.ok()) {
      license_title = l->title_vi;
      license_url = l->url;
      isopen = l->is_open;
    }
  }
  const char* state = d.state == DatasetState::kPublished ? "active"
                      : d.state == DatasetState::kDeleted ? "deleted"
                                                          : "draft";
  return {{"id", d.id},
          {"name", d.slug},
          {"title", d.title_vi},
          {"type", "dataset"},
          {"state", state},
          {"private", d.access != AccessTier::kPublic},
          {"owner_org", d.organization_id},
          {"organization", org},
          {"author", nullptr},
          {"author_email", nullptr},
          {"maintainer", OrNull(d.contact_name)},
          {"maintainer_email", OrNull(d.contact_email)},
          {"license_id", OrNull(d.license_id)},
          {"license_title", OrNull(license_title)},
          {"license_url", OrNull(license_url)},
          {"isopen", isopen},
          {"notes", d.description_vi},
          {"url", ""},
          {"version", OrNull(d.version)},
          {"metadata_created", FormatIsoMicros(d.created)},
          {"metadata_modified", FormatIsoMicros(d.modified)},
          {"creator_user_id", OrNull(d.creator_id)},
          {"num_resources", e.resources.size()},
          {"num_tags", d.tags.size()},
          {"tags", tags},
          {"groups", groups},
          {"extras", extras},
          {"relationships_as_subject", json::array()},
          {"relationships_as_object", json::array()},
          {"resources", resources},
          // ODP's own fields, beside CKAN's:
          {"title_en", d.title_en},
          {"notes_en", d.description_en},
          {"access_level", ToString(d.access)},
          {"workflow_state", ToString(d.state)},
          {"sectors", sectors},
          {"topics", topics},
          {"update_frequency", d.update_frequency},
          {"temporal_start", OrNull(d.temporal_start)},
          {"temporal_end", OrNull(d.temporal_end)},
          {"spatial", d.spatial}};
}

// The cached text under `key`, or `make()` dumped and cached.
template <typename Make>
static std::string CachedText(ApiContext& ctx, const std::string& key, int64_t gen, Make make) {
  if (auto hit = ctx.cache.Get(key, gen)) return *hit;
  std::string text = Dump(make());
  ctx.cache.Put(key, gen, text);
  return text;
}

std::string CkanPackageText(ApiContext& ctx, const catalog::DatasetEntry& e, int64_t gen) {
  return CachedText(ctx, "pkg:" + e.dataset.id, gen, [&] { return CkanPackage(ctx, e); });
}

std::string DatasetText(ApiContext& ctx, const catalog::DatasetEntry& e, int64_t gen) {
  return CachedText(ctx, "ds:" + e.dataset.id, gen, [&] { return DatasetJson(ctx, e); });
}

std::string CkanPackageTextOf(ApiContext& ctx, const std::string& id, int64_t gen) {
  if (auto hit = ctx.cache.Get("pkg:" + id, gen)) return *hit;
  catalog::EntryPtr e = ctx.catalog.EntryOf(id);
  return e ? CkanPackageText(ctx, *e, gen) : std::string();
}

std::string DatasetTextOf(ApiContext& ctx, const std::string& id, int64_t gen) {
  if (auto hit = ctx.cache.Get("ds:" + id, gen)) return *hit;
  catalog::EntryPtr e = ctx.catalog.EntryOf(id);
  return e ? DatasetText(ctx, *e, gen) : std::string();
}

std::string JsonArrayOfResults(ApiContext& ctx, const std::vector<std::string>& ids, int64_t gen,
                               std::string (*text_of)(ApiContext&, const std::string&, int64_t)) {
  std::string out = "[";
  for (const auto& id : ids) {
    std::string text = text_of(ctx, id, gen);
    if (text.empty()) continue;
    if (out.size() > 1) out += ',';
    out += text;
  }
  out += ']';
  return out;
}

}  // namespace odp::api

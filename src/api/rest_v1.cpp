// REST API v1: /api/v1/… (described by openapi.json; see api/openapi.h).
#include <algorithm>

#include "api/api.h"
#include "api/datastore_api.h"
#include "api/json_shapes.h"
#include "api/openapi.h"
#include "api/upload.h"
#include "base/parse.h"
#include "datastore/datastore.h"

namespace odp::api {

using access::Principal;
using http::Request;
using http::Response;

namespace {

// Values of a repeatable filter parameter, also comma-separated.
std::vector<std::string> Multi(const Request& req, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& v : req.Params(name)) {
    size_t pos = 0;
    while (pos <= v.size()) {
      size_t end = v.find(',', pos);
      if (end == std::string::npos) end = v.size();
      if (end > pos) out.push_back(v.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  return out;
}

Result<int> IntParam(const Request& req, const std::string& name, int def, int min, int max) {
  if (!req.HasParam(name)) return def;
  if (Result<int64_t> n = ParseIntIn(req.Param(name), min, max); n.ok()) return static_cast<int>(*n);
  return Status::InvalidArgument(name + " must be an integer from " + std::to_string(min) + " to " +
                                     std::to_string(max),
                                 "Tham số " + name + " phải là số nguyên từ " + std::to_string(min) +
                                     " đến " + std::to_string(max))
      .WithField(name, "Phải là số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max));
}

Result<catalog::DatasetInput> ReadDatasetInput(const json& j) {
  catalog::DatasetInput in;
  FieldReader f(j);
  f.Str("slug", in.slug);
  f.Str("title_vi", in.title_vi);
  f.Str("title_en", in.title_en);
  f.Str("description_vi", in.description_vi);
  f.Str("description_en", in.description_en);
  f.Str("organization", in.organization);
  f.Str("license_id", in.license_id);
  f.Str("access", in.access);
  f.Str("update_frequency", in.update_frequency);
  f.Str("temporal_start", in.temporal_start);
  f.Str("temporal_end", in.temporal_end);
  f.Str("contact_name", in.contact_name);
  f.Str("contact_email", in.contact_email);
  f.Str("version", in.version);
  f.StrList("sectors", in.sectors);
  f.StrList("topics", in.topics);
  f.StrList("tags", in.tags);
  f.StrList("spatial", in.spatial);
  f.StrMap("extras", in.extras);
  ODP_RETURN_IF_ERROR(f.status());
  return in;
}

Result<catalog::OrganizationInput> ReadOrgInput(const json& j) {
  catalog::OrganizationInput in;
  FieldReader f(j);
  f.Str("slug", in.slug);
  f.Str("title_vi", in.title_vi);
  f.Str("title_en", in.title_en);
  f.Str("description_vi", in.description_vi);
  f.Str("description_en", in.description_en);
  f.Str("parent", in.parent);
  f.Str("image_url", in.image_url);
  f.Str("email", in.email);
  ODP_RETURN_IF_ERROR(f.status());
  return in;
}

Result<catalog::GroupInput> ReadGroupInput(const json& j) {
  catalog::GroupInput in;
  FieldReader f(j);
  f.Str("slug", in.slug);
  f.Str("title_vi", in.title_vi);
  f.Str("title_en", in.title_en);
  f.Str("description_vi", in.description_vi);
  f.Str("description_en", in.description_en);
  f.Int("position", in.position);
  ODP_RETURN_IF_ERROR(f.status());
  return in;
}

catalog::ResourceInput ResourceInputFrom(const std::map<std::string, std::string>& fields) {
  catalog::ResourceInput in;
  auto get = [&](const char* k, std::optional<std::string>& out) {
    auto it = fields.find(k);
    if (it != fields.end()) out = it->second;
  };
  get("name", in.name);
  get("description", in.description);
  get("format", in.format);
  get("url", in.url);
  return in;
}

// Reads a resource write: multipart (fields + file) or a JSON object. The caller checks the
// right to write first: a file part is stored in the blob store here.
// `load` receives how the datastore should read an uploaded table (form fields `sheet`, 1-based,
// and `encoding`), when the form says.
Result<std::pair<catalog::ResourceInput, std::optional<catalog::UploadedFile>>> ReadResourceWrite(
    ApiContext& ctx, const Request& req, std::optional<datastore::LoadOptions>& load) {
  if (!req.body_file.empty()) {
    ODP_ASSIGN_OR_RETURN(UploadForm form, ReadUploadForm(ctx, req));
    ODP_ASSIGN_OR_RETURN(load, LoadOptionsFromForm(form.fields));
    // REQUIRES (of the callers): the right to write was checked; the file may now be stored.
    ODP_RETURN_IF_ERROR(StoreUploadedFile(ctx, req, form));
    return std::make_pair(ResourceInputFrom(form.fields), form.file);
  }
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  catalog::ResourceInput in;
  FieldReader f(j);
  f.Str("name", in.name);
  f.Str("description", in.description);
  f.Str("format", in.format);
  f.Str("url", in.url);
  ODP_RETURN_IF_ERROR(f.status());
  return std::make_pair(in, std::optional<catalog::UploadedFile>());
}

Result<catalog::SortOrder> ParseSort(const std::string& s) {
  if (s.empty() || s == "relevance") return catalog::SortOrder::kRelevance;
  if (s == "newest") return catalog::SortOrder::kNewest;
  if (s == "oldest") return catalog::SortOrder::kOldest;
  if (s == "updated") return catalog::SortOrder::kUpdated;
  if (s == "title") return catalog::SortOrder::kTitleAsc;
  if (s == "-title") return catalog::SortOrder::kTitleDesc;
  if (s == "name") return catalog::SortOrder::kNameAsc;
  return Status::InvalidArgument("sort must be relevance, newest, oldest, updated, title, -title or name",
                                 "Kiểu sắp xếp không hợp lệ")
      .WithField("sort", "relevance, newest, oldest, updated, title, -title, name");
}

const std::map<std::string, std::string>& FacetParamNames() {
  // REST parameter -> facet field
  static const std::map<std::string, std::string> kNames = {
      {"organization", "organization"}, {"sector", "sector"},  {"topic", "topic"},
      {"tag", "tags"},                  {"format", "res_format"}, {"license", "license_id"},
      {"access", "access"}};
  return kNames;
}

Response SearchDatasets(ApiContext& ctx, const Request& req, const Principal& who) {
  catalog::SearchRequest sr;
  sr.q = req.Param("q");
  for (const auto& [param, field] : FacetParamNames()) {
    auto values = Multi(req, param);
    if (!values.empty()) sr.filters[field] = values;
    sr.facet_fields.push_back(field);
  }
  auto sort = ParseSort(req.Param("sort"));
  if (!sort.ok()) return ErrorResponse(sort.status());
  sr.sort = *sort;
  auto limit = IntParam(req, "limit", 20, 0, 1000);
  if (!limit.ok()) return ErrorResponse(limit.status());
  auto offset = IntParam(req, "offset", 0, 0, 100000000);
  if (!offset.ok()) return ErrorResponse(offset.status());
  auto page = IntParam(req, "page", 0, 1, 1000000);
  if (!page.ok()) return ErrorResponse(page.status());
  sr.limit = *limit;
  sr.offset = req.HasParam("page") ? (*page - 1) * *limit : *offset;
  sr.include_unpublished = req.Param("include_unpublished") == "true";
  auto facet_limit = IntParam(req, "facet_limit", 50, -1, 10000);
  if (!facet_limit.ok()) return ErrorResponse(facet_limit.status());
  sr.facet_limit = *facet_limit;
  const int64_t gen = ctx.catalog.generation();
  sr.ids_only = true;
  catalog::SearchResponse res = ctx.catalog.Search(who, sr);
  const std::string results = JsonArrayOfResults(ctx, res.ids, gen, DatasetTextOf);
  json facets = json::object();
  for (const auto& [field, counts] : res.facets) {
    json arr = json::array();
    for (const auto& c : counts) {
      arr.push_back({{"value", c.value}, {"label", ctx.catalog.FacetValueTitle(field, c.value)}, {"count", c.count}});
    }
    std::string param = field;
    for (const auto& [p, f] : FacetParamNames()) {
      if (f == field) param = p;
    }
    facets[param] = arr;
  }
  return JsonText(200, "{\"count\":" + std::to_string(res.total) + ",\"offset\":" + std::to_string(sr.offset) +
                          ",\"limit\":" + std::to_string(sr.limit) + ",\"results\":" + results +
                          ",\"facets\":" + Dump(facets) + "}");
}

Response Created(const json& j) { return JsonResponse(201, j); }

}  // namespace

void RegisterRestV1(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  auto add = [&](const std::string& method, const std::string& pattern, AuthedHandler fn) {
    router.Add(method, pattern, WithAuth(ctx, std::move(fn)));
  };

  // Datasets ------------------------------------------------------------------------------
  add("GET", "/api/v1/datasets", [c](Request& req, const PathParams&, const Principal& who) {
    return SearchDatasets(*c, req, who);
  });
  add("POST", "/api/v1/datasets", [c](Request& req, const PathParams&, const Principal& who) {
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    auto in = ReadDatasetInput(*j);
    if (!in.ok()) return ErrorResponse(in.status());
    auto e = c->catalog.CreateDataset(who, *in);
    if (!e.ok()) return ErrorResponse(e.status());
    return Created(DatasetJson(*c, **e));
  });
  add("GET", "/api/v1/datasets/{id}", [c](Request& req, const PathParams& p, const Principal& who) {
    bool anonymous = !who.authenticated();
    int64_t gen = c->catalog.generation();
    std::string key = "rest:" + p.at("id");
    if (anonymous) {
      if (auto hit = c->cache.Get(key, gen)) return JsonText(200, hit);
    }
    auto e = c->catalog.GetDataset(who, p.at("id"));
    if (!e.ok()) return ErrorResponse(e.status());
    std::string body = DatasetText(*c, **e, gen);
    if (!anonymous) return JsonText(200, std::move(body));
    Response r = JsonText(200, c->cache.Put(key, gen, std::move(body)));
    if (req.query.empty() && SentNoCredentials(req)) {
      r.route = "/api/v1/datasets/{id}";
      c->fast.Put(req.target, gen, http::SerializeResponse(r), r.route);
    }
    return r;
  });
  add("PATCH", "/api/v1/datasets/{id}", [c](Request& req, const PathParams& p, const Principal& who) {
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    auto in = ReadDatasetInput(*j);
    if (!in.ok()) return ErrorResponse(in.status());
    auto e = c->catalog.UpdateDataset(who, p.at("id"), *in);
    if (!e.ok()) return ErrorResponse(e.status());
    return JsonResponse(200, DatasetJson(*c, **e));
  });
  add("DELETE", "/api/v1/datasets/{id}", [c](Request& req, const PathParams& p, const Principal& who) {
    Status s = c->catalog.DeleteDataset(who, p.at("id"));
    if (!s.ok()) return ErrorResponse(s);
    Response r;
    r.status = 204;
    return r;
  });
  for (auto [verb, action] : {std::pair{"submit", access::Action::kSubmitDataset},
                              std::pair{"publish", access::Action::kPublishDataset},
                              std::pair{"reject", access::Action::kRejectDataset},
                              std::pair{"withdraw", access::Action::kWithdrawDataset}}) {
    add("POST", std::string("/api/v1/datasets/{id}/") + verb,
        [c, action = action](Request& req, const PathParams& p, const Principal& who) {
          auto j = ParseJsonObject(req.body);
          if (!j.ok()) return ErrorResponse(j.status());
          std::optional<std::string> reason;
          FieldReader f(*j);
          f.Str("reason", reason);
          if (!f.status().ok()) return ErrorResponse(f.status());
          auto e = c->catalog.Transition(who, p.at("id"), action, reason.value_or(""));
          if (!e.ok()) return ErrorResponse(e.status());
          return JsonResponse(200, DatasetJson(*c, **e));
        });
  }
  // A published dataset's change held for review (a more open tier, a new licence).
  add("POST", "/api/v1/datasets/{id}/approve-change", [c](Request&, const PathParams& p, const Principal& who) {
    auto e = c->catalog.ApproveChange(who, p.at("id"));
    if (!e.ok()) return ErrorResponse(e.status());
    return JsonResponse(200, DatasetJson(*c, **e));
  });
  add("POST", "/api/v1/datasets/{id}/reject-change", [c](Request& req, const PathParams& p, const Principal& who) {
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    std::optional<std::string> reason;
    FieldReader f(*j);
    f.Str("reason", reason);
    if (!f.status().ok()) return ErrorResponse(f.status());
    auto e = c->catalog.RejectChange(who, p.at("id"), reason.value_or(""));
    if (!e.ok()) return ErrorResponse(e.status());
    return JsonResponse(200, DatasetJson(*c, **e));
  });
  add("GET", "/api/v1/datasets/{id}/history", [c](Request&, const PathParams& p, const Principal& who) {
    auto events = c->catalog.History(who, p.at("id"));
    if (!events.ok()) return ErrorResponse(events.status());
    json arr = json::array();
    for (const auto& e : *events) {
      std::string actor;
      if (auto u = c->accounts.GetUser(e.actor_id); u.ok()) actor = u->username;
      arr.push_back({{"action", e.action},
                     {"from_state", e.from_state},
                     {"to_state", e.to_state},
                     {"reason", e.reason},
                     {"actor", actor},
                     {"at", FormatIsoSeconds(e.at)}});
    }
    return JsonResponse(200, {{"events", arr}});
  });
  add("GET", "/api/v1/datasets/{id}/resources", [c](Request&, const PathParams& p, const Principal& who) {
    auto e = c->catalog.GetDataset(who, p.at("id"));
    if (!e.ok()) return ErrorResponse(e.status());
    json arr = json::array();
    for (const auto& r : (*e)->resources) arr.push_back(ResourceJson(*c, r, (*e)->dataset));
    return JsonResponse(200, {{"resources", arr}});
  });
  add("POST", "/api/v1/datasets/{id}/resources", [c](Request& req, const PathParams& p, const Principal& who) {
    // Check the right to write before spending disk on the upload.
    Status can = c->catalog.CheckCanEdit(who, p.at("id"));
    if (!can.ok()) return ErrorResponse(can);
    std::optional<datastore::LoadOptions> load;
    auto w = ReadResourceWrite(*c, req, load);
    if (!w.ok()) return ErrorResponse(w.status());
    auto r = c->catalog.AddResource(who, p.at("id"), w->first, w->second);
    if (!r.ok()) return ErrorResponse(r.status());
    if (load && r->second.upload) (void)ReloadWith(*c, r->second.id, *load);
    return Created(ResourceJson(*c, r->second, r->first->dataset));
  });

  // Resources -----------------------------------------------------------------------------
  add("GET", "/api/v1/resources/{id}", [c](Request&, const PathParams& p, const Principal& who) {
    auto r = c->catalog.GetResource(who, p.at("id"));
    if (!r.ok()) return ErrorResponse(r.status());
    return JsonResponse(200, ResourceJson(*c, r->second, r->first->dataset));
  });
  auto update_resource = [c](Request& req, const PathParams& p, const Principal& who) {
    auto cur = c->catalog.GetResource(who, p.at("id"));
    if (!cur.ok()) return ErrorResponse(cur.status());
    Status can = c->catalog.CheckCanEdit(who, cur->first->dataset.id);
    if (!can.ok()) return ErrorResponse(can);
    std::optional<datastore::LoadOptions> load;
    auto w = ReadResourceWrite(*c, req, load);
    if (!w.ok()) return ErrorResponse(w.status());
    auto r = c->catalog.UpdateResource(who, p.at("id"), w->first, w->second);
    if (!r.ok()) return ErrorResponse(r.status());
    if (load && r->second.upload) (void)ReloadWith(*c, r->second.id, *load);
    return JsonResponse(200, ResourceJson(*c, r->second, r->first->dataset));
  };
  router.AcceptUploads("POST", "/api/v1/datasets/{id}/resources");
  router.AcceptUploads("PATCH", "/api/v1/resources/{id}");
  router.AcceptUploads("PUT", "/api/v1/resources/{id}/file");
  add("PATCH", "/api/v1/resources/{id}", update_resource);
  add("PUT", "/api/v1/resources/{id}/file", update_resource);
  add("DELETE", "/api/v1/resources/{id}", [c](Request&, const PathParams& p, const Principal& who) {
    Status s = c->catalog.DeleteResource(who, p.at("id"));
    if (!s.ok()) return ErrorResponse(s);
    Response r;
    r.status = 204;
    return r;
  });
  add("GET", "/api/v1/resources/{id}/versions", [c](Request&, const PathParams& p, const Principal& who) {
    auto versions = c->catalog.ListVersions(who, p.at("id"));
    if (!versions.ok()) return ErrorResponse(versions.status());
    json arr = json::array();
    for (const auto& v : *versions) {
      arr.push_back({{"version", v.version},
                     {"sha256", v.sha256},
                     {"size", v.size},
                     {"filename", v.filename},
                     {"mimetype", v.mimetype},
                     {"created", FormatIsoSeconds(v.created)},
                     {"url", c->config.site_url + "/api/v1/resources/" + p.at("id") +
                                 "/download?version=" + std::to_string(v.version)}});
    }
    return JsonResponse(200, {{"versions", arr}});
  });
  add("GET", "/api/v1/resources/{id}/download", [c](Request& req, const PathParams& p, const Principal& who) {
    auto version = IntParam(req, "version", 0, 0, 1000000);
    if (!version.ok()) return ErrorResponse(version.status());
    auto d = c->catalog.OpenDownload(who, p.at("id"), *version);
    if (!d.ok()) return ErrorResponse(d.status());
    Response r = FileResponse(req, *d);
    if (r.status == 200 && req.method == "GET") c->catalog.RecordDownload(d->dataset_id);
    return r;
  });

  // Organizations -------------------------------------------------------------------------
  add("GET", "/api/v1/organizations", [c](Request&, const PathParams&, const Principal& who) {
    auto counts = c->catalog.CountByFacet(who, "organization");
    json arr = json::array();
    for (const auto& o : c->catalog.ListOrganizations()) {
      json j = OrganizationJson(o);
      j["dataset_count"] = counts[o.slug];
      arr.push_back(j);
    }
    return JsonResponse(200, {{"organizations", arr}});
  });
  add("POST", "/api/v1/organizations", [c](Request& req, const PathParams&, const Principal& who) {
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    auto in = ReadOrgInput(*j);
    if (!in.ok()) return ErrorResponse(in.status());
    auto o = c->catalog.CreateOrganization(who, *in);
    if (!o.ok()) return ErrorResponse(o.status());
    return Created(OrganizationJson(*o));
  });
  add("GET", "/api/v1/organizations/{id}", [c](Request&, const PathParams& p, const Principal& who) {
    auto o = c->catalog.GetOrganization(p.at("id"));
    if (!o.ok()) return ErrorResponse(o.status());
    json j = OrganizationJson(*o);
    j["dataset_count"] = c->catalog.CountByFacet(who, "organization")[o->slug];
    return JsonResponse(200, j);
  });
  add("PATCH", "/api/v1/organizations/{id}", [c](Request& req, const PathParams& p, const Principal& who) {
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    auto in = ReadOrgInput(*j);
    if (!in.ok()) return ErrorResponse(in.status());
    auto o = c->catalog.UpdateOrganization(who, p.at("id"), *in);
    if (!o.ok()) return ErrorResponse(o.status());
    return JsonResponse(200, OrganizationJson(*o));
  });
  add("GET", "/api/v1/organizations/{id}/members", [c](Request&, const PathParams& p, const Principal& who) {
    auto o = c->catalog.GetOrganization(p.at("id"));
    if (!o.ok()) return ErrorResponse(o.status());
    if (!access::Allowed(who, access::Action::kManageOrganization, {o->id})) {
      return ErrorResponse(Status::PermissionDenied("only organization admins see members",
                                                    "Chỉ quản trị viên cơ quan được xem thành viên"));
    }
    auto members = c->store.ListMembershipsOfOrganization(o->id);
    if (!members.ok()) return ErrorResponse(members.status());
    json arr = json::array();
    for (const auto& m : *members) {
      if (auto u = c->accounts.GetUser(m.user_id); u.ok()) {
        arr.push_back({{"username", u->username}, {"display_name", u->display_name}, {"role", ToString(m.role)}});
      }
    }
    return JsonResponse(200, {{"members", arr}});
  });
  add("PUT", "/api/v1/organizations/{id}/members/{user}",
      [c](Request& req, const PathParams& p, const Principal& who) {
        auto o = c->catalog.GetOrganization(p.at("id"));
        if (!o.ok()) return ErrorResponse(o.status());
        if (!access::Allowed(who, access::Action::kManageOrganization, {o->id})) {
          return ErrorResponse(Status::PermissionDenied("only organization admins manage members",
                                                        "Chỉ quản trị viên cơ quan được quản lý thành viên"));
        }
        auto j = ParseJsonObject(req.body);
        if (!j.ok()) return ErrorResponse(j.status());
        std::optional<std::string> role_text;
        FieldReader f(*j);
        f.Str("role", role_text);
        auto role = ParseOrgRole(role_text.value_or(""));
        if (!f.status().ok() || !role) {
          return ErrorResponse(Status::InvalidArgument("role must be member, editor or admin",
                                                       "Vai trò phải là member, editor hoặc admin")
                                   .WithField("role", "member, editor, admin"));
        }
        Status s = c->accounts.SetMembership(p.at("user"), o->id, *role);
        if (!s.ok()) return ErrorResponse(s);
        return JsonResponse(200, {{"username", p.at("user")}, {"role", ToString(*role)}});
      });
  add("DELETE", "/api/v1/organizations/{id}/members/{user}",
      [c](Request&, const PathParams& p, const Principal& who) {
        auto o = c->catalog.GetOrganization(p.at("id"));
        if (!o.ok()) return ErrorResponse(o.status());
        if (!access::Allowed(who, access::Action::kManageOrganization, {o->id})) {
          return ErrorResponse(Status::PermissionDenied("only organization admins manage members",
                                                        "Chỉ quản trị viên cơ quan được quản lý thành viên"));
        }
        Status s = c->accounts.RemoveMembership(p.at("user"), o->id);
        if (!s.ok()) return ErrorResponse(s);
        Response r;
        r.status = 204;
        return r;
      });

  // Taxonomies ----------------------------------------------------------------------------
  for (auto [plural, kind] : {std::pair{"sectors", GroupKind::kSector}, std::pair{"topics", GroupKind::kTopic}}) {
    std::string base = std::string("/api/v1/") + plural;
    add("GET", base, [c, kind = kind, plural = plural](Request&, const PathParams&, const Principal& who) {
      auto counts = c->catalog.CountByFacet(who, kind == GroupKind::kSector ? "sector" : "topic");
      json arr = json::array();
      for (const auto& g : c->catalog.ListGroups(kind)) {
        json j = GroupJson(g);
        j["dataset_count"] = counts[g.slug];
        arr.push_back(j);
      }
      return JsonResponse(200, {{plural, arr}});
    });
    add("POST", base, [c, kind = kind](Request& req, const PathParams&, const Principal& who) {
      if (Status may = c->catalog.CheckCanManageTaxonomy(who); !may.ok()) return ErrorResponse(may);
      auto j = ParseJsonObject(req.body);
      if (!j.ok()) return ErrorResponse(j.status());
      auto in = ReadGroupInput(*j);
      if (!in.ok()) return ErrorResponse(in.status());
      auto g = c->catalog.CreateGroup(who, kind, *in);
      if (!g.ok()) return ErrorResponse(g.status());
      return Created(GroupJson(*g));
    });
    add("GET", base + "/{id}", [c, kind = kind](Request&, const PathParams& p, const Principal& who) {
      auto g = c->catalog.GetGroup(p.at("id"));
      if (!g.ok() || g->kind != kind) return ErrorResponse(Status::NotFound("group", p.at("id")));
      json j = GroupJson(*g);
      j["dataset_count"] = c->catalog.CountByFacet(who, ToString(kind))[g->slug];
      return JsonResponse(200, j);
    });
    add("PATCH", base + "/{id}", [c, kind = kind](Request& req, const PathParams& p, const Principal& who) {
      if (Status may = c->catalog.CheckCanManageTaxonomy(who); !may.ok()) return ErrorResponse(may);
      auto cur = c->catalog.GetGroup(p.at("id"));
      if (!cur.ok() || cur->kind != kind) return ErrorResponse(Status::NotFound("group", p.at("id")));
      auto j = ParseJsonObject(req.body);
      if (!j.ok()) return ErrorResponse(j.status());
      auto in = ReadGroupInput(*j);
      if (!in.ok()) return ErrorResponse(in.status());
      auto g = c->catalog.UpdateGroup(who, p.at("id"), *in);
      if (!g.ok()) return ErrorResponse(g.status());
      return JsonResponse(200, GroupJson(*g));
    });
  }

  // Licences ------------------------------------------------------------------------------
  add("GET", "/api/v1/licenses", [c](Request&, const PathParams&, const Principal&) {
    json arr = json::array();
    for (const auto& l : c->catalog.ListLicenses()) arr.push_back(LicenseJson(l));
    return JsonResponse(200, {{"licenses", arr}});
  });
  add("PUT", "/api/v1/licenses/{id}", [c](Request& req, const PathParams& p, const Principal& who) {
    if (Status may = c->catalog.CheckCanManageTaxonomy(who); !may.ok()) return ErrorResponse(may);
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    std::optional<std::string> title_vi, title_en, url;
    FieldReader f(*j);
    f.Str("title_vi", title_vi);
    f.Str("title_en", title_en);
    f.Str("url", url);
    if (!f.status().ok()) return ErrorResponse(f.status());
    auto open = j->find("is_open");
    if (open != j->end() && !open->is_boolean()) {
      return ErrorResponse(Status::InvalidArgument("is_open must be true or false", "is_open phải là true hoặc false")
                               .WithField("is_open", "Phải là true hoặc false"));
    }
    License l{p.at("id"), title_vi.value_or(""), title_en.value_or(""), url.value_or(""),
              open != j->end() && open->get<bool>(), 100};
    for (const auto& existing : c->catalog.ListLicenses()) {
      if (existing.id == l.id) l.position = existing.position;
    }
    auto r = c->catalog.PutLicense(who, l);
    if (!r.ok()) return ErrorResponse(r.status());
    return JsonResponse(200, LicenseJson(*r));
  });

  // Accounts ------------------------------------------------------------------------------
  add("POST", "/api/v1/auth/register", [c](Request& req, const PathParams&, const Principal&) {
    if (!c->config.allow_registration) {
      return ErrorResponse(Status::PermissionDenied("registration is closed", "Cổng không mở đăng ký tài khoản"));
    }
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    std::optional<std::string> username, email, password, display_name;
    FieldReader f(*j);
    f.Str("username", username);
    f.Str("email", email);
    f.Str("password", password);
    f.Str("display_name", display_name);
    if (!f.status().ok()) return ErrorResponse(f.status());
    // 202 whether the account was created or the name or e-mail was taken: registration does
    // not tell who has an account (AccountService::Register).
    Status s = c->accounts.Register({username.value_or(""), email.value_or(""), display_name.value_or(""),
                                     password.value_or(""), false});
    if (!s.ok()) return ErrorResponse(s);
    return JsonResponse(202, {{"message", "Registration received. If this user name and e-mail were not already in "
                                          "use, the account has been created: sign in with the password you chose."},
                              {"message_vi", "Đã nhận yêu cầu đăng ký. Nếu tên đăng nhập và e-mail này chưa được "
                                             "dùng, tài khoản đã được tạo: hãy đăng nhập bằng mật khẩu vừa chọn."}});
  });
  add("POST", "/api/v1/auth/login", [c](Request& req, const PathParams&, const Principal&) {
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    std::optional<std::string> login, password;
    FieldReader f(*j);
    f.Str("username", login);
    if (!login) f.Str("email", login);
    f.Str("password", password);
    if (!f.status().ok()) return ErrorResponse(f.status());
    auto s = c->accounts.Login(login.value_or(""), password.value_or(""),
                               c->config.session_ttl_seconds * 1000000, {ClientAddressOf(*c, req)});
    if (!s.ok()) {
      Response r = ErrorResponse(s.status());
      if (s.status().code() == StatusCode::kResourceExhausted) r.status = 429;  // throttled
      return r;
    }
    Response r = JsonResponse(200, {{"user", UserJson(s->user, true)}, {"csrf_token", s->csrf_token}});
    SetSessionCookie(*c, r, s->cookie_value, c->config.session_ttl_seconds);
    return r;
  });
  add("POST", "/api/v1/auth/logout", [c](Request& req, const PathParams&, const Principal& who) {
    std::string cookie = req.Cookie("odp_session");
    if (!cookie.empty()) (void)c->accounts.Logout(cookie);
    Response r;
    r.status = 204;
    SetSessionCookie(*c, r, "", 0);
    return r;
  });
  add("GET", "/api/v1/me", [c](Request&, const PathParams&, const Principal& who) {
    if (!who.authenticated()) {
      return ErrorResponse(Status::Unauthenticated("not logged in", "Bạn chưa đăng nhập"));
    }
    auto u = c->accounts.GetUser(who.user_id);
    if (!u.ok()) return ErrorResponse(u.status());
    json j = UserJson(*u, true);
    json orgs = json::array();
    for (const auto& [org_id, role] : who.roles) {
      if (auto o = c->catalog.GetOrganization(org_id); o.ok()) {
        orgs.push_back({{"slug", o->slug}, {"title_vi", o->title_vi}, {"role", ToString(role)}});
      }
    }
    j["organizations"] = orgs;
    if (who.via == Principal::Via::kSession) j["csrf_token"] = who.csrf_token;
    return JsonResponse(200, j);
  });
  add("GET", "/api/v1/me/tokens", [c](Request&, const PathParams&, const Principal& who) {
    if (!who.authenticated()) return ErrorResponse(Status::Unauthenticated("not logged in", "Bạn chưa đăng nhập"));
    auto tokens = c->accounts.ListTokens(who.user_id);
    if (!tokens.ok()) return ErrorResponse(tokens.status());
    json arr = json::array();
    for (const auto& t : *tokens) {
      arr.push_back({{"id", t.id},
                     {"name", t.name},
                     {"created", FormatIsoSeconds(t.created)},
                     {"last_used", t.last_used ? json(FormatIsoSeconds(t.last_used)) : json(nullptr)},
                     {"revoked", t.revoked}});
    }
    return JsonResponse(200, {{"tokens", arr}});
  });
  add("POST", "/api/v1/me/tokens", [c](Request& req, const PathParams&, const Principal& who) {
    if (!who.authenticated()) return ErrorResponse(Status::Unauthenticated("not logged in", "Bạn chưa đăng nhập"));
    auto j = ParseJsonObject(req.body);
    if (!j.ok()) return ErrorResponse(j.status());
    std::optional<std::string> name;
    FieldReader f(*j);
    f.Str("name", name);
    if (!f.status().ok()) return ErrorResponse(f.status());
    auto t = c->accounts.CreateToken(who.user_id, name.value_or(""));
    if (!t.ok()) return ErrorResponse(t.status());
    return Created({{"id", t->token.id}, {"name", t->token.name}, {"token", t->secret},
                    {"created", FormatIsoSeconds(t->token.created)}});
  });
  add("DELETE", "/api/v1/me/tokens/{id}", [c](Request&, const PathParams& p, const Principal& who) {
    if (!who.authenticated()) return ErrorResponse(Status::Unauthenticated("not logged in", "Bạn chưa đăng nhập"));
    Status s = c->accounts.RevokeToken(who.user_id, p.at("id"));
    if (!s.ok()) return ErrorResponse(s);
    Response r;
    r.status = 204;
    return r;
  });

  router.Add("GET", "/api/v1/openapi.json", [](Request&, const PathParams&) {
    Response r = JsonText(200, OpenApiDocument());
    r.Set("Cache-Control", "public, max-age=300");
    return r;
  });
}

}  // namespace odp::api

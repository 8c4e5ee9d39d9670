// REST API v1: /api/v1/… (described by openapi.json; see api/openapi.h).
#include <algorithm>

#include "api/api.h"
#include "api/datastore_api.h"
#include "api/grant_reads.h"
#include "api/handler.h"
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
  if (Result<int64_t> n = ParseIntIn(req.Param(name), min, max); n.ok())
    return static_cast<int>(*n);
  return Status::InvalidArgument(name + " must be an integer from " + std::to_string(min) + " to " +
                                     std::to_string(max),
                                 "Tham số " + name + " phải là số nguyên từ " +
                                     std::to_string(min) + " đến " + std::to_string(max))
      .WithField(name,
                 "Phải là số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max));
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
// `encoding` and `records`), when the form says; a sheet or records path the file lacks is
// InvalidArgument, and the file is not used. With a file, the file carries them too (`read_as`),
// so that its first load already reads it that way.
Result<std::pair<catalog::ResourceInput, std::optional<catalog::UploadedFile>>> ReadResourceWrite(
    ApiContext& ctx, const Request& req, std::optional<datastore::LoadOptions>& load,
    std::string* sheets = nullptr) {
  if (!req.body_file.empty()) {
    ODP_ASSIGN_OR_RETURN(UploadForm form, ReadUploadForm(ctx, req));
    ODP_ASSIGN_OR_RETURN(load, LoadOptionsFromForm(form.fields));
    // REQUIRES (of the callers): the right to write was checked; the file may now be stored.
    ODP_RETURN_IF_ERROR(StoreUploadedFile(ctx, req, form));
    // A sheet or records path the file does not have is refused before the file becomes a
    // version: the resource keeps serving what it served (the stored blob, unreferenced, is
    // collected later).
    if (load && form.file && ctx.datastore && (load->sheet >= 0 || !load->records.empty())) {
      ODP_RETURN_IF_ERROR(ctx.datastore->CheckFile(ctx.blobs.PathOf(form.file->blob.sha256), *load)
                              .WithField(load->records.empty() ? "sheet" : "records",
                                         load->records.empty() ? "Tệp không có trang tính này"
                                                               : "Tệp không có mảng bản ghi này"));
    }
    if (auto each = form.fields.find("sheets"); sheets && each != form.fields.end()) {
      *sheets = each->second;
    }
    if (form.file) form.file->read_as = form.fields;
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
  return Status::InvalidArgument(
             "sort must be relevance, newest, oldest, updated, title, -title or name",
             "Kiểu sắp xếp không hợp lệ")
      .WithField("sort", "relevance, newest, oldest, updated, title, -title, name");
}

const std::map<std::string, std::string>& FacetParamNames() {
  // REST parameter -> facet field
  static const std::map<std::string, std::string> kNames = {{"organization", "organization"},
                                                            {"sector", "sector"},
                                                            {"topic", "topic"},
                                                            {"tag", "tags"},
                                                            {"format", "res_format"},
                                                            {"license", "license_id"},
                                                            {"access", "access"}};
  return kNames;
}

// Datasets --------------------------------------------------------------------------------

Result<Response> SearchDatasets(ApiContext& ctx, Request& req, const PathParams&,
                                const Principal& who) {
  catalog::SearchRequest sr;
  sr.q = req.Param("q");
  for (const auto& [param, field] : FacetParamNames()) {
    auto values = Multi(req, param);
    if (!values.empty()) sr.filters[field] = values;
    sr.facet_fields.push_back(field);
  }
  ODP_ASSIGN_OR_RETURN(sr.sort, ParseSort(req.Param("sort")));
  ODP_ASSIGN_OR_RETURN(int limit, IntParam(req, "limit", 20, 0, 1000));
  ODP_ASSIGN_OR_RETURN(int offset, IntParam(req, "offset", 0, 0, 100000000));
  ODP_ASSIGN_OR_RETURN(int page, IntParam(req, "page", 0, 1, 1000000));
  sr.limit = limit;
  sr.offset = req.HasParam("page") ? (page - 1) * limit : offset;
  sr.include_unpublished = req.Param("include_unpublished") == "true";
  ODP_ASSIGN_OR_RETURN(sr.facet_limit, IntParam(req, "facet_limit", 50, -1, 10000));
  const int64_t gen = ctx.catalog.generation();
  sr.ids_only = true;
  catalog::SearchResponse res = ctx.catalog.Search(who, sr);
  const std::string results = JsonArrayOfResults(ctx, res.ids, gen, DatasetTextOf);
  json facets = json::object();
  for (const auto& [field, counts] : res.facets) {
    json arr = json::array();
    for (const auto& c : counts) {
      arr.push_back({{"value", c.value},
                     {"label", ctx.catalog.FacetValueTitle(field, c.value)},
                     {"count", c.count}});
    }
    std::string param = field;
    for (const auto& [p, f] : FacetParamNames()) {
      if (f == field) param = p;
    }
    facets[param] = arr;
  }
  return JsonText(200, "{\"count\":" + std::to_string(res.total) + ",\"offset\":" +
                           std::to_string(sr.offset) + ",\"limit\":" + std::to_string(sr.limit) +
                           ",\"results\":" + results + ",\"facets\":" + Dump(facets) + "}");
}

Response Created(const json& j) { return JsonResponse(201, j); }

// The optional `reason` of a review decision, from a JSON object body.
Result<std::string> ReadReason(const Request& req) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> reason;
  FieldReader f(j);
  f.Str("reason", reason);
  ODP_RETURN_IF_ERROR(f.status());
  return reason.value_or("");
}

Result<Response> CreateDataset(ApiContext& ctx, Request& req, const PathParams&,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(catalog::DatasetInput in, ReadDatasetInput(j));
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.CreateDataset(who, in));
  return Created(DatasetJson(ctx, *entry));
}

// Anonymous answers are cached per generation, and, for a bare URL without credentials, also
// kept serialised for the HTTP fast path.
Result<Response> GetDataset(ApiContext& ctx, Request& req, const PathParams& p,
                            const Principal& who) {
  // Only the truly anonymous share the cache: a consumer system's grants may open what
  // anonymous callers may not read (review finding I1).
  bool anonymous = who.anonymous();
  int64_t gen = ctx.catalog.generation();
  std::string key = "rest:" + p.at("id");
  if (anonymous) {
    if (auto hit = ctx.cache.Get(key, gen)) return JsonText(200, hit);
  }
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.GetDataset(who, p.at("id")));
  std::string body = DatasetText(ctx, *entry, gen);
  if (!anonymous) return JsonText(200, std::move(body));
  Response r = JsonText(200, ctx.cache.Put(key, gen, std::move(body)));
  if (req.query.empty() && SentNoCredentials(req)) {
    r.route = "/api/v1/datasets/{id}";
    ctx.fast.Put(req.target, gen, http::SerializeResponse(r), r.route);
  }
  return r;
}

Result<Response> UpdateDataset(ApiContext& ctx, Request& req, const PathParams& p,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(catalog::DatasetInput in, ReadDatasetInput(j));
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.UpdateDataset(who, p.at("id"), in));
  return JsonResponse(200, DatasetJson(ctx, *entry));
}

Result<Response> DeleteDataset(ApiContext& ctx, Request&, const PathParams& p,
                               const Principal& who) {
  ODP_RETURN_IF_ERROR(ctx.catalog.DeleteDataset(who, p.at("id")));
  return NoContent();
}

// submit, publish, reject, withdraw: one step of the review workflow.
Result<Response> TransitionDataset(ApiContext& ctx, Request& req, const PathParams& p,
                                   const Principal& who, access::Action action) {
  ODP_ASSIGN_OR_RETURN(std::string reason, ReadReason(req));
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.Transition(who, p.at("id"), action, reason));
  return JsonResponse(200, DatasetJson(ctx, *entry));
}

// A published dataset's change held for review (a more open tier, a new licence).
Result<Response> ApproveChange(ApiContext& ctx, Request&, const PathParams& p,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.ApproveChange(who, p.at("id")));
  return JsonResponse(200, DatasetJson(ctx, *entry));
}

Result<Response> RejectChange(ApiContext& ctx, Request& req, const PathParams& p,
                              const Principal& who) {
  ODP_ASSIGN_OR_RETURN(std::string reason, ReadReason(req));
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.RejectChange(who, p.at("id"), reason));
  return JsonResponse(200, DatasetJson(ctx, *entry));
}

Result<Response> DatasetHistory(ApiContext& ctx, Request&, const PathParams& p,
                                const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto events, ctx.catalog.History(who, p.at("id")));
  json arr = json::array();
  for (const auto& e : events) {
    std::string actor;
    if (auto u = ctx.accounts.GetUser(e.actor_id); u.ok()) actor = u->username;
    arr.push_back({{"action", e.action},
                   {"from_state", e.from_state},
                   {"to_state", e.to_state},
                   {"reason", e.reason},
                   {"actor", actor},
                   {"at", FormatIsoSeconds(e.at)}});
  }
  return JsonResponse(200, {{"events", arr}});
}

Result<Response> ListResources(ApiContext& ctx, Request&, const PathParams& p,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto entry, ctx.catalog.GetDataset(who, p.at("id")));
  json arr = json::array();
  for (const auto& r : entry->resources) arr.push_back(ResourceJson(ctx, r, entry->dataset));
  return JsonResponse(200, {{"resources", arr}});
}

Result<Response> AddResource(ApiContext& ctx, Request& req, const PathParams& p,
                             const Principal& who) {
  // Check the right to write before spending disk on the upload.
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanEdit(who, p.at("id")));
  std::optional<datastore::LoadOptions> load;
  std::string sheets;
  ODP_ASSIGN_OR_RETURN(auto write, ReadResourceWrite(ctx, req, load, &sheets));
  if (sheets.empty() || !write.second) {
    ODP_ASSIGN_OR_RETURN(auto added,
                         ctx.catalog.AddResource(who, p.at("id"), write.first, write.second));
    // A file carried `load` to its first load; only a form without one asks for a re-load.
    if (load && added.second.upload && !write.second) (void)ReloadWith(ctx, added.second.id, *load);
    return Created(ResourceJson(ctx, added.second, added.first->dataset));
  }
  ODP_ASSIGN_OR_RETURN(auto added,
                       AddSheetResources(ctx, who, p.at("id"), write.first, *write.second, sheets));
  json created = json::array();
  for (const auto& [entry, r] : added) created.push_back(ResourceJson(ctx, r, entry->dataset));
  json out = created[0];
  out["sheet_resources"] = created;
  return Created(out);
}

// Resources -------------------------------------------------------------------------------

Result<Response> GetResource(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto found, ctx.catalog.GetResource(who, p.at("id")));
  return JsonResponse(200, ResourceJson(ctx, found.second, found.first->dataset));
}

// PATCH /resources/{id} and PUT /resources/{id}/file: new fields, a new file, or both.
Result<Response> UpdateResource(ApiContext& ctx, Request& req, const PathParams& p,
                                const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto current, ctx.catalog.GetResource(who, p.at("id")));
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanEdit(who, current.first->dataset.id));
  std::optional<datastore::LoadOptions> load;
  ODP_ASSIGN_OR_RETURN(auto write, ReadResourceWrite(ctx, req, load));
  ODP_ASSIGN_OR_RETURN(auto updated,
                       ctx.catalog.UpdateResource(who, p.at("id"), write.first, write.second));
  if (load && updated.second.upload && !write.second)
    (void)ReloadWith(ctx, updated.second.id, *load);
  return JsonResponse(200, ResourceJson(ctx, updated.second, updated.first->dataset));
}

Result<Response> DeleteResource(ApiContext& ctx, Request&, const PathParams& p,
                                const Principal& who) {
  ODP_RETURN_IF_ERROR(ctx.catalog.DeleteResource(who, p.at("id")));
  return NoContent();
}

Result<Response> ListVersions(ApiContext& ctx, Request&, const PathParams& p,
                              const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto versions, ctx.catalog.ListVersions(who, p.at("id")));
  json arr = json::array();
  for (const auto& v : versions) {
    arr.push_back({{"version", v.version},
                   {"sha256", v.sha256},
                   {"size", v.size},
                   {"filename", v.filename},
                   {"mimetype", v.mimetype},
                   {"created", FormatIsoSeconds(v.created)},
                   {"url", ctx.config.site_url + "/api/v1/resources/" + p.at("id") +
                               "/download?version=" + std::to_string(v.version)}});
  }
  return JsonResponse(200, {{"versions", arr}});
}

Result<Response> DownloadResource(ApiContext& ctx, Request& req, const PathParams& p,
                                  const Principal& who) {
  ODP_ASSIGN_OR_RETURN(int version, IntParam(req, "version", 0, 0, 1000000));
  ODP_ASSIGN_OR_RETURN(catalog::Download d, OpenFileFor(ctx, who, p.at("id"), version));
  // Through a grant the file counts against its quota (api/grant_reads.h).
  ReadAdmission admission = AdmitTableRead(ctx, who, p.at("id"));
  if (admission.refused) return QuotaRefusal(admission);
  Response r = FileResponse(req, d);
  AddQuotaHeaders(admission, r);
  if (r.status == 200 && req.method == "GET") {
    const std::string client = ClientAddressOf(ctx, req);
    ctx.catalog.RecordDownload(d.dataset_id, p.at("id"), "file",
                               {client, req.Header("user-agent")});
  }
  return r;
}

// Organizations ---------------------------------------------------------------------------

Result<Response> ListOrganizations(ApiContext& ctx, Request&, const PathParams&,
                                   const Principal& who) {
  auto counts = ctx.catalog.CountByFacet(who, "organization");
  json arr = json::array();
  for (const auto& o : ctx.catalog.ListOrganizations()) {
    json j = OrganizationJson(o);
    j["dataset_count"] = counts[o.slug];
    arr.push_back(j);
  }
  return JsonResponse(200, {{"organizations", arr}});
}

Result<Response> CreateOrganization(ApiContext& ctx, Request& req, const PathParams&,
                                    const Principal& who) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(catalog::OrganizationInput in, ReadOrgInput(j));
  ODP_ASSIGN_OR_RETURN(Organization o, ctx.catalog.CreateOrganization(who, in));
  return Created(OrganizationJson(o));
}

Result<Response> GetOrganization(ApiContext& ctx, Request&, const PathParams& p,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(Organization o, ctx.catalog.GetOrganization(p.at("id")));
  json j = OrganizationJson(o);
  j["dataset_count"] = ctx.catalog.CountByFacet(who, "organization")[o.slug];
  return JsonResponse(200, j);
}

Result<Response> UpdateOrganization(ApiContext& ctx, Request& req, const PathParams& p,
                                    const Principal& who) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(catalog::OrganizationInput in, ReadOrgInput(j));
  ODP_ASSIGN_OR_RETURN(Organization o, ctx.catalog.UpdateOrganization(who, p.at("id"), in));
  return JsonResponse(200, OrganizationJson(o));
}

// The organization `id` when `who` may manage it; `denied` is the error otherwise.
Result<Organization> ManagedOrganization(ApiContext& ctx, const std::string& id,
                                         const Principal& who, Status denied) {
  ODP_ASSIGN_OR_RETURN(Organization o, ctx.catalog.GetOrganization(id));
  if (!access::Allowed(who, access::Action::kManageOrganization, {o.id})) return denied;
  return o;
}

Status ManageMembersDenied() {
  return Status::PermissionDenied("only organization admins manage members",
                                  "Chỉ quản trị viên cơ quan được quản lý thành viên");
}

Result<Response> ListMembers(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(Organization o,
                       ManagedOrganization(ctx, p.at("id"), who,
                                           Status::PermissionDenied(
                                               "only organization admins see members",
                                               "Chỉ quản trị viên cơ quan được xem thành viên")));
  ODP_ASSIGN_OR_RETURN(auto members, ctx.accounts.ListMembers(o.id));
  json arr = json::array();
  for (const auto& m : members) {
    if (auto u = ctx.accounts.GetUser(m.user_id); u.ok()) {
      arr.push_back({{"username", u->username},
                     {"display_name", u->display_name},
                     {"role", ToString(m.role)}});
    }
  }
  return JsonResponse(200, {{"members", arr}});
}

Result<Response> SetMember(ApiContext& ctx, Request& req, const PathParams& p,
                           const Principal& who) {
  ODP_ASSIGN_OR_RETURN(Organization o,
                       ManagedOrganization(ctx, p.at("id"), who, ManageMembersDenied()));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> role_text;
  FieldReader f(j);
  f.Str("role", role_text);
  auto role = ParseOrgRole(role_text.value_or(""));
  if (!f.status().ok() || !role) {
    return Status::InvalidArgument("role must be member, editor or admin",
                                   "Vai trò phải là member, editor hoặc admin")
        .WithField("role", "member, editor, admin");
  }
  ODP_RETURN_IF_ERROR(ctx.accounts.SetMembership(p.at("user"), o.id, *role));
  return JsonResponse(200, {{"username", p.at("user")}, {"role", ToString(*role)}});
}

Result<Response> RemoveMember(ApiContext& ctx, Request&, const PathParams& p,
                              const Principal& who) {
  ODP_ASSIGN_OR_RETURN(Organization o,
                       ManagedOrganization(ctx, p.at("id"), who, ManageMembersDenied()));
  ODP_RETURN_IF_ERROR(ctx.accounts.RemoveMembership(p.at("user"), o.id));
  return NoContent();
}

// Taxonomies (sectors and topics) ---------------------------------------------------------

Result<Response> ListGroups(ApiContext& ctx, const Principal& who, GroupKind kind,
                            const std::string& plural) {
  auto counts = ctx.catalog.CountByFacet(who, kind == GroupKind::kSector ? "sector" : "topic");
  json arr = json::array();
  for (const auto& g : ctx.catalog.ListGroups(kind)) {
    json j = GroupJson(g);
    j["dataset_count"] = counts[g.slug];
    arr.push_back(j);
  }
  return JsonResponse(200, {{plural, arr}});
}

Result<Response> CreateGroup(ApiContext& ctx, Request& req, const Principal& who, GroupKind kind) {
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanManageTaxonomy(who));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(catalog::GroupInput in, ReadGroupInput(j));
  ODP_ASSIGN_OR_RETURN(Group g, ctx.catalog.CreateGroup(who, kind, in));
  return Created(GroupJson(g));
}

Result<Response> GetGroup(ApiContext& ctx, const PathParams& p, const Principal& who,
                          GroupKind kind) {
  auto g = ctx.catalog.GetGroup(p.at("id"));
  if (!g.ok() || g->kind != kind) return Status::NotFound("group", p.at("id"));
  json j = GroupJson(*g);
  j["dataset_count"] = ctx.catalog.CountByFacet(who, ToString(kind))[g->slug];
  return JsonResponse(200, j);
}

Result<Response> UpdateGroup(ApiContext& ctx, Request& req, const PathParams& p,
                             const Principal& who, GroupKind kind) {
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanManageTaxonomy(who));
  auto current = ctx.catalog.GetGroup(p.at("id"));
  if (!current.ok() || current->kind != kind) return Status::NotFound("group", p.at("id"));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(catalog::GroupInput in, ReadGroupInput(j));
  ODP_ASSIGN_OR_RETURN(Group g, ctx.catalog.UpdateGroup(who, p.at("id"), in));
  return JsonResponse(200, GroupJson(g));
}

// Licences --------------------------------------------------------------------------------

Result<Response> ListLicenses(ApiContext& ctx, Request&, const PathParams&, const Principal&) {
  json arr = json::array();
  for (const auto& l : ctx.catalog.ListLicenses()) arr.push_back(LicenseJson(l));
  return JsonResponse(200, {{"licenses", arr}});
}

Result<Response> PutLicense(ApiContext& ctx, Request& req, const PathParams& p,
                            const Principal& who) {
  ODP_RETURN_IF_ERROR(ctx.catalog.CheckCanManageTaxonomy(who));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> title_vi, title_en, url;
  FieldReader f(j);
  f.Str("title_vi", title_vi);
  f.Str("title_en", title_en);
  f.Str("url", url);
  ODP_RETURN_IF_ERROR(f.status());
  auto open = j.find("is_open");
  if (open != j.end() && !open->is_boolean()) {
    return Status::InvalidArgument("is_open must be true or false",
                                   "is_open phải là true hoặc false")
        .WithField("is_open", "Phải là true hoặc false");
  }
  License l{p.at("id"),
            title_vi.value_or(""),
            title_en.value_or(""),
            url.value_or(""),
            open != j.end() && open->get<bool>(),
            100};
  for (const auto& existing : ctx.catalog.ListLicenses()) {
    if (existing.id == l.id) l.position = existing.position;
  }
  ODP_ASSIGN_OR_RETURN(License saved, ctx.catalog.PutLicense(who, l));
  return JsonResponse(200, LicenseJson(saved));
}

// Accounts --------------------------------------------------------------------------------

Status NotLoggedIn() { return Status::Unauthenticated("not logged in", "Bạn chưa đăng nhập"); }

Result<Response> Register(ApiContext& ctx, Request& req, const PathParams&, const Principal&) {
  if (!ctx.config.allow_registration) {
    return Status::PermissionDenied("registration is closed", "Cổng không mở đăng ký tài khoản");
  }
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> username, email, password, display_name;
  FieldReader f(j);
  f.Str("username", username);
  f.Str("email", email);
  f.Str("password", password);
  f.Str("display_name", display_name);
  ODP_RETURN_IF_ERROR(f.status());
  access::NewUser u{username.value_or(""), email.value_or(""), display_name.value_or(""),
                    password.value_or(""), false};
  const int version = catalog::PrivacyVersion(ctx.settings.Get());
  // Consent to the privacy notice in force is required, and recorded with the account; its
  // absence is reported with the other fields' problems.
  auto consent = j.find("accept_privacy_notice");
  if (consent == j.end() || !consent->is_boolean() || !consent->get<bool>()) {
    Status bad = access::ValidateNewUser(u);
    if (bad.ok()) {
      bad = Status::InvalidArgument("accept the privacy notice (accept_privacy_notice: true)",
                                    "Cần đồng ý với thông báo về quyền riêng tư");
    }
    return bad.WithField("accept_privacy_notice", "Cần đồng ý với thông báo về quyền riêng tư");
  }
  // 202 whether the account was created or the name or e-mail was taken: registration does
  // not tell who has an account (AccountService::Register).
  ODP_RETURN_IF_ERROR(ctx.accounts.Register(u, version));
  return JsonResponse(202,
                      {{"message",
                        "Registration received. If this user name and e-mail were not already in "
                        "use, the account has been created: sign in with the password you chose."},
                       {"message_vi",
                        "Đã nhận yêu cầu đăng ký. Nếu tên đăng nhập và e-mail này chưa được "
                        "dùng, tài khoản đã được tạo: hãy đăng nhập bằng mật khẩu vừa chọn."}});
}

Result<Response> Login(ApiContext& ctx, Request& req, const PathParams&, const Principal&) {
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> login, password;
  FieldReader f(j);
  f.Str("username", login);
  if (!login) f.Str("email", login);
  f.Str("password", password);
  ODP_RETURN_IF_ERROR(f.status());
  auto s =
      ctx.accounts.Login(login.value_or(""), password.value_or(""),
                         ctx.config.session_ttl_seconds * 1000000, {ClientAddressOf(ctx, req)});
  if (!s.ok()) {
    Response r = ErrorResponse(s.status());
    if (s.status().code() == StatusCode::kResourceExhausted) r.status = 429;  // throttled
    return r;
  }
  Response r =
      JsonResponse(200, {{"user", UserJson(s->user, true)}, {"csrf_token", s->csrf_token}});
  SetSessionCookie(ctx, r, s->cookie_value, ctx.config.session_ttl_seconds);
  return r;
}

Result<Response> Logout(ApiContext& ctx, Request& req, const PathParams&, const Principal&) {
  std::string cookie = req.Cookie("odp_session");
  if (!cookie.empty()) (void)ctx.accounts.Logout(cookie);
  Response r = NoContent();
  SetSessionCookie(ctx, r, "", 0);
  return r;
}

Result<Response> Me(ApiContext& ctx, Request&, const PathParams&, const Principal& who) {
  if (!who.authenticated()) return NotLoggedIn();
  ODP_ASSIGN_OR_RETURN(User u, ctx.accounts.GetUser(who.user_id));
  json j = UserJson(u, true);
  json orgs = json::array();
  for (const auto& [org_id, role] : who.roles) {
    if (auto o = ctx.catalog.GetOrganization(org_id); o.ok()) {
      orgs.push_back({{"slug", o->slug}, {"title_vi", o->title_vi}, {"role", ToString(role)}});
    }
  }
  j["organizations"] = orgs;
  if (who.via == Principal::Via::kSession) j["csrf_token"] = who.csrf_token;
  return JsonResponse(200, j);
}

Result<Response> ListTokens(ApiContext& ctx, Request&, const PathParams&, const Principal& who) {
  if (!who.authenticated()) return NotLoggedIn();
  ODP_ASSIGN_OR_RETURN(auto tokens, ctx.accounts.ListTokens(who.user_id));
  json arr = json::array();
  for (const auto& t : tokens) {
    arr.push_back({{"id", t.id},
                   {"name", t.name},
                   {"created", FormatIsoSeconds(t.created)},
                   {"last_used", t.last_used ? json(FormatIsoSeconds(t.last_used)) : json(nullptr)},
                   {"revoked", t.revoked}});
  }
  return JsonResponse(200, {{"tokens", arr}});
}

Result<Response> CreateToken(ApiContext& ctx, Request& req, const PathParams&,
                             const Principal& who) {
  if (!who.authenticated()) return NotLoggedIn();
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> name;
  FieldReader f(j);
  f.Str("name", name);
  ODP_RETURN_IF_ERROR(f.status());
  ODP_ASSIGN_OR_RETURN(auto t, ctx.accounts.CreateToken(who.user_id, name.value_or("")));
  return Created({{"id", t.token.id},
                  {"name", t.token.name},
                  {"token", t.secret},
                  {"created", FormatIsoSeconds(t.token.created)}});
}

Result<Response> RevokeToken(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  if (!who.authenticated()) return NotLoggedIn();
  ODP_RETURN_IF_ERROR(ctx.accounts.RevokeToken(who.user_id, p.at("id")));
  return NoContent();
}

// Not behind WithAuth: the document is the same for everyone.
Response OpenApi(Request&, const PathParams&) {
  Response r = JsonText(200, OpenApiDocument());
  r.Set("Cache-Control", "public, max-age=300");
  return r;
}

}  // namespace

void RegisterRestV1(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/datasets", SearchDatasets);
  AddRoute(router, ctx, "POST", "/api/v1/datasets", CreateDataset);
  AddRoute(router, ctx, "GET", "/api/v1/datasets/{id}", GetDataset);
  AddRoute(router, ctx, "PATCH", "/api/v1/datasets/{id}", UpdateDataset);
  AddRoute(router, ctx, "DELETE", "/api/v1/datasets/{id}", DeleteDataset);
  for (auto [verb, action] : {std::pair{"submit", access::Action::kSubmitDataset},
                              std::pair{"publish", access::Action::kPublishDataset},
                              std::pair{"reject", access::Action::kRejectDataset},
                              std::pair{"withdraw", access::Action::kWithdrawDataset}}) {
    AddRoute(
        router, ctx, "POST", std::string("/api/v1/datasets/{id}/") + verb,
        [action = action](ApiContext& c, Request& req, const PathParams& p, const Principal& who) {
          return TransitionDataset(c, req, p, who, action);
        });
  }
  AddRoute(router, ctx, "POST", "/api/v1/datasets/{id}/approve-change", ApproveChange);
  AddRoute(router, ctx, "POST", "/api/v1/datasets/{id}/reject-change", RejectChange);
  AddRoute(router, ctx, "GET", "/api/v1/datasets/{id}/history", DatasetHistory);
  AddRoute(router, ctx, "GET", "/api/v1/datasets/{id}/resources", ListResources);
  AddRoute(router, ctx, "POST", "/api/v1/datasets/{id}/resources", AddResource);

  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}", GetResource);
  router.AcceptUploads("POST", "/api/v1/datasets/{id}/resources");
  router.AcceptUploads("PATCH", "/api/v1/resources/{id}");
  router.AcceptUploads("PUT", "/api/v1/resources/{id}/file");
  AddRoute(router, ctx, "PATCH", "/api/v1/resources/{id}", UpdateResource);
  AddRoute(router, ctx, "PUT", "/api/v1/resources/{id}/file", UpdateResource);
  AddRoute(router, ctx, "DELETE", "/api/v1/resources/{id}", DeleteResource);
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/versions", ListVersions);
  AddRoute(router, ctx, "GET", "/api/v1/resources/{id}/download", DownloadResource);

  AddRoute(router, ctx, "GET", "/api/v1/organizations", ListOrganizations);
  AddRoute(router, ctx, "POST", "/api/v1/organizations", CreateOrganization);
  AddRoute(router, ctx, "GET", "/api/v1/organizations/{id}", GetOrganization);
  AddRoute(router, ctx, "PATCH", "/api/v1/organizations/{id}", UpdateOrganization);
  AddRoute(router, ctx, "GET", "/api/v1/organizations/{id}/members", ListMembers);
  AddRoute(router, ctx, "PUT", "/api/v1/organizations/{id}/members/{user}", SetMember);
  AddRoute(router, ctx, "DELETE", "/api/v1/organizations/{id}/members/{user}", RemoveMember);

  for (auto [plural, kind] :
       {std::pair{"sectors", GroupKind::kSector}, std::pair{"topics", GroupKind::kTopic}}) {
    const std::string base = std::string("/api/v1/") + plural;
    AddRoute(router, ctx, "GET", base,
             [kind = kind, plural = std::string(plural)](ApiContext& c, Request&, const PathParams&,
                                                         const Principal& who) {
               return ListGroups(c, who, kind, plural);
             });
    AddRoute(router, ctx, "POST", base,
             [kind = kind](ApiContext& c, Request& req, const PathParams&, const Principal& who) {
               return CreateGroup(c, req, who, kind);
             });
    AddRoute(router, ctx, "GET", base + "/{id}",
             [kind = kind](ApiContext& c, Request&, const PathParams& p, const Principal& who) {
               return GetGroup(c, p, who, kind);
             });
    AddRoute(router, ctx, "PATCH", base + "/{id}",
             [kind = kind](ApiContext& c, Request& req, const PathParams& p, const Principal& who) {
               return UpdateGroup(c, req, p, who, kind);
             });
  }

  AddRoute(router, ctx, "GET", "/api/v1/licenses", ListLicenses);
  AddRoute(router, ctx, "PUT", "/api/v1/licenses/{id}", PutLicense);

  AddRoute(router, ctx, "POST", "/api/v1/auth/register", Register);
  AddRoute(router, ctx, "POST", "/api/v1/auth/login", Login);
  AddRoute(router, ctx, "POST", "/api/v1/auth/logout", Logout);
  AddRoute(router, ctx, "GET", "/api/v1/me", Me);
  AddRoute(router, ctx, "GET", "/api/v1/me/tokens", ListTokens);
  AddRoute(router, ctx, "POST", "/api/v1/me/tokens", CreateToken);
  AddRoute(router, ctx, "DELETE", "/api/v1/me/tokens/{id}", RevokeToken);

  router.Add("GET", "/api/v1/openapi.json", OpenApi);
}

}  // namespace odp::api

// The publisher's workspace: datasets of my organizations by state, the dataset form, files
// (upload, replace, versions), submission, and the reviewers' queue with diffs.
//
// The schema form (`SchemaForm`/`SchemaPost` in `src/web/workspace_pages.cpp`,
// `web/templates/schema.mustache`, `/workspace/resources/{id}/schema`): a label, a type and a
// description per column, the key, the sheet of a workbook, the encoding of text, and the header,
// first and last data rows (empty: found from the file). Only the fields
// whose value differs from the current table become overrides (so untouched columns keep following
// inference), laid over the saved options with `MergeOptions`, then `Reload`.

#include <algorithm>
#include <set>

#include "api/datastore_api.h"
#include "api/upload.h"
#include "catalog/settings.h"
#include "http/request.h"
#include "web/page.h"
#include "web/render.h"
#include "web/view_models.h"

namespace odp::web {
namespace {

using http::Response;

// The values the catalogue accepts (catalog/validation.cpp), in the order people think of them.
const char* const kFrequencies[] = {"realtime",   "daily",  "weekly",    "monthly", "quarterly",
                                    "semiannual", "annual", "irregular", "never"};
const AccessTier kTiers[] = {AccessTier::kPublic, AccessTier::kRegistered, AccessTier::kShared,
                             AccessTier::kInternal};
const DatasetState kStates[] = {DatasetState::kDraft, DatasetState::kPending,
                                DatasetState::kRejected, DatasetState::kPublished,
                                DatasetState::kWithdrawn};

bool CanEditIn(const access::Principal& who, const std::string& org_id) {
  if (who.sysadmin) return true;
  const OrgRole* r = who.RoleIn(org_id);
  return r && *r != OrgRole::kMember;
}

bool CanReviewIn(const access::Principal& who, const std::string& org_id) {
  if (who.sysadmin) return true;
  const OrgRole* r = who.RoleIn(org_id);
  return r && *r == OrgRole::kAdmin;
}

// "Nguyễn Văn A (nguyenvana)", or the user name alone, or the id of an account since removed.
std::string PersonName(Page& p, const std::string& user_id) {
  if (user_id.empty()) return "";
  auto u = p.api.accounts.GetUser(user_id);
  if (!u.ok()) return user_id;
  if (u->display_name.empty() || u->display_name == u->username) return u->username;
  return u->display_name + " (" + u->username + ")";
}

// Who submitted `d` for review and when, for the queue and the review page (nothing when never
// recorded). `submitted_by_me`: the viewer submitted it, so the rule of separation of duties
// leaves the approval to another reviewer (unless the site allows self-approval).
void AddSubmitter(Page& p, const Dataset& d, json& out) {
  if (d.submitted_by.empty()) return;
  out["submitted_by"] = PersonName(p, d.submitted_by);
  out["submitted_at"] = p.Date(d.submitted_at, true);
  out["submitted_by_me"] = d.submitted_by == p.who.user_id && d.state == DatasetState::kPending &&
                           !catalog::SelfApprovalAllowed(p.api.settings.Get());
}

// Every dataset (any state but deleted) of organization `org_slug` that `who` can see.
std::vector<catalog::EntryPtr> OrgDatasets(Page& p, const std::string& org_slug) {
  catalog::SearchRequest sr;
  sr.filters["organization"] = {org_slug};
  sr.include_unpublished = true;
  sr.sort = catalog::SortOrder::kUpdated;
  sr.limit = 1000;
  return p.api.catalog.Search(p.who, sr).results;
}

Response Workspace(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  json v = p.View(p.T("nav_workspace"));
  json orgs = json::array();
  int pending_total = 0;
  for (const auto& o : p.api.catalog.ListOrganizations()) {
    if (!p.who.sysadmin && !p.who.RoleIn(o.id)) continue;
    auto entries = OrgDatasets(p, o.slug);
    if (p.who.sysadmin && entries.empty() && !p.who.RoleIn(o.id)) continue;
    json states = json::array();
    for (DatasetState s : kStates) {
      json items = json::array();
      for (const auto& e : entries) {
        if (e && e->dataset.state == s) {
          json c = DatasetCard(p, *e);
          c["manage_url"] = p.Url("/workspace/datasets/" + e->dataset.slug);
          c["reason"] = e->dataset.state_reason;
          items.push_back(std::move(c));
        }
      }
      if (s == DatasetState::kPending && CanReviewIn(p.who, o.id))
        pending_total += static_cast<int>(items.size());
      states.push_back({{"state", ToString(s)},
                        {"label", StateLabel(p, s)},
                        {"count", items.size()},
                        {"items", std::move(items)}});
    }
    orgs.push_back(
        {{"title", p.Pick(o.title_vi, o.title_en)},
         {"slug", o.slug},
         {"url", p.Url("/organizations/" + o.slug)},
         {"role", p.who.RoleIn(o.id) ? p.T(std::string("role_") + ToString(*p.who.RoleIn(o.id)))
                                     : p.T("role_sysadmin")},
         {"can_edit", CanEditIn(p.who, o.id)},
         {"can_manage", CanReviewIn(p.who, o.id)},
         {"members_url", p.Url("/admin/organizations/" + o.slug)},
         {"new_url", p.Url("/workspace/new?organization=" + o.slug)},
         {"states", std::move(states)},
         {"total", entries.size()}});
  }
  v["orgs"] = std::move(orgs);
  v["has_orgs"] = !v["orgs"].empty();
  v["pending_total"] = pending_total;
  v["review_url"] = p.Url("/workspace/review");
  // Consumer systems: for whoever may register one (an organization's admin) or decide on them.
  bool consumers = p.api.consumers != nullptr && p.who.sysadmin;
  for (const auto& [org_id, role] : p.who.roles)
    consumers = consumers || (p.api.consumers && role == OrgRole::kAdmin);
  if (consumers) v["consumers_url"] = p.Url("/workspace/consumers");
  // Grants: for the same people (admins grant their organization's tables and see their systems').
  if (consumers && p.api.grants != nullptr) v["grants_url"] = p.Url("/workspace/grants");
  v["done"] = p.req.Param("done");
  if (!v["done"].get<std::string>().empty()) v["done_message"] = p.T("done_" + p.req.Param("done"));
  return p.Render("workspace", std::move(v));
}

// The dataset form's view: values (from the dataset or the submitted form) and choices.
json FormView(Page& p, const json& values, const std::set<std::string>& sectors,
              const std::set<std::string>& topics) {
  json f;
  f["values"] = values;
  json orgs = json::array();
  std::string chosen_org = values.value("organization", "");
  for (const auto& o : p.api.catalog.ListOrganizations()) {
    if (!CanEditIn(p.who, o.id)) continue;
    orgs.push_back({{"slug", o.slug},
                    {"title", p.Pick(o.title_vi, o.title_en)},
                    {"selected", o.slug == chosen_org}});
  }
  f["orgs"] = std::move(orgs);
  auto groups = [&](GroupKind kind, const std::set<std::string>& chosen) {
    json list = json::array();
    for (const auto& g : p.api.catalog.ListGroups(kind)) {
      list.push_back(
          {{"slug", g.slug},
           {"title", p.Pick(g.title_vi, g.title_en)},
           {"checked", chosen.count(g.slug) > 0 || chosen.count(g.id) > 0},
           {"input_id", std::string(kind == GroupKind::kSector ? "sector-" : "topic-") + g.slug}});
    }
    return list;
  };
  f["sectors"] = groups(GroupKind::kSector, sectors);
  f["topics"] = groups(GroupKind::kTopic, topics);
  json lic = json::array();
  for (const auto& l : p.api.catalog.ListLicenses()) {
    lic.push_back({{"id", l.id},
                   {"title", p.Pick(l.title_vi, l.title_en)},
                   {"selected", l.id == values.value("license_id", "")}});
  }
  f["licenses"] = std::move(lic);
  json tiers = json::array();
  std::string access = values.value("access", "public");
  for (AccessTier t : kTiers) {
    std::string key = std::string("access_") + ToString(t);
    tiers.push_back({{"value", ToString(t)},
                     {"label", p.T(key)},
                     {"explain", p.T(key + "_explain")},
                     {"checked", access == ToString(t)},
                     {"input_id", std::string("access-") + ToString(t)}});
  }
  f["tiers"] = std::move(tiers);
  json freq = json::array();
  for (const char* fr : kFrequencies) {
    freq.push_back({{"value", fr},
                    {"label", p.T(std::string("freq_") + fr)},
                    {"selected", values.value("update_frequency", "") == fr}});
  }
  f["frequencies"] = std::move(freq);
  return f;
}

json ValuesOf(Page& p, const Dataset& d) {
  std::string tags;
  for (const auto& t : d.tags) tags += (tags.empty() ? "" : ", ") + t;
  std::string org_slug;
  if (auto o = p.api.catalog.GetOrganization(d.organization_id); o.ok()) org_slug = o->slug;
  return {{"slug", d.slug},
          {"title_vi", d.title_vi},
          {"title_en", d.title_en},
          {"description_vi", d.description_vi},
          {"description_en", d.description_en},
          {"organization", org_slug},
          {"tags", tags},
          {"license_id", d.license_id},
          {"access", ToString(d.access)},
          {"update_frequency", d.update_frequency},
          {"temporal_start", d.temporal_start},
          {"temporal_end", d.temporal_end},
          {"contact_name", d.contact_name},
          {"contact_email", d.contact_email},
          {"version", d.version}};
}

// Reads the dataset form into a service input, and the submitted values back for redisplay.
catalog::DatasetInput InputOf(Page& p, json& values, std::set<std::string>& sectors,
                              std::set<std::string>& topics) {
  auto get = [&p](const char* k) { return p.Field(k); };
  catalog::DatasetInput in;
  for (const char* k : {"title_vi", "title_en", "description_vi", "description_en", "organization",
                        "tags", "license_id", "access", "update_frequency", "temporal_start",
                        "temporal_end", "contact_name", "contact_email", "version", "slug"}) {
    values[k] = get(k);
  }
  in.title_vi = get("title_vi");
  in.title_en = get("title_en");
  in.description_vi = get("description_vi");
  in.description_en = get("description_en");
  if (!get("organization").empty()) in.organization = get("organization");
  in.license_id = get("license_id");
  in.access = get("access").empty() ? "public" : get("access");
  in.update_frequency = get("update_frequency");
  in.temporal_start = get("temporal_start");
  in.temporal_end = get("temporal_end");
  in.contact_name = get("contact_name");
  in.contact_email = get("contact_email");
  in.version = get("version");
  if (!get("slug").empty()) in.slug = get("slug");
  std::vector<std::string> tags;
  std::string cur;
  for (char c : get("tags") + ",") {
    if (c == ',' || c == ';') {
      while (!cur.empty() && cur.back() == ' ') cur.pop_back();
      size_t start = cur.find_first_not_of(' ');
      if (start != std::string::npos) tags.push_back(cur.substr(start));
      cur.clear();
    } else {
      cur += c;
    }
  }
  in.tags = tags;
  auto s = p.FormList("sectors");
  auto t = p.FormList("topics");
  sectors.insert(s.begin(), s.end());
  topics.insert(t.begin(), t.end());
  in.sectors = s;
  in.topics = t;
  return in;
}

Response RenderForm(Page& p, const std::string& title, json values,
                    const std::set<std::string>& sectors, const std::set<std::string>& topics,
                    const std::string& action, bool creating, const Status& error) {
  json v = p.View(title);
  v["form"] = FormView(p, values, sectors, topics);
  v["form"]["action"] = action;
  v["form"]["creating"] = creating;
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
  return p.Render("dataset_form", std::move(v),
                  error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response NewDatasetForm(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  json values = {
      {"organization", p.req.Param("organization")}, {"access", "public"}, {"license_id", "cc-by"}};
  return RenderForm(p, p.T("new_dataset"), values, {}, {}, p.Url("/workspace/new"), true,
                    Status::Ok());
}

Response NewDatasetPost(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  json values;
  std::set<std::string> sectors, topics;
  catalog::DatasetInput in = InputOf(p, values, sectors, topics);
  auto created = p.api.catalog.CreateDataset(p.who, in);
  if (!created.ok()) {
    return RenderForm(p, p.T("new_dataset"), values, sectors, topics, p.Url("/workspace/new"), true,
                      created.status());
  }
  return p.Redirect("/workspace/datasets/" + (*created)->dataset.slug + "?done=created");
}

Response EditDatasetForm(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  auto got = p.api.catalog.GetDataset(p.who, params.at("slug"));
  if (!got.ok()) return p.Error(got.status());
  if (Status s = p.api.catalog.CheckCanEdit(p.who, (*got)->dataset.id); !s.ok()) return p.Error(s);
  const Dataset& d = (*got)->dataset;
  std::set<std::string> sectors(d.sector_ids.begin(), d.sector_ids.end());
  std::set<std::string> topics(d.topic_ids.begin(), d.topic_ids.end());
  return RenderForm(p, p.T("edit_dataset"), ValuesOf(p, d), sectors, topics,
                    p.Url("/workspace/datasets/" + d.slug + "/edit"), false, Status::Ok());
}

Response EditDatasetPost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  json values;
  std::set<std::string> sectors, topics;
  catalog::DatasetInput in = InputOf(p, values, sectors, topics);
  in.slug.reset();  // the address does not change from this form
  auto updated = p.api.catalog.UpdateDataset(p.who, params.at("slug"), in);
  if (!updated.ok()) {
    values["slug"] = params.at("slug");
    return RenderForm(p, p.T("edit_dataset"), values, sectors, topics,
                      p.Url("/workspace/datasets/" + params.at("slug") + "/edit"), false,
                      updated.status());
  }
  return p.Redirect("/workspace/datasets/" + (*updated)->dataset.slug + "?done=saved");
}

// The load of an uploaded resource's table as the manage and review pages show it (false when
// there is nothing to show: a link, or no datastore):
//   - queued or running: the state, the percentage and rows so far, a way to stop it, and
//     `polling` — the block (id "load-<resource>") asks /workspace/resources/{id}/status for
//     itself again every 2 seconds with htmx, and links there for browsers without JavaScript;
//   - loaded: a summary that stays — rows, columns, the problems found and a link to the report;
//   - failed or cancelled: the state and the error.
json LoadStatusView(Page& p, const Resource& r, const std::string& slug) {
  if (!p.api.datastore || !r.upload) return false;
  // Every key the block reads is set, so that none is looked up in the page around it (the
  // review page has its own `rows`, a page with an error its own `error`).
  json j = {{"id", r.id},
            {"name", r.name.empty() ? r.filename : r.name},
            {"status_url", p.Url("/workspace/resources/" + r.id + "/status")},
            {"state", false},
            {"failed", false},
            {"polling", false},
            {"percent", false},
            {"rows", false},
            {"error", false},
            {"cancel_url", false},
            {"summary", false}};
  auto job = p.api.datastore->Job(r.id);
  if (job.ok() && (datastore::IsLoading(job->state) || job->state == datastore::JobState::kFailed ||
                   job->state == datastore::JobState::kCancelled)) {
    const bool running = datastore::IsLoading(job->state);
    j["state"] = p.T(std::string("job_") + ToString(job->state));
    j["failed"] = job->state == datastore::JobState::kFailed;
    j["polling"] = running;
    if (job->bytes_total > 0 && job->state == datastore::JobState::kRunning) {
      j["percent"] =
          std::to_string(std::min<int64_t>(99, job->bytes_done * 100 / job->bytes_total));
    }
    if (job->rows_done > 0) j["rows"] = job->rows_done;
    if (!job->error_en.empty()) j["error"] = p.en() ? job->error_en : job->error_vi;
    if (job->state == datastore::JobState::kQueued || job->state == datastore::JobState::kRunning) {
      j["cancel_url"] = p.Url("/workspace/resources/" + r.id + "/cancel");
    }
    if (running) return j;
  }
  auto t = p.api.datastore->Table(r.id);
  if (!t.ok()) return j["state"].is_string() ? j : json(false);
  int64_t problems = 0;
  for (const auto& [kind, n] : t->issue_counts) problems += n;
  json summary = {{"rows", FormatCount(t->rows, p.lang)},
                  {"columns", static_cast<int64_t>(t->fields.size())},
                  {"problems", FormatCount(problems, p.lang)},
                  {"has_problems", problems > 0},
                  {"report_url", p.Url("/datasets/" + slug + "/resources/" + r.id) + "#report-h"}};
  j["summary"] = std::move(summary);
  return j;
}

// GET /workspace/resources/{id}/status: the load status block alone on a page — what the block
// polls (htmx takes the block out of it) and where its refresh link leads without JavaScript.
Response LoadStatusPage(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  auto res = p.api.catalog.GetResource(p.who, params.at("id"));
  if (!res.ok()) return p.Error(res.status());
  const Dataset& d = res->first->dataset;
  if (Status s = p.api.catalog.CheckCanEdit(p.who, d.id); !s.ok()) return p.Error(s);
  const Resource& r = res->second;
  json v = p.View(p.T("load_status_title") + ": " + (r.name.empty() ? r.filename : r.name));
  json load = LoadStatusView(p, r, d.slug);
  if (!load.is_object()) return p.Error(Status::NotFound("table of resource", r.id));
  v["load"] = std::move(load);
  v["manage_url"] = p.Url("/workspace/datasets/" + d.slug);
  v["dataset_title"] = p.Pick(d.title_vi, d.title_en);
  return p.Render("load_status", std::move(v));
}

Response ManageDataset(Page& p, const std::string& slug, const Status& error, int status = 200) {
  auto got = p.api.catalog.GetDataset(p.who, slug);
  if (!got.ok()) return p.Error(got.status());
  const catalog::DatasetEntry& e = **got;
  const Dataset& d = e.dataset;
  if (Status s = p.api.catalog.CheckCanEdit(p.who, d.id); !s.ok()) return p.Error(s);
  json v = p.View(p.Pick(d.title_vi, d.title_en));
  json ds = DatasetCard(p, e);
  ds["public_url"] = p.Url("/datasets/" + d.slug);
  ds["edit_url"] = p.Url("/workspace/datasets/" + d.slug + "/edit");
  ds["action_base"] = p.Url("/workspace/datasets/" + d.slug);
  ds["reason"] = d.state_reason;
  ds["rejected"] = d.state == DatasetState::kRejected;
  ds["can_submit"] = d.state == DatasetState::kDraft || d.state == DatasetState::kRejected ||
                     d.state == DatasetState::kWithdrawn;
  ds["is_pending"] = d.state == DatasetState::kPending;
  ds["can_withdraw"] = d.state == DatasetState::kPublished && CanReviewIn(p.who, d.organization_id);
  ds["can_review"] = CanReviewIn(p.who, d.organization_id) && d.state == DatasetState::kPending;
  ds["review_url"] = p.Url("/workspace/review/" + d.slug);
  // A tier opening or licence change held for review (CatalogService::UpdateDataset).
  if (d.HasPendingChange()) {
    std::string what;
    if (!d.pending_access.empty()) {
      what = p.T("field_access") + ": " + p.T("access_" + d.pending_access);
    }
    if (d.pending_license_id) {
      auto l = p.api.catalog.GetLicense(*d.pending_license_id);
      what += (what.empty() ? "" : "; ") + p.T("field_license_id") + ": " +
              (l.ok() ? p.Pick(l->title_vi, l->title_en) : *d.pending_license_id);
    }
    ds["pending_change"] = what;
    ds["can_review_change"] = CanReviewIn(p.who, d.organization_id);
  }
  json resources = json::array();
  for (const auto& r : e.resources) {
    json x = {{"id", r.id},
              {"name", r.name.empty() ? r.filename : r.name},
              {"format", r.format},
              {"upload", r.upload},
              {"size", r.upload ? FormatBytes(r.size, p.lang) : ""},
              {"modified", p.Date(r.modified, true)},
              {"version", r.version},
              {"url", r.url},
              {"replace_url", p.Url("/workspace/resources/" + r.id + "/replace")},
              {"schema_url", p.Url("/workspace/resources/" + r.id + "/schema")},
              {"page_url", p.Url("/datasets/" + d.slug + "/resources/" + r.id)},
              {"has_table", p.api.datastore && p.api.datastore->Table(r.id).ok()},
              {"delete_url", p.Url("/workspace/resources/" + r.id + "/delete")}};
    if (r.upload) {
      x["download_url"] =
          "/dataset/" + d.id + "/resource/" + r.id + "/download/" + http::UrlEncode(r.filename);
      json versions = json::array();
      if (auto vs = p.api.catalog.ListVersions(p.who, r.id); vs.ok()) {
        for (auto it = vs->rbegin(); it != vs->rend(); ++it) {
          versions.push_back({{"version", it->version},
                              {"filename", it->filename},
                              {"size", FormatBytes(it->size, p.lang)},
                              {"created", p.Date(it->created, true)},
                              {"url", "/dataset/" + d.id + "/resource/" + r.id + "/download/" +
                                          http::UrlEncode(it->filename) +
                                          "?version=" + std::to_string(it->version)}});
        }
      }
      x["versions"] = std::move(versions);
      // The table's load: progress while it runs (the block refreshes itself), then a summary.
      json load = LoadStatusView(p, r, d.slug);
      if (load.is_object()) x["load"] = std::move(load);
    }
    resources.push_back(std::move(x));
  }
  ds["resources"] = std::move(resources);
  ds["history"] = HistoryView(p, d.id, true, SIZE_MAX);
  v["ds"] = std::move(ds);
  v["upload_url"] = p.Url("/workspace/datasets/" + d.slug + "/resources");
  v["max_upload"] = FormatBytes(p.api.config.max_upload_bytes, p.lang);
  std::string done = p.req.Param("done");
  if (!done.empty()) v["done_message"] = p.T("done_" + done);
  if (!error.ok()) {
    v["error"] = p.Message(error);
    v["errors"] = p.FieldErrors(error);
  } else {
    v["errors"] = json::object();
  }
  return p.Render("manage", std::move(v), error.ok() ? status : api::HttpStatusFor(error.code()));
}

Response ManagePage(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  return ManageDataset(p, params.at("slug"), Status::Ok());
}

// Upload forms are multipart: the fields are read first, and the file goes into the blob store
// only once the right to write and the CSRF token are checked.
Response AddResourcePost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  // Refuse before the file is stored when the caller may not write here.
  if (Status s = p.api.catalog.CheckCanEdit(p.who, params.at("slug")); !s.ok()) return p.Error(s);
  auto form = api::ReadUploadForm(p.api, p.req);
  if (!form.ok()) return ManageDataset(p, params.at("slug"), form.status());
  auto csrf = form->fields.find("csrf");
  if (Status s = api::CheckCsrf(p.who, p.req, csrf == form->fields.end() ? "" : csrf->second);
      !s.ok())
    return p.Error(s);
  if (Status s = api::StoreUploadedFile(p.api, p.req, *form); !s.ok())
    return ManageDataset(p, params.at("slug"), s);
  catalog::ResourceInput in;
  auto get = [&form](const char* k) {
    auto it = form->fields.find(k);
    return it == form->fields.end() ? std::string() : it->second;
  };
  if (!get("name").empty()) in.name = get("name");
  if (!get("description").empty()) in.description = get("description");
  if (!get("url").empty()) in.url = get("url");
  auto load = api::LoadOptionsFromForm(form->fields);
  if (!load.ok()) return ManageDataset(p, params.at("slug"), load.status());
  if (form->file) form->file->read_as = form->fields;  // read that way by its first load
  if (!get("sheets").empty() && form->file) {          // one resource per chosen sheet
    auto each =
        api::AddSheetResources(p.api, p.who, params.at("slug"), in, *form->file, get("sheets"));
    if (!each.ok()) return ManageDataset(p, params.at("slug"), each.status());
    return p.Redirect("/workspace/datasets/" + each->front().first->dataset.slug +
                      "?done=uploaded");
  }
  auto added = p.api.catalog.AddResource(p.who, params.at("slug"), in, form->file);
  if (!added.ok()) return ManageDataset(p, params.at("slug"), added.status());
  if (*load && added->second.upload && !form->file)
    (void)api::ReloadWith(p.api, added->second.id, **load);
  return p.Redirect("/workspace/datasets/" + added->first->dataset.slug + "?done=uploaded");
}

Response ReplaceResourcePost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  auto res = p.api.catalog.GetResource(p.who, params.at("id"));
  if (!res.ok()) return p.Error(res.status());
  std::string slug = res->first->dataset.slug;
  if (Status s = p.api.catalog.CheckCanEdit(p.who, slug); !s.ok()) return p.Error(s);
  auto form = api::ReadUploadForm(p.api, p.req);
  if (!form.ok()) return ManageDataset(p, slug, form.status());
  auto csrf = form->fields.find("csrf");
  if (Status s = api::CheckCsrf(p.who, p.req, csrf == form->fields.end() ? "" : csrf->second);
      !s.ok())
    return p.Error(s);
  if (Status s = api::StoreUploadedFile(p.api, p.req, *form); !s.ok())
    return ManageDataset(p, slug, s);
  if (!form->file) {
    Status s = Status::InvalidArgument("choose a file", "Hãy chọn tệp để thay thế");
    s.WithField("file", "Hãy chọn tệp để thay thế");
    return ManageDataset(p, slug, s);
  }
  auto load = api::LoadOptionsFromForm(form->fields);
  if (!load.ok()) return ManageDataset(p, slug, load.status());
  form->file->read_as = form->fields;  // read that way by its first load
  auto updated = p.api.catalog.UpdateResource(p.who, params.at("id"), {}, form->file);
  if (!updated.ok()) return ManageDataset(p, slug, updated.status());
  return p.Redirect("/workspace/datasets/" + slug + "?done=replaced");
}

Response DeleteResourcePost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  auto res = p.api.catalog.GetResource(p.who, params.at("id"));
  if (!res.ok()) return p.Error(res.status());
  std::string slug = res->first->dataset.slug;
  if (Status s = p.api.catalog.DeleteResource(p.who, params.at("id")); !s.ok())
    return ManageDataset(p, slug, s);
  return p.Redirect("/workspace/datasets/" + slug + "?done=resource_deleted");
}

Response TransitionPost(Page& p, const std::string& slug, access::Action action,
                        const std::string& done, const std::string& back) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  // In the review queue, a published dataset is there for a change held for review.
  auto cur = p.api.catalog.GetDataset(p.who, slug);
  const bool decides_change =
      back == "review" && cur.ok() && (*cur)->dataset.state == DatasetState::kPublished &&
      (*cur)->dataset.HasPendingChange() &&
      (action == access::Action::kPublishDataset || action == access::Action::kRejectDataset);
  Result<catalog::EntryPtr> r =
      !decides_change ? p.api.catalog.Transition(p.who, slug, action, p.Field("reason"))
      : action == access::Action::kPublishDataset
          ? p.api.catalog.ApproveChange(p.who, slug)
          : p.api.catalog.RejectChange(p.who, slug, p.Field("reason"));
  if (!r.ok()) {
    if (back == "review") return p.Error(r.status());
    return ManageDataset(p, slug, r.status());
  }
  if (back == "review") return p.Redirect("/workspace/review?done=" + done);
  return p.Redirect("/workspace/datasets/" + (*r)->dataset.slug + "?done=" + done);
}

Response DeleteDatasetPost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  if (Status s = p.api.catalog.DeleteDataset(p.who, params.at("slug")); !s.ok())
    return ManageDataset(p, params.at("slug"), s);
  return p.Redirect("/workspace?done=deleted");
}

Response ReviewQueue(Page& p, const api::PathParams&) {
  if (!p.who.authenticated()) return p.NeedLogin();
  json v = p.View(p.T("nav_review"));
  json items = json::array();
  for (const auto& o : p.api.catalog.ListOrganizations()) {
    if (!CanReviewIn(p.who, o.id)) continue;
    for (const auto& e : OrgDatasets(p, o.slug)) {
      if (!e) continue;
      const bool held =
          e->dataset.state == DatasetState::kPublished && e->dataset.HasPendingChange();
      if (e->dataset.state != DatasetState::kPending && !held) continue;
      json c = DatasetCard(p, *e);
      c["review_url"] = p.Url("/workspace/review/" + e->dataset.slug);
      c["submitted"] = p.Date(e->dataset.modified, true);
      if (e->dataset.state == DatasetState::kPending) AddSubmitter(p, e->dataset, c);
      items.push_back(std::move(c));
    }
  }
  v["items"] = std::move(items);
  v["empty"] = v["items"].empty();
  std::string done = p.req.Param("done");
  if (!done.empty()) v["done_message"] = p.T("done_" + done);
  return p.Render("review_queue", std::move(v));
}

Response ReviewPage(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  auto got = p.api.catalog.GetDataset(p.who, params.at("slug"));
  if (!got.ok()) return p.Error(got.status());
  const catalog::DatasetEntry& e = **got;
  if (!CanReviewIn(p.who, e.dataset.organization_id)) {
    return p.Error(Status::PermissionDenied("only organization admins review",
                                            "Chỉ quản trị viên của cơ quan mới được duyệt"));
  }
  json v = p.View(p.T("review_title") + ": " + p.Pick(e.dataset.title_vi, e.dataset.title_en));
  auto now = p.api.catalog.Snapshot(e);
  auto before = p.api.catalog.PublishedSnapshot(p.who, e.dataset.id);
  bool first = !before.ok() || before->empty();
  // Codes shown as the words people read ("public" → "Công khai").
  auto readable = [&p](const std::string& field, const std::string& value) -> std::string {
    if (value.empty()) return value;
    if (field == "access") return FacetTitle(p, "access", value);
    if (field == "license_id") return FacetTitle(p, "license_id", value);
    if (field == "update_frequency") return FrequencyLabel(p, value);
    return value;
  };
  static const char* const kOrder[] = {
      "title_vi", "title_en", "organization", "description_vi", "description_en",   "sectors",
      "topics",   "tags",     "license_id",   "access",         "update_frequency", "temporal",
      "spatial",  "contact",  "version",      "resources"};
  json rows = json::array();
  for (const char* field : kOrder) {
    auto it = now.find(field);
    if (it == now.end()) continue;
    const std::string& value = it->second;
    std::string old = first ? "" : (before->count(field) ? before->at(field) : "");
    bool changed = old != value;
    if (!first && !changed) continue;
    if (first && value.empty()) continue;
    rows.push_back({{"field", p.T(std::string("field_") + field)},
                    {"before", readable(field, old)},
                    {"after", readable(field, value)},
                    {"changed", changed}});
  }
  // A published dataset's change held for review: the tier and licence in force, and the new ones.
  const Dataset& d = e.dataset;
  const bool held = d.state == DatasetState::kPublished && d.HasPendingChange();
  if (held) {
    first = false;
    if (!d.pending_access.empty()) {
      rows.push_back({{"field", p.T("field_access")},
                      {"before", readable("access", ToString(d.access))},
                      {"after", readable("access", d.pending_access)},
                      {"changed", true}});
    }
    if (d.pending_license_id) {
      rows.push_back({{"field", p.T("field_license_id")},
                      {"before", readable("license_id", d.license_id)},
                      {"after", readable("license_id", *d.pending_license_id)},
                      {"changed", true}});
    }
  }
  // The tables' columns flagged as personal data, with a form per column to decide on it.
  json personal_tables = json::array();
  bool blocked = false;
  for (const auto& r : e.resources) {
    if (!p.api.datastore) break;
    auto t = p.api.datastore->Table(r.id);
    if (!t.ok() || t->personal_data.empty()) continue;
    json cols = PersonalDataView(p, *t);
    for (auto& c : cols) {
      blocked = blocked || c["unresolved"].get<bool>();
      c["decide_url"] = p.Url("/workspace/resources/" + r.id + "/personal-data");
      c["slug"] = e.dataset.slug;
    }
    personal_tables.push_back(
        {{"name", r.name.empty() ? r.filename : r.name}, {"personal", std::move(cols)}});
  }
  v["personal_tables"] = std::move(personal_tables);
  v["has_personal_tables"] = !v["personal_tables"].empty();
  if (p.req.Param("done") == "personal_saved") v["personal_saved"] = p.T("personal_saved");
  v["personal_blocked"] = blocked;
  v["first_publication"] = first;
  v["rows"] = std::move(rows);
  v["no_changes"] = v["rows"].empty();
  json ds = DatasetCard(p, e);
  ds["manage_url"] = p.Url("/workspace/datasets/" + e.dataset.slug);
  ds["pending"] = e.dataset.state == DatasetState::kPending || held;
  ds["approve_url"] = p.Url("/workspace/review/" + e.dataset.slug + "/approve");
  ds["reject_url"] = p.Url("/workspace/review/" + e.dataset.slug + "/reject");
  if (d.state == DatasetState::kPending) AddSubmitter(p, d, ds);
  v["ds"] = std::move(ds);
  // What the public page will show: the description rendered as there, and per table its load
  // report and first rows (the dataset page's preview).
  const std::string desc = p.Pick(d.description_vi, d.description_en);
  v["description_html"] = MarkdownToHtml(desc);
  v["has_description"] = !desc.empty();
  json tables = json::array();
  for (const auto& r : e.resources) {
    json preview = TablePreview(p, r, d.slug);
    json t = {{"name", r.name.empty() ? r.filename : r.name},
              {"id", r.id},
              {"report_url", p.Url("/datasets/" + d.slug + "/resources/" + r.id) + "#report-h"}};
    if (preview.is_object()) {
      t["preview"] = std::move(preview);
    } else if (!r.upload) {
      continue;  // a link: nothing is loaded
    }
    t["load"] = LoadStatusView(p, r, d.slug);
    tables.push_back(std::move(t));
  }
  v["has_tables"] = !tables.empty();
  v["tables"] = std::move(tables);
  return p.Render("review", std::move(v));
}

}  // namespace

// The publisher's view of a table's schema: a label, a type and a description per column, the
// primary key, and how the file is read (sheet, encoding). Saving loads the stored file again
// and re-validates it; the current table keeps serving until the new one is complete.
Response SchemaForm(Page& p, const std::string& rid, const Status& error) {
  auto res = p.api.catalog.GetResource(p.who, rid);
  if (!res.ok()) return p.Error(res.status());
  const Dataset& d = res->first->dataset;
  if (Status s = p.api.catalog.CheckCanEdit(p.who, d.id); !s.ok()) return p.Error(s);
  if (!p.api.datastore) return p.Error(Status::NotFound("table of resource", rid));
  auto t = p.api.datastore->Table(rid);
  if (!t.ok()) return p.Error(Status::NotFound("table of resource", rid));
  const Resource& r = res->second;
  json v = p.View(p.T("edit_schema") + " — " + (r.name.empty() ? r.filename : r.name));
  v["resource_name"] = r.name.empty() ? r.filename : r.name;
  v["manage_url"] = p.Url("/workspace/datasets/" + d.slug);
  v["page_url"] = p.Url("/datasets/" + d.slug + "/resources/" + r.id);
  v["action"] = p.Url("/workspace/resources/" + r.id + "/schema");
  datastore::LoadOptions o = p.api.datastore->Options(rid);
  json errors = error.ok() ? json::object() : p.FieldErrors(error);
  json fields = json::array();
  for (const auto& f : t->fields) {
    std::string field_error = errors.value("label_" + f.id, errors.value("type_" + f.id, ""));
    json types = json::array();
    for (auto ty : {datastore::ColumnType::kString, datastore::ColumnType::kInteger,
                    datastore::ColumnType::kNumber, datastore::ColumnType::kBoolean,
                    datastore::ColumnType::kDate, datastore::ColumnType::kDatetime}) {
      types.push_back({{"value", datastore::ToString(ty)},
                       {"label", p.T(std::string("type_") + datastore::ToString(ty))},
                       {"selected", ty == f.type}});
    }
    bool key =
        std::find(t->primary_key.begin(), t->primary_key.end(), f.id) != t->primary_key.end();
    fields.push_back({{"id", f.id},
                      {"label", f.label},
                      {"description", f.description},
                      {"types", types},
                      {"key", key},
                      {"field_error", field_error.empty() ? json(false) : json(field_error)}});
  }
  v["fields"] = std::move(fields);
  v["no_key"] = t->primary_key.empty();
  bool workbook = t->source.rfind("XLS", 0) == 0;
  v["workbook"] = workbook;
  v["sheet"] = o.all_sheets ? "all" : o.sheet >= 0 ? std::to_string(o.sheet + 1) : "";
  // Text files and workbooks both have an encoding to choose: a workbook's forces (or turns
  // off) the decoding of TCVN3/VNI text cells.
  v["text"] = workbook || t->source.rfind("CSV", 0) == 0;
  // A JSON document (not NDJSON): the records read, "JSON: data[].items[]" in its source.
  const bool json_document = t->source.rfind("JSON", 0) == 0;
  v["json"] = json_document;
  v["records"] = !o.records.empty()                  ? o.records
                 : t->source.rfind("JSON: ", 0) == 0 ? t->source.substr(6)
                 : t->source == "JSON array"         ? "[]"
                                                     : "";
  json encodings = json::array();
  for (const char* e : {"", "utf-8", "utf-16", "windows-1258", "tcvn3", "vni", "viscii"}) {
    encodings.push_back({{"value", e},
                         {"label", *e ? std::string(e)
                                      : p.T("encoding_auto") +
                                            (t->encoding.empty() ? "" : " (" + t->encoding + ")")},
                         {"selected", o.encoding == e}});
  }
  v["encodings"] = std::move(encodings);
  // Where the table is: the rows the publisher set, empty when found from the file.
  json row_fields = json::array();
  for (auto [name, value] :
       {std::pair{"header_row", o.header_row}, std::pair{"first_row", o.first_row},
        std::pair{"last_row", o.last_row}}) {
    std::string field_error = errors.value(name, "");
    row_fields.push_back({{"name", name},
                          {"label", p.T(name)},
                          {"value", value > 0 ? std::to_string(value) : ""},
                          {"error", field_error.empty() ? json(false) : json(field_error)}});
  }
  v["row_fields"] = std::move(row_fields);
  v["wide_to_long"] = o.wide_to_long > 0;
  if (auto job = p.api.datastore->Job(rid); job.ok() && job->state != datastore::JobState::kDone) {
    v["job"] = p.T(std::string("job_") + ToString(job->state));
    if (!job->error_en.empty()) v["job_error"] = p.en() ? job->error_en : job->error_vi;
  }
  std::string done = p.req.Param("done");
  if (!done.empty()) v["done_message"] = p.T("done_" + done);
  if (!error.ok()) {
    v["error"] = p.Message(error);
    v["errors"] = p.FieldErrors(error);
  } else {
    v["errors"] = json::object();
  }
  return p.Render("schema", std::move(v), error.ok() ? 200 : api::HttpStatusFor(error.code()));
}

Response SchemaPage(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  return SchemaForm(p, params.at("id"), Status::Ok());
}

Response SchemaPost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  const std::string rid = params.at("id");
  auto res = p.api.catalog.GetResource(p.who, rid);
  if (!res.ok()) return p.Error(res.status());
  if (Status s = p.api.catalog.CheckCanEdit(p.who, res->first->dataset.id); !s.ok())
    return p.Error(s);
  if (!p.api.datastore) return p.Error(Status::NotFound("table of resource", rid));
  auto t = p.api.datastore->Table(rid);
  if (!t.ok()) return p.Error(Status::NotFound("table of resource", rid));
  // Only what the publisher changed becomes an override; the rest stays as inferred (or as
  // set before).
  datastore::LoadOptions change;
  Status bad = Status::InvalidArgument("invalid schema", "Cấu trúc bảng chưa hợp lệ");
  bool has_bad = false;
  for (const auto& f : t->fields) {
    datastore::FieldOverride o{f.id, std::nullopt, "", std::nullopt};
    std::string type = p.Field("type_" + f.id);
    if (!type.empty() && type != datastore::ToString(f.type)) {
      if (!datastore::IsColumnTypeName(type)) {
        bad.WithField("type_" + f.id, "Kiểu không hỗ trợ: " + type);
        has_bad = true;
        continue;
      }
      o.type = datastore::TypeFromString(type);
    }
    std::string label = p.Field("label_" + f.id);
    if (label.empty()) {
      bad.WithField("label_" + f.id, "Hãy nhập tên cột");
      has_bad = true;
      continue;
    }
    if (label != f.label) o.label = label;
    std::string description = p.Field("description_" + f.id);
    if (description != f.description) o.description = description;
    if (o.type || !o.label.empty() || o.description) change.fields.push_back(std::move(o));
  }
  std::map<std::string, std::string> read;
  read["sheet"] = p.Field("sheet");
  read["encoding"] = p.Field("encoding");
  read["records"] = p.Field("records");
  // An empty row field: found from the file again.
  for (const char* name : {"header_row", "first_row", "last_row"}) {
    std::string value = p.Field(name);
    read[name] = value.empty() ? "auto" : value;
  }
  read["wide_to_long"] = p.Field("wide_to_long") == "true" ? "true" : "false";
  auto how = api::LoadOptionsFromForm(read);
  if (!how.ok()) {
    for (const auto& [k, msg] : how.status().fields()) bad.WithField(k, msg);
    has_bad = true;
  } else if (*how) {
    change.sheet = (*how)->sheet;
    change.all_sheets = (*how)->all_sheets;
    change.encoding = (*how)->encoding;
    change.records = (*how)->records;
    change.header_row = (*how)->header_row;
    change.first_row = (*how)->first_row;
    change.last_row = (*how)->last_row;
    change.wide_to_long = (*how)->wide_to_long;
  }
  std::string key = p.Field("primary_key");
  if (!key.empty() && std::none_of(t->fields.begin(), t->fields.end(),
                                   [&](const datastore::Field& f) { return f.id == key; })) {
    bad.WithField("primary_key", "Bảng không có cột " + key);
    has_bad = true;
  }
  if (has_bad) return SchemaForm(p, rid, bad);
  datastore::LoadOptions merged = datastore::MergeOptions(p.api.datastore->Options(rid), change);
  merged.primary_key = key.empty() ? std::vector<std::string>{} : std::vector<std::string>{key};
  if (p.Field("encoding").empty()) merged.encoding.clear();  // "found from the file" again
  if (Status s = api::ReloadAndRecord(p.api, p.who, rid, merged); !s.ok()) {
    return SchemaForm(p, rid, s);
  }
  return p.Redirect("/workspace/resources/" + rid + "/schema?done=schema_saved");
}

Response CancelLoadPost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  auto res = p.api.catalog.GetResource(p.who, params.at("id"));
  if (!res.ok()) return p.Error(res.status());
  std::string slug = res->first->dataset.slug;
  if (Status s = p.api.catalog.CheckCanEdit(p.who, slug); !s.ok()) return p.Error(s);
  if (!p.api.datastore)
    return p.Error(Status::NotFound("datastore load of resource", params.at("id")));
  Status s = p.api.datastore->Cancel(params.at("id"));
  // Already finished: nothing to stop, which the page says.
  return p.Redirect("/workspace/datasets/" + slug +
                    (s.ok() ? "?done=load_cancelled" : "?done=nothing_loading"));
}

// A reviewer's decision on a column flagged as personal data, from the review page: masked (the
// mask chosen) or not personal (with a reason). Whoever may publish the dataset.
Response PersonalDataPost(Page& p, const api::PathParams& params) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  const std::string rid = params.at("id");
  auto res = p.api.catalog.GetResource(p.who, rid);
  if (!res.ok()) return p.Error(res.status());
  const Dataset& d = res->first->dataset;
  const std::string decision = p.Field("decision");
  datastore::ColumnReview review{
      p.Field("column"), decision, decision == "mask" ? p.Field("mask") : "",
      p.Field("reason"), "",       0};
  if (Status s = api::ReviewPersonalColumn(p.api, p.who, d, rid, review); !s.ok()) {
    return p.Error(s);
  }
  return p.Redirect("/workspace/review/" + d.slug + "?done=personal_saved");
}

void RegisterWorkspacePages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/workspace", Workspace);
  AddPage(router, web, "GET", "/workspace/new", NewDatasetForm);
  AddPage(router, web, "POST", "/workspace/new", NewDatasetPost);
  AddPage(router, web, "GET", "/workspace/review", ReviewQueue);
  AddPage(router, web, "GET", "/workspace/review/{slug}", ReviewPage);
  AddPage(router, web, "POST", "/workspace/review/{slug}/approve",
          [](Page& p, const api::PathParams& a) {
            return TransitionPost(p, a.at("slug"), access::Action::kPublishDataset, "approved",
                                  "review");
          });
  AddPage(router, web, "POST", "/workspace/review/{slug}/reject",
          [](Page& p, const api::PathParams& a) {
            return TransitionPost(p, a.at("slug"), access::Action::kRejectDataset, "rejected",
                                  "review");
          });
  AddPage(router, web, "POST", "/workspace/resources/{id}/personal-data", PersonalDataPost);
  AddPage(router, web, "GET", "/workspace/resources/{id}/status", LoadStatusPage);
  AddPage(router, web, "GET", "/workspace/datasets/{slug}", ManagePage);
  AddPage(router, web, "GET", "/workspace/datasets/{slug}/edit", EditDatasetForm);
  AddPage(router, web, "POST", "/workspace/datasets/{slug}/edit", EditDatasetPost);
  AddPage(router, web, "POST", "/workspace/datasets/{slug}/resources", AddResourcePost);
  for (const char* prefix : {"", "/en"}) {
    router.AcceptUploads("POST", std::string(prefix) + "/workspace/datasets/{slug}/resources");
    router.AcceptUploads("POST", std::string(prefix) + "/workspace/resources/{id}/replace");
  }
  AddPage(router, web, "POST", "/workspace/datasets/{slug}/submit",
          [](Page& p, const api::PathParams& a) {
            return TransitionPost(p, a.at("slug"), access::Action::kSubmitDataset, "submitted",
                                  "manage");
          });
  AddPage(router, web, "POST", "/workspace/datasets/{slug}/withdraw",
          [](Page& p, const api::PathParams& a) {
            return TransitionPost(p, a.at("slug"), access::Action::kWithdrawDataset, "withdrawn",
                                  "manage");
          });
  AddPage(router, web, "POST", "/workspace/datasets/{slug}/delete", DeleteDatasetPost);
  AddPage(router, web, "POST", "/workspace/resources/{id}/replace", ReplaceResourcePost);
  AddPage(router, web, "POST", "/workspace/resources/{id}/delete", DeleteResourcePost);
  AddPage(router, web, "GET", "/workspace/resources/{id}/schema", SchemaPage);
  AddPage(router, web, "POST", "/workspace/resources/{id}/cancel", CancelLoadPost);
  AddPage(router, web, "POST", "/workspace/resources/{id}/schema", SchemaPost);
}

}  // namespace odp::web

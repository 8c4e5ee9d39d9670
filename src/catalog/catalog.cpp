#include "catalog/catalog.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "base/ids.h"
#include "base/log.h"
#include "catalog/validation.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::catalog {

using access::Action;

std::pair<std::string, std::string> FormatFromFilename(const std::string& name_or_url) {
  // For a URL, only the last path segment counts; the query and fragment do not.
  std::string filename = name_or_url.substr(0, name_or_url.find_first_of("?#"));
  if (auto slash = filename.rfind('/'); slash != std::string::npos)
    filename = filename.substr(slash + 1);
  auto dot = filename.rfind('.');
  if (dot == std::string::npos) return {"", "application/octet-stream"};
  std::string ext = dot == std::string::npos ? "" : text::FoldVietnamese(filename.substr(dot + 1));
  static const std::map<std::string, std::pair<std::string, std::string>> kTypes = {
      {"csv", {"CSV", "text/csv"}},
      {"tsv", {"TSV", "text/tab-separated-values"}},
      {"xlsx", {"XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
      {"xls", {"XLS", "application/vnd.ms-excel"}},
      {"json", {"JSON", "application/json"}},
      {"ndjson", {"NDJSON", "application/x-ndjson"}},
      {"geojson", {"GeoJSON", "application/geo+json"}},
      {"xml", {"XML", "application/xml"}},
      {"pdf", {"PDF", "application/pdf"}},
      {"doc", {"DOC", "application/msword"}},
      {"docx", {"DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}},
      {"zip", {"ZIP", "application/zip"}},
      {"txt", {"TXT", "text/plain"}},
      {"png", {"PNG", "image/png"}},
      {"jpg", {"JPEG", "image/jpeg"}},
      {"jpeg", {"JPEG", "image/jpeg"}},
      {"ods", {"ODS", "application/vnd.oasis.opendocument.spreadsheet"}},
      {"shp", {"SHP", "application/octet-stream"}},
      {"kml", {"KML", "application/vnd.google-earth.kml+xml"}},
  };
  auto it = kTypes.find(ext);
  if (it != kTypes.end()) return it->second;
  std::string upper;
  for (char c : ext) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return {upper, "application/octet-stream"};
}

namespace {

Status NotFoundDataset(const std::string& key) { return Status::NotFound("dataset", key); }

Status Forbidden(const std::string& what) {
  return Status::PermissionDenied("not allowed to " + what,
                                  "Bạn không có quyền thực hiện thao tác này");
}

// The reason a rejection or withdrawal must give: present and within bounds. Judged only after
// the caller's right to act, so a caller who may not act learns nothing from it.
std::optional<Status> InvalidReason(const std::string& why) {
  bool bad = false;
  Status errors = Status::InvalidArgument("a reason is required", "Cần nêu lý do");
  if (why.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.WithField("reason", "Cần nêu lý do");
    bad = true;
  }
  CheckText("reason", why, 5000, true, errors, bad);
  if (bad) return errors;
  return std::nullopt;
}

// Whether `who` has a role that allows `action` on a dataset of `t`'s organization and tier in
// some state: "wrong role" is answered before "wrong state".
bool MayEver(const Principal& who, Action action, access::Target t) {
  for (DatasetState s : {DatasetState::kDraft, DatasetState::kPending, DatasetState::kPublished,
                         DatasetState::kRejected, DatasetState::kWithdrawn}) {
    t.state = s;
    if (access::Allowed(who, action, t)) return true;
  }
  return false;
}

// Whether `who` reviews `d`'s organization's datasets: may publish one awaiting review.
bool MayReview(const Principal& who, const Dataset& d) {
  return access::Allowed(who, Action::kPublishDataset,
                         {d.organization_id, d.access, DatasetState::kPending});
}

// Tiers are declared from the most open (public) to the least (internal).
bool MoreOpen(AccessTier to, AccessTier from) {
  return static_cast<int>(to) < static_cast<int>(from);
}

// Holds the opening of the tier and a new licence of a published dataset for review when `who`
// may not publish it: `d` (the edited copy of `old`) keeps the old values, the new ones become
// pending. A tier toward fewer readers applies at once and drops a pending opening.
void HoldForReview(const Principal& who, const Dataset& old, Dataset& d) {
  if (old.state != DatasetState::kPublished || MayReview(who, old)) return;
  if (MoreOpen(d.access, old.access)) {
    d.pending_access = ToString(d.access);
    d.access = old.access;
  } else if (d.access != old.access) {
    d.pending_access.clear();
  }
  if (d.license_id != old.license_id) {
    d.pending_license_id = d.license_id;
    d.license_id = old.license_id;
  }
  if (d.pending_access == ToString(d.access)) d.pending_access.clear();
  if (d.pending_license_id && *d.pending_license_id == d.license_id) d.pending_license_id.reset();
}

// "access → public; license → cc-by-4.0", for the history; "" when nothing is pending.
std::string PendingText(const Dataset& d) {
  std::string out;
  if (!d.pending_access.empty()) out = "access → " + d.pending_access;
  if (d.pending_license_id)
    out += (out.empty() ? "" : "; ") + std::string("license → ") + *d.pending_license_id;
  return out.empty() ? "" : "pending review: " + out;
}

// Checks a file name from a client: no path, no control characters, valid UTF-8.
Result<std::string> CleanFilename(const std::string& raw) {
  std::string name = text::Nfc(raw);
  if (name.empty()) name = "file";
  if (!text::IsValidUtf8(name) || text::HasControlCharacters(name) ||
      name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "." ||
      name == ".." || name.size() > 255) {
    return Status::InvalidArgument("invalid file name", "Tên tệp không hợp lệ")
        .WithField("file", "Tên tệp không hợp lệ (không được chứa đường dẫn hay ký tự điều khiển)");
  }
  return name;
}

std::vector<std::string> CleanTags(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& raw : in) {
    std::string t = text::Nfc(raw);
    while (!t.empty() && t.front() == ' ') t.erase(0, 1);
    while (!t.empty() && t.back() == ' ') t.pop_back();
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<CatalogService>> CatalogService::Open(store::CatalogStore& store,
                                                             store::ChangeFeed& feed,
                                                             store::UsageStore& usage,
                                                             store::BlobStore& blobs) {
  std::unique_ptr<CatalogService> svc(new CatalogService(store, feed, usage, blobs));
  svc->origin_ = NewUuid();
  // Changes up to here are in what LoadAll reads.
  ODP_ASSIGN_OR_RETURN(svc->seen_change_, feed.CatalogGeneration());
  ODP_RETURN_IF_ERROR(svc->LoadAll());
  return svc;
}

Status CatalogService::LoadAll() {
  Micros t0 = NowMicros();
  ODP_ASSIGN_OR_RETURN(auto orgs, store_.ListOrganizations());
  ODP_ASSIGN_OR_RETURN(auto groups, store_.ListGroups());
  ODP_ASSIGN_OR_RETURN(auto licenses, store_.ListLicenses());
  ODP_ASSIGN_OR_RETURN(auto datasets, store_.ListDatasets());
  ODP_ASSIGN_OR_RETURN(auto resources, store_.ListAllResources());
  ODP_RETURN_IF_ERROR(usage_.Load());
  Micros t1 = NowMicros();
  std::unique_lock lock(mu_);
  orgs_.clear();
  for (auto& o : orgs) orgs_[o.id] = std::move(o);
  groups_.clear();
  for (auto& g : groups) groups_[g.id] = std::move(g);
  licenses_ = std::move(licenses);
  std::unordered_map<std::string, std::vector<Resource>> by_dataset;
  for (auto& r : resources) by_dataset[r.dataset_id].push_back(std::move(r));
  resources.clear();
  resources.shrink_to_fit();
  facts_.clear();
  slug_to_id_.clear();
  {
    std::lock_guard cache_lock(entries_mu_);
    entries_.clear();
  }
  index_ = SearchIndex();
  index_.Reserve(datasets.size());
  facts_.reserve(datasets.size());
  for (auto& d : datasets) {
    auto e = std::make_shared<DatasetEntry>();
    e->resources = std::move(by_dataset[d.id]);
    e->dataset = std::move(d);
    InstallLocked(std::move(e));
  }
  // The entries were needed to index; the cache keeps only what requests will use.
  {
    std::lock_guard cache_lock(entries_mu_);
    entries_.clear();
  }
  datasets.clear();
  datasets.shrink_to_fit();
  by_dataset.clear();
  index_.ShrinkToFit();
  LogInfo("catalogue loaded: " + std::to_string(facts_.size()) + " datasets, search index ~" +
          std::to_string(index_.ApproxBytes() >> 20) + " MB; read " +
          std::to_string((t1 - t0) / 1000) + " ms, indexed " +
          std::to_string((NowMicros() - t1) / 1000) + " ms");
  return Status::Ok();
}

void CatalogService::Bumped(const std::string& kind, const std::string& key) {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  auto seq = feed_.RecordCatalogChange(kind, key, origin_);
  if (!seq.ok()) {
    LogWarn("catalogue change not recorded for other servers: " + seq.status().message());
    return;
  }
  std::lock_guard lock(feed_mu_);
  applied_.insert(seq.value());
}

Result<int> CatalogService::CatchUp() {
  std::lock_guard writer(write_mu_);
  std::lock_guard feed(feed_mu_);
  int applied = 0;
  bool reload_all = false;
  for (;;) {
    // A few numbers behind the last seen: on PostgreSQL a change can commit after a later-numbered
    // one; those already applied are skipped.
    int64_t from = std::max<int64_t>(0, seen_change_ - 64);
    ODP_ASSIGN_OR_RETURN(auto changes, feed_.ListCatalogChanges(from, 1000));
    bool fresh = false;
    for (const auto& c : changes) {
      if (!applied_.insert(c.seq).second) continue;
      fresh = true;
      seen_change_ = std::max(seen_change_, c.seq);
      if (c.origin == origin_) continue;
      ++applied;
      if (c.kind == "settings") {
        settings_generation_.fetch_add(1,
                                       std::memory_order_acq_rel);  // the web layer re-reads them
        continue;
      }
      if (c.kind == "tables") continue;  // a table was loaded: only cached pages start over
      if (c.kind != "dataset") {
        reload_all = true;  // organizations, sectors, licences: rare, and shown by many datasets
        continue;
      }
      if (reload_all) continue;
      {
        std::lock_guard lock(entries_mu_);
        entries_.erase(c.key);
      }
      std::unique_lock lock(mu_);
      if (EntryPtr e = LoadEntryLocked(c.key)) InstallLocked(e);
    }
    while (applied_.size() > 4096) applied_.erase(applied_.begin());
    if (!fresh || changes.size() < 1000) break;
  }
  if (reload_all) ODP_RETURN_IF_ERROR(LoadAll());
  if (applied > 0) generation_.fetch_add(1, std::memory_order_acq_rel);
  return applied;
}

IndexDoc CatalogService::MakeIndexDocLocked(const EntryPtr& e) const {
  const Dataset& d = e->dataset;
  IndexDoc doc;
  doc.id = d.id;
  doc.name = d.slug;
  doc.title = d.title_vi + " " + d.title_en;
  for (const auto& t : d.tags) doc.tags += t + " ";
  auto org = orgs_.find(d.organization_id);
  if (org != orgs_.end()) {
    doc.context = org->second.title_vi + " " + org->second.title_en + " ";
    doc.facets["organization"] = {org->second.slug};
  }
  for (const auto* ids : {&d.sector_ids, &d.topic_ids}) {
    for (const auto& gid : *ids) {
      auto g = groups_.find(gid);
      if (g == groups_.end()) continue;
      doc.context += g->second.title_vi + " " + g->second.title_en + " ";
      doc.facets[g->second.kind == GroupKind::kSector ? "sector" : "topic"].push_back(
          g->second.slug);
      doc.facets["groups"].push_back(g->second.slug);
    }
  }
  doc.description = d.description_vi + " " + d.description_en;
  doc.title_sort_key = text::VietnameseSortKey(d.title_vi);
  doc.created = d.created;
  doc.modified = d.modified;
  doc.facets["tags"] = d.tags;
  std::set<std::string> formats;
  for (const auto& r : e->resources) {
    if (!r.format.empty()) formats.insert(r.format);
  }
  doc.facets["res_format"].assign(formats.begin(), formats.end());
  if (!d.license_id.empty()) doc.facets["license_id"] = {d.license_id};
  doc.facets["access"] = {ToString(d.access)};
  doc.world_readable = d.state == DatasetState::kPublished && d.access == AccessTier::kPublic;
  doc.facets["_state"] = {ToString(d.state)};
  doc.facets["_org_id"] = {d.organization_id};
  return doc;
}

void CatalogService::InstallLocked(EntryPtr entry) {
  const Dataset& d = entry->dataset;
  auto old = facts_.find(d.id);
  if (old != facts_.end()) slug_to_id_.erase(old->second.slug);
  slug_to_id_[d.slug] = d.id;
  facts_[d.id] = Facts{d.slug,       d.organization_id, d.access,   d.state,
                       d.sector_ids, d.topic_ids,       d.modified, d.published};
  if (d.state == DatasetState::kDeleted) {
    index_.Remove(d.id);
  } else {
    index_.Upsert(MakeIndexDocLocked(entry));
  }
  CacheEntry(entry);
}

void CatalogService::CacheEntry(const EntryPtr& e) const {
  std::lock_guard lock(entries_mu_);
  if (entries_.size() >= entry_cache_limit_ && !entries_.count(e->dataset.id)) {
    // Make room by dropping an arbitrary half; reloading from the store is cheap.
    size_t drop = entries_.size() / 2;
    for (auto it = entries_.begin(); it != entries_.end() && drop > 0; --drop)
      it = entries_.erase(it);
  }
  entries_[e->dataset.id] = e;
}

EntryPtr CatalogService::LoadEntryLocked(const std::string& id) const {
  {
    std::lock_guard lock(entries_mu_);
    auto it = entries_.find(id);
    if (it != entries_.end()) return it->second;
  }
  auto d = store_.GetDataset(id);
  if (!d.ok()) return nullptr;
  auto r = store_.ListResources(id);
  if (!r.ok()) return nullptr;
  auto e = std::make_shared<DatasetEntry>();
  e->dataset = std::move(d).value();
  e->resources = std::move(r).value();
  CacheEntry(e);
  return e;
}

// Organizations --------------------------------------------------------------------------

Result<std::string> CatalogService::OrgIdLocked(const std::string& key) const {
  if (orgs_.count(key)) return key;
  for (const auto& [id, o] : orgs_) {
    if (o.slug == key) return id;
  }
  return Status::NotFound("organization", key);
}

static Status ApplyOrgInput(const OrganizationInput& in, Organization& o) {
  Status errors = Status::InvalidArgument("the organization has invalid fields",
                                          "Cơ quan có trường không hợp lệ");
  bool bad = false;
  if (in.title_vi) o.title_vi = text::Nfc(*in.title_vi);
  if (in.title_en) o.title_en = text::Nfc(*in.title_en);
  if (in.description_vi) o.description_vi = text::Nfc(*in.description_vi);
  if (in.description_en) o.description_en = text::Nfc(*in.description_en);
  if (in.image_url) o.image_url = *in.image_url;
  if (in.email) o.email = *in.email;
  if (in.slug) o.slug = *in.slug;
  if (o.slug.empty()) o.slug = text::Slugify(o.title_vi);
  if (o.title_vi.empty()) {
    errors.WithField("title_vi", "Cần có tên tiếng Việt");
    bad = true;
  }
  CheckText("title_vi", o.title_vi, 300, false, errors, bad);
  CheckText("title_en", o.title_en, 300, false, errors, bad);
  CheckText("description_vi", o.description_vi, 20000, true, errors, bad);
  CheckText("description_en", o.description_en, 20000, true, errors, bad);
  CheckText("image_url", o.image_url, 2000, false, errors, bad);
  CheckText("email", o.email, 300, false, errors, bad);
  if (!text::IsValidSlug(o.slug)) {
    errors.WithField("name", "Đường dẫn chỉ gồm a-z, 0-9 và '-', dài 2–100 ký tự");
    bad = true;
  }
  return bad ? errors : Status::Ok();
}

Result<Organization> CatalogService::CreateOrganization(const Principal& who,
                                                        const OrganizationInput& in) {
  if (!access::Allowed(who, Action::kCreateOrganization, {}))
    return Forbidden("create organizations");
  std::lock_guard wl(write_mu_);
  Organization o;
  o.id = NewUuid();
  ODP_RETURN_IF_ERROR(ApplyOrgInput(in, o));
  {
    std::shared_lock lock(mu_);
    if (in.parent && !in.parent->empty()) {
      ODP_ASSIGN_OR_RETURN(o.parent_id, OrgIdLocked(*in.parent));
    }
    for (const auto& [id, other] : orgs_) {
      if (other.slug == o.slug) {
        return Status::AlreadyExists("organization name already in use",
                                     "Đường dẫn cơ quan đã được dùng")
            .WithField("name", "Đường dẫn đã được dùng");
      }
    }
  }
  o.created = o.modified = NowMicros();
  ODP_RETURN_IF_ERROR(store_.InsertOrganization(o));
  {
    std::unique_lock lock(mu_);
    orgs_[o.id] = o;
  }
  Bumped("organization", o.id);
  return o;
}

Result<Organization> CatalogService::UpdateOrganization(const Principal& who,
                                                        const std::string& key,
                                                        const OrganizationInput& in) {
  std::lock_guard wl(write_mu_);
  Organization o;
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(std::string id, OrgIdLocked(key));
    o = orgs_.at(id);
    if (!access::Allowed(who, Action::kManageOrganization, {o.id}))
      return Forbidden("edit this organization");
    if (in.parent) {
      if (in.parent->empty()) {
        o.parent_id.clear();
      } else {
        ODP_ASSIGN_OR_RETURN(std::string pid, OrgIdLocked(*in.parent));
        // Refuse cycles: walk up from the new parent.
        for (std::string cur = pid; !cur.empty(); cur = orgs_.at(cur).parent_id) {
          if (cur == o.id) {
            return Status::InvalidArgument("an organization cannot be its own ancestor",
                                           "Cơ quan cấp trên không hợp lệ (tạo vòng lặp)")
                .WithField("parent", "Cơ quan cấp trên không hợp lệ");
          }
        }
        o.parent_id = pid;
      }
    }
  }
  std::string old_slug = o.slug;
  ODP_RETURN_IF_ERROR(ApplyOrgInput(in, o));
  o.modified = NowMicros();
  ODP_RETURN_IF_ERROR(store_.UpdateOrganization(o));
  {
    std::unique_lock lock(mu_);
    orgs_[o.id] = o;
    // Titles and slugs feed the search index: re-index this organization's datasets.
    std::vector<std::string> ids;
    for (const auto& [id, f] : facts_) {
      if (f.organization_id == o.id) ids.push_back(id);
    }
    for (const auto& id : ids) {
      if (EntryPtr e = LoadEntryLocked(id)) InstallLocked(e);
    }
  }
  Bumped("organization", o.id);
  return o;
}

Result<Organization> CatalogService::GetOrganization(const std::string& key) const {
  std::shared_lock lock(mu_);
  ODP_ASSIGN_OR_RETURN(std::string id, OrgIdLocked(key));
  return orgs_.at(id);
}

std::vector<Organization> CatalogService::ListOrganizations() const {
  std::shared_lock lock(mu_);
  std::vector<Organization> out;
  for (const auto& [id, o] : orgs_) out.push_back(o);
  std::sort(out.begin(), out.end(), [](const Organization& a, const Organization& b) {
    return text::VietnameseSortKey(a.title_vi) < text::VietnameseSortKey(b.title_vi);
  });
  return out;
}

// Groups ---------------------------------------------------------------------------------

Result<std::string> CatalogService::GroupIdLocked(const std::string& key,
                                                  std::optional<GroupKind> kind) const {
  auto it = groups_.find(key);
  if (it != groups_.end() && (!kind || it->second.kind == *kind)) return key;
  for (const auto& [id, g] : groups_) {
    if (g.slug == key && (!kind || g.kind == *kind)) return id;
  }
  return Status::NotFound(kind == GroupKind::kTopic ? "topic" : kind ? "sector" : "group", key);
}

static Status ApplyGroupInput(const GroupInput& in, Group& g) {
  Status errors =
      Status::InvalidArgument("the group has invalid fields", "Nhóm có trường không hợp lệ");
  bool bad = false;
  if (in.title_vi) g.title_vi = text::Nfc(*in.title_vi);
  if (in.title_en) g.title_en = text::Nfc(*in.title_en);
  if (in.description_vi) g.description_vi = text::Nfc(*in.description_vi);
  if (in.description_en) g.description_en = text::Nfc(*in.description_en);
  if (in.position) g.position = *in.position;
  if (in.slug) g.slug = *in.slug;
  if (g.slug.empty()) g.slug = text::Slugify(g.title_vi);
  if (g.title_vi.empty()) {
    errors.WithField("title_vi", "Cần có tên tiếng Việt");
    bad = true;
  }
  CheckText("title_vi", g.title_vi, 300, false, errors, bad);
  CheckText("title_en", g.title_en, 300, false, errors, bad);
  CheckText("description_vi", g.description_vi, 20000, true, errors, bad);
  CheckText("description_en", g.description_en, 20000, true, errors, bad);
  if (!text::IsValidSlug(g.slug)) {
    errors.WithField("name", "Đường dẫn chỉ gồm a-z, 0-9 và '-', dài 2–100 ký tự");
    bad = true;
  }
  return bad ? errors : Status::Ok();
}

Result<Group> CatalogService::CreateGroup(const Principal& who, GroupKind kind,
                                          const GroupInput& in) {
  if (!access::Allowed(who, Action::kManageTaxonomy, {})) return Forbidden("edit taxonomies");
  std::lock_guard wl(write_mu_);
  Group g;
  g.id = NewUuid();
  g.kind = kind;
  ODP_RETURN_IF_ERROR(ApplyGroupInput(in, g));
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, other] : groups_) {
      if (other.slug == g.slug) {
        return Status::AlreadyExists("group name already in use", "Đường dẫn nhóm đã được dùng")
            .WithField("name", "Đường dẫn đã được dùng");
      }
      if (other.kind == kind) g.position = std::max(g.position, other.position + 1);
    }
  }
  g.created = NowMicros();
  ODP_RETURN_IF_ERROR(store_.InsertGroup(g));
  {
    std::unique_lock lock(mu_);
    groups_[g.id] = g;
  }
  Bumped("group", g.id);
  return g;
}

Result<Group> CatalogService::UpdateGroup(const Principal& who, const std::string& key,
                                          const GroupInput& in) {
  if (!access::Allowed(who, Action::kManageTaxonomy, {})) return Forbidden("edit taxonomies");
  std::lock_guard wl(write_mu_);
  Group g;
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(std::string id, GroupIdLocked(key, std::nullopt));
    g = groups_.at(id);
  }
  ODP_RETURN_IF_ERROR(ApplyGroupInput(in, g));
  ODP_RETURN_IF_ERROR(store_.UpdateGroup(g));
  {
    std::unique_lock lock(mu_);
    groups_[g.id] = g;
    // Re-index the datasets in this group (a rare, sysadmin-only change: every dataset is read).
    std::vector<std::string> ids;
    for (const auto& [id, f] : facts_) ids.push_back(id);
    for (const auto& id : ids) {
      EntryPtr e = LoadEntryLocked(id);
      if (!e) continue;
      const auto& d = e->dataset;
      if (std::count(d.sector_ids.begin(), d.sector_ids.end(), g.id) ||
          std::count(d.topic_ids.begin(), d.topic_ids.end(), g.id)) {
        InstallLocked(e);
      }
    }
  }
  Bumped("group", g.id);
  return g;
}

Result<Group> CatalogService::GetGroup(const std::string& key) const {
  std::shared_lock lock(mu_);
  ODP_ASSIGN_OR_RETURN(std::string id, GroupIdLocked(key, std::nullopt));
  return groups_.at(id);
}

std::vector<Group> CatalogService::ListGroups(std::optional<GroupKind> kind) const {
  std::shared_lock lock(mu_);
  std::vector<Group> out;
  for (const auto& [id, g] : groups_) {
    if (!kind || g.kind == *kind) out.push_back(g);
  }
  std::sort(out.begin(), out.end(), [](const Group& a, const Group& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.position != b.position ? a.position < b.position : a.slug < b.slug;
  });
  return out;
}

// Licences -------------------------------------------------------------------------------

std::vector<License> CatalogService::ListLicenses() const {
  std::shared_lock lock(mu_);
  return licenses_;
}

Result<License> CatalogService::GetLicense(const std::string& id) const {
  std::shared_lock lock(mu_);
  for (const auto& l : licenses_) {
    if (l.id == id) return l;
  }
  return Status::NotFound("license", id);
}

Status CatalogService::CheckCanManageTaxonomy(const Principal& who) const {
  if (!access::Allowed(who, Action::kManageTaxonomy, {}))
    return Forbidden("edit taxonomies and licences");
  return Status::Ok();
}

Result<License> CatalogService::PutLicense(const Principal& who, const License& l) {
  if (!access::Allowed(who, Action::kManageTaxonomy, {})) return Forbidden("edit licences");
  Status errors =
      Status::InvalidArgument("the licence has invalid fields", "Giấy phép có trường không hợp lệ");
  bool bad = false;
  if (!text::IsValidSlug(l.id)) {
    errors.WithField("id", "Mã giấy phép chỉ gồm a-z, 0-9 và '-', dài 2–100 ký tự");
    bad = true;
  }
  if (l.title_vi.empty()) {
    errors.WithField("title_vi", "Cần có tên tiếng Việt");
    bad = true;
  }
  CheckText("title_vi", l.title_vi, 300, false, errors, bad);
  CheckText("title_en", l.title_en, 300, false, errors, bad);
  CheckText("url", l.url, 2000, false, errors, bad);
  if (bad) return errors;
  std::lock_guard wl(write_mu_);
  ODP_RETURN_IF_ERROR(store_.UpsertLicense(l));
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListLicenses());
  {
    std::unique_lock lock(mu_);
    licenses_ = std::move(all);
  }
  Bumped("license", l.id);
  return l;
}

// Datasets -------------------------------------------------------------------------------

EntryPtr CatalogService::FindLocked(const std::string& key) const {
  if (facts_.count(key)) return LoadEntryLocked(key);
  auto s = slug_to_id_.find(key);
  if (s != slug_to_id_.end()) return LoadEntryLocked(s->second);
  return nullptr;
}

Result<EntryPtr> CatalogService::ReadableResourceLocked(const Principal& who,
                                                        const std::string& resource_id) const {
  std::string dataset_id;
  {
    std::lock_guard lock(resource_owner_mu_);
    if (auto it = resource_owner_.find(resource_id); it != resource_owner_.end())
      dataset_id = it->second;
  }
  if (dataset_id.empty()) {
    auto r = store_.GetResource(resource_id);
    if (!r.ok()) return Status::NotFound("resource", resource_id);
    dataset_id = r->dataset_id;
    std::lock_guard lock(resource_owner_mu_);
    if (resource_owner_.size() >= 100000) resource_owner_.clear();
    resource_owner_[resource_id] = dataset_id;
  }
  auto e = ReadableLocked(who, dataset_id);
  if (!e.ok()) return Status::NotFound("resource", resource_id);
  // A resource deleted since (here, or on another server: its dataset was read again) is no
  // longer among its dataset's resources.
  const auto& rs = (*e)->resources;
  if (std::none_of(rs.begin(), rs.end(), [&](const Resource& x) { return x.id == resource_id; })) {
    return Status::NotFound("resource", resource_id);
  }
  return e;
}

Result<EntryPtr> CatalogService::ReadableLocked(const Principal& who,
                                                const std::string& key) const {
  EntryPtr e = FindLocked(key);
  if (!e || !access::CanRead(who, e->dataset)) return NotFoundDataset(key);
  return e;
}

Status CatalogService::ApplyInputLocked(const DatasetInput& in, Dataset& d, bool creating) const {
  auto nfc = [](const std::optional<std::string>& v, std::string& out) {
    if (v) out = text::Nfc(*v);
  };
  nfc(in.title_vi, d.title_vi);
  nfc(in.title_en, d.title_en);
  nfc(in.description_vi, d.description_vi);
  nfc(in.description_en, d.description_en);
  nfc(in.contact_name, d.contact_name);
  nfc(in.version, d.version);
  if (in.contact_email) d.contact_email = *in.contact_email;
  if (in.update_frequency) d.update_frequency = *in.update_frequency;
  if (in.temporal_start) d.temporal_start = *in.temporal_start;
  if (in.temporal_end) d.temporal_end = *in.temporal_end;
  if (in.tags) d.tags = CleanTags(*in.tags);
  if (in.spatial) d.spatial = *in.spatial;
  if (in.extras) d.extras = *in.extras;

  Status errors = Status::InvalidArgument("the dataset has invalid fields",
                                          "Bộ dữ liệu có trường không hợp lệ");
  bool bad = false;
  if (in.organization) {
    auto org = OrgIdLocked(*in.organization);
    if (org.ok()) {
      d.organization_id = *org;
    } else {
      errors.WithField("owner_org", "Không tìm thấy cơ quan: " + *in.organization);
      bad = true;
    }
  } else if (creating) {
    errors.WithField("owner_org", "Cần chọn cơ quan chủ quản");
    bad = true;
  }
  if (in.access) {
    auto tier = ParseAccessTier(*in.access);
    if (tier) {
      d.access = *tier;
    } else {
      errors.WithField("access", "Mức truy cập phải là public, registered, shared hoặc internal");
      bad = true;
    }
  }
  if (in.license_id) {
    bool known = in.license_id->empty();
    for (const auto& l : licenses_) known = known || l.id == *in.license_id;
    if (known) {
      d.license_id = *in.license_id;
    } else {
      errors.WithField("license_id", "Không có giấy phép: " + *in.license_id);
      bad = true;
    }
  }
  auto groups = [&](const std::optional<std::vector<std::string>>& keys, GroupKind kind,
                    std::vector<std::string>& out, const char* field) {
    if (!keys) return;
    std::vector<std::string> ids;
    for (const auto& k : *keys) {
      auto id = GroupIdLocked(k, kind);
      if (!id.ok()) {
        errors.WithField(field, std::string(kind == GroupKind::kSector ? "Không có lĩnh vực: "
                                                                       : "Không có chủ đề: ") +
                                    k);
        bad = true;
      } else if (std::find(ids.begin(), ids.end(), *id) == ids.end()) {
        ids.push_back(*id);
      }
    }
    out = ids;
  };
  groups(in.sectors, GroupKind::kSector, d.sector_ids, "sectors");
  groups(in.topics, GroupKind::kTopic, d.topic_ids, "topics");
  if (in.slug) d.slug = *in.slug;
  // Report every problem at once, so that a form can mark all its fields.
  Status checked = ValidateDataset(d);
  if (!bad) return checked;
  for (const auto& [field, problem] : checked.fields()) {
    if (!errors.fields().count(field)) errors.WithField(field, problem);
  }
  return errors;
}

Status CatalogService::RecordEvent(const Principal& who, const Dataset& d,
                                   const std::string& action, DatasetState from,
                                   const std::string& reason) {
  DatasetEvent e;
  e.dataset_id = d.id;
  e.actor_id = who.user_id;
  e.action = action;
  e.from_state = ToString(from);
  e.to_state = ToString(d.state);
  e.reason = reason;
  e.at = d.modified;
  return store_.InsertDatasetEvent(e);
}

Result<EntryPtr> CatalogService::CreateDataset(const Principal& who, const DatasetInput& in) {
  if (!who.authenticated() && !who.sysadmin) return Forbidden("create datasets");
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  Dataset& d = e->dataset;
  d.id = NewUuid();
  {
    std::shared_lock lock(mu_);
    // The right to the named organization is judged before the fields: a caller who may not
    // create there hears so first. (An unknown organization is a field error below.)
    if (in.organization) {
      auto org = OrgIdLocked(*in.organization);
      if (org.ok() &&
          !access::Allowed(who, Action::kCreateDataset, {*org, d.access, DatasetState::kDraft})) {
        return Forbidden("create datasets in this organization");
      }
    }
    if (!in.slug && in.title_vi) d.slug = text::Slugify(*in.title_vi);
    ODP_RETURN_IF_ERROR(ApplyInputLocked(in, d, /*creating=*/true));
    if (!access::Allowed(who, Action::kCreateDataset, {d.organization_id, d.access, d.state})) {
      return Forbidden("create datasets in this organization");
    }
    if (slug_to_id_.count(d.slug)) {
      if (in.slug) {
        return Status::AlreadyExists("that URL is already in use", "Đường dẫn đã được dùng")
            .WithField("name", "Đường dẫn đã được dùng: " + d.slug);
      }
      // A title-derived slug gets the first free numeric suffix.
      std::string base = d.slug;
      for (int n = 2; slug_to_id_.count(d.slug); ++n) d.slug = base + "-" + std::to_string(n);
    }
  }
  d.state = DatasetState::kDraft;
  d.creator_id = who.user_id;
  d.created = d.modified = NowMicros();
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.InsertDataset(d));
    return RecordEvent(who, d, "create", DatasetState::kDraft, "");
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  return EntryPtr(e);
}

Result<EntryPtr> CatalogService::UpdateDataset(const Principal& who, const std::string& key,
                                               const DatasetInput& in) {
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  bool opened = false;  // the tier changed now (not held for review)
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableLocked(who, key));
    const Dataset& old = cur->dataset;
    if (!access::Allowed(who, Action::kUpdateDataset,
                         {old.organization_id, old.access, old.state})) {
      return Forbidden("edit this dataset");
    }
    *e = *cur;
    ODP_RETURN_IF_ERROR(ApplyInputLocked(in, e->dataset, false));
    Dataset& d = e->dataset;
    // Moving a dataset to another organization needs the right to create there too.
    if (d.organization_id != old.organization_id &&
        !access::Allowed(who, Action::kCreateDataset, {d.organization_id, d.access, d.state})) {
      return Forbidden("move this dataset to that organization");
    }
    if (d.slug != old.slug && slug_to_id_.count(d.slug)) {
      return Status::AlreadyExists("that URL is already in use", "Đường dẫn đã được dùng")
          .WithField("name", "Đường dẫn đã được dùng: " + d.slug);
    }
    HoldForReview(who, old, d);
    opened = d.access != old.access;
  }
  Dataset& d = e->dataset;
  d.modified = NowMicros();
  if (opened) ODP_RETURN_IF_ERROR(CheckPublication(*e));
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(d));
    return RecordEvent(who, d, "update", d.state, PendingText(d));
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  return EntryPtr(e);
}

Result<EntryPtr> CatalogService::GetDataset(const Principal& who, const std::string& key) const {
  {
    std::shared_lock lock(mu_);
    auto found = ReadableLocked(who, key);
    if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
    // Known here but not readable by the caller: nothing to catch up on.
    if (facts_.count(key) || slug_to_id_.count(key)) return found;
  }
  // Perhaps another server created it a moment ago: read the change feed before saying no. (What
  // is held in memory is a cache of the store; catching up changes nothing a caller could see
  // other than freshness.)
  auto caught = const_cast<CatalogService*>(this)->CatchUp();
  if (!caught.ok() || caught.value() == 0) return NotFoundDataset(key);
  std::shared_lock lock(mu_);
  return ReadableLocked(who, key);
}

Status CatalogService::DeleteDataset(const Principal& who, const std::string& key) {
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableLocked(who, key));
    const Dataset& d = cur->dataset;
    if (!access::Allowed(who, Action::kDeleteDataset, {d.organization_id, d.access, d.state})) {
      return Forbidden("delete this dataset");
    }
    *e = *cur;
  }
  DatasetState from = e->dataset.state;
  e->dataset.state = DatasetState::kDeleted;
  e->dataset.modified = NowMicros();
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(e->dataset));
    return RecordEvent(who, e->dataset, "delete", from, "");
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  return Status::Ok();
}

Result<EntryPtr> CatalogService::Transition(const Principal& who, const std::string& key,
                                            Action action, const std::string& reason) {
  DatasetState to;
  const char* verb;
  switch (action) {
    case Action::kSubmitDataset:
      to = DatasetState::kPending;
      verb = "submit";
      break;
    case Action::kPublishDataset:
      to = DatasetState::kPublished;
      verb = "publish";
      break;
    case Action::kRejectDataset:
      to = DatasetState::kRejected;
      verb = "reject";
      break;
    case Action::kWithdrawDataset:
      to = DatasetState::kWithdrawn;
      verb = "withdraw";
      break;
    default: return Status::InvalidArgument("not a workflow action");
  }
  // Order of refusals: no account, no right to the dataset, the reason, then its state. A caller
  // without the right hears so before anything about its input or the dataset's state.
  if (!who.authenticated() && !who.sysadmin) return Forbidden(std::string(verb) + " datasets");
  std::string why = text::Nfc(reason);
  const bool needs_reason = action == Action::kRejectDataset || action == Action::kWithdrawDataset;
  // Read before any lock of this service: the rule may read the settings' store.
  const access::SelfApproval self_approval = action == Action::kPublishDataset && self_approval_
                                                 ? self_approval_()
                                                 : access::SelfApproval::kForbidden;
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableLocked(who, key));
    const Dataset& d = cur->dataset;
    if (!MayEver(who, action, {d.organization_id, d.access, d.state})) {
      return Forbidden(std::string(verb) + " this dataset");
    }
    if (needs_reason) {
      if (auto invalid = InvalidReason(why)) return *invalid;
    }
    if (!access::Allowed(who, action, {d.organization_id, d.access, d.state})) {
      return Status::Conflict(
          std::string("cannot ") + verb + " a dataset in state " + ToString(d.state),
          std::string("Không thể thực hiện khi bộ dữ liệu đang ở trạng thái ") + ToString(d.state));
    }
    if (action == Action::kPublishDataset &&
        !access::MayApproveSubmission(who, d.state, SubmitterOf(d), self_approval)) {
      return Status::PermissionDenied(
          "you submitted this dataset for review, so another reviewer must approve it",
          "Bạn đã gửi duyệt bộ dữ liệu này nên không thể tự duyệt; cần một người duyệt khác "
          "(You submitted this dataset for review, so another reviewer must approve it)");
    }
    *e = *cur;
  }
  Dataset& d = e->dataset;
  DatasetState from = d.state;
  d.state = to;
  d.modified = NowMicros();
  d.state_reason = why;
  if (to == DatasetState::kPending) {
    d.submitted_by = who.user_id;
    d.submitted_at = d.modified;
  }
  if (to == DatasetState::kPublished && d.published == 0) d.published = d.modified;
  ODP_RETURN_IF_ERROR(CheckPublication(*e));
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(d));
    if (to == DatasetState::kPublished) {
      ODP_RETURN_IF_ERROR(store_.PutPublishedSnapshot(d.id, SnapshotText(*e), d.modified));
    }
    return RecordEvent(who, d, verb, from, why);
  }));
  if (audit_ != nullptr) {
    audit_->Record(store::AuditEvent(
        std::string("dataset.") + verb, who.AuditActor(), d.organization_id, d.id,
        nlohmann::json{
            {"slug", d.slug}, {"from", ToString(from)}, {"to", ToString(to)}, {"reason", why}}
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  return EntryPtr(e);
}

std::string CatalogService::SubmitterOf(const Dataset& d) const {
  if (!d.submitted_by.empty() || d.state != DatasetState::kPending) return d.submitted_by;
  auto events = store_.ListDatasetEvents(d.id);
  if (!events.ok()) return "";
  for (auto it = events->rbegin(); it != events->rend(); ++it) {
    if (it->action == "submit") return it->actor_id;
  }
  return "";
}

Result<EntryPtr> CatalogService::ApproveChange(const Principal& who, const std::string& key) {
  return DecideChange(who, key, true, "");
}

Result<EntryPtr> CatalogService::RejectChange(const Principal& who, const std::string& key,
                                              const std::string& reason) {
  std::string why = text::Nfc(reason);
  return DecideChange(who, key, false, why);
}

Result<EntryPtr> CatalogService::DecideChange(const Principal& who, const std::string& key,
                                              bool approve, const std::string& reason) {
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableLocked(who, key));
    const Dataset& d = cur->dataset;
    if (!MayReview(who, d)) return Forbidden("review changes of this dataset");
    if (!approve) {
      if (auto invalid = InvalidReason(reason)) return *invalid;
    }
    if (!d.HasPendingChange()) {
      return Status::Conflict("no change of this dataset is waiting for review",
                              "Không có thay đổi nào của bộ dữ liệu đang chờ duyệt");
    }
    *e = *cur;
  }
  Dataset& d = e->dataset;
  const std::string what = PendingText(d);
  if (approve) {
    if (!d.pending_access.empty()) d.access = ParseAccessTier(d.pending_access).value_or(d.access);
    if (d.pending_license_id) d.license_id = *d.pending_license_id;
  }
  d.pending_access.clear();
  d.pending_license_id.reset();
  d.modified = NowMicros();
  if (approve) ODP_RETURN_IF_ERROR(CheckPublication(*e));
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(d));
    if (approve && d.state == DatasetState::kPublished) {
      ODP_RETURN_IF_ERROR(store_.PutPublishedSnapshot(d.id, SnapshotText(*e), d.modified));
    }
    return RecordEvent(who, d, approve ? "approve_change" : "reject_change", d.state,
                       approve ? what : reason);
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  return EntryPtr(e);
}

Result<std::vector<DatasetEvent>> CatalogService::History(const Principal& who,
                                                          const std::string& key) const {
  std::string id;
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr e, ReadableLocked(who, key));
    id = e->dataset.id;
  }
  return store_.ListDatasetEvents(id);
}

size_t CatalogService::IndexedDatasets() const {
  std::shared_lock lock(mu_);
  return index_.size();
}

size_t CatalogService::IndexBytes() const {
  std::shared_lock lock(mu_);
  return index_.ApproxBytes();
}

std::vector<std::string> CatalogService::ListPublicSlugs() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [id, f] : facts_) {
    if (f.state == DatasetState::kPublished && f.access == AccessTier::kPublic)
      out.push_back(f.slug);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PublicDatasetRef> CatalogService::ListPublicDatasets() const {
  std::shared_lock lock(mu_);
  std::vector<PublicDatasetRef> out;
  for (const auto& [id, f] : facts_) {
    if (f.state == DatasetState::kPublished && f.access == AccessTier::kPublic)
      out.push_back(
          {id, f.slug, f.organization_id, f.sector_ids, f.topic_ids, f.modified, f.published});
  }
  std::sort(out.begin(), out.end(),
            [](const PublicDatasetRef& a, const PublicDatasetRef& b) { return a.slug < b.slug; });
  return out;
}

SearchResponse CatalogService::Search(const Principal& who, const SearchRequest& req) const {
  IndexQuery q;
  q.q = req.q;
  q.filters = req.filters;
  q.facet_fields = req.facet_fields;
  q.facet_limit = req.facet_limit;
  q.facet_mincount = req.facet_mincount;
  q.sort = req.sort;
  q.offset = req.offset;
  q.limit = req.limit;
  // Called under mu_ (below) for documents that are not world-readable.
  q.visible = [&](const IndexedDoc& doc) {
    auto it = facts_.find(doc.id);
    if (it == facts_.end()) return false;
    const Facts& d = it->second;
    if (!req.include_restricted && d.access != AccessTier::kPublic) return false;
    if (d.state != DatasetState::kPublished) {
      if (!req.include_unpublished) return false;
      if (!who.sysadmin && !who.RoleIn(d.organization_id)) return false;
    }
    return access::Allowed(who, access::Action::kReadDataset,
                           {d.organization_id, d.access, d.state});
  };
  std::shared_lock lock(mu_);
  IndexResult r = index_.Search(q);
  SearchResponse out;
  out.total = r.total;
  out.facets = std::move(r.facets);
  for (const IndexedDoc* doc : r.hits) {
    out.ids.push_back(doc->id);
    if (req.ids_only) continue;
    if (EntryPtr e = LoadEntryLocked(doc->id)) out.results.push_back(std::move(e));
  }
  return out;
}

std::string CatalogService::FacetValueTitle(const std::string& field,
                                            const std::string& value) const {
  std::shared_lock lock(mu_);
  if (field == "organization") {
    for (const auto& [id, o] : orgs_) {
      if (o.slug == value) return o.title_vi;
    }
  } else if (field == "groups" || field == "sector" || field == "topic") {
    for (const auto& [id, g] : groups_) {
      if (g.slug == value) return g.title_vi;
    }
  } else if (field == "license_id") {
    for (const auto& l : licenses_) {
      if (l.id == value) return l.title_vi;
    }
  }
  return value;
}

EntryPtr CatalogService::EntryOf(const std::string& id) const {
  std::shared_lock lock(mu_);
  return LoadEntryLocked(id);
}

std::map<std::string, int> CatalogService::CountByFacet(const Principal& who,
                                                        const std::string& field) const {
  SearchRequest req;
  req.facet_fields = {field};
  req.facet_limit = -1;
  req.limit = 0;
  req.ids_only = true;
  SearchResponse r = Search(who, req);
  std::map<std::string, int> out;
  for (const auto& f : r.facets[field]) out[f.value] = f.count;
  return out;
}

// Resources ------------------------------------------------------------------------------

Status CatalogService::CheckCanEdit(const Principal& who, const std::string& dataset_key) const {
  std::shared_lock lock(mu_);
  ODP_ASSIGN_OR_RETURN(EntryPtr e, ReadableLocked(who, dataset_key));
  const Dataset& d = e->dataset;
  if (!access::Allowed(who, Action::kUpdateDataset, {d.organization_id, d.access, d.state})) {
    return Forbidden("edit this dataset");
  }
  return Status::Ok();
}

static Status ApplyResourceInput(const ResourceInput& in, Resource& r) {
  Status errors = Status::InvalidArgument("the resource has invalid fields",
                                          "Tài nguyên có trường không hợp lệ");
  bool bad = false;
  if (in.name) r.name = text::Nfc(*in.name);
  if (in.description) r.description = text::Nfc(*in.description);
  if (in.format) r.format = *in.format;
  if (in.url) r.url = *in.url;
  CheckText("name", r.name, 500, false, errors, bad);
  CheckText("description", r.description, 20000, true, errors, bad);
  CheckText("format", r.format, 50, false, errors, bad);
  CheckText("url", r.url, 4000, false, errors, bad);
  if (!r.upload && in.url) {
    bool http = r.url.rfind("http://", 0) == 0 || r.url.rfind("https://", 0) == 0;
    if (!http) {
      errors.WithField("url", "Liên kết phải bắt đầu bằng http:// hoặc https://");
      bad = true;
    }
  }
  return bad ? errors : Status::Ok();
}

Result<std::pair<EntryPtr, Resource>> CatalogService::AddResource(
    const Principal& who, const std::string& dataset_key, const ResourceInput& in,
    const std::optional<UploadedFile>& file) {
  if (!file && (!in.url || in.url->empty())) {
    return Status::InvalidArgument("a resource needs a file or a url",
                                   "Cần tải lên tệp hoặc nhập liên kết")
        .WithField("url", "Cần tải lên tệp hoặc nhập liên kết");
  }
  std::lock_guard wl(write_mu_);
  ODP_RETURN_IF_ERROR(CheckCanEdit(who, dataset_key));
  auto e = std::make_shared<DatasetEntry>();
  {
    std::shared_lock lock(mu_);
    *e = *FindLocked(dataset_key);
  }
  Resource r;
  r.id = NewUuid();
  r.dataset_id = e->dataset.id;
  r.position = static_cast<int>(e->resources.size());
  r.created = r.modified = NowMicros();
  ResourceVersion v;
  if (file) {
    ODP_ASSIGN_OR_RETURN(r.filename, CleanFilename(file->filename));
    auto [fmt, mime] = FormatFromFilename(r.filename);
    r.upload = true;
    r.format = fmt;
    r.mimetype = mime;
    r.sha256 = file->blob.sha256;
    r.size = file->blob.size;
    r.version = 1;
    if (r.name.empty()) r.name = r.filename;
    v = {r.id, 1, r.sha256, r.size, r.filename, r.mimetype, who.user_id, r.created};
  }
  ODP_RETURN_IF_ERROR(ApplyResourceInput(in, r));
  if (r.name.empty()) r.name = r.url;
  if (!r.upload && r.format.empty()) r.format = FormatFromFilename(r.url).first;
  e->resources.push_back(r);
  e->dataset.modified = r.modified;
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.InsertResource(r));
    if (r.upload) ODP_RETURN_IF_ERROR(store_.InsertResourceVersion(v));
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(e->dataset));
    return RecordEvent(who, e->dataset, r.upload ? "file_upload" : "link_add", e->dataset.state,
                       r.upload ? r.filename : r.name);
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  if (file) NotifyUpload(r, *file);
  return std::make_pair(EntryPtr(e), r);
}

Result<std::pair<EntryPtr, Resource>> CatalogService::UpdateResource(
    const Principal& who, const std::string& resource_id, const ResourceInput& in,
    const std::optional<UploadedFile>& file) {
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableResourceLocked(who, resource_id));
    *e = *cur;
  }
  ODP_RETURN_IF_ERROR(CheckCanEdit(who, e->dataset.id));
  auto pos = std::find_if(e->resources.begin(), e->resources.end(),
                          [&](const Resource& x) { return x.id == resource_id; });
  Resource& r = *pos;
  r.modified = NowMicros();
  std::optional<ResourceVersion> v;
  if (file) {
    ODP_ASSIGN_OR_RETURN(r.filename, CleanFilename(file->filename));
    auto [fmt, mime] = FormatFromFilename(r.filename);
    r.upload = true;
    r.url.clear();
    r.format = fmt;
    r.mimetype = mime;
    r.sha256 = file->blob.sha256;
    r.size = file->blob.size;
    r.version += 1;
    v = ResourceVersion{r.id,       r.version,  r.sha256,    r.size,
                        r.filename, r.mimetype, who.user_id, r.modified};
  }
  ODP_RETURN_IF_ERROR(ApplyResourceInput(in, r));
  e->dataset.modified = r.modified;
  Resource copy = r;
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.UpdateResource(copy));
    if (v) ODP_RETURN_IF_ERROR(store_.InsertResourceVersion(*v));
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(e->dataset));
    // A new file: "data.csv → v2"; an edit of the name, description or link: the name.
    return RecordEvent(who, e->dataset, v ? "file_replace" : "resource_update", e->dataset.state,
                       v ? copy.filename + " → v" + std::to_string(copy.version) : copy.name);
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  if (file) NotifyUpload(copy, *file);
  return std::make_pair(EntryPtr(e), copy);
}

void CatalogService::NotifyUpload(const Resource& r, const UploadedFile& file) {
  UploadListener l;
  {
    std::lock_guard lock(listener_mu_);
    l = upload_listener_;
  }
  if (l && r.upload) l(r, blobs_.PathOf(r.sha256), file.read_as);
}

void CatalogService::SetUploadListener(UploadListener l) {
  std::lock_guard lock(listener_mu_);
  upload_listener_ = std::move(l);
}

void CatalogService::SetPublicationCheck(PublicationCheck c) {
  std::lock_guard lock(listener_mu_);
  publication_check_ = std::move(c);
}

Status CatalogService::CheckPublication(const DatasetEntry& e) {
  const Dataset& d = e.dataset;
  if (d.state != DatasetState::kPublished) return Status::Ok();
  if (d.access != AccessTier::kPublic && d.access != AccessTier::kRegistered) return Status::Ok();
  PublicationCheck check;
  {
    std::lock_guard lock(listener_mu_);
    check = publication_check_;
  }
  return check ? check(e) : Status::Ok();
}

Status CatalogService::DeleteResource(const Principal& who, const std::string& resource_id) {
  std::lock_guard wl(write_mu_);
  auto e = std::make_shared<DatasetEntry>();
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableResourceLocked(who, resource_id));
    *e = *cur;
  }
  ODP_RETURN_IF_ERROR(CheckCanEdit(who, e->dataset.id));
  std::string name;
  for (const Resource& x : e->resources) {
    if (x.id == resource_id) name = x.name.empty() ? x.filename : x.name;
  }
  e->resources.erase(std::remove_if(e->resources.begin(), e->resources.end(),
                                    [&](const Resource& x) { return x.id == resource_id; }),
                     e->resources.end());
  e->dataset.modified = NowMicros();
  ODP_RETURN_IF_ERROR(store_.Transaction([&] {
    ODP_RETURN_IF_ERROR(store_.DeleteResource(resource_id));
    ODP_RETURN_IF_ERROR(store_.UpdateDataset(e->dataset));
    return RecordEvent(who, e->dataset, "resource_delete", e->dataset.state, name);
  }));
  {
    std::unique_lock lock(mu_);
    InstallLocked(e);
  }
  Bumped("dataset", e->dataset.id);
  return Status::Ok();
}

Status CatalogService::RecordTableChange(const Principal& who, const std::string& resource_id,
                                         const std::string& what) {
  std::lock_guard wl(write_mu_);
  Dataset d;
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr cur, ReadableResourceLocked(who, resource_id));
    d = cur->dataset;
  }
  ODP_RETURN_IF_ERROR(CheckCanEdit(who, d.id));
  std::string text = text::Nfc(what);
  if (text.size() > kMaxTableChangeText) {
    size_t cut = kMaxTableChangeText;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "…";
  }
  // The event's time; the dataset itself is unchanged until the new table is loaded.
  d.modified = NowMicros();
  return RecordEvent(who, d, "schema_change", d.state, text);
}

Result<std::pair<EntryPtr, Resource>> CatalogService::GetResource(
    const Principal& who, const std::string& resource_id) const {
  std::shared_lock lock(mu_);
  auto e = ReadableResourceLocked(who, resource_id);
  if (!e.ok()) return e.status();
  for (const auto& r : (*e)->resources) {
    if (r.id == resource_id) return std::make_pair(*e, r);
  }
  return Status::NotFound("resource", resource_id);
}

Result<std::vector<ResourceVersion>> CatalogService::ListVersions(
    const Principal& who, const std::string& resource_id) const {
  ODP_RETURN_IF_ERROR(GetResource(who, resource_id).status());
  return store_.ListResourceVersions(resource_id);
}

Result<Download> CatalogService::OpenDownload(const Principal& who, const std::string& resource_id,
                                              int version) const {
  ODP_ASSIGN_OR_RETURN(auto found, GetResource(who, resource_id));
  {
    // A consumer reading through a grant gets the original file only when the grant shows the
    // table whole (every column and row, no mask); otherwise the resource does not exist for it.
    const Dataset& ds = found.first->dataset;
    const access::TableDecision decision =
        access::DecideTableRead(who, {ds.organization_id, ds.access, ds.state, ds.id}, resource_id);
    if (decision.access == access::TableAccess::kNone ||
        (decision.access == access::TableAccess::kGranted &&
         !access::GrantCoversWholeTable(*decision.grant))) {
      return Status::NotFound("resource", resource_id);
    }
  }
  const Resource& r = found.second;
  if (!r.upload) {
    return Status::NotFound("file of resource", resource_id);
  }
  Download d;
  const Dataset& ds = found.first->dataset;
  const bool world = ds.state == DatasetState::kPublished && ds.access == AccessTier::kPublic;
  if (version == 0 || version == r.version) {
    d = {blobs_.PathOf(r.sha256),
         r.filename,
         r.mimetype,
         r.size,
         r.sha256,
         r.modified,
         r.version,
         false,
         ""};
  } else {
    ODP_ASSIGN_OR_RETURN(auto versions, store_.ListResourceVersions(resource_id));
    auto it = std::find_if(versions.begin(), versions.end(),
                           [&](const ResourceVersion& v) { return v.version == version; });
    if (it == versions.end()) return Status::NotFound("version", std::to_string(version));
    d = {blobs_.PathOf(it->sha256),
         it->filename,
         it->mimetype,
         it->size,
         it->sha256,
         it->created,
         it->version,
         false,
         ""};
  }
  if (!blobs_.Exists(d.sha256)) return Status::Internal("blob missing for resource " + resource_id);
  d.world_readable = world;
  d.dataset_id = ds.id;
  return d;
}

void CatalogService::RecordDownload(const std::string& dataset_id, const std::string& resource_id,
                                    const std::string& format, const Visitor& visitor) {
  const Micros now = NowMicros();
  if (!visits_.Admit(visitor, UsageKind::kDownload, format, dataset_id, resource_id, now)) return;
  usage_.Record(UsageKind::kDownload, format, dataset_id, resource_id, now);
}

void CatalogService::RecordView(const std::string& dataset_id, const std::string& resource_id,
                                const Visitor& visitor) {
  const Micros now = NowMicros();
  const char* format = resource_id.empty() ? "page" : "table";
  if (!visits_.Admit(visitor, UsageKind::kView, format, dataset_id, resource_id, now)) return;
  usage_.Record(UsageKind::kView, format, dataset_id, resource_id, now);
}

std::string CatalogService::OrganizationOf(const std::string& dataset_id) const {
  std::shared_lock lock(mu_);
  auto it = facts_.find(dataset_id);
  return it == facts_.end() ? "" : it->second.organization_id;
}

std::optional<UsageDatasetFacts> CatalogService::UsageFactsLocked(const Principal& who,
                                                                  const std::string& id) const {
  auto it = facts_.find(id);
  if (it == facts_.end() || it->second.state != DatasetState::kPublished) return std::nullopt;
  const Facts& f = it->second;
  if (!access::Allowed(who, access::Action::kReadDataset, {f.organization_id, f.access, f.state}))
    return std::nullopt;
  return UsageDatasetFacts{f.organization_id, f.sector_ids};
}

UsageSummary CatalogService::Usage(const Principal& who) const {
  std::vector<UsageCount> months = usage_.Months();
  std::shared_lock lock(mu_);
  return Summarize(
      months, [&](const std::string& id) { return UsageFactsLocked(who, id); },
      MonthOf(NowMicros()));
}

Result<UsageSummary> CatalogService::DatasetUsage(const Principal& who,
                                                  const std::string& key) const {
  ODP_ASSIGN_OR_RETURN(EntryPtr e, GetDataset(who, key));
  std::vector<UsageCount> months = usage_.MonthsOf(e->dataset.id);
  const Dataset& d = e->dataset;
  // Its figures whatever its state: whoever may read the dataset may read its counts.
  UsageDatasetFacts facts{d.organization_id, d.sector_ids};
  return Summarize(
      months, [&](const std::string&) { return std::optional(facts); }, MonthOf(NowMicros()));
}

std::vector<std::pair<EntryPtr, int64_t>> CatalogService::MostDownloaded(const Principal& who,
                                                                         const UsageSummary& usage,
                                                                         size_t n) const {
  std::vector<std::pair<EntryPtr, int64_t>> out;
  for (const auto& [id, count] : Top(usage.datasets, UsageKind::kDownload, n)) {
    auto e = GetDataset(who, id);
    if (e.ok()) out.emplace_back(*e, count);
  }
  return out;
}

std::map<std::string, std::string> CatalogService::Snapshot(const DatasetEntry& e) const {
  const Dataset& d = e.dataset;
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  };
  std::map<std::string, std::string> m;
  m["title_vi"] = d.title_vi;
  m["title_en"] = d.title_en;
  m["description_vi"] = d.description_vi;
  m["description_en"] = d.description_en;
  m["organization"] = d.organization_id;
  {
    std::shared_lock lock(mu_);
    if (auto o = orgs_.find(d.organization_id); o != orgs_.end())
      m["organization"] = o->second.title_vi;
    std::vector<std::string> sectors, topics;
    for (const auto& id : d.sector_ids) {
      auto g = groups_.find(id);
      sectors.push_back(g == groups_.end() ? id : g->second.title_vi);
    }
    for (const auto& id : d.topic_ids) {
      auto g = groups_.find(id);
      topics.push_back(g == groups_.end() ? id : g->second.title_vi);
    }
    m["sectors"] = join(sectors);
    m["topics"] = join(topics);
  }
  m["tags"] = join(d.tags);
  m["license_id"] = d.license_id;
  m["access"] = ToString(d.access);
  m["update_frequency"] = d.update_frequency;
  m["temporal"] = d.temporal_start + " – " + d.temporal_end;
  m["spatial"] = join(d.spatial);
  m["contact"] = d.contact_name + " <" + d.contact_email + ">";
  m["version"] = d.version;
  std::string res;
  for (const auto& r : e.resources) {
    res += r.name + " [" + r.format + "]";
    if (r.upload)
      res +=
          " " + r.filename + " v" + std::to_string(r.version) + " sha256:" + r.sha256.substr(0, 12);
    if (!r.url.empty()) res += " " + r.url;
    res += "\n";
  }
  m["resources"] = res;
  return m;
}

std::string CatalogService::SnapshotText(const DatasetEntry& e) const {
  nlohmann::json j = Snapshot(e);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::map<std::string, std::string>> CatalogService::PublishedSnapshot(
    const Principal& who, const std::string& key) const {
  std::string id;
  {
    std::shared_lock lock(mu_);
    ODP_ASSIGN_OR_RETURN(EntryPtr e, ReadableLocked(who, key));
    id = e->dataset.id;
  }
  auto text = store_.GetPublishedSnapshot(id);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return std::map<std::string, std::string>{};
    return text.status();
  }
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  std::map<std::string, std::string> m;
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (v.is_string()) m[k] = v.get<std::string>();
    }
  }
  return m;
}

}  // namespace odp::catalog

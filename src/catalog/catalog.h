// CatalogService: organizations, sectors and topics, licences, datasets, resources, the
// publishing workflow and search. Pages, the REST API and the CKAN API all call this one service.
//
// The store is the source of truth. In memory the service keeps the organizations, taxonomies and
// licences, the SearchIndex, and for every dataset only the facts that find it and decide who may
// see it (id, slug, organization, tier, state). Whole datasets with their resources are loaded
// from the store on demand and kept in a bounded cache of recently used ones, so memory does not
// grow with the catalogue's text. Everything is updated after each committed write.
// Every read takes the caller's Principal and applies the access policy: a dataset the caller
// may not read is kNotFound, exactly as one that does not exist.
// Safe to call from any thread (readers share a lock; writers are exclusive).
//
// Memory: LoadAll() reads everything at start-up and keeps organizations, groups and licences
// whole, per dataset only its Facts, and the SearchIndex (about 50 MB with 10,000 datasets).
// Whole entries (two indexed queries each) are cached, 2,000 by default; when full an arbitrary
// half is dropped. A change builds a new entry and swaps it in; a reader holding an old one
// keeps a consistent copy. History, version lists and downloads of older versions read the
// store directly.
//
// Writes validate, check the policy, write to the store in one transaction (with a
// DatasetEvent when a dataset is created, updated, moved through the workflow or deleted, and
// when a resource is added, replaced, edited or deleted), install the new snapshot, then
// Bumped(kind, key): the in-process generation moves and the change is recorded in the store's
// change feed (a separate statement after the transaction; a failure is logged, the write stands).
// Datasets and their resources record "dataset" and the dataset's id.
//
// Other processes' changes (another `odp serve`, `odp import`, `odp user add`) arrive through
// CatchUp(): it reads from 64 numbers before the last seen (on PostgreSQL a change can commit
// after a higher-numbered one; the last 4,096 numbers applied are skipped), ignores this
// process's own, reloads one dataset for a "dataset" change, moves settings_generation() for
// "settings", does nothing more for "tables", and runs LoadAll() once after the batch for any
// other kind; when it applied anything the generation moves. It takes write_mu_ then feed_mu_,
// so it never runs alongside a local write. GetDataset runs it before answering "not found", so
// a dataset created through another server a moment ago is found at once.
//
// Lock order: write_mu_, then feed_mu_ or mu_; entries_mu_ after mu_, never before.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "access/policy.h"
#include "base/status.h"
#include "catalog/search_index.h"
#include "catalog/usage_counter.h"
#include "catalog/usage_stats.h"
#include "catalog/visit_filter.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace odp::catalog {

using access::Principal;

// A dataset with its resources: an immutable snapshot, replaced as a whole on every change.
struct DatasetEntry {
  Dataset dataset;
  std::vector<Resource> resources;
};
using EntryPtr = std::shared_ptr<const DatasetEntry>;

// Fields a caller sets; unset fields keep their value on update (patch semantics).
struct DatasetInput {
  std::optional<std::string> slug, title_vi, title_en, description_vi, description_en;
  std::optional<std::string> organization;  // id or slug
  std::optional<std::string> license_id, access, update_frequency;
  std::optional<std::string> temporal_start, temporal_end, contact_name, contact_email, version;
  std::optional<std::vector<std::string>> sectors, topics;  // ids or slugs
  std::optional<std::vector<std::string>> tags, spatial;
  std::optional<std::map<std::string, std::string>> extras;
};

struct OrganizationInput {
  std::optional<std::string> slug, title_vi, title_en, description_vi, description_en;
  std::optional<std::string> parent;  // id or slug; "" clears
  std::optional<std::string> image_url, email;
};

struct GroupInput {
  std::optional<std::string> slug, title_vi, title_en, description_vi, description_en;
  std::optional<int> position;
};

struct ResourceInput {
  std::optional<std::string> name, description, format, url;
};

// A file already stored in the blob store, to attach to a resource.
struct UploadedFile {
  store::BlobInfo blob;
  std::string filename;  // as sent by the client; checked and normalised by the service
  std::string mimetype;
  // How the uploader asked for the file to be read as a table (form fields such as `sheet` and
  // `encoding`, already checked by the caller); handed to the upload listener unchanged, so that
  // the first load already reads the file that way.
  std::map<std::string, std::string> read_as;
};

struct SearchRequest {
  std::string q;
  std::map<std::string, std::vector<std::string>> filters;  // facet field -> values
  std::vector<std::string> facet_fields;
  int facet_limit = 50;
  int facet_mincount = 1;
  SortOrder sort = SortOrder::kRelevance;
  int offset = 0;
  int limit = 10;
  // Only `public` datasets unless set (CKAN's include_private).
  bool include_restricted = true;
  // Also the caller's organizations' unpublished datasets (CKAN's include_drafts).
  bool include_unpublished = false;
  // Fill only `ids`, not `results`: for callers that have most answers cached as text and
  // load the rest with EntryOf().
  bool ids_only = false;
};

struct SearchResponse {
  int total = 0;
  std::vector<std::string> ids;   // the page of results, in order
  std::vector<EntryPtr> results;  // the same, loaded (empty with ids_only)
  std::map<std::string, std::vector<FacetCount>> facets;
};

// A published public dataset as the sitemap, the feeds and follow mails see it
// (CatalogService::ListPublicDatasets).
struct PublicDatasetRef {
  std::string id;
  std::string slug;
  std::string organization_id;
  std::vector<std::string> sector_ids;
  std::vector<std::string> topic_ids;
  Micros modified = 0;
  Micros published = 0;
};

struct Download {
  std::string path;  // blob file
  std::string filename;
  std::string mimetype;
  int64_t size = 0;
  std::string sha256;
  Micros modified = 0;
  int version = 0;
  bool world_readable = false;  // published and public: shared caches may keep it
  std::string dataset_id;
};

// Format and MIME type from a file name's extension ("Số liệu.xlsx" → XLSX, application/…).
std::pair<std::string, std::string> FormatFromFilename(const std::string& filename);

class CatalogService {
 public:
  // Loads the whole catalogue from `store` and builds the search index. `feed` records this
  // service's changes and brings other servers' (CatchUp); `usage` keeps the views and downloads.
  // The roles must outlive the service; they are normally one Store.
  static Result<std::unique_ptr<CatalogService>> Open(store::CatalogStore& store,
                                                      store::ChangeFeed& feed,
                                                      store::UsageStore& usage,
                                                      store::BlobStore& blobs);

  // Datasets held (every state but deleted) and the search index's approximate size.
  size_t IndexedDatasets() const;
  size_t IndexBytes() const;

  // Bumped after every committed write; caches key on it.
  int64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Marks the catalogue changed without a data write (site settings were saved), so that every
  // cache keyed on the generation starts over.
  void Touch() { Bumped("settings", ""); }
  // Marks a datastore table loaded: cached pages start over, here and on the other servers.
  void TablesChanged() { Bumped("tables", ""); }
  // Moves when another server saved the site settings (CatchUp): readers of them re-read.
  int64_t settings_generation() const {
    return settings_generation_.load(std::memory_order_acquire);
  }

  // Other servers on the same database: applies the changes they recorded in the change feed
  // since the last call; returns how many. `odp serve` runs it on a ChangeFollower
  // (catalog/change_follower.h), which must be stopped before this service is destroyed.
  Result<int> CatchUp();

  // Stops what outlives a request before the store stops: the usage counter's flushes (a last
  // one runs). Idempotent; reads and writes of the catalogue keep working.
  void Stop() { usage_.Stop(); }

  // Organizations (their metadata is public).
  Result<Organization> CreateOrganization(const Principal& who, const OrganizationInput& in);
  Result<Organization> UpdateOrganization(const Principal& who, const std::string& key,
                                          const OrganizationInput& in);
  Result<Organization> GetOrganization(const std::string& key) const;
  std::vector<Organization> ListOrganizations() const;

  // Sectors and topics.
  Result<Group> CreateGroup(const Principal& who, GroupKind kind, const GroupInput& in);
  Result<Group> UpdateGroup(const Principal& who, const std::string& key, const GroupInput& in);
  Result<Group> GetGroup(const std::string& key) const;
  std::vector<Group> ListGroups(std::optional<GroupKind> kind) const;

  // Licences.
  std::vector<License> ListLicenses() const;
  Result<License> GetLicense(const std::string& id) const;
  Result<License> PutLicense(const Principal& who, const License& l);
  // OK when `who` may edit sectors, topics and licences; handlers ask before reading the body.
  Status CheckCanManageTaxonomy(const Principal& who) const;

  // The Vietnamese title of a facet value ("organization" "so-y-te" → "Sở Y tế"); the value
  // itself for fields without titles (tags, formats, access tiers) and unknown values.
  std::string FacetValueTitle(const std::string& field, const std::string& value) const;

  // Number of datasets `who` can find per value of a facet field ("organization", "sector",
  // "topic"), counted like search does.
  std::map<std::string, int> CountByFacet(const Principal& who, const std::string& field) const;

  // Datasets.
  Result<EntryPtr> CreateDataset(const Principal& who, const DatasetInput& in);
  // On a published dataset, a change of tier toward more readers or of licence by a caller who
  // may not publish it (an editor) is not applied: it is held as pending (Dataset::pending_*)
  // until ApproveChange, like a first publication; a tier toward fewer readers applies at once.
  Result<EntryPtr> UpdateDataset(const Principal& who, const std::string& key,
                                 const DatasetInput& in);
  Result<EntryPtr> GetDataset(const Principal& who, const std::string& key) const;
  Status DeleteDataset(const Principal& who, const std::string& key);
  // Workflow: kSubmitDataset, kPublishDataset, kRejectDataset (reason required),
  // kWithdrawDataset (reason required). Submitting records the caller and the time
  // (Dataset::submitted_by, submitted_at). Publishing a pending dataset is refused
  // (kPermissionDenied) to whoever submitted it, sysadmins too, unless the self-approval rule
  // (SetSelfApprovalRule) allows it (access::MayApproveSubmission); for a dataset submitted
  // before the submitter was recorded, the latest "submit" event names them.
  Result<EntryPtr> Transition(const Principal& who, const std::string& key, access::Action action,
                              const std::string& reason);
  // A published dataset's change held for review (Dataset::pending_access, pending_license_id):
  // approved (applied) or rejected (dropped, with a reason) by whoever may publish the dataset.
  // kConflict when nothing is waiting.
  Result<EntryPtr> ApproveChange(const Principal& who, const std::string& key);
  Result<EntryPtr> RejectChange(const Principal& who, const std::string& key,
                                const std::string& reason);
  Result<std::vector<DatasetEvent>> History(const Principal& who, const std::string& key) const;
  // A dataset's reviewable fields as text ("title_vi", "tags", "resources", …), and the same
  // as it was when last published (empty when never published): what a reviewer compares.
  // Resources are one line each: name, format, file name, version and the first 12 hex digits
  // of the SHA-256. Transition stores the snapshot in `published_snapshots` (one row per
  // dataset, replaced at each publication) in the publishing transaction.
  std::map<std::string, std::string> Snapshot(const DatasetEntry& e) const;
  Result<std::map<std::string, std::string>> PublishedSnapshot(const Principal& who,
                                                               const std::string& key) const;

  // Slugs of published public datasets, sorted (CKAN package_list).
  std::vector<std::string> ListPublicSlugs() const;
  // The same datasets with what the sitemap and the feeds need, sorted by slug; from memory.
  std::vector<PublicDatasetRef> ListPublicDatasets() const;
  SearchResponse Search(const Principal& who, const SearchRequest& req) const;
  // The dataset with `id` as it is now, without a permission check.
  // REQUIRES: `id` came from Search() for the same caller (which checked it); null if it has
  // since been deleted from the store.
  EntryPtr EntryOf(const std::string& id) const;
  // Bounds the cache of whole datasets (default 2000).
  void SetEntryCacheLimitForTest(size_t n) { entry_cache_limit_ = n; }

  // Resources. A file makes the resource an upload (new version if it had one); a url a link.
  Result<std::pair<EntryPtr, Resource>> AddResource(const Principal& who,
                                                    const std::string& dataset_key,
                                                    const ResourceInput& in,
                                                    const std::optional<UploadedFile>& file);
  Result<std::pair<EntryPtr, Resource>> UpdateResource(const Principal& who,
                                                       const std::string& resource_id,
                                                       const ResourceInput& in,
                                                       const std::optional<UploadedFile>& file);
  Status DeleteResource(const Principal& who, const std::string& resource_id);
  Result<std::pair<EntryPtr, Resource>> GetResource(const Principal& who,
                                                    const std::string& resource_id) const;
  Result<std::vector<ResourceVersion>> ListVersions(const Principal& who,
                                                    const std::string& resource_id) const;
  // The file of `version` (0 = current) of an uploaded resource.
  Result<Download> OpenDownload(const Principal& who, const std::string& resource_id,
                                int version) const;

  // Called after a file is committed to a resource (new resource or new version), with the
  // resource, the stored file's path and the uploader's `read_as` (the datastore queues a load).
  // Writers are still serialised while it runs: it must only queue work, never do it.
  using UploadListener = std::function<void(const Resource& r, const std::string& file_path,
                                            const std::map<std::string, std::string>& read_as)>;
  void SetUploadListener(UploadListener l);
  // Whether a submitter may approve their own submission: the site setting, read at every
  // publication (before any lock of this service is taken, so the rule may read its own store).
  // Unset: kForbidden. Set before use.
  using SelfApprovalRule = std::function<access::SelfApproval()>;
  void SetSelfApprovalRule(SelfApprovalRule rule) { self_approval_ = std::move(rule); }
  // Workflow transitions (submit, publish, reject, withdraw: kinds "dataset.<verb>") are recorded
  // there; null: nowhere. Set before use.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

  // Asked before a dataset becomes readable as open or registered data: its publication
  // (Transition to published), the approval of an opening of its tier (ApproveChange), and an
  // opening made at once by whoever may publish (UpdateDataset). An error refuses the change
  // with it (the portal's check refuses tables with unreviewed personal data). Runs under the
  // catalogue's write lock: it may read other services but must not write the catalogue.
  using PublicationCheck = std::function<Status(const DatasetEntry& e)>;
  void SetPublicationCheck(PublicationCheck c);

  // Usage counting (catalog/usage_counter.h): in memory, never a write on the request path, and
  // never a change of the generation. The download routes count after a GET answered 200 (a
  // 206 range, a 304 and a HEAD do not count): the stored file ("file") from both file routes,
  // table exports and dumps in their format ("csv", "xlsx", "geojson", …). Views: a dataset's
  // page ("page", resource "") and a table's page ("table"), also when answered from the page
  // cache. Each counts once per visitor and hour, robots never (catalog/visit_filter.h).
  void RecordDownload(const std::string& dataset_id, const std::string& resource_id,
                      const std::string& format, const Visitor& visitor);
  void RecordView(const std::string& dataset_id, const std::string& resource_id,
                  const Visitor& visitor);
  // Writes the counts recorded so far (UsageCounter::Flush); `odp serve` flushes every
  // `interval` on the counter's thread and at Stop().
  Status FlushUsage() { return usage_.Flush(); }
  void StartUsageFlushing(std::chrono::milliseconds interval) { usage_.Start(interval); }
  // Views and downloads of the published datasets `who` may read, summed (catalog/usage_stats.h).
  UsageSummary Usage(const Principal& who) const;
  // The same, of one dataset (kNotFound as GetDataset).
  Result<UsageSummary> DatasetUsage(const Principal& who, const std::string& key) const;
  // The `n` most downloaded datasets of `usage` (Usage(who)) that `who` can find, with their
  // download counts. The month's downloads to show beside them are `usage.this_month`: of the
  // datasets `who` may read only, so that no figure reveals activity on hidden ones.
  std::vector<std::pair<EntryPtr, int64_t>> MostDownloaded(const Principal& who,
                                                           const UsageSummary& usage,
                                                           size_t n) const;

  // Records in the history of the resource's dataset (event "schema_change") that its table's
  // schema or the way its file is read changed and the table is loaded again; `what` says what
  // changed, as the caller wrote it from checked values (api::DescribeSchemaChange), and is cut
  // to kMaxTableChangeText bytes. The right to edit the dataset is required. Resources added,
  // replaced (a new file version), edited and deleted record "file_upload" or "link_add",
  // "file_replace", "resource_update" and "resource_delete" by themselves.
  static constexpr size_t kMaxTableChangeText = 1000;
  Status RecordTableChange(const Principal& who, const std::string& resource_id,
                           const std::string& what);

  // Checks whether `who` may write into `dataset_key` (used before streaming an upload).
  Status CheckCanEdit(const Principal& who, const std::string& dataset_key) const;

 private:
  CatalogService(store::CatalogStore& store, store::ChangeFeed& feed, store::UsageStore& usage,
                 store::BlobStore& blobs)
      : store_(store),
        feed_(feed),
        blobs_(blobs),
        usage_(usage, [this](const std::string& id) { return OrganizationOf(id); }) {}
  // The agency of a dataset ("" when unknown); takes mu_ shared.
  std::string OrganizationOf(const std::string& dataset_id) const;
  // Published datasets `who` may read, for usage summaries; REQUIRES mu_ held.
  std::optional<UsageDatasetFacts> UsageFactsLocked(const Principal& who,
                                                    const std::string& id) const;
  Status LoadAll();
  // Resolves an id-or-slug to an id; REQUIRES mu_ held.
  Result<std::string> OrgIdLocked(const std::string& key) const;
  Result<std::string> GroupIdLocked(const std::string& key, std::optional<GroupKind> kind) const;
  // The dataset with id or slug `key`, from the cache or the store; null when unknown.
  // REQUIRES: mu_ held (shared or unique).
  EntryPtr FindLocked(const std::string& key) const;
  EntryPtr LoadEntryLocked(const std::string& id) const;
  void CacheEntry(const EntryPtr& e) const;
  // The dataset a resource belongs to; REQUIRES: mu_ held.
  Result<EntryPtr> ReadableResourceLocked(const Principal& who,
                                          const std::string& resource_id) const;
  Result<EntryPtr> ReadableLocked(const Principal& who, const std::string& key) const;
  Status ApplyInputLocked(const DatasetInput& in, Dataset& d, bool creating) const;
  // Publishes a new snapshot of a dataset into the maps and the index; REQUIRES unique mu_.
  void InstallLocked(EntryPtr entry);
  IndexDoc MakeIndexDocLocked(const EntryPtr& e) const;
  // A rejection's `reason` is judged once the caller may decide.
  Result<EntryPtr> DecideChange(const Principal& who, const std::string& key, bool approve,
                                const std::string& reason);
  // Who submitted `d` for review: Dataset::submitted_by, or for a pending dataset submitted
  // before it was recorded, the actor of its latest "submit" event ("" when none).
  std::string SubmitterOf(const Dataset& d) const;
  Status RecordEvent(const Principal& who, const Dataset& d, const std::string& action,
                     DatasetState from, const std::string& reason);
  // Marks a committed write: the generation moves, and the change is recorded for other servers.
  void Bumped(const std::string& kind, const std::string& key);
  void NotifyUpload(const Resource& r, const UploadedFile& file);
  std::string SnapshotText(const DatasetEntry& e) const;

  store::CatalogStore& store_;
  store::ChangeFeed& feed_;
  store::BlobStore& blobs_;
  store::AuditSink* audit_ = nullptr;  // set before use
  SelfApprovalRule self_approval_;     // set before use
  std::mutex write_mu_;  // serialises writers; held across the store write and the install
  mutable std::shared_mutex mu_;
  // What is kept of every dataset (deleted ones included).
  struct Facts {
    std::string slug;
    std::string organization_id;
    AccessTier access = AccessTier::kInternal;
    DatasetState state = DatasetState::kDraft;
    std::vector<std::string> sector_ids;  // for usage by sector
    std::vector<std::string> topic_ids;
    Micros modified = 0;
    Micros published = 0;
  };
  std::unordered_map<std::string, Facts> facts_;             // by id, guarded by mu_
  std::unordered_map<std::string, std::string> slug_to_id_;  // guarded by mu_
  std::atomic<size_t> entry_cache_limit_{2000};
  mutable std::mutex entries_mu_;                              // taken after mu_, never before
  mutable std::unordered_map<std::string, EntryPtr> entries_;  // by id, guarded by entries_mu_
  // The dataset of each resource looked up so far (a resource never moves to another dataset):
  // resource lookups by id (the datastore's API) skip the store.
  mutable std::mutex resource_owner_mu_;
  mutable std::unordered_map<std::string, std::string>
      resource_owner_;                        // guarded by resource_owner_mu_
  std::map<std::string, Organization> orgs_;  // by id, guarded by mu_
  std::map<std::string, Group> groups_;       // by id, guarded by mu_
  std::vector<License> licenses_;             // guarded by mu_
  SearchIndex index_;                         // guarded by mu_
  std::atomic<int64_t> generation_{0};
  std::atomic<int64_t> settings_generation_{0};

  std::mutex listener_mu_;
  UploadListener upload_listener_;      // guarded by listener_mu_
  PublicationCheck publication_check_;  // guarded by listener_mu_
  // The publication check, when `d` is published as public or registered data; OK otherwise.
  Status CheckPublication(const DatasetEntry& e);

  std::string origin_;         // this process's id in the change feed
  std::mutex feed_mu_;         // taken after write_mu_
  int64_t seen_change_ = 0;    // guarded by feed_mu_
  std::set<int64_t> applied_;  // recent changes already in memory; guarded by feed_mu_

  UsageCounter usage_;  // thread-safe on its own
  VisitFilter visits_;  // thread-safe on its own
};

}  // namespace odp::catalog

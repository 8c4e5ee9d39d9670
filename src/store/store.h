// Store: the one seam between services and a database. Services never see SQL.
//
// One implementation, SqlStore (store/sql_store.h), on SQLite (embedded default) or PostgreSQL.
// All methods are safe to call from any thread; an implementation serialises access as it needs
// to. Get* methods return kNotFound when the record does not exist.
//
// Drivers. OpenStore takes `postgresql://…` or `postgres://…` (a libpq URI: `?host=/run/postgresql`
// for a Unix socket, `options=-csearch_path%3Dodp` for a schema), `sqlite:PATH` or a plain path.
// The SQL is the subset both databases speak (`INSERT … ON CONFLICT … DO UPDATE`, `RETURNING`,
// `lower(email) = lower(?)`, recursive CTEs). The PostgreSQL driver sends every value as text
// through PQexecParams, so columns need no per-type code, and maps SQLSTATE: 23505 (unique) →
// kAlreadyExists, other 23xxx → kConflict, lost connections and 40001/40P01 → kUnavailable. The
// SQLite driver opens the file in WAL mode (synchronous=NORMAL, foreign_keys=ON, 5 s busy
// timeout); Stop() checkpoints the WAL (wal_checkpoint(TRUNCATE)).
//
// Connections. A pool of one (SQLite) or eight (PostgreSQL, opened lazily); a connection found
// broken on return is dropped and replaced by the next caller. A call leases one for its
// duration, re-entrantly per thread, so a call inside Transaction(fn) joins the transaction.
// Transactions are BEGIN IMMEDIATE on SQLite (the write lock up front) and BEGIN (READ COMMITTED)
// on PostgreSQL, where uniqueness (slugs, user names, e-mails) is left to the unique indexes: two
// servers creating the same slug at once get one success and one kAlreadyExists.
// Datasets and resources are stored as a few indexed columns (id, slug, organization_id, state,
// access, times) plus a JSON `doc` column for everything else.
//
// The change feed: kinds "dataset", "organization", "group", "license", "settings", "tables";
// `origin` is the writing process's random id; on PostgreSQL RecordCatalogChange also sends
// `NOTIFY odp_catalog`, and WaitForCatalogChange waits on a dedicated `LISTEN odp_catalog`
// connection. Pruning keeps the newest change so numbering never restarts.
//
// Jobs: the `jobs` table is a queue shared by every process on the database, one row per (kind,
// resource, version); its one kind today is "datastore". ClaimJob runs in one transaction
// (BEGIN IMMEDIATE on SQLite, `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so servers
// claiming at once each get a different job and none waits): it first makes `cancelled` the
// `cancelling` jobs whose heartbeat is older than `stale_before`, then takes the oldest job that
// is `queued`, or `running`/`indexing` with such a stale heartbeat, and makes it `running` under
// `owner`. SaveJob writes only while `holder` owns the job or it is over (done, failed,
// cancelled), else returns false (taken over, or re-queued by a new upload). HeartbeatJob renews
// the heartbeat and returns the job's state, or "" when the owner no longer holds it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/records.h"

namespace odp::store {

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in one transaction: committed when it returns OK, rolled back otherwise.
  // Calls on this store from inside `fn` (same thread) join the transaction.
  virtual Status Transaction(const std::function<Status()>& fn) = 0;

  // The catalogue's change feed: every catalogue write records what it changed, so that the
  // other servers on the same database (and caches keyed on the feed's position) refresh.
  // RecordCatalogChange returns the change's number (increasing); on PostgreSQL it also
  // notifies listeners when the transaction commits.
  virtual Result<int64_t> RecordCatalogChange(const std::string& kind, const std::string& key,
                                              const std::string& origin) = 0;
  // Changes numbered above `after`, oldest first, at most `limit`.
  virtual Result<std::vector<CatalogChange>> ListCatalogChanges(int64_t after, int limit) = 0;
  // The number of the latest change (0 when none).
  virtual Result<int64_t> CatalogGeneration() = 0;
  // Forgets changes recorded before `before` (servers that were down longer reload everything).
  virtual Status PruneCatalogChanges(Micros before) = 0;
  // Waits up to `timeout_ms` for a change to be announced by any server; true when one was.
  // On SQLite nothing is announced: it sleeps and returns false (callers poll the feed).
  virtual Result<bool> WaitForCatalogChange(int timeout_ms) = 0;

  // Organizations
  virtual Status InsertOrganization(const Organization& o) = 0;
  virtual Status UpdateOrganization(const Organization& o) = 0;
  virtual Result<Organization> GetOrganization(const std::string& id_or_slug) = 0;
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;

  // Sectors and topics
  virtual Status InsertGroup(const Group& g) = 0;
  virtual Status UpdateGroup(const Group& g) = 0;
  virtual Result<Group> GetGroup(const std::string& id_or_slug) = 0;
  virtual Result<std::vector<Group>> ListGroups() = 0;

  // Licences
  virtual Status UpsertLicense(const License& l) = 0;
  virtual Result<std::vector<License>> ListLicenses() = 0;

  // Datasets
  virtual Status InsertDataset(const Dataset& d) = 0;
  virtual Status UpdateDataset(const Dataset& d) = 0;
  virtual Result<Dataset> GetDataset(const std::string& id_or_slug) = 0;
  virtual Result<std::vector<Dataset>> ListDatasets() = 0;  // every state, deleted included

  // Resources and their versions
  virtual Status InsertResource(const Resource& r) = 0;
  virtual Status UpdateResource(const Resource& r) = 0;
  virtual Status DeleteResource(const std::string& id) = 0;
  virtual Result<Resource> GetResource(const std::string& id) = 0;
  virtual Result<std::vector<Resource>> ListResources(const std::string& dataset_id) = 0;
  virtual Result<std::vector<Resource>> ListAllResources() = 0;
  virtual Status InsertResourceVersion(const ResourceVersion& v) = 0;
  virtual Result<std::vector<ResourceVersion>> ListResourceVersions(const std::string& resource_id) = 0;

  // History
  virtual Status InsertDatasetEvent(const DatasetEvent& e) = 0;
  virtual Result<std::vector<DatasetEvent>> ListDatasetEvents(const std::string& dataset_id) = 0;

  // Accounts
  virtual Status InsertUser(const User& u) = 0;
  virtual Status UpdateUser(const User& u) = 0;
  virtual Result<User> GetUser(const std::string& id_or_username) = 0;
  virtual Result<User> GetUserByEmail(const std::string& email) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Status PutMembership(const Membership& m) = 0;
  virtual Status DeleteMembership(const std::string& user_id, const std::string& org_id) = 0;
  virtual Result<std::vector<Membership>> ListMembershipsOfUser(const std::string& user_id) = 0;
  virtual Result<std::vector<Membership>> ListMembershipsOfOrganization(const std::string& org_id) = 0;

  virtual Status InsertToken(const ApiToken& t) = 0;
  virtual Result<ApiToken> GetTokenByHash(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListTokens(const std::string& user_id) = 0;
  virtual Status RevokeToken(const std::string& user_id, const std::string& token_id) = 0;
  virtual Status TouchToken(const std::string& token_id, Micros at) = 0;
  // Revokes every API token of the user.
  virtual Status RevokeTokensOfUser(const std::string& user_id) = 0;

  virtual Status InsertSession(const Session& s) = 0;
  virtual Result<Session> GetSession(const std::string& id_hash) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  virtual Status DeleteSessionsOfUser(const std::string& user_id) = 0;
  // Deletes the user's sessions except the one whose hash is `keep_hash`.
  virtual Status DeleteOtherSessionsOfUser(const std::string& user_id, const std::string& keep_hash) = 0;
  // Removes sessions that expired before `now`.
  virtual Status DeleteExpiredSessions(Micros now) = 0;

  // Failed sign-ins (login throttling). AddLoginFailure counts one more failure under `key` at
  // `now` (starting again from 1 when the last one was before `forget_before`) and returns the
  // counter after the change; atomic, so that servers sharing the database count together.
  virtual Result<LoginFailures> GetLoginFailures(const std::string& key) = 0;
  virtual Result<LoginFailures> AddLoginFailure(const std::string& key, Micros now, Micros forget_before) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;

  // The dataset as last published (a JSON object of field texts), for review diffs.
  virtual Status PutPublishedSnapshot(const std::string& dataset_id, const std::string& snapshot, Micros at) = 0;
  virtual Result<std::string> GetPublishedSnapshot(const std::string& dataset_id) = 0;

  // Download counters.
  virtual Status AddDownloads(const std::string& dataset_id, const std::string& month, int64_t n) = 0;
  virtual Result<std::vector<DownloadCount>> ListDownloadCounts() = 0;

  // Settings (site name, …) as key/value text.
  virtual Result<std::string> GetSetting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;

  // Background jobs. A job is one row per (kind, resource, version).
  // QueueJob: (re)queues it with its file and options (a running load of it loses its claim).
  virtual Status QueueJob(const JobRecord& j) = 0;
  // Claims the oldest job of `kind` that is queued, or running with a heartbeat older than
  // `stale_before` (its server died): it becomes "running", owned by `owner`. Exactly one
  // caller gets a given job, however many servers ask at once. Empty when there is none.
  virtual Result<std::optional<JobRecord>> ClaimJob(const std::string& kind, const std::string& owner, Micros now,
                                                    Micros stale_before) = 0;
  // Writes a job's state, errors, rows, owner and heartbeat (creating the row if needed) when
  // `holder` holds it now or it is over; false when another server holds it (taken over, or
  // requeued by a new upload). A finished job's owner is "".
  virtual Result<bool> SaveJob(const JobRecord& j, const std::string& holder) = 0;
  // The job's state after marking `owner` alive; "" when `owner` no longer holds it.
  virtual Result<std::string> HeartbeatJob(const std::string& kind, const std::string& resource_id, int version,
                                           const std::string& owner, Micros now) = 0;
  // Cancels the queued jobs of a resource and asks running ones to stop ("cancelling");
  // returns how many it touched.
  virtual Result<int> CancelJobs(const std::string& kind, const std::string& resource_id, Micros now) = 0;
  // The newest job of a resource (highest version, latest update).
  virtual Result<JobRecord> LatestJob(const std::string& kind, const std::string& resource_id) = 0;
  // The job of one version.
  virtual Result<JobRecord> GetJob(const std::string& kind, const std::string& resource_id, int version) = 0;
  // Whether any job of `kind` is queued, running, indexing or cancelling.
  virtual Result<bool> JobsPending(const std::string& kind) = 0;

  // Every blob (SHA-256, lower-case hex) that a row refers to: the file of every resource
  // version (current and old), every resource's current file, the file of every datastore job
  // (queued, running or kept), and any 64-hex-digit value in the site settings. What the blob
  // garbage collector must keep (store/blob_gc.h). Sorted, no duplicates.
  virtual Result<std::vector<std::string>> ListBlobReferences() = 0;

  virtual Status Stop() = 0;
};

// Opens the store named by `db_url`: "postgresql://…" (PostgreSQL, libpq URI), or
// "sqlite:PATH" or a plain path (SQLite). Creates the schema and applies migrations unless
// `migrate` is false, in which case an outdated schema is an error.
bool IsPostgresUrl(const std::string& db_url);
Result<std::unique_ptr<Store>> OpenStore(const std::string& db_url, bool migrate = true);

}  // namespace odp::store

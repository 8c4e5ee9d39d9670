// Store: the one seam between services and a database. Services never see SQL.
//
// The store is split into role interfaces, one per concern: `CatalogStore`, `ChangeFeed`,
// `AccountStore`, `SettingsStore`, `UsageStore`, `DatastoreJobStore`, `BlobReferences` and
// `ConsumerStore` below, the sharing role `SharingStore` (store/sharing_store.h), the jobs
// layer's `JobStore` (store/job_store.h), the audit log's `AuditStore`
// (store/audit_store.h), and the identities of outside providers `ExternalIdentityStore`
// (store/identity_store.h). A service takes only
// the roles it uses (CatalogService: CatalogStore, ChangeFeed and UsageStore; AccountService:
// AccountStore, and CatalogStore for the organizations of memberships; SettingsService:
// SettingsStore; jobs::Jobs: JobStore; the datastore: DatastoreJobStore and JobStore; …). `Store`
// is the aggregate of every role plus Stop(): what opens, wires, migrates and stops a database
// (app/, tests) holds a Store, and passes it as each role.
//
// Transactions. Every role derives from `Transactions` (store/transactions.h) as a virtual base,
// so a SqlStore has exactly one Transaction(fn) and a service runs one through whichever role it
// holds. Calls on any role of the *same* store from inside `fn` (same thread) join the
// transaction; roles of another store do not. A service that writes across roles in one
// transaction (the datastore queues a load's record and its run together) must therefore be given
// roles of one Store: app wiring and testing::TempPortal pass the same Store for every role.
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
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/audit_store.h"
#include "store/follow_store.h"
#include "store/identity_store.h"
#include "store/job_store.h"
#include "store/records.h"
#include "store/sharing_store.h"
#include "store/transactions.h"

namespace odp::store {

// The catalogue's change feed: every catalogue write records what it changed, so that the other
// servers on the same database (and caches keyed on the feed's position) refresh.
//
// Kinds "dataset", "organization", "group", "license", "settings", "tables"; `origin` is the
// writing process's random id. On PostgreSQL RecordCatalogChange also sends `NOTIFY odp_catalog`
// (when the transaction commits), and WaitForCatalogChange waits on a dedicated
// `LISTEN odp_catalog` connection. Pruning keeps the newest change so numbering never restarts.
class ChangeFeed : public virtual Transactions {
 public:
  // Records a change; returns its number (increasing).
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

 protected:
  ~ChangeFeed() = default;
};

// The catalogue's records: organizations, sectors and topics, licences, datasets, resources and
// their versions, datasets' history and their last published text.
class CatalogStore : public virtual Transactions {
 public:
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
  virtual Result<std::vector<ResourceVersion>> ListResourceVersions(
      const std::string& resource_id) = 0;

  // History
  virtual Status InsertDatasetEvent(const DatasetEvent& e) = 0;
  virtual Result<std::vector<DatasetEvent>> ListDatasetEvents(const std::string& dataset_id) = 0;

  // The dataset as last published (a JSON object of field texts), for review diffs.
  virtual Status PutPublishedSnapshot(const std::string& dataset_id, const std::string& snapshot,
                                      Micros at) = 0;
  virtual Result<std::string> GetPublishedSnapshot(const std::string& dataset_id) = 0;

 protected:
  ~CatalogStore() = default;
};

// Accounts: users, their memberships of organizations, API tokens, sessions, failed sign-ins,
// consents to the privacy notice and the single-use links that set a password.
class AccountStore : public virtual Transactions {
 public:
  virtual Status InsertUser(const User& u) = 0;
  virtual Status UpdateUser(const User& u) = 0;
  virtual Result<User> GetUser(const std::string& id_or_username) = 0;
  virtual Result<User> GetUserByEmail(const std::string& email) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Status PutMembership(const Membership& m) = 0;
  virtual Status DeleteMembership(const std::string& user_id, const std::string& org_id) = 0;
  virtual Result<std::vector<Membership>> ListMembershipsOfUser(const std::string& user_id) = 0;
  virtual Result<std::vector<Membership>> ListMembershipsOfOrganization(
      const std::string& org_id) = 0;

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
  virtual Status DeleteOtherSessionsOfUser(const std::string& user_id,
                                           const std::string& keep_hash) = 0;
  // Removes sessions that expired before `now`.
  virtual Status DeleteExpiredSessions(Micros now) = 0;

  // Failed sign-ins (login throttling). AddLoginFailure counts one more failure under `key` at
  // `now` (starting again from 1 when the last one was before `forget_before`) and returns the
  // counter after the change; atomic, so that servers sharing the database count together.
  virtual Result<LoginFailures> GetLoginFailures(const std::string& key) = 0;
  virtual Result<LoginFailures> AddLoginFailure(const std::string& key, Micros now,
                                                Micros forget_before) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;

  // Consents to the privacy notice: one row per user and notice version (a second consent to
  // the same version keeps the first time). Listed newest version first.
  virtual Status InsertPrivacyConsent(const PrivacyConsent& c) = 0;
  virtual Result<std::vector<PrivacyConsent>> ListPrivacyConsents(const std::string& user_id) = 0;

  // Single-use links that set a password (invitations, resets). UseAccountLink marks the link
  // used when it is unused and expires after `now`, atomically (two uses at once: one wins);
  // kNotFound otherwise. RevokeAccountLinks marks every unused link of the user of `kind` used
  // and returns how many. ListAccountLinks: the unused links of `kind` (expired ones too), newest
  // first.
  virtual Status InsertAccountLink(const AccountLink& l) = 0;
  virtual Result<AccountLink> GetAccountLink(const std::string& token_hash) = 0;
  virtual Status UseAccountLink(const std::string& token_hash, Micros now) = 0;
  virtual Result<int> RevokeAccountLinks(const std::string& user_id, const std::string& kind,
                                         Micros now) = 0;
  virtual Result<std::vector<AccountLink>> ListAccountLinks(const std::string& kind) = 0;

 protected:
  ~AccountStore() = default;
};

// Site settings (site name, …) as key/value text.
class SettingsStore : public virtual Transactions {
 public:
  virtual Result<std::string> GetSetting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;

 protected:
  ~SettingsStore() = default;
};

// Views and downloads (UsageCount), per day, added to by every server: AddUsage adds each count
// to the stored one (an upsert that sums), so servers flushing at the same time all count.
class UsageStore : public virtual Transactions {
 public:
  // Adds every count in one transaction: all or none are stored. Counts of the same key in
  // `counts` add up.
  virtual Status AddUsage(const std::vector<UsageCount>& counts) = 0;
  // Every stored count summed per month: `day` holds the month ("2026-12"); `organization_id`
  // is the smallest of the month's (one agency per dataset, unless the dataset moved).
  virtual Result<std::vector<UsageCount>> ListUsageByMonth() = 0;

 protected:
  ~UsageStore() = default;
};

// The datastore's load records: the `jobs` table, one row per (kind, resource, version), shared
// by every server on the database; its one kind today is "datastore". A record is the load's
// state as the API and the pages read it; the run that does the work is the jobs layer's
// (JobStore: claiming, leases, take-over). A server takes a record with SaveJob as a
// compare-and-set on its owner: SaveJob writes only while `holder` owns the record (a queued one
// is owned by "") or it is over (done, failed, cancelled), else returns false (taken over, or
// re-queued by a new upload). HeartbeatJob renews the heartbeat and returns the record's state,
// or "" when the owner no longer holds it.
class DatastoreJobStore : public virtual Transactions {
 public:
  // QueueJob: (re)queues it with its file and options (a running load of it loses its claim).
  virtual Status QueueJob(const JobRecord& j) = 0;
  // Writes a job's state, errors, rows, owner and heartbeat (creating the row if needed) when
  // `holder` holds it now or it is over; false when another server holds it (taken over, or
  // requeued by a new upload). A finished job's owner is "".
  virtual Result<bool> SaveJob(const JobRecord& j, const std::string& holder) = 0;
  // The job's state after marking `owner` alive; "" when `owner` no longer holds it.
  virtual Result<std::string> HeartbeatJob(const std::string& kind, const std::string& resource_id,
                                           int version, const std::string& owner, Micros now) = 0;
  // Cancels the queued jobs of a resource and asks running ones to stop ("cancelling");
  // returns how many it touched.
  virtual Result<int> CancelJobs(const std::string& kind, const std::string& resource_id,
                                 Micros now) = 0;
  // The newest job of a resource (highest version, latest update).
  virtual Result<JobRecord> LatestJob(const std::string& kind, const std::string& resource_id) = 0;
  // The job of one version.
  virtual Result<JobRecord> GetJob(const std::string& kind, const std::string& resource_id,
                                   int version) = 0;
  // Whether any job of `kind` is queued, running, indexing or cancelling.
  virtual Result<bool> JobsPending(const std::string& kind) = 0;

 protected:
  ~DatastoreJobStore() = default;
};

// What the blob garbage collector must keep (store/blob_gc.h). Spans the other roles' records.
class BlobReferences : public virtual Transactions {
 public:
  // Every blob (SHA-256, lower-case hex) that a row refers to: the file of every resource
  // version (current and old), every resource's current file, the file of every datastore job
  // (queued, running or kept), any 64-hex-digit value in the site settings, and the letter of
  // every sharing request. Sorted, no
  // duplicates.
  virtual Result<std::vector<std::string>> ListBlobReferences() = 0;

 protected:
  ~BlobReferences() = default;
};

// Consumer systems (other agencies' information systems), their credentials and the keys that
// sign their access tokens. No cache above it: AuthenticateKey-style lookups read it on every
// call, so a revocation counts on every server at once.
class ConsumerStore : public virtual Transactions {
 public:
  // kAlreadyExists when (agency_code, system_code) is taken.
  virtual Status InsertConsumerSystem(const ConsumerSystem& c) = 0;
  // Writes `c` only while the stored system is still in `from_state` (compare and set: two
  // decisions at once cannot undo each other); kConflict when it no longer is.
  virtual Status UpdateConsumerSystem(const ConsumerSystem& c, const std::string& from_state) = 0;
  virtual Result<ConsumerSystem> GetConsumerSystem(const std::string& id) = 0;
  // Every system, or those of one organization (`organization_id` non-empty); newest first.
  virtual Result<std::vector<ConsumerSystem>> ListConsumerSystems(
      const std::string& organization_id) = 0;

  virtual Status InsertConsumerCredential(const ConsumerCredential& c) = 0;
  virtual Result<ConsumerCredential> GetConsumerCredential(const std::string& id) = 0;
  // By `secret_hash` (API keys) or by `lookup` (OAuth client ids) of the given kind.
  virtual Result<ConsumerCredential> FindConsumerCredentialByHash(
      const std::string& secret_hash) = 0;
  virtual Result<ConsumerCredential> FindConsumerCredentialByLookup(const std::string& kind,
                                                                    const std::string& lookup) = 0;
  virtual Result<std::vector<ConsumerCredential>> ListConsumerCredentials(
      const std::string& system_id) = 0;
  // Sets `revoked` to `at` when still live; kNotFound when no live credential has that id.
  virtual Status RevokeConsumerCredential(const std::string& id, Micros at) = 0;
  // Revokes every live credential of the system.
  virtual Status RevokeConsumerCredentialsOf(const std::string& system_id, Micros at) = 0;
  virtual Status TouchConsumerCredential(const std::string& id, Micros at) = 0;

  virtual Status InsertSigningKey(const SigningKey& k) = 0;
  // Every key, newest first.
  virtual Result<std::vector<SigningKey>> ListSigningKeys() = 0;
  virtual Status RetireSigningKey(const std::string& kid, Micros at) = 0;

 protected:
  ~ConsumerStore() = default;
};

// Grants of shared data to consumer systems (access/grants.h) and the counts of their quotas.
// No cache above the grants: they are read on every call of a consumer, so a suspension or a
// revocation counts on every server at the next call.
class GrantStore : public virtual Transactions {
 public:
  virtual Status InsertGrant(const Grant& g) = 0;
  // Writes `g` only while the stored grant was last modified at `from_modified` (compare and
  // set: two changes at once cannot undo each other); kConflict when it was modified since.
  virtual Status UpdateGrant(const Grant& g, Micros from_modified) = 0;
  virtual Result<Grant> GetGrant(const std::string& id) = 0;
  // Grants by one of: consumer system, providing organization, dataset (the others ""); all
  // when every argument is "". Newest first.
  virtual Result<std::vector<Grant>> ListGrants(const std::string& consumer_id,
                                                const std::string& organization_id,
                                                const std::string& dataset_id) = 0;
  // Adds each count to its (scope, window) row, creating it, and returns every row's totals
  // after the addition, in the order given. One transaction.
  virtual Result<std::vector<QuotaCount>> AddQuotaCounts(const std::vector<QuotaCount>& add) = 0;
  // Deletes the minute windows ("m:" and 12 digits) before `minute` (minutes since the epoch) and
  // the day windows ("d:…") before `day` ("2026-12-01").
  virtual Status PruneQuotaCounts(int64_t minute, const std::string& day) = 0;

 protected:
  ~GrantStore() = default;
};

// Every role of one database, and its lifetime. Owned by whoever opened it (OpenStore); the
// services it is passed to as roles must be stopped or destroyed first.
class Store : public CatalogStore,
              public ChangeFeed,
              public AccountStore,
              public SettingsStore,
              public UsageStore,
              public DatastoreJobStore,
              public JobStore,
              public BlobReferences,
              public ConsumerStore,
              public SharingStore,
              public AuditStore,
              public GrantStore,
              public FollowStore,
              public ExternalIdentityStore {
 public:
  virtual ~Store() = default;

  // Called at shutdown, after the services using it stopped: on SQLite it checkpoints the WAL
  // (wal_checkpoint(TRUNCATE)), so the database file holds everything; nothing on PostgreSQL.
  virtual Status Stop() = 0;
};

// Opens the store named by `db_url`: "postgresql://…" (PostgreSQL, libpq URI), or
// "sqlite:PATH" or a plain path (SQLite). Creates the schema and applies migrations unless
// `migrate` is false, in which case an outdated schema is an error.
bool IsPostgresUrl(const std::string& db_url);
Result<std::unique_ptr<Store>> OpenStore(const std::string& db_url, bool migrate = true);

}  // namespace odp::store

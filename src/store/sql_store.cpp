#include "store/sql_store.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/civil_date.h"
#include "store/job_store.h"
#include "store/migrations.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"

namespace odp::store {
namespace {

using sql::Statement;
using json = nlohmann::json;

// Columns read for each record kind, in the order the Read* functions expect.
constexpr const char* kOrgCols =
    "id, slug, title_vi, title_en, description_vi, description_en, parent_id, image_url, email, "
    "created, modified";
constexpr const char* kGroupCols =
    "id, kind, slug, title_vi, title_en, description_vi, description_en, position, created";
constexpr const char* kUserCols =
    "id, username, email, display_name, password_hash, sysadmin, disabled, created";
constexpr const char* kTokenCols = "id, user_id, name, token_hash, created, last_used, revoked";
constexpr const char* kGrantCols =
    "id, consumer_id, organization_id, dataset_id, resource_id, service_id, request_id, columns, "
    "row_filter, masks, valid_from, valid_to, requests_per_day, rows_per_day, "
    "requests_per_minute, state, reason, created_by, modified_by, created, modified";
constexpr const char* kConsumerCols =
    "id, organization_id, agency_code, system_code, name, description, contacts, technical_name, "
    "technical_email, technical_phone, state, reason, registered_by, decided_by, created, decided, "
    "modified";
constexpr const char* kCredentialCols =
    "id, system_id, kind, name, lookup, secret_hash, created_by, created, expires, last_used, "
    "revoked";
constexpr const char* kSigningKeyCols = "kid, public_key, secret_key, created, retired";

Organization ReadOrg(const Statement& s) {
  Organization o;
  o.id = s.Text(0);
  o.slug = s.Text(1);
  o.title_vi = s.Text(2);
  o.title_en = s.Text(3);
  o.description_vi = s.Text(4);
  o.description_en = s.Text(5);
  o.parent_id = s.Text(6);
  o.image_url = s.Text(7);
  o.email = s.Text(8);
  o.created = s.Int(9);
  o.modified = s.Int(10);
  return o;
}

Group ReadGroup(const Statement& s) {
  Group g;
  g.id = s.Text(0);
  g.kind = s.Text(1) == "topic" ? GroupKind::kTopic : GroupKind::kSector;
  g.slug = s.Text(2);
  g.title_vi = s.Text(3);
  g.title_en = s.Text(4);
  g.description_vi = s.Text(5);
  g.description_en = s.Text(6);
  g.position = static_cast<int>(s.Int(7));
  g.created = s.Int(8);
  return g;
}

constexpr const char* kIdentityCols = "issuer, subject, user_id, email, created, last_used";

ExternalIdentity ReadIdentity(const Statement& s) {
  return ExternalIdentity{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)};
}

AccountLink ReadAccountLink(const Statement& s) {
  return AccountLink{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5), s.Int(6)};
}

FollowRecord ReadFollowRow(const Statement& s) {
  FollowRecord f;
  f.id = s.Text(0);
  f.email = s.Text(1);
  f.kind = s.Text(2);
  f.target_id = s.Text(3);
  f.lang = s.Text(4);
  f.confirm_hash = s.Text(5);
  f.confirm_expires = s.Int(6);
  f.unsubscribe_token = s.Text(7);
  f.created = s.Int(8);
  f.confirmed = s.Int(9);
  f.last_seen = s.Int(10);
  return f;
}

User ReadUser(const Statement& s) {
  User u;
  u.id = s.Text(0);
  u.username = s.Text(1);
  u.email = s.Text(2);
  u.display_name = s.Text(3);
  u.password_hash = s.Text(4);
  u.sysadmin = s.Int(5) != 0;
  u.disabled = s.Int(6) != 0;
  u.created = s.Int(7);
  return u;
}

ApiToken ReadToken(const Statement& s) {
  ApiToken t;
  t.id = s.Text(0);
  t.user_id = s.Text(1);
  t.name = s.Text(2);
  t.token_hash = s.Text(3);
  t.created = s.Int(4);
  t.last_used = s.Int(5);
  t.revoked = s.Int(6) != 0;
  return t;
}

Grant ReadGrant(const Statement& s) {
  Grant g;
  g.id = s.Text(0);
  g.consumer_id = s.Text(1);
  g.organization_id = s.Text(2);
  g.dataset_id = s.Text(3);
  g.resource_id = s.Text(4);
  if (!s.IsNull(5)) g.service_id = s.Text(5);
  if (!s.IsNull(6)) g.request_id = s.Text(6);
  g.columns = s.Text(7);
  g.row_filter = s.Text(8);
  g.masks = s.Text(9);
  g.valid_from = s.Int(10);
  g.valid_to = s.Int(11);
  g.requests_per_day = s.Int(12);
  g.rows_per_day = s.Int(13);
  g.requests_per_minute = s.Int(14);
  g.state = s.Text(15);
  g.reason = s.Text(16);
  g.created_by = s.Text(17);
  g.modified_by = s.Text(18);
  g.created = s.Int(19);
  g.modified = s.Int(20);
  return g;
}

ConsumerSystem ReadConsumer(const Statement& s) {
  ConsumerSystem c;
  c.id = s.Text(0);
  c.organization_id = s.Text(1);
  c.agency_code = s.Text(2);
  c.system_code = s.Text(3);
  c.name = s.Text(4);
  c.description = s.Text(5);
  c.contacts = s.Text(6);
  c.technical_name = s.Text(7);
  c.technical_email = s.Text(8);
  c.technical_phone = s.Text(9);
  c.state = s.Text(10);
  c.reason = s.Text(11);
  c.registered_by = s.Text(12);
  c.decided_by = s.Text(13);
  c.created = s.Int(14);
  c.decided = s.Int(15);
  c.modified = s.Int(16);
  return c;
}

ConsumerCredential ReadCredential(const Statement& s) {
  ConsumerCredential c;
  c.id = s.Text(0);
  c.system_id = s.Text(1);
  c.kind = s.Text(2);
  c.name = s.Text(3);
  c.lookup = s.Text(4);
  c.secret_hash = s.Text(5);
  c.created_by = s.Text(6);
  c.created = s.Int(7);
  c.expires = s.Int(8);
  c.last_used = s.Int(9);
  c.revoked = s.Int(10);
  return c;
}

SigningKey ReadSigningKey(const Statement& s) {
  SigningKey k;
  k.kid = s.Text(0);
  k.public_key = s.Text(1);
  k.secret_key = s.Text(2);
  k.created = s.Int(3);
  k.retired = s.Int(4);
  return k;
}

std::string DatasetDoc(const Dataset& d) {
  json j = {{"title_vi", d.title_vi},
            {"title_en", d.title_en},
            {"description_vi", d.description_vi},
            {"description_en", d.description_en},
            {"sector_ids", d.sector_ids},
            {"topic_ids", d.topic_ids},
            {"tags", d.tags},
            {"license_id", d.license_id},
            {"update_frequency", d.update_frequency},
            {"temporal_start", d.temporal_start},
            {"temporal_end", d.temporal_end},
            {"spatial", d.spatial},
            {"contact_name", d.contact_name},
            {"contact_email", d.contact_email},
            {"version", d.version},
            {"extras", d.extras},
            {"creator_id", d.creator_id},
            {"state_reason", d.state_reason},
            {"published", d.published}};
  if (!d.submitted_by.empty()) {
    j["submitted_by"] = d.submitted_by;
    j["submitted_at"] = d.submitted_at;
  }
  if (!d.pending_access.empty()) j["pending_access"] = d.pending_access;
  if (d.pending_license_id) j["pending_license_id"] = *d.pending_license_id;
  return j.dump();
}

Dataset ReadDataset(const Statement& s) {
  // id, slug, organization_id, state, access, doc, created, modified
  Dataset d;
  d.id = s.Text(0);
  d.slug = s.Text(1);
  d.organization_id = s.Text(2);
  d.state = ParseDatasetState(s.Text(3)).value_or(DatasetState::kDraft);
  d.access = ParseAccessTier(s.Text(4)).value_or(AccessTier::kInternal);
  json j = json::parse(s.Text(5), nullptr, false);
  if (j.is_object()) {
    d.title_vi = j.value("title_vi", "");
    d.title_en = j.value("title_en", "");
    d.description_vi = j.value("description_vi", "");
    d.description_en = j.value("description_en", "");
    d.sector_ids = j.value("sector_ids", std::vector<std::string>{});
    d.topic_ids = j.value("topic_ids", std::vector<std::string>{});
    d.tags = j.value("tags", std::vector<std::string>{});
    d.license_id = j.value("license_id", "");
    d.update_frequency = j.value("update_frequency", "");
    d.temporal_start = j.value("temporal_start", "");
    d.temporal_end = j.value("temporal_end", "");
    d.spatial = j.value("spatial", std::vector<std::string>{});
    d.contact_name = j.value("contact_name", "");
    d.contact_email = j.value("contact_email", "");
    d.version = j.value("version", "");
    d.extras = j.value("extras", std::map<std::string, std::string>{});
    d.creator_id = j.value("creator_id", "");
    d.state_reason = j.value("state_reason", "");
    d.published = j.value("published", int64_t{0});
    d.submitted_by = j.value("submitted_by", "");
    d.submitted_at = j.value("submitted_at", int64_t{0});
    d.pending_access = j.value("pending_access", "");
    if (j.contains("pending_license_id") && j["pending_license_id"].is_string()) {
      d.pending_license_id = j["pending_license_id"].get<std::string>();
    }
  }
  d.created = s.Int(6);
  d.modified = s.Int(7);
  return d;
}

std::string ResourceDoc(const Resource& r) {
  json j = {{"name", r.name},         {"description", r.description},
            {"format", r.format},     {"mimetype", r.mimetype},
            {"url", r.url},           {"upload", r.upload},
            {"sha256", r.sha256},     {"size", r.size},
            {"filename", r.filename}, {"version", r.version}};
  return j.dump();
}

Resource ReadResource(const Statement& s) {
  // id, dataset_id, position, doc, created, modified
  Resource r;
  r.id = s.Text(0);
  r.dataset_id = s.Text(1);
  r.position = static_cast<int>(s.Int(2));
  json j = json::parse(s.Text(3), nullptr, false);
  if (j.is_object()) {
    r.name = j.value("name", "");
    r.description = j.value("description", "");
    r.format = j.value("format", "");
    r.mimetype = j.value("mimetype", "");
    r.url = j.value("url", "");
    r.upload = j.value("upload", false);
    r.sha256 = j.value("sha256", "");
    r.size = j.value("size", int64_t{0});
    r.filename = j.value("filename", "");
    r.version = j.value("version", 0);
  }
  r.created = s.Int(4);
  r.modified = s.Int(5);
  return r;
}

// The pool of connections and the thread's lease on one. A lease is re-entrant: a thread that
// holds one (a transaction, or a call that calls another) gets the same connection again, so
// nested calls join the transaction and see its writes.
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<sql::Connection>>()>;
  ConnectionPool(Factory factory, size_t size) : factory_(std::move(factory)), size_(size) {}

  Result<sql::Connection*> Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      sql::Connection* c = idle_.back().release();
      idle_.pop_back();
      return c;
    }
    ++open_;
    lock.unlock();
    auto made = factory_();
    if (!made.ok()) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
      return made.status();
    }
    return made.value().release();
  }

  void Release(sql::Connection* c) {
    std::unique_ptr<sql::Connection> owned(c);
    std::lock_guard lock(mu_);
    if (owned->Healthy()) {
      idle_.push_back(std::move(owned));
    } else {
      --open_;  // dropped: the next Acquire opens a fresh one
    }
    cv_.notify_one();
  }

 private:
  Factory factory_;
  size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
  size_t open_ = 0;
};

class SqlStore final : public Store {
 public:
  SqlStore(sql::Dialect dialect, ConnectionPool::Factory factory, size_t pool_size)
      : dialect_(dialect), factory_(factory), pool_(std::move(factory), pool_size) {}

  // The connection a method works on, held for the method's duration.
  class Lease {
   public:
    explicit Lease(SqlStore& store) : store_(store) {
      for (auto& p : Pins()) {
        if (p.store == &store) {
          conn_ = p.conn;
          ++p.depth;
          return;
        }
      }
      auto c = store.pool_.Acquire();
      if (!c.ok()) {
        status_ = c.status();
        return;
      }
      conn_ = c.value();
      Pins().push_back({&store, conn_, 1});
    }
    ~Lease() {
      if (!conn_) return;
      auto& pins = Pins();
      for (size_t i = 0; i < pins.size(); ++i) {
        if (pins[i].store != &store_) continue;
        if (--pins[i].depth == 0) {
          pins.erase(pins.begin() + static_cast<std::ptrdiff_t>(i));
          store_.pool_.Release(conn_);
        }
        return;
      }
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    const Status& status() const { return status_; }
    // Calls on a lease that failed to connect report that failure.
    struct Failed final : sql::Connection {
      explicit Failed(Status s) : s_(std::move(s)) {}
      sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
      Status Exec(const std::string&) override { return s_; }
      Result<std::unique_ptr<sql::Statement>> Prepare(std::string_view) override { return s_; }
      int64_t Changes() const override { return 0; }
      Status s_;
    };
    sql::Connection* operator->() {
      if (conn_) return conn_;
      failed_ = std::make_unique<Failed>(status_);
      return failed_.get();
    }

   private:
    struct Pin {
      const SqlStore* store;
      sql::Connection* conn;
      int depth;
    };
    static std::vector<Pin>& Pins() {
      thread_local std::vector<Pin> pins;
      return pins;
    }
    SqlStore& store_;
    sql::Connection* conn_ = nullptr;
    Status status_;
    std::unique_ptr<Failed> failed_;
  };

  bool postgres() const { return dialect_ == sql::Dialect::kPostgres; }

  Status Migrate(bool apply) {
    Lease lease(*this);
    ODP_RETURN_IF_ERROR(lease.status());
    ODP_RETURN_IF_ERROR(lease->Exec(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied BIGINT)"));
    for (;;) {
      // Each version in its own transaction; several servers starting at once take turns (the
      // advisory lock on PostgreSQL, the write lock on SQLite) and re-read the version inside.
      ODP_RETURN_IF_ERROR(lease->Exec(postgres() ? "BEGIN" : "BEGIN IMMEDIATE"));
      Status s = MigrateOne(lease, apply);
      if (s.code() == StatusCode::kOk && done_) {
        ODP_RETURN_IF_ERROR(lease->Exec("COMMIT"));
        return Status::Ok();
      }
      if (!s.ok()) {
        (void)lease->Exec("ROLLBACK");
        return s;
      }
      ODP_RETURN_IF_ERROR(lease->Exec("COMMIT"));
    }
  }

  Status Transaction(const std::function<Status()>& fn) override {
    Lease lease(*this);
    ODP_RETURN_IF_ERROR(lease.status());
    if (tx_depth() > 0) return fn();
    ODP_RETURN_IF_ERROR(lease->Exec(postgres() ? "BEGIN" : "BEGIN IMMEDIATE"));
    ++tx_depth();
    Status s;
    try {
      s = fn();
    } catch (const std::exception& e) {
      s = Status::Internal(std::string("exception in transaction: ") + e.what());
    }
    --tx_depth();
    if (s.ok()) {
      Status c = lease->Exec("COMMIT");
      if (!c.ok()) {
        (void)lease->Exec("ROLLBACK");
        return c;
      }
      return s;
    }
    (void)lease->Exec("ROLLBACK");
    return s;
  }

  Result<int64_t> RecordCatalogChange(const std::string& kind, const std::string& key,
                                      const std::string& origin) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st,
        lease->Prepare(
            "INSERT INTO catalog_changes (kind, key, origin, at) VALUES (?,?,?,?) RETURNING seq"));
    st->Bind(1, kind).Bind(2, key).Bind(3, origin).Bind(4, NowMicros());
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    int64_t seq = row ? st->Int(0) : 0;
    ODP_RETURN_IF_ERROR(st->Run());
    // Delivered when the surrounding transaction (if any) commits.
    if (postgres()) ODP_RETURN_IF_ERROR(lease->Exec("NOTIFY odp_catalog"));
    return seq;
  }
  Result<std::vector<CatalogChange>> ListCatalogChanges(int64_t after, int limit) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("SELECT seq, kind, key, origin, at FROM catalog_changes "
                                        "WHERE seq > ? ORDER BY seq LIMIT ?"));
    st->Bind(1, after).Bind(2, limit);
    std::vector<CatalogChange> out;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      out.push_back({st->Int(0), st->Text(1), st->Text(2), st->Text(3), st->Int(4)});
    }
    return out;
  }
  Result<int64_t> CatalogGeneration() override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("SELECT COALESCE(MAX(seq), 0) FROM catalog_changes"));
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    return row ? st->Int(0) : int64_t{0};
  }
  Status PruneCatalogChanges(Micros before) override {
    // The latest change is kept, so that the numbering never restarts.
    return Write(
        "DELETE FROM catalog_changes WHERE at < ? AND seq < (SELECT MAX(seq) FROM catalog_changes)",
        [&](Statement& s) { s.Bind(1, before); });
  }
  Result<bool> WaitForCatalogChange(int timeout_ms) override {
    std::lock_guard lock(listen_mu_);
    if (!postgres()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      return false;
    }
    if (!listener_ || !listener_->Healthy()) {
      listener_.reset();
      auto c = factory_();
      if (!c.ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
        return c.status();
      }
      listener_ = std::move(c).value();
      ODP_RETURN_IF_ERROR(listener_->Exec("LISTEN odp_catalog"));
      return true;  // anything may have happened while no one listened
    }
    return listener_->WaitForNotification(timeout_ms);
  }

  // Organizations -------------------------------------------------------------------------
  Status InsertOrganization(const Organization& o) override {
    return Write(
        "INSERT INTO organizations (" + std::string(kOrgCols) + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [&](Statement& s) { BindOrg(s, o); });
  }
  Status UpdateOrganization(const Organization& o) override {
    return WriteOne(
        "UPDATE organizations SET id=?1, slug=?2, title_vi=?3, title_en=?4, "
        "description_vi=?5, description_en=?6, parent_id=?7, image_url=?8, email=?9, "
        "created=?10, modified=?11 WHERE id=?1",
        [&](Statement& s) { BindOrg(s, o); }, "organization", o.id);
  }
  Result<Organization> GetOrganization(const std::string& key) override {
    return GetOne<Organization>(
        "SELECT " + std::string(kOrgCols) + " FROM organizations WHERE id=?1 OR slug=?1", key,
        ReadOrg, "organization");
  }
  Result<std::vector<Organization>> ListOrganizations() override {
    return List<Organization>(
        "SELECT " + std::string(kOrgCols) + " FROM organizations ORDER BY slug", {}, ReadOrg);
  }

  // Groups ----------------------------------------------------------------------------------
  Status InsertGroup(const Group& g) override {
    return Write("INSERT INTO groups (" + std::string(kGroupCols) + ") VALUES (?,?,?,?,?,?,?,?,?)",
                 [&](Statement& s) { BindGroup(s, g); });
  }
  Status UpdateGroup(const Group& g) override {
    return WriteOne(
        "UPDATE groups SET id=?1, kind=?2, slug=?3, title_vi=?4, title_en=?5, "
        "description_vi=?6, description_en=?7, position=?8, created=?9 WHERE id=?1",
        [&](Statement& s) { BindGroup(s, g); }, "group", g.id);
  }
  Result<Group> GetGroup(const std::string& key) override {
    return GetOne<Group>(
        "SELECT " + std::string(kGroupCols) + " FROM groups WHERE id=?1 OR slug=?1", key, ReadGroup,
        "group");
  }
  Result<std::vector<Group>> ListGroups() override {
    return List<Group>(
        "SELECT " + std::string(kGroupCols) + " FROM groups ORDER BY kind, position, slug", {},
        ReadGroup);
  }

  // Licences --------------------------------------------------------------------------------
  Status UpsertLicense(const License& l) override {
    return Write(
        "INSERT INTO licenses (id, title_vi, title_en, url, is_open, position) VALUES "
        "(?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET title_vi=excluded.title_vi, title_en=excluded.title_en, "
        "url=excluded.url, is_open=excluded.is_open, position=excluded.position",
        [&](Statement& s) {
          s.Bind(1, l.id)
              .Bind(2, l.title_vi)
              .Bind(3, l.title_en)
              .Bind(4, l.url)
              .Bind(5, l.is_open)
              .Bind(6, l.position);
        });
  }
  Result<std::vector<License>> ListLicenses() override {
    return List<License>(
        "SELECT id, title_vi, title_en, url, is_open, position FROM licenses ORDER BY position, id",
        {}, [](const Statement& s) {
          License l;
          l.id = s.Text(0);
          l.title_vi = s.Text(1);
          l.title_en = s.Text(2);
          l.url = s.Text(3);
          l.is_open = s.Int(4) != 0;
          l.position = static_cast<int>(s.Int(5));
          return l;
        });
  }

  // Datasets --------------------------------------------------------------------------------
  Status InsertDataset(const Dataset& d) override {
    return Write(
        "INSERT INTO datasets (id, slug, organization_id, state, access, doc, created, modified) "
        "VALUES (?,?,?,?,?,?,?,?)",
        [&](Statement& s) { BindDataset(s, d); });
  }
  Status UpdateDataset(const Dataset& d) override {
    return WriteOne(
        "UPDATE datasets SET id=?1, slug=?2, organization_id=?3, state=?4, access=?5, doc=?6, "
        "created=?7, modified=?8 WHERE id=?1",
        [&](Statement& s) { BindDataset(s, d); }, "dataset", d.id);
  }
  Result<Dataset> GetDataset(const std::string& key) override {
    return GetOne<Dataset>(
        "SELECT id, slug, organization_id, state, access, doc, created, modified FROM datasets "
        "WHERE id=?1 OR slug=?1",
        key, ReadDataset, "dataset");
  }
  Result<std::vector<Dataset>> ListDatasets() override {
    return List<Dataset>(
        "SELECT id, slug, organization_id, state, access, doc, created, modified FROM datasets "
        "ORDER BY slug",
        {}, ReadDataset);
  }

  // Resources -------------------------------------------------------------------------------
  Status InsertResource(const Resource& r) override {
    return Write(
        "INSERT INTO resources (id, dataset_id, position, doc, created, modified) VALUES "
        "(?,?,?,?,?,?)",
        [&](Statement& s) { BindResource(s, r); });
  }
  Status UpdateResource(const Resource& r) override {
    return WriteOne(
        "UPDATE resources SET id=?1, dataset_id=?2, position=?3, doc=?4, created=?5, modified=?6 "
        "WHERE id=?1",
        [&](Statement& s) { BindResource(s, r); }, "resource", r.id);
  }
  Status DeleteResource(const std::string& id) override {
    return Transaction([&] {
      ODP_RETURN_IF_ERROR(Write("DELETE FROM resource_versions WHERE resource_id=?",
                                [&](Statement& s) { s.Bind(1, id); }));
      return WriteOne(
          "DELETE FROM resources WHERE id=?1", [&](Statement& s) { s.Bind(1, id); }, "resource",
          id);
    });
  }
  Result<Resource> GetResource(const std::string& id) override {
    return GetOne<Resource>(
        "SELECT id, dataset_id, position, doc, created, modified FROM resources WHERE id=?1", id,
        ReadResource, "resource");
  }
  Result<std::vector<Resource>> ListResources(const std::string& dataset_id) override {
    return List<Resource>(
        "SELECT id, dataset_id, position, doc, created, modified FROM resources WHERE dataset_id=? "
        "ORDER BY position, created",
        {dataset_id}, ReadResource);
  }
  Result<std::vector<Resource>> ListAllResources() override {
    return List<Resource>(
        "SELECT id, dataset_id, position, doc, created, modified FROM resources "
        "ORDER BY dataset_id, position, created",
        {}, ReadResource);
  }
  Status InsertResourceVersion(const ResourceVersion& v) override {
    return Write(
        "INSERT INTO resource_versions (resource_id, version, sha256, size, filename, mimetype, "
        "created_by, created) VALUES (?,?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, v.resource_id)
              .Bind(2, v.version)
              .Bind(3, v.sha256)
              .Bind(4, v.size)
              .Bind(5, v.filename)
              .Bind(6, v.mimetype)
              .Bind(7, v.created_by)
              .Bind(8, v.created);
        });
  }
  Result<std::vector<ResourceVersion>> ListResourceVersions(
      const std::string& resource_id) override {
    return List<ResourceVersion>(
        "SELECT resource_id, version, sha256, size, filename, mimetype, created_by, created "
        "FROM resource_versions WHERE resource_id=? ORDER BY version",
        {resource_id}, [](const Statement& s) {
          ResourceVersion v;
          v.resource_id = s.Text(0);
          v.version = static_cast<int>(s.Int(1));
          v.sha256 = s.Text(2);
          v.size = s.Int(3);
          v.filename = s.Text(4);
          v.mimetype = s.Text(5);
          v.created_by = s.Text(6);
          v.created = s.Int(7);
          return v;
        });
  }

  // History ---------------------------------------------------------------------------------
  Status InsertDatasetEvent(const DatasetEvent& e) override {
    return Write(
        "INSERT INTO dataset_events (dataset_id, actor_id, action, from_state, to_state, reason, "
        "at) "
        "VALUES (?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, e.dataset_id)
              .Bind(2, e.actor_id)
              .Bind(3, e.action)
              .Bind(4, e.from_state)
              .Bind(5, e.to_state)
              .Bind(6, e.reason)
              .Bind(7, e.at);
        });
  }
  Result<std::vector<DatasetEvent>> ListDatasetEvents(const std::string& dataset_id) override {
    return List<DatasetEvent>(
        "SELECT id, dataset_id, actor_id, action, from_state, to_state, reason, at "
        "FROM dataset_events WHERE dataset_id=? ORDER BY id",
        {dataset_id}, [](const Statement& s) {
          DatasetEvent e;
          e.id = s.Int(0);
          e.dataset_id = s.Text(1);
          e.actor_id = s.Text(2);
          e.action = s.Text(3);
          e.from_state = s.Text(4);
          e.to_state = s.Text(5);
          e.reason = s.Text(6);
          e.at = s.Int(7);
          return e;
        });
  }

  // Accounts --------------------------------------------------------------------------------
  Status InsertUser(const User& u) override {
    return Write("INSERT INTO users (" + std::string(kUserCols) + ") VALUES (?,?,?,?,?,?,?,?)",
                 [&](Statement& s) { BindUser(s, u); });
  }
  Status UpdateUser(const User& u) override {
    return WriteOne(
        "UPDATE users SET id=?1, username=?2, email=?3, display_name=?4, "
        "password_hash=?5, sysadmin=?6, disabled=?7, created=?8 WHERE id=?1",
        [&](Statement& s) { BindUser(s, u); }, "user", u.id);
  }
  Result<User> GetUser(const std::string& key) override {
    return GetOne<User>(
        "SELECT " + std::string(kUserCols) + " FROM users WHERE id=?1 OR username=?1", key,
        ReadUser, "user");
  }
  Result<User> GetUserByEmail(const std::string& email) override {
    return GetOne<User>(
        "SELECT " + std::string(kUserCols) + " FROM users WHERE lower(email)=lower(?1)", email,
        ReadUser, "user");
  }
  Result<std::vector<User>> ListUsers() override {
    return List<User>("SELECT " + std::string(kUserCols) + " FROM users ORDER BY username", {},
                      ReadUser);
  }
  Status PutMembership(const Membership& m) override {
    return Write(
        "INSERT INTO memberships (user_id, organization_id, role) VALUES (?,?,?) "
        "ON CONFLICT(user_id, organization_id) DO UPDATE SET role=excluded.role",
        [&](Statement& s) {
          s.Bind(1, m.user_id).Bind(2, m.organization_id).Bind(3, ToString(m.role));
        });
  }
  Status DeleteMembership(const std::string& user_id, const std::string& org_id) override {
    return Write("DELETE FROM memberships WHERE user_id=? AND organization_id=?",
                 [&](Statement& s) { s.Bind(1, user_id).Bind(2, org_id); });
  }
  Result<std::vector<Membership>> ListMembershipsOfUser(const std::string& user_id) override {
    return List<Membership>(
        "SELECT user_id, organization_id, role FROM memberships WHERE user_id=? ORDER BY "
        "organization_id",
        {user_id}, ReadMembership);
  }
  Result<std::vector<Membership>> ListMembershipsOfOrganization(
      const std::string& org_id) override {
    return List<Membership>(
        "SELECT user_id, organization_id, role FROM memberships WHERE organization_id=? ORDER BY "
        "user_id",
        {org_id}, ReadMembership);
  }

  Status InsertToken(const ApiToken& t) override {
    return Write("INSERT INTO api_tokens (" + std::string(kTokenCols) + ") VALUES (?,?,?,?,?,?,?)",
                 [&](Statement& s) {
                   s.Bind(1, t.id)
                       .Bind(2, t.user_id)
                       .Bind(3, t.name)
                       .Bind(4, t.token_hash)
                       .Bind(5, t.created)
                       .Bind(6, t.last_used)
                       .Bind(7, t.revoked);
                 });
  }
  Result<ApiToken> GetTokenByHash(const std::string& hash) override {
    return GetOne<ApiToken>(
        "SELECT " + std::string(kTokenCols) + " FROM api_tokens WHERE token_hash=?1", hash,
        ReadToken, "token");
  }
  Result<std::vector<ApiToken>> ListTokens(const std::string& user_id) override {
    return List<ApiToken>(
        "SELECT " + std::string(kTokenCols) + " FROM api_tokens WHERE user_id=? ORDER BY created",
        {user_id}, ReadToken);
  }
  Status RevokeToken(const std::string& user_id, const std::string& token_id) override {
    return WriteOne(
        "UPDATE api_tokens SET revoked=1 WHERE id=?1 AND user_id=?2",
        [&](Statement& s) { s.Bind(1, token_id).Bind(2, user_id); }, "token", token_id);
  }
  Status TouchToken(const std::string& token_id, Micros at) override {
    return Write("UPDATE api_tokens SET last_used=? WHERE id=?",
                 [&](Statement& s) { s.Bind(1, at).Bind(2, token_id); });
  }

  Status RevokeTokensOfUser(const std::string& user_id) override {
    return Write("UPDATE api_tokens SET revoked=1 WHERE user_id=?",
                 [&](Statement& s) { s.Bind(1, user_id); });
  }

  Status InsertSession(const Session& x) override {
    return Write(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created, expires) VALUES (?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, x.id_hash)
              .Bind(2, x.user_id)
              .Bind(3, x.csrf_token)
              .Bind(4, x.created)
              .Bind(5, x.expires);
        });
  }
  Result<Session> GetSession(const std::string& hash) override {
    return GetOne<Session>(
        "SELECT id_hash, user_id, csrf_token, created, expires FROM sessions WHERE id_hash=?1",
        hash,
        [](const Statement& s) {
          Session x;
          x.id_hash = s.Text(0);
          x.user_id = s.Text(1);
          x.csrf_token = s.Text(2);
          x.created = s.Int(3);
          x.expires = s.Int(4);
          return x;
        },
        "session");
  }
  Status DeleteSession(const std::string& hash) override {
    return Write("DELETE FROM sessions WHERE id_hash=?", [&](Statement& s) { s.Bind(1, hash); });
  }
  Status DeleteExpiredSessions(Micros now) override {
    return Write("DELETE FROM sessions WHERE expires < ?", [&](Statement& s) { s.Bind(1, now); });
  }
  Status DeleteSessionsOfUser(const std::string& user_id) override {
    return Write("DELETE FROM sessions WHERE user_id=?", [&](Statement& s) { s.Bind(1, user_id); });
  }
  Status DeleteOtherSessionsOfUser(const std::string& user_id,
                                   const std::string& keep_hash) override {
    return Write("DELETE FROM sessions WHERE user_id=? AND id_hash<>?",
                 [&](Statement& s) { s.Bind(1, user_id).Bind(2, keep_hash); });
  }

  Result<LoginFailures> GetLoginFailures(const std::string& key) override {
    return GetOne<LoginFailures>(
        "SELECT key, failures, last_failure FROM login_failures WHERE key=?1", key,
        [](const Statement& s) {
          return LoginFailures{s.Text(0), s.Int(1), s.Int(2)};
        },
        "login failures");
  }
  Result<LoginFailures> AddLoginFailure(const std::string& key, Micros now,
                                        Micros forget_before) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare(
                     "INSERT INTO login_failures (key, failures, last_failure) VALUES (?1, 1, ?2) "
                     "ON CONFLICT(key) DO UPDATE SET failures=CASE WHEN "
                     "login_failures.last_failure < ?3 THEN 1 "
                     "ELSE login_failures.failures + 1 END, last_failure=excluded.last_failure "
                     "RETURNING key, failures, last_failure"));
    st->Bind(1, key).Bind(2, now).Bind(3, forget_before);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return Status::Internal("login failure not counted");
    LoginFailures f{st->Text(0), st->Int(1), st->Int(2)};
    ODP_RETURN_IF_ERROR(st->Run());
    return f;
  }
  Status ClearLoginFailures(const std::string& key) override {
    return Write("DELETE FROM login_failures WHERE key=?", [&](Statement& s) { s.Bind(1, key); });
  }

  Status InsertPrivacyConsent(const PrivacyConsent& c) override {
    return Write(
        "INSERT INTO privacy_consents (user_id, notice_version, accepted) VALUES (?,?,?) "
        "ON CONFLICT(user_id, notice_version) DO NOTHING",
        [&](Statement& s) {
          s.Bind(1, c.user_id).Bind(2, static_cast<int64_t>(c.notice_version)).Bind(3, c.accepted);
        });
  }
  Result<std::vector<PrivacyConsent>> ListPrivacyConsents(const std::string& user_id) override {
    return List<PrivacyConsent>(
        "SELECT user_id, notice_version, accepted FROM privacy_consents WHERE user_id=? "
        "ORDER BY notice_version DESC",
        {user_id}, [](const Statement& s) {
          return PrivacyConsent{s.Text(0), static_cast<int>(s.Int(1)), s.Int(2)};
        });
  }

  Status InsertAccountLink(const AccountLink& l) override {
    return Write(
        "INSERT INTO account_links (token_hash, kind, user_id, created_by, created, expires, used) "
        "VALUES (?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, l.token_hash).Bind(2, l.kind).Bind(3, l.user_id).Bind(4, l.created_by);
          s.Bind(5, l.created).Bind(6, l.expires).Bind(7, l.used);
        });
  }
  Result<AccountLink> GetAccountLink(const std::string& token_hash) override {
    return GetOne<AccountLink>(
        "SELECT token_hash, kind, user_id, created_by, created, expires, used FROM account_links "
        "WHERE token_hash=?1",
        token_hash, ReadAccountLink, "link");
  }
  Status UseAccountLink(const std::string& token_hash, Micros now) override {
    return WriteOne(
        "UPDATE account_links SET used=?2 WHERE token_hash=?1 AND used=0 AND expires>?2",
        [&](Statement& s) { s.Bind(1, token_hash).Bind(2, now); }, "link", "");
  }
  Result<int> RevokeAccountLinks(const std::string& user_id, const std::string& kind,
                                 Micros now) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st,
        lease->Prepare("UPDATE account_links SET used=?3 WHERE user_id=?1 AND kind=?2 AND used=0"));
    st->Bind(1, user_id).Bind(2, kind).Bind(3, now);
    ODP_RETURN_IF_ERROR(st->Run());
    return static_cast<int>(lease->Changes());
  }
  Result<std::vector<AccountLink>> ListAccountLinks(const std::string& kind) override {
    return List<AccountLink>(
        "SELECT token_hash, kind, user_id, created_by, created, expires, used FROM account_links "
        "WHERE kind=? AND used=0 ORDER BY created DESC, token_hash",
        {kind}, ReadAccountLink);
  }

  // ---- Follows (store/follow_store.h) ----

  static constexpr const char* kFollowColumns =
      "id, email, kind, target_id, lang, confirm_hash, confirm_expires, unsubscribe_token, "
      "created, confirmed, last_seen";

  Status InsertFollow(const FollowRecord& f) override {
    return Write(
        std::string("INSERT INTO follows (") + kFollowColumns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, f.id).Bind(2, f.email).Bind(3, f.kind).Bind(4, f.target_id);
          s.Bind(5, f.lang).Bind(6, f.confirm_hash).Bind(7, f.confirm_expires);
          s.Bind(8, f.unsubscribe_token).Bind(9, f.created).Bind(10, f.confirmed);
          s.Bind(11, f.last_seen);
        });
  }
  Result<FollowRecord> GetFollow(const std::string& id) override {
    return GetOne<FollowRecord>(
        std::string("SELECT ") + kFollowColumns + " FROM follows WHERE id=?1", id, ReadFollowRow,
        "follow");
  }
  Result<FollowRecord> FindFollow(const std::string& email, const std::string& kind,
                                  const std::string& target_id) override {
    ODP_ASSIGN_OR_RETURN(auto rows, List<FollowRecord>(std::string("SELECT ") + kFollowColumns +
                                                           " FROM follows WHERE email=? AND "
                                                           "kind=? AND target_id=?",
                                                       {email, kind, target_id}, ReadFollowRow));
    if (rows.empty()) return Status::NotFound("follow", kind + " " + target_id);
    return rows.front();
  }
  Result<FollowRecord> FindFollowByConfirmHash(const std::string& confirm_hash) override {
    if (confirm_hash.empty()) return Status::NotFound("follow", "");
    return GetOne<FollowRecord>(
        std::string("SELECT ") + kFollowColumns + " FROM follows WHERE confirm_hash=?1",
        confirm_hash, ReadFollowRow, "follow");
  }
  Result<FollowRecord> FindFollowByUnsubscribeToken(const std::string& token) override {
    if (token.empty()) return Status::NotFound("follow", "");
    return GetOne<FollowRecord>(
        std::string("SELECT ") + kFollowColumns + " FROM follows WHERE unsubscribe_token=?1", token,
        ReadFollowRow, "follow");
  }
  Status SetFollowConfirmation(const std::string& id, const std::string& confirm_hash,
                               Micros expires) override {
    return WriteOne(
        "UPDATE follows SET confirm_hash=?2, confirm_expires=?3 WHERE id=?1 AND confirmed=0",
        [&](Statement& s) { s.Bind(1, id).Bind(2, confirm_hash).Bind(3, expires); }, "follow", id);
  }
  Status ConfirmFollow(const std::string& confirm_hash, Micros now, Micros last_seen) override {
    if (confirm_hash.empty()) return Status::NotFound("follow", "");
    return WriteOne(
        "UPDATE follows SET confirmed=?2, confirm_hash='', last_seen=?3 "
        "WHERE confirm_hash=?1 AND confirmed=0 AND confirm_expires>?2",
        [&](Statement& s) { s.Bind(1, confirm_hash).Bind(2, now).Bind(3, last_seen); }, "follow",
        "");
  }
  Result<bool> AdvanceFollow(const std::string& id, Micros from, Micros to) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare("UPDATE follows SET last_seen=?3 WHERE id=?1 AND last_seen=?2"));
    st->Bind(1, id).Bind(2, from).Bind(3, to);
    ODP_RETURN_IF_ERROR(st->Run());
    return lease->Changes() > 0;
  }
  Status DeleteFollow(const std::string& id) override {
    return WriteOne(
        "DELETE FROM follows WHERE id=?1", [&](Statement& s) { s.Bind(1, id); }, "follow", id);
  }
  Result<std::vector<FollowRecord>> ListConfirmedFollows() override {
    return List<FollowRecord>(std::string("SELECT ") + kFollowColumns +
                                  " FROM follows WHERE confirmed>0 ORDER BY confirmed, id",
                              {}, ReadFollowRow);
  }
  Result<int> DeleteUnconfirmedFollows(Micros before) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("DELETE FROM follows WHERE confirmed=0 AND created<?1"));
    st->Bind(1, before);
    ODP_RETURN_IF_ERROR(st->Run());
    return static_cast<int>(lease->Changes());
  }
  Status InsertFollowRequest(const FollowRequestRecord& r, Micros forget_before) override {
    return Transaction([&] {
      ODP_RETURN_IF_ERROR(Write("DELETE FROM follow_requests WHERE at<?1",
                                [&](Statement& s) { s.Bind(1, forget_before); }));
      return Write(
          "INSERT INTO follow_requests (id, email, client, at) VALUES (?,?,?,?)",
          [&](Statement& s) { s.Bind(1, r.id).Bind(2, r.email).Bind(3, r.client).Bind(4, r.at); });
    });
  }
  Result<int> CountFollowRequestsByEmail(const std::string& email, Micros since) override {
    return CountFollowRequests("email", email, since);
  }
  Result<int> CountFollowRequestsByClient(const std::string& client, Micros since) override {
    return CountFollowRequests("client", client, since);
  }
  // `column` is "email" or "client", never a caller's text.
  Result<int> CountFollowRequests(const char* column, const std::string& value, Micros since) {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare(std::string("SELECT COUNT(*) FROM follow_requests WHERE ") +
                                        column + "=?1 AND at>=?2"));
    st->Bind(1, value).Bind(2, since);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    return row ? static_cast<int>(st->Int(0)) : 0;
  }
  // External identities (store/identity_store.h) -------------------------------------------
  Status InsertExternalIdentity(const ExternalIdentity& e) override {
    return Write(
        "INSERT INTO external_identities (issuer, subject, user_id, email, created, last_used) "
        "VALUES (?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, e.issuer).Bind(2, e.subject).Bind(3, e.user_id).Bind(4, e.email);
          s.Bind(5, e.created).Bind(6, e.last_used);
        });
  }
  Result<ExternalIdentity> GetExternalIdentity(const std::string& issuer,
                                               const std::string& subject) override {
    ODP_ASSIGN_OR_RETURN(
        auto list,
        List<ExternalIdentity>("SELECT " + std::string(kIdentityCols) +
                                   " FROM external_identities WHERE issuer=? AND subject=?",
                               {issuer, subject}, ReadIdentity));
    if (list.empty()) return Status::NotFound("identity", subject);
    return list.front();
  }
  Result<std::vector<ExternalIdentity>> ListExternalIdentities(
      const std::string& user_id) override {
    return List<ExternalIdentity>("SELECT " + std::string(kIdentityCols) +
                                      " FROM external_identities WHERE user_id=? "
                                      "ORDER BY created, issuer, subject",
                                  {user_id}, ReadIdentity);
  }
  Status TouchExternalIdentity(const std::string& issuer, const std::string& subject,
                               Micros at) override {
    return WriteOne(
        "UPDATE external_identities SET last_used=? WHERE issuer=? AND subject=?",
        [&](Statement& s) { s.Bind(1, at).Bind(2, issuer).Bind(3, subject); }, "identity", subject);
  }
  Status DeleteExternalIdentity(const std::string& user_id, const std::string& issuer,
                                const std::string& subject) override {
    return WriteOne(
        "DELETE FROM external_identities WHERE user_id=? AND issuer=? AND subject=?",
        [&](Statement& s) { s.Bind(1, user_id).Bind(2, issuer).Bind(3, subject); }, "identity",
        subject);
  }
  Status InsertSignInState(const SignInState& st) override {
    return Write(
        "INSERT INTO oidc_sign_ins (state_hash, issuer, nonce, code_verifier, return_to, "
        "link_user_id, lang, created, expires) VALUES (?,?,?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, st.state_hash).Bind(2, st.issuer).Bind(3, st.nonce).Bind(4, st.code_verifier);
          s.Bind(5, st.return_to).Bind(6, st.link_user_id).Bind(7, st.lang);
          s.Bind(8, st.created).Bind(9, st.expires);
        });
  }
  Result<SignInState> TakeSignInState(const std::string& state_hash) override {
    // DELETE … RETURNING: the row goes to exactly one caller, on both back-ends.
    ODP_ASSIGN_OR_RETURN(
        auto list, List<SignInState>(
                       "DELETE FROM oidc_sign_ins WHERE state_hash=? RETURNING state_hash, "
                       "issuer, nonce, code_verifier, return_to, link_user_id, lang, created, "
                       "expires",
                       {state_hash}, [](const Statement& s) {
                         return SignInState{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4),
                                            s.Text(5), s.Text(6), s.Int(7),  s.Int(8)};
                       }));
    if (list.empty()) return Status::NotFound("sign-in", "");
    return list.front();
  }
  Status DeleteExpiredSignInStates(Micros now) override {
    return Write("DELETE FROM oidc_sign_ins WHERE expires<?",
                 [&](Statement& s) { s.Bind(1, now); });
  }

  Status PutPublishedSnapshot(const std::string& dataset_id, const std::string& snapshot,
                              Micros at) override {
    return Write(
        "INSERT INTO published_snapshots (dataset_id, snapshot, at) VALUES (?,?,?) "
        "ON CONFLICT(dataset_id) DO UPDATE SET snapshot=excluded.snapshot, at=excluded.at",
        [&](Statement& s) { s.Bind(1, dataset_id).Bind(2, snapshot).Bind(3, at); });
  }
  Result<std::string> GetPublishedSnapshot(const std::string& dataset_id) override {
    return GetOne<std::string>(
        "SELECT snapshot FROM published_snapshots WHERE dataset_id=?1", dataset_id,
        [](const Statement& s) { return s.Text(0); }, "published snapshot");
  }

  Status AddUsage(const std::vector<UsageCount>& counts) override {
    return Transaction([&]() -> Status {
      for (const UsageCount& c : counts) {
        ODP_RETURN_IF_ERROR(
            Write("INSERT INTO usage_counts (day, kind, format, dataset_id, resource_id, "
                  "organization_id, count) "
                  "VALUES (?,?,?,?,?,?,?) ON CONFLICT(day, kind, format, dataset_id, resource_id) "
                  "DO UPDATE SET count=usage_counts.count+excluded.count",
                  [&](Statement& s) {
                    s.Bind(1, c.day).Bind(2, c.kind).Bind(3, c.format).Bind(4, c.dataset_id);
                    s.Bind(5, c.resource_id).Bind(6, c.organization_id).Bind(7, c.count);
                  }));
      }
      return Status::Ok();
    });
  }
  Result<std::vector<UsageCount>> ListUsageByMonth() override {
    return List<UsageCount>(
        "SELECT substr(day, 1, 7), kind, format, dataset_id, resource_id, MIN(organization_id), "
        "SUM(count) "
        "FROM usage_counts GROUP BY substr(day, 1, 7), kind, format, dataset_id, resource_id",
        {}, [](const Statement& s) {
          return UsageCount{s.Text(0), s.Text(1), s.Text(2), s.Text(3),
                            s.Text(4), s.Text(5), s.Int(6)};
        });
  }

  Result<std::string> GetSetting(const std::string& key) override {
    return GetOne<std::string>(
        "SELECT value FROM settings WHERE key=?1", key,
        [](const Statement& s) { return s.Text(0); }, "setting");
  }
  Status PutSetting(const std::string& key, const std::string& value) override {
    return Write(
        "INSERT INTO settings (key, value) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET "
        "value=excluded.value",
        [&](Statement& s) { s.Bind(1, key).Bind(2, value); });
  }

  // Consumer systems ----------------------------------------------------------------------------
  static void BindConsumer(Statement& s, const ConsumerSystem& c) {
    s.Bind(1, c.id)
        .Bind(2, c.organization_id)
        .Bind(3, c.agency_code)
        .Bind(4, c.system_code)
        .Bind(5, c.name)
        .Bind(6, c.description)
        .Bind(7, c.contacts)
        .Bind(8, c.technical_name)
        .Bind(9, c.technical_email)
        .Bind(10, c.technical_phone)
        .Bind(11, c.state)
        .Bind(12, c.reason)
        .Bind(13, c.registered_by)
        .Bind(14, c.decided_by)
        .Bind(15, c.created)
        .Bind(16, c.decided)
        .Bind(17, c.modified);
  }
  Status InsertConsumerSystem(const ConsumerSystem& c) override {
    return Write("INSERT INTO consumer_systems (" + std::string(kConsumerCols) +
                     ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)",
                 [&](Statement& s) { BindConsumer(s, c); });
  }
  Status UpdateConsumerSystem(const ConsumerSystem& c, const std::string& from_state) override {
    Status s = WriteOne(
        "UPDATE consumer_systems SET organization_id=?2, agency_code=?3, system_code=?4, name=?5, "
        "description=?6, contacts=?7, technical_name=?8, technical_email=?9, technical_phone=?10, "
        "state=?11, reason=?12, registered_by=?13, decided_by=?14, created=?15, decided=?16, "
        "modified=?17 WHERE id=?1 AND state=?18",
        [&](Statement& st) {
          BindConsumer(st, c);
          st.Bind(18, from_state);
        },
        "consumer system", c.id);
    if (s.code() != StatusCode::kNotFound) return s;
    return Status::Conflict(
        "consumer system " + c.id + " is no longer " + from_state,
        "Hệ thống kết nối vừa được người khác thay đổi trạng thái; hãy tải lại trang");
  }
  Result<ConsumerSystem> GetConsumerSystem(const std::string& id) override {
    return GetOne<ConsumerSystem>(
        "SELECT " + std::string(kConsumerCols) + " FROM consumer_systems WHERE id=?1", id,
        ReadConsumer, "consumer system");
  }
  Result<std::vector<ConsumerSystem>> ListConsumerSystems(
      const std::string& organization_id) override {
    if (organization_id.empty()) {
      return List<ConsumerSystem>("SELECT " + std::string(kConsumerCols) +
                                      " FROM consumer_systems ORDER BY created DESC, id",
                                  {}, ReadConsumer);
    }
    return List<ConsumerSystem>(
        "SELECT " + std::string(kConsumerCols) +
            " FROM consumer_systems WHERE organization_id=? ORDER BY created DESC, id",
        {organization_id}, ReadConsumer);
  }

  Status InsertConsumerCredential(const ConsumerCredential& c) override {
    return Write("INSERT INTO consumer_credentials (" + std::string(kCredentialCols) +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 [&](Statement& s) {
                   s.Bind(1, c.id)
                       .Bind(2, c.system_id)
                       .Bind(3, c.kind)
                       .Bind(4, c.name)
                       .Bind(5, c.lookup)
                       .Bind(6, c.secret_hash)
                       .Bind(7, c.created_by)
                       .Bind(8, c.created)
                       .Bind(9, c.expires)
                       .Bind(10, c.last_used)
                       .Bind(11, c.revoked);
                 });
  }
  Result<ConsumerCredential> GetConsumerCredential(const std::string& id) override {
    return GetOne<ConsumerCredential>(
        "SELECT " + std::string(kCredentialCols) + " FROM consumer_credentials WHERE id=?1", id,
        ReadCredential, "credential");
  }
  Result<ConsumerCredential> FindConsumerCredentialByHash(const std::string& hash) override {
    return GetOne<ConsumerCredential>("SELECT " + std::string(kCredentialCols) +
                                          " FROM consumer_credentials WHERE secret_hash=?1",
                                      hash, ReadCredential, "credential");
  }
  Result<ConsumerCredential> FindConsumerCredentialByLookup(const std::string& kind,
                                                            const std::string& lookup) override {
    ODP_ASSIGN_OR_RETURN(auto found, List<ConsumerCredential>(
                                         "SELECT " + std::string(kCredentialCols) +
                                             " FROM consumer_credentials WHERE kind=? AND lookup=?",
                                         {kind, lookup}, ReadCredential));
    if (found.empty()) return Status::NotFound("credential", lookup);
    return found.front();
  }
  Result<std::vector<ConsumerCredential>> ListConsumerCredentials(
      const std::string& system_id) override {
    return List<ConsumerCredential>(
        "SELECT " + std::string(kCredentialCols) +
            " FROM consumer_credentials WHERE system_id=? ORDER BY created, id",
        {system_id}, ReadCredential);
  }
  Status RevokeConsumerCredential(const std::string& id, Micros at) override {
    return WriteOne(
        "UPDATE consumer_credentials SET revoked=?2 WHERE id=?1 AND revoked=0",
        [&](Statement& s) { s.Bind(1, id).Bind(2, at); }, "credential", id);
  }
  Status RevokeConsumerCredentialsOf(const std::string& system_id, Micros at) override {
    return Write("UPDATE consumer_credentials SET revoked=?2 WHERE system_id=?1 AND revoked=0",
                 [&](Statement& s) { s.Bind(1, system_id).Bind(2, at); });
  }
  Status TouchConsumerCredential(const std::string& id, Micros at) override {
    return Write("UPDATE consumer_credentials SET last_used=? WHERE id=?",
                 [&](Statement& s) { s.Bind(1, at).Bind(2, id); });
  }

  Status InsertSigningKey(const SigningKey& k) override {
    return Write(
        "INSERT INTO signing_keys (" + std::string(kSigningKeyCols) + ") VALUES (?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, k.kid)
              .Bind(2, k.public_key)
              .Bind(3, k.secret_key)
              .Bind(4, k.created)
              .Bind(5, k.retired);
        });
  }
  Result<std::vector<SigningKey>> ListSigningKeys() override {
    return List<SigningKey>(
        "SELECT " + std::string(kSigningKeyCols) + " FROM signing_keys ORDER BY created DESC, kid",
        {}, ReadSigningKey);
  }
  Result<SigningKey> GetSigningKey(const std::string& kid) override {
    return GetOne<SigningKey>(
        "SELECT " + std::string(kSigningKeyCols) + " FROM signing_keys WHERE kid=?1", kid,
        ReadSigningKey, "signing key");
  }
  Status RetireSigningKey(const std::string& kid, Micros at) override {
    return WriteOne(
        "UPDATE signing_keys SET retired=?2 WHERE kid=?1 AND retired=0",
        [&](Statement& s) { s.Bind(1, kid).Bind(2, at); }, "signing key", kid);
  }

  // Inter-agency sharing (store/sharing_store.h) -------------------------------------------------
  static constexpr const char* kServiceCols =
      "id, organization_id, dataset_id, resource_id, state, doc, created_by, created, modified";
  static SharedServiceRecord ReadService(const Statement& s) {
    SharedServiceRecord r;
    r.id = s.Text(0);
    r.organization_id = s.Text(1);
    r.dataset_id = s.Text(2);
    r.resource_id = s.Text(3);
    r.state = s.Text(4);
    r.doc = s.Text(5);
    r.created_by = s.Text(6);
    r.created = s.Int(7);
    r.modified = s.Int(8);
    return r;
  }
  Status PutSharedService(const SharedServiceRecord& r) override {
    return Write("INSERT INTO shared_services (" + std::string(kServiceCols) +
                     ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(id) DO UPDATE SET "
                     "organization_id=excluded.organization_id, dataset_id=excluded.dataset_id, "
                     "resource_id=excluded.resource_id, state=excluded.state, doc=excluded.doc, "
                     "modified=excluded.modified",
                 [&](Statement& s) {
                   s.Bind(1, r.id)
                       .Bind(2, r.organization_id)
                       .Bind(3, r.dataset_id)
                       .Bind(4, r.resource_id)
                       .Bind(5, r.state)
                       .Bind(6, r.doc)
                       .Bind(7, r.created_by)
                       .Bind(8, r.created)
                       .Bind(9, r.modified);
                 });
  }
  Result<SharedServiceRecord> GetSharedService(const std::string& id) override {
    return GetOne<SharedServiceRecord>(
        "SELECT " + std::string(kServiceCols) + " FROM shared_services WHERE id=?1", id,
        ReadService, "shared service");
  }
  Result<std::vector<SharedServiceRecord>> ListSharedServices() override {
    return List<SharedServiceRecord>(
        "SELECT " + std::string(kServiceCols) + " FROM shared_services ORDER BY created DESC, id",
        {}, ReadService);
  }

  static constexpr const char* kRequestCols =
      "id, service_id, provider_org, requester_org, consumer_id, state, submitted, deadline, "
      "reminded, overdue_notified, letter_sha256, doc, created_by, created, modified";
  static SharingRequestRecord ReadRequest(const Statement& s) {
    SharingRequestRecord r;
    r.id = s.Text(0);
    r.service_id = s.Text(1);
    r.provider_org = s.Text(2);
    r.requester_org = s.Text(3);
    r.consumer_id = s.Text(4);
    r.state = s.Text(5);
    r.submitted = s.Int(6);
    r.deadline = s.Int(7);
    r.reminded = s.Int(8) != 0;
    r.overdue_notified = s.Int(9) != 0;
    r.letter_sha256 = s.Text(10);
    r.doc = s.Text(11);
    r.created_by = s.Text(12);
    r.created = s.Int(13);
    r.modified = s.Int(14);
    return r;
  }
  static void BindRequest(Statement& s, const SharingRequestRecord& r) {
    s.Bind(1, r.id)
        .Bind(2, r.service_id)
        .Bind(3, r.provider_org)
        .Bind(4, r.requester_org)
        .Bind(5, r.consumer_id)
        .Bind(6, r.state)
        .Bind(7, r.submitted)
        .Bind(8, r.deadline)
        .Bind(9, r.reminded)
        .Bind(10, r.overdue_notified)
        .Bind(11, r.letter_sha256)
        .Bind(12, r.doc)
        .Bind(13, r.created_by)
        .Bind(14, r.created)
        .Bind(15, r.modified);
  }
  Status InsertSharingRequest(const SharingRequestRecord& r) override {
    return Write("INSERT INTO sharing_requests (" + std::string(kRequestCols) +
                     ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
                 [&](Statement& s) { BindRequest(s, r); });
  }
  Status UpdateSharingRequest(const SharingRequestRecord& r,
                              const std::string& from_state) override {
    Status s = WriteOne(
        "UPDATE sharing_requests SET service_id=?2, provider_org=?3, requester_org=?4, "
        "consumer_id=?5, state=?6, submitted=?7, deadline=?8, reminded=?9, overdue_notified=?10, "
        "letter_sha256=?11, doc=?12, created_by=?13, created=?14, modified=?15 "
        "WHERE id=?1 AND state=?16",
        [&](Statement& st) {
          BindRequest(st, r);
          st.Bind(16, from_state);
        },
        "sharing request", r.id);
    if (s.code() != StatusCode::kNotFound) return s;
    return Status::Conflict("sharing request " + r.id + " is no longer " + from_state,
                            "Yêu cầu vừa được người khác xử lý; hãy tải lại trang");
  }
  Result<SharingRequestRecord> GetSharingRequest(const std::string& id) override {
    return GetOne<SharingRequestRecord>(
        "SELECT " + std::string(kRequestCols) + " FROM sharing_requests WHERE id=?1", id,
        ReadRequest, "sharing request");
  }
  Result<std::vector<SharingRequestRecord>> ListSharingRequests() override {
    return List<SharingRequestRecord>(
        "SELECT " + std::string(kRequestCols) + " FROM sharing_requests ORDER BY created DESC, id",
        {}, ReadRequest);
  }
  Result<bool> MarkSharingRequest(const std::string& id, const std::string& flag,
                                  Micros deadline) override {
    if (flag != "reminded" && flag != "overdue_notified") {
      return Status::InvalidArgument("unknown sharing request flag: " + flag);
    }
    Lease lease(*this);
    ODP_RETURN_IF_ERROR(Write(
        "UPDATE sharing_requests SET " + flag + "=1 WHERE id=? AND deadline=? AND " + flag + "=0",
        [&](Statement& s) { s.Bind(1, id).Bind(2, deadline); }));
    return lease->Changes() > 0;
  }

  Result<bool> ClaimNotice(const std::string& key, Micros at) override {
    if (key.empty() || key.size() > 200) {
      return Status::InvalidArgument("a notice key has 1 to 200 bytes");
    }
    Lease lease(*this);
    ODP_RETURN_IF_ERROR(
        Write("INSERT INTO notice_claims (key, at) VALUES (?,?) ON CONFLICT(key) DO NOTHING",
              [&](Statement& s) { s.Bind(1, key).Bind(2, at); }));
    return lease->Changes() > 0;
  }

  Status InsertSharingEvent(const SharingEventRecord& e) override {
    return Write(
        "INSERT INTO sharing_events (request_id, actor_id, action, from_state, to_state, note, "
        "doc, at) VALUES (?,?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.Bind(1, e.request_id)
              .Bind(2, e.actor_id)
              .Bind(3, e.action)
              .Bind(4, e.from_state)
              .Bind(5, e.to_state)
              .Bind(6, e.note)
              .Bind(7, e.doc)
              .Bind(8, e.at);
        });
  }
  Result<std::vector<SharingEventRecord>> ListSharingEvents(
      const std::string& request_id) override {
    return List<SharingEventRecord>(
        "SELECT seq, request_id, actor_id, action, from_state, to_state, note, doc, at FROM "
        "sharing_events WHERE request_id=? ORDER BY seq",
        {request_id}, [](const Statement& s) {
          SharingEventRecord e;
          e.seq = s.Int(0);
          e.request_id = s.Text(1);
          e.actor_id = s.Text(2);
          e.action = s.Text(3);
          e.from_state = s.Text(4);
          e.to_state = s.Text(5);
          e.note = s.Text(6);
          e.doc = s.Text(7);
          e.at = s.Int(8);
          return e;
        });
  }

  Status PutCalendarDay(const CalendarDayRecord& d) override {
    return Write(
        "INSERT INTO calendar_days (day, kind, note, updated_by, updated) VALUES (?,?,?,?,?) "
        "ON CONFLICT(day) DO UPDATE SET kind=excluded.kind, note=excluded.note, "
        "updated_by=excluded.updated_by, updated=excluded.updated",
        [&](Statement& s) {
          s.Bind(1, d.day).Bind(2, d.kind).Bind(3, d.note).Bind(4, d.updated_by).Bind(5, d.updated);
        });
  }
  Status DeleteCalendarDay(const std::string& day) override {
    return WriteOne(
        "DELETE FROM calendar_days WHERE day=?", [&](Statement& s) { s.Bind(1, day); },
        "calendar day", day);
  }
  Result<std::vector<CalendarDayRecord>> ListCalendarDays() override {
    return List<CalendarDayRecord>(
        "SELECT day, kind, note, updated_by, updated FROM calendar_days ORDER BY day", {},
        [](const Statement& s) {
          return CalendarDayRecord{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Int(4)};
        });
  }

  static constexpr const char* kNotificationCols =
      "id, user_id, kind, subject_id, text_vi, text_en, link, created, read_at";
  Status InsertNotification(const NotificationRecord& n) override {
    return Write("INSERT INTO notifications (" + std::string(kNotificationCols) +
                     ") VALUES (?,?,?,?,?,?,?,?,?)",
                 [&](Statement& s) {
                   s.Bind(1, n.id)
                       .Bind(2, n.user_id)
                       .Bind(3, n.kind)
                       .Bind(4, n.subject_id)
                       .Bind(5, n.text_vi)
                       .Bind(6, n.text_en)
                       .Bind(7, n.link)
                       .Bind(8, n.created)
                       .Bind(9, n.read);
                 });
  }
  Result<std::vector<NotificationRecord>> ListNotifications(const std::string& user_id,
                                                            int limit) override {
    return List<NotificationRecord>(
        "SELECT " + std::string(kNotificationCols) +
            " FROM notifications WHERE user_id=? ORDER BY created DESC, id LIMIT " +
            std::to_string(std::max(1, limit)),
        {user_id}, [](const Statement& s) {
          NotificationRecord n;
          n.id = s.Text(0);
          n.user_id = s.Text(1);
          n.kind = s.Text(2);
          n.subject_id = s.Text(3);
          n.text_vi = s.Text(4);
          n.text_en = s.Text(5);
          n.link = s.Text(6);
          n.created = s.Int(7);
          n.read = s.Int(8);
          return n;
        });
  }
  Result<int64_t> CountUnreadNotifications(const std::string& user_id) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st,
        lease->Prepare("SELECT COUNT(*) FROM notifications WHERE user_id=? AND read_at=0"));
    st->Bind(1, user_id);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    return row ? st->Int(0) : int64_t{0};
  }
  Status MarkNotificationsRead(const std::string& user_id, const std::string& id,
                               Micros at) override {
    if (id.empty()) {
      return Write("UPDATE notifications SET read_at=? WHERE user_id=? AND read_at=0",
                   [&](Statement& s) { s.Bind(1, at).Bind(2, user_id); });
    }
    return Write("UPDATE notifications SET read_at=? WHERE user_id=? AND id=? AND read_at=0",
                 [&](Statement& s) { s.Bind(1, at).Bind(2, user_id).Bind(3, id); });
  }
  // Audit log ---------------------------------------------------------------------------------
  static constexpr const char* kAuditCols =
      "seq, at, kind, actor, organization, subject, request_id, status, rows_answered, bytes, "
      "duration_us, body, prev_hash, hash";
  static AuditRecord ReadAuditRecord(const Statement& s) {
    AuditRecord r;
    r.seq = s.Int(0);
    r.at = s.Int(1);
    r.kind = s.Text(2);
    r.actor = s.Text(3);
    r.organization = s.Text(4);
    r.subject = s.Text(5);
    r.request_id = s.Text(6);
    r.status = s.Int(7);
    r.rows = s.Int(8);
    r.bytes = s.Int(9);
    r.duration_us = s.Int(10);
    r.body = s.Text(11);
    r.prev_hash = s.Text(12);
    r.hash = s.Text(13);
    return r;
  }
  Result<AuditRecord> AppendAuditRecords(const std::vector<AuditEntry>& entries,
                                         const AuditHasher& hash) override {
    AuditRecord head;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      // The head row is the chain's lock: every server's appends queue on it.
      ODP_ASSIGN_OR_RETURN(
          auto read,
          lease->Prepare(postgres() ? "SELECT seq, hash FROM audit_head WHERE id=1 FOR UPDATE"
                                    : "SELECT seq, hash FROM audit_head WHERE id=1"));
      ODP_ASSIGN_OR_RETURN(bool row, read->Step());
      if (!row) return Status::Internal("audit_head has no row");
      head.seq = read->Int(0);
      head.hash = read->Text(1);
      read.reset();
      if (entries.empty()) return Status::Ok();
      // Chained in order, then written kAuditRowsPerInsert rows per statement (one round trip
      // each on PostgreSQL).
      std::vector<AuditRecord> chained;
      chained.reserve(entries.size());
      for (const AuditEntry& e : entries) {
        AuditRecord r;
        static_cast<AuditEntry&>(r) = e;
        r.seq = head.seq + 1;
        r.prev_hash = head.seq == 0 ? std::string(64, '0') : head.hash;
        r.hash = hash(r);
        head.seq = r.seq;
        head.hash = r.hash;
        chained.push_back(std::move(r));
      }
      constexpr size_t kAuditRowsPerInsert = 100;
      constexpr int kAuditColumns = 14;
      for (size_t from = 0; from < chained.size(); from += kAuditRowsPerInsert) {
        const size_t n = std::min(kAuditRowsPerInsert, chained.size() - from);
        std::string sql = "INSERT INTO audit_log (" + std::string(kAuditCols) + ") VALUES ";
        for (size_t i = 0; i < n; ++i) {
          sql += i ? ",(" : "(";
          for (int c = 0; c < kAuditColumns; ++c) sql += c ? ",?" : "?";
          sql += ")";
        }
        ODP_ASSIGN_OR_RETURN(auto insert, lease->Prepare(sql));
        for (size_t i = 0; i < n; ++i) {
          const AuditRecord& r = chained[from + i];
          const int b = static_cast<int>(i) * kAuditColumns;
          insert->Bind(b + 1, r.seq)
              .Bind(b + 2, r.at)
              .Bind(b + 3, r.kind)
              .Bind(b + 4, r.actor)
              .Bind(b + 5, r.organization)
              .Bind(b + 6, r.subject)
              .Bind(b + 7, r.request_id)
              .Bind(b + 8, r.status)
              .Bind(b + 9, r.rows)
              .Bind(b + 10, r.bytes)
              .Bind(b + 11, r.duration_us)
              .Bind(b + 12, r.body)
              .Bind(b + 13, r.prev_hash)
              .Bind(b + 14, r.hash);
        }
        ODP_RETURN_IF_ERROR(insert->Run());
      }
      head = std::move(chained.back());
      ODP_ASSIGN_OR_RETURN(auto move,
                           lease->Prepare("UPDATE audit_head SET seq=?1, hash=?2 WHERE id=1"));
      move->Bind(1, head.seq).Bind(2, head.hash);
      return move->Run();
    }));
    return head;
  }
  Result<AuditRecord> AuditHead() override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st, lease->Prepare("SELECT seq, hash FROM audit_head WHERE id=1"));
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    AuditRecord head;
    if (row) {
      head.seq = st->Int(0);
      head.hash = st->Text(1);
    }
    return head;
  }
  Result<std::vector<AuditRecord>> ListAuditRecords(int64_t after_seq, int64_t to_seq,
                                                    int limit) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare("SELECT " + std::string(kAuditCols) +
                                " FROM audit_log WHERE seq > ?1 AND (?2 = CAST(0 AS BIGINT) OR "
                                "seq <= ?2) ORDER BY seq LIMIT ?3"));
    st->Bind(1, after_seq).Bind(2, to_seq).Bind(3, static_cast<int64_t>(limit));
    std::vector<AuditRecord> out;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      out.push_back(ReadAuditRecord(*st));
    }
    return out;
  }
  // The WHERE clause of `q` with its binds from ?1 to ?6 (BindAuditQuery).
  static std::string AuditWhere(const AuditQuery& q) {
    // Kinds are [a-z._] words; a prefix ("consumer.") matches with LIKE, '_' escaped.
    std::string kind_clause = "(?1 = '' OR kind = ?1)";
    if (!q.kind.empty() && q.kind.back() == '.')
      kind_clause = "kind LIKE (CAST(?1 AS TEXT) || '%') ESCAPE '!'";
    return " WHERE " + kind_clause +
           " AND (?2 = '' OR actor = ?2) AND (?3 = '' OR organization = ?3) AND at >= ?4 AND (?5 "
           "= CAST(0 AS BIGINT) OR at < ?5) AND (?6 = CAST(0 AS BIGINT) OR seq < ?6)";
  }
  static void BindAuditQuery(Statement& s, const AuditQuery& q) {
    std::string kind = q.kind;
    if (!kind.empty() && kind.back() == '.') {
      kind.clear();
      for (char c : q.kind) {
        if (c == '_' || c == '%' || c == '!') kind += '!';
        kind += c;
      }
    }
    s.Bind(1, kind)
        .Bind(2, q.actor)
        .Bind(3, q.organization)
        .Bind(4, q.from)
        .Bind(5, q.to)
        .Bind(6, q.before_seq);
  }
  Result<std::vector<AuditRecord>> QueryAuditRecords(const AuditQuery& q) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("SELECT " + std::string(kAuditCols) + " FROM audit_log" +
                                        AuditWhere(q) + " ORDER BY seq DESC LIMIT ?7"));
    BindAuditQuery(*st, q);
    st->Bind(7, static_cast<int64_t>(q.limit));
    std::vector<AuditRecord> out;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      out.push_back(ReadAuditRecord(*st));
    }
    return out;
  }
  Result<std::vector<AuditCallTotal>> SumAuditCalls(const AuditQuery& q) override {
    AuditQuery calls = q;
    calls.kind = "api.call";
    calls.before_seq = 0;
    Lease lease(*this);
    // Days in Viet Nam time (UTC+7, no daylight saving) as day numbers since 1970-01-01.
    ODP_ASSIGN_OR_RETURN(
        auto st,
        lease->Prepare("SELECT (at + 25200000000) / 86400000000 AS d, organization, COUNT(*), "
                       "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), "
                       "SUM(CASE WHEN rows_answered > 0 THEN rows_answered ELSE 0 END), "
                       "SUM(bytes), SUM(duration_us) FROM audit_log" +
                       AuditWhere(calls) + " GROUP BY d, organization ORDER BY d, organization"));
    BindAuditQuery(*st, calls);
    std::vector<AuditCallTotal> out;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      AuditCallTotal t;
      t.day = FormatCivilDate(CivilDateFromDays(st->Int(0)));
      t.organization = st->Text(1);
      t.calls = st->Int(2);
      t.errors = st->Int(3);
      t.rows = st->Int(4);
      t.bytes = st->Int(5);
      t.duration_us = st->Int(6);
      out.push_back(std::move(t));
    }
    return out;
  }
  Status InsertAuditCheckpoint(const AuditCheckpoint& c) override {
    return Write(
        "INSERT INTO audit_checkpoints (seq, hash, at, kid, signature) VALUES (?,?,?,?,?) "
        "ON CONFLICT (seq) DO NOTHING",
        [&](Statement& s) {
          s.Bind(1, c.seq).Bind(2, c.hash).Bind(3, c.at).Bind(4, c.kid).Bind(5, c.signature);
        });
  }
  static AuditCheckpoint ReadAuditCheckpoint(const Statement& s) {
    return {s.Int(0), s.Text(1), s.Int(2), s.Text(3), s.Text(4)};
  }
  Result<std::vector<AuditCheckpoint>> ListAuditCheckpoints(int64_t from, int64_t to) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare("SELECT seq, hash, at, kid, signature FROM "
                                "audit_checkpoints WHERE seq >= ?1 AND (?2 = CAST(0 AS BIGINT) "
                                "OR seq <= ?2) ORDER BY seq"));
    st->Bind(1, from).Bind(2, to);
    std::vector<AuditCheckpoint> out;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      out.push_back(ReadAuditCheckpoint(*st));
    }
    return out;
  }
  Result<std::optional<AuditCheckpoint>> LatestAuditCheckpoint() override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st, lease->Prepare("SELECT seq, hash, at, kid, signature FROM "
                                                 "audit_checkpoints ORDER BY seq DESC LIMIT 1"));
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return std::optional<AuditCheckpoint>();
    return std::optional<AuditCheckpoint>(ReadAuditCheckpoint(*st));
  }
  Status InsertAuditKey(const SigningKey& k) override {
    return Write("INSERT INTO audit_keys (kid, public_key, secret_key, created) VALUES (?,?,?,?)",
                 [&](Statement& s) {
                   s.Bind(1, k.kid).Bind(2, k.public_key).Bind(3, k.secret_key).Bind(4, k.created);
                 });
  }
  Result<std::vector<SigningKey>> ListAuditKeys() override {
    return List<SigningKey>(
        "SELECT kid, public_key, secret_key, created FROM audit_keys ORDER BY created, kid", {},
        [](const Statement& s) {
          SigningKey k;
          k.kid = s.Text(0);
          k.public_key = s.Text(1);
          k.secret_key = s.Text(2);
          k.created = s.Int(3);
          return k;
        });
  }
  // Grants ------------------------------------------------------------------------------------
  static void BindGrant(Statement& s, const Grant& g) {
    s.Bind(1, g.id)
        .Bind(2, g.consumer_id)
        .Bind(3, g.organization_id)
        .Bind(4, g.dataset_id)
        .Bind(5, g.resource_id);
    if (g.service_id) {
      s.Bind(6, *g.service_id);
    } else {
      s.BindNull(6);
    }
    if (g.request_id) {
      s.Bind(7, *g.request_id);
    } else {
      s.BindNull(7);
    }
    s.Bind(8, g.columns)
        .Bind(9, g.row_filter)
        .Bind(10, g.masks)
        .Bind(11, g.valid_from)
        .Bind(12, g.valid_to)
        .Bind(13, g.requests_per_day)
        .Bind(14, g.rows_per_day)
        .Bind(15, g.requests_per_minute)
        .Bind(16, g.state)
        .Bind(17, g.reason)
        .Bind(18, g.created_by)
        .Bind(19, g.modified_by)
        .Bind(20, g.created)
        .Bind(21, g.modified);
  }
  Status InsertGrant(const Grant& g) override {
    return Write("INSERT INTO grants (" + std::string(kGrantCols) +
                     ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
                     "?20,?21)",
                 [&](Statement& s) { BindGrant(s, g); });
  }
  Status UpdateGrant(const Grant& g, Micros from_modified) override {
    Status s = WriteOne(
        "UPDATE grants SET consumer_id=?2, organization_id=?3, dataset_id=?4, resource_id=?5, "
        "service_id=?6, request_id=?7, columns=?8, row_filter=?9, masks=?10, valid_from=?11, "
        "valid_to=?12, requests_per_day=?13, rows_per_day=?14, requests_per_minute=?15, "
        "state=?16, reason=?17, created_by=?18, modified_by=?19, created=?20, modified=?21 "
        "WHERE id=?1 AND modified=?22",
        [&](Statement& st) {
          BindGrant(st, g);
          st.Bind(22, from_modified);
        },
        "grant", g.id);
    if (s.code() != StatusCode::kNotFound) return s;
    return Status::Conflict("grant " + g.id + " was changed meanwhile",
                            "Quyền chia sẻ vừa được người khác thay đổi; hãy tải lại trang");
  }
  Result<Grant> GetGrant(const std::string& id) override {
    return GetOne<Grant>("SELECT " + std::string(kGrantCols) + " FROM grants WHERE id=?1", id,
                         ReadGrant, "grant");
  }
  Result<std::vector<Grant>> ListGrants(const std::string& consumer_id,
                                        const std::string& organization_id,
                                        const std::string& dataset_id) override {
    const std::string base = "SELECT " + std::string(kGrantCols) + " FROM grants";
    const std::string order = " ORDER BY created DESC, id";
    if (!consumer_id.empty()) {
      return List<Grant>(base + " WHERE consumer_id=?" + order, {consumer_id}, ReadGrant);
    }
    if (!organization_id.empty()) {
      return List<Grant>(base + " WHERE organization_id=?" + order, {organization_id}, ReadGrant);
    }
    if (!dataset_id.empty()) {
      return List<Grant>(base + " WHERE dataset_id=?" + order, {dataset_id}, ReadGrant);
    }
    return List<Grant>(base + order, {}, ReadGrant);
  }
  Result<std::vector<QuotaCount>> AddQuotaCounts(const std::vector<QuotaCount>& add) override {
    std::vector<QuotaCount> out;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      out.clear();
      Lease lease(*this);
      for (const QuotaCount& c : add) {
        ODP_ASSIGN_OR_RETURN(
            auto st, lease->Prepare("INSERT INTO quota_counts (scope, period, requests, row_count) "
                                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (scope, period) DO UPDATE "
                                    "SET requests = quota_counts.requests + excluded.requests, "
                                    "row_count = quota_counts.row_count + excluded.row_count "
                                    "RETURNING requests, row_count"));
        st->Bind(1, c.scope).Bind(2, c.window).Bind(3, c.requests).Bind(4, c.rows);
        ODP_ASSIGN_OR_RETURN(bool row, st->Step());
        if (!row) return Status::Internal("quota count not returned");
        out.push_back({c.scope, c.window, st->Int(0), st->Int(1)});
      }
      return Status::Ok();
    }));
    return out;
  }
  Status PruneQuotaCounts(int64_t minute, const std::string& day) override {
    // Minute windows are written with twelve digits, so that they compare as text.
    char before[32];
    std::snprintf(before, sizeof before, "m:%012lld", static_cast<long long>(minute));
    ODP_RETURN_IF_ERROR(Write("DELETE FROM quota_counts WHERE period LIKE 'm:%' AND period < ?1",
                              [&](Statement& s) { s.Bind(1, std::string(before)); }));
    return Write("DELETE FROM quota_counts WHERE period LIKE 'd:%' AND period < ?1",
                 [&](Statement& s) { s.Bind(1, "d:" + day); });
  }

  // Blob references ---------------------------------------------------------------------------
  Result<std::vector<std::string>> ListBlobReferences() override {
    std::set<std::string> refs;
    auto text = [](const Statement& s) { return s.Text(0); };
    ODP_ASSIGN_OR_RETURN(
        auto versions,
        List<std::string>("SELECT DISTINCT sha256 FROM resource_versions", {}, text));
    for (auto& v : versions) AddBlobHashes(v, refs);
    // A resource's current file is also one of its versions; read it too, so that a row
    // written in any order is never missed.
    ODP_ASSIGN_OR_RETURN(auto docs, List<std::string>("SELECT doc FROM resources", {}, text));
    for (const auto& d : docs) {
      auto j = nlohmann::json::parse(d, nullptr, false);
      if (j.is_object() && j.contains("sha256") && j["sha256"].is_string())
        AddBlobHashes(j["sha256"].get<std::string>(), refs);
    }
    // A job's file is the blob's path (…/ab/cdef…). Only unfinished jobs count: a finished
    // one's file is a resource version's, referenced above as long as the version exists.
    ODP_ASSIGN_OR_RETURN(auto files,
                         List<std::string>("SELECT DISTINCT file FROM jobs WHERE state NOT IN "
                                           "('done','failed','cancelled')",
                                           {}, text));
    for (const auto& f : files) {
      size_t slash = f.rfind('/');
      if (slash != std::string::npos && slash >= 2) {
        size_t dir = f.rfind('/', slash - 1);
        std::string name = f.substr(dir == std::string::npos ? 0 : dir + 1);
        name.erase(std::remove(name.begin(), name.end(), '/'), name.end());
        AddBlobHashes(name, refs);
      }
      AddBlobHashes(f, refs);
    }
    ODP_ASSIGN_OR_RETURN(auto settings, List<std::string>("SELECT value FROM settings", {}, text));
    for (const auto& v : settings) AddBlobHashes(v, refs);
    // The letters attached to sharing requests.
    ODP_ASSIGN_OR_RETURN(auto letters,
                         List<std::string>("SELECT letter_sha256 FROM sharing_requests", {}, text));
    for (const auto& v : letters) AddBlobHashes(v, refs);
    return std::vector<std::string>(refs.begin(), refs.end());
  }

  // Adds every run of exactly 64 hex digits in `text` (lower-cased) to `out`.
  static void AddBlobHashes(const std::string& text, std::set<std::string>& out) {
    size_t i = 0;
    while (i < text.size()) {
      size_t j = i;
      while (j < text.size() && std::isxdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j - i == 64) {
        std::string h = text.substr(i, 64);
        for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.insert(std::move(h));
      }
      i = j == i ? i + 1 : j;
    }
  }

  // Jobs ------------------------------------------------------------------------------------
  static constexpr const char* kJobCols =
      "kind, resource_id, version, file, options, state, error_vi, error_en, rows, owner, "
      "heartbeat, updated";
  static JobRecord ReadJob(const Statement& s) {
    JobRecord j;
    j.kind = s.Text(0);
    j.resource_id = s.Text(1);
    j.version = static_cast<int>(s.Int(2));
    j.file = s.Text(3);
    j.options = s.Text(4);
    j.state = s.Text(5);
    j.error_vi = s.Text(6);
    j.error_en = s.Text(7);
    j.rows = s.Int(8);
    j.owner = s.Text(9);
    j.heartbeat = s.Int(10);
    j.updated = s.Int(11);
    return j;
  }

  Status QueueJob(const JobRecord& j) override {
    return Write(
        std::string("INSERT INTO jobs (") + kJobCols +
            ") VALUES (?1, ?2, ?3, ?4, ?5, 'queued', '', '', 0, '', 0, ?6) "
            "ON CONFLICT(kind, resource_id, version) DO UPDATE SET file=excluded.file, "
            "options=excluded.options, state='queued', error_vi='', error_en='', rows=0, owner='', "
            "heartbeat=0, updated=excluded.updated",
        [&](Statement& s) {
          s.Bind(1, j.kind)
              .Bind(2, j.resource_id)
              .Bind(3, j.version)
              .Bind(4, j.file)
              .Bind(5, j.options)
              .Bind(6, j.updated);
        });
  }

  Result<bool> SaveJob(const JobRecord& j, const std::string& holder) override {
    Lease lease(*this);
    // Written unless another server holds the job now (taken over, or requeued by an upload).
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare(
                     std::string("INSERT INTO jobs (") + kJobCols +
                     ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                     "ON CONFLICT(kind, resource_id, version) DO UPDATE SET state=excluded.state, "
                     "error_vi=excluded.error_vi, error_en=excluded.error_en, rows=excluded.rows, "
                     "owner=excluded.owner, "
                     "heartbeat=excluded.heartbeat, updated=excluded.updated "
                     "WHERE jobs.owner = ?13 OR jobs.state IN ('done', 'failed', 'cancelled')"));
    st->Bind(1, j.kind)
        .Bind(2, j.resource_id)
        .Bind(3, j.version)
        .Bind(4, j.file)
        .Bind(5, j.options.empty() ? "{}" : j.options)
        .Bind(6, j.state)
        .Bind(7, j.error_vi)
        .Bind(8, j.error_en)
        .Bind(9, j.rows)
        .Bind(10, j.owner)
        .Bind(11, j.heartbeat)
        .Bind(12, j.updated)
        .Bind(13, holder);
    ODP_RETURN_IF_ERROR(st->Run());
    return lease->Changes() > 0;
  }

  Result<std::string> HeartbeatJob(const std::string& kind, const std::string& resource_id,
                                   int version, const std::string& owner, Micros now) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare("UPDATE jobs SET heartbeat=?5 WHERE kind=?1 AND resource_id=?2 AND "
                                "version=?3 AND owner=?4 RETURNING state"));
    st->Bind(1, kind).Bind(2, resource_id).Bind(3, version).Bind(4, owner).Bind(5, now);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    std::string state = row ? st->Text(0) : "";
    ODP_RETURN_IF_ERROR(st->Run());
    return state;
  }

  Result<int> CancelJobs(const std::string& kind, const std::string& resource_id,
                         Micros now) override {
    int touched = 0;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      ODP_RETURN_IF_ERROR(
          Write("UPDATE jobs SET state='cancelled', owner='', error_vi='Đã huỷ theo yêu cầu', "
                "error_en='Cancelled on request', updated=?3 WHERE kind=?1 AND resource_id=?2 AND "
                "state='queued'",
                [&](Statement& s) { s.Bind(1, kind).Bind(2, resource_id).Bind(3, now); }));
      touched += static_cast<int>(lease->Changes());
      ODP_RETURN_IF_ERROR(Write(
          "UPDATE jobs SET state='cancelling', updated=?3 WHERE kind=?1 AND resource_id=?2 AND "
          "state IN ('running','indexing')",
          [&](Statement& s) { s.Bind(1, kind).Bind(2, resource_id).Bind(3, now); }));
      touched += static_cast<int>(lease->Changes());
      return Status::Ok();
    }));
    return touched;
  }

  Result<JobRecord> LatestJob(const std::string& kind, const std::string& resource_id) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st, lease->Prepare(std::string("SELECT ") + kJobCols +
                                                 " FROM jobs WHERE kind=?1 AND resource_id=?2 "
                                                 "ORDER BY version DESC, updated DESC LIMIT 1"));
    st->Bind(1, kind).Bind(2, resource_id);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return Status::NotFound("job of resource", resource_id);
    return ReadJob(*st);
  }

  Result<JobRecord> GetJob(const std::string& kind, const std::string& resource_id,
                           int version) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare(std::string("SELECT ") + kJobCols +
                                " FROM jobs WHERE kind=?1 AND resource_id=?2 AND version=?3"));
    st->Bind(1, kind).Bind(2, resource_id).Bind(3, version);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row)
      return Status::NotFound("job of resource", resource_id + " v" + std::to_string(version));
    return ReadJob(*st);
  }

  Result<bool> JobsPending(const std::string& kind) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("SELECT 1 FROM jobs WHERE kind=?1 AND state IN "
                                        "('queued','running','indexing','cancelling') LIMIT 1"));
    st->Bind(1, kind);
    return st->Step();
  }

  // Job runs and schedules (store/job_store.h) ----------------------------------------------
  static constexpr const char* kRunCols =
      "id, kind, key, payload, state, cancel_requested, attempts, max_attempts, run_at, owner, "
      "lease_until, "
      "progress, message, error, schedule_id, created, started, finished, updated";
  static JobRun ReadRun(const Statement& s) {
    JobRun r;
    r.id = s.Text(0);
    r.kind = s.Text(1);
    r.key = s.Text(2);
    r.payload = s.Text(3);
    r.state = s.Text(4);
    r.cancel_requested = s.Int(5) != 0;
    r.attempts = static_cast<int>(s.Int(6));
    r.max_attempts = static_cast<int>(s.Int(7));
    r.run_at = s.Int(8);
    r.owner = s.Text(9);
    r.lease_until = s.Int(10);
    r.progress = static_cast<double>(s.Int(11)) / 1000.0;
    r.message = s.Text(12);
    r.error = s.Text(13);
    r.schedule_id = s.Text(14);
    r.created = s.Int(15);
    r.started = s.Int(16);
    r.finished = s.Int(17);
    r.updated = s.Int(18);
    return r;
  }
  static int64_t ProgressMilli(double p) {
    if (!(p > 0)) return 0;
    if (p >= 1) return 1000;
    return static_cast<int64_t>(p * 1000.0 + 0.5);
  }
  Status InsertRun(const JobRun& r) {
    return Write(
        std::string("INSERT INTO job_runs (") + kRunCols +
            ") VALUES (?1, ?2, ?3, ?4, 'queued', 0, 0, ?5, ?6, '', 0, 0, '', '', ?7, ?8, 0, 0, ?8)",
        [&](Statement& s) {
          s.Bind(1, r.id)
              .Bind(2, r.kind)
              .Bind(3, r.key)
              .Bind(4, r.payload.empty() ? "{}" : r.payload)
              .Bind(5, std::max(1, r.max_attempts))
              .Bind(6, r.run_at)
              .Bind(7, r.schedule_id)
              .Bind(8, r.created);
        });
  }

  Result<std::string> EnqueueJobRun(const JobRun& r) override {
    std::string id = r.id;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      if (!r.key.empty()) {
        ODP_ASSIGN_OR_RETURN(
            auto st, lease->Prepare("UPDATE job_runs SET payload=?3, run_at=?4, max_attempts=?5, "
                                    "updated=?6 WHERE id = (SELECT id FROM "
                                    "job_runs WHERE kind=?1 AND key=?2 AND state='queued' ORDER BY "
                                    "created LIMIT 1) RETURNING id"));
        st->Bind(1, r.kind)
            .Bind(2, r.key)
            .Bind(3, r.payload.empty() ? "{}" : r.payload)
            .Bind(4, r.run_at)
            .Bind(5, std::max(1, r.max_attempts))
            .Bind(6, r.created);
        ODP_ASSIGN_OR_RETURN(bool row, st->Step());
        if (row) {
          id = st->Text(0);
          return st->Run();
        }
      }
      return InsertRun(r);
    }));
    return id;
  }

  Result<std::optional<JobRun>> ClaimJobRun(const std::vector<std::string>& kinds,
                                            const std::string& owner, Micros now,
                                            Micros lease_until, int takeover_allowance) override {
    std::optional<JobRun> claimed;
    if (kinds.empty()) return claimed;
    // The kinds are bound from placeholder ?3 on (PostgreSQL needs every number in between used).
    std::string in;
    for (size_t i = 0; i < kinds.size(); ++i) in += (i ? ", ?" : "?") + std::to_string(i + 3);
    auto bind_kinds = [&](Statement& s) {
      for (size_t i = 0; i < kinds.size(); ++i) s.Bind(static_cast<int>(i + 3), kinds[i]);
    };
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      // Expired with no claims left: its servers kept dying on it.
      ODP_RETURN_IF_ERROR(
          Write("UPDATE job_runs SET state='failed', owner='', finished=?1, updated=?1, "
                "error='lease expired on every attempt (the servers running it stopped)' WHERE "
                "state='running' AND "
                "lease_until < ?1 AND attempts >= max_attempts + ?2 AND kind IN (" +
                    in + ")",
                [&](Statement& s) {
                  s.Bind(1, now).Bind(2, takeover_allowance);
                  bind_kinds(s);
                }));
      // SKIP LOCKED: servers claiming at once each get a different run, none waits.
      ODP_ASSIGN_OR_RETURN(
          auto pick,
          lease->Prepare("SELECT id FROM job_runs WHERE ((state='queued' AND run_at <= ?1) OR "
                         "(state='running' AND "
                         "lease_until < ?1 AND attempts < max_attempts + ?2)) AND kind IN (" +
                         in + ") ORDER BY run_at, created LIMIT 1" +
                         (postgres() ? " FOR UPDATE SKIP LOCKED" : "")));
      pick->Bind(1, now).Bind(2, takeover_allowance);
      bind_kinds(*pick);
      ODP_ASSIGN_OR_RETURN(bool row, pick->Step());
      if (!row) return Status::Ok();
      std::string id = pick->Text(0);
      ODP_RETURN_IF_ERROR(pick->Run());
      ODP_ASSIGN_OR_RETURN(
          auto take,
          lease->Prepare(std::string("UPDATE job_runs SET state='running', owner=?2, "
                                     "lease_until=?3, attempts=attempts+1, "
                                     "started=?4, updated=?4, progress=0, message='' WHERE id=?1 "
                                     "AND (state='queued' OR "
                                     "(state='running' AND lease_until < ?4)) RETURNING ") +
                         kRunCols));
      take->Bind(1, id).Bind(2, owner).Bind(3, lease_until).Bind(4, now);
      ODP_ASSIGN_OR_RETURN(bool got, take->Step());
      if (got) claimed = ReadRun(*take);
      return take->Run();
    }));
    return claimed;
  }

  Result<std::optional<JobRun>> RenewJobRun(const std::string& id, const std::string& owner,
                                            Micros lease_until, double progress,
                                            const std::string& message, Micros now) override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(
        auto st, lease->Prepare(std::string("UPDATE job_runs SET lease_until=?3, progress=?4, "
                                            "message=?5, updated=?6 WHERE id=?1 AND "
                                            "owner=?2 AND state='running' RETURNING ") +
                                kRunCols));
    st->Bind(1, id)
        .Bind(2, owner)
        .Bind(3, lease_until)
        .Bind(4, ProgressMilli(progress))
        .Bind(5, message)
        .Bind(6, now);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    std::optional<JobRun> r;
    if (row) r = ReadRun(*st);
    ODP_RETURN_IF_ERROR(st->Run());
    return r;
  }

  Result<bool> FinishJobRun(const std::string& id, const std::string& owner,
                            const std::string& state, const std::string& error, Micros run_at,
                            bool count_attempt, Micros now) override {
    Lease lease(*this);
    const bool again = state == "queued";
    // Handed back without a new error keeps the last one (shown until the next run ends).
    const bool keep_error = again && error.empty();
    ODP_RETURN_IF_ERROR(
        Write(std::string("UPDATE job_runs SET state=?3, owner='', lease_until=0, ") +
                  (keep_error ? "" : "error=?4, ") +
                  "run_at=?5, attempts=attempts - ?6, finished=?7, updated=?8, progress=" +
                  (state == "done" ? "1000" : "progress") + (again ? ", cancel_requested=0" : "") +
                  " WHERE id=?1 AND owner=?2 AND state='running'" +
                  (keep_error ? " AND (error = ?4 OR 1 = 1)" : ""),
              [&](Statement& s) {
                s.Bind(1, id)
                    .Bind(2, owner)
                    .Bind(3, state)
                    .Bind(4, error)
                    .Bind(5, run_at)
                    .Bind(6, count_attempt ? 0 : 1)
                    .Bind(7, again ? Micros{0} : now)
                    .Bind(8, now);
              }));
    return lease->Changes() > 0;
  }

  Result<JobRun> GetJobRun(const std::string& id) override {
    return GetOne<JobRun>(std::string("SELECT ") + kRunCols + " FROM job_runs WHERE id=?1", id,
                          ReadRun, "job");
  }

  Result<std::vector<JobRun>> ListJobRuns(const std::string& state, int limit) override {
    std::string sql = std::string("SELECT ") + kRunCols + " FROM job_runs" +
                      " WHERE (state = ?1 OR ?1 = '')" + " ORDER BY updated DESC, id LIMIT " +
                      std::to_string(std::max(0, limit));
    return List<JobRun>(sql, {state}, ReadRun);
  }

  Result<JobRunCounts> CountJobRuns() override {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("SELECT state, COUNT(*) FROM job_runs GROUP BY state"));
    JobRunCounts c;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      std::string s = st->Text(0);
      int64_t n = st->Int(1);
      if (s == "queued")
        c.queued = n;
      else if (s == "running")
        c.running = n;
      else if (s == "failed")
        c.failed = n;
      else if (s == "done")
        c.done = n;
      else if (s == "cancelled")
        c.cancelled = n;
    }
    return c;
  }

  Result<std::string> CancelJobRun(const std::string& id, Micros now) override {
    std::string before;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      ODP_ASSIGN_OR_RETURN(JobRun r, GetJobRun(id));
      before = r.state;
      if (r.state == "queued") {
        return Write(
            "UPDATE job_runs SET state='cancelled', error='cancelled on request', finished=?2, "
            "updated=?2 "
            "WHERE id=?1",
            [&](Statement& s) { s.Bind(1, id).Bind(2, now); });
      }
      if (r.state == "running") {
        return Write("UPDATE job_runs SET cancel_requested=1, updated=?2 WHERE id=?1",
                     [&](Statement& s) { s.Bind(1, id).Bind(2, now); });
      }
      return Status::Conflict("job " + id + " is over (" + r.state + ")",
                              "Việc " + id + " đã kết thúc (" + r.state + ")");
    }));
    return before;
  }

  Result<int> CancelJobRunsByKey(const std::string& kind, const std::string& key,
                                 Micros now) override {
    // `key`, and the keys within it ("key/…").
    static const std::string kKeyMatch =
        "(key = ?2 OR substr(key, 1, length(CAST(?2 AS TEXT)) + 1) = CAST(?2 AS TEXT) || '/')";
    int touched = 0;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      ODP_RETURN_IF_ERROR(
          Write("UPDATE job_runs SET state='cancelled', error='cancelled on request', finished=?3, "
                "updated=?3 "
                "WHERE kind=?1 AND " +
                    kKeyMatch + " AND state='queued'",
                [&](Statement& s) { s.Bind(1, kind).Bind(2, key).Bind(3, now); }));
      touched += static_cast<int>(lease->Changes());
      ODP_RETURN_IF_ERROR(
          Write("UPDATE job_runs SET cancel_requested=1, updated=?3 WHERE kind=?1 AND " +
                    kKeyMatch + " AND state='running'",
                [&](Statement& s) { s.Bind(1, kind).Bind(2, key).Bind(3, now); }));
      touched += static_cast<int>(lease->Changes());
      return Status::Ok();
    }));
    return touched;
  }

  Status RetryJobRun(const std::string& id, Micros now) override {
    return Transaction([&]() -> Status {
      ODP_ASSIGN_OR_RETURN(JobRun r, GetJobRun(id));
      if (r.state != "failed") {
        return Status::Conflict("job " + id + " has not failed (" + r.state + ")",
                                "Việc " + id + " không ở trạng thái thất bại (" + r.state + ")");
      }
      return Write(
          "UPDATE job_runs SET state='queued', attempts=0, cancel_requested=0, run_at=?2, "
          "owner='', "
          "lease_until=0, progress=0, message='', finished=0, updated=?2 WHERE id=?1",
          [&](Statement& s) { s.Bind(1, id).Bind(2, now); });
    });
  }

  Result<int64_t> PruneJobRuns(Micros before, int keep) override {
    int64_t gone = 0;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      ODP_RETURN_IF_ERROR(Write(
          "DELETE FROM job_runs WHERE state IN ('done','failed','cancelled') AND finished < ?1",
          [&](Statement& s) { s.Bind(1, before); }));
      gone += lease->Changes();
      ODP_RETURN_IF_ERROR(
          Write("DELETE FROM job_runs WHERE state IN ('done','failed','cancelled') AND id NOT IN "
                "(SELECT id FROM "
                "job_runs WHERE state IN ('done','failed','cancelled') ORDER BY finished DESC, id "
                "LIMIT ?1)",
                [&](Statement& s) { s.Bind(1, std::max(0, keep)); }));
      gone += lease->Changes();
      return Status::Ok();
    }));
    return gone;
  }

  static JobSchedule ReadSchedule(const Statement& s) {
    JobSchedule j;
    j.id = s.Text(0);
    j.kind = s.Text(1);
    j.payload = s.Text(2);
    j.spec = s.Text(3);
    j.max_attempts = static_cast<int>(s.Int(4));
    j.next_run = s.Int(5);
    j.last_run = s.Int(6);
    j.updated = s.Int(7);
    return j;
  }

  Status PutJobSchedule(const JobSchedule& j) override {
    return Write(
        "INSERT INTO job_schedules (id, kind, payload, spec, max_attempts, next_run, last_run, "
        "updated) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, 0, ?7) ON CONFLICT(id) DO UPDATE SET payload=excluded.payload, "
        "max_attempts=excluded.max_attempts, updated=excluded.updated, next_run=CASE WHEN "
        "job_schedules.kind=excluded.kind AND job_schedules.spec=excluded.spec THEN "
        "job_schedules.next_run ELSE "
        "excluded.next_run END, kind=excluded.kind, spec=excluded.spec",
        [&](Statement& s) {
          s.Bind(1, j.id)
              .Bind(2, j.kind)
              .Bind(3, j.payload.empty() ? "{}" : j.payload)
              .Bind(4, j.spec)
              .Bind(5, std::max(1, j.max_attempts))
              .Bind(6, j.next_run)
              .Bind(7, j.updated);
        });
  }

  Result<std::vector<JobSchedule>> ListJobSchedules() override {
    return List<JobSchedule>(
        "SELECT id, kind, payload, spec, max_attempts, next_run, last_run, updated FROM "
        "job_schedules ORDER BY id",
        {}, ReadSchedule);
  }

  Status DeleteJobSchedule(const std::string& id) override {
    return Write("DELETE FROM job_schedules WHERE id=?1", [&](Statement& s) { s.Bind(1, id); });
  }

  Result<bool> FireJobSchedule(const std::string& id, Micros due, Micros next,
                               const JobRun& run) override {
    bool fired = false;
    ODP_RETURN_IF_ERROR(Transaction([&]() -> Status {
      Lease lease(*this);
      ODP_RETURN_IF_ERROR(Write(
          "UPDATE job_schedules SET next_run=?3, last_run=?2, updated=?4 WHERE id=?1 AND "
          "next_run=?2",
          [&](Statement& s) { s.Bind(1, id).Bind(2, due).Bind(3, next).Bind(4, run.created); }));
      if (lease->Changes() == 0) return Status::Ok();
      fired = true;
      // An earlier occurrence still waiting (no server runs the kind, or all are busy): this
      // one joins it rather than piling up.
      ODP_ASSIGN_OR_RETURN(
          auto waiting,
          lease->Prepare("SELECT 1 FROM job_runs WHERE schedule_id=?1 AND state='queued' LIMIT 1"));
      waiting->Bind(1, id);
      ODP_ASSIGN_OR_RETURN(bool already, waiting->Step());
      ODP_RETURN_IF_ERROR(waiting->Run());
      if (already) return Status::Ok();
      return InsertRun(run);
    }));
    return fired;
  }

  Status Stop() override {
    if (postgres()) return Status::Ok();
    Lease lease(*this);
    return lease->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

 private:
  static Membership ReadMembership(const Statement& s) {
    Membership m;
    m.user_id = s.Text(0);
    m.organization_id = s.Text(1);
    m.role = ParseOrgRole(s.Text(2)).value_or(OrgRole::kMember);
    return m;
  }
  static void BindOrg(Statement& s, const Organization& o) {
    s.Bind(1, o.id)
        .Bind(2, o.slug)
        .Bind(3, o.title_vi)
        .Bind(4, o.title_en)
        .Bind(5, o.description_vi)
        .Bind(6, o.description_en);
    if (o.parent_id.empty()) {
      s.BindNull(7);
    } else {
      s.Bind(7, o.parent_id);
    }
    s.Bind(8, o.image_url).Bind(9, o.email).Bind(10, o.created).Bind(11, o.modified);
  }
  static void BindGroup(Statement& s, const Group& g) {
    s.Bind(1, g.id)
        .Bind(2, ToString(g.kind))
        .Bind(3, g.slug)
        .Bind(4, g.title_vi)
        .Bind(5, g.title_en)
        .Bind(6, g.description_vi)
        .Bind(7, g.description_en)
        .Bind(8, g.position)
        .Bind(9, g.created);
  }
  static void BindDataset(Statement& s, const Dataset& d) {
    s.Bind(1, d.id)
        .Bind(2, d.slug)
        .Bind(3, d.organization_id)
        .Bind(4, ToString(d.state))
        .Bind(5, ToString(d.access))
        .Bind(6, DatasetDoc(d))
        .Bind(7, d.created)
        .Bind(8, d.modified);
  }
  static void BindResource(Statement& s, const Resource& r) {
    s.Bind(1, r.id)
        .Bind(2, r.dataset_id)
        .Bind(3, r.position)
        .Bind(4, ResourceDoc(r))
        .Bind(5, r.created)
        .Bind(6, r.modified);
  }
  static void BindUser(Statement& s, const User& u) {
    s.Bind(1, u.id)
        .Bind(2, u.username)
        .Bind(3, u.email)
        .Bind(4, u.display_name)
        .Bind(5, u.password_hash)
        .Bind(6, u.sysadmin)
        .Bind(7, u.disabled)
        .Bind(8, u.created);
  }

  Status Run(const std::string& sql) {
    Lease lease(*this);
    return lease->Exec(sql);
  }

  Status Write(const std::string& sql, const std::function<void(Statement&)>& bind) {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st, lease->Prepare(sql));
    bind(*st);
    return st->Run();
  }

  // Like Write, but the statement must touch a row; otherwise kNotFound for `what` `key`.
  Status WriteOne(const std::string& sql, const std::function<void(Statement&)>& bind,
                  const std::string& what, const std::string& key) {
    Lease lease(*this);
    ODP_RETURN_IF_ERROR(Write(sql, bind));
    if (lease->Changes() == 0) return Status::NotFound(what, key);
    return Status::Ok();
  }

  template <typename T, typename Reader>
  Result<T> GetOne(const std::string& sql, const std::string& key, Reader read,
                   const std::string& what) {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st, lease->Prepare(sql));
    st->Bind(1, key);
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) return Status::NotFound(what, key);
    return T(read(*st));
  }

  template <typename T, typename Reader>
  Result<std::vector<T>> List(const std::string& sql, const std::vector<std::string>& args,
                              Reader read) {
    Lease lease(*this);
    ODP_ASSIGN_OR_RETURN(auto st, lease->Prepare(sql));
    for (size_t i = 0; i < args.size(); ++i) st->Bind(static_cast<int>(i + 1), args[i]);
    std::vector<T> out;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      out.push_back(read(*st));
    }
    return out;
  }

  // Applies the next migration, or sets done_ when there is none. Runs inside a transaction.
  Status MigrateOne(Lease& lease, bool apply) {
    done_ = false;
    if (postgres()) ODP_RETURN_IF_ERROR(lease->Exec("SELECT pg_advisory_xact_lock(7466101)"));
    ODP_ASSIGN_OR_RETURN(auto st,
                         lease->Prepare("SELECT COALESCE(MAX(version),0) FROM schema_version"));
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    int64_t current = row ? st->Int(0) : 0;
    st.reset();  // SQLite refuses DROP TABLE while a statement is still open
    if (current > LatestSchemaVersion()) {
      return Status::Unavailable("database schema version " + std::to_string(current) +
                                 " is newer than this odp understands (" +
                                 std::to_string(LatestSchemaVersion()) + "); use a newer odp");
    }
    for (const Migration& m : AllMigrations()) {
      if (m.version <= current) continue;
      if (!apply) {
        return Status::Unavailable("database schema is at version " + std::to_string(current) +
                                   ", this odp needs " + std::to_string(LatestSchemaVersion()) +
                                   "; run `odp migrate`");
      }
      Status s = lease->Exec(postgres() ? m.postgres_sql : m.sqlite_sql);
      if (s.ok()) {
        s = lease->Exec("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", " +
                        std::to_string(NowMicros() / 1000000) + ")");
      }
      if (!s.ok())
        return Status::Internal("migration " + std::to_string(m.version) +
                                " failed: " + s.message());
      return Status::Ok();
    }
    done_ = true;
    return Status::Ok();
  }

  // Transaction depth of this thread on this store (a thread holds at most one connection).
  int& tx_depth() {
    thread_local std::vector<std::pair<const SqlStore*, int>> depths;
    for (auto& [s, d] : depths) {
      if (s == this) return d;
    }
    depths.emplace_back(this, 0);
    return depths.back().second;
  }

  sql::Dialect dialect_;
  ConnectionPool::Factory factory_;
  ConnectionPool pool_;
  std::mutex listen_mu_;
  std::unique_ptr<sql::Connection> listener_;  // LISTENs to odp_catalog; guarded by listen_mu_
  bool done_ = false;  // set by MigrateOne; only the migrating thread reads it
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool migrate) {
  auto factory = [path]() -> Result<std::unique_ptr<sql::Connection>> {
    ODP_ASSIGN_OR_RETURN(auto c, internal::SqliteConnection::Open(path));
    return std::unique_ptr<sql::Connection>(std::move(c));
  };
  // One connection: SQLite has one writer anyway, and the hot read paths are served from memory.
  auto store = std::make_unique<SqlStore>(sql::Dialect::kSqlite, factory, 1);
  ODP_RETURN_IF_ERROR(store->Migrate(migrate));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, bool migrate,
                                                 int pool_size) {
  auto factory = [url]() -> Result<std::unique_ptr<sql::Connection>> {
    ODP_ASSIGN_OR_RETURN(auto c, internal::PgConnection::Open(url));
    return std::unique_ptr<sql::Connection>(std::move(c));
  };
  auto store = std::make_unique<SqlStore>(sql::Dialect::kPostgres, factory,
                                          static_cast<size_t>(std::max(1, pool_size)));
  ODP_RETURN_IF_ERROR(store->Migrate(migrate));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace odp::store

#include "app/commands.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "access/accounts.h"
#include "access/consumers.h"
#include "access/grants.h"
#include "access/quota.h"
#include "api/api.h"
#include "api/datastore_api.h"
#include "api/invitations_api.h"
#include "api/upload.h"
#include "app/demo.h"
#include "audit/log.h"
#include "base/ids.h"
#include "base/log.h"
#include "catalog/catalog.h"
#include "catalog/change_follower.h"
#include "catalog/seed.h"
#include "catalog/settings.h"
#include "datastore/datastore.h"
#include "http/client_address.h"
#include "http/metrics.h"
#include "http/server.h"
#include "jobs/jobs.h"
#include "mail/mailer.h"
#include "oidc/external_accounts.h"
#include "oidc/relying_party.h"
#include "sharing/notifications.h"
#include "sharing/sharing.h"
#include "store/blob_gc.h"
#include "store/blob_store.h"
#include "store/copy.h"
#include "store/store.h"
#include "web/web.h"

namespace odp::app {
namespace {

// Opens only the database (the audit commands need nothing else).
Result<std::unique_ptr<store::Store>> OpenDatabase(const Config& cfg) {
  if (!std::filesystem::exists(cfg.data_dir) && !store::IsPostgresUrl(cfg.DbUrl())) {
    return Status::NotFound("data directory", cfg.data_dir + " (run `odp init` first)");
  }
  return store::OpenStore(cfg.DbUrl(), /*migrate=*/true);
}

// Everything a command needs, opened in dependency order and stopped in reverse.
struct Portal {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::BlobStore> blobs;
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<catalog::SettingsService> settings;
  std::unique_ptr<access::AccountService> accounts;
  std::unique_ptr<access::ConsumerService> consumers;
  std::unique_ptr<access::GrantService> grants;
  std::unique_ptr<access::QuotaCounter> quotas;
  std::string mask_key;  // keys every hash mask (reviews' and grants'); the same on every server
  std::unique_ptr<jobs::Jobs> jobs;
  std::unique_ptr<mail::Mailer> mailer;  // `serve` only; after the jobs it registers on
  std::unique_ptr<datastore::Datastore> datastore;
  std::unique_ptr<catalog::ChangeFollower> follower;  // `serve` only: other servers' changes
  std::unique_ptr<sharing::Notifications> notifications;
  std::unique_ptr<sharing::SharingService> sharing;
  std::unique_ptr<audit::Log> audit;  // administrative events and usage records

  ~Portal() {
    // Notices stop going out by e-mail before what sends them stops.
    if (notifications) notifications->ClearSenders();
    if (follower) follower->Stop();
    if (datastore) {
      datastore->Stop();
      datastore->SetOnLoaded(nullptr);
    }
    if (jobs) jobs->Stop();
    if (quotas) (void)quotas->Stop();
    if (catalog) catalog->SetUploadListener(nullptr);
    datastore.reset();
    settings.reset();
    if (catalog) catalog->Stop();
    catalog.reset();
    // Last of the services: the others' final events are written before the store stops.
    if (audit) audit->Stop();
    if (store) (void)store->Stop();
  }
};

int Fail(const Status& s) {
  std::cerr << "odp: " << s.message() << "\n";
  if (s.message_vi() != s.message()) std::cerr << "odp: " << s.message_vi() << "\n";
  for (const auto& [field, problem] : s.fields())
    std::cerr << "  " << field << ": " << problem << "\n";
  return 1;
}

// The portal's one mask secret (access/masks.h): keys the hash masks of personal-data reviews
// (applied when tables are loaded) and of grants (applied when rows are read), so that a value
// hashed by either gives the same text. ODP_MASK_KEY when set (at least 16 bytes), else the
// setting "mask_key", made (32 random bytes) by the first server that needs it. Servers starting
// at the same moment on a new database read it again after writing, so the last write is the one
// every server uses.
constexpr const char* kMaskKeySetting = "mask_key";
constexpr const char* kGrantsMaskKeySetting = "grants.mask_key";  // its name before pii2
Result<std::string> MaskKey(store::SettingsStore& settings) {
  if (const char* env = std::getenv("ODP_MASK_KEY"); env != nullptr && std::strlen(env) >= 16) {
    return std::string(env);
  }
  auto key = settings.GetSetting(kMaskKeySetting);
  if (key.ok() && !key->empty()) return key;
  if (!key.ok() && key.status().code() != StatusCode::kNotFound) return key.status();
  // A database whose grants were made before the key was the portal's keeps their key, so the
  // hashes its consumers already hold still match.
  auto grants_key = settings.GetSetting(kGrantsMaskKeySetting);
  if (!grants_key.ok() && grants_key.status().code() != StatusCode::kNotFound) {
    return grants_key.status();
  }
  ODP_RETURN_IF_ERROR(settings.PutSetting(
      kMaskKeySetting, grants_key.ok() && !grants_key->empty() ? *grants_key : RandomToken(32)));
  return settings.GetSetting(kMaskKeySetting);  // what is stored, should another server have won
}

// `load_tables`: run the datastore's loading thread (serve, init, import), not for commands
// that only touch accounts.
Result<std::unique_ptr<Portal>> OpenPortal(const Config& cfg, bool create, bool migrate,
                                           bool load_tables = false) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(cfg.data_dir)) {
    if (!create) {
      return Status::NotFound("data directory", cfg.data_dir + " (run `odp init` first)");
    }
    fs::create_directories(cfg.data_dir, ec);
    if (ec) return Status::Internal("cannot create " + cfg.data_dir + ": " + ec.message());
  }
  fs::create_directories(cfg.SpoolDir(), ec);
  auto p = std::make_unique<Portal>();
  ODP_ASSIGN_OR_RETURN(p->store, store::OpenStore(cfg.DbUrl(), migrate));
  ODP_ASSIGN_OR_RETURN(p->blobs, store::BlobStore::Open(cfg.BlobDir()));
  // One Store plays every role each service asks for (store/store.h).
  store::Store& st = *p->store;
  ODP_RETURN_IF_ERROR(catalog::SeedTaxonomy(st, st));
  ODP_ASSIGN_OR_RETURN(p->catalog, catalog::CatalogService::Open(st, st, st, *p->blobs));
  p->settings = std::make_unique<catalog::SettingsService>(st, *p->catalog);
  p->accounts = std::make_unique<access::AccountService>(st, st);
  // Tokens name the portal as issuer: every server on one database must agree (--site-url).
  access::ConsumerOptions co;
  co.issuer = cfg.site_url.empty() ? "odp" : cfg.site_url;
  while (co.issuer.size() > 1 && co.issuer.back() == '/') co.issuer.pop_back();
  // …and as audience: the tokens are for this portal's API, on whichever of its servers.
  co.audience = co.issuer;
  p->consumers = std::make_unique<access::ConsumerService>(st, st, co);
  // The audit log: every command's administrative events, and `serve`'s usage records.
  audit::LogOptions lo;
  lo.checkpoint_every = std::max<int64_t>(1, cfg.audit_checkpoint_every);
  lo.checkpoint_interval = std::max<int64_t>(1, cfg.audit_checkpoint_seconds) * 1000000;
  p->audit = std::make_unique<audit::Log>(st, lo);
  ODP_RETURN_IF_ERROR(p->audit->Start());
  p->consumers->SetAuditSink(p->audit.get());
  p->accounts->SetAuditSink(p->audit.get());
  p->settings->SetAuditSink(p->audit.get());
  p->catalog->SetAuditSink(p->audit.get());
  p->grants = std::make_unique<access::GrantService>(st, st, st);
  p->grants->SetAuditSink(p->audit.get());
  access::QuotaOptions qo;
  if (const char* rate = std::getenv("ODP_CONSUMER_REQUESTS_PER_MINUTE"); rate != nullptr) {
    qo.system_requests_per_minute = std::max<int64_t>(0, std::atoll(rate));
  }
  p->quotas = std::make_unique<access::QuotaCounter>(st, qo);
  ODP_ASSIGN_OR_RETURN(p->mask_key, MaskKey(st));
  // Background jobs, shared with every server on the database (jobs/jobs.h). Its threads run
  // only in the processes that load tables (serve, init, import).
  jobs::JobsOptions jo;
  jo.workers = static_cast<int>(std::max<int64_t>(1, cfg.job_workers));
  jo.lease = std::max<int64_t>(1, cfg.job_lease_seconds) * 1000000;
  p->jobs = std::make_unique<jobs::Jobs>(st, jo);
  // On PostgreSQL the tables live in the same database (schema "datastore"), shared by every
  // server.
  const std::string db_url = cfg.DbUrl();
  ODP_ASSIGN_OR_RETURN(p->datastore, datastore::Datastore::Open(
                                         {.path = cfg.data_dir + "/datastore.db",
                                          .limits = cfg.table_limits,
                                          .jobs = &st,
                                          .runs = &st,
                                          .pg_url = store::IsPostgresUrl(db_url) ? db_url : "",
                                          .mask_key = p->mask_key}));
  // Every uploaded delimited-text file becomes a queryable table, loaded in the background.
  datastore::Datastore* ds = p->datastore.get();
  if (load_tables) {
    ds->Start(p->jobs.get());
    p->jobs->Start();
  }
  p->catalog->SetUploadListener([ds](const Resource& r, const std::string& path,
                                     const std::map<std::string, std::string>& read_as) {
    static const std::set<std::string> kTabular = {"CSV", "TSV", "XLSX", "XLS", "JSON", "NDJSON"};
    if (!kTabular.count(r.format)) return;
    // A new file keeps the publisher's column types, labels, descriptions, key and sheet; its
    // format and encoding are found again, unless the upload said how to read it (one load,
    // already with the uploader's choices: a second load queued after the first would race it).
    datastore::LoadOptions o = ds->Options(r.id);
    o.format.clear();
    o.encoding.clear();
    if (auto asked = api::LoadOptionsFromForm(read_as); asked.ok() && *asked) {
      o = datastore::MergeOptions(std::move(o), **asked);
    }
    Status s = ds->Enqueue(r.id, r.version, path, o);
    if (!s.ok()) LogWarn("datastore: cannot queue " + r.id + ": " + s.message());
  });
  // No dataset becomes open or registered data while one of its tables has a column flagged as
  // personal data that no reviewer has looked at (datastore/personal_data.h).
  p->catalog->SetPublicationCheck([ds](const catalog::DatasetEntry& e) {
    std::vector<std::pair<std::string, std::string>> tables;
    for (const auto& r : e.resources) {
      tables.emplace_back(r.id, r.name.empty() ? r.filename : r.name);
    }
    return ds->CheckPublishable(tables);
  });
  // Inter-agency sharing; its deadline job (reminders, overdue notices) runs every five minutes
  // and its expiry job (grants and keys about to end) every hour, on whichever server claims
  // them. An approval makes its grant through the grant service.
  p->notifications = std::make_unique<sharing::Notifications>(st);
  p->sharing = std::make_unique<sharing::SharingService>(
      st, *p->blobs, p->datastore.get(), *p->notifications, *p->grants,
      sharing::SharingOptions{.mask_key = p->mask_key});
  p->sharing->SetAuditSink(p->audit.get());
  if (load_tables) {
    sharing::SharingService* sh = p->sharing.get();
    p->jobs->Register("sharing.deadlines", [sh](jobs::JobContext&) -> Status {
      ODP_ASSIGN_OR_RETURN(int sent, sh->CheckDeadlines());
      if (sent > 0) LogInfo("sharing: " + std::to_string(sent) + " deadline notices sent");
      return Status::Ok();
    });
    p->jobs->Register("sharing.expiry", [sh](jobs::JobContext&) -> Status {
      ODP_ASSIGN_OR_RETURN(int sent, sh->CheckExpiries());
      if (sent > 0) LogInfo("sharing: " + std::to_string(sent) + " expiry notices sent");
      return Status::Ok();
    });
    for (auto [kind, every] :
         {std::pair{"sharing.deadlines", "every:300"}, std::pair{"sharing.expiry", "every:3600"}}) {
      if (Status s = p->jobs->PutSchedule(kind, kind, every); !s.ok()) {
        LogWarn(std::string("sharing: cannot schedule ") + kind + ": " + s.message());
      }
    }
  }
  // A finished table changes what dataset pages show: cached pages start over.
  catalog::CatalogService* cat = p->catalog.get();
  p->datastore->SetOnLoaded([cat](const datastore::TableInfo&) { cat->TablesChanged(); });
  return p;
}

access::Principal SystemPrincipal() {
  access::Principal p;
  p.user_id = "system";
  p.username = "system";
  p.sysadmin = true;
  return p;
}

// Reads a password from standard input; generates one when stdin is a terminal and the line
// is empty. Sets `generated` when it did.
std::string ReadPassword(bool& generated) {
  generated = false;
  bool tty = isatty(STDIN_FILENO);
  if (tty) std::cerr << "Mật khẩu / Password (Enter to generate one): " << std::flush;
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty() && tty) {
    generated = true;
    return RandomToken(12);
  }
  return line;
}

}  // namespace

int RunInit(const Config& cfg, bool demo) {
  auto portal = OpenPortal(cfg, /*create=*/true, /*migrate=*/true, /*load_tables=*/true);
  if (!portal.ok()) return Fail(portal.status());
  Portal& p = **portal;
  std::cout << "Đã tạo thư mục dữ liệu / data directory ready: " << cfg.data_dir << "\n";
  if (!demo) return 0;
  if (!p.catalog->ListOrganizations().empty()) {
    std::cout << "Dữ liệu mẫu đã có sẵn / demo content already present\n";
    return 0;
  }
  Status s = LoadDemo(*p.catalog, *p.blobs, SystemPrincipal());
  if (!s.ok()) return Fail(s);
  if (Status st = p.settings->Save(DemoSiteSettings()); !st.ok()) return Fail(st);
  p.datastore->WaitIdle();  // the demo's CSV files are tables before the portal first serves
  std::string password = RandomToken(12);
  auto admin =
      p.accounts->CreateUser({"admin", "admin@example.gov.vn", "Quản trị viên", password, true});
  if (!admin.ok()) return Fail(admin.status());
  {
    // Kept (owner-only) so that the demo script can show the login again on later starts.
    std::string path = cfg.data_dir + "/demo-login.txt";
    FILE* f = std::fopen(path.c_str(), "w");
    if (f) {
      fchmod(fileno(f), 0600);
      std::fprintf(f, "admin %s\n", password.c_str());
      std::fclose(f);
    }
  }
  std::cout << "Đã thêm dữ liệu mẫu / demo content added: " << p.catalog->ListOrganizations().size()
            << " cơ quan, " << p.catalog->ListPublicSlugs().size() << " bộ dữ liệu công khai\n"
            << "Quản trị viên mẫu / demo administrator: admin  mật khẩu / password: " << password
            << "\n";
  return 0;
}

std::string Bytes(int64_t n) {
  std::ostringstream o;
  if (n < 1024) {
    o << n << " B";
  } else if (n < 1024 * 1024) {
    o << std::fixed << std::setprecision(1) << n / 1024.0 << " KiB";
  } else {
    o << std::fixed << std::setprecision(1) << n / (1024.0 * 1024.0) << " MiB";
  }
  return o.str();
}

Micros HoursToMicros(double hours) { return static_cast<Micros>(hours * 3600.0 * 1e6); }

// The spool directory (DATA/tmp: request bodies being uploaded, exports being written) is
// shared by every `odp serve` on the data directory. Each holds a shared lock on its `.lock`
// file while it runs; a server that can take the lock exclusively at start-up is alone, and
// every file there was left by a crash.
class SpoolDir {
 public:
  explicit SpoolDir(std::string dir) : dir_(std::move(dir)) {}
  ~SpoolDir() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  // Takes the shared lock; when alone, first removes every file left in the directory.
  void OpenAndClean() {
    fd_ = ::open((dir_ + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) return;
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
      auto [files, bytes] = RemoveOlderThan(std::numeric_limits<Micros>::max());
      if (files > 0) {
        LogInfo("removed " + std::to_string(files) + " spool files (" + Bytes(bytes) +
                ") left in " + dir_ + " by an earlier run");
      }
    }
    (void)::flock(fd_, LOCK_SH);
  }
  // Removes the files last written before `cutoff` (a crashed server's, when others share the
  // directory); returns how many files and bytes went.
  std::pair<int64_t, int64_t> RemoveOlderThan(Micros cutoff) {
    namespace fs = std::filesystem;
    int64_t files = 0, bytes = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().filename() == ".lock") continue;
      struct stat st {};
      if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      Micros mtime = static_cast<Micros>(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
      if (mtime >= cutoff) continue;
      if (::unlink(it->path().c_str()) == 0) {
        ++files;
        bytes += static_cast<int64_t>(st.st_size);
      }
    }
    return {files, bytes};
  }

 private:
  std::string dir_;
  int fd_ = -1;
};

// The blob clean-up as a job ("blob.gc"): one server runs each occurrence of its schedule,
// every `gc_interval_hours` or daily at `gc_daily_at` (`odp serve` settings; 0 hours: off).
Status ScheduleBlobCollection(const Config& cfg, jobs::Jobs& jobs,
                              store::BlobReferences& references, store::BlobStore& blobs,
                              SpoolDir& spool) {
  const Micros grace = HoursToMicros(cfg.gc_grace_hours);
  jobs::KindOptions ko;
  ko.max_attempts = 3;
  ko.backoff = 60LL * 1000000;
  ko.concurrency = 1;
  jobs.Register(
      "blob.gc",
      [&references, &blobs, &spool, grace](jobs::JobContext& ctx) -> Status {
        store::BlobGcOptions o;
        o.grace = grace;
        ODP_ASSIGN_OR_RETURN(store::BlobGcReport r,
                             store::CollectBlobGarbage(references, blobs, o));
        std::string note = std::to_string(r.blobs_removed) + " files (" + Bytes(r.bytes_removed) +
                           ") and " + std::to_string(r.temp_files_removed) + " temp files (" +
                           Bytes(r.temp_bytes_removed) + ") removed";
        if (r.blobs_removed > 0 || r.temp_files_removed > 0) LogInfo("blob gc: " + note);
        // Spool files of a server on this data directory that crashed while others ran.
        auto [files, bytes] = spool.RemoveOlderThan(NowMicros() - grace);
        if (files > 0)
          LogInfo("removed " + std::to_string(files) + " stale spool files (" + Bytes(bytes) + ")");
        ctx.SetProgress(1, note);
        return Status::Ok();
      },
      ko);
  if (!cfg.gc_daily_at.empty())
    return jobs.PutSchedule("blob.gc", "blob.gc", "daily:" + cfg.gc_daily_at);
  if (cfg.gc_interval_hours <= 0) return jobs.RemoveSchedule("blob.gc");
  const int64_t seconds = std::max<int64_t>(1, static_cast<int64_t>(cfg.gc_interval_hours * 3600));
  return jobs.PutSchedule("blob.gc", "blob.gc", "every:" + std::to_string(seconds));
}

int RunGc(const Config& cfg, const GcOptions& o) {
  namespace fs = std::filesystem;
  if (!fs::exists(cfg.data_dir)) return Fail(Status::NotFound("data directory", cfg.data_dir));
  auto st = store::OpenStore(cfg.DbUrl(), false);
  if (!st.ok()) return Fail(st.status());
  auto blobs = store::BlobStore::Open(cfg.BlobDir());
  if (!blobs.ok()) return Fail(blobs.status());
  store::BlobGcOptions go;
  go.grace = HoursToMicros(o.grace_hours);
  go.dry_run = o.dry_run;
  auto r = store::CollectBlobGarbage(**st, **blobs, go);
  (void)(*st)->Stop();
  if (!r.ok()) return Fail(r.status());
  for (const auto& b : r->removed) {
    std::cout << (o.dry_run ? "sẽ xoá / would remove " : "đã xoá / removed ") << b.sha256 << "  "
              << Bytes(b.size) << "  " << FormatIsoSeconds(b.modified_micros) << "\n";
  }
  std::cout << (o.dry_run ? "Chạy thử / dry run: " : "") << "đã giải phóng / freed "
            << r->blobs_removed << " tệp / files, " << Bytes(r->bytes_removed) << " ("
            << r->bytes_removed << " bytes); " << r->temp_files_removed << " tệp tạm / temp files, "
            << Bytes(r->temp_bytes_removed) << "\n"
            << "Giữ lại / kept: " << r->blobs_referenced << " đang dùng / referenced, "
            << r->blobs_in_grace << " mới hơn " << o.grace_hours << " giờ / younger than "
            << o.grace_hours << " h\n";
  return 0;
}

int RunMigrate(const Config& cfg) {
  auto store = store::OpenStore(cfg.DbUrl(), true);
  if (!store.ok()) return Fail(store.status());
  std::cout << "Cơ sở dữ liệu đã cập nhật / schema up to date\n";
  return 0;
}

int RunCopy(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  auto is_url = [](const std::string& s) {
    return store::IsPostgresUrl(s) || s.rfind("sqlite:", 0) == 0;
  };
  auto url_of = [&](const std::string& s) { return is_url(s) ? s : "sqlite:" + s + "/odp.db"; };
  if (!is_url(from) && !fs::exists(fs::path(from) / "odp.db")) {
    return Fail(Status::NotFound("portal database", from + "/odp.db"));
  }
  if (!is_url(to)) {
    std::error_code ec;
    fs::create_directories(to, ec);
    if (ec) return Fail(Status::Internal("cannot create " + to + ": " + ec.message()));
  }
  auto copied = store::CopyDatabase(url_of(from), url_of(to));
  if (!copied.ok()) return Fail(copied.status());
  int64_t rows = 0;
  for (const auto& t : *copied) {
    std::cout << "  " << t.table << ": " << t.rows << " rows, sha256 " << t.checksum.substr(0, 16)
              << "…\n";
    rows += t.rows;
  }
  std::cout << "Đã sao chép và kiểm tra / copied and verified: " << rows << " rows in "
            << copied->size() << " tables (counts and checksums equal on both sides)\n";
  if (is_url(from) || is_url(to)) {
    // The datastore's tables, from one back-end to the other: each version is loaded again on
    // the target from the file and options its job recorded, then compared row by row.
    auto src_store = store::OpenStore(url_of(from), false);
    if (!src_store.ok()) return Fail(src_store.status());
    auto dst_store = store::OpenStore(url_of(to), false);
    if (!dst_store.ok()) return Fail(dst_store.status());
    // Both sides mask with the source's secret (kept on the target too), so that hashed
    // columns come out the same.
    auto mask_key = MaskKey(**src_store);
    if (!mask_key.ok()) return Fail(mask_key.status());
    if (Status put = (*dst_store)->PutSetting(kMaskKeySetting, *mask_key); !put.ok())
      return Fail(put);
    auto open_ds = [&](const std::string& side, store::Store* st) {
      if (store::IsPostgresUrl(side)) {
        return datastore::Datastore::Open(
            {.path = (fs::temp_directory_path() / "odp-copy-unused.db").string(),
             .jobs = st,
             .runs = st,
             .pg_url = side,
             .mask_key = *mask_key});
      }
      // A data directory, or sqlite:DIR/odp.db: the tables are beside the database.
      fs::path dir =
          side.rfind("sqlite:", 0) == 0 ? fs::path(side.substr(7)).parent_path() : fs::path(side);
      return datastore::Datastore::Open(
          {.path = (dir / "datastore.db").string(), .jobs = st, .runs = st, .mask_key = *mask_key});
    };
    auto src_ds = open_ds(from, src_store->get());
    if (!src_ds.ok()) return Fail(src_ds.status());
    auto dst_ds = open_ds(to, dst_store->get());
    if (!dst_ds.ok()) return Fail(dst_ds.status());
    auto resources = (*src_store)->ListAllResources();
    if (!resources.ok()) return Fail(resources.status());
    int64_t tables = 0, table_rows = 0;
    for (const auto& r : *resources) {
      for (int v : (*src_ds)->Versions(r.id)) {
        auto want = (*src_ds)->Table(r.id, v);
        if (!want.ok()) return Fail(want.status());
        auto got = (*dst_ds)->LoadRecorded(r.id, v);
        if (!got.ok()) return Fail(got.status());
        auto a = (*src_ds)->Checksum(*want);
        auto b = (*dst_ds)->Checksum(*got);
        if (!a.ok()) return Fail(a.status());
        if (!b.ok()) return Fail(b.status());
        if (want->rows != got->rows || *a != *b) {
          return Fail(Status::Internal("table of resource " + r.id + " v" + std::to_string(v) +
                                       ": " + std::to_string(want->rows) + " rows copied as " +
                                       std::to_string(got->rows) +
                                       (*a != *b ? ", checksums differ" : "")));
        }
        ++tables;
        table_rows += got->rows;
      }
    }
    std::cout << "Đã nạp lại và kiểm tra bảng dữ liệu / datastore tables rebuilt and verified: "
              << tables << " tables, " << table_rows
              << " rows (counts and checksums equal on both sides)\n";
  }
  if (!is_url(from) && !is_url(to) && fs::absolute(from) != fs::absolute(to)) {
    // Two data directories: the files and the datastore's tables go along.
    std::error_code ec;
    fs::copy(fs::path(from) / "blobs", fs::path(to) / "blobs",
             fs::copy_options::recursive | fs::copy_options::skip_existing, ec);
    if (!ec && fs::exists(fs::path(from) / "datastore.db")) {
      fs::copy_file(fs::path(from) / "datastore.db", fs::path(to) / "datastore.db",
                    fs::copy_options::skip_existing, ec);
    }
    if (ec) return Fail(Status::Internal("copying files: " + ec.message()));
    std::cout << "Đã sao chép tệp và bảng dữ liệu / files and datastore tables copied\n";
  } else {
    std::cout << "Tệp ở lại thư mục dữ liệu (--data) / uploaded files stay in the data directory "
                 "given to "
                 "`odp serve --data`\n";
  }
  return 0;
}

int RunUserAdd(const Config& cfg, const UserAddOptions& o) {
  auto portal = OpenPortal(cfg, false, true);
  if (!portal.ok()) return Fail(portal.status());
  Portal& p = **portal;
  // Check the organization first, so that a mistake there creates no half-configured user.
  std::string org_id;
  if (!o.org.empty()) {
    auto org = p.catalog->GetOrganization(o.org);
    if (!org.ok()) return Fail(org.status());
    org_id = org->id;
  }
  bool generated = false;
  std::string password = ReadPassword(generated);
  auto u = p.accounts->CreateUser({o.username, o.email, "", password, o.sysadmin});
  if (!u.ok()) return Fail(u.status());
  if (!org_id.empty()) {
    Status s =
        p.accounts->SetMembership(u->id, org_id, ParseOrgRole(o.role).value_or(OrgRole::kMember));
    if (!s.ok()) return Fail(s);
  }
  std::cout << "Đã tạo tài khoản / user created: " << u->username
            << (u->sysadmin ? " (sysadmin)" : "") << "\n";
  if (generated) std::cout << "Mật khẩu / password: " << password << "\n";
  return 0;
}

int RunUserInvite(const Config& cfg, const UserInviteOptions& o) {
  auto portal = OpenPortal(cfg, false, true);
  if (!portal.ok()) return Fail(portal.status());
  Portal& p = **portal;
  auto in = api::MakeInvitee(o.username, o.email, o.display_name, o.org, o.role);
  if (!in.ok()) return Fail(in.status());
  // The e-mail is queued in the database: a running server's job runner sends it.
  auto u = api::Invite(*p.accounts, p.jobs.get(), *in, "");
  if (!u.ok()) return Fail(u.status());
  std::cout << "Đã mời / invited: " << u->username << " <" << u->email << ">\n"
            << "Thư mời được gửi từ máy chủ đang chạy / the invitation is sent by a running "
               "server\n";
  return 0;
}

int RunUserUnlock(const Config& cfg, const std::string& username) {
  auto portal = OpenPortal(cfg, false, true);
  if (!portal.ok()) return Fail(portal.status());
  auto u = (*portal)->accounts->GetUser(username);
  if (!u.ok()) return Fail(u.status());
  Status s = (*portal)->accounts->Unlock(u->id);
  if (!s.ok()) return Fail(s);
  std::cout << "Đã mở khoá tài khoản / account unlocked: " << u->username << "\n";
  return 0;
}

int RunTokenAdd(const Config& cfg, const std::string& username, const std::string& name) {
  auto portal = OpenPortal(cfg, false, true);
  if (!portal.ok()) return Fail(portal.status());
  auto t = (*portal)->accounts->CreateToken(username, name);
  if (!t.ok()) return Fail(t.status());
  std::cout << t->secret << "\n";
  return 0;
}

int RunKeysList(const Config& cfg) {
  auto portal = OpenPortal(cfg, false, true);
  if (!portal.ok()) return Fail(portal.status());
  auto keys = (*portal)->consumers->ListSigningKeys(SystemPrincipal());
  if (!keys.ok()) return Fail(keys.status());
  for (const SigningKey& k : *keys) {
    std::cout << k.kid << "\t" << FormatIsoSeconds(k.created) << "\t"
              << (k.retired != 0 ? "retired " + FormatIsoSeconds(k.retired) : "live") << "\n";
  }
  return 0;
}

int RunKeysRetire(const Config& cfg, const std::string& kid) {
  auto portal = OpenPortal(cfg, false, true);
  if (!portal.ok()) return Fail(portal.status());
  auto signer = (*portal)->consumers->RetireSigningKey(SystemPrincipal(), kid);
  if (!signer.ok()) return Fail(signer.status());
  std::cout << "Đã thu hồi khoá ký / signing key retired: " << kid << "\n"
            << "Khoá ký hiện dùng / signing key now: " << signer->kid << "\n";
  return 0;
}

int RunJobsRun(const Config& cfg, const std::string& schedule, int wait_seconds) {
  auto st = OpenDatabase(cfg);
  if (!st.ok()) return Fail(st.status());
  jobs::Jobs runner(**st);
  auto id = runner.RunScheduleNow(schedule);
  if (!id.ok()) return Fail(id.status());
  std::cout << *id << "\n";
  // A server claims the run; wait for it to end when asked to.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (wait_seconds > 0) {
    auto run = runner.Get(*id);
    if (!run.ok()) return Fail(run.status());
    if (run->state == "done") break;
    if (run->state == "failed" || run->state == "cancelled") {
      return Fail(Status::Internal("job " + *id + " " + run->state + ": " + run->error));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Fail(Status(StatusCode::kUnavailable,
                         "job " + *id + " still " + run->state + " after " +
                             std::to_string(wait_seconds) + " s (is a server running?)",
                         "Việc " + *id + " vẫn chưa xong sau " + std::to_string(wait_seconds) +
                             " giây (máy chủ có đang chạy không?)"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  (void)(*st)->Stop();
  return 0;
}

int RunImport(const Config& cfg, const ImportOptions& o) {
  auto portal = OpenPortal(cfg, false, true, /*load_tables=*/true);
  if (!portal.ok()) return Fail(portal.status());
  Portal& p = **portal;
  access::Principal system = SystemPrincipal();
  auto ds = p.catalog->GetDataset(system, o.dataset);
  if (!ds.ok()) return Fail(ds.status());
  std::string filename = std::filesystem::path(o.file).filename().string();
  // Options that cannot work with this file (a sheet it lacks, a records path it lacks) fail
  // here, before a new version is stored: the resource keeps serving what it served.
  datastore::LoadOptions chosen;
  chosen.sheet = o.sheet - 1;
  chosen.encoding = o.encoding;
  chosen.records = o.records;
  if (o.sheet > 0 || !o.encoding.empty() || !o.records.empty()) {
    if (Status s = p.datastore->CheckFile(o.file, chosen); !s.ok()) return Fail(s);
  }
  std::string name =
      o.resource.empty() ? std::filesystem::path(o.file).stem().string() : o.resource;
  // Copy the file into the blob store in pieces (hashing as it goes).
  auto writer = p.blobs->NewWriter(INT64_MAX);
  if (!writer.ok()) return Fail(writer.status());
  {
    std::ifstream in(o.file, std::ios::binary);
    std::string buf(1 << 20, '\0');
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      if (in.gcount() <= 0) break;
      Status s = (*writer)->Append(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
      if (!s.ok()) return Fail(s);
    }
  }
  auto blob = (*writer)->Commit();
  if (!blob.ok()) return Fail(blob.status());
  catalog::UploadedFile file{*blob, filename, "", {}};
  // How to read it goes with the file, to the one load the upload listener queues.
  if (o.sheet > 0) file.read_as["sheet"] = std::to_string(o.sheet);
  if (!o.encoding.empty()) file.read_as["encoding"] = o.encoding;
  if (!o.records.empty()) file.read_as["records"] = o.records;
  if (o.header_row > 0) file.read_as["header_row"] = std::to_string(o.header_row);
  if (o.first_row > 0) file.read_as["first_row"] = std::to_string(o.first_row);
  if (o.last_row > 0) file.read_as["last_row"] = std::to_string(o.last_row);
  if (o.wide_to_long) file.read_as["wide_to_long"] = "true";
  if (auto asked = api::LoadOptionsFromForm(file.read_as); !asked.ok()) return Fail(asked.status());
  std::string existing;
  for (const auto& r : (*ds)->resources) {
    if (r.name == name) existing = r.id;
  }
  Result<std::pair<catalog::EntryPtr, Resource>> stored =
      existing.empty() ? p.catalog->AddResource(system, (*ds)->dataset.id,
                                                catalog::ResourceInput{name, {}, {}, {}}, file)
                       : p.catalog->UpdateResource(system, existing, {}, file);
  if (!stored.ok()) return Fail(stored.status());
  const Resource& r = stored->second;
  std::cout << (existing.empty() ? "Đã thêm / added: " : "Phiên bản mới / new version: ") << r.name
            << " (" << r.format << ", " << r.size << " bytes, v" << r.version << ")\n";
  static const std::set<std::string> kTabular = {"CSV", "TSV", "XLSX", "XLS", "JSON", "NDJSON"};
  if (!kTabular.count(r.format)) return 0;
  // The upload listener queued the load; follow it (rows, then indexes).
  bool tty = isatty(STDERR_FILENO);
  for (;;) {
    auto job = p.datastore->Job(r.id);
    if (job.ok() && job->version == r.version && !datastore::IsLoading(job->state)) break;
    if (tty && job.ok()) {
      int pct =
          job->bytes_total > 0 ? static_cast<int>(100 * job->bytes_done / job->bytes_total) : 0;
      std::string bar(static_cast<size_t>(pct / 5), '#');
      bar.resize(20, '.');
      std::cerr << "\r[" << bar << "] " << pct << "% " << job->rows_done << " dòng / rows"
                << (job->state == datastore::JobState::kIndexing ? ", đang lập chỉ mục / indexing"
                                                                 : "")
                << "\033[K" << std::flush;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (tty) std::cerr << "\r\033[K";
  auto job = p.datastore->Job(r.id);
  if (job.ok() && job->state == datastore::JobState::kFailed) {
    std::cerr << "odp: " << job->error_vi << "\nodp: " << job->error_en << "\n";
    return 1;
  }
  auto t = p.datastore->Table(r.id);
  if (!t.ok()) return Fail(t.status());
  std::cout << "Bảng / table: " << t->rows << " dòng / rows, " << t->fields.size()
            << " cột / columns (dòng tiêu đề / header line " << t->header_line << ")\n";
  for (const auto& f : t->fields)
    std::cout << "  " << f.id << "  " << datastore::ToString(f.type) << "  " << f.label << "\n";
  int64_t problems = 0;
  for (const auto& [kind, n] : t->issue_counts) problems += n;
  if (problems > 0) {
    std::cout << problems << " vấn đề / problems:\n";
    for (const auto& i : t->issues) {
      std::cout << "  dòng / line " << i.line << ", cột / column " << i.column << ": "
                << i.message_vi << "\n";
    }
  }
  return 0;
}

namespace {

// The services the routes and pages use, from the opened portal: one place that names them all.
std::unique_ptr<api::ApiContext> NewApiContext(Portal& p, const api::ApiConfig& ac) {
  return std::unique_ptr<api::ApiContext>(new api::ApiContext{.catalog = *p.catalog,
                                                              .accounts = *p.accounts,
                                                              .settings = *p.settings,
                                                              .blobs = *p.blobs,
                                                              .feed = *p.store,
                                                              .config = ac,
                                                              .datastore = p.datastore.get(),
                                                              .jobs = p.jobs.get(),
                                                              .consumers = p.consumers.get(),
                                                              .sharing = p.sharing.get(),
                                                              .audit = p.audit.get(),
                                                              .grants = p.grants.get(),
                                                              .quotas = p.quotas.get(),
                                                              .mask_key = p.mask_key});
}

}  // namespace

int RunRoutes(const Config& cfg) {
  auto portal = OpenPortal(cfg, /*create=*/true, /*migrate=*/true);
  if (!portal.ok()) return Fail(portal.status());
  Portal& p = **portal;
  api::ApiConfig ac;
  ac.site_url = "http://localhost";
  std::unique_ptr<api::ApiContext> ctx = NewApiContext(p, ac);
  std::unique_ptr<api::Router> router = api::BuildRouter(*ctx);
  auto web = web::WebContext::Open(*ctx);
  if (!web.ok()) return Fail(web.status());
  web::RegisterPages(*router, **web);
  for (const auto& [method, pattern] : router->Routes())
    std::cout << method << " " << pattern << "\n";
  // The CKAN routes take the action's name as a placeholder: list the names too.
  for (const std::string& name : api::CkanActionNames()) std::cout << "action " << name << "\n";
  return 0;
}

int RunServe(const Config& cfg_in) {
  Config cfg = cfg_in;
  auto listen = ParseListen(cfg.listen);
  if (!listen.ok()) return Fail(listen.status());
  // Block the stop signals in every thread; one thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto started = std::chrono::steady_clock::now();
  auto portal = OpenPortal(cfg, /*create=*/true, cfg.migrate, /*load_tables=*/true);
  if (!portal.ok()) return Fail(portal.status());
  Portal& p = **portal;
  // Other servers (and `odp` commands) writing to the same database: follow their changes.
  catalog::CatalogService* cat = p.catalog.get();
  p.follower =
      std::make_unique<catalog::ChangeFollower>(*p.store, [cat] { return cat->CatchUp(); });
  p.follower->Start();
  // Views and downloads are counted in memory and written in batches (catalog->Stop() writes
  // the last ones at shutdown).
  p.catalog->StartUsageFlushing(std::chrono::milliseconds(cfg.usage_flush_ms));
  // Loading the catalogue churns through temporary strings; give that memory back.
  malloc_trim(0);

  http::ServerOptions so;
  so.host = listen->first;
  so.port = listen->second;
  so.threads = cfg.threads;
  so.workers = cfg.workers;
  so.max_body_bytes = cfg.max_body_bytes;
  so.max_upload_bytes = cfg.max_upload_bytes;
  so.spool_dir = cfg.SpoolDir();
  // The SQL endpoint runs in a lane of its own (ServerOptions::slow), keyed by client address.
  auto lane_proxies = http::AddressList::Parse(cfg.trusted_proxies);
  if (!lane_proxies.ok()) return Fail(lane_proxies.status());
  so.slow = [proxies = *lane_proxies](const http::Request& r) -> std::optional<std::string> {
    if (r.path == "/api/3/action/datastore_search_sql" ||
        r.path == "/api/action/datastore_search_sql") {
      return http::ClientAddress(r, proxies);
    }
    return std::nullopt;
  };
  so.slow_workers = static_cast<int>(cfg.sql_workers);
  so.slow_queue = static_cast<int>(cfg.sql_queue);
  so.slow_per_client = static_cast<int>(cfg.sql_per_client);
  so.min_upload_bytes_per_second = cfg.min_upload_rate;
  so.upload_rate_window_seconds = cfg.upload_rate_window_seconds;
  SpoolDir spool(cfg.SpoolDir());
  spool.OpenAndClean();

  api::ApiConfig ac;
  ac.allow_registration = cfg.allow_registration;
  {
    auto proxies = http::AddressList::Parse(cfg.trusted_proxies);
    if (!proxies.ok()) return Fail(proxies.status());
    ac.trusted_proxies = *proxies;
    auto allow = http::AddressList::Parse(cfg.metrics_allow);
    if (!allow.ok()) return Fail(allow.status());
    ac.metrics_allow = *allow;
    ac.metrics_token = cfg.metrics_token;
  }
  ac.secure_cookies = cfg.secure_cookies;
  ac.max_upload_bytes = cfg.max_upload_bytes;
  ac.spool_dir = cfg.SpoolDir();
  ac.sql_timeout_ms = static_cast<int>(cfg.sql_timeout_ms);
  ac.sql_timeout_anonymous_ms = static_cast<int>(cfg.sql_timeout_anonymous_ms);
  ac.sql_max_answer_bytes = cfg.sql_max_answer_bytes;
  ac.audit_fail_closed = cfg.audit_fail_closed;

  std::unique_ptr<api::Router> router;
  std::unique_ptr<api::ApiContext> ctx;
  // Bodies are admitted (multipart only where uploads go, from a signed-in caller) before
  // they are read; router and ctx are set before the server accepts connections.
  so.admit = [&router, &ctx](const http::Request& head) {
    return api::AdmitUpload(*ctx, *router, head);
  };
  http::Server server(
      so, [&router](http::Request& req) { return router->Dispatch(req); },
      [&ctx](const http::FastRequest& req, std::string& route) {
        return ctx->fast.Get(req.target, ctx->catalog.generation(), &route, &req);
      });
  Status s = server.Listen();
  if (!s.ok()) return Fail(s);
  std::string host = so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host;
  std::string url = "http://" + host + ":" + std::to_string(server.port());
  ac.site_url = cfg.site_url.empty() ? url : cfg.site_url;
  while (!ac.site_url.empty() && ac.site_url.back() == '/') ac.site_url.pop_back();
  ctx = NewApiContext(p, ac);
  router = api::BuildRouter(*ctx);
  // Outgoing mail, sent by the jobs runner (mail/mailer.h); stopped with the jobs below.
  mail::SmtpSettings smtp;
  smtp.host = cfg.smtp_host;
  smtp.port = cfg.smtp_port;
  smtp.security = cfg.smtp_security == "starttls" ? mail::SmtpSecurity::kStartTls
                  : cfg.smtp_security == "tls"    ? mail::SmtpSecurity::kTls
                                                  : mail::SmtpSecurity::kNone;
  smtp.username = cfg.smtp_user;
  smtp.password = cfg.smtp_password;
  smtp.from_address = cfg.smtp_from;
  smtp.from_name = cfg.smtp_from_name;
  p.mailer = std::make_unique<mail::Mailer>(*p.store, smtp);
  p.mailer->Start(*p.jobs);
  ctx->mailer = p.mailer.get();
  // Sign-in with the public-service portal (OpenID Connect): configuration defaults until a
  // sysadmin saves settings; the redirect URI is fixed by the site's address.
  oidc::OidcSettings oidc_defaults;
  oidc_defaults.issuer = cfg.oidc_issuer;
  while (!oidc_defaults.issuer.empty() && oidc_defaults.issuer.back() == '/')
    oidc_defaults.issuer.pop_back();
  oidc_defaults.client_id = cfg.oidc_client_id;
  oidc_defaults.client_secret = cfg.oidc_client_secret;
  if (!cfg.oidc_label_vi.empty()) oidc_defaults.label_vi = cfg.oidc_label_vi;
  if (!cfg.oidc_label_en.empty()) oidc_defaults.label_en = cfg.oidc_label_en;
  oidc_defaults.enabled =
      cfg.oidc_enabled && !cfg.oidc_issuer.empty() && !cfg.oidc_client_id.empty();
  if (Status v = oidc::ValidateOidcSettings(oidc_defaults); !v.ok()) {
    LogWarn("ODP_OIDC_* settings refused, sign-in with the provider is off: " + v.message());
    oidc_defaults = {};
  }
  oidc::RelyingParty relying_party(*p.store, *p.store, oidc_defaults,
                                   ac.site_url + "/login/oidc/callback");
  oidc::ExternalAccounts external_accounts(*p.store, *p.store, *p.store);
  external_accounts.SetAuditSink(p.audit.get());
  ctx->oidc = &relying_party;
  ctx->external_accounts = &external_accounts;
  auto web = web::WebContext::Open(*ctx);
  if (!web.ok()) return Fail(web.status());
  web::RegisterPages(*router, **web);
  web::StartAccountMail(**web, *p.jobs);
  (*web)->sitemap_page_size = static_cast<size_t>(cfg.sitemap_page_size);
  (*web)->follows = p.store.get();
  if (Status fs = web::StartFollowMail(**web, *p.jobs, cfg.follow_scan_seconds); !fs.ok())
    LogWarn("follow: cannot schedule the scan: " + fs.message());
  // Every notice (sharing/notifications.h) also goes out by e-mail from now on.
  web::StartNoticeMail(**web, *p.notifications);

  http::RegisterGauge("odp_catalog_generation", "Catalogue writes since start-up.",
                      [&p] { return static_cast<double>(p.catalog->generation()); });
  http::RegisterGauge("odp_datasets_public", "Published public datasets.",
                      [&p] { return static_cast<double>(p.catalog->ListPublicSlugs().size()); });
  http::RegisterGauge("odp_db_up", "1 when the database answers a query, else 0.",
                      [&p] { return p.store->CatalogGeneration().ok() ? 1.0 : 0.0; });
  http::RegisterGauge("odp_db_catalog_generation", "Catalogue writes recorded in the database.",
                      [&p] {
                        auto g = p.store->CatalogGeneration();
                        return g.ok() ? static_cast<double>(*g) : -1.0;
                      });
  http::RegisterGauge("odp_datasets_indexed",
                      "Datasets in the search index (all states but deleted).",
                      [&p] { return static_cast<double>(p.catalog->IndexedDatasets()); });
  http::RegisterGauge("odp_search_index_bytes", "Approximate memory held by the search index.",
                      [&p] { return static_cast<double>(p.catalog->IndexBytes()); });
  http::RegisterGauge("odp_page_cache_bytes",
                      "Bytes held by the cache of anonymous answers (fast path).",
                      [&ctx] { return static_cast<double>(ctx->fast.bytes()); });
  jobs::Jobs* runner = p.jobs.get();
  http::RegisterGauge("odp_jobs_running", "Background jobs running on this server.",
                      [runner] { return static_cast<double>(runner->running_here()); });
  http::RegisterGauge("odp_jobs_failed_here_total",
                      "Jobs that failed on this server since it started.",
                      [runner] { return static_cast<double>(runner->failed_here()); });
  http::RegisterGauge("odp_jobs_queued",
                      "Jobs queued in the database (every server's), due or not.", [&p] {
                        auto c = p.store->CountJobRuns();
                        return c.ok() ? static_cast<double>(c->queued) : -1.0;
                      });
  // For the operations page (/admin/operations): how long this server has run, the space left
  // where the data directory is, and the SQLite database's size (PostgreSQL's is the server's).
  http::RegisterGauge("odp_uptime_seconds", "Seconds since this server started.", [started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  });
  const std::string data_dir = cfg.data_dir;
  http::RegisterGauge("odp_disk_free_bytes",
                      "Bytes free for the server on the file system of the data directory.",
                      [data_dir] {
                        struct statvfs v {};
                        if (statvfs(data_dir.c_str(), &v) != 0) return -1.0;
                        return static_cast<double>(v.f_bavail) * static_cast<double>(v.f_frsize);
                      });
  http::RegisterGauge("odp_disk_total_bytes",
                      "Size of the file system of the data directory, in bytes.", [data_dir] {
                        struct statvfs v {};
                        if (statvfs(data_dir.c_str(), &v) != 0) return -1.0;
                        return static_cast<double>(v.f_blocks) * static_cast<double>(v.f_frsize);
                      });
  if (const std::string db = cfg.DbUrl(); db.rfind("sqlite:", 0) == 0) {
    const std::string file = db.substr(7);
    http::RegisterGauge("odp_db_bytes", "Size of the SQLite database file and its WAL, in bytes.",
                        [file] {
                          std::error_code ec;
                          double n = 0;
                          for (const std::string& f : {file, file + "-wal"}) {
                            auto size = std::filesystem::file_size(f, ec);
                            if (!ec) n += static_cast<double>(size);
                          }
                          return n;
                        });
  }
  http::RegisterGauge("odp_jobs_failed",
                      "Failed jobs kept in the database (until retried or pruned).", [&p] {
                        auto c = p.store->CountJobRuns();
                        return c.ok() ? static_cast<double>(c->failed) : -1.0;
                      });

  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "ODP đang chạy tại / listening on " << url << "  (khởi động / start-up "
            << static_cast<int>(secs * 1000) << " ms)" << std::endl;

  if (Status gc = ScheduleBlobCollection(cfg, *p.jobs, *p.store, *p.blobs, spool); !gc.ok()) {
    LogWarn("blob gc: cannot schedule: " + gc.message());
  }

  std::thread waiter([&server, stop_signals] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    LogInfo("signal received, draining in-flight requests");
    server.Stop();
  });
  server.Run();
  // Run() returned because of Stop(); if it ever returns on its own, wake the waiter. SIGTERM is
  // blocked in every thread, so it ends the waiter's sigwait and terminates nothing.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  // The jobs stop before the spool and stores they use (the Portal stops the rest).
  p.datastore->Stop();
  p.jobs->Stop();
  // The e-mail sender uses `web`, which ends with this function.
  p.notifications->ClearSenders();
  LogInfo("stopped");
  return 0;
}

int RunAuditVerify(const Config& cfg, const AuditVerifyOptions& o) {
  auto st = OpenDatabase(cfg);
  if (!st.ok()) return Fail(st.status());
  std::optional<audit::CheckpointExport> external;
  if (!o.checkpoints.empty()) {
    std::ifstream in(o.checkpoints, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto parsed = audit::ParseCheckpointExport(text);
    if (!parsed.ok()) return Fail(parsed.status());
    external = std::move(parsed).value();
  }
  auto started = std::chrono::steady_clock::now();
  auto report = audit::VerifyLog(**st, o.from, o.to, external ? &*external : nullptr);
  if (!report.ok()) return Fail(report.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  (void)(*st)->Stop();
  if (!report->ok) {
    std::cout << "BAD record " << report->bad_seq << ": " << report->problem << "\n"
              << "(checked " << report->records << " records and " << report->checkpoints
              << " checkpoints before it)\n";
    return 1;
  }
  std::cout << "OK: " << report->records << " records";
  if (report->records > 0) std::cout << " (" << report->first_seq << "–" << report->last_seq << ")";
  std::cout << ", " << report->checkpoints << " checkpoints"
            << (external ? " from " + o.checkpoints : std::string()) << ", " << std::fixed
            << std::setprecision(2) << secs << " s\n";
  return 0;
}

int RunAuditCheckpoints(const Config& cfg, bool sign_now) {
  auto st = OpenDatabase(cfg);
  if (!st.ok()) return Fail(st.status());
  if (sign_now) {
    audit::Log log(**st);
    Status s = log.Start();
    if (s.ok()) s = log.CheckpointNow().status();
    log.Stop();
    if (!s.ok()) return Fail(s);
  }
  auto text = audit::ExportCheckpoints(**st);
  if (!text.ok()) return Fail(text.status());
  std::cout << *text;
  (void)(*st)->Stop();
  return 0;
}

}  // namespace odp::app

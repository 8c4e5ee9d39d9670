#include "store/sql_store.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include <gtest/gtest.h>

#include "base/ids.h"
#include "store/copy.h"
#include "store/migrations.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"
#include "testing/test_db.h"

namespace odp::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("odp-store-" + NewUuid())).string();
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<testing::TestDatabase>(dir_);
    store_ = std::move(OpenStore(db_->url()).value());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  Organization Org(const std::string& slug) {
    Organization o;
    o.id = NewUuid();
    o.slug = slug;
    o.title_vi = "Sở " + slug;
    o.created = o.modified = 1;
    return o;
  }
  std::string dir_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, DatasetRoundTripsEveryField) {
  Organization o = Org("so-y-te");
  ASSERT_TRUE(store_->InsertOrganization(o).ok());
  Dataset d;
  d.id = NewUuid();
  d.slug = "danh-sach-benh-vien";
  d.title_vi = "Danh sách bệnh viện";
  d.title_en = "Hospitals";
  d.organization_id = o.id;
  d.tags = {"y tế", "bệnh viện"};
  d.sector_ids = {"s1"};
  d.access = AccessTier::kShared;
  d.state = DatasetState::kPending;
  d.extras = {{"nguồn", "Sở Y tế"}};
  d.spatial = {"46"};
  d.created = 10;
  d.modified = 20;
  ASSERT_TRUE(store_->InsertDataset(d).ok());
  auto got = store_->GetDataset("danh-sach-benh-vien");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, d.id);
  EXPECT_EQ(got->title_en, "Hospitals");
  EXPECT_EQ(got->tags, d.tags);
  EXPECT_EQ(got->access, AccessTier::kShared);
  EXPECT_EQ(got->state, DatasetState::kPending);
  EXPECT_EQ(got->extras.at("nguồn"), "Sở Y tế");
  EXPECT_EQ(got->modified, 20);
}

TEST_F(StoreTest, DuplicateSlugIsAlreadyExists) {
  ASSERT_TRUE(store_->InsertOrganization(Org("so-y-te")).ok());
  Status s = store_->InsertOrganization(Org("so-y-te"));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
}

TEST_F(StoreTest, FailedTransactionChangesNothing) {
  Status s = store_->Transaction([&] {
    ODP_RETURN_IF_ERROR(store_->InsertOrganization(Org("so-tai-chinh")));
    return Status::Conflict("abort");
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  EXPECT_EQ(store_->GetOrganization("so-tai-chinh").status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, UpdateOfMissingRecordIsNotFound) {
  EXPECT_EQ(store_->UpdateOrganization(Org("khong-co")).code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, ChangeFeedNumbersChangesInOrder) {
  int64_t before = store_->CatalogGeneration().value();
  auto a = store_->RecordCatalogChange("dataset", "d1", "server-a");
  auto b = store_->RecordCatalogChange("organization", "o1", "server-b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(a.value(), before);
  EXPECT_GT(b.value(), a.value());
  EXPECT_EQ(store_->CatalogGeneration().value(), b.value());
  auto changes = store_->ListCatalogChanges(before, 10).value();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].kind, "dataset");
  EXPECT_EQ(changes[0].key, "d1");
  EXPECT_EQ(changes[1].origin, "server-b");
  EXPECT_EQ(store_->ListCatalogChanges(a.value(), 10).value().size(), 1u);
  // Pruning keeps the latest, so numbering never restarts.
  ASSERT_TRUE(store_->PruneCatalogChanges(NowMicros() + 1000000).ok());
  EXPECT_EQ(store_->ListCatalogChanges(0, 10).value().size(), 1u);
  EXPECT_EQ(store_->CatalogGeneration().value(), b.value());
}

TEST_F(StoreTest, ChangeInATransactionIsAnnouncedAtCommit) {
  // The first wait connects and listens (and reports that anything may have happened).
  (void)store_->WaitForCatalogChange(10);
  ASSERT_TRUE(
      store_
          ->Transaction([&] { return store_->RecordCatalogChange("dataset", "d2", "x").status(); })
          .ok());
  auto woke = store_->WaitForCatalogChange(2000);
  ASSERT_TRUE(woke.ok());
  // PostgreSQL announces it; SQLite announces nothing (readers poll the feed).
  EXPECT_EQ(woke.value(), db_->postgres());
}

TEST_F(StoreTest, ThreadsWorkAtOnceAndNestedCallsJoinTheTransaction) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Status s = store_->Transaction([&] {
          ODP_RETURN_IF_ERROR(
              store_->InsertOrganization(Org("so-" + std::to_string(t) + "-" + std::to_string(i))));
          // Inside the transaction, the row is visible to a nested read.
          return store_->GetOrganization("so-" + std::to_string(t) + "-" + std::to_string(i))
              .status();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->ListOrganizations().value().size(), 100u);
}

TEST_F(StoreTest, EmailLookupIgnoresCase) {
  User u;
  u.id = NewUuid();
  u.username = "lan";
  u.email = "Lan@Hue.gov.vn";
  u.password_hash = "x";
  ASSERT_TRUE(store_->InsertUser(u).ok());
  EXPECT_EQ(store_->GetUserByEmail("lan@hue.gov.vn").value().username, "lan");
}

TEST_F(StoreTest, UsageCountsAddUpPerDayAndAreSummedPerMonth) {
  auto at = [](std::string day, std::string kind, std::string format, std::string resource,
               int64_t n) {
    return UsageCount{
        std::move(day), std::move(kind), std::move(format), "d", std::move(resource), "org", n};
  };
  // Two servers' flushes of the same day add up; a batch is summed with itself too.
  ASSERT_TRUE(store_
                  ->AddUsage({at("2026-12-01", "download", "csv", "r", 2),
                              at("2026-12-07", "view", "page", "", 4)})
                  .ok());
  ASSERT_TRUE(store_
                  ->AddUsage({at("2026-12-01", "download", "csv", "r", 3),
                              at("2026-12-01", "download", "csv", "r", 1),
                              at("2026-11-30", "download", "csv", "r", 7)})
                  .ok());
  std::vector<UsageCount> months = store_->ListUsageByMonth().value();
  std::sort(months.begin(), months.end(), [](const UsageCount& a, const UsageCount& b) {
    return std::tie(a.day, a.kind) < std::tie(b.day, b.kind);
  });
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0].day, "2026-11");
  EXPECT_EQ(months[0].count, 7);
  EXPECT_EQ(months[1].day, "2026-12");
  EXPECT_EQ(months[1].kind, "download");
  EXPECT_EQ(months[1].format, "csv");
  EXPECT_EQ(months[1].resource_id, "r");
  EXPECT_EQ(months[1].organization_id, "org");
  EXPECT_EQ(months[1].count, 6);
  EXPECT_EQ(months[2].kind, "view");
  EXPECT_EQ(months[2].count, 4);
}

TEST(StoreMigration, DownloadCountsOfOlderVersionsMoveIntoUsageCounts) {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("odp-migrate-" + NewUuid())).string();
  std::filesystem::create_directories(dir);
  {
    // A database as the version before usage counts left it, with two months of downloads of one
    // dataset.
    auto conn = internal::SqliteConnection::Open(dir + "/odp.db").value();
    ASSERT_TRUE(
        conn->Exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied BIGINT)")
            .ok());
    for (const Migration& m : AllMigrations()) {
      if (m.sqlite_sql.find("CREATE TABLE usage_counts") != std::string::npos) break;
      ASSERT_TRUE(conn->Exec(m.sqlite_sql).ok()) << m.version;
      ASSERT_TRUE(
          conn->Exec("INSERT INTO schema_version VALUES (" + std::to_string(m.version) + ", 0)")
              .ok());
    }
    ASSERT_TRUE(conn->Exec("INSERT INTO organizations (id, slug, title_vi, title_en, "
                           "description_vi, description_en, "
                           "parent_id, image_url, email, created, modified) "
                           "VALUES ('o', 'so', 'Sở', '', '', '', NULL, '', '', 1, 1)")
                    .ok());
    ASSERT_TRUE(conn->Exec("INSERT INTO datasets (id, slug, organization_id, state, access, doc, "
                           "created, modified) "
                           "VALUES ('d', 'd', 'o', 'published', 'public', '{}', 1, 1)")
                    .ok());
    ASSERT_TRUE(
        conn->Exec("INSERT INTO download_counts VALUES ('d', '2026-10', 4), ('d', '2026-11', 5)")
            .ok());
  }
  auto store = OpenStore(dir + "/odp.db").value();
  std::vector<UsageCount> months = store->ListUsageByMonth().value();
  std::sort(months.begin(), months.end(),
            [](const UsageCount& a, const UsageCount& b) { return a.day < b.day; });
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].day, "2026-10");
  EXPECT_EQ(months[0].kind, "download");
  EXPECT_EQ(months[0].format, "file");
  EXPECT_EQ(months[0].organization_id, "o");
  EXPECT_EQ(months[0].count, 4);
  EXPECT_EQ(months[1].count, 5);
  store.reset();
  std::filesystem::remove_all(dir);
}

TEST_F(StoreTest, OutdatedSchemaIsRefusedWithoutMigration) {
  std::string path = testing::TestDatabase::FreshUrl(dir_, "fresh");
  auto refused = OpenStore(path, /*migrate=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("odp migrate"), std::string::npos);
  ASSERT_TRUE(OpenStore(path, true).ok());
  EXPECT_TRUE(OpenStore(path, false).ok());
}

TEST(PostgresDriver, UnreachableServerIsAClearErrorWithoutThePassword) {
  auto s = OpenStore("postgresql://odp:bi-mat@127.0.0.1:1/odp?connect_timeout=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("cannot connect to PostgreSQL"), std::string::npos);
  EXPECT_EQ(s.status().message().find("bi-mat"), std::string::npos);
}

TEST(PostgresDriver, PlaceholdersAreRewrittenOutsideQuotes) {
  using internal::ToPgPlaceholders;
  EXPECT_EQ(ToPgPlaceholders("SELECT a FROM t WHERE b=? AND c=?"),
            "SELECT a FROM t WHERE b=$1 AND c=$2");
  EXPECT_EQ(ToPgPlaceholders("UPDATE t SET x=?2 WHERE id=?1"), "UPDATE t SET x=$2 WHERE id=$1");
  EXPECT_EQ(ToPgPlaceholders("SELECT '?' , \"a?\" , ? -- what?\n, ?"),
            "SELECT '?' , \"a?\" , $1 -- what?\n, $2");
  EXPECT_EQ(ToPgPlaceholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
}

}  // namespace
}  // namespace odp::store

namespace odp::store {
namespace {

TEST_F(StoreTest, CopyCarriesEveryTableAndVerifiesIt) {
  Organization parent = Org("ubnd-tinh");
  ASSERT_TRUE(store_->InsertOrganization(parent).ok());
  Organization child = Org("so-y-te");
  child.parent_id = parent.id;
  ASSERT_TRUE(store_->InsertOrganization(child).ok());
  Dataset d;
  d.id = NewUuid();
  d.slug = "benh-vien";
  d.title_vi = "Bệnh viện";
  d.organization_id = child.id;
  ASSERT_TRUE(store_->InsertDataset(d).ok());
  ASSERT_TRUE(store_->InsertDatasetEvent({0, d.id, "u", "create", "", "draft", "", 5}).ok());
  ASSERT_TRUE(store_->PutSetting("site_name", "Cổng dữ liệu Huế").ok());
  ASSERT_TRUE(store_->RecordCatalogChange("dataset", d.id, "x").ok());
  store_.reset();

  // To the other kind of database (SQLite ⇄ PostgreSQL under ODP_TEST_PG) and back to SQLite.
  std::string there =
      db_->postgres() ? dir_ + "/copy.db" : testing::TestDatabase::FreshUrl(dir_, "copy");
  auto out = CopyDatabase(db_->url(), there);
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::string back = dir_ + "/back.db";
  auto again = CopyDatabase(there, back);
  ASSERT_TRUE(again.ok()) << again.status().message();
  auto a = Fingerprint(db_->url()).value();
  auto b = Fingerprint(back).value();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].rows, b[i].rows) << a[i].table;
    EXPECT_EQ(a[i].checksum, b[i].checksum) << a[i].table;
  }
  // The copy works as a portal: serial numbers continue, nested organizations kept.
  auto copied = OpenStore(back).value();
  EXPECT_EQ(copied->GetOrganization("so-y-te").value().parent_id, parent.id);
  ASSERT_TRUE(copied->InsertDatasetEvent({0, d.id, "u", "update", "draft", "draft", "", 6}).ok());
  EXPECT_EQ(copied->ListDatasetEvents(d.id).value().size(), 2u);
  EXPECT_EQ(copied->GetSetting("site_name").value(), "Cổng dữ liệu Huế");
  // A target with data is refused, and keeps its data.
  auto refused = CopyDatabase(db_->url(), back);
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(copied->ListDatasetEvents(d.id).value().size(), 2u);
}

TEST(StoreCopy, EveryTableOfTheSchemaIsCopied) {
  std::string dir = (std::filesystem::temp_directory_path() / ("odp-copy-" + NewUuid())).string();
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(OpenStore(dir + "/odp.db").ok());
  auto conn = internal::SqliteConnection::Open(dir + "/odp.db").value();
  // audit_head is not copied: its one row is set from the copied log (CopyDatabase).
  auto st = conn->Prepare(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                    "('schema_version', 'meta', 'sqlite_sequence', 'audit_head') ORDER BY name")
                .value();
  std::vector<std::string> tables;
  while (st->Step().value()) tables.push_back(st->Text(0));
  std::vector<std::string> copied = CopiedTables();
  std::sort(copied.begin(), copied.end());
  EXPECT_EQ(tables, copied) << "a migration added a table: add it to store/copy.cpp";
  st.reset();
  conn.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace odp::store

namespace odp::store {
namespace {

JobRecord QueuedJob(const std::string& rid, int version) {
  return JobRecord{"datastore", rid, version,    "/tmp/" + rid + ".csv", "{}", "queued", "", "", 0,
                   "",          0,   NowMicros()};
}

// A server taking a load record as the datastore does (Datastore::RunLoad): "running" under
// `owner`, written only while `holder` (the owner it read) still holds it.
Result<bool> Take(Store& store, const std::string& rid, int version, const std::string& owner,
                  const std::string& holder, Micros now) {
  ODP_ASSIGN_OR_RETURN(JobRecord r, store.GetJob("datastore", rid, version));
  r.state = "running";
  r.owner = owner;
  r.heartbeat = r.updated = now;
  return store.SaveJob(r, holder);
}

TEST_F(StoreTest, EveryLoadRecordIsTakenOnceByServersTakingItAtOnce) {
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(store_->QueueJob(QueuedJob("r" + std::to_string(i), 1)).ok());
  EXPECT_TRUE(store_->JobsPending("datastore").value());
  std::mutex mu;
  std::map<std::string, int> takes;
  std::atomic<int> errors{0};
  std::vector<std::thread> servers;
  for (int t = 0; t < 4; ++t) {
    servers.emplace_back([&, t] {
      std::string me = "server-" + std::to_string(t);
      for (int i = 0; i < 40; ++i) {
        std::string rid = "r" + std::to_string(i);
        auto taken = Take(*store_, rid, 1, me, "", NowMicros());  // each read it queued
        if (!taken.ok()) {
          ++errors;
          continue;
        }
        std::lock_guard lock(mu);
        takes[rid] += *taken ? 1 : 0;
      }
    });
  }
  for (auto& s : servers) s.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_EQ(takes.size(), 40u);
  for (const auto& [rid, n] : takes) EXPECT_EQ(n, 1) << rid;
}

TEST_F(StoreTest, ALoadRecordTakenOverRefusesItsFormerHoldersWrites) {
  ASSERT_TRUE(store_->QueueJob(QueuedJob("r1", 2)).ok());
  Micros t0 = NowMicros();
  ASSERT_TRUE(Take(*store_, "r1", 2, "a", "", t0).value());
  EXPECT_EQ(store_->GetJob("datastore", "r1", 2).value().state, "running");
  // Held: a server that read it queued is refused, and only the holder's heartbeat counts.
  EXPECT_FALSE(Take(*store_, "r1", 2, "b", "", t0 + 1000).value());
  EXPECT_EQ(store_->HeartbeatJob("datastore", "r1", 2, "a", t0 + 1000).value(), "running");
  EXPECT_EQ(store_->HeartbeatJob("datastore", "r1", 2, "b", t0 + 2000).value(), "");
  // a's server died; the jobs layer gave the run to b, which takes the record from a.
  ASSERT_TRUE(Take(*store_, "r1", 2, "b", "a", t0 + 60000000).value());
  JobRecord late = store_->GetJob("datastore", "r1", 2).value();
  late.state = "done";
  late.owner = "";
  EXPECT_FALSE(store_->SaveJob(late, "a").value());
  EXPECT_EQ(store_->LatestJob("datastore", "r1").value().owner, "b");
  EXPECT_EQ(store_->HeartbeatJob("datastore", "r1", 2, "a", t0 + 60001000).value(), "");
  JobRecord done = late;
  done.rows = 7;
  EXPECT_TRUE(store_->SaveJob(done, "b").value());
  EXPECT_EQ(store_->LatestJob("datastore", "r1").value().rows, 7);
  EXPECT_FALSE(store_->JobsPending("datastore").value());
}

TEST_F(StoreTest, CancellingStopsQueuedJobsAndAsksRunningOnesToStop) {
  ASSERT_TRUE(store_->QueueJob(QueuedJob("q", 1)).ok());
  ASSERT_TRUE(store_->QueueJob(QueuedJob("r", 1)).ok());
  Micros now = NowMicros();
  ASSERT_TRUE(Take(*store_, "r", 1, "a", "", now).value());
  EXPECT_EQ(store_->CancelJobs("datastore", "q", now).value(), 1);
  EXPECT_EQ(store_->LatestJob("datastore", "q").value().state, "cancelled");
  EXPECT_EQ(store_->CancelJobs("datastore", "r", now).value(), 1);
  EXPECT_EQ(store_->HeartbeatJob("datastore", "r", 1, "a", now).value(), "cancelling");
  EXPECT_TRUE(store_->JobsPending("datastore").value());  // until its holder stops
  JobRecord stopped = store_->GetJob("datastore", "r", 1).value();
  stopped.state = "cancelled";
  stopped.owner = "";
  EXPECT_TRUE(store_->SaveJob(stopped, "a").value());
  EXPECT_EQ(store_->LatestJob("datastore", "r").value().state, "cancelled");
  EXPECT_EQ(store_->CancelJobs("datastore", "r", now).value(), 0);
  EXPECT_FALSE(store_->JobsPending("datastore").value());
}

}  // namespace
}  // namespace odp::store

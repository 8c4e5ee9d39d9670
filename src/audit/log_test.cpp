#include "audit/log.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/crypto.h"
#include "store/store.h"
#include "testing/test_db.h"

namespace odp::audit {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("odp-audit-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<testing::TestDatabase>(dir_.string());
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  static store::AuditEntry Event(const std::string& kind, int i) {
    store::AuditEntry e;
    e.kind = kind;
    e.actor = "user:u1";
    e.subject = "s" + std::to_string(i);
    e.body = R"({"i":)" + std::to_string(i) + "}";
    return e;
  }
  std::filesystem::path dir_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditLogTest, AppendsFromManyThreadsFormOneValidChainWithCheckpoints) {
  LogOptions o;
  o.checkpoint_every = 100;
  Log log(*store_, o);
  ASSERT_TRUE(log.Start().ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 250; ++i) log.Append(Event("test.event", t * 1000 + i));
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(log.Flush().ok());
  auto head = store_->AuditHead();
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 1000);
  auto cps = store_->ListAuditCheckpoints(0, 0);
  ASSERT_TRUE(cps.ok());
  ASSERT_GE(cps->size(), 1u);
  EXPECT_EQ(cps->back().seq, 1000);  // the writer checkpoints after the batch that passes N
  auto report = VerifyLog(*store_, 0, 0);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->records, 1000);
  EXPECT_EQ(report->checkpoints, static_cast<int64_t>(cps->size()));
  log.Stop();
}

TEST_F(AuditLogTest, TwoLogsOnOneDatabaseShareOneChain) {
  Log a(*store_);
  auto second = store::OpenStore(db_->url());
  ASSERT_TRUE(second.ok());
  Log b(**second);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  std::thread ta([&] {
    for (int i = 0; i < 300; ++i) ASSERT_TRUE(a.AppendNow(Event("a.event", i)).ok());
  });
  std::thread tb([&] {
    for (int i = 0; i < 300; ++i) b.Append(Event("b.event", i));
  });
  ta.join();
  tb.join();
  ASSERT_TRUE(b.Flush().ok());
  ASSERT_TRUE(a.CheckpointNow().ok());
  auto report = VerifyLog(*store_, 0, 0);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->records, 600);
  b.Stop();
  a.Stop();
}

TEST_F(AuditLogTest, VerifyRangeAndExportedCheckpoints) {
  Log log(*store_);
  ASSERT_TRUE(log.Start().ok());
  for (int i = 0; i < 30; ++i) log.Append(Event("x.event", i));
  auto cp = log.CheckpointNow();
  ASSERT_TRUE(cp.ok() && cp->has_value());
  EXPECT_EQ((*cp)->seq, 30);
  auto text = ExportCheckpoints(*store_);
  ASSERT_TRUE(text.ok());
  auto parsed = ParseCheckpointExport(*text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->keys.size(), 1u);
  ASSERT_EQ(parsed->checkpoints.size(), 1u);
  EXPECT_TRUE(parsed->keys[0].secret_key.empty());
  auto report = VerifyLog(*store_, 10, 20, &*parsed);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->first_seq, 10);
  EXPECT_EQ(report->last_seq, 20);
  auto whole = VerifyLog(*store_, 0, 0, &*parsed);
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->ok) << whole->problem;
  EXPECT_EQ(whole->checkpoints, 1);
  log.Stop();
}

TEST_F(AuditLogTest, QueriesAndDailyTotalsOfCalls) {
  Log log(*store_);
  ASSERT_TRUE(log.Start().ok());
  for (int i = 0; i < 5; ++i) {
    store::AuditEntry e;
    e.kind = "api.call";
    e.actor = i < 3 ? "consumer:c1" : "consumer:c2";
    e.organization = "org1";
    e.status = i == 4 ? 404 : 200;
    e.rows = 2;
    e.bytes = 100;
    e.body = "{}";
    log.Append(e);
  }
  log.Append(Event("consumer.approved", 1));
  ASSERT_TRUE(log.Flush().ok());
  store::AuditQuery q;
  q.actor = "consumer:c1";
  auto mine = store_->QueryAuditRecords(q);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->size(), 3u);
  store::AuditQuery events;
  events.kind = "consumer.";
  auto ev = store_->QueryAuditRecords(events);
  ASSERT_TRUE(ev.ok());
  ASSERT_EQ(ev->size(), 1u);
  EXPECT_EQ((*ev)[0].kind, "consumer.approved");
  auto totals = store_->SumAuditCalls({});
  ASSERT_TRUE(totals.ok());
  ASSERT_EQ(totals->size(), 1u);
  EXPECT_EQ((*totals)[0].calls, 5);
  EXPECT_EQ((*totals)[0].errors, 1);
  EXPECT_EQ((*totals)[0].rows, 10);
  EXPECT_EQ((*totals)[0].bytes, 500);
  EXPECT_EQ((*totals)[0].day.size(), 10u);
  log.Stop();
}

// A store whose appends fail on demand (a full disk or a lost database is hard to cause in a
// unit test; the integration tests cause a real one with a trigger).
class FailingAuditStore final : public store::AuditStore {
 public:
  explicit FailingAuditStore(store::Store& real) : real_(real) {}
  std::atomic<bool> fail{false};

  Status Transaction(const std::function<Status()>& fn) override { return real_.Transaction(fn); }
  Result<store::AuditRecord> AppendAuditRecords(const std::vector<store::AuditEntry>& e,
                                                const AuditHasher& h) override {
    if (fail) return Status::Unavailable("disk full");
    return real_.AppendAuditRecords(e, h);
  }
  Result<store::AuditRecord> AuditHead() override { return real_.AuditHead(); }
  Result<std::vector<store::AuditRecord>> ListAuditRecords(int64_t a, int64_t t, int l) override {
    return real_.ListAuditRecords(a, t, l);
  }
  Result<std::vector<store::AuditRecord>> QueryAuditRecords(const store::AuditQuery& q) override {
    return real_.QueryAuditRecords(q);
  }
  Result<std::vector<store::AuditCallTotal>> SumAuditCalls(const store::AuditQuery& q) override {
    return real_.SumAuditCalls(q);
  }
  Status InsertAuditCheckpoint(const store::AuditCheckpoint& c) override {
    return real_.InsertAuditCheckpoint(c);
  }
  Result<std::vector<store::AuditCheckpoint>> ListAuditCheckpoints(int64_t f, int64_t t) override {
    return real_.ListAuditCheckpoints(f, t);
  }
  Result<std::optional<store::AuditCheckpoint>> LatestAuditCheckpoint() override {
    return real_.LatestAuditCheckpoint();
  }
  Status InsertAuditKey(const SigningKey& k) override { return real_.InsertAuditKey(k); }
  Result<std::vector<SigningKey>> ListAuditKeys() override { return real_.ListAuditKeys(); }

 private:
  store::Store& real_;
};

TEST_F(AuditLogTest, FailsClosedWhileRecordsCannotBeWrittenAndRecovers) {
  FailingAuditStore failing(*store_);
  Log log(failing);
  ASSERT_TRUE(log.Start().ok());
  EXPECT_TRUE(log.RequireWritable().ok());
  failing.fail = true;
  log.Append(Event("queued.event", 1));
  Status now = log.AppendNow(Event("needs.audit", 2));
  EXPECT_EQ(now.code(), StatusCode::kUnavailable);
  EXPECT_EQ(log.RequireWritable().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(log.stats().writable);
  failing.fail = false;
  ASSERT_TRUE(log.Flush().ok());
  EXPECT_TRUE(log.RequireWritable().ok());
  // The queued record was kept and written, then the outage was noted; the refused one was not.
  store::AuditQuery q;
  auto all = store_->QueryAuditRecords(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].kind, "queued.event");
  EXPECT_EQ((*all)[0].kind, "audit.outage");
  EXPECT_NE((*all)[0].body.find("disk full"), std::string::npos);
  log.Stop();
}

}  // namespace
}  // namespace odp::audit

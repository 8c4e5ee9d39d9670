#include "jobs/jobs.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "base/ids.h"
#include "jobs/schedule.h"
#include "store/job_store.h"
#include "store/store.h"
#include "testing/test_db.h"

namespace odp::jobs {
namespace {

constexpr Micros kSecond = 1000000;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kHour = 60 * kMinute;
constexpr Micros kDay = 24 * kHour;
// 2026-03-01T00:00:00Z.
constexpr Micros kMarch1 = 1772323200LL * kSecond;

// Schedules -----------------------------------------------------------------------------------

TEST(ScheduleTest, ParsesAndPrintsEveryForm) {
  for (std::string spec :
       {"once", "every:1", "every:3600", "daily:00:00", "daily:03:30", "daily:23:59"}) {
    auto s = ParseSchedule(spec);
    ASSERT_TRUE(s.ok()) << spec;
    EXPECT_EQ(ToSpec(*s), spec);
  }
  for (std::string bad : {"", "every:0", "every:-5", "every:x", "daily:24:00", "daily:12:60",
                          "daily:3:30", "daily:03:30 ", "weekly:1", "every: 5"}) {
    EXPECT_FALSE(ParseSchedule(bad).ok()) << bad;
  }
}

TEST(ScheduleTest, DailyRunsAtTheLocalTimeInVietNam) {
  Schedule s = ParseSchedule("daily:03:30").value();
  // 03:30 in Viet Nam (UTC+7) is 20:30 UTC the day before.
  Micros now = kMarch1;  // 07:00 local on 1 March
  EXPECT_EQ(NextOccurrence(s, now, now), kMarch1 + kDay - 3 * kHour - 30 * kMinute);
  // Just before 03:30 local (20:29 UTC): the same evening in UTC.
  now = kMarch1 + 20 * kHour + 29 * kMinute;
  EXPECT_EQ(NextOccurrence(s, now, now), kMarch1 + 20 * kHour + 30 * kMinute);
  // Exactly at it: the next day's.
  now = kMarch1 + 20 * kHour + 30 * kMinute;
  EXPECT_EQ(NextOccurrence(s, now, now), kMarch1 + kDay + 20 * kHour + 30 * kMinute);
}

TEST(ScheduleTest, DailyCrossesTheUtcDayBoundaryOnTheLocalCalendar) {
  // 23:00 local is 16:00 UTC; 06:00 local is 23:00 UTC the day before.
  Schedule late = ParseSchedule("daily:23:00").value();
  Schedule early = ParseSchedule("daily:06:00").value();
  Micros now = kMarch1 + 17 * kHour + 5 * kMinute;  // 00:05 local on 2 March
  EXPECT_EQ(NextOccurrence(late, now, now), kMarch1 + kDay + 16 * kHour);
  EXPECT_EQ(NextOccurrence(early, now, now),
            kMarch1 + kDay - kHour);  // 06:00 local 2 March = 23:00 UTC 1 March
  // Another zone (UTC-3, also without daylight saving): 06:00 there is 09:00 UTC.
  EXPECT_EQ(NextOccurrence(early, kMarch1, kMarch1, -3 * 3600), kMarch1 + 9 * kHour);
}

TEST(ScheduleTest, EveryKeepsItsRhythmAndCollapsesMissedOccurrences) {
  Schedule s = ParseSchedule("every:600").value();
  Micros anchor = kMarch1;
  EXPECT_EQ(NextOccurrence(s, anchor, anchor), anchor + 10 * kMinute);
  EXPECT_EQ(NextOccurrence(s, anchor, anchor + 3 * kMinute), anchor + 10 * kMinute);
  // Down for 55 minutes: one next occurrence, on the rhythm, not five.
  EXPECT_EQ(NextOccurrence(s, anchor, anchor + 55 * kMinute), anchor + 60 * kMinute);
  EXPECT_EQ(NextOccurrence(ParseSchedule("once").value(), anchor, anchor), 0);
}

// The service on a real database (SQLite, or PostgreSQL under ODP_TEST_PG) --------------------

class JobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("odp-jobs-" + NewUuid())).string();
    std::filesystem::create_directories(dir_);
    db_ = std::make_unique<testing::TestDatabase>(dir_);
    store_ = std::move(store::OpenStore(db_->url()).value());
    jobs_store_ = store_.get();
  }
  void TearDown() override {
    SetClockForTest(nullptr);
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A clock the test moves.
  void FreezeClock(Micros at) {
    now_ = at;
    SetClockForTest([this] { return now_.load(); });
  }
  JobsOptions Options(const std::string& owner) {
    JobsOptions o;
    o.owner = owner;
    o.workers = 2;
    o.lease = 30 * kSecond;
    o.poll = 20 * 1000;
    return o;
  }

  std::string dir_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<store::Store> store_;
  store::JobStore* jobs_store_ = nullptr;
  std::atomic<Micros> now_{0};
};

TEST_F(JobsTest, RunsAQueuedJobWithItsPayloadAndKeepsItInTheHistory) {
  FreezeClock(kMarch1);
  Jobs jobs(*jobs_store_, Options("a"));
  std::string seen;
  jobs.Register("echo", [&](JobContext& ctx) {
    seen = ctx.payload();
    ctx.SetProgress(0.5, "half");
    return Status::Ok();
  });
  std::string id = jobs.Enqueue("echo", "", R"({"n":1})").value();
  EXPECT_TRUE(jobs.RunOnce().value());
  EXPECT_FALSE(jobs.RunOnce().value());
  EXPECT_EQ(seen, R"({"n":1})");
  auto run = jobs.Get(id).value();
  EXPECT_EQ(run.state, "done");
  EXPECT_EQ(run.attempts, 1);
  EXPECT_EQ(run.progress, 1.0);
  EXPECT_EQ(run.owner, "");
  auto o = jobs.Overview().value();
  ASSERT_EQ(o.history.size(), 1u);
  EXPECT_EQ(o.history[0].id, id);
  EXPECT_EQ(o.counts.done, 1);
}

TEST_F(JobsTest, AQueuedRunWithTheSameKeyIsUpdatedNotDuplicated) {
  FreezeClock(kMarch1);
  Jobs jobs(*jobs_store_, Options("a"));
  std::string a = jobs.Enqueue("load", "res-1", R"({"v":1})").value();
  std::string b = jobs.Enqueue("load", "res-1", R"({"v":2})").value();
  std::string c = jobs.Enqueue("load", "res-2", R"({"v":1})").value();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(jobs.Get(a).value().payload, R"({"v":2})");
}

TEST_F(JobsTest, AFutureRunWaitsForItsTime) {
  FreezeClock(kMarch1);
  Jobs jobs(*jobs_store_, Options("a"));
  int runs = 0;
  jobs.Register("later", [&](JobContext&) {
    ++runs;
    return Status::Ok();
  });
  ASSERT_TRUE(jobs.Enqueue("later", "", "{}", kMarch1 + kHour).ok());
  EXPECT_FALSE(jobs.RunOnce().value());
  now_ = kMarch1 + kHour;
  EXPECT_TRUE(jobs.RunOnce().value());
  EXPECT_EQ(runs, 1);
}

TEST_F(JobsTest, RetriesWithExponentialBackOffThenFails) {
  FreezeClock(kMarch1);
  Jobs jobs(*jobs_store_, Options("a"));
  int calls = 0;
  KindOptions ko;
  ko.max_attempts = 3;
  ko.backoff = 10 * kSecond;
  jobs.Register(
      "flaky",
      [&](JobContext&) {
        ++calls;
        return Status::Unavailable("upstream down");
      },
      ko);
  std::string id = jobs.Enqueue("flaky", "", "{}").value();
  EXPECT_TRUE(jobs.RunOnce().value());
  auto run = jobs.Get(id).value();
  EXPECT_EQ(run.state, "queued");
  EXPECT_EQ(run.run_at, kMarch1 + 10 * kSecond);
  EXPECT_EQ(run.error, "upstream down");
  EXPECT_FALSE(jobs.RunOnce().value());  // backing off
  now_ = kMarch1 + 10 * kSecond;
  EXPECT_TRUE(jobs.RunOnce().value());
  run = jobs.Get(id).value();
  EXPECT_EQ(run.state, "queued");
  EXPECT_EQ(run.run_at, kMarch1 + 30 * kSecond);  // the second delay is twice the first
  now_ = kMarch1 + 30 * kSecond;
  EXPECT_TRUE(jobs.RunOnce().value());
  run = jobs.Get(id).value();
  EXPECT_EQ(run.state, "failed");
  EXPECT_EQ(run.attempts, 3);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(jobs.failed_here(), 1);
  // A sysadmin's retry queues it again with fresh attempts.
  ASSERT_TRUE(jobs.Retry(id).ok());
  run = jobs.Get(id).value();
  EXPECT_EQ(run.state, "queued");
  EXPECT_EQ(run.attempts, 0);
  EXPECT_TRUE(jobs.RunOnce().value());
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(jobs.Retry(jobs.Enqueue("flaky", "", "{}").value()).code(), StatusCode::kConflict);
}

TEST_F(JobsTest, TwoServersOnOneDatabaseRunEachJobExactlyOnce) {
  constexpr int kRuns = 40;
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, int> runs_of;  // payload -> times run
  std::map<std::string, int> by_server;
  int finished = 0;
  auto handler = [&](const std::string& server) {
    return [&, server](JobContext& ctx) {
      std::lock_guard lock(mu);
      ++runs_of[ctx.payload()];
      ++by_server[server];
      ++finished;
      cv.notify_all();
      return Status::Ok();
    };
  };
  auto other_store = std::move(store::OpenStore(db_->url()).value());
  Jobs a(*jobs_store_, Options("server-a"));
  Jobs b(*other_store, Options("server-b"));
  a.Register("count", handler("a"));
  b.Register("count", handler("b"));
  for (int i = 0; i < kRuns; ++i) ASSERT_TRUE(a.Enqueue("count", "", std::to_string(i)).ok());
  a.Start();
  b.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return finished >= kRuns; }));
  }
  a.Stop();
  b.Stop();
  EXPECT_EQ(runs_of.size(), static_cast<size_t>(kRuns));
  for (const auto& [payload, n] : runs_of) EXPECT_EQ(n, 1) << payload;
  EXPECT_EQ(finished, kRuns);
  EXPECT_EQ(a.Overview().value().counts.done, kRuns);
}

TEST_F(JobsTest, ARunWhoseServerDiedIsTakenOverAfterItsLease) {
  FreezeClock(kMarch1);
  Jobs jobs(*jobs_store_, Options("alive"));
  std::vector<int> attempts;
  jobs.Register("work", [&](JobContext& ctx) {
    attempts.push_back(ctx.run().attempts);
    return Status::Ok();
  });
  std::string id = jobs.Enqueue("work", "", "{}").value();
  // Another server claims it and dies (no renewals, no end).
  auto dead =
      jobs_store_->ClaimJobRun({"work"}, "dead", kMarch1, kMarch1 + 30 * kSecond, 3).value();
  ASSERT_TRUE(dead.has_value());
  EXPECT_FALSE(jobs.RunOnce().value());  // its lease still holds
  now_ = kMarch1 + 30 * kSecond + 1;
  EXPECT_TRUE(jobs.RunOnce().value());
  EXPECT_EQ(attempts, std::vector<int>{2});
  EXPECT_EQ(jobs.Get(id).value().state, "done");
  // The dead server's late word changes nothing.
  EXPECT_FALSE(jobs_store_->FinishJobRun(id, "dead", "failed", "late", 0, true, now_).value());
  EXPECT_FALSE(
      jobs_store_->RenewJobRun(id, "dead", now_ + kSecond, 0, "", now_).value().has_value());
  EXPECT_EQ(jobs.Get(id).value().state, "done");
}

TEST_F(JobsTest, ARunThatKillsEveryServerFailsAfterItsTakeOverAllowance) {
  FreezeClock(kMarch1);
  std::string id = Jobs(*jobs_store_, Options("x")).Enqueue("poison", "", "{}").value();
  // max_attempts 1 + allowance 2: three claims, each by a server that dies.
  for (int i = 0; i < 3; ++i) {
    auto r =
        jobs_store_->ClaimJobRun({"poison"}, "dies-" + std::to_string(i), now_, now_ + kSecond, 2)
            .value();
    ASSERT_TRUE(r.has_value()) << i;
    now_ = now_ + 2 * kSecond;
  }
  EXPECT_FALSE(
      jobs_store_->ClaimJobRun({"poison"}, "next", now_, now_ + kSecond, 2).value().has_value());
  auto run = jobs_store_->GetJobRun(id).value();
  EXPECT_EQ(run.state, "failed");
  EXPECT_NE(run.error.find("lease expired"), std::string::npos);
}

TEST_F(JobsTest, CancellingAQueuedRunMeansItNeverRuns) {
  FreezeClock(kMarch1);
  Jobs jobs(*jobs_store_, Options("a"));
  int runs = 0;
  std::vector<std::string> told;
  KindOptions ko;
  ko.on_cancelled = [&](const store::JobRun& r) { told.push_back(r.key); };
  jobs.Register(
      "w",
      [&](JobContext&) {
        ++runs;
        return Status::Ok();
      },
      ko);
  std::string id = jobs.Enqueue("w", "res-9", "{}").value();
  ASSERT_TRUE(jobs.Cancel(id).ok());
  EXPECT_FALSE(jobs.RunOnce().value());
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(jobs.Get(id).value().state, "cancelled");
  EXPECT_EQ(told, std::vector<std::string>{"res-9"});
  EXPECT_EQ(jobs.Cancel(id).code(), StatusCode::kConflict);
  EXPECT_EQ(jobs.Retry(id).code(), StatusCode::kConflict);  // only failed runs are retried
  EXPECT_EQ(jobs.Cancel("no-such-run").code(), StatusCode::kNotFound);
}

TEST_F(JobsTest, ARunningRunSeesACancelAskedThroughAnotherServer) {
  auto other_store = std::move(store::OpenStore(db_->url()).value());
  JobsOptions fast = Options("runner");
  fast.lease = 100 * 1000;  // renewed (and cancellations read) every 20 ms
  Jobs runner(*jobs_store_, fast);
  Jobs admin(*other_store, Options("admin"));
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, saw_cancel = false;
  runner.Register("long", [&](JobContext& ctx) {
    {
      std::lock_guard lock(mu);
      started = true;
    }
    cv.notify_all();
    // Works in small steps, checking the flag between them.
    while (!ctx.ShouldStop()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mu);
    saw_cancel = ctx.cancelled();
    return Status::Conflict("stopped", "đã dừng");
  });
  std::string id = runner.Enqueue("long", "", "{}").value();
  runner.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return started; }));
  }
  EXPECT_EQ(runner.running_here(), 1);
  ASSERT_TRUE(admin.Cancel(id).ok());
  for (int i = 0; i < 500 && runner.Get(id).value().state == "running"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  runner.Stop();
  EXPECT_TRUE(saw_cancel);
  auto run = runner.Get(id).value();
  EXPECT_EQ(run.state, "cancelled");
  EXPECT_EQ(runner.running_here(), 0);
}

TEST_F(JobsTest, StopHandsARunningRunBackWithoutCountingTheAttempt) {
  Jobs jobs(*jobs_store_, Options("a"));
  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  jobs.Register("slow", [&](JobContext& ctx) {
    {
      std::lock_guard lock(mu);
      started = true;
    }
    cv.notify_all();
    while (!ctx.stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Status::Unavailable("stopping");
  });
  std::string id = jobs.Enqueue("slow", "", "{}").value();
  jobs.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return started; }));
  }
  jobs.Stop();
  auto run = jobs.Get(id).value();
  EXPECT_EQ(run.state, "queued");
  EXPECT_EQ(run.attempts, 0);
  EXPECT_EQ(run.owner, "");
}

TEST_F(JobsTest, RunScheduleNowQueuesItsKindAndPayloadWithoutMovingTheTimetable) {
  FreezeClock(kMarch1);
  Jobs server(*jobs_store_, Options("server"));
  std::string seen;
  server.Register("sharing.expiry", [&](JobContext& ctx) {
    seen = ctx.payload();
    return Status::Ok();
  });
  ASSERT_TRUE(server.PutSchedule("expiry", "sharing.expiry", "every:3600", R"({"p":1})").ok());
  // Another process (a command) on the same database asks for a run now.
  Jobs command(*jobs_store_, Options("command"));
  auto id = command.RunScheduleNow("expiry");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(command.RunScheduleNow("no-such-schedule").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(server.RunOnce().value());
  EXPECT_EQ(seen, R"({"p":1})");
  EXPECT_EQ(server.Get(*id).value().state, "done");
  EXPECT_EQ(jobs_store_->ListJobSchedules().value()[0].next_run, kMarch1 + kHour);
}

TEST_F(JobsTest, EachOccurrenceOfAScheduleIsFiredByExactlyOneServer) {
  FreezeClock(kMarch1);
  auto other_store = std::move(store::OpenStore(db_->url()).value());
  Jobs a(*jobs_store_, Options("a"));
  Jobs b(*other_store, Options("b"));
  ASSERT_TRUE(a.PutSchedule("gc", "blob.gc", "every:3600").ok());
  ASSERT_TRUE(
      b.PutSchedule("gc", "blob.gc", "every:3600").ok());  // the second server keeps the time
  auto sch = jobs_store_->ListJobSchedules().value();
  ASSERT_EQ(sch.size(), 1u);
  EXPECT_EQ(sch[0].next_run, kMarch1 + kHour);
  ASSERT_TRUE(a.FireDueSchedules().ok());
  EXPECT_EQ(a.Overview().value().counts.queued, 0);  // not due yet
  now_ = kMarch1 + kHour + 5 * kSecond;
  // Both servers try, from two threads at once.
  std::thread ta([&] { ASSERT_TRUE(a.FireDueSchedules().ok()); });
  std::thread tb([&] { ASSERT_TRUE(b.FireDueSchedules().ok()); });
  ta.join();
  tb.join();
  auto queued = jobs_store_->ListJobRuns("queued", 10).value();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].schedule_id, "gc");
  EXPECT_EQ(queued[0].run_at, kMarch1 + kHour);
  EXPECT_EQ(jobs_store_->ListJobSchedules().value()[0].next_run, kMarch1 + 2 * kHour);
  // Changing the spec moves the next run.
  ASSERT_TRUE(a.PutSchedule("gc", "blob.gc", "daily:03:00").ok());
  EXPECT_EQ(jobs_store_->ListJobSchedules().value()[0].next_run, kMarch1 + 20 * kHour);
}

TEST_F(JobsTest, HistoryIsPrunedByAgeAndByCount) {
  FreezeClock(kMarch1);
  JobsOptions o = Options("a");
  o.keep_history = 7 * kDay;
  o.keep_runs = 3;
  Jobs jobs(*jobs_store_, o);
  jobs.Register("t", [](JobContext&) { return Status::Ok(); });
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(jobs.Enqueue("t", "", std::to_string(i)).value());
    ASSERT_TRUE(jobs.RunOnce().value());
    now_ = now_ + kDay;  // run i finished on day i
  }
  std::string waiting = jobs.Enqueue("t", "", "later", now_ + 30 * kDay).value();
  // Keeps the newest three finished runs, and every unfinished one.
  EXPECT_EQ(jobs.PruneHistory().value(), 3);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(jobs.Get(ids[i]).ok()) << i;
  for (int i = 3; i < 6; ++i) EXPECT_TRUE(jobs.Get(ids[i]).ok()) << i;
  // Ten days on, the age limit removes the rest of the finished ones.
  now_ = now_ + 10 * kDay;
  EXPECT_EQ(jobs.PruneHistory().value(), 3);
  EXPECT_EQ(jobs.Get(waiting).value().state, "queued");
}

TEST_F(JobsTest, AKindWithConcurrencyOneRunsOneAtATimeOnAServer) {
  Jobs jobs(*jobs_store_, Options("a"));
  std::mutex mu;
  std::condition_variable cv;
  int now_running = 0, most = 0, done = 0;
  KindOptions ko;
  ko.concurrency = 1;
  jobs.Register(
      "one",
      [&](JobContext&) {
        {
          std::lock_guard lock(mu);
          most = std::max(most, ++now_running);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::lock_guard lock(mu);
        --now_running;
        ++done;
        cv.notify_all();
        return Status::Ok();
      },
      ko);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(jobs.Enqueue("one", "", std::to_string(i)).ok());
  jobs.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return done == 5; }));
  }
  jobs.Stop();
  EXPECT_EQ(most, 1);
}

}  // namespace
}  // namespace odp::jobs

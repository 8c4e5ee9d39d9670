#include "catalog/change_follower.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "testing/temp_portal.h"

namespace odp::catalog {
namespace {

using std::chrono::milliseconds;

TEST(ChangeFollowerTest, StopWithoutStartAndStopTwiceAreHarmless) {
  testing::TempPortal portal;
  int calls = 0;
  ChangeFollower follower(
      *portal.store, [&]() -> Result<int> { return ++calls; }, milliseconds(1));
  follower.Stop();
  follower.Stop();
  EXPECT_FALSE(follower.running());
  // A stopped follower does not start again.
  follower.Start();
  EXPECT_FALSE(follower.running());
  EXPECT_EQ(calls, 0);
}

// Two servers on one database: the follower of the first applies what the second writes.
TEST(ChangeFollowerTest, AppliesAnotherServersChangesUntilStopped) {
  testing::TempPortal portal;
  auto other =
      CatalogService::Open(*portal.store, *portal.store, *portal.store, *portal.blobs).value();
  std::mutex mu;
  std::condition_variable cv;
  int applied = 0;  // guarded by mu
  std::atomic<int> calls{0};
  ChangeFollower follower(
      *portal.store,
      [&]() -> Result<int> {
        ++calls;
        ODP_ASSIGN_OR_RETURN(int n, portal.catalog->CatchUp());
        std::lock_guard lock(mu);
        applied += n;
        cv.notify_all();
        return n;
      },
      milliseconds(2));
  follower.Start();
  follower.Start();  // already running: nothing more
  EXPECT_TRUE(follower.running());

  OrganizationInput in;
  in.title_vi = "Sở Du lịch";
  ASSERT_TRUE(other->CreateOrganization(testing::TempPortal::Sysadmin(), in).ok());
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return applied >= 1; }));
  }
  EXPECT_TRUE(portal.catalog->GetOrganization("so-du-lich").ok());

  follower.Stop();
  EXPECT_FALSE(follower.running());
  // Joined: the function is not running and is not called again.
  const int after_stop = calls.load();
  in.title_vi = "Sở Y tế";
  ASSERT_TRUE(other->CreateOrganization(testing::TempPortal::Sysadmin(), in).ok());
  follower.Stop();
  EXPECT_EQ(calls.load(), after_stop);
  EXPECT_FALSE(portal.catalog->GetOrganization("so-y-te").ok());
}

TEST(ChangeFollowerTest, AFailingCatchUpIsRetriedOnTheNextInterval) {
  testing::TempPortal portal;
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;  // guarded by mu
  ChangeFollower follower(
      *portal.store,
      [&]() -> Result<int> {
        std::lock_guard lock(mu);
        ++calls;
        cv.notify_all();
        return Status::Unavailable("the database is gone for a moment");
      },
      milliseconds(1));
  follower.Start();
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return calls >= 3; }));
  lock.unlock();
  follower.Stop();
}

}  // namespace
}  // namespace odp::catalog

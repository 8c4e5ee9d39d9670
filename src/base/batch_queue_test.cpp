#include "base/batch_queue.h"

#include <algorithm>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace odp {
namespace {

struct Numbers {
  std::vector<int> values;
  Numbers* self = this;  // to tell batches apart when they come back
};

TEST(BatchQueueTest, BatchesGoAroundInOrderWithoutNewOnes) {
  BatchQueue<Numbers> q(2);
  std::vector<Numbers*> seen;
  std::thread filler([&] {
    for (int i = 0; i < 100; ++i) {
      auto b = q.TakeFree();
      ASSERT_NE(b, nullptr);
      b->values.assign(3, i);
      q.PushFull(std::move(b));
    }
    q.Finish();
  });
  int expected = 0;
  while (auto b = q.TakeFull()) {
    EXPECT_EQ(b->values, std::vector<int>(3, expected));
    ++expected;
    if (std::find(seen.begin(), seen.end(), b->self) == seen.end()) seen.push_back(b->self);
    q.GiveBack(std::move(b));
  }
  filler.join();
  EXPECT_EQ(expected, 100);    // Finish: everything queued still came out
  EXPECT_EQ(seen.size(), 2u);  // only the pool's two batches were ever used
}

TEST(BatchQueueTest, CloseWakesBothSides) {
  BatchQueue<Numbers> q(1);
  auto held = q.TakeFree();  // the pool is now empty: a second TakeFree waits
  std::unique_ptr<Numbers> from_filler = std::make_unique<Numbers>();
  std::unique_ptr<Numbers> from_user = std::make_unique<Numbers>();
  std::thread filler([&] { from_filler = q.TakeFree(); });
  std::thread user([&] { from_user = q.TakeFull(); });
  q.Close();
  filler.join();
  user.join();
  EXPECT_EQ(from_filler, nullptr);
  EXPECT_EQ(from_user, nullptr);
  // Closed, a queue hands out nothing even when it has batches.
  q.PushFull(std::move(held));
  EXPECT_EQ(q.TakeFull(), nullptr);
}

TEST(BatchQueueTest, ResetMakesEveryBatchFreeAndReopens) {
  BatchQueue<Numbers> q(2);
  auto a = q.TakeFree();
  auto b = q.TakeFree();
  q.PushFull(std::move(a));
  q.Close();
  q.Reset(std::move(b));  // one was queued full, one held: both free again
  auto x = q.TakeFree();
  auto y = q.TakeFree();
  EXPECT_NE(x, nullptr);
  EXPECT_NE(y, nullptr);
  q.PushFull(std::move(x));
  EXPECT_NE(q.TakeFull(), nullptr);  // open again
}

}  // namespace
}  // namespace odp

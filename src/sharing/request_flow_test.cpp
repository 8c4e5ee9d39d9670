// The request's life as a table: every state × step.
#include "sharing/request_flow.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace odp::sharing {
namespace {

using S = RequestStep;

TEST(RequestFlowTest, EveryStateAndStepFollowsTheTable) {
  const char* states[] = {"submitted", "info_requested", "approved", "refused", "withdrawn"};
  const S steps[] = {S::kAskInfo, S::kAnswer, S::kApprove, S::kRefuse, S::kWithdraw};
  // Expected next state, "" = refused (kConflict).
  const std::map<std::pair<std::string, S>, std::string> allowed = {
      {{"submitted", S::kAskInfo}, "info_requested"},
      {{"submitted", S::kApprove}, "approved"},
      {{"submitted", S::kRefuse}, "refused"},
      {{"submitted", S::kWithdraw}, "withdrawn"},
      {{"info_requested", S::kAnswer}, "submitted"},
      {{"info_requested", S::kWithdraw}, "withdrawn"},
  };
  int checked = 0, ok = 0;
  for (const char* state : states) {
    for (S step : steps) {
      auto next = NextState(state, step);
      auto it = allowed.find({state, step});
      if (it == allowed.end()) {
        EXPECT_EQ(next.status().code(), StatusCode::kConflict) << state << " " << ToString(step);
      } else {
        ASSERT_TRUE(next.ok()) << state << " " << ToString(step);
        EXPECT_EQ(*next, it->second);
        ++ok;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 25);
  EXPECT_EQ(ok, 6);
}

TEST(RequestFlowTest, TheClockRunsOnlyWhileSubmitted) {
  EXPECT_TRUE(ClockRuns("submitted"));
  for (const char* s : {"info_requested", "approved", "refused", "withdrawn"}) {
    EXPECT_FALSE(ClockRuns(s)) << s;
  }
  EXPECT_FALSE(IsFinal("submitted"));
  EXPECT_FALSE(IsFinal("info_requested"));
  EXPECT_TRUE(IsFinal("approved"));
  EXPECT_TRUE(IsFinal("refused"));
  EXPECT_TRUE(IsFinal("withdrawn"));
}

}  // namespace
}  // namespace odp::sharing

#include "sharing/request_flow.h"

namespace odp::sharing {

const char* ToString(RequestStep step) {
  switch (step) {
    case RequestStep::kAskInfo: return "ask_info";
    case RequestStep::kAnswer: return "answer";
    case RequestStep::kApprove: return "approve";
    case RequestStep::kRefuse: return "refuse";
    case RequestStep::kWithdraw: return "withdraw";
  }
  return "unknown";
}

Result<std::string> NextState(const std::string& state, RequestStep step) {
  const bool submitted = state == "submitted";
  const bool waiting = state == "info_requested";
  switch (step) {
    case RequestStep::kAskInfo:
      if (submitted) return std::string("info_requested");
      break;
    case RequestStep::kAnswer:
      if (waiting) return std::string("submitted");
      break;
    case RequestStep::kApprove:
      if (submitted) return std::string("approved");
      break;
    case RequestStep::kRefuse:
      if (submitted) return std::string("refused");
      break;
    case RequestStep::kWithdraw:
      if (submitted || waiting) return std::string("withdrawn");
      break;
  }
  return Status::Conflict(
      std::string("a ") + state + " request cannot take the step " + ToString(step),
      "Yêu cầu ở trạng thái này không thể thực hiện thao tác đó");
}

bool ClockRuns(const std::string& state) { return state == "submitted"; }

bool IsFinal(const std::string& state) {
  return state == "approved" || state == "refused" || state == "withdrawn";
}

}  // namespace odp::sharing

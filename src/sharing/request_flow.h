// The life of a sharing request, as a table: which step may follow which state, and whether the
// two-working-day clock runs. Pure: no clock, no I/O.
//
//   submitted ──ask_info──▶ info_requested ──answer──▶ submitted (the clock starts again)
//   submitted ──approve──▶ approved            submitted ──refuse──▶ refused
//   submitted | info_requested ──withdraw──▶ withdrawn (by the requester)
//
// The clock (Decree 47/2020 as amended by Decree 194/2025, Art. 35(3): the provider answers
// within 2 working days) runs only in "submitted". Asking for more information stops it; the
// requester's answer completes the request, and a full new period of 2 working days counts
// from the answer, as for a file completed after a request for missing documents. approved,
// refused and withdrawn are final.
#pragma once

#include <string>

#include "base/status.h"

namespace odp::sharing {

enum class RequestStep { kAskInfo, kAnswer, kApprove, kRefuse, kWithdraw };

inline constexpr int kDecisionWorkingDays = 2;

// "ask_info", "answer", "approve", "refuse", "withdraw".
const char* ToString(RequestStep step);

// The state after `step` from `state`, or kConflict (with a Vietnamese message) when the step
// is not allowed from there.
Result<std::string> NextState(const std::string& state, RequestStep step);

// True in the one state where the provider's clock runs ("submitted").
bool ClockRuns(const std::string& state);

// True for approved, refused and withdrawn.
bool IsFinal(const std::string& state);

}  // namespace odp::sharing

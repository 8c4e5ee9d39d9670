// The inputs of inter-agency sharing (sharing/sharing.h) read from a caller's JSON object, or
// from a form turned into one (FormObject), so that /api/v1/sharing/… and the pages read them
// the same way. Lists are JSON arrays of strings or "a,b" text; masks and column descriptions
// are objects ({"column": "partial"}) or, from forms, fields "mask.column" / "description.column";
// integers are JSON integers or decimal text; booleans true/false, "true", "1" or "on".
// Wrong types are kInvalidArgument naming the field.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "sharing/sharing.h"

namespace odp::api {

// A form's fields as a JSON object of strings.
nlohmann::json FormObject(const std::map<std::string, std::string>& fields);

Result<sharing::ServiceOffer> ServiceOfferFrom(const nlohmann::json& j);
Result<sharing::RequestDraft> RequestDraftFrom(const nlohmann::json& j);
Result<sharing::ApprovalTerms> ApprovalTermsFrom(const nlohmann::json& j);

}  // namespace odp::api

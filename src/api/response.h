// The API's JSON answers: success bodies, the one error body, and the one mapping from a Status
// code to an HTTP status.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/request.h"

namespace odp::api {

using json = nlohmann::json;

// The HTTP status for a Status code (one place for the whole API).
int HttpStatusFor(StatusCode code);

// REST error body: {"error":{"code","message","message_vi","details"}}.
http::Response ErrorResponse(const Status& s);
http::Response JsonResponse(int status, const json& body);
http::Response JsonText(int status, std::string body);
http::Response JsonText(int status, std::shared_ptr<const std::string> body);

// Dumps JSON, replacing any invalid UTF-8 rather than throwing.
std::string Dump(const json& j);

}  // namespace odp::api

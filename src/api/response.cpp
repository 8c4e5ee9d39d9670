#include "api/response.h"

namespace odp::api {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kConflict: return 409;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

static http::Response JsonHeaders(int status) {
  http::Response r;
  r.status = status;
  r.Set("Content-Type", "application/json; charset=utf-8");
  r.Set("Cache-Control", "no-store");
  return r;
}

http::Response JsonText(int status, std::string body) {
  http::Response r = JsonHeaders(status);
  r.body = std::move(body);
  return r;
}

http::Response JsonText(int status, std::shared_ptr<const std::string> body) {
  http::Response r = JsonHeaders(status);
  r.shared_body = std::move(body);
  return r;
}

http::Response JsonResponse(int status, const json& body) { return JsonText(status, Dump(body)); }

http::Response ErrorResponse(const Status& s) {
  json details = json::object();
  for (const auto& [k, v] : s.fields()) details[k] = v;
  json body = {{"error",
                {{"code", StatusCodeName(s.code())},
                 {"message", s.message()},
                 {"message_vi", s.message_vi()},
                 {"details", details}}}};
  http::Response r = JsonResponse(HttpStatusFor(s.code()), body);
  if (s.code() == StatusCode::kUnauthenticated) r.Set("WWW-Authenticate", "Bearer realm=\"odp\"");
  return r;
}

}  // namespace odp::api

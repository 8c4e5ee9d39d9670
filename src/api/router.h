// Router: maps method + path pattern to a handler. Patterns are literal segments and
// `{name}` placeholders ("/api/v1/datasets/{id}"); the first registered match wins.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "http/request.h"

namespace odp::api {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<http::Response(http::Request&, const PathParams&)>;

class Router {
 public:
  // `method` "*" matches any method.
  void Add(const std::string& method, const std::string& pattern, RouteHandler handler);
  // Runs the matching handler; 404 when no pattern matches the path, 405 when only the
  // method differs, 400 when the path is not valid UTF-8. Sets Response::route.
  http::Response Dispatch(http::Request& req) const;
  // Marks `method` + `pattern` (when `when` is given, only the paths whose parameters it accepts)
  // as taking multipart uploads; every other route refuses them before the body is read.
  void AcceptUploads(const std::string& method, const std::string& pattern,
                     std::function<bool(const PathParams&)> when = nullptr);
  // True when `head` (method and path; no body needed) is for a route marked by AcceptUploads.
  bool TakesUploads(const http::Request& head) const;
  // Answers requests whose path matches no pattern (instead of the JSON 404), e.g. with a page.
  void SetNotFound(RouteHandler handler) { not_found_ = std::move(handler); }
  // Every registered route as (method, pattern), in registration (= matching) order. For tests
  // and `odp routes`; never served over HTTP.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  struct UploadRoute {
    std::string method;
    std::vector<std::string> segments;
    std::function<bool(const PathParams&)> when;
  };
  std::vector<Route> routes_;
  // Indexes into routes_ by the number of segments, in registration order: a path is matched
  // only against the patterns of its own length.
  std::vector<std::vector<size_t>> by_length_;
  std::vector<UploadRoute> upload_routes_;
  RouteHandler not_found_;
};

}  // namespace odp::api

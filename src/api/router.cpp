#include "api/router.h"

#include "api/response.h"

namespace odp::api {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// True when `segs` matches the pattern `pattern`; fills `params`.
bool Match(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
           PathParams& params) {
  if (pattern.size() != segs.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& p = pattern[i];
    const size_t open = p.find('{');
    const size_t close = open == std::string::npos ? open : p.find('}', open);
    if (close == std::string::npos || close == open + 1) {
      if (p != segs[i]) return false;
      continue;
    }
    // "{name}", or a placeholder between a literal prefix and suffix ("sitemap-{n}.xml").
    const std::string_view seg = segs[i];
    const std::string_view prefix = std::string_view(p).substr(0, open);
    const std::string_view suffix = std::string_view(p).substr(close + 1);
    if (seg.size() <= prefix.size() + suffix.size() || !seg.starts_with(prefix) ||
        !seg.ends_with(suffix))
      return false;
    params[p.substr(open + 1, close - open - 1)] =
        std::string(seg.substr(prefix.size(), seg.size() - prefix.size() - suffix.size()));
  }
  return true;
}

}  // namespace

void Router::AcceptUploads(const std::string& method, const std::string& pattern,
                           std::function<bool(const PathParams&)> when) {
  upload_routes_.push_back({method, Split(pattern), std::move(when)});
}

bool Router::TakesUploads(const http::Request& head) const {
  if (!head.path_valid) return false;
  std::vector<std::string> segs = Split(head.path);
  for (const UploadRoute& u : upload_routes_) {
    if (u.method != head.method) continue;
    PathParams params;
    if (Match(u.segments, segs, params) && (!u.when || u.when(params))) return true;
  }
  return false;
}

void Router::Add(const std::string& method, const std::string& pattern, RouteHandler handler) {
  routes_.push_back({method, pattern, Split(pattern), std::move(handler)});
  const size_t length = routes_.back().segments.size();
  if (by_length_.size() <= length) by_length_.resize(length + 1);
  by_length_[length].push_back(routes_.size() - 1);
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const Route& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

http::Response Router::Dispatch(http::Request& req) const {
  if (!req.path_valid) {
    http::Response r = ErrorResponse(Status::InvalidArgument("invalid characters in the path",
                                                             "Đường dẫn chứa ký tự không hợp lệ"));
    r.route = "invalid";
    return r;
  }
  std::vector<std::string> segs = Split(req.path);
  bool path_matched = false;
  std::string method = req.method == "HEAD" ? "GET" : req.method;
  static const std::vector<size_t> kNone;
  for (const size_t index : segs.size() < by_length_.size() ? by_length_[segs.size()] : kNone) {
    const Route& route = routes_[index];
    PathParams params;
    if (!Match(route.segments, segs, params)) continue;
    path_matched = true;
    if (route.method != "*" && route.method != method) continue;
    http::Response r = route.handler(req, params);
    if (r.route.empty()) r.route = route.pattern;
    return r;
  }
  if (!path_matched && not_found_) {
    http::Response r = not_found_(req, {});
    r.route = "not_found";
    return r;
  }
  http::Response r =
      ErrorResponse(path_matched ? Status(StatusCode::kInvalidArgument, "method not allowed",
                                          "Phương thức không được hỗ trợ")
                                 : Status::NotFound("page", req.path));
  if (path_matched) r.status = 405;
  r.route = path_matched ? "method_not_allowed" : "not_found";
  return r;
}

}  // namespace odp::api

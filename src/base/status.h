// Status and Result<T>: how ODP reports expected failures.
//
// A Status is a canonical code plus a message (English, for logs and API clients) and an optional
// Vietnamese message for people. Result<T> holds either a value or a non-OK Status. Both are
// [[nodiscard]]; use ODP_RETURN_IF_ERROR and ODP_ASSIGN_OR_RETURN to propagate.
#pragma once

#include <cassert>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace odp {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kConflict,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string message_vi = {})
      : code_(code), message_(std::move(message)), message_vi_(std::move(message_vi)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string vi = {}) {
    return {StatusCode::kInvalidArgument, std::move(msg), std::move(vi)};
  }
  // "dataset not found: <key>"
  static Status NotFound(const std::string& what, const std::string& key);
  static Status AlreadyExists(std::string msg, std::string vi = {}) {
    return {StatusCode::kAlreadyExists, std::move(msg), std::move(vi)};
  }
  static Status PermissionDenied(std::string msg, std::string vi = {}) {
    return {StatusCode::kPermissionDenied, std::move(msg), std::move(vi)};
  }
  static Status Unauthenticated(std::string msg, std::string vi = {}) {
    return {StatusCode::kUnauthenticated, std::move(msg), std::move(vi)};
  }
  static Status Conflict(std::string msg, std::string vi = {}) {
    return {StatusCode::kConflict, std::move(msg), std::move(vi)};
  }
  static Status ResourceExhausted(std::string msg, std::string vi = {}) {
    return {StatusCode::kResourceExhausted, std::move(msg), std::move(vi)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Vietnamese message for people; falls back to the English one.
  const std::string& message_vi() const { return message_vi_.empty() ? message_ : message_vi_; }
  // Per-field problems ("title" -> "required"), for validation errors.
  const std::map<std::string, std::string>& fields() const { return fields_; }
  Status& WithField(std::string field, std::string problem) {
    fields_[std::move(field)] = std::move(problem);
    return *this;
  }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string message_vi_;
  std::map<std::string, std::string> fields_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace odp

#define ODP_CONCAT_INNER(a, b) a##b
#define ODP_CONCAT(a, b) ODP_CONCAT_INNER(a, b)

#define ODP_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::odp::Status odp_status_ = (expr);        \
    if (!odp_status_.ok()) return odp_status_; \
  } while (0)

#define ODP_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#define ODP_ASSIGN_OR_RETURN(lhs, expr) \
  ODP_ASSIGN_OR_RETURN_IMPL(ODP_CONCAT(odp_result_, __LINE__), lhs, expr)

// ODP_ASSIGN_OR_RETURN for a function whose failures are not a Status: returns
// `on_error(status)` instead, where `on_error` is a function (or a type) taking the Status,
// e.g. ODP_ASSIGN_OR_RETURN_WITH(auto e, catalog.GetDataset(who, id), FromStatus).
#define ODP_ASSIGN_OR_RETURN_WITH_IMPL(tmp, lhs, expr, on_error) \
  auto tmp = (expr);                                             \
  if (!tmp.ok()) return on_error(tmp.status());                  \
  lhs = std::move(tmp).value()

#define ODP_ASSIGN_OR_RETURN_WITH(lhs, expr, on_error) \
  ODP_ASSIGN_OR_RETURN_WITH_IMPL(ODP_CONCAT(odp_result_, __LINE__), lhs, expr, on_error)

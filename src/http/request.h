// Request and Response: what the server hands to handlers and takes back. No Boost here, so
// that the API and page layers compile without Beast.
//
// `Request` and `Response` (`request.h`) are plain structs with no Boost types, so the API layer
// compiles without Beast:
//
// - `Request` holds the method, path (percent-decoded and checked for UTF-8 and control
//   characters), query pairs, lower-cased headers, and either the body or the path of a spooled
//   body file.
// - `Response` holds the status, headers and body. Instead of a body it can name a file and a
//   byte range to stream (`delete_file` removes that file once it is sent, or the write failed:
//   XLSX exports), or give a producer, `stream`, for a body made piece by piece.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/url.h"

namespace odp::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target: path and query
  std::string path;    // percent-decoded path, without the query
  std::string raw_path;
  std::string query_string;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // names lower-cased
  std::string body;       // the body, unless it was spooled to `body_file`
  std::string body_file;  // multipart bodies are spooled to a temp file, deleted after the response
  std::string remote_address;
  bool path_valid = true;  // false when the path had bad percent-escapes or invalid UTF-8

  // The header's value, or "" when absent. `name` must be lower case.
  const std::string& Header(const std::string& name) const;
  std::string Cookie(const std::string& name) const;
  // First value of a query parameter, or "" when absent.
  std::string Param(const std::string& name) const;
  bool HasParam(const std::string& name) const;
  std::vector<std::string> Params(const std::string& name) const;
  // True when every query parameter was asked for by Param, HasParam or Params (and there are
  // at most 64): an answer then depends on nothing else in the query, so it may be cached
  // under the request's target. Parameters nobody reads (tracking tags, junk) keep it out of
  // caches, so that they cannot fill them.
  bool AllParamsRead() const;

 private:
  void MarkRead(const std::string& name) const;
  mutable uint64_t params_read_ = 0;  // bit i: query[i] was asked for
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is this shared text instead of `body` (cached answers, no copy).
  std::shared_ptr<const std::string> shared_body;
  // When set, the body is this file's bytes [file_offset, file_offset + file_length), streamed.
  std::string file_path;
  int64_t file_offset = 0;
  int64_t file_length = 0;
  // Removes `file_path` once it has been sent (a file made for this response).
  bool delete_file = false;
  // When set, the body is produced piece by piece and sent with chunked transfer encoding:
  // each call appends the next piece to `out` and returns 1 while more follows, 0 after the
  // last piece, -1 on failure (the connection is then closed without the final chunk, so the
  // client sees an incomplete body). Called on a handler thread; may block.
  std::function<int(std::string& out)> stream;
  // Label for metrics ("/api/3/action/package_show"); set by the router.
  std::string route;

  void Set(std::string name, std::string value);
  const std::string* Find(std::string_view name) const;
};

// Percent-decoding; '+' becomes ' ' when `form` is true. Returns false on a malformed escape.
bool UrlDecode(std::string_view in, bool form, std::string& out);
// Percent-encoding lives in text/url.h (oidc, a lower layer, needs it too).
using text::UrlEncode;
// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}; malformed pairs are kept undecoded.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view qs);
// Splits a target into path and query and fills the Request's path fields.
void SetTarget(Request& req, std::string target);

const char* StatusText(int status);

// True when `value` can be sent as a header value (or name) without splitting the response:
// no CR, LF or NUL. The server drops headers that fail this (see server.cpp).
bool IsSafeHeaderValue(std::string_view value);

// `target` when it is a same-site relative path that is safe to send in a Location header,
// else `fallback`. Accepted: ASCII only, starts with exactly one "/" (not "//" nor "/\"), no
// backslash and no control character (< 0x20, 0x7f) anywhere, at most 2048 bytes, and the same
// holds after percent-decoding it once (so "/%2F%2Fevil" and "/%0d%0aX:" are refused).
// Callers pass values taken from a request (a `next` field) already form-decoded.
std::string LocalRedirectTarget(std::string_view target, std::string_view fallback);

// The whole HTTP/1.1 response (status line, headers with Content-Length, body) as bytes.
// REQUIRES: `r` has no file body.
std::string SerializeResponse(const Response& r);

}  // namespace odp::http

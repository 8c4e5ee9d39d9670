#include "http/request.h"

#include <algorithm>

#include "text/utf8.h"

namespace odp::http {

const std::string& Request::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

std::string Request::Cookie(const std::string& name) const {
  const std::string& all = Header("cookie");
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string_view pair(all.data() + pos, end - pos);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    pos = end + 1;
  }
  return {};
}

void Request::MarkRead(const std::string& name) const {
  for (size_t i = 0; i < query.size() && i < 64; ++i) {
    if (query[i].first == name) params_read_ |= uint64_t{1} << i;
  }
}

bool Request::AllParamsRead() const {
  if (query.size() > 64) return false;
  const uint64_t all = query.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << query.size()) - 1;
  return (params_read_ & all) == all;
}

std::string Request::Param(const std::string& name) const {
  MarkRead(name);
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return {};
}

bool Request::HasParam(const std::string& name) const {
  MarkRead(name);
  return std::any_of(query.begin(), query.end(), [&](const auto& kv) { return kv.first == name; });
}

std::vector<std::string> Request::Params(const std::string& name) const {
  MarkRead(name);
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k == name) out.push_back(v);
  }
  return out;
}

void Response::Set(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

const std::string* Response::Find(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool UrlDecode(std::string_view in, bool form, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && form) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

std::string UrlEncode(std::string_view in) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view qs) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= qs.size() && !qs.empty()) {
    size_t end = qs.find('&', pos);
    if (end == std::string_view::npos) end = qs.size();
    std::string_view pair = qs.substr(pos, end - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view k = pair.substr(0, eq);
      std::string_view v = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      std::string dk, dv;
      if (!UrlDecode(k, true, dk)) dk = std::string(k);
      if (!UrlDecode(v, true, dv)) dv = std::string(v);
      out.emplace_back(std::move(dk), std::move(dv));
    }
    if (end == qs.size()) break;
    pos = end + 1;
  }
  return out;
}

void SetTarget(Request& req, std::string target) {
  req.target = std::move(target);
  size_t q = req.target.find('?');
  req.raw_path = req.target.substr(0, q);
  req.query_string = q == std::string::npos ? "" : req.target.substr(q + 1);
  req.query = ParseQuery(req.query_string);
  req.path_valid = UrlDecode(req.raw_path, false, req.path) && text::IsValidUtf8(req.path) &&
                   !text::HasControlCharacters(req.path);
}

bool IsSafeHeaderValue(std::string_view value) {
  // One comparison for most bytes (NUL, LF and CR are all at most '\r'). find_first_of with a
  // set calls memchr on the set for every byte of the value: a few thousand instructions for
  // every response's headers.
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= '\r' && (c == '\r' || c == '\n' || c == '\0')) return false;
  }
  return true;
}

namespace {

// The shape rule of LocalRedirectTarget on one form of the target (raw or decoded).
bool IsLocalPathShape(std::string_view s) {
  if (s.empty() || s[0] != '/') return false;
  if (s.size() > 1 && (s[1] == '/' || s[1] == '\\')) return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::string LocalRedirectTarget(std::string_view target, std::string_view fallback) {
  constexpr size_t kMaxTarget = 2048;
  if (target.size() > kMaxTarget || !IsLocalPathShape(target)) return std::string(fallback);
  for (char ch : target) {
    if (static_cast<unsigned char>(ch) >= 0x80) return std::string(fallback);
  }
  std::string decoded;
  if (!UrlDecode(target, false, decoded) || !IsLocalPathShape(decoded))
    return std::string(fallback);
  return std::string(target);
}

std::string SerializeResponse(const Response& r) {
  const std::string& body = r.shared_body ? *r.shared_body : r.body;
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + StatusText(r.status) + "\r\n";
  for (const auto& [k, v] : r.headers) {
    if (IsSafeHeaderValue(k) && IsSafeHeaderValue(v)) out += k + ": " + v + "\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

const char* StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace odp::http

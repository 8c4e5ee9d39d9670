// Percent-encoding for URLs and form bodies, shared by every layer that builds one (http's
// links, oidc's authorization requests and token forms).
#pragma once

#include <string>
#include <string_view>

namespace odp::text {

// Percent-encodes `in` for a URL path segment, a query or an application/x-www-form-urlencoded
// body: RFC 3986's unreserved characters (A–Z a–z 0–9 - . _ ~) stay, every other byte becomes
// %XX with upper-case hex digits (so a space is %20, never '+'). Safe on any bytes.
std::string UrlEncode(std::string_view in);

}  // namespace odp::text

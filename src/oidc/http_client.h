// HttpClient: the one seam through which the relying party talks to an identity provider
// (discovery, key set, token and userinfo endpoints), so that tests can put a provider of their
// own making behind it when a failure is hard to cause with a real one (key rotation).
//
// The libcurl implementation is bounded: http and https only (http is for loopback test
// providers; oidc/relying_party.h checks the addresses), no redirects followed, a connect and a
// total timeout, and an answer of at most `max_bytes` (larger ones fail). Safe from any thread:
// each call uses its own curl handle.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace odp::oidc {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

struct HttpLimits {
  int connect_timeout_ms = 5000;
  int total_timeout_ms = 10000;
  size_t max_bytes = 512 * 1024;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // GET `url` with `headers` ("Name: value"); kUnavailable when no answer came (any status is
  // an answer).
  virtual Result<HttpAnswer> Get(const std::string& url,
                                 const std::vector<std::string>& headers) = 0;
  // POST an application/x-www-form-urlencoded `body`.
  virtual Result<HttpAnswer> PostForm(const std::string& url, const std::string& body,
                                      const std::vector<std::string>& headers) = 0;
};

std::unique_ptr<HttpClient> NewCurlHttpClient(HttpLimits limits = {});

// Percent-encodes `s` for a URL query or a form body (RFC 3986 unreserved characters stay).
std::string FormEncode(const std::string& s);

}  // namespace odp::oidc

#include "oidc/http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

namespace odp::oidc {
namespace {

struct Sink {
  std::string* body;
  size_t max_bytes;
  bool too_big = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->body->size() + n > sink->max_bytes) {
    sink->too_big = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpLimits limits) : limits_(limits) {}

  Result<HttpAnswer> Get(const std::string& url, const std::vector<std::string>& headers) override {
    return Perform(url, nullptr, headers);
  }
  Result<HttpAnswer> PostForm(const std::string& url, const std::string& body,
                              const std::vector<std::string>& headers) override {
    return Perform(url, &body, headers);
  }

 private:
  Result<HttpAnswer> Perform(const std::string& url, const std::string* post,
                             const std::vector<std::string>& headers) {
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) return Status::Internal("curl_easy_init failed");
    HttpAnswer answer;
    Sink sink{&answer.body, limits_.max_bytes};
    std::unique_ptr<curl_slist, ListFree> list;
    for (const std::string& h : headers) {
      curl_slist* grown = curl_slist_append(list.get(), h.c_str());
      if (grown == nullptr) return Status::Internal("curl_slist_append failed");
      (void)list.release();
      list.reset(grown);
    }
    CURL* c = curl.get();
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.connect_timeout_ms));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits_.total_timeout_ms));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits_.max_bytes));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "odp-oidc/1");
    if (list) curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    if (post != nullptr) {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, post->c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->size()));
    }
    CURLcode rc = curl_easy_perform(c);
    if (sink.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
      return Status::Unavailable(
          fmt::format("{}: answer larger than {} bytes", url, limits_.max_bytes));
    }
    if (rc != CURLE_OK) {
      return Status::Unavailable(
          fmt::format("{}: {}", url, error[0] != 0 ? error : curl_easy_strerror(rc)));
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
  }

  const HttpLimits limits_;
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient(HttpLimits limits) {
  return std::make_unique<CurlHttpClient>(limits);
}

std::string FormEncode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace odp::oidc

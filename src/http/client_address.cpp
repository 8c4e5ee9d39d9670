#include "http/client_address.h"

#include <cstring>

#include <arpa/inet.h>

namespace odp::http {
namespace {

// Parses a textual IPv4 or IPv6 address into the 16-byte IPv6 form; false when malformed.
bool ParseIp(std::string_view text, std::array<uint8_t, 16>& out, bool& v4) {
  if (text.empty() || text.size() > 64) return false;
  std::string s(text);
  // "[::1]" as written in some headers.
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  in_addr a4;
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    v4 = true;
    return true;
  }
  in6_addr a6;
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    v4 = std::memcmp(out.data(), kMapped, 12) == 0;
    return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<AddressList> AddressList::Parse(std::string_view text) {
  AddressList list;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(", \t", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = text.substr(pos, end - pos);
    pos = end + 1;
    if (entry.empty()) continue;
    Range r;
    bool v4 = false;
    size_t slash = entry.find('/');
    std::string_view ip = entry.substr(0, slash);
    bool ok = ParseIp(ip, r.bytes, v4);
    if (ok && slash != std::string_view::npos) {
      std::string_view b = entry.substr(slash + 1);
      int bits = 0;
      ok = !b.empty() && b.size() <= 3;
      for (char c : b) {
        if (c < '0' || c > '9') ok = false;
        bits = bits * 10 + (c - '0');
      }
      int max = v4 ? 32 : 128;
      if (ok && bits > max) ok = false;
      r.bits = v4 ? bits + 96 : bits;
    } else if (ok) {
      r.bits = 128;
    }
    if (!ok) {
      return Status::InvalidArgument("not an IP address or CIDR range: " + std::string(entry),
                                     "Không phải địa chỉ IP hoặc dải CIDR: " + std::string(entry));
    }
    list.ranges_.push_back(r);
  }
  return list;
}

bool AddressList::Contains(std::string_view address) const {
  std::array<uint8_t, 16> a;
  bool v4 = false;
  if (!ParseIp(Trim(address), a, v4)) return false;
  for (const Range& r : ranges_) {
    int full = r.bits / 8, rest = r.bits % 8;
    if (std::memcmp(a.data(), r.bytes.data(), full) != 0) continue;
    if (rest != 0) {
      uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((a[full] & mask) != (r.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string CanonicalAddress(std::string_view address) {
  std::array<uint8_t, 16> a;
  bool v4 = false;
  if (!ParseIp(Trim(address), a, v4)) return "";
  char buf[INET6_ADDRSTRLEN] = {};
  if (v4) {
    inet_ntop(AF_INET, a.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  }
  return buf;
}

std::string ClientAddress(const Request& req, const AddressList& trusted_proxies) {
  // Several X-Forwarded-For headers were joined with ", " by the server, in order.
  return ClientAddress(req.remote_address, req.Header("x-forwarded-for"), trusted_proxies);
}

std::string ClientAddress(std::string_view remote_address, std::string_view xff,
                          const AddressList& trusted_proxies) {
  std::string client = CanonicalAddress(remote_address);
  if (client.empty()) client = std::string(remote_address);
  if (trusted_proxies.empty() || !trusted_proxies.Contains(client)) return client;
  while (!xff.empty()) {
    size_t comma = xff.rfind(',');
    std::string_view entry = Trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    xff = comma == std::string_view::npos ? std::string_view() : xff.substr(0, comma);
    std::string hop = CanonicalAddress(entry);
    if (hop.empty()) break;  // malformed: the last hop read stands
    client = hop;
    if (!trusted_proxies.Contains(hop)) break;
  }
  return client;
}

}  // namespace odp::http

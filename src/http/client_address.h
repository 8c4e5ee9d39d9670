// Who is on the other end: IP address lists (trusted proxies, allowed scrapers) and the one
// function that says which address a request came from.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/request.h"

namespace odp::http {

// A set of IP addresses and CIDR ranges, IPv4 and IPv6 ("10.0.0.0/8, 192.0.2.7 ::1 fd00::/8").
// An IPv4-mapped IPv6 address ("::ffff:192.0.2.7") is the IPv4 address. Immutable once parsed:
// safe to share between threads.
class AddressList {
 public:
  // Parses a list separated by commas and/or spaces; "" is the empty list. kInvalidArgument
  // naming the first entry that is not an address or a CIDR range.
  static Result<AddressList> Parse(std::string_view text);

  bool empty() const { return ranges_.empty(); }
  // True when `address` (textual IPv4 or IPv6) is in a range of the list; false when it is not
  // or is not an address.
  bool Contains(std::string_view address) const;

 private:
  struct Range {
    std::array<uint8_t, 16> bytes{};  // IPv6 form; IPv4 as ::ffff:a.b.c.d
    int bits = 128;
  };
  std::vector<Range> ranges_;
};

// The address of the client that sent `req`, in canonical text ("192.0.2.7", "2001:db8::1").
// It is the TCP peer, unless the peer is one of `trusted_proxies`: then X-Forwarded-For is read
// from its right end, trusted proxies are skipped, and the first address that is not one is the
// client (the leftmost entry when all are trusted). A malformed entry stops the walk and the last
// hop read is the client. With no trusted proxies X-Forwarded-For is never read.
std::string ClientAddress(const Request& req, const AddressList& trusted_proxies);
// The same from the peer's address and the X-Forwarded-For headers joined by ", ".
std::string ClientAddress(std::string_view remote_address, std::string_view x_forwarded_for,
                          const AddressList& trusted_proxies);

// `address` in canonical text, or "" when it is not an IP address.
std::string CanonicalAddress(std::string_view address);

}  // namespace odp::http

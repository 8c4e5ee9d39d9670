#include "http/client_address.h"

#include <gtest/gtest.h>

namespace odp::http {
namespace {

AddressList List(std::string_view text) {
  auto l = AddressList::Parse(text);
  EXPECT_TRUE(l.ok()) << text;
  return l.ok() ? *l : AddressList();
}

Request From(std::string peer, std::string xff = "") {
  Request r;
  r.remote_address = std::move(peer);
  if (!xff.empty()) r.headers["x-forwarded-for"] = std::move(xff);
  return r;
}

TEST(AddressListTest, MatchesAddressesAndCidrRangesOfBothFamilies) {
  AddressList l = List("10.0.0.0/8, 192.0.2.7 2001:db8::/32,::1");
  EXPECT_TRUE(l.Contains("10.1.2.3"));
  EXPECT_TRUE(l.Contains("192.0.2.7"));
  EXPECT_TRUE(l.Contains("::ffff:192.0.2.7"));  // IPv4-mapped
  EXPECT_FALSE(l.Contains("192.0.2.8"));
  EXPECT_TRUE(l.Contains("2001:db8:1::5"));
  EXPECT_FALSE(l.Contains("2001:db9::1"));
  EXPECT_TRUE(l.Contains("::1"));
  EXPECT_FALSE(l.Contains("127.0.0.1"));  // loopback is not implied
  EXPECT_FALSE(l.Contains("not-an-ip"));
  EXPECT_FALSE(l.Contains(""));
  EXPECT_TRUE(List("192.0.2.0/25").Contains("192.0.2.127"));
  EXPECT_FALSE(List("192.0.2.0/25").Contains("192.0.2.128"));
  EXPECT_TRUE(List("0.0.0.0/0").Contains("203.0.113.9"));
  EXPECT_TRUE(List("").empty());
}

TEST(AddressListTest, RefusesMalformedEntries) {
  for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.256", "host.example", "10.0.0.0/",
                          "10.0.0.0/x", "1.2.3.4/8/8"}) {
    EXPECT_FALSE(AddressList::Parse(bad).ok()) << bad;
  }
}

TEST(ClientAddressTest, ForwardedForIsIgnoredFromUntrustedPeers) {
  EXPECT_EQ(ClientAddress(From("198.51.100.4", "203.0.113.9"), AddressList()), "198.51.100.4");
  EXPECT_EQ(ClientAddress(From("198.51.100.4", "203.0.113.9"), List("10.0.0.0/8")), "198.51.100.4");
  EXPECT_EQ(ClientAddress(From("::ffff:198.51.100.4"), AddressList()), "198.51.100.4");
}

TEST(ClientAddressTest, ForwardedForIsReadFromTheRightThroughTrustedProxies) {
  AddressList proxies = List("10.0.0.0/8");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "203.0.113.9"), proxies), "203.0.113.9");
  // A client cannot choose its address by sending its own X-Forwarded-For: the proxy appends.
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "1.1.1.1, 203.0.113.9"), proxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "203.0.113.9, 10.0.0.7"), proxies), "203.0.113.9");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "10.0.0.9, 10.0.0.7"), proxies), "10.0.0.9");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "garbage, 10.0.0.7"), proxies), "10.0.0.7");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "203.0.113.9, garbage"), proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress(From("10.0.0.2"), proxies), "10.0.0.2");
  EXPECT_EQ(ClientAddress(From("10.0.0.2", "2001:DB8::1"), proxies), "2001:db8::1");
}

}  // namespace
}  // namespace odp::http

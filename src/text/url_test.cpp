#include "text/url.h"

#include <gtest/gtest.h>

namespace odp::text {
namespace {

TEST(UrlEncodeTest, KeepsUnreservedCharacters) { EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~"); }

TEST(UrlEncodeTest, EncodesEverythingElseWithUpperCaseHex) {
  EXPECT_EQ(UrlEncode("a b+c&d=e/f?g#h%"), "a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25");
  EXPECT_EQ(UrlEncode("Đ"), "%C4%90");
  EXPECT_EQ(UrlEncode(std::string_view("\0\xff", 2)), "%00%FF");
}

TEST(UrlEncodeTest, EmptyStaysEmpty) { EXPECT_EQ(UrlEncode(""), ""); }

}  // namespace
}  // namespace odp::text

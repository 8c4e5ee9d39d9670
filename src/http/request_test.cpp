#include "http/request.h"

#include <gtest/gtest.h>

namespace odp::http {
namespace {

TEST(RequestTest, QueryIsDecodedAndRepeatedKeysKept) {
  Request r;
  SetTarget(r, "/api/v1/datasets?q=gi%C3%A1o+d%E1%BB%A5c&tag=a&tag=b&bad=%zz");
  EXPECT_EQ(r.path, "/api/v1/datasets");
  EXPECT_EQ(r.Param("q"), "giáo dục");
  EXPECT_EQ(r.Params("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.Param("bad"), "%zz");
  EXPECT_TRUE(r.path_valid);
}

TEST(RequestTest, PathWithInvalidUtf8OrControlCharactersIsMarkedInvalid) {
  Request a;
  SetTarget(a, "/datasets/%FF");
  EXPECT_FALSE(a.path_valid);
  Request b;
  SetTarget(b, "/datasets/a%0Ab");
  EXPECT_FALSE(b.path_valid);
}

TEST(RequestTest, CookiesAreFoundByName) {
  Request r;
  r.headers["cookie"] = "a=1; odp_session=xyz; b=2";
  EXPECT_EQ(r.Cookie("odp_session"), "xyz");
  EXPECT_EQ(r.Cookie("missing"), "");
}

TEST(RequestTest, UrlEncodeRoundTrips) {
  std::string out;
  ASSERT_TRUE(UrlDecode(UrlEncode("Dân số 2024.csv"), false, out));
  EXPECT_EQ(out, "Dân số 2024.csv");
  EXPECT_FALSE(UrlDecode("%4", false, out));
}

}  // namespace
}  // namespace odp::http

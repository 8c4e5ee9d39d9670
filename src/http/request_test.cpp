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

TEST(RequestTest, AllParamsReadOnlyWhenEveryParameterWasAskedFor) {
  Request r;
  SetTarget(r, "/datasets?q=a&page=2&utm_source=junk");
  EXPECT_FALSE(r.AllParamsRead());
  r.Param("q");
  r.HasParam("page");
  EXPECT_FALSE(r.AllParamsRead());  // utm_source was never asked for
  r.Params("utm_source");
  EXPECT_TRUE(r.AllParamsRead());
  Request none;
  SetTarget(none, "/datasets");
  EXPECT_TRUE(none.AllParamsRead());
  Request many;
  std::string t = "/x?";
  for (int i = 0; i < 65; ++i) t += "p" + std::to_string(i) + "=1&";
  SetTarget(many, t);
  for (int i = 0; i < 65; ++i) many.Param("p" + std::to_string(i));
  EXPECT_FALSE(many.AllParamsRead());  // more than 64: never cached
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

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

namespace odp::http {
namespace {

// Issue 14: a `next` with CR/LF reached the Location header, and a TAB made an open redirect.
TEST(LocalRedirectTargetTest, AcceptsOnlySameSiteRelativePaths) {
  struct Case {
    std::string target;
    bool accepted;
  };
  const std::vector<Case> cases = {
      {"/", true},
      {"/workspace", true},
      {"/en/workspace?tab=1&x=%20y", true},
      {"/datasets/d%E1%BB%AF-li%E1%BB%87u", true},  // percent-encoded UTF-8
      {"/a/b#frag", true},
      {"/https://evil.example", true},  // a path on this site
      {"", false},
      {"workspace", false},
      {"//evil.example", false},
      {"/\\evil.example", false},
      {"\\\\evil.example", false},
      {"/\\/evil.example", false},
      {"https://evil.example", false},
      {"http:/evil.example", false},
      {"javascript:alert(1)", false},
      {"data:text/html,x", false},
      {" /workspace", false},
      {"/x\r\nSet-Cookie: a=b", false},
      {"/x\rLocation: //evil", false},
      {"/x\nX: y", false},
      {"/\t/evil.example", false},
      {"/x\ty", false},
      {std::string("/x\0y", 4), false},
      {"/x\x7fy", false},
      {"/x\x01y", false},
      {"/%0d%0aSet-Cookie:%20a=b", false},
      {"/%0D%0ASet-Cookie:%20a=b", false},
      {"/%0a", false},
      {"/%09/evil.example", false},
      {"/%2F%2Fevil.example", false},
      {"/%2fevil.example", false},
      {"%2F%2Fevil.example", false},
      {"/%5Cevil.example", false},
      {"/%5cevil", false},
      {"/a%5Cb", false},
      {"/%00", false},
      {"/%7F", false},
      {"/%zz", false},  // malformed escape
      {"/%", false},
      {"/dữ-liệu", false},  // raw non-ASCII
      {"/\xef\xbc\x8f\xef\xbc\x8f"
       "evil",
       false},  // fullwidth solidus, raw
      {"/" + std::string(2047, 'a'), true},
      {"/" + std::string(2048, 'a'), false},
      {"/" + std::string(100000, 'a'), false},
  };
  int checked = 0;
  for (const auto& c : cases) {
    std::string got = LocalRedirectTarget(c.target, "/fallback");
    if (c.accepted) {
      EXPECT_EQ(got, c.target) << "should accept: " << c.target.substr(0, 80);
    } else {
      EXPECT_EQ(got, "/fallback") << "should refuse: " << c.target.substr(0, 80);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 44);
}

TEST(HeaderValueTest, CrLfAndNulAreUnsafe) {
  EXPECT_TRUE(IsSafeHeaderValue("text/html; charset=utf-8"));
  EXPECT_TRUE(IsSafeHeaderValue("a\tb"));  // TAB is legal inside a field value
  EXPECT_FALSE(IsSafeHeaderValue("a\r\nSet-Cookie: x"));
  EXPECT_FALSE(IsSafeHeaderValue("a\rb"));
  EXPECT_FALSE(IsSafeHeaderValue("a\nb"));
  EXPECT_FALSE(IsSafeHeaderValue(std::string("a\0b", 3)));
}

TEST(HeaderValueTest, EveryByteIsCheckedAndOnlyCrLfNulRefused) {
  // Each of the 256 bytes at the start, in the middle and at the end of a long value.
  const std::string filler(300, 'x');
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool safe = c != '\r' && c != '\n' && c != '\0';
    for (const std::string& v : {std::string(1, c) + filler, filler + c + filler, filler + c}) {
      EXPECT_EQ(IsSafeHeaderValue(v), safe) << "byte " << b << " at " << v.find(c);
    }
  }
  EXPECT_TRUE(IsSafeHeaderValue(""));
  EXPECT_TRUE(IsSafeHeaderValue("attachment; filename*=UTF-8''D%E1%BB%AF%20li%E1%BB%87u.csv"));
}

TEST(HeaderValueTest, SerializeResponseDropsSplittingHeaders) {
  Response r;
  r.Set("Location", "/x\r\nSet-Cookie: evil=1");
  r.Set("X-Ok", "yes");
  std::string wire = SerializeResponse(r);
  EXPECT_EQ(wire.find("evil"), std::string::npos);
  EXPECT_NE(wire.find("X-Ok: yes\r\n"), std::string::npos);
}

}  // namespace
}  // namespace odp::http

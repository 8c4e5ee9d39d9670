// The sitemap's paging, the XML escaping of feeds and sitemaps (checked by expat), and the head's
// description text (web/discovery.h).
#include "web/discovery.h"

#include <algorithm>
#include <map>
#include <regex>

#include <gtest/gtest.h>

#include "testing/xml_events.h"

namespace odp::web {
namespace {

constexpr Micros kDay = 24LL * 3600 * 1000000;
constexpr Micros kDec7 = 1796601600LL * 1000000;  // 2026-12-07T00:00:00Z

std::vector<std::string> Locs(const std::string& xml) {
  static const std::regex kLoc("<loc>([^<]*)</loc>");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), kLoc); it != std::sregex_iterator();
       ++it)
    out.push_back((*it)[1]);
  return out;
}

std::vector<SitemapEntry> Entries(int n) {
  std::vector<SitemapEntry> out;
  for (int i = 0; i < n; ++i)
    out.push_back({"/datasets/bo-" + std::to_string(i), kDec7 + i * kDay, ""});
  return out;
}

TEST(SitemapTest, PagesEveryUrlExactlyOnceInFilesOfAtMostThePageSize) {
  // 7 pages in two languages = 14 URLs; 4 per file = 4 files (the last one with 2).
  const auto entries = Entries(7);
  ASSERT_EQ(SitemapFileCount(entries.size(), 4), 4u);
  std::map<std::string, int> seen;
  for (size_t n = 1; n <= 4; ++n) {
    const std::string xml = SitemapXml("https://data.hue.gov.vn", entries, n, 4);
    ASSERT_TRUE(testing::ExpatEvents(xml).has_value()) << xml;
    auto locs = Locs(xml);
    EXPECT_EQ(locs.size(), n < 4 ? 4u : 2u) << "file " << n;
    for (const auto& l : locs) ++seen[l];
  }
  EXPECT_EQ(seen.size(), 14u);
  for (const auto& [loc, count] : seen) EXPECT_EQ(count, 1) << loc;
  EXPECT_EQ(seen.count("https://data.hue.gov.vn/datasets/bo-6"), 1u);
  EXPECT_EQ(seen.count("https://data.hue.gov.vn/en/datasets/bo-6"), 1u);
  // Beyond the last file, and file 0: nothing (the route answers 404).
  EXPECT_EQ(SitemapXml("https://data.hue.gov.vn", entries, 5, 4), "");
  EXPECT_EQ(SitemapXml("https://data.hue.gov.vn", entries, 0, 4), "");
}

TEST(SitemapTest, IndexNamesEachFileWithItsNewestLastmod) {
  const auto entries = Entries(7);
  const std::string index = SitemapIndexXml("https://data.hue.gov.vn", entries, 4);
  ASSERT_TRUE(testing::ExpatEvents(index).has_value()) << index;
  EXPECT_EQ(Locs(index),
            (std::vector<std::string>{
                "https://data.hue.gov.vn/sitemap-1.xml", "https://data.hue.gov.vn/sitemap-2.xml",
                "https://data.hue.gov.vn/sitemap-3.xml", "https://data.hue.gov.vn/sitemap-4.xml"}));
  // File 1 holds entries 0 and 1 (both languages): its newest is entry 1's, Dec 8.
  EXPECT_NE(index.find("sitemap-1.xml</loc><lastmod>2026-12-08T00:00:00Z</lastmod>"),
            std::string::npos)
      << index;
  EXPECT_NE(index.find("sitemap-4.xml</loc><lastmod>2026-12-13T00:00:00Z</lastmod>"),
            std::string::npos)
      << index;
}

TEST(SitemapTest, DefaultPageSizeIsTheProtocolLimitAndAnEmptySiteHasOneFile) {
  EXPECT_EQ(kSitemapPageSize, 50000u);
  EXPECT_EQ(SitemapFileCount(0), 1u);
  EXPECT_EQ(SitemapFileCount(25000), 1u);  // 50,000 URLs
  EXPECT_EQ(SitemapFileCount(25001), 2u);
  const std::string empty = SitemapXml("https://x.vn", {}, 1);
  EXPECT_TRUE(testing::ExpatEvents(empty).has_value());
  EXPECT_TRUE(Locs(empty).empty());
}

TEST(SitemapTest, EachUrlLinksBothLanguagesAndXDefault) {
  std::vector<SitemapEntry> e = {{"/", 0, ""}, {"/thong-ke", 0, "/en/statistics"}};
  const std::string xml = SitemapXml("https://x.vn", e, 1);
  EXPECT_EQ(Locs(xml),
            (std::vector<std::string>{"https://x.vn/", "https://x.vn/en/", "https://x.vn/thong-ke",
                                      "https://x.vn/en/statistics"}));
  EXPECT_NE(
      xml.find(R"(<xhtml:link rel="alternate" hreflang="en" href="https://x.vn/en/statistics"/>)"),
      std::string::npos);
  EXPECT_NE(
      xml.find(
          R"(<xhtml:link rel="alternate" hreflang="x-default" href="https://x.vn/thong-ke"/>)"),
      std::string::npos);
  // No lastmod when it is not known.
  EXPECT_EQ(xml.find("<lastmod>"), std::string::npos);
}

TEST(XmlEscapeTest, EscapesMarkupAndDropsWhatXmlCannotCarry) {
  EXPECT_EQ(XmlEscape(R"(a<b>&"c"'d)"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d");
  EXPECT_EQ(XmlEscape("Đường Nguyễn Huệ"), "Đường Nguyễn Huệ");
  EXPECT_EQ(XmlEscape(std::string("a\x01\x08\x1f"
                                  "b\tc\nd",
                                  10)),
            "ab\tc\nd");
  EXPECT_EQ(XmlEscape(std::string("x\0y", 3)), "xy");
  EXPECT_EQ(XmlEscape("bad \xC3 utf8 \xE0\x80\xAF overlong \xED\xA0\x80 surrogate"),
            "bad  utf8  overlong  surrogate");
  EXPECT_EQ(XmlEscape("\xEF\xBF\xBE\xEF\xBF\xBF"), "");  // U+FFFE, U+FFFF
  EXPECT_EQ(XmlEscape("😀"), "😀");
}

TEST(AtomTest, HostileTextsMakeAWellFormedFeedThatReadsBack) {
  AtomFeed f;
  f.id = "https://x.vn/feed.atom?a=1&b=2";
  f.title = "Sở <Y tế> & \"Dân số\"";
  f.self_url = f.id;
  f.html_url = "https://x.vn/";
  f.language = "vi";
  f.updated = kDec7;
  AtomEntry e;
  e.id = "urn:odp:dataset:1";
  e.title = "</title><script>alert(1)</script>\x01]]>";
  e.url = "https://x.vn/datasets/a?x=1&y=2";
  e.summary = "Tỷ lệ < 5% & > 1%";
  e.author = "Sở Y tế";
  e.updated = kDec7 + kDay;
  e.published = kDec7;
  f.entries.push_back(e);
  const std::string xml = AtomXml(f);
  auto events = testing::ExpatEvents(xml);
  ASSERT_TRUE(events.has_value()) << xml;
  auto has = [&](const std::string& event) {
    return std::find(events->begin(), events->end(), event) != events->end();
  };
  EXPECT_TRUE(has("T:</title><script>alert(1)</script>]]>"));
  EXPECT_TRUE(has("T:Tỷ lệ < 5% & > 1%"));
  EXPECT_TRUE(has("T:Sở <Y tế> & \"Dân số\""));
  // The feed is as new as its newest entry; every entry has id, updated and its link.
  EXPECT_NE(xml.find("<updated>2026-12-08T00:00:00Z</updated>\n<link rel=\"self\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<published>2026-12-07T00:00:00Z</published>"), std::string::npos);
  EXPECT_NE(xml.find(R"(href="https://x.vn/datasets/a?x=1&amp;y=2")"), std::string::npos);
  EXPECT_NE(xml.find(R"(<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">)"),
            std::string::npos);
}

TEST(FirstSentenceTest, PlainTextOfTheFirstSentence) {
  EXPECT_EQ(FirstSentence("Số **hộ nghèo** theo xã. Cập nhật hằng năm."), "Số hộ nghèo theo xã.");
  EXPECT_EQ(FirstSentence("# Tiêu đề\n\nĐoạn hai."), "Tiêu đề");
  EXPECT_EQ(FirstSentence("Xem [trang của Sở](https://x.vn/a.b) để biết thêm! Hết."),
            "Xem trang của Sở để biết thêm!");
  EXPECT_EQ(FirstSentence("Giá trị 3.5 triệu <b>đồng</b>\nmỗi người"),
            "Giá trị 3.5 triệu đồng mỗi người");
  EXPECT_EQ(FirstSentence(""), "");
}

TEST(FirstSentenceTest, LongTextIsCutAtAWordWithinTheLimitAndNeverInsideACharacter) {
  std::string long_text;
  for (int i = 0; i < 60; ++i) long_text += "dữ liệu ";
  const std::string s = FirstSentence(long_text, 50);
  EXPECT_LE(s.size(), 50u + std::string("…").size());
  EXPECT_TRUE(s.ends_with("…")) << s;
  EXPECT_TRUE(s.starts_with("dữ liệu dữ liệu")) << s;
  EXPECT_EQ(s.find("  "), std::string::npos);
  // "liệu" or "dữ" whole before the mark: the cut is at a space.
  const std::string body = s.substr(0, s.size() - std::string("…").size());
  EXPECT_TRUE(body.ends_with("liệu") || body.ends_with("dữ")) << s;
}

}  // namespace
}  // namespace odp::web

#include "web/render.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "web/assets.h"
#include "web/embedded.h"

namespace odp::web {
namespace {

TEST(Templates, AllEmbeddedTemplatesParse) {
  auto t = Templates::Load();
  ASSERT_TRUE(t.ok()) << t.status().message();
  for (const char* name : {"layout", "home", "search", "dataset", "login", "register", "workspace",
                           "dataset_form", "manage", "review", "admin_settings"}) {
    EXPECT_TRUE((*t)->Has(name)) << name;
  }
}

TEST(Templates, EscapesValuesByDefault) {
  auto t = Templates::Load();
  ASSERT_TRUE(t.ok());
  nlohmann::json v = {{"title", "<script>alert(1)</script>"},
                      {"status", 404},
                      {"message", "a & \"b\""},
                      {"t", nlohmann::json::object()},
                      {"base", ""}};
  auto html = (*t)->Render("error", v);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->find("<script>alert"), std::string::npos);
  EXPECT_NE(html->find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html->find("a &amp; &quot;b&quot;"), std::string::npos);
}

TEST(Templates, EmptyStringsAreFalseInSections) {
  auto t = Templates::Load();
  ASSERT_TRUE(t.ok());
  nlohmann::json v = {
      {"title", "x"}, {"message", ""}, {"status", 500}, {"t", {{"error", "Lỗi"}}}, {"base", ""}};
  auto html = (*t)->Render("error", v);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("Lỗi 500"), std::string::npos);
}

TEST(Messages, EveryMessageHasBothLanguages) {
  auto a = Assets::Load();
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ((*a)->Messages(Lang::kVi).size(), (*a)->Messages(Lang::kEn).size());
  EXPECT_EQ((*a)->Message(Lang::kVi, "nav_datasets"), "Bộ dữ liệu");
  EXPECT_EQ((*a)->Message(Lang::kEn, "nav_datasets"), "Datasets");
}

TEST(Messages, EveryKeyATemplateUsesExists) {
  auto a = Assets::Load();
  ASSERT_TRUE(a.ok());
  std::regex key(R"(\{\{[#^/]?t\.([a-z_0-9]+))");
  std::set<std::string> missing;
  for (const internal::EmbeddedFile* f = internal::kEmbeddedFiles; f->name; ++f) {
    std::string name = f->name;
    if (name.rfind("templates/", 0) != 0) continue;
    std::string text(f->data, f->size);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), key);
         it != std::sregex_iterator(); ++it) {
      if (!(*a)->Messages(Lang::kVi).contains((*it)[1].str()))
        missing.insert((*it)[1].str() + " in " + name);
    }
  }
  EXPECT_TRUE(missing.empty()) << *missing.begin();
}

TEST(Assets, UrlsCarryContentHashesAndResolve) {
  auto a = Assets::Load();
  ASSERT_TRUE(a.ok());
  const Asset* css = (*a)->Find("odp.css");
  ASSERT_NE(css, nullptr);
  EXPECT_TRUE(std::regex_match(css->url, std::regex(R"(/static/odp\.[0-9a-f]{10}\.css)")))
      << css->url;
  EXPECT_EQ((*a)->FindByUrl(css->url), css);
  EXPECT_EQ((*a)->FindByUrl("/static/odp.css"), nullptr);
  EXPECT_NE((*a)->Find("htmx.min.js"), nullptr);
  EXPECT_EQ((*a)->Urls()["odp_css"], css->url);
}

TEST(Markdown, RendersAndDropsRawHtmlAndScriptLinks) {
  std::string html = MarkdownToHtml(
      "# Tiêu đề\n\n**đậm** <script>x()</script> [a](javascript:alert(1)) [b](https://ok.vn)");
  EXPECT_NE(html.find("<h1>Tiêu đề</h1>"), std::string::npos);
  EXPECT_NE(html.find("<strong>đậm</strong>"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://ok.vn\""), std::string::npos);
}

TEST(EscapeHtml, EscapesTheFiveCharacters) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace odp::web

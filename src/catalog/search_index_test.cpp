#include "catalog/search_index.h"

#include <gtest/gtest.h>

namespace odp::catalog {
namespace {

IndexDoc Doc(const std::string& id, const std::string& title, const std::string& tags,
             const std::string& description) {
  IndexDoc d;
  d.id = id;
  d.name = id;
  d.title = title;
  d.tags = tags;
  d.description = description;
  d.facets["tags"] = {tags};
  return d;
}

std::vector<std::string> Ids(const IndexResult& r) {
  std::vector<std::string> out;
  for (const auto* d : r.hits) out.push_back(d->id);
  return out;
}

TEST(SearchIndexTest, TitleOutranksTagsWhichOutrankDescription) {
  SearchIndex idx;
  idx.Upsert(Doc("desc", "Số liệu", "khác", "thông tin về giáo dục"));
  idx.Upsert(Doc("title", "Giáo dục phổ thông", "khác", ""));
  idx.Upsert(Doc("tag", "Danh sách", "giáo dục", ""));
  IndexQuery q;
  q.q = "giao duc";
  auto r = idx.Search(q);
  EXPECT_EQ(r.total, 3);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"title", "tag", "desc"}));
}

TEST(SearchIndexTest, ToneFoldedQueryFindsAndExactToneRanksFirst) {
  SearchIndex idx;
  idx.Upsert(Doc("dat", "Đất đai", "", ""));
  idx.Upsert(Doc("dat2", "Đặt dải", "", ""));  // same folded form, different tones
  IndexQuery q;
  q.q = "dat dai";
  EXPECT_EQ(idx.Search(q).total, 2);
  q.q = "Đặt dải";
  auto r = idx.Search(q);
  ASSERT_EQ(r.total, 2);
  EXPECT_EQ(r.hits[0]->id, "dat2");
  q.q = "đất đai";
  EXPECT_EQ(idx.Search(q).hits[0]->id, "dat");
}

TEST(SearchIndexTest, AllQueryWordsMustMatch) {
  SearchIndex idx;
  idx.Upsert(Doc("a", "Trường học", "", ""));
  IndexQuery q;
  q.q = "truong benh";
  EXPECT_EQ(idx.Search(q).total, 0);
}

TEST(SearchIndexTest, FiltersCombineAndFacetsCountVisibleMatches) {
  SearchIndex idx;
  for (int i = 0; i < 5; ++i) {
    IndexDoc d = Doc("d" + std::to_string(i), "Bộ dữ liệu", "", "");
    d.facets["organization"] = {i < 3 ? "so-y-te" : "so-tai-chinh"};
    d.facets["res_format"] = {i % 2 ? "CSV" : "XLSX"};
    idx.Upsert(d);
  }
  IndexQuery q;
  q.facet_fields = {"organization", "res_format"};
  q.filters["organization"] = {"so-y-te"};
  q.visible = [](const IndexedDoc& d) { return d.id != "d0"; };
  auto r = idx.Search(q);
  EXPECT_EQ(r.total, 2);  // d1, d2
  ASSERT_EQ(r.facets["organization"].size(), 1u);
  EXPECT_EQ(r.facets["organization"][0].count, 2);
  q.filters["res_format"] = {"CSV"};
  EXPECT_EQ(idx.Search(q).total, 1);
}

TEST(SearchIndexTest, RemoveAndReinsertKeepsTheIndexConsistent) {
  SearchIndex idx;
  for (int i = 0; i < 200; ++i)
    idx.Upsert(Doc("d" + std::to_string(i), "Dân số " + std::to_string(i), "", ""));
  for (int i = 0; i < 150; ++i) idx.Remove("d" + std::to_string(i));
  idx.Upsert(Doc("d199", "Lao động", "", ""));
  IndexQuery q;
  q.q = "dan so";
  q.limit = 100;
  EXPECT_EQ(idx.Search(q).total, 49);
  q.q = "lao dong";
  EXPECT_EQ(idx.Search(q).total, 1);
  EXPECT_EQ(idx.size(), 50u);
}

TEST(SearchIndexTest, PagingReturnsTheRequestedSlice) {
  SearchIndex idx;
  for (int i = 0; i < 25; ++i) {
    IndexDoc d = Doc("d" + std::to_string(100 + i), "Bảng", "", "");
    d.created = i;
    idx.Upsert(d);
  }
  IndexQuery q;
  q.sort = SortOrder::kNewest;
  q.offset = 20;
  q.limit = 10;
  auto r = idx.Search(q);
  EXPECT_EQ(r.total, 25);
  ASSERT_EQ(r.hits.size(), 5u);
  EXPECT_EQ(r.hits[0]->id, "d104");
}

}  // namespace
}  // namespace odp::catalog

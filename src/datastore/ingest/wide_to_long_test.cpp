#include "datastore/ingest/wide_to_long.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "datastore/sources.h"

namespace odp::datastore::ingest {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(WideToLong, ReadsTheYearItemAndUnitOfAWideHeader) {
  struct Case {
    const char* label;
    int year;
    const char* item;
    const char* unit;
  };
  const Case cases[] = {
      {"2011 Area (Km2)", 2011, "Area", "km²"},
      {"2011 Average population (Thous. pers.)", 2011, "Average population", "Thous. pers."},
      {"2011 / Diện tích(*) (Km2)", 2011, "Diện tích", "km²"},
      {"2012 / Dân số trung bình (Nghìn người)", 2012, "Dân số trung bình", "Nghìn người"},
      {"2015 Mật độ dân số (Người/km2)", 2015, "Mật độ dân số", "Người/km2"},
      {"2005 Hospital", 2005, "Hospital", ""},
      {"2009 Cities under provinces", 2009, "Cities under provinces", ""},
      {"Tỉ lệ hộ nghèo 2016 (%)", 2016, "Tỉ lệ hộ nghèo", "%"},
      {"2014 Sản lượng lúa (1) (tấn)", 2014, "Sản lượng lúa", "tấn"},
      {"2013 Diện tích gieo trồng* (ha)", 2013, "Diện tích gieo trồng", "ha"},
      {"2011", 2011, "", ""},
  };
  for (const Case& c : cases) {
    auto w = ParseWideLabel(c.label);
    ASSERT_TRUE(w.has_value()) << c.label;
    EXPECT_EQ(w->year, c.year) << c.label;
    EXPECT_EQ(w->item, c.item) << c.label;
    EXPECT_EQ(w->unit, c.unit) << c.label;
  }
  for (const char* key : {"Cities, provincies", "Tỉnh", "Mã 10001", "Số 12345", "Năm", "1,2011"}) {
    EXPECT_FALSE(ParseWideLabel(key).has_value()) << key;
  }
}

class WideToLongFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("odp-wide-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

// As the statistics office's PX-Web exports a table (../shared/data/vn/dientich.csv): a title,
// a blank line, a year row over an item row, a region row, and a footnote below.
constexpr char kWide[] =
    "\"Diện tích và dân số phân theo địa phương\"\n"
    "\n"
    "\" \";\"2011\";\"2011\";\"2012\";\"2012\"\n"
    "\" \";\"Diện tích(*) (Km2)\";\"Dân số (Nghìn người)\";\"Diện tích(*) (Km2)\";\"Dân số (Nghìn "
    "người)\"\n"
    "\"Đồng bằng sông Hồng\";21068.1;19999.5;21050.9;20236.7\n"
    "\"Hà Nội\";3328.9;6699.6;3324.5;6865.2\n"
    "\"Huế\";5033.2;..;5033.2;1122.7\n"
    "\n"
    "\"(*) Theo Quyết định 1467/QĐ-BTNMT\"\n";

TEST_F(WideToLongFile, GivesOneRowPerRowAndYearColumnWithTheRowsKeys) {
  LoadOptions o;
  o.wide_to_long = 1;
  auto src = OpenSource(Write("wide.csv", kWide), o, {});
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  ASSERT_TRUE(src->pivot.has_value());
  EXPECT_EQ(src->pivot->header_line, 4);
  EXPECT_EQ(src->pivot->caption,
            (std::vector<std::string>{"Diện tích và dân số phân theo địa phương"}));
  EXPECT_EQ(src->pivot->keys, (std::vector<std::string>{"Cột 1"}));
  EXPECT_EQ(src->pivot->columns.size(), 4u);
  EXPECT_EQ(src->pivot->columns[0], "2011 / Diện tích(*) (Km2)");
  Rows rows;
  std::vector<int64_t> lines;
  std::vector<std::string> row;
  for (int pass = 0; pass < 2; ++pass) {  // the loader reads twice: the same rows each time
    rows.clear();
    lines.clear();
    if (pass == 1) {
      ASSERT_TRUE(src->rows->Rewind().ok());
    }
    while (src->rows->Next(row)) {
      rows.push_back(row);
      lines.push_back(src->rows->line());
    }
    ASSERT_TRUE(src->rows->status().ok()) << src->rows->status().ToString();
    ASSERT_EQ(rows.size(), 13u);  // the header and 3 rows × 4 year columns
    EXPECT_EQ(rows[0], (std::vector<std::string>{"Cột 1", "Năm", "Chỉ tiêu", "Đơn vị", "Giá trị"}));
    EXPECT_EQ(rows[1], (std::vector<std::string>{"Đồng bằng sông Hồng", "2011", "Diện tích", "km²",
                                                 "21068.1"}));
    EXPECT_EQ(rows[2], (std::vector<std::string>{"Đồng bằng sông Hồng", "2011", "Dân số",
                                                 "Nghìn người", "19999.5"}));
    EXPECT_EQ(rows[4][1], "2012");
    EXPECT_EQ(rows[10], (std::vector<std::string>{"Huế", "2011", "Dân số", "Nghìn người", ".."}));
    EXPECT_EQ(lines[0], 4);
    EXPECT_EQ(lines[1], 5);
    EXPECT_EQ(lines[12], 7);
  }
  // The footnote gave no row, and says so once.
  ASSERT_EQ(src->pivot->rows->notes().size(), 1u);
  EXPECT_EQ(src->pivot->rows->notes()[0].line, 9);
  EXPECT_NE(src->pivot->rows->notes()[0].message_vi.find("(*) Theo Quyết định 1467/QĐ-BTNMT"),
            std::string::npos);
}

TEST_F(WideToLongFile, ATableWithoutYearColumnsIsRefusedWithAReason) {
  LoadOptions o;
  o.wide_to_long = 1;
  auto src = OpenSource(Write("flat.csv", "Tỉnh,Dân số\nHuế,1\n"), o, {});
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(src.status().message_vi().find("ít nhất hai cột mang năm"), std::string::npos);
}

// Found by fuzz_wide: with no key column, long rows would not say which row they come from.
TEST_F(WideToLongFile, ATableOfYearColumnsOnlyIsRefusedWithAReason) {
  LoadOptions o;
  o.wide_to_long = 1;
  auto src = OpenSource(Write("years.csv", "2011 Area (Km2),2012 Area (Km2)\n5033,5048\n"), o, {});
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(src.status().message_vi().find("ít nhất một cột không mang năm"), std::string::npos);
}

}  // namespace
}  // namespace odp::datastore::ingest

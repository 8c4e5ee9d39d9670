#include "web/display.h"

#include <gtest/gtest.h>

namespace odp::web {
namespace {

using datastore::ColumnType;
using datastore::Field;
using nlohmann::json;

TEST(Display, NumbersAsVietnameseReadersWriteThem) {
  EXPECT_EQ(FormatIntegerText(1198930, Lang::kVi), "1.198.930");
  EXPECT_EQ(FormatNumberText(12.4, Lang::kVi), "12,4");
  EXPECT_EQ(FormatNumberText(1198930.4, Lang::kVi), "1.198.930,4");
  EXPECT_EQ(FormatNumberText(-21068.1, Lang::kVi), "-21.068,1");
  EXPECT_EQ(FormatIntegerText(930, Lang::kVi), "930");
  EXPECT_EQ(FormatIntegerText(-1000, Lang::kVi), "-1.000");
}

TEST(Display, NumbersOnEnglishPagesUseCommasForGroups) {
  EXPECT_EQ(FormatNumberText(1198930.4, Lang::kEn), "1,198,930.4");
  EXPECT_EQ(FormatIntegerText(1198930, Lang::kEn), "1,198,930");
}

TEST(Display, FloatNoiseIsNotShown) {
  EXPECT_EQ(FormatNumberText(155.89999999999995, Lang::kVi), "155,9");
  EXPECT_EQ(FormatNumberText(1e-07, Lang::kVi), "1e-07");
  EXPECT_EQ(FormatNumberText(2.5e-07, Lang::kVi), "2,5e-07");
}

TEST(Display, YearsAndCodesKeepNoDigitGroups) {
  EXPECT_EQ(FormatIntegerText(2011, Lang::kVi, false), "2011");
  EXPECT_TRUE(NamesYearOrCode("nam", "Năm"));
  EXPECT_TRUE(NamesYearOrCode("nam_hoc", "Năm học"));
  EXPECT_TRUE(NamesYearOrCode("year", "Year"));
  EXPECT_TRUE(NamesYearOrCode("ma_px", "Mã PX"));
  EXPECT_TRUE(NamesYearOrCode("stt", "Stt"));
  EXPECT_TRUE(NamesYearOrCode("so_dien_thoai", "Số điện thoại"));
  EXPECT_TRUE(NamesYearOrCode("postal_code", "Postal code"));
  EXPECT_FALSE(NamesYearOrCode("so_hoc_sinh_nam", "Số học sinh nam"));
  EXPECT_FALSE(NamesYearOrCode("dien_tich", "Diện tích (km²)"));
  EXPECT_FALSE(NamesYearOrCode("dan_so", "Dân số"));
}

TEST(Display, DatesAreDayMonthYearInVietnameseAndIsoInEnglish) {
  EXPECT_EQ(FormatDateText("2024-11-15", Lang::kVi), "15/11/2024");
  EXPECT_EQ(FormatDateText("2024-11-15", Lang::kEn), "2024-11-15");
  EXPECT_EQ(FormatDatetimeText("2024-09-05T07:05:00", Lang::kVi), "05/09/2024 07:05");
  EXPECT_EQ(FormatDatetimeText("2024-09-05T07:05:00", Lang::kEn), "2024-09-05 07:05");
  EXPECT_EQ(FormatDatetimeText("2024-09-05T07:05:09", Lang::kVi), "05/09/2024 07:05:09");
  EXPECT_EQ(FormatDatetimeText("2024-09-05T07:05:09.5", Lang::kVi), "05/09/2024 07:05:09,5");
  EXPECT_EQ(FormatDatetimeText("2024-11-15T07:00:00+07:00", Lang::kVi), "15/11/2024 07:00 +07:00");
  EXPECT_EQ(FormatDatetimeText("2024-11-15T00:00:00Z", Lang::kEn), "2024-11-15 00:00 UTC");
  EXPECT_EQ(FormatDateText("không rõ", Lang::kVi), "không rõ");
}

TEST(Display, ProvinceCodesAreNamedFromTheBundledList) {
  ASSERT_NE(ProvinceName("46", Lang::kVi), nullptr);
  EXPECT_EQ(*ProvinceName("46", Lang::kVi), "Thành phố Huế");
  EXPECT_EQ(*ProvinceName("46", Lang::kEn), "Hue City");
  EXPECT_EQ(*ProvinceName("01", Lang::kVi), "Thành phố Hà Nội");
  EXPECT_EQ(ProvinceName("02", Lang::kVi), nullptr);  // Hà Giang, merged into Tuyên Quang
  EXPECT_TRUE(NamesProvinceCode("ma_tinh", "Mã tỉnh"));
  EXPECT_TRUE(NamesProvinceCode("ma_tp", "Mã TP"));
  EXPECT_TRUE(NamesProvinceCode("provincecode", "ProvinceCode"));
  EXPECT_TRUE(NamesProvinceCode("level1_id", "level1_id"));
  EXPECT_FALSE(NamesProvinceCode("ma_px", "Mã PX"));
  EXPECT_FALSE(NamesProvinceCode("dan_so", "Dân số"));
}

TEST(Display, ACodeColumnIsNamedOnlyWhenEveryShownValueIsAProvinceCode) {
  auto field = [](const char* id, const char* label, ColumnType type) {
    Field f;
    f.id = id;
    f.label = label;
    f.type = type;
    return f;
  };
  std::vector<Field> fields = {field("ma_tinh", "Mã tỉnh", ColumnType::kString),
                               field("dan_so", "Dân số", ColumnType::kInteger),
                               field("nam", "Năm", ColumnType::kInteger)};
  std::vector<std::vector<json>> rows = {{"46", 1198930, 2024}, {"01", 8587100, 2024}};
  auto d = ColumnDisplays(fields, rows);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(d[0].province_names);
  EXPECT_EQ(DisplayText(json("46"), d[0], Lang::kVi), "Thành phố Huế");
  EXPECT_EQ(DisplayText(json(1198930), d[1], Lang::kVi), "1.198.930");
  EXPECT_EQ(DisplayText(json(2024), d[2], Lang::kVi), "2024");
  rows.push_back({"02", 1, 2024});  // a former province: the column stays codes
  d = ColumnDisplays(fields, rows);
  EXPECT_FALSE(d[0].province_names);
  EXPECT_EQ(DisplayText(json("46"), d[0], Lang::kVi), "46");
}

TEST(Display, WardCodesAreNamedFromTheBundledList) {
  ASSERT_NE(WardName("19753", Lang::kVi), nullptr);
  EXPECT_EQ(*WardName("19753", Lang::kVi), "Phường Phú Xuân");
  EXPECT_EQ(*WardName("19753", Lang::kEn), "Phu Xuan Ward");
  EXPECT_EQ(*WardName("00004", Lang::kVi), "Phường Ba Đình");
  EXPECT_EQ(WardName("46", Lang::kVi), nullptr);  // a province code is not a ward's
  EXPECT_EQ(WardName("99999", Lang::kVi), nullptr);
  EXPECT_TRUE(NamesWardCode("ma_px", "Mã PX"));
  EXPECT_TRUE(NamesWardCode("ma_xa", "Mã xã"));
  EXPECT_TRUE(NamesWardCode("ma_phuong_xa", "Mã phường/xã"));
  EXPECT_TRUE(NamesWardCode("ward_code", "WardCode"));
  EXPECT_TRUE(NamesWardCode("level2_id", "level2_id"));
  EXPECT_FALSE(NamesWardCode("ma_tinh", "Mã tỉnh"));
  EXPECT_FALSE(NamesWardCode("xa_hoi", "Xã hội"));
  EXPECT_FALSE(NamesWardCode("dan_so", "Dân số"));
}

TEST(Display, AWardCodeColumnIsNamedOnlyWhenEveryShownValueIsAWardCode) {
  Field ward;
  ward.id = "ma_px";
  ward.label = "Mã PX";
  ward.type = ColumnType::kInteger;  // codes read as numbers lose their leading zeros
  Field province;
  province.id = "ma_tinh";
  province.label = "Mã tỉnh";
  province.type = ColumnType::kString;
  std::vector<std::vector<json>> rows = {{19753, "46"}, {4, "01"}};
  auto d = ColumnDisplays({ward, province}, rows);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_TRUE(d[0].ward_names);
  EXPECT_FALSE(d[0].province_names);
  EXPECT_TRUE(d[1].province_names);
  EXPECT_FALSE(d[1].ward_names);
  EXPECT_EQ(DisplayText(json(19753), d[0], Lang::kVi), "Phường Phú Xuân");
  EXPECT_EQ(DisplayText(json(4), d[0], Lang::kEn), "Ba Dinh Ward");
  rows.push_back({json(123456), "46"});  // not a ward code: the column stays codes
  d = ColumnDisplays({ward, province}, rows);
  EXPECT_FALSE(d[0].ward_names);
  EXPECT_EQ(DisplayText(json(19753), d[0], Lang::kVi), "19753");
}

TEST(Display, DateColumnsAreWrittenForTheReader) {
  ColumnDisplay date{ColumnType::kDate, true, false, false};
  ColumnDisplay text{ColumnType::kString, true, false, false};
  EXPECT_EQ(DisplayText(json("2024-11-15"), date, Lang::kVi), "15/11/2024");
  EXPECT_EQ(DisplayText(json("2024-11-15"), text, Lang::kVi), "2024-11-15");
  EXPECT_EQ(DisplayText(json(nullptr), date, Lang::kVi), "");
}

}  // namespace
}  // namespace odp::web

#include "datastore/infer.h"

#include <gtest/gtest.h>

namespace odp::datastore {
namespace {

ColumnType TypeOf(std::initializer_list<const char*> values, NumberStyle* style = nullptr) {
  ColumnProfile p;
  for (const char* v : values) p.Add(v);
  if (style) *style = p.style();
  return p.Decide();
}

TEST(Infer, ReadsVietnameseAndInternationalNumbers) {
  EXPECT_EQ(ParseNumber("1.234,5", NumberStyle::kVietnamese), 1234.5);
  EXPECT_EQ(ParseNumber("1,234.5", NumberStyle::kInternational), 1234.5);
  EXPECT_EQ(ParseNumber("-0,25", NumberStyle::kVietnamese), -0.25);
  EXPECT_EQ(ParseInteger("1.234.567", NumberStyle::kVietnamese), 1234567);
  EXPECT_FALSE(ParseNumber("1.23.4", NumberStyle::kVietnamese));
  EXPECT_FALSE(ParseNumber("12,", NumberStyle::kVietnamese));
  EXPECT_FALSE(ParseInteger("046", NumberStyle::kVietnamese));  // a code, not a number
}

TEST(Infer, DecidesTheNarrowestTypeOverAllValues) {
  EXPECT_EQ(TypeOf({"1", "25", "", "300"}), ColumnType::kInteger);
  NumberStyle style;
  EXPECT_EQ(TypeOf({"1.234,5", "12", "7,25"}, &style), ColumnType::kNumber);
  EXPECT_EQ(style, NumberStyle::kVietnamese);
  EXPECT_EQ(TypeOf({"3.14", "2", "1,234.5"}, &style), ColumnType::kNumber);
  EXPECT_EQ(style, NumberStyle::kInternational);
  // "1.234" alone reads the Vietnamese way: one thousand two hundred and thirty-four.
  EXPECT_EQ(TypeOf({"1.234", "56.789"}, &style), ColumnType::kInteger);
  EXPECT_EQ(style, NumberStyle::kVietnamese);
  EXPECT_EQ(TypeOf({"1,5", "3.14"}), ColumnType::kString);  // both styles: not safe to read
  EXPECT_EQ(TypeOf({"có", "không", "Có"}), ColumnType::kBoolean);
  EXPECT_EQ(TypeOf({"05/09/2024", "2024-09-06", "31/12/2024"}), ColumnType::kDate);
  EXPECT_EQ(TypeOf({"05/09/2024 07:30", "2024-09-06T18:00:00"}), ColumnType::kDatetime);
  EXPECT_EQ(TypeOf({"12", "mười hai"}), ColumnType::kString);
  EXPECT_EQ(TypeOf({"0046", "0047"}), ColumnType::kString);
  EXPECT_EQ(TypeOf({"", ""}), ColumnType::kString);
}

TEST(Infer, ParsesDatesStrictly) {
  EXPECT_EQ(ParseDate("5/9/2024"), "2024-09-05");
  EXPECT_EQ(ParseDate("29/02/2024"), "2024-02-29");
  EXPECT_FALSE(ParseDate("29/02/2023"));
  EXPECT_FALSE(ParseDate("31/04/2024"));
  EXPECT_FALSE(ParseDate("2024-13-01"));
  EXPECT_EQ(ParseDatetime("2024-09-05 7:05"), "2024-09-05T07:05:00");
  EXPECT_FALSE(ParseDatetime("2024-09-05 25:00"));
}

}  // namespace
TEST(FindLatLonTest, NamesInVietnameseAndEnglishOnNumericColumns) {
  using T = ColumnType;
  auto ll = FindLatLon({"ten", "vi_do", "kinh_do"}, {T::kString, T::kNumber, T::kNumber});
  ASSERT_TRUE(ll);
  EXPECT_EQ(ll->first, 1u);
  EXPECT_EQ(ll->second, 2u);
  ll = FindLatLon({"lng", "lat"}, {T::kNumber, T::kNumber});
  ASSERT_TRUE(ll);
  EXPECT_EQ(ll->first, 1u);
  EXPECT_EQ(ll->second, 0u);
  EXPECT_TRUE(FindLatLon({"toa_do_vi_do", "toa_do_kinh_do"}, {T::kNumber, T::kInteger}));
  EXPECT_FALSE(FindLatLon({"vi_do", "kinh_do"}, {T::kString, T::kNumber}));  // text is not a coordinate
  EXPECT_FALSE(FindLatLon({"lat"}, {T::kNumber}));
  EXPECT_FALSE(FindLatLon({"flat", "salon"}, {T::kNumber, T::kNumber}));  // a word that ends in "lat"
}

}  // namespace odp::datastore

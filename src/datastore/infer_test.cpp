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
  EXPECT_FALSE(
      FindLatLon({"vi_do", "kinh_do"}, {T::kString, T::kNumber}));  // text is not a coordinate
  EXPECT_FALSE(FindLatLon({"lat"}, {T::kNumber}));
  EXPECT_FALSE(
      FindLatLon({"flat", "salon"}, {T::kNumber, T::kNumber}));  // a word that ends in "lat"
}

TEST(Infer, NumbersWithExponentsAreNumbers) {
  EXPECT_EQ(ParseNumber("1e-07", NumberStyle::kInternational), 1e-07);
  EXPECT_EQ(ParseNumber("2.5E+10", NumberStyle::kInternational), 2.5e10);
  EXPECT_EQ(ParseNumber("-3E2", NumberStyle::kVietnamese), -300.0);
  EXPECT_FALSE(ParseInteger("1e3", NumberStyle::kInternational));  // a number, not an integer
  EXPECT_FALSE(ParseNumber("1e", NumberStyle::kInternational));
  EXPECT_FALSE(ParseNumber("e5", NumberStyle::kInternational));
  EXPECT_FALSE(ParseNumber("1e1234", NumberStyle::kInternational));
  NumberStyle style;
  EXPECT_EQ(TypeOf({"1e-07", "2.5E+10", "3"}, &style), ColumnType::kNumber);
  EXPECT_EQ(style, NumberStyle::kInternational);
}

TEST(Infer, ANumberStartsWithADigitAfterItsSign) {
  // Text is refused before it is scanned; a sign, then a digit, is where every number starts.
  for (const char* text : {"", " ", "-", "+", "+-1", "-,5", ",5", ".5", "-.5", "e5", "-e5", "+E3",
                           "Nguyễn Văn An", "có", "x1", " a1"}) {
    EXPECT_FALSE(ParseNumber(text, NumberStyle::kVietnamese)) << text;
    EXPECT_FALSE(ParseNumber(text, NumberStyle::kInternational)) << text;
    EXPECT_FALSE(ParseInteger(text, NumberStyle::kInternational)) << text;
  }
  EXPECT_EQ(ParseNumber(" -1,5 ", NumberStyle::kVietnamese), -1.5);
  EXPECT_EQ(ParseNumber("+7", NumberStyle::kInternational), 7.0);
  EXPECT_EQ(ParseInteger("-12.345", NumberStyle::kVietnamese), -12345);
  EXPECT_EQ(ParseInteger("0", NumberStyle::kInternational), 0);
  EXPECT_FALSE(ParseInteger("1.5", NumberStyle::kInternational));  // a number, not an integer
  EXPECT_FALSE(ParseInteger("1,5", NumberStyle::kVietnamese));
}

TEST(Infer, TimesWithAZoneAreDatetimesInUtc) {
  EXPECT_EQ(ParseDatetime("2024-11-15T07:00:00+07:00"), "2024-11-15T00:00:00Z");
  EXPECT_EQ(ParseDatetime("2024-11-15T02:30:00+0700"), "2024-11-14T19:30:00Z");
  EXPECT_EQ(ParseDatetime("2024-11-15T07:00:00Z"), "2024-11-15T07:00:00Z");
  EXPECT_EQ(ParseDatetime("2024-11-15T07:00:00.250Z"), "2024-11-15T07:00:00Z");
  EXPECT_EQ(ParseDatetime("2024-12-31T23:00-02"), "2025-01-01T01:00:00Z");
  EXPECT_EQ(ParseDatetime("2024-03-01T00:30:00+01:00"), "2024-02-29T23:30:00Z");  // a leap day
  EXPECT_EQ(ParseDatetime("2024-11-15 07:00:00"), "2024-11-15T07:00:00");  // no zone: as written
  EXPECT_FALSE(ParseDatetime("2024-11-15T07:00:00+25:00"));
  EXPECT_FALSE(ParseDatetime("2024-11-15T07:00:00+7"));
  EXPECT_FALSE(ParseDatetime("2024-11-15T07:00:00 +07:00"));
  EXPECT_EQ(TypeOf({"2024-11-15T07:00:00+07:00", "2024-11-16T08:15:00Z"}), ColumnType::kDatetime);
}

TEST(Infer, PlaceholdersMeanNoValueInANumberColumn) {
  for (const char* p : {"-", "–", "—", "…", "...", "..", "x", "X", "không có", "Không có", "KXĐ",
                        "kxđ", "N/A", "n/a"}) {
    EXPECT_TRUE(IsPlaceholder(p)) << p;
  }
  for (const char* p : {"0", "xx", "không", "có", "NA?", "--"}) EXPECT_FALSE(IsPlaceholder(p)) << p;
  EXPECT_EQ(TypeOf({"12", "-", "…", "x", "không có", "KXĐ", "N/A", "...", "7"}),
            ColumnType::kInteger);
  EXPECT_EQ(TypeOf({"1,5", "-", "2,25"}), ColumnType::kNumber);
  EXPECT_EQ(TypeOf({"-", "x"}), ColumnType::kString);  // no number at all
  ColumnProfile p;
  for (const char* v : {"1", "-", "x", ""}) p.Add(v);
  EXPECT_EQ(p.placeholders(), 2);
  EXPECT_EQ(p.missing(), 1);
}

TEST(Infer, AFewStrayValuesKeepANumberColumnNumeric) {
  EXPECT_EQ(StrayValuesAllowed(19), 0);
  EXPECT_EQ(StrayValuesAllowed(20), 1);
  EXPECT_EQ(StrayValuesAllowed(400), 20);
  EXPECT_EQ(StrayValuesAllowed(100000), 50);
  ColumnProfile kept;
  for (int i = 0; i < 50; ++i) kept.Add(std::to_string(i * 7));
  kept.Add("chưa rõ");
  EXPECT_EQ(kept.Decide(), ColumnType::kInteger);
  EXPECT_FALSE(kept.demotion());
  ColumnProfile demoted;
  for (int i = 0; i < 50; ++i) demoted.Add(std::to_string(i * 7));
  for (int i = 0; i < 3; ++i) demoted.Add("đang cập nhật");
  EXPECT_EQ(demoted.Decide(), ColumnType::kString);
  auto d = demoted.demotion();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->numbers, 50);
  EXPECT_EQ(d->strays, 3);
  EXPECT_EQ(d->example, "đang cập nhật");
  // A text column with a few numbers is not a demotion.
  ColumnProfile names;
  for (int i = 0; i < 30; ++i) names.Add("Xã " + std::to_string(i));
  names.Add("12");
  EXPECT_EQ(names.Decide(), ColumnType::kString);
  EXPECT_FALSE(names.demotion());
  // A decimal among integers makes the column numbers, not a stray value.
  ColumnProfile decimals;
  for (int i = 0; i < 40; ++i) decimals.Add(std::to_string(i));
  decimals.Add("2,5");
  EXPECT_EQ(decimals.Decide(), ColumnType::kNumber);
}

}  // namespace odp::datastore

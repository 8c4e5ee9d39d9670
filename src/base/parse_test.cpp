#include "base/parse.h"

#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace odp {
namespace {

TEST(ParseInt, ReadsTheWholeTextAsADecimalInteger) {
  EXPECT_EQ(*ParseInt("0"), 0);
  EXPECT_EQ(*ParseInt("42"), 42);
  EXPECT_EQ(*ParseInt("-7"), -7);
  EXPECT_EQ(*ParseInt("+3"), 3);  // std::stoi accepted a plus sign; so do we
  EXPECT_EQ(*ParseInt("007"), 7);
  EXPECT_EQ(*ParseInt("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*ParseInt("-9223372036854775808"), std::numeric_limits<int64_t>::min());
}

TEST(ParseInt, RefusesAnythingButTheNumber) {
  for (const char* bad : {"", " ", "-", "+", "+-1", "-+1", "++1", " 5", "5 ", "5x", "x5", "1.5",
                          "1e3", "0x10", "١٢", "５"}) {
    Result<int64_t> r = ParseInt(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ParseInt, NamesTheTextInBothLanguages) {
  Status s = ParseInt("abc").status();
  EXPECT_EQ(s.message(), "not an integer: \"abc\"");
  EXPECT_EQ(s.message_vi(), "Không phải số nguyên: \"abc\"");
  s = ParseInt("99999999999999999999").status();
  EXPECT_EQ(s.message(), "integer out of range: \"99999999999999999999\"");
  EXPECT_EQ(s.message_vi(), "Số nguyên quá lớn: \"99999999999999999999\"");
}

TEST(ParseInt, QuotesAtMostFortyBytesOfALongTextAndCutsNoCharacter) {
  // Byte 40 falls inside "ế" (three bytes from byte 39): the quote stops before it.
  const std::string text = std::string(39, 'a') + "ế" + std::string(100, 'b');
  const Status s = ParseInt(text).status();
  EXPECT_EQ(s.message(), "not an integer: \"" + std::string(39, 'a') + "…\"");
}

TEST(ParseIntIn, RefusesValuesOutsideTheRangeAndNamesIt) {
  EXPECT_EQ(*ParseIntIn("1", 1, 10), 1);
  EXPECT_EQ(*ParseIntIn("10", 1, 10), 10);
  Status s = ParseIntIn("11", 1, 10).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "integer out of range 1 … 10: \"11\"");
  EXPECT_EQ(s.message_vi(), "Số nguyên ngoài khoảng 1 … 10: \"11\"");
  EXPECT_FALSE(ParseIntIn("0", 1, 10).ok());
  EXPECT_FALSE(ParseIntIn("ten", 1, 10).ok());
  EXPECT_EQ(ParseIntIn("ten", 1, 10).status().message(), "not an integer: \"ten\"");
}

TEST(ParseDouble, ReadsDecimalNumbersWithFractionsAndExponents) {
  EXPECT_EQ(*ParseDouble("0.5"), 0.5);
  EXPECT_EQ(*ParseDouble("-3"), -3);
  EXPECT_EQ(*ParseDouble("+2.5"), 2.5);
  EXPECT_EQ(*ParseDouble("1e-07"), 1e-7);
  EXPECT_EQ(*ParseDouble("1E+10"), 1e10);
  EXPECT_EQ(*ParseDouble(".5"), 0.5);
  EXPECT_EQ(*ParseDouble("5."), 5.0);
  EXPECT_EQ(*ParseDouble("410000"), 410000.0);
}

TEST(ParseDouble, RefusesWordsHexadecimalAndOverflow) {
  for (const char* bad : {"", "-", "+", ".", "e5", "1e", "1,5", " 1", "1 ", "inf", "-inf", "nan",
                          "infinity", "NaN", "0x1p3", "1e400", "-1e400", "+-1"}) {
    Result<double> r = ParseDouble(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(), "not a number: \"" + std::string(bad) + "\"");
    EXPECT_EQ(r.status().message_vi(), "Không phải số: \"" + std::string(bad) + "\"");
  }
}

}  // namespace
}  // namespace odp

#include "formats/text_writers.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "formats/xls.h"
#include "formats/xlsx.h"
#include "testing/read_rows.h"

#ifndef ODP_TEST_DATA_DIR
#define ODP_TEST_DATA_DIR "tests/data"
#endif

namespace odp::formats {
namespace {

std::string Cell(std::string_view text, char delimiter) {
  std::string out = "x";  // appends after what is there
  AppendDelimitedCell(out, text, delimiter);
  return out.substr(1);
}

std::string WrittenCell(std::string_view text, char delimiter) {
  std::string buf(DelimitedCellBound(text.size()), '\0');
  buf.resize(static_cast<size_t>(WriteDelimitedCell(buf.data(), text, delimiter) - buf.data()));
  return buf;
}

TEST(DelimitedCell, QuotesOnlyQuotesLineBreaksAndTheDelimiter) {
  struct Case {
    std::string_view text;
    char delimiter;
    std::string_view written;
  };
  const Case kCases[] = {
      {"", ',', ""},
      {"plain", ',', "plain"},
      {"a,b", ',', "\"a,b\""},
      {"a,b", '\t', "a,b"},
      {"a\tb", '\t', "\"a\tb\""},
      {"a;b", ';', "\"a;b\""},
      {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
      {"\"", ',', "\"\"\"\""},
      {"\"\"", ',', "\"\"\"\"\"\""},
      {"two\nlines", ',', "\"two\nlines\""},
      {"cr\ronly", ',', "\"cr\ronly\""},
      {"crlf\r\n", '\t', "\"crlf\r\n\""},
      // No formula guard: the exports never had one, and a guard would change the values.
      {"=1+2", ',', "=1+2"},
      {"+84 234", ',', "+84 234"},
      {"-5", ',', "-5"},
      {"@user", ',', "@user"},
      {"Thừa Thiên Huế", ',', "Thừa Thiên Huế"},
      {"Huế, \"cố đô\"", ',', "\"Huế, \"\"cố đô\"\"\""},
      {" spaces kept ", ',', " spaces kept "},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Cell(c.text, c.delimiter), c.written) << c.text;
    EXPECT_EQ(WrittenCell(c.text, c.delimiter), c.written) << c.text;
    EXPECT_EQ(NeedsDelimitedQuotes(c.text, c.delimiter), c.written != c.text) << c.text;
  }
}

TEST(DelimitedCell, FindsASpecialByteAtEveryPositionOfAWord) {
  // The search reads eight bytes at a time; each special byte at each offset must be seen.
  for (char special : {'"', '\r', '\n', ','}) {
    for (size_t pos = 0; pos < 20; ++pos) {
      std::string text(20, 'a');
      text[pos] = special;
      EXPECT_TRUE(NeedsDelimitedQuotes(text, ',')) << int(special) << " at " << pos;
      const std::string doubled = special == '"' ? "\"\"" : std::string(1, special);
      EXPECT_EQ(Cell(text, ','),
                "\"" + std::string(pos, 'a') + doubled + std::string(19 - pos, 'a') + "\"");
    }
  }
  // Bytes one away from the special ones, and UTF-8 lead bytes, are not matches.
  EXPECT_FALSE(NeedsDelimitedQuotes("!#+-\x0b\x0c\x0e\xe1\xba\xbf\xc6\xb0\xe1\xbb\x9d", ','));
}

TEST(DelimitedCell, FindsASpecialByteAtEveryPositionOfEveryLength) {
  // Cells of eight bytes or more end with a word that overlaps the one before it; shorter ones
  // are read byte by byte. A special byte must be found wherever it is, and clean text of every
  // length (also with bytes one away from the special ones) must not be quoted.
  for (size_t length = 1; length <= 24; ++length) {
    EXPECT_FALSE(NeedsDelimitedQuotes(std::string(length, '!'), ',')) << length;
    EXPECT_FALSE(NeedsDelimitedQuotes(std::string(length, '+'), ',')) << length;
    EXPECT_FALSE(NeedsDelimitedQuotes(std::string(length, '\x0b'), ',')) << length;
    for (char special : {'"', '\r', '\n', ';'}) {
      for (size_t pos = 0; pos < length; ++pos) {
        std::string text(length, 'a');
        text[pos] = special;
        EXPECT_TRUE(NeedsDelimitedQuotes(text, ';'))
            << int(special) << " at " << pos << " of " << length;
        EXPECT_EQ(NeedsDelimitedQuotes(text, ','), special != ';') << pos << " of " << length;
      }
    }
  }
  // The bytes of a view, not those after it, are read.
  const std::string buffer = "abcdefghij,";
  EXPECT_FALSE(NeedsDelimitedQuotes(std::string_view(buffer).substr(0, 10), ','));
  EXPECT_TRUE(NeedsDelimitedQuotes(std::string_view(buffer).substr(3, 8), ','));
}

TEST(JsonString, IsWhatNlohmannJsonWritesForEveryAsciiByteAtEveryPosition) {
  for (int c = 0; c < 0x80; ++c) {
    for (size_t pos = 0; pos < 10; ++pos) {
      std::string v =
          std::string(pos, 'x') + static_cast<char>(c) + "Huế" + std::string(9 - pos, 'y');
      std::string out = "prefix";
      AppendJsonString(out, v);
      EXPECT_EQ(out, "prefix" + nlohmann::json(v).dump()) << c << " at " << pos;
    }
  }
  std::string out;
  AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
  out.clear();
  AppendJsonString(out, "a/b\x1f");
  EXPECT_EQ(out, "\"a/b\\u001f\"");  // '/' as it is; control characters in lowercase hex
}

std::string Shortest(double v) {
  char buf[kShortestNumberBound];
  return std::string(buf, WriteShortestNumber(buf, v));
}

std::string Canonical(double v) {
  std::string out = "=";  // appends after what is there
  AppendCanonicalNumber(out, v);
  return out.substr(1);
}

std::string ToChars(double v) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// The two forms side by side: the exports' shortest text, and the readers' canonical text
// (whole numbers in full below 1e15, exponents only outside 1e-5 … 1e15, nothing when not
// finite).
TEST(Numbers, ShortestAndCanonicalFormsOfEachValue) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  struct Case {
    double value;
    std::string_view shortest, canonical;
  };
  const Case kCases[] = {
      {1e10, "1e+10", "10000000000"},
      {1e6, "1e+06", "1000000"},
      {-1200000, "-1200000", "-1200000"},  // a tie: the positional form
      {123456, "123456", "123456"},
      {100000, "1e+05", "100000"},
      {-3, "-3", "-3"},
      {1119.12, "1119.12", "1119.12"},
      {0.1, "0.1", "0.1"},
      {-0.125, "-0.125", "-0.125"},
      {1e-5, "1e-05", "0.00001"},
      {1e-7, "1e-07", "1e-07"},
      {999999999999999.0, "999999999999999", "999999999999999"},
      {1e15, "1e+15", "1e+15"},
      {1e20, "1e+20", "1e+20"},
      {123456789012345678.0, "123456789012345680", "1.2345678901234568e+17"},
      {0.0, "0", "0"},
      {-0.0, "-0", "0"},
      {std::nan(""), "null", ""},
      {kInf, "null", ""},
      {-kInf, "null", ""},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(Shortest(c.value), c.shortest) << c.canonical;
    EXPECT_EQ(Canonical(c.value), c.canonical) << c.shortest;
  }
}

TEST(ShortestNumber, TheIntegerFastPathAgreesWithStdToChars) {
  for (double v : {1.0, -1.0, 10.0, 100.0, 1e5, 1e6, 123e4, -123e4, 1234500.0, 9007199254740991.0,
                   -9007199254740991.0, 9007199254740992.0, 4503599627370496.5, 1e15, 1e16, 1e21}) {
    EXPECT_EQ(Shortest(v), ToChars(v)) << ToChars(v);
  }
  for (int64_t i = -2000; i <= 2000000; i += 997) EXPECT_EQ(Shortest(i * 10.0), ToChars(i * 10.0));
}

TEST(CanonicalNumber, ReadsBackToTheSameDouble) {
  for (double v : {1e10, 0.1, 1.0 / 3, -2.0 / 3, 1e-7, 1e-5, 99999.99999, 123456789012345678.0,
                   1e300, 5e-324, 1e15 - 0.5, 0.30000000000000004}) {
    const std::string text = Canonical(v);
    double back = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
    ASSERT_EQ(ec, std::errc()) << text;
    EXPECT_EQ(end, text.data() + text.size()) << text;
    EXPECT_EQ(back, v) << text;
  }
}

// tests/data/numbers.xls (xlwt) and numbers.xlsx (openpyxl) hold the same doubles; they are
// written by tests/data/make_numbers.py. The two readers once disagreed (XLS "1e+10", XLSX
// "10000000000"); both now write AppendCanonicalNumber's form.
TEST(CanonicalNumber, TheXlsAndXlsxReadersWriteTheSameText) {
  const testing::Rows expected = {
      {"1e10", "10000000000"},
      {"1e6", "1000000"},
      {"1e-7", "1e-07"},
      {"1e-5", "0.00001"},
      {"-0", "0"},
      {"0.1", "0.1"},
      {"-0.125", "-0.125"},
      {"1119.12", "1119.12"},
      {"999999999999999", "999999999999999"},
      {"1e15", "1e+15"},
      {"1.5e17", "1.5e+17"},
      {"1/3", "0.3333333333333333"},
  };
  auto xls = XlsReader::Open(std::string(ODP_TEST_DATA_DIR) + "/numbers.xls");
  ASSERT_TRUE(xls.ok()) << xls.status().ToString();
  EXPECT_EQ(testing::ReadAll(**xls), expected);
  EXPECT_TRUE((*xls)->status().ok()) << (*xls)->status().ToString();
  auto xlsx = XlsxReader::Open(std::string(ODP_TEST_DATA_DIR) + "/numbers.xlsx");
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  EXPECT_EQ(testing::ReadAll(**xlsx), expected);
  EXPECT_TRUE((*xlsx)->status().ok()) << (*xlsx)->status().ToString();
}

}  // namespace
}  // namespace odp::formats

#include "formats/csv.h"

#include <sstream>

#include <gtest/gtest.h>

namespace odp::formats {
namespace {

std::vector<std::vector<std::string>> ReadAll(const std::string& text, char delim) {
  std::istringstream in(text);
  CsvReader r(in, delim);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (r.Next(row)) rows.push_back(row);
  return rows;
}

TEST(Csv, ReadsQuotedFieldsWithDelimitersQuotesAndLineBreaks) {
  auto rows = ReadAll("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,,3", ',');
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"1", "", "3"}));
}

TEST(Csv, DropsTheUtf8ByteOrderMarkAndAcceptsCrLineEnds) {
  auto rows = ReadAll("\xEF\xBB\xBFTên;Số\rHuế;1\r", ';');
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "Tên");
  EXPECT_EQ(rows[1], (std::vector<std::string>{"Huế", "1"}));
}

TEST(Csv, CountsLinesOfRecordsAcrossQuotedLineBreaks) {
  std::istringstream in("h\n\"a\nb\"\nc\n");
  CsvReader r(in, ',');
  std::vector<std::string> row;
  ASSERT_TRUE(r.Next(row));
  EXPECT_EQ(r.line(), 1);
  ASSERT_TRUE(r.Next(row));
  EXPECT_EQ(r.line(), 2);
  ASSERT_TRUE(r.Next(row));
  EXPECT_EQ(r.line(), 4);
}

TEST(Csv, FlagsAQuoteLeftOpenAtTheEnd) {
  std::istringstream in("a\n\"open");
  CsvReader r(in, ',');
  std::vector<std::string> row;
  ASSERT_TRUE(r.Next(row));
  ASSERT_TRUE(r.Next(row));
  EXPECT_TRUE(r.unterminated());
  EXPECT_EQ(row[0], "open");
}

TEST(Csv, DetectsTheDelimiter) {
  EXPECT_EQ(DetectDelimiter("Mã;Tên;Số\n1;\"a;b\";2\n3;c;4\n"), ';');
  EXPECT_EQ(DetectDelimiter("a\tb\tc\n1\t2\t3\n"), '\t');
  EXPECT_EQ(DetectDelimiter("a,b\n\"1,5\",2\n"), ',');
  EXPECT_EQ(DetectDelimiter("Số tiền\n1.234,5\n"), ',');  // nothing fits better
}

}  // namespace
}  // namespace odp::formats

#include "formats/excel.h"

#include <gtest/gtest.h>

namespace odp::formats {
namespace {

TEST(Excel, ColumnLettersRunAToZThenTwoAndThreeLetters) {
  EXPECT_EQ(ColumnLetters(0), "A");
  EXPECT_EQ(ColumnLetters(25), "Z");
  EXPECT_EQ(ColumnLetters(26), "AA");
  EXPECT_EQ(ColumnLetters(51), "AZ");
  EXPECT_EQ(ColumnLetters(52), "BA");
  EXPECT_EQ(ColumnLetters(255), "IV");  // the last column of an XLS sheet
  EXPECT_EQ(ColumnLetters(701), "ZZ");
  EXPECT_EQ(ColumnLetters(702), "AAA");
  EXPECT_EQ(ColumnLetters(kExcelMaxColumns - 1), "XFD");
}

TEST(Excel, CellNamesAreLettersThenTheOneBasedRow) {
  EXPECT_EQ(CellName(0, 1), "A1");
  EXPECT_EQ(CellName(1, 12), "B12");
  EXPECT_EQ(CellName(kExcelMaxColumns - 1, kExcelMaxRows), "XFD1048576");
}

}  // namespace
}  // namespace odp::formats

#include "formats/xls.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "testing/read_rows.h"

#ifndef ODP_TEST_DATA_DIR
#define ODP_TEST_DATA_DIR "tests/data"
#endif

namespace odp::formats {
namespace {

using odp::testing::ReadAll;
using odp::testing::Rows;

// tests/data/sample.xls is written by tests/data/make_xls.py; keep the two in step.
const std::string kSample = std::string(ODP_TEST_DATA_DIR) + "/sample.xls";

const char kLetters[] =
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
const char kCapitals[] =
    "AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ";

std::unique_ptr<XlsReader> OpenSample(ReadLimits limits = {}) {
  auto reader = XlsReader::Open(kSample, limits);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

std::string WriteTempFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/xls_test_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(Xls, ListsSheetNamesInUtf8) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->sheet_names(), (std::vector<std::string>{"Đơn vị hành chính", "Ghi chú"}));
  EXPECT_EQ(reader->selected_sheet(), 0u);
  EXPECT_EQ(reader->describe(), "XLS sheet 'Đơn vị hành chính'");
  EXPECT_TRUE(reader->typed_numbers());
}

TEST(Xls, ReadsEveryCellInCanonicalForm) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  // Integers as integers, decimals in their shortest round-trip form, dates ISO, TRUE/FALSE as
  // 1/0 (FreeXL does not keep booleans apart), an empty cell in the middle kept as "", the
  // merged title in its first cell only.
  const Rows expected = {
      {"Danh sách đơn vị hành chính cấp huyện tỉnh Quảng Ninh"},
      {"Mã", "Tên đơn vị", "Dân số", "Diện tích (km²)", "Ngày thành lập", "Có cảng"},
      {"193", "Thành phố Hạ Long", "300267", "1119.12", "1993-12-27", "1"},
      {"195", "Thành phố Móng Cái", "108553", "519.58", "2008-09-24", "1"},
      {"196", "Thành phố Cẩm Phả", "190232", "486.45", "2012-02-21", "1"},
      {"197", "Thành phố Uông Bí", "120982", "256.3", "2011-02-25", "0"},
      {"198", "Huyện Bình Liêu", "32070", "470.1", "1919-01-01", "0"},
      {"199", "Huyện Tiên Yên", "51508", "652", "1994-12-15", "1"},
      {"201", "Huyện Hải Hà", "61639", "511.04", "1979-11-03", "1"},
      {"203", "Huyện Vân Đồn", "46616", "", "1994-03-16", "1"},
      {"205", "Thị xã Đông Triều", "177024", "397.2", "2015-11-20", "0"},
      {"207", "Huyện Cô Tô", "6538", "47.3", "1994-03-23", "1"},
      {},  // row 13 is empty
      {"Nguồn: Cục Thống kê tỉnh Quảng Ninh, 2023"},
  };
  ASSERT_EQ(rows.size(), expected.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i], expected[i]) << "row " << i;
}

TEST(Xls, WritesDateTimesWithTAndTimesAlone) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(reader->SelectSheet(1).ok());
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  const Rows expected = {
      {"Chữ cái", "Cập nhật lúc", "Giờ làm việc", "Tỷ lệ"},
      {kLetters, "2024-03-15T08:30:00", "07:45:30", "-0.125"},
      {kCapitals, "", "", "1e-07"},
  };
  EXPECT_EQ(rows, expected);
}

TEST(Xls, AnEmptyRowComesOutEmptySoLinesAreExcelRowNumbers) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  std::vector<int64_t> lines;
  Rows rows = ReadAll(*reader, &lines);
  ASSERT_EQ(lines.size(), 14u);
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i], static_cast<int64_t>(i) + 1);
  EXPECT_TRUE(rows[12].empty());
  EXPECT_EQ(rows[13][0], "Nguồn: Cục Thống kê tỉnh Quảng Ninh, 2023");
}

TEST(Xls, LeavesOutEmptyRowsAfterTheLastValue) {
  // "Ghi chú" has a formatted empty cell in F10, so FreeXL counts ten rows; three have values.
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  ASSERT_TRUE(reader->SelectSheet(1).ok());
  EXPECT_EQ(ReadAll(*reader).size(), 3u);
  EXPECT_TRUE(reader->status().ok());
  EXPECT_EQ(reader->line(), 3);
}

TEST(Xls, SelectSheetStartsThatSheetFromItsFirstRow) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  std::vector<std::string> row;
  ASSERT_TRUE(reader->Next(row));
  ASSERT_TRUE(reader->Next(row));
  ASSERT_TRUE(reader->SelectSheet(1).ok());
  EXPECT_EQ(reader->selected_sheet(), 1u);
  EXPECT_EQ(reader->describe(), "XLS sheet 'Ghi chú'");
  ASSERT_TRUE(reader->Next(row));
  EXPECT_EQ(reader->line(), 1);
  EXPECT_EQ(row[0], "Chữ cái");
  ASSERT_TRUE(reader->SelectSheet(0).ok());
  ASSERT_TRUE(reader->Next(row));
  EXPECT_EQ(row[0], "Danh sách đơn vị hành chính cấp huyện tỉnh Quảng Ninh");
}

TEST(Xls, SelectSheetRejectsAnIndexPastTheLast) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  Status s = reader->SelectSheet(2);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message_vi(), s.message());
  EXPECT_EQ(reader->selected_sheet(), 0u);
}

TEST(Xls, RewindReadsTheSameRowsAgain) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  Rows first = ReadAll(*reader);
  ASSERT_TRUE(reader->Rewind().ok());
  EXPECT_EQ(reader->line(), 0);
  EXPECT_EQ(ReadAll(*reader), first);
}

TEST(Xls, ReportsProgressByRowsScaledToTheFileSize) {
  auto reader = OpenSample();
  ASSERT_NE(reader, nullptr);
  const auto size = static_cast<int64_t>(std::filesystem::file_size(kSample));
  EXPECT_EQ(reader->bytes_total(), size);
  EXPECT_EQ(reader->bytes_read(), 0);
  std::vector<std::string> row;
  int64_t last = 0;
  while (reader->Next(row)) {
    EXPECT_GE(reader->bytes_read(), last);
    EXPECT_LE(reader->bytes_read(), size);
    last = reader->bytes_read();
  }
  EXPECT_EQ(reader->bytes_read(), size);
}

TEST(Xls, RejectsAFileThatIsNotXls) {
  std::string path = WriteTempFile("not.xls", "Mã,Tên đơn vị\n193,Thành phố Hạ Long\n");
  auto reader = XlsReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("not an Excel 97-2003 workbook"), std::string::npos);
  EXPECT_NE(reader.status().message_vi().find("không phải bảng tính Excel"), std::string::npos);
}

TEST(Xls, RejectsAnXlsxWithAHintToUploadItAsXlsx) {
  std::string path = WriteTempFile("book.xls", std::string("PK\x03\x04", 4) + "rest of a zip");
  auto reader = XlsReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message_vi().find(".xlsx"), std::string::npos);
}

TEST(Xls, RejectsATruncatedWorkbookWithFreeXlsReason) {
  std::ifstream in(kSample, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  std::string path = WriteTempFile("truncated.xls", head);
  auto reader = XlsReader::Open(path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("FreeXL error"), std::string::npos);
  EXPECT_NE(reader.status().message_vi().find("Không đọc được tệp XLS"), std::string::npos);
}

TEST(Xls, MissingFileIsNotFound) {
  auto reader = XlsReader::Open(::testing::TempDir() + "/xls_test_no_such_file.xls");
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
}

TEST(Xls, StopsAtTooManyColumnsNamingRowAndColumn) {
  ReadLimits limits;
  limits.max_columns = 4;
  auto reader = OpenSample(limits);
  ASSERT_NE(reader, nullptr);
  std::vector<std::string> row;
  ASSERT_TRUE(reader->Next(row));  // the title fills one column
  EXPECT_FALSE(reader->Next(row));
  EXPECT_TRUE(row.empty());
  Status s = reader->status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "XLS sheet 'Đơn vị hành chính', cell E2: beyond the limit of 4 columns (max_columns)");
  EXPECT_EQ(s.message_vi(), "Trang tính 'Đơn vị hành chính': ô E2 vượt quá giới hạn 4 cột.");
  EXPECT_FALSE(reader->Next(row));  // stays stopped
}

TEST(Xls, StopsAtTooManyRows) {
  ReadLimits limits;
  limits.max_rows = 3;
  auto reader = OpenSample(limits);
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  EXPECT_EQ(rows.size(), 3u);
  EXPECT_EQ(reader->status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(reader->status().message(),
            "XLS sheet 'Đơn vị hành chính': more than 3 rows (max_rows)");
  EXPECT_EQ(reader->status().message_vi(), "Trang tính 'Đơn vị hành chính' có quá 3 dòng.");
}

TEST(Xls, StopsAtAnOverlongCell) {
  ReadLimits limits;
  limits.max_cell_bytes = 40;
  auto reader = OpenSample(limits);
  ASSERT_NE(reader, nullptr);
  std::vector<std::string> row;
  EXPECT_FALSE(reader->Next(row));
  EXPECT_EQ(reader->status().message(),
            "XLS sheet 'Đơn vị hành chính', cell A1: longer than the limit of 40 bytes "
            "(max_cell_bytes)");
  EXPECT_EQ(reader->status().message_vi(),
            "Trang tính 'Đơn vị hành chính': ô A1 dài quá giới hạn 40 byte.");
  // Rewind clears the error; the limit stops the reader at the same cell again.
  ASSERT_TRUE(reader->Rewind().ok());
  EXPECT_TRUE(reader->status().ok());
  EXPECT_FALSE(reader->Next(row));
}

// tests/data/legacy.xls is written by tests/data/make_legacy_xls.py: TCVN3 and VNI text in
// legacy fonts, and formulas with their cached results as Excel saves them.
const std::string kLegacy = std::string(ODP_TEST_DATA_DIR) + "/legacy.xls";
// The real files of ../shared/data/vn (beside the project); the tests on them are skipped where
// they are absent.
const std::filesystem::path kVn =
    std::filesystem::path(ODP_TEST_DATA_DIR) / "../../../shared/data/vn";

TEST(Xls, FormulaCellsGiveTheirCachedResults) {
  auto reader = XlsReader::Open(kLegacy);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Rows rows = ReadAll(**reader);
  ASSERT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
  ASSERT_GE(rows.size(), 9u);
  // Numbers in the canonical form (float noise kept as the file has it), a string, a boolean as
  // XLSX gives it, an error as an empty cell with the error beside it.
  EXPECT_EQ(rows[5][13], "840");
  EXPECT_EQ(rows[6][13], "852.0000000000001");
  EXPECT_EQ(rows[7][1], "Tæng");
  EXPECT_EQ(rows[7][2], "true");
  ASSERT_EQ(rows[7].size(), 4u);
  EXPECT_EQ(rows[7][3], "");
}

TEST(Xls, FormulaResultsWithADateFormatComeBackAsDates) {
  auto reader = XlsReader::Open(kLegacy);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Rows rows = ReadAll(**reader);
  ASSERT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
  ASSERT_GE(rows.size(), 10u);
  // dd/mm/yyyy, dd/mm/yyyy hh:mm, and #,##0.00 (a number format that shows no date).
  EXPECT_EQ(rows[9], (std::vector<std::string>{"2024-11-15", "2024-11-15T12:00:00", "3958"}));
}

TEST(Xls, AFormulaErrorIsReportedBesideItsEmptyCell) {
  auto reader = XlsReader::Open(kLegacy);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> cells;
  while ((*reader)->Next(cells) && (*reader)->line() < 8) {
  }
  ASSERT_EQ((*reader)->line(), 8);
  EXPECT_EQ((*reader)->errors(), (std::vector<std::string>{"", "", "", "#DIV/0!"}));
  ASSERT_TRUE((*reader)->Next(cells));
  EXPECT_TRUE((*reader)->errors().empty());
}

TEST(Xls, GivesEachTextCellsFontLikeTheXlsxReader) {
  auto reader = XlsReader::Open(kLegacy);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->default_font(), "Arial");  // xlwt's first font
  std::vector<std::string> cells;
  std::map<int64_t, std::vector<std::string>> fonts;
  while ((*reader)->Next(cells)) fonts[(*reader)->line()] = (*reader)->fonts();
  EXPECT_EQ(fonts[1], (std::vector<std::string>{".VnTime"}));
  EXPECT_EQ(fonts[3], (std::vector<std::string>{".VnTimeH"}));
  // Numbers have no font to speak of; the formula's string result has its cell's.
  EXPECT_EQ(fonts[6], std::vector<std::string>(14));
  EXPECT_EQ(fonts[8], (std::vector<std::string>{"VNI-Times", ".VnTime", "", ""}));
  EXPECT_EQ(fonts[9], (std::vector<std::string>{"", ".VnTime", ""}));
  ASSERT_TRUE((*reader)->SelectSheet(1).ok());
  ASSERT_TRUE((*reader)->Next(cells));
  EXPECT_EQ((*reader)->fonts(), (std::vector<std::string>{".VnTime"}));
}

// Hue.xls has 257 FORMULA records, all in column N: 37 years on six sheets, 35 on Sh (from
// 1981). (Issue 16 counts 259, seven times 37.)
TEST(Xls, HueClimateWorkbookGivesEveryAnnualFormula) {
  const auto path = kVn / "Hue.xls";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto reader = XlsReader::Open(path.string());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_EQ((*reader)->sheet_names().size(), 7u);
  int annual = 0;
  for (size_t s = 0; s < 7; ++s) {
    ASSERT_TRUE((*reader)->SelectSheet(s).ok());
    Rows rows = ReadAll(**reader);
    ASSERT_TRUE((*reader)->status().ok());
    for (size_t r = 5; r < rows.size(); ++r) {
      if (rows[r].size() > 13 && !rows[r][13].empty()) ++annual;
    }
    if ((*reader)->sheet_names()[s] == "R") {
      // Sheet R, row 6: 1979 and its annual rainfall, as the workbook saved it.
      ASSERT_GT(rows.size(), 5u);
      EXPECT_EQ(rows[5][0], "1979");
      EXPECT_EQ(rows[5][13], "2387.7");
    }
  }
  EXPECT_EQ(annual, 257);
}

// data.xls (the GSO's export) ends inside its last 512-byte sector, which FreeXL refuses as
// truncated; the reader pads it as Excel and LibreOffice read it.
TEST(Xls, ReadsAWorkbookWhoseLastSectorIsShort) {
  const auto path = kVn / "data.xls";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto reader = XlsReader::Open(path.string());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Rows rows = ReadAll(**reader);
  ASSERT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
  ASSERT_EQ(rows.size(), 10041u);  // the header and 10,040 units
  EXPECT_EQ(rows[0].size(), 8u);
}

}  // namespace
}  // namespace odp::formats

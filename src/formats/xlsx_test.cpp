#include "formats/xlsx.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <utility>

#include <gtest/gtest.h>
#include <minizip/zip.h>
#include <xlsxwriter.h>

#include "formats/xlsx_writer.h"
#include "testing/read_rows.h"

namespace odp::formats {
namespace {

using odp::testing::ReadAll;
using odp::testing::Rows;

// Fixtures are written by each test into a directory of its own.
class XlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/odp_xlsx_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;
};

std::unique_ptr<XlsxReader> OpenOk(const std::string& path, ReadLimits limits = {}) {
  auto reader = XlsxReader::Open(path, limits);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

// The error that opening `path` and reading its first sheet through ends with (OK if none).
Status FirstError(const std::string& path, ReadLimits limits) {
  auto reader = XlsxReader::Open(path, limits);
  if (!reader.ok()) return reader.status();
  ReadAll(**reader);
  return (*reader)->status();
}

lxw_datetime DateTime(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return lxw_datetime{year, month, day, hour, minute, static_cast<double>(second)};
}

// Types, dates, gaps and formulas, as Excel would have them. In constant-memory mode
// libxlsxwriter writes inline strings instead of shared ones.
void WriteKinds(const std::string& path, bool constant_memory) {
  lxw_workbook_options options{};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  ASSERT_NE(wb, nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Tỉnh thành");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  lxw_format* datetime = workbook_add_format(wb);
  format_set_num_format(datetime, "dd/mm/yyyy hh:mm:ss");
  lxw_format* time = workbook_add_format(wb);
  format_set_num_format(time, "hh:mm");
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0 \"đồng/ngày\"");

  const char* header[] = {"Tỉnh",     "Dân số",         "Diện tích (km²)",
                          "Ven biển", "Ngày thành lập", "Cập nhật"};
  for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);

  worksheet_write_string(ws, 1, 0, "Thành phố Hà Nội", nullptr);
  worksheet_write_number(ws, 1, 1, 8435700, nullptr);
  worksheet_write_number(ws, 1, 2, 3359.82, nullptr);
  worksheet_write_boolean(ws, 1, 3, 0, nullptr);
  lxw_datetime founded = DateTime(2008, 8, 1);
  worksheet_write_datetime(ws, 1, 4, &founded, date);
  lxw_datetime updated = DateTime(2024, 3, 15, 10, 20, 30);
  worksheet_write_datetime(ws, 1, 5, &updated, datetime);

  worksheet_write_string(ws, 2, 0, "Thừa Thiên Huế", nullptr);
  worksheet_write_number(ws, 2, 1, 1160200, nullptr);
  worksheet_write_number(ws, 2, 2, 4947.11, nullptr);
  worksheet_write_boolean(ws, 2, 3, 1, nullptr);
  lxw_datetime midnight = DateTime(2024, 3, 15);
  worksheet_write_datetime(ws, 2, 5, &midnight, datetime);  // and nothing in column E

  // Row 4 is missing.
  worksheet_write_string(ws, 4, 0, "A & B <c> \"q\"", nullptr);
  worksheet_write_number(ws, 4, 1, -3, nullptr);
  worksheet_write_number(ws, 4, 2, 1e-07, nullptr);
  worksheet_write_number(ws, 4, 3, 150000, money);
  worksheet_write_number(ws, 4, 4, 100000, nullptr);
  worksheet_write_formula_num(ws, 4, 5, "=B2*2", nullptr, 16871400);

  worksheet_write_string(ws, 5, 0, "  khoảng trắng  ", nullptr);
  worksheet_write_number(ws, 5, 1, 60, date);  // Lotus's 1900-02-29
  worksheet_write_number(ws, 5, 2, 61, date);
  worksheet_write_number(ws, 5, 3, 59, date);
  worksheet_write_number(ws, 5, 4, 0.5, time);
  worksheet_write_formula_str(ws, 5, 5, "=A1&\"\"", nullptr, "Tỉnh");
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

const Rows kKinds = {
    {"Tỉnh", "Dân số", "Diện tích (km²)", "Ven biển", "Ngày thành lập", "Cập nhật"},
    {"Thành phố Hà Nội", "8435700", "3359.82", "false", "2008-08-01", "2024-03-15T10:20:30"},
    {"Thừa Thiên Huế", "1160200", "4947.11", "true", "", "2024-03-15T00:00:00"},
    {},
    {"A & B <c> \"q\"", "-3", "1e-07", "150000", "100000", "16871400"},
    {"  khoảng trắng  ", "1900-02-29", "1900-03-01", "1900-02-28", "12:00:00", "Tỉnh"},
};

void WriteZip(const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& files) {
  zipFile zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  ASSERT_NE(zip, nullptr);
  for (const auto& [name, content] : files) {
    zip_fileinfo info{};
    ASSERT_EQ(zipOpenNewFileInZip64(zip, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                    Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0),
              ZIP_OK);
    ASSERT_EQ(zipWriteInFileInZip(zip, content.data(), static_cast<unsigned>(content.size())),
              ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  ASSERT_EQ(zipClose(zip, nullptr), ZIP_OK);
}

constexpr char kXmlHead[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr char kMainNs[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr char kRelNs[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// A workbook written by hand, for what libxlsxwriter never writes: `sheets` are (name, XML of
// the worksheet part); shared strings and styles are left out when empty.
void WriteHandMade(const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& sheets,
                   const std::string& shared_strings, const std::string& styles,
                   bool date1904 = false) {
  std::string types = std::string(kXmlHead) +
                      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                      "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
                      "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
                      "ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
                      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
                      "sheet.main+xml\"/></Types>";
  std::string package_rels = std::string(kXmlHead) +
                             "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
                             "2006/relationships\"><Relationship Id=\"rId1\" Type=\"" +
                             kRelNs +
                             "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  std::string workbook = std::string(kXmlHead) + "<workbook xmlns=\"" + kMainNs + "\" xmlns:r=\"" +
                         kRelNs + "\"><workbookPr" + (date1904 ? " date1904=\"1\"" : "") +
                         "/><sheets>";
  std::string rels = std::string(kXmlHead) +
                     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                     "relationships\">";
  std::vector<std::pair<std::string, std::string>> files;
  for (size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    workbook +=
        "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + kRelNs +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
    files.emplace_back("xl/worksheets/sheet" + n + ".xml",
                       std::string(kXmlHead) + sheets[i].second);
  }
  workbook += "</sheets></workbook>";
  if (!shared_strings.empty()) {
    rels += std::string("<Relationship Id=\"rIdS\" Type=\"") + kRelNs +
            "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    files.emplace_back("xl/sharedStrings.xml", std::string(kXmlHead) + shared_strings);
  }
  if (!styles.empty()) {
    rels += std::string("<Relationship Id=\"rIdT\" Type=\"") + kRelNs +
            "/styles\" Target=\"/xl/styles.xml\"/>";  // an absolute target
    files.emplace_back("xl/styles.xml", std::string(kXmlHead) + styles);
  }
  rels += "</Relationships>";
  files.emplace_back("[Content_Types].xml", types);
  files.emplace_back("_rels/.rels", package_rels);
  files.emplace_back("xl/workbook.xml", workbook);
  files.emplace_back("xl/_rels/workbook.xml.rels", rels);
  WriteZip(path, files);
}

std::string Worksheet(const std::string& sheet_data, const std::string& after = "") {
  return std::string("<worksheet xmlns=\"") + kMainNs + "\"><sheetData>" + sheet_data +
         "</sheetData>" + after + "</worksheet>";
}

TEST_F(XlsxTest, ReadsSharedStringsNumbersBooleansDatesGapsAndFormulas) {
  WriteKinds(Path("kinds.xlsx"), /*constant_memory=*/false);
  auto reader = OpenOk(Path("kinds.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->sheet_names(), (std::vector<std::string>{"Tỉnh thành"}));
  EXPECT_EQ(reader->describe(), "XLSX sheet 'Tỉnh thành'");
  EXPECT_TRUE(reader->typed_numbers());
  std::vector<int64_t> lines;
  Rows rows = ReadAll(*reader, &lines);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, kKinds);
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
}

TEST_F(XlsxTest, ReadsInlineStringsOfConstantMemoryWorkbooks) {
  WriteKinds(Path("kinds.xlsx"), /*constant_memory=*/true);
  auto reader = OpenOk(Path("kinds.xlsx"));
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, kKinds);
}

TEST_F(XlsxTest, ListsSheetsInWorkbookOrderAndSelectsOne) {
  lxw_workbook* wb = workbook_new(Path("sheets.xlsx").c_str());
  const char* names[] = {"Dân số", "Kinh tế – Xã hội", "Ghi chú"};
  for (int i = 0; i < 3; ++i) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, names[i]);
    worksheet_write_string(ws, 0, 0, names[i], nullptr);
    worksheet_write_number(ws, 1, 0, i + 1, nullptr);
  }
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto reader = OpenOk(Path("sheets.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->sheet_names(),
            (std::vector<std::string>{"Dân số", "Kinh tế – Xã hội", "Ghi chú"}));
  EXPECT_EQ(reader->selected_sheet(), 0u);
  std::vector<std::string> row;
  ASSERT_TRUE(reader->Next(row));  // part-way through the first sheet …
  ASSERT_TRUE(reader->SelectSheet(1).ok());
  EXPECT_EQ(reader->selected_sheet(), 1u);
  EXPECT_EQ(reader->describe(), "XLSX sheet 'Kinh tế – Xã hội'");
  EXPECT_EQ(ReadAll(*reader), (Rows{{"Kinh tế – Xã hội"}, {"2"}}));  // … the second from row 1
  ASSERT_TRUE(reader->SelectSheet(2).ok());
  EXPECT_EQ(ReadAll(*reader), (Rows{{"Ghi chú"}, {"3"}}));

  Status missing = reader->SelectSheet(3);
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message_vi().find("trang tính số 4"), std::string::npos);
  EXPECT_EQ(reader->selected_sheet(), 2u);
}

TEST_F(XlsxTest, GivesEveryCellOfAMergedRangeTheTopLeftValue) {
  lxw_workbook* wb = workbook_new(Path("merged.xlsx").c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  worksheet_merge_range(ws, 0, 0, 0, 2, "Dân số (người)", bold);  // A1:C1
  worksheet_write_string(ws, 1, 0, "Năm", nullptr);
  worksheet_write_string(ws, 1, 1, "Nam", nullptr);
  worksheet_write_string(ws, 1, 2, "Nữ", nullptr);
  worksheet_merge_range(ws, 2, 0, 3, 0, "2023", nullptr);  // A3:A4
  worksheet_write_number(ws, 2, 1, 1, nullptr);
  worksheet_write_number(ws, 2, 2, 2, nullptr);
  worksheet_write_number(ws, 3, 1, 3, nullptr);
  worksheet_write_number(ws, 3, 2, 4, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto reader = OpenOk(Path("merged.xlsx"));
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, (Rows{{"Dân số (người)", "Dân số (người)", "Dân số (người)"},
                        {"Năm", "Nam", "Nữ"},
                        {"2023", "1", "2"},
                        {"2023", "3", "4"}}));
}

TEST_F(XlsxTest, ReportsTheFontOfEachCell) {
  lxw_workbook* wb = workbook_new(Path("fonts.xlsx").c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  lxw_format* vntime = workbook_add_format(wb);
  format_set_font_name(vntime, ".VnTime");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);  // another font entry, with the default name
  worksheet_write_string(ws, 0, 0, "Hà Nội", nullptr);
  worksheet_write_string(ws, 0, 1, "Hµ Néi", vntime);  // TCVN3 bytes as Latin-1 show them
  worksheet_write_string(ws, 0, 2, "Tổng", bold);
  worksheet_write_number(ws, 1, 1, 5, vntime);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto reader = OpenOk(Path("fonts.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->default_font(), "Calibri");
  std::vector<std::string> row;
  ASSERT_TRUE(reader->Next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"Hà Nội", "Hµ Néi", "Tổng"}));
  EXPECT_EQ(reader->fonts(), (std::vector<std::string>{"", ".VnTime", ""}));
  ASSERT_TRUE(reader->Next(row));
  EXPECT_EQ(reader->fonts(), (std::vector<std::string>{"", ".VnTime"}));
}

TEST_F(XlsxTest, ReadsWhatOtherWritersWrite) {
  // Rich text and phonetic runs, t="d", t="e", t="str", cells and rows without r="…", entities,
  // exponents to canonicalise, a custom date format in the 1904 date system.
  const std::string strings = std::string("<sst xmlns=\"") + kMainNs +
                              "\" count=\"2\" uniqueCount=\"2\"><si><t>Không</t></si><si><r><rPr>"
                              "<b/></rPr><t>Đà</t></r><r><t xml:space=\"preserve\"> Nẵng</t></r>"
                              "<rPh sb=\"0\" eb=\"1\"><t>ダ</t></rPh></si></sst>";
  const std::string styles =
      std::string("<styleSheet xmlns=\"") + kMainNs +
      "\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
      "<fonts count=\"1\"><font><name val=\"Arial\"/></font></fonts><cellXfs count=\"2\">"
      "<xf numFmtId=\"0\" fontId=\"0\"/><xf numFmtId=\"164\" fontId=\"0\"/></cellXfs>"
      "<dxfs><dxf><font><name val=\"Wingdings\"/></font><numFmt numFmtId=\"0\" "
      "formatCode=\"yyyy\"/></dxf></dxfs></styleSheet>";
  const std::string sheet = Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"d\"><v>2024-03-15T00:00:00</v></c><c r=\"B1\" t=\"e\">"
      "<v>#DIV/0!</v></c><c r=\"C1\" t=\"str\"><f>A1</f><v>x</v></c><c r=\"D1\">"
      "<v>2.9999999999999999E-2</v></c><c r=\"E1\"><v>1E+20</v></c><c r=\"F1\" s=\"1\"><v>0</v>"
      "</c><c r=\"G1\" s=\"1\" t=\"d\"><v>2024-03-15T10:00:00Z</v></c></row>"
      "<row><c><v>1</v></c><c t=\"inlineStr\"><is><r><t>Hà </t></r><r><t>Nội</t></r><rPh>"
      "<t>ハ</t></rPh></is></c><c t=\"s\"><v>1</v></c><c t=\"b\"><v>1</v></c></row>"
      "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>&#7843; &amp; &lt;x&gt;</t></is></c>"
      "<c r=\"D4\" t=\"s\"><v>0</v></c></row>");
  WriteHandMade(Path("hand.xlsx"), {{"Số liệu", sheet}}, strings, styles, /*date1904=*/true);

  auto reader = OpenOk(Path("hand.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->default_font(), "Arial");
  std::vector<int64_t> lines;
  Rows rows = ReadAll(*reader, &lines);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows,
            (Rows{{"2024-03-15T00:00:00", "", "x", "0.03", "1e+20", "1904-01-01", "2024-03-15"},
                  {"1", "Hà Nội", "Đà Nẵng", "true"},
                  {},
                  {"", "ả & <x>", "", "Không"}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST_F(XlsxTest, FormulaErrorsAreEmptyCellsWithTheErrorByColumn) {
  const std::string sheet = Worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Tỉnh</t></is></c><c r=\"B1\" "
      "t=\"inlineStr\"><is><t>Tỉ lệ</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Huế</t></is></c><c r=\"B2\">"
      "<v>0.5</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"e\"><f>VLOOKUP(1,X:Y,2)</f><v>#N/A</v></c><c r=\"C3\" "
      "t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>"
      "<row r=\"5\"><c r=\"B5\" t=\"e\"><v>#REF!</v></c></row>"
      "<row r=\"6\"><c r=\"A6\"><v>1</v></c></row>");
  WriteHandMade(Path("errors.xlsx"), {{"Lỗi", sheet}}, "", "");
  auto reader = OpenOk(Path("errors.xlsx"));
  ASSERT_NE(reader, nullptr);
  std::vector<std::vector<std::string>> errors;
  std::vector<std::string> row;
  Rows rows;
  while (reader->Next(row)) {
    rows.push_back(row);
    errors.push_back(reader->errors());
  }
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, (Rows{{"Tỉnh", "Tỉ lệ"}, {"Huế", "0.5"}, {}, {}, {}, {"1"}}));
  EXPECT_EQ(errors, (std::vector<std::vector<std::string>>{
                        {}, {}, {"#N/A", "", "#DIV/0!"}, {}, {"", "#REF!"}, {}}));
  // Read again from the start: the same errors.
  ASSERT_TRUE(reader->Rewind().ok());
  ASSERT_TRUE(reader->Next(row));
  ASSERT_TRUE(reader->Next(row));
  ASSERT_TRUE(reader->Next(row));
  EXPECT_EQ(reader->errors(), (std::vector<std::string>{"#N/A", "", "#DIV/0!"}));
}

TEST_F(XlsxTest, ReadsPrefixedElementsAndTheirMergedRanges) {
  const std::string sheet =
      std::string("<x:worksheet xmlns:x=\"") + kMainNs +
      "\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>Tiêu đề</x:t>"
      "</x:is></x:c></x:row><x:row r=\"2\"><x:c r=\"A2\"><x:v>7</x:v></x:c></x:row>"
      "</x:sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:C1\"/></x:mergeCells>"
      "</x:worksheet>";
  WriteHandMade(Path("prefixed.xlsx"), {{"Trang 1", sheet}}, "", "");
  auto reader = OpenOk(Path("prefixed.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"Tiêu đề", "Tiêu đề", "Tiêu đề"}, {"7"}}));
  EXPECT_TRUE(reader->status().ok()) << reader->status().ToString();
}

TEST_F(XlsxTest, RefusesADoctype) {
  const std::string sheet = "<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">]>" +
                            Worksheet(
                                "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&a;</t>"
                                "</is></c></row>");
  WriteHandMade(Path("doctype.xlsx"), {{"Trang 1", sheet}}, "", "");
  Status status = FirstError(Path("doctype.xlsx"), {});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("DOCTYPE"), std::string::npos) << status.message();
}

TEST_F(XlsxTest, RefusesARowBeyondExcelsLastRow) {
  WriteHandMade(Path("far.xlsx"),
                {{"Trang 1", Worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                                       "<row r=\"2000000000\"><c r=\"A2000000000\"><v>2</v></c>"
                                       "</row>")}},
                "", "");
  auto reader = OpenOk(Path("far.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"1"}}));
  EXPECT_EQ(reader->status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader->status().message().find("1048576"), std::string::npos);
}

TEST_F(XlsxTest, NamesTheCellOfAMissingSharedString) {
  WriteHandMade(Path("dangling.xlsx"),
                {{"Trang 1", Worksheet("<row r=\"3\"><c r=\"B3\" t=\"s\"><v>5</v></c></row>")}},
                std::string("<sst xmlns=\"") + kMainNs + "\"><si><t>một</t></si></sst>", "");
  Status status = FirstError(Path("dangling.xlsx"), {});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message_vi().find("ô B3"), std::string::npos) << status.message_vi();
}

TEST_F(XlsxTest, StopsWhenAPartInflatesBeyondTheRatio) {
  WriteKinds(Path("kinds.xlsx"), false);
  ReadLimits limits;
  limits.max_expansion_ratio = 1;
  Status status = FirstError(Path("kinds.xlsx"), limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("max_expansion_ratio"), std::string::npos) << status.message();
  EXPECT_NE(status.message_vi().find("bom nén"), std::string::npos) << status.message_vi();
}

TEST_F(XlsxTest, StopsWhenTheWorkbookInflatesBeyondTheTotal) {
  WriteKinds(Path("kinds.xlsx"), false);
  ReadLimits limits;
  limits.max_expanded_bytes = 3000;
  Status status = FirstError(Path("kinds.xlsx"), limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("max_expanded_bytes"), std::string::npos) << status.message();
}

// Writes a 100-byte text at C7 (shared, or inline in constant-memory mode).
void WriteLongCell(const std::string& path, bool constant_memory) {
  lxw_workbook_options options{};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Dài");
  worksheet_write_string(ws, 0, 0, "ngắn", nullptr);
  worksheet_write_string(ws, 6, 2, std::string(100, 'x').c_str(), nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
}

TEST_F(XlsxTest, NamesTheCellLongerThanTheLimit) {
  for (bool constant_memory : {false, true}) {
    SCOPED_TRACE(constant_memory ? "inline string" : "shared string");
    WriteLongCell(Path("long.xlsx"), constant_memory);
    ReadLimits limits;
    limits.max_cell_bytes = 50;
    auto reader = OpenOk(Path("long.xlsx"), limits);
    ASSERT_NE(reader, nullptr);
    Rows rows = ReadAll(*reader);
    EXPECT_EQ(rows.size(), 1u);  // row 1; rows 2 to 6 are not there, row 7 is the error
    Status status = reader->status();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("cell C7"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("max_cell_bytes"), std::string::npos) << status.message();
    EXPECT_NE(status.message_vi().find("Trang tính 'Dài': ô C7 dài quá giới hạn 50 byte"),
              std::string::npos)
        << status.message_vi();
  }
}

TEST_F(XlsxTest, StopsAtTooManyColumns) {
  lxw_workbook* wb = workbook_new(Path("wide.xlsx").c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  for (lxw_col_t c = 0; c < 5; ++c) worksheet_write_number(ws, 1, c, c, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  ReadLimits limits;
  limits.max_columns = 3;
  Status status = FirstError(Path("wide.xlsx"), limits);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("max_columns"), std::string::npos) << status.message();
  EXPECT_NE(status.message_vi().find("ô D2 vượt quá giới hạn 3 cột"), std::string::npos)
      << status.message_vi();
}

TEST_F(XlsxTest, StopsAtTooManyRows) {
  WriteKinds(Path("kinds.xlsx"), false);
  ReadLimits limits;
  limits.max_rows = 2;
  auto reader = OpenOk(Path("kinds.xlsx"), limits);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 2u);
  EXPECT_NE(reader->status().message().find("max_rows"), std::string::npos);
}

TEST_F(XlsxTest, RefusesAFileThatIsNotAZip) {
  std::ofstream(Path("data.xlsx"), std::ios::binary) << "Tỉnh,Dân số\nHuế,1\n";
  auto reader = XlsxReader::Open(Path("data.xlsx"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("not a zip archive"), std::string::npos);
  EXPECT_NE(reader.status().message_vi().find("không phải bảng tính .xlsx"), std::string::npos);

  std::ofstream(Path("old.xlsx"), std::ios::binary)
      << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) << std::string(600, '\0');
  auto old = XlsxReader::Open(Path("old.xlsx"));
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.status().message_vi().find("(.xls)"), std::string::npos);

  EXPECT_EQ(XlsxReader::Open(Path("none.xlsx")).status().code(), StatusCode::kNotFound);
}

TEST_F(XlsxTest, RefusesAZipWithoutAWorkbook) {
  WriteZip(Path("notes.xlsx"), {{"ghi-chu.txt", "Không phải bảng tính"}});
  auto reader = XlsxReader::Open(Path("notes.xlsx"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(reader.status().message().find("no workbook"), std::string::npos)
      << reader.status().message();
  EXPECT_NE(reader.status().message_vi().find("không chứa bảng tính"), std::string::npos);
}

TEST_F(XlsxTest, RewindGivesTheSameRowsAgain) {
  WriteKinds(Path("kinds.xlsx"), false);
  auto reader = OpenOk(Path("kinds.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_GT(reader->bytes_total(), 0);
  Rows first = ReadAll(*reader);
  EXPECT_EQ(reader->bytes_read(), reader->bytes_total());
  ASSERT_TRUE(reader->Rewind().ok());
  EXPECT_EQ(reader->line(), 0);
  Rows second = ReadAll(*reader);
  EXPECT_EQ(first, kKinds);
  EXPECT_EQ(second, first);
}

// Peak resident memory of this process, in KB (0 where /proc is not there).
int64_t PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

TEST_F(XlsxTest, StreamsALargeSheet) {
  constexpr int kRows = 200000;
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(Path("large.xlsx").c_str(), &options);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Lớn");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  const char* header[] = {"STT", "Giá trị", "Xã", "Ngày", "Đạt"};
  for (lxw_col_t c = 0; c < 5; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  for (lxw_row_t r = 1; r <= kRows; ++r) {
    worksheet_write_number(ws, r, 0, r, nullptr);
    worksheet_write_number(ws, r, 1, r * 0.25, nullptr);
    worksheet_write_string(ws, r, 2, (r % 2 == 0) ? "Xã Tân Thành" : "Phường Hòa Khánh", nullptr);
    worksheet_write_number(ws, r, 3, 45000 + r % 365, date);
    worksheet_write_boolean(ws, r, 4, r % 3 == 0, nullptr);
  }
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  const int64_t peak_before = PeakRssKb();
  auto reader = OpenOk(Path("large.xlsx"));
  ASSERT_NE(reader, nullptr);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> row;
  int64_t rows = 0;
  std::vector<std::string> last;
  while (reader->Next(row)) {
    ++rows;
    if (rows == kRows + 1) last = row;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, kRows + 1);
  EXPECT_EQ(reader->line(), kRows + 1);
  EXPECT_EQ(last,
            (std::vector<std::string>{"200000", "50000", "Xã Tân Thành", "2024-02-23", "false"}));
  std::printf(
      "[ info     ] %d rows in %.3f s (%.0f rows/s), %lld bytes compressed, peak RSS %lld -> "
      "%lld KB\n",
      kRows + 1, seconds, (kRows + 1) / seconds, static_cast<long long>(reader->bytes_total()),
      static_cast<long long>(peak_before), static_cast<long long>(PeakRssKb()));
}

TEST_F(XlsxTest, ReadsWorkbooksWrittenByOpenpyxl) {
  if (std::system("/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "Python's openpyxl is not installed";
  }
  const std::string script = Path("write.py");
  std::ofstream(script) << R"(import datetime, sys
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Dân số"
ws.append(["Tỉnh", "Dân số", "Ngày", "Cập nhật", "Ven biển"])
ws.append(["Đà Nẵng", 1220190, datetime.date(1997, 1, 1), datetime.datetime(2024, 3, 15, 8, 30), True])
ws.append(["Huế", 1.5, None, None, False])
ws["A5"] = "Ghi chú"
ws.merge_cells("A5:B5")
wb.create_sheet("Trống")
wb.save(sys.argv[1])
)";
  const std::string command = "/usr/bin/python3 " + script + " " + Path("openpyxl.xlsx");
  ASSERT_EQ(std::system(command.c_str()), 0);

  auto reader = OpenOk(Path("openpyxl.xlsx"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->sheet_names(), (std::vector<std::string>{"Dân số", "Trống"}));
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, (Rows{{"Tỉnh", "Dân số", "Ngày", "Cập nhật", "Ven biển"},
                        {"Đà Nẵng", "1220190", "1997-01-01", "2024-03-15T08:30:00", "true"},
                        {"Huế", "1.5", "", "", "false"},
                        {},
                        {"Ghi chú", "Ghi chú"}}));
  ASSERT_TRUE(reader->SelectSheet(1).ok());
  EXPECT_TRUE(ReadAll(*reader).empty());
  EXPECT_TRUE(reader->status().ok());
}

}  // namespace
}  // namespace odp::formats

namespace odp::formats {
namespace {

// A sheet whose part is compressed to more than 1 MB is inflated on a second thread, ahead of
// the parser: the same rows, progress up to the part's size, and Rewind/SelectSheet midway.
TEST_F(XlsxTest, ReadsALargeSheetInflatedAheadTheSameWay) {
  const std::string path = Path("large.xlsx");
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  ASSERT_NE(wb, nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Lớn");
  workbook_add_worksheet(wb, "Nhỏ");
  worksheet_write_string(ws, 0, 0, "Số", nullptr);
  worksheet_write_string(ws, 0, 1, "Mã", nullptr);
  uint64_t x = 88172645463325252ull;  // xorshift: text that does not compress away
  const int kRows = 120000;
  for (int r = 1; r <= kRows; ++r) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    worksheet_write_number(ws, static_cast<lxw_row_t>(r), 0, r, nullptr);
    worksheet_write_string(ws, static_cast<lxw_row_t>(r), 1, std::to_string(x).c_str(), nullptr);
  }
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  ASSERT_GT(std::filesystem::file_size(path), 1u << 20);

  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  std::vector<std::string> row;
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(reader->Next(row));
  ASSERT_TRUE(reader->Rewind().ok());  // restarts the part while the inflater runs ahead
  auto rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  ASSERT_EQ(rows.size(), static_cast<size_t>(kRows + 1));
  EXPECT_EQ(rows[1][0], "1");
  EXPECT_EQ(rows[kRows][0], std::to_string(kRows));
  EXPECT_EQ(reader->bytes_read(), reader->bytes_total());
  ASSERT_TRUE(reader->SelectSheet(0).ok());
  ASSERT_TRUE(reader->Next(row));
  ASSERT_TRUE(reader->SelectSheet(1).ok());  // leaves the large part half read
  EXPECT_FALSE(reader->Next(row));
  EXPECT_TRUE(reader->status().ok());
  ASSERT_TRUE(reader->SelectSheet(0).ok());
  EXPECT_EQ(ReadAll(*reader), rows);
}

}  // namespace
}  // namespace odp::formats

namespace odp::formats {
namespace {

TEST_F(XlsxTest, WriterRoundTripsTypesTextAndManyRows) {
  const std::string path = Path("written.xlsx");
  auto w = XlsxWriter::Create(path, "Dân số [2024]", {"Tên", "Số", "Tỷ lệ", "Đúng", "Ngày", "Lúc"});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto& sheet = **w;
  const std::vector<std::string> texts = {"Hà Nội & <Huế>", "  cách đầu", "dòng 1\r\ndòng 2",
                                          "_x0041_ giữ nguyên", std::string("điều\x01khiển")};
  for (size_t r = 0; r < texts.size(); ++r) {
    ASSERT_TRUE(sheet.BeginRow().ok());
    sheet.Text(texts[r]);
    sheet.Integer(static_cast<int64_t>(r) * 1000000007);
    sheet.Number(r + 0.25);
    sheet.Boolean(r % 2 == 0);
    if (r == 1) {
      sheet.Empty();
    } else {
      sheet.Date(r == 2 ? 1900 : 2024, r == 2 ? 2 : 4, r == 2 ? 28 : 1);
    }
    sheet.Datetime(2024, 4, 1, 7, 5, 9);
    ASSERT_TRUE(sheet.EndRow().ok());
  }
  for (int r = 0; r < 3000; ++r) {  // past the rows that set the widths: the sheet streams
    ASSERT_TRUE(sheet.BeginRow().ok());
    sheet.Text("dòng " + std::to_string(r));
    ASSERT_TRUE(sheet.EndRow().ok());
  }
  ASSERT_TRUE(sheet.Finish().ok());

  auto reader = OpenOk(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->sheet_names(), std::vector<std::string>{"Dân số _2024_"});
  auto rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  ASSERT_EQ(rows.size(), 1u + texts.size() + 3000u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Tên", "Số", "Tỷ lệ", "Đúng", "Ngày", "Lúc"}));
  for (size_t r = 0; r < texts.size(); ++r) EXPECT_EQ(rows[r + 1][0], texts[r]) << r;
  EXPECT_EQ(rows[2][1], "1000000007");
  EXPECT_EQ(rows[2][2], "1.25");
  EXPECT_EQ(rows[1][3], "true");
  EXPECT_EQ(rows[2][3], "false");
  EXPECT_EQ(rows[1][4], "2024-04-01");
  EXPECT_EQ(rows[2][4], "");  // empty cell
  EXPECT_EQ(rows[3][4], "1900-02-28");
  EXPECT_EQ(rows[1][5], "2024-04-01T07:05:09");
  EXPECT_EQ(rows.back()[0], "dòng 2999");
}

}  // namespace
}  // namespace odp::formats

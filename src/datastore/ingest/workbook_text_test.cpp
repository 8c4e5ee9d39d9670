#include "datastore/ingest/workbook_text.h"

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include "datastore/sources.h"

#ifndef ODP_TEST_DATA_DIR
#define ODP_TEST_DATA_DIR "tests/data"
#endif

namespace odp::datastore::ingest {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// tests/data/legacy.xls (tests/data/make_legacy_xls.py): TCVN3 and VNI in legacy fonts, TCVN3
// in Arial, Unicode in .VnTime, formulas with cached results.
const std::string kLegacy = std::string(ODP_TEST_DATA_DIR) + "/legacy.xls";
const std::filesystem::path kVn =
    std::filesystem::path(ODP_TEST_DATA_DIR) / "../../../shared/data/vn";

struct Opened {
  Rows rows;
  TableInfo report;  // the notes, as the loader adds them
};

Opened ReadWith(const std::string& path, const std::string& encoding, int sheet = 0) {
  LoadOptions o;
  o.encoding = encoding;
  o.sheet = sheet;
  auto src = OpenSource(path, o, {});
  EXPECT_TRUE(src.ok()) << src.status().ToString();
  Opened out;
  if (!src.ok()) return out;
  std::vector<std::string> row;
  while (src->rows->Next(row)) out.rows.push_back(row);
  EXPECT_TRUE(src->rows->status().ok()) << src->rows->status().ToString();
  // A second pass (the loader's) reports nothing twice.
  EXPECT_TRUE(src->rows->Rewind().ok());
  while (src->rows->Next(row)) {
  }
  EXPECT_NE(src->workbook_notes, nullptr);
  if (src->workbook_notes) src->workbook_notes->AddTo(out.report);
  return out;
}

int64_t Count(const TableInfo& t, IssueKind k) {
  auto it = t.issue_counts.find(k);
  return it == t.issue_counts.end() ? 0 : it->second;
}

const IngestIssue* Find(const TableInfo& t, IssueKind k, int64_t line, int column) {
  for (const auto& i : t.issues) {
    if (i.kind == k && i.line == line && i.column == column) return &i;
  }
  return nullptr;
}

TEST(WorkbookText, DecodesXlsTextByFontAndByContent) {
  Opened o = ReadWith(kLegacy, "");
  ASSERT_GE(o.rows.size(), 9u);
  EXPECT_EQ(o.rows[0][0], "Trạm: Huế (Thừa Thiên - Huế)");
  EXPECT_EQ(o.rows[1][0], "Yếu tố: Lượng mưa tháng (mm)");
  EXPECT_EQ(o.rows[2][0], "HÀ NỘI");  // .VnTimeH shows capitals
  EXPECT_EQ(o.rows[4][0], "Năm");
  EXPECT_EQ(o.rows[4][13], "Năm");
  EXPECT_EQ(o.rows[7][0], "Hà Nội");      // VNI-Times
  EXPECT_EQ(o.rows[7][1], "Tổng");        // a formula's string result, in .VnTime
  EXPECT_EQ(o.rows[8][0], "Thừa Thiên");  // TCVN3 in Arial: by its content
  EXPECT_EQ(o.rows[8][1], "Hà Nội");      // Unicode already, in .VnTime: left as it is
  EXPECT_EQ(o.rows[8][2], "Café");        // not Vietnamese: left as it is
}

TEST(WorkbookText, ReportsEachDecodedRangeOnceWithWhereAndWhatToDo) {
  Opened o = ReadWith(kLegacy, "");
  // Column A: rows 1–5 by the TCVN3 fonts (.VnTime and .VnTimeH, 4 cells); B5..M5 hold ASCII
  // month numerals, nothing to decode.
  const IngestIssue* a = Find(o.report, IssueKind::kLegacyTextDecoded, 1, 1);
  ASSERT_NE(a, nullptr);
  EXPECT_NE(
      a->message_vi.find(
          "Trang tính 'R', cột A, dòng 1–5: 4 ô chữ mã TCVN3 (theo phông chữ, phông .VnTime)"),
      std::string::npos)
      << a->message_vi;
  EXPECT_NE(a->message_vi.find("đặt bảng mã của bảng là UTF-8"), std::string::npos);
  EXPECT_NE(a->message_en.find("Sheet 'R', column A, rows 1–5: 4 text cells in TCVN3"),
            std::string::npos)
      << a->message_en;
  const IngestIssue* content = Find(o.report, IssueKind::kLegacyTextDecoded, 9, 1);
  ASSERT_NE(content, nullptr);
  EXPECT_NE(content->message_vi.find("nhận ra theo nội dung"), std::string::npos)
      << content->message_vi;
  const IngestIssue* vni = Find(o.report, IssueKind::kLegacyTextDecoded, 8, 1);
  ASSERT_NE(vni, nullptr);
  EXPECT_NE(vni->message_vi.find("mã VNI"), std::string::npos) << vni->message_vi;
  // A1..A5 by font, A8 VNI, A9 by content, N5, B8 (the formula): one range each.
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextDecoded), 5);
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextKept), 0);
  // The formula error of D8.
  EXPECT_EQ(Count(o.report, IssueKind::kFormulaError), 1);
  const IngestIssue* error = Find(o.report, IssueKind::kFormulaError, 8, 4);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(error->message_vi.find("ô D8: công thức cho kết quả lỗi #DIV/0!"), std::string::npos)
      << error->message_vi;
}

TEST(WorkbookText, Utf8EncodingLeavesLegacyTextAloneAndReportsIt) {
  Opened o = ReadWith(kLegacy, "utf-8");
  EXPECT_EQ(o.rows[4][0], "N¨m");
  EXPECT_EQ(o.rows[8][0], "Thõa Thiªn");
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextDecoded), 0);
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextKept), 5);
  const IngestIssue* a = Find(o.report, IssueKind::kLegacyTextKept, 1, 1);
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a->message_vi.find("được giữ nguyên vì bảng mã của bảng đặt là UTF-8"),
            std::string::npos);
  EXPECT_NE(a->message_vi.find("(nếu chuyển sẽ là \"Trạm: Huế"), std::string::npos)
      << a->message_vi;
}

TEST(WorkbookText, ForcedEncodingDecodesEveryTextCell) {
  // "Café" in Arial is not TCVN3 by any sign, but the publisher said the text is: byte E9 is
  // TCVN3's ộ.
  Opened o = ReadWith(kLegacy, "tcvn3");
  EXPECT_EQ(o.rows[4][0], "Năm");
  EXPECT_EQ(o.rows[8][2], "Cafộ");
  EXPECT_EQ(o.rows[8][1], "Hà Nội");  // Unicode already: not decoded again
  Opened vni = ReadWith(kLegacy, "VNI");
  EXPECT_EQ(vni.rows[7][0], "Hà Nội");
}

TEST(WorkbookText, UnknownEncodingIsRefusedInBothLanguages) {
  auto mode = WorkbookTextModeFor("klingon");
  ASSERT_FALSE(mode.ok());
  EXPECT_NE(mode.status().message_vi().find("Bảng mã không được hỗ trợ"), std::string::npos);
  EXPECT_EQ(WorkbookTextModeFor("auto")->kind, WorkbookTextMode::Kind::kAuto);
  EXPECT_EQ(WorkbookTextModeFor("UTF-8")->kind, WorkbookTextMode::Kind::kOff);
}

// XLSX alike: by font, by content in a Unicode font, left alone when already Unicode.
TEST(WorkbookText, DecodesXlsxTextByFontAndContent) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "odp-workbook-text.xlsx").string();
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Dân số");
  lxw_format* vntime = workbook_add_format(wb);
  format_set_font_name(vntime, ".VnTime");
  lxw_format* vni = workbook_add_format(wb);
  format_set_font_name(vni, "VNI-Times");
  worksheet_write_string(ws, 0, 0, "Tªn", vntime);      // "Tên"
  worksheet_write_string(ws, 0, 1, "Sè d©n", nullptr);  // TCVN3 in Calibri: "Số dân"
  worksheet_write_string(ws, 1, 0, "Haø Noäi", vni);    // VNI
  worksheet_write_number(ws, 1, 1, 8435700, nullptr);
  worksheet_write_string(ws, 2, 0, "Thừa Thiên Huế", vntime);  // Unicode already
  worksheet_write_string(ws, 2, 1, "Résumé", nullptr);         // French: not Vietnamese
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  Opened o = ReadWith(path, "");
  ASSERT_EQ(o.rows.size(), 3u);
  EXPECT_EQ(o.rows[0], (std::vector<std::string>{"Tên", "Số dân"}));
  EXPECT_EQ(o.rows[1], (std::vector<std::string>{"Hà Nội", "8435700"}));
  EXPECT_EQ(o.rows[2], (std::vector<std::string>{"Thừa Thiên Huế", "Résumé"}));
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextDecoded),
            3);  // A by .VnTime, A by VNI, B by content
  Opened kept = ReadWith(path, "utf-8");
  EXPECT_EQ(kept.rows[0][1], "Sè d©n");
  EXPECT_EQ(Count(kept.report, IssueKind::kLegacyTextKept), 3);
  std::filesystem::remove(path);
}

TEST(WorkbookText, HueWorkbookLabelsReadAsVietnamese) {
  const auto path = kVn / "Hue.xls";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  for (int sheet = 0; sheet < 7; ++sheet) {
    Opened o = ReadWith(path.string(), "", sheet);
    ASSERT_GE(o.rows.size(), 6u);
    EXPECT_EQ(o.rows[0][0], "Trạm: Huế (Thừa Thiên - Huế)") << sheet;
    EXPECT_EQ(o.rows[4][0], "Năm") << sheet;
    EXPECT_EQ(o.rows[4][13], "Năm") << sheet;
    EXPECT_GT(Count(o.report, IssueKind::kLegacyTextDecoded), 0) << sheet;
    EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextKept), 0) << sheet;
  }
  Opened rain = ReadWith(path.string(), "", 3);
  EXPECT_EQ(rain.rows[1][0], "Yếu tố: Lượng mưa tháng (mm)");
}

TEST(WorkbookText, GsoDataXlsIsUnicodeAndStaysAsItIs) {
  const auto path = kVn / "data.xls";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  Opened o = ReadWith(path.string(), "");
  EXPECT_EQ(o.rows.size(), 10041u);  // the header and 10,040 units
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextDecoded), 0);
  EXPECT_EQ(Count(o.report, IssueKind::kLegacyTextKept), 0);
  EXPECT_EQ(Count(o.report, IssueKind::kFormulaError), 0);
}

}  // namespace
}  // namespace odp::datastore::ingest

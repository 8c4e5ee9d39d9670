// Reading legacy Excel workbooks (.xls, BIFF2–BIFF8 as written by Excel 97–2003 and most
// government systems of that age) as a RowSource, one sheet at a time, through FreeXL.
//
// Cells come out in the canonical forms of rows.h: text as UTF-8; numbers as
// AppendCanonicalNumber (formats/text_writers.h) writes them, the same as the XLSX reader
// ("1119.12", "300267", "10000000000", "1e-07"); dates "YYYY-MM-DD",
// date-times "YYYY-MM-DDTHH:MM:SS" and times "HH:MM:SS" wherever the cell's number format is a
// date or time format. FreeXL does not tell a boolean from a number: TRUE and FALSE cells come
// out as "1" and "0".
//
// Formula cells come out as their cached last result, which FreeXL does not give: the reader
// reads the FORMULA and STRING records itself (formats/internal/biff.h). Numbers as above (a
// result whose cell has a date or time number format comes out as a date, "YYYY-MM-DD" or
// "YYYY-MM-DDTHH:MM:SS", like the other date cells), strings
// as UTF-8, booleans "true" / "false" as in XLSX, errors (#DIV/0!, #N/A, …) empty with the
// error's text in errors() so the loader can report them. A workbook whose records cannot be
// scanned (BIFF5/7, or a damaged OLE2 container FreeXL still reads) gives its formulas empty.
//
// Rows with no value come out as empty rows (no cells), so that the n-th row is Excel's row n
// and line() its number; empty rows after the last value are left out. Trailing empty cells are
// dropped. FreeXL does not report merged ranges: only a range's top-left cell has its value
// (the XLSX reader copies it to every cell of the range). Each text cell's font name comes out
// in fonts(), as XlsxReader gives it, so legacy Vietnamese encodings (TCVN3 in ".VnTime", VNI
// in "VNI-Times") can be told by the font.
// FreeXL reads the whole workbook into memory when it opens it (an .xls holds at most 65,536
// rows × 256 columns per sheet). Not thread-safe; one reader per file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "formats/rows.h"

namespace odp::formats {

namespace internal {
struct BiffWorkbook;  // formats/internal/biff.h
struct BiffSheet;
enum class DateKind : uint8_t;  // formats/internal/excel_dates.h
}  // namespace internal

class XlsReader : public RowSource {
 public:
  // Opens the workbook at `path` with its first sheet selected. NotFound when there is no such
  // file; InvalidArgument (English and Vietnamese) when it is not an .xls workbook (an .xlsx or
  // a CSV renamed, say), is password-protected, or is corrupt.
  static Result<std::unique_ptr<XlsReader>> Open(const std::string& path, ReadLimits limits = {});
  ~XlsReader() override;
  XlsReader(const XlsReader&) = delete;
  XlsReader& operator=(const XlsReader&) = delete;

  // The sheets' names in workbook order, as UTF-8.
  const std::vector<std::string>& sheet_names() const { return sheet_names_; }
  // Makes sheet `index` (0-based, into sheet_names()) the one that Next() reads, from its first
  // row, and clears status(). InvalidArgument when there is no such sheet.
  Status SelectSheet(size_t index);
  size_t selected_sheet() const { return sheet_; }

  // RowSource. An error (a limit exceeded, a cell FreeXL cannot read) names the sheet and the
  // cell: "Trang tính 'Dân số': ô C7 dài quá giới hạn 1048576 byte."
  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  // The file's size scaled by the share of the sheet's rows done.
  int64_t bytes_read() const override;
  int64_t bytes_total() const override { return file_size_; }
  Status status() const override { return status_; }
  Status Rewind() override;
  bool typed_numbers() const override { return true; }
  // "XLS sheet 'Dân số'".
  std::string describe() const override;

  // The font of each cell of the row last returned by Next(), parallel to its cells: the font's
  // name for text (and formula) cells whose font is not default_font(), else "".
  const std::vector<std::string>& fonts() const { return fonts_; }
  // The workbook's default font (its first FONT record, "Arial" in most workbooks).
  const std::string& default_font() const { return default_font_; }
  // The error of each formula cell of the last row whose cached result is an error ("#DIV/0!"),
  // parallel to its cells ("" for the others); empty when the row has none.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct HandleCloser {
    void operator()(const void* handle) const;
  };
  using Handle = std::unique_ptr<const void, HandleCloser>;

  XlsReader(Handle handle, std::vector<std::string> sheet_names, int64_t file_size,
            ReadLimits limits);
  // Reads ahead from next_row_ to the next row with a value, into value_cells_. False at the
  // end of the sheet's values, or on an error (then status_ says which).
  bool FindValueRow();
  // Reads the fonts and formula results FreeXL does not give from the file's records.
  void ScanRecords(const std::string& path);
  // Reads 0-based `row` into `cells`, trailing empty cells dropped; false on an error.
  bool ReadRow(uint32_t row, std::vector<std::string>& cells, std::vector<std::string>& fonts,
               std::vector<std::string>& errors);
  // Stops reading with an error at the cell at 0-based `row`, `column`; returns false.
  // What the number format of the cell `key` (internal::CellKey) of `records` shows of a date.
  internal::DateKind DateKindOfCell(const internal::BiffSheet& records, uint32_t key) const;
  bool Fail(uint32_t row, uint16_t column, const std::string& problem,
            const std::string& problem_vi);

  Handle handle_;  // FreeXL's workbook; its active sheet is sheet_.
  std::vector<std::string> sheet_names_;
  int64_t file_size_;
  ReadLimits limits_;
  size_t sheet_ = 0;
  uint32_t rows_ = 0;             // of the selected sheet, as FreeXL counts them
  uint16_t columns_ = 0;          // likewise
  uint32_t next_row_ = 0;         // 0-based row Next() returns next
  bool value_row_ready_ = false;  // value_row_ and value_cells_ hold the next row with a value
  uint32_t value_row_ = 0;
  std::vector<std::string> value_cells_, value_fonts_, value_errors_;
  std::vector<std::string> fonts_, errors_;  // of the row last returned
  // What FreeXL does not give: fonts and formula results, from the BIFF records; one entry per
  // FreeXL sheet (null when the records of that sheet were not found).
  std::unique_ptr<internal::BiffWorkbook> biff_;
  std::vector<const internal::BiffSheet*> biff_sheets_;
  std::string default_font_;
  int64_t line_ = 0;
  Status status_;
};

}  // namespace odp::formats

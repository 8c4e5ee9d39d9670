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
// Rows with no value come out as empty rows (no cells), so that the n-th row is Excel's row n
// and line() its number; empty rows after the last value are left out. Trailing empty cells are
// dropped. FreeXL does not report merged ranges: only a range's top-left cell has its value
// (the XLSX reader copies it to every cell of the range). Nor does it report fonts, so legacy
// Vietnamese encodings (TCVN3, VNI) cannot be told by the font as in XLSX.
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
  // Reads 0-based `row` into `cells`, trailing empty cells dropped; false on an error.
  bool ReadRow(uint32_t row, std::vector<std::string>& cells);
  // Stops reading with an error at the cell at 0-based `row`, `column`; returns false.
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
  std::vector<std::string> value_cells_;
  int64_t line_ = 0;
  Status status_;
};

}  // namespace odp::formats

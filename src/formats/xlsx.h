// Reading Excel workbooks (.xlsx, Office Open XML, as written by Excel, LibreOffice, openpyxl,
// libxlsxwriter, …) as a RowSource, one worksheet at a time, streaming: the sheet is inflated
// (minizip) and parsed (expat, SAX) chunk by chunk as Next() asks for rows, so memory stays
// bounded however long the sheet is. Only the shared strings, the styles and the sheet's merged
// ranges are kept in memory.
//
// Cells come out in the canonical forms of rows.h:
//   - text (shared, inline and formula strings) as UTF-8; rich-text runs concatenated;
//   - numbers as AppendCanonicalNumber (formats/text_writers.h) writes them, the same as the XLS
//     reader: whole numbers in full below 1e15 ("100000", "10000000000"), fractions in their
//     shortest round-trip digits ("1119.12"), exponents outside 1e-5 … 1e15 ("1e-07");
//   - booleans "true" / "false";
//   - numbers whose cell format is a date or time format (built-in formats 14–22 and 45–47,
//     custom formats with d, m, y, h or s outside quotes and brackets) as the format shows
//     them: "YYYY-MM-DD" for a date format, "YYYY-MM-DDTHH:MM:SS" for a format with a time (at
//     midnight too, so a column stays one type), "HH:MM:SS" for a time with no day (a serial
//     number below 1). Both the 1900 date system (with Lotus's 1900-02-29) and the 1904 one;
//   - ISO dates of t="d" cells in the same forms;
//   - formula cells as their cached value; error cells (#N/A, #DIV/0!, …) empty.
// Every cell of a merged range reads as the range's top-left cell, so merged header cells come
// out flat. Rows missing from the file come out as empty rows, so that line() is always Excel's
// row number.
//
// Not thread-safe; one reader per file.
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
class XlsxArchive;      // the zip, its parts and the expansion limits (xlsx.cpp)
struct XlsxWorkbook;    // sheets, shared strings, styles, date system (xlsx.cpp)
class XlsxSheetReader;  // the selected sheet, parsed as far as Next() has asked (xlsx.cpp)
}  // namespace internal

class XlsxReader : public RowSource {
 public:
  // Opens the workbook at `path` with its first worksheet selected: reads the package's
  // content types, the workbook and its relationships (worksheets in workbook order;
  // chartsheets are left out), the styles and the shared strings (kept in memory; they count
  // against `limits` like every part read). The expansion limits are checked on the bytes
  // actually inflated, as they are inflated; max_expanded_bytes counts each part once, however
  // often it is read (SelectSheet() and Rewind() read a sheet again).
  // NotFound when there is no such file. InvalidArgument, in English and Vietnamese, when it is
  // not a zip archive, lacks a part a workbook needs, has no worksheet, is not well-formed, or
  // exceeds `limits`.
  static Result<std::unique_ptr<XlsxReader>> Open(const std::string& path, ReadLimits limits = {});
  ~XlsxReader() override;
  XlsxReader(const XlsxReader&) = delete;
  XlsxReader& operator=(const XlsxReader&) = delete;

  // The worksheets' names in workbook order.
  const std::vector<std::string>& sheet_names() const;
  // Makes worksheet `index` (0-based, into sheet_names()) the one Next() reads, from its first
  // row, and clears status(). Reads the sheet's merged ranges first (one pass over the part).
  // InvalidArgument when there is no such sheet or its merged ranges cannot be read.
  Status SelectSheet(size_t index);
  size_t selected_sheet() const { return sheet_; }

  // RowSource. Next() returns every row from 1 to the last row present, trailing empty cells
  // dropped. An error names the sheet, and the cell (Excel's "C7") where it applies:
  // "Trang tính 'Dân số': ô C7 dài quá giới hạn 1048576 byte."
  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override;
  // Compressed bytes of the selected sheet's part consumed, and its compressed size.
  int64_t bytes_read() const override;
  int64_t bytes_total() const override;
  Status status() const override;
  Status Rewind() override;
  bool typed_numbers() const override { return true; }
  // "XLSX sheet 'Dân số'".
  std::string describe() const override;

  // The font of each cell of the row last returned by Next(), parallel to its cells: the font's
  // name, or "" when it is default_font() (or the cell is empty and unstyled). Legacy
  // Vietnamese encodings show here: ".VnTime" and its family mean TCVN3 text, "VNI-Times" and
  // its family VNI text.
  const std::vector<std::string>& fonts() const;
  // The workbook's default font (its first font, "Calibri" in most workbooks).
  const std::string& default_font() const;
  // The formula errors of the row last returned by Next(), by column: Excel's text ("#DIV/0!",
  // "#N/A", "#REF!", …) where a cell holds an error (that cell comes out empty), "" elsewhere;
  // empty when the row has none. The loader reports each with its row and column.
  const std::vector<std::string>& errors() const;

 private:
  XlsxReader(std::unique_ptr<internal::XlsxArchive> archive,
             std::unique_ptr<internal::XlsxWorkbook> workbook, ReadLimits limits);

  ReadLimits limits_;
  std::unique_ptr<internal::XlsxArchive> archive_;
  std::unique_ptr<internal::XlsxWorkbook> workbook_;
  size_t sheet_ = 0;
  // Reads from archive_ (one part open at a time); null when selecting sheet_ failed, and then
  // failure_ says why.
  std::unique_ptr<internal::XlsxSheetReader> reader_;
  Status failure_;
};

}  // namespace odp::formats

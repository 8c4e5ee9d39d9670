// XlsxWriter: one worksheet written straight into a zip, row by row, in bounded memory.
//
// What the portal's XLSX downloads need and nothing more: a bold, frozen header row; cells typed
// as text (inline strings), numbers, booleans, dates and date-times (shown dd/mm/yyyy and
// dd/mm/yyyy hh:mm:ss); column widths that fit the header and the first 1,000 rows. The sheet's
// XML is deflated at level 1 as it is produced (minizip), so a large export costs little more
// than writing its text. docs/architecture.md says why this replaced libxlsxwriter for exports.
//
// Text is escaped for XML; control characters that XML 1.0 forbids are written as Excel's
// `_xHHHH_` escapes (and a literal `_x…_` in the text has its underscore escaped), so every
// value reads back as it was.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "formats/excel.h"

namespace odp::formats {

class XlsxWriter {
 public:
  static constexpr int64_t kMaxRows = kExcelMaxRows;  // the header included
  // Starts a workbook at `path` with one sheet named `sheet` (at most 31 characters; the
  // characters Excel refuses in sheet names replaced) whose first row is `header`.
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path,
                                                    const std::string& sheet,
                                                    const std::vector<std::string>& header);
  ~XlsxWriter();  // an unfinished workbook is removed
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  // One row: BeginRow(), a call per cell in column order, EndRow(). ResourceExhausted past
  // kMaxRows.
  Status BeginRow();
  void Empty();
  void Text(std::string_view utf8);
  void Integer(int64_t v);
  void Number(double v);
  void Boolean(bool v);
  // Dates as Excel serial numbers (1900 system); `seconds` may have a fraction.
  void Date(int year, int month, int day);
  void Datetime(int year, int month, int day, int hour, int minute, double seconds);
  Status EndRow();

  // Writes the rest of the workbook and closes the file.
  Status Finish();

 private:
  struct Impl;
  explicit XlsxWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace odp::formats

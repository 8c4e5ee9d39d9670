// RowSource: what the datastore loads from. Every tabular format (delimited text, a sheet of
// an XLSX or XLS workbook, JSON records) is read as a sequence of rows of text cells; the
// datastore decides the column types over all of them.
//
// Cells are text. Sources that know their values' types (spreadsheets, JSON) write them in one
// canonical form so that inference cannot misread them: numbers with '.' as the decimal point
// and no grouping, whole numbers in full below 1e15 ("10000000000", "1234.5", "-3", "1e-07";
// AppendCanonicalNumber in formats/text_writers.h writes them), booleans "true"/"false", dates
// "YYYY-MM-DD", date-times "YYYY-MM-DDTHH:MM:SS"; they say so with typed_numbers().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace odp::formats {

class RowSource {
 public:
  virtual ~RowSource() = default;

  // Reads the next row into `cells` (resized to the row's width; trailing empty cells may be
  // dropped). Returns false at the end of the data or when reading failed; then status() says
  // which.
  virtual bool Next(std::vector<std::string>& cells) = 0;
  // 1-based position of the last row returned by Next(), as a person would find it: the line
  // of a text file, the row number of a sheet (Excel's), the record number of JSON.
  virtual int64_t line() const = 0;
  // Bytes of the input consumed so far, and the total (0 when unknown), for progress.
  virtual int64_t bytes_read() const = 0;
  virtual int64_t bytes_total() const { return 0; }
  // OK, or why Next() stopped early (corrupt file, a limit exceeded, …), with a Vietnamese
  // message that names the row and column where it applies.
  virtual Status status() const = 0;
  // Starts again from the first row (the datastore reads its input twice).
  virtual Status Rewind() = 0;
  // True when numbers are written in the canonical form above (not as the file's author typed
  // them), so "1.234" is one point two three four, never one thousand two hundred thirty-four.
  virtual bool typed_numbers() const { return false; }
  // A short description of the format for reports ("CSV ;", "XLSX sheet 'Dân số'", "NDJSON").
  virtual std::string describe() const = 0;
};

// Something a source could not put into its rows (a part of a document, a sheet not read),
// for the load's report: where it is (a 1-based line or row, 0 for none) and what, in
// Vietnamese and English, with what to do.
struct SourceNote {
  int64_t line = 0;
  std::string message_vi;
  std::string message_en;
};

// Limits applied while reading (each exceeded limit is an error naming it).
struct ReadLimits {
  int64_t max_columns = 1000;
  int64_t max_cell_bytes = 1 << 20;  // one cell's text
  int64_t max_rows = 50'000'000;
  int64_t max_expanded_bytes = 4LL << 30;  // XLSX: all uncompressed parts read
  int64_t max_expansion_ratio = 200;       // XLSX: uncompressed / compressed size of a part
};

}  // namespace odp::formats

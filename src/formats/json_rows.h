// Reading JSON records as rows: a JSON array of objects ([{"a":1,"b":"x"}, …]) or NDJSON (one
// object per line; blank lines skipped; CRLF or LF).
//
// Columns are the keys in first-seen order over the whole input: Open() makes a first pass
// over the file that collects them (memory is bounded by the number of distinct keys and the
// size of one record, not by the file). Next() returns the header row (the keys) first, then one
// row per record, as wide as the header, with the values in canonical form:
//   - strings as they are, escapes decoded (\u1ec7 → ệ, surrogate pairs → one character, an
//     unpaired surrogate → U+FFFD);
//   - numbers exactly as written in the file ("12345678901234567890", "1.10", "-0.5e3"), never
//     through a double;
//   - true / false as "true" / "false"; null and missing keys as "";
//   - a nested array or object as its compact JSON text ({"a":[1,2]}).
// An array of arrays (or NDJSON of arrays) is read as a table whose first array is the header.
//
// Parsing streams over a 64 KB buffer without building a tree of the file. A malformed file, a
// record that is not an object (or not an array, in a table of arrays) and an exceeded limit
// stop reading: the rows before the problem are returned, then Next() returns false and
// status() is InvalidArgument naming the line and column, in English and Vietnamese
// ("JSON không hợp lệ ở dòng 12, cột 5: …"). Columns are counted in characters.
// Not thread-safe; one reader per input.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "formats/rows.h"

namespace odp::formats {

class JsonRowsReader : public RowSource {
 public:
  // kArray: the file is one JSON array whose elements are the records.
  // kLines: the file is a sequence of JSON values, normally one per line (NDJSON).
  enum class Kind { kArray, kLines };

  // Opens the file at `path` and makes the first pass. The kind comes from the first non-space
  // byte (after a UTF-8 byte-order mark): '{' is NDJSON; '[' is a JSON array when the next
  // non-space byte opens a record ('{' or '[') or closes it, else NDJSON of arrays (its first
  // line the header). NotFound when there is no such file; InvalidArgument when it is empty or
  // does not start like JSON records. Problems further in are reported by status() once Next()
  // reaches them.
  static Result<std::unique_ptr<JsonRowsReader>> Open(const std::string& path,
                                                      ReadLimits limits = {});
  // The same over a stream the reader then owns. REQUIRES: `in` can seek back to its start.
  static Result<std::unique_ptr<JsonRowsReader>> FromStream(std::unique_ptr<std::istream> in,
                                                            ReadLimits limits = {});
  ~JsonRowsReader() override;
  JsonRowsReader(const JsonRowsReader&) = delete;
  JsonRowsReader& operator=(const JsonRowsReader&) = delete;

  Kind kind() const { return kind_; }
  // The header row: the keys in first-seen order, or a table's first array (up to a problem
  // that stopped the first pass).
  const std::vector<std::string>& columns() const { return columns_; }

  // RowSource. line() is the line where the record starts (for the header of objects, the line
  // of the first record).
  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  int64_t bytes_read() const override;
  int64_t bytes_total() const override { return bytes_total_; }
  Status status() const override { return status_; }
  Status Rewind() override;
  bool typed_numbers() const override { return true; }
  // "JSON array" or "NDJSON".
  std::string describe() const override;

 private:
  class Scanner;
  // What the records are, known from the first one.
  enum class Shape { kUnknown, kObjects, kArrays };
  enum class Step { kRecord, kEnd, kError };

  JsonRowsReader(std::unique_ptr<std::istream> in, ReadLimits limits);
  Status DetectKind();
  // Reads the next record into `cells`. In the first pass (`first_pass`) new keys are added
  // to the columns; afterwards the columns are fixed. On kError, status_ says why.
  Step ReadRecord(std::vector<std::string>& cells, bool first_pass);
  Step ReadObject(std::vector<std::string>& cells, bool first_pass);
  Step ReadArray(std::vector<std::string>& cells);
  Step FinishArray();
  // Sets status_ from the scanner's syntax error, or to a problem at its current position.
  Step SyntaxError();
  Step Fail(int64_t line, int64_t column, const std::string& problem,
            const std::string& problem_vi);
  void Restart();

  std::unique_ptr<std::istream> in_;
  std::unique_ptr<Scanner> scanner_;
  ReadLimits limits_;
  Kind kind_ = Kind::kLines;
  Shape shape_ = Shape::kUnknown;
  int64_t bytes_total_ = 0;

  // Learnt in the first pass.
  std::vector<std::string> columns_;
  std::unordered_map<std::string, size_t> column_index_;
  int64_t first_record_line_ = 1;
  std::optional<Status> first_pass_error_;  // met after first_pass_error_record_ records
  int64_t first_pass_error_record_ = 0;

  // The current pass.
  bool array_open_ = false;
  bool array_done_ = false;
  bool header_pending_ = false;
  bool at_end_ = false;
  int64_t records_ = 0;  // records read in this pass, a table's header included
  int64_t line_ = 0;
  Status status_;
  std::string key_;    // scratch, reused across records
  std::string value_;  // likewise
};

}  // namespace odp::formats

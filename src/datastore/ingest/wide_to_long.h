// Wide statistics tables turned long (a load option, `LoadOptions::wide_to_long`).
//
// Statistics offices publish one column per year and item: `2011 Area (Km2)`,
// `2011 Average population (Thous. pers.)`, `2012 Area (Km2)`, … (or, over two header rows,
// `2011 / Diện tích(*) (Km2)`). Long, the same table has one row per row of the file and year
// column: the row's key columns (those whose header holds no year), then `Năm` (the year),
// `Chỉ tiêu` (the item, without its unit and footnote marks), `Đơn vị` (the unit, when any
// header names one) and `Giá trị` (the cell). A column is a year column when its header holds a
// year from 1900 to 2100 as a word of its own; the unit is the last bracketed part of the header
// that is not a footnote mark (`(*)`, `(1)`): `Km2`, `km²`, `Thous. pers.`, `nghìn người`, `%`,
// `ha`, `tấn`, … (`km2`/`Km2` written `km²`, `m2` `m²`).
//
// WideToLongRows reads the header of the wide table from its input with FindHeader (as the
// publisher placed it, or found), then gives the long table: its header first (line() the wide
// header's last line), then the long rows, each with line() the line of the wide row it comes
// from, so that the report names the file's rows. A wide row with no value in any year column (a
// footnote, a source line, a blank region label) gives no long row and is listed in notes().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "datastore/ingest/steps.h"
#include "datastore/table.h"
#include "formats/rows.h"

namespace odp::datastore::ingest {

// A year column of a wide table, as its header says.
struct WideColumn {
  int year = 0;
  std::string item;  // "Diện tích", "Average population", "Hospital"
  std::string unit;  // "km²", "Thous. pers.", "" when the header names none
};

// The year, item and unit of a wide header label; nullopt when it holds no year (a key column).
std::optional<WideColumn> ParseWideLabel(std::string_view label);

class WideToLongRows : public formats::RowSource {
 public:
  // Finds the wide header in `in` (`where`: the publisher's header and first rows). InvalidArgument
  // when fewer than two columns hold a year, or none holds none (no key to keep).
  static Result<std::unique_ptr<WideToLongRows>> Open(std::unique_ptr<formats::RowSource> in,
                                                      const LoadOptions& where);

  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  int64_t bytes_read() const override { return in_->bytes_read(); }
  int64_t bytes_total() const override { return in_->bytes_total(); }
  Status status() const override { return in_->status(); }
  Status Rewind() override;
  bool typed_numbers() const override { return in_->typed_numbers(); }
  std::string describe() const override;

  // The wide header's last line (the long header's line()).
  int64_t header_line() const { return header_.line; }
  // The rows above the wide header, one line each (the table's caption).
  std::vector<std::string> title_rows() const;
  // The labels of the key columns and of the year columns, as the wide header has them.
  const std::vector<std::string>& key_labels() const { return key_labels_; }
  std::vector<std::string> year_labels() const;
  // Wide rows that gave no long row (no value in any year column); the first 100. Filled as the
  // rows are read: complete after a pass.
  const std::vector<formats::SourceNote>& notes() const { return notes_; }

 private:
  explicit WideToLongRows(std::unique_ptr<formats::RowSource> in) : in_(std::move(in)) {}
  // The next wide data row into row_ (and row_line_); false at the end.
  bool NextWide();

  std::unique_ptr<formats::RowSource> in_;
  Header header_;
  std::vector<size_t> keys_;                          // key columns of the wide table
  std::vector<std::pair<size_t, WideColumn>> years_;  // year columns, in order
  std::vector<std::string> key_labels_;
  bool with_unit_ = false;
  size_t head_pos_ = 0;  // the next of header_.head to give (then in_'s rows)
  bool header_given_ = false;
  std::vector<std::string> row_;  // the wide row being spread
  int64_t row_line_ = 0;
  size_t next_year_ = 0;  // the next of years_ for row_; years_.size(): read another row
  int64_t line_ = 0;
  std::vector<formats::SourceNote> notes_;
  int64_t last_noted_ = 0;  // notes are taken once, on the first pass
};

}  // namespace odp::datastore::ingest

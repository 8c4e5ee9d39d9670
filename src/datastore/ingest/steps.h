// The named steps of pass 1 of a load, each with its input and its output:
//   1. FindHeader: the first rows of a file → the header (where it is, its labels);
//   2. ColumnProfiler: every row below it → a profile of each column's values;
//   3. DecideFields: the labels, the profiles and what the publisher said → the fields.
// Pass 2 is the back-end's (Backend::WriteRows): every back-end reads the data rows typed by the
// fields through one reader, TypedRows (datastore/internal.h), and only writes them its own way.
// Datastore::LoadRows runs the steps in order. Pure over the rows they are given: no database, no
// job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "datastore/infer.h"
#include "datastore/table.h"
#include "formats/rows.h"

namespace odp::datastore::ingest {

// The header of a table: the first row with most cells filled, below any title rows, possibly
// over two rows (a group label over sub-labels); or where the publisher said it is.
struct Header {
  std::vector<std::string> labels;  // one per column, in NFC ("Cột N" for an empty one)
  int64_t line = 0;                 // the file's line of its last row
  size_t index = 0;                 // rows from the start of the file to its first row
  size_t skip = 0;                  // rows from the start of the file to the first data row
  // The rows read to find it (up to 50) and their lines: the data rows among them (from
  // `skip`) are profiled like the others.
  std::vector<std::vector<std::string>> head;
  std::vector<int64_t> head_lines;
};

// How many rows FindHeader reads at most to reach the rows the publisher named.
inline constexpr size_t kMaxHeadRows = 10000;

// Reads the first rows of `rows` (50, or on to the rows `options` names) and finds the header:
// at `options.header_row` when set, else among the rows above `options.first_row` (all 50 when
// unset) as HeaderIndex and HeaderLabels say; the data starts at `options.first_row` when set,
// else below the header. InvalidArgument for an empty file, one without a header row, a header
// that is not UTF-8 text, rows named that the file does not have (or beyond kMaxHeadRows), and
// a first data row not below the header or after the last.
Result<Header> FindHeader(formats::RowSource& rows, const LoadOptions& options = {});

// The rows above the header's first row (as FindHeader or the publisher placed it), each as one
// line of its filled cells joined by " ", for the table's caption.
std::vector<std::string> TitleRows(const Header& header);

// Whether a row below a table of `columns` columns reads as a note rather than data: one filled
// cell in a table of two columns or more, whose text starts as a note does ("Nguồn:", "Ghi chú",
// "Chú thích", "Lưu ý", "Source", "Note", "(*)", "*", "(1)") or is a sentence (six words or more);
// `after_note`: the row right above was a note, and any row of one filled cell goes on with it
// (a footnote wrapped over several lines). The loader takes such rows as the table's notes only
// when no data row follows them.
bool IsNoteRow(const std::vector<std::string>& row, size_t columns, bool after_note);

// The profile of every column over every value of the data rows.
class ColumnProfiler {
 public:
  // `columns`: the header's; `typed_numbers`: the source gives numbers as numbers (workbooks).
  ColumnProfiler(size_t columns, bool typed_numbers);
  // Adds one data row (blank rows are skipped; cells beyond the header's are only checked).
  // InvalidArgument when a cell is not UTF-8 text.
  Status Add(const std::vector<std::string>& row, int64_t line);
  const std::vector<ColumnProfile>& profiles() const { return profiles_; }

 private:
  std::vector<ColumnProfile> profiles_;
};

// The fields the profiles say (ids from the labels, types and number styles), with what the
// publisher said in `options` on top (types, labels, descriptions, the primary key). Written
// into `into.fields` and `into.primary_key`; reported as issues of `into`: settings that name a
// column the file lacks, columns without a value (`empty_column`) and mostly-number columns
// made text by too many stray values (`type_demoted`).
void DecideFields(const std::vector<std::string>& labels, std::vector<ColumnProfile> profiles,
                  const LoadOptions& options, TableInfo& into);

// The issues DecideFields reports (empty columns, type demotions, settings for missing columns)
// of `loaded` replaced by those of `decided`: a table loaded with the types of the first rows
// (PostgreSQL's overlapped passes) is described as the whole file decided.
void ReplaceDecisionIssues(TableInfo& loaded, const TableInfo& decided);

}  // namespace odp::datastore::ingest

// What the datastore knows about a table: its fields, how it was read, what went wrong while
// reading it, how two versions differ, and the state of its load. Plain values, no I/O; the
// service that makes and reads them is datastore/datastore.h, the query language
// datastore/query.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/infer.h"

namespace odp::datastore {

struct Field {
  std::string id;     // safe identifier derived from the label ("so_hoc_sinh")
  std::string label;  // the header as written ("Số học sinh")
  ColumnType type = ColumnType::kString;
  NumberStyle style = NumberStyle::kVietnamese;
  std::string description;  // written by the publisher
};

// The `_id` column every table has (the row's number in the file's order).
const Field& IdField();

// Safe, unique column identifiers for header labels ("Số học sinh" → "so_hoc_sinh").
std::vector<std::string> ColumnIds(const std::vector<std::string>& labels);

// What the publisher says about a column, applied over what the loader inferred.
struct FieldOverride {
  std::string id;
  std::optional<ColumnType> type;          // values that do not fit become empty, each reported
  std::string label;                       // "" keeps the header's
  std::optional<std::string> description;  // unset keeps what was said before ("" clears)
};

// The kinds of problem a load reports. Declared in the order of their names, which is the
// order they are listed in (issue counts are kept by kind, as the API's JSON sorts them).
enum class IssueKind {
  kDuplicateKey,       // "duplicate_key": a primary key repeated
  kEmptyColumn,        // "empty_column": a column without a single value (kept, as text)
  kExtraCells,         // "extra_cells": a cell beyond the header's columns
  kFormulaError,       // "formula_error": a formula whose cached result is an error (XLS)
  kLegacyTextDecoded,  // "legacy_text_decoded": workbook cells in TCVN3/VNI converted (one per
                       // range)
  kLegacyTextKept,     // "legacy_text_kept": cells that look TCVN3/VNI left as they are (one per
                       // range)
  kLeftOut,            // "left_out": part of the file not in the table (JSON, sheets), and why
  kMissingKey,         // "missing_key": a row without its primary key
  kNotANumber,         // "not_a_number": a stray value in a numeric column (stored empty)
  kNulRemoved,         // "nul_removed": NUL bytes taken out of a value (PostgreSQL)
  kPlaceholderNull,    // "placeholder_null": "-", "…", "x", "không có", … in a numeric column
                       // (stored empty; one entry per column, counted per cell)
  kSchemaColumnMissing,  // "schema_column_missing": a saved setting names a column the file lacks
  kTypeDemoted,          // "type_demoted": mostly numbers, but too many stray values: text
  kTypeMismatch,         // "type_mismatch": a value not of the type the publisher chose
  kUnterminatedQuote,    // "unterminated_quote": a quoted field not closed at the end
};
// The names above, as the API and stored table descriptions spell them.
const char* ToString(IssueKind k);
std::optional<IssueKind> ParseIssueKind(std::string_view name);

// A problem found while loading, with where it is (1-based line and column of the file).
struct IngestIssue {
  IssueKind kind = IssueKind::kExtraCells;
  int64_t line = 0;
  int column = 0;
  std::string message_vi;
  std::string message_en;
};

constexpr size_t kMaxIssues = 100;

// A reviewer's decision on a column flagged as personal data (datastore/personal_data.h): the
// column is not personal after all (`decision` "not_personal", with a reason), or its values are
// masked when the table is written (`decision` "mask", `mask` "hash", "partial", "year" or
// "drop": access/masks.h, with the default partial of 4 and 3 characters). Kept with the load
// options, so that every later load of the resource (a new file, other settings) applies it too;
// who decided and when are kept with it.
struct ColumnReview {
  std::string column;    // the field id
  std::string decision;  // "not_personal" or "mask"
  std::string mask;      // for "mask": "hash", "partial", "year", "drop"
  std::string reason;    // required for "not_personal"
  std::string by;        // the reviewer's user name
  int64_t at = 0;        // when (microseconds since the epoch)
};

// What the personal-data scan of a load found in one column, and what was decided about it.
struct PersonalFinding {
  std::string column;   // the field id (of the file's columns, also for a dropped one)
  std::string label;    // the header as written
  std::string kind;     // "citizen_id", "id_card", "phone", "email", "tax_code", "vehicle_plate",
                        // "bank_account", "person_name", "birth_date", "address"
  double share = 0;     // of the sampled non-empty cells that match the kind
  int64_t sampled = 0;  // non-empty cells looked at
  std::vector<std::string> examples;  // up to 3 matching values, partially masked
  ColumnReview review;                // decision "" while nobody has reviewed the column
};

// Whether `f` still holds publication: flagged and neither declared not personal nor masked.
bool Unresolved(const PersonalFinding& f);

// How to read an upload; empty values are detected from the file.
struct LoadOptions {
  std::string format;  // "csv", "tsv", "xlsx", "xls", "json", "ndjson"; "" from the file's bytes
  // Delimited text: "utf-8", "windows-1258", "tcvn3", "vni", "viscii", "utf-16"; "" or "auto"
  // detected. Workbooks: "tcvn3", "vni", … decode every text cell with it, "utf-8" none, ""
  // or "auto" by each cell's font and content (datastore/ingest/workbook_text.h).
  std::string encoding;
  int sheet = -1;  // workbooks: the sheet (0-based); -1 the first
  // Where the table is, as the publisher says it (1-based rows of the file or sheet, as
  // `IngestIssue::line` counts them); 0 finds it. `header_row`: the (first) header row;
  // `first_row`: the first data row (the header is the rows from `header_row` up to it, at
  // most two); `last_row`: the last data row (rows below it, such as notes and totals, are
  // left out). Not used when `all_sheets` stacks a workbook's sheets.
  int64_t header_row = 0;
  int64_t first_row = 0;
  int64_t last_row = 0;
  // Workbooks: every sheet stacked into one table, columns matched by their header labels, with
  // a first column naming the sheet (a register kept as one sheet per district or year).
  bool all_sheets = false;
  // JSON documents: the array of records to read, as a path ("data[].items[]", see
  // formats/json_rows.h); "" the deepest array of records that repeats.
  std::string records;
  // A wide statistics table (one column per year and item) loaded long: the key columns, then
  // year, item, unit and value (datastore/ingest/wide_to_long.h). 1 on; 0 off (in a change:
  // unsaid, what was said before holds); -1 in a change turns it off.
  int wide_to_long = 0;
  std::vector<FieldOverride> fields;
  std::vector<std::string> primary_key;  // field ids; duplicates and empty keys are reported
  // Reviews of columns flagged as personal data (one per column id): masks are applied to the
  // values as the rows are written, so that no read of the table can see the raw values.
  std::vector<ColumnReview> reviews;
};

// `change` laid over `base`: each field's type, label and description where `change` says one,
// the primary key when `change` names one, each column review of `change` in place of the
// column's earlier one (a review with an empty decision removes it), the sheet, encoding and rows
// (header, first, last: a negative value clears one back to "found from the file") when set. What a
// schema change or a new upload does to the options the publisher set earlier.
LoadOptions MergeOptions(LoadOptions base, const LoadOptions& change);

struct TableInfo {
  std::string resource_id;
  int version = 0;
  std::string table;  // SQL name
  std::vector<Field> fields;
  int64_t rows = 0;
  int64_t header_line = 0;
  char delimiter = ',';
  std::string source;    // what was read: "CSV ;", "XLSX: Dân số", …
  std::string encoding;  // the text encoding found (delimited text), "" for other formats
  // The title rows above the header (a climate sheet's station, variable and unit), one line
  // each, its filled cells joined by " "; the first sheet's when sheets are stacked.
  std::vector<std::string> caption;
  // The notes under the table ("Nguồn: …", footnotes), one per row of the file, kept out of its
  // rows (IsNoteRow in datastore/ingest/steps.h).
  std::vector<std::string> notes;
  std::vector<IngestIssue> issues;  // the first kMaxIssues
  std::map<IssueKind, int64_t> issue_counts;
  int64_t created = 0;
  bool indexed = false;  // one index per column and the full-text index are built
  std::vector<std::string> primary_key;
  // A geopoint: the latitude and longitude columns (ids), found by their names when both are
  // numbers and every value is a valid coordinate; empty when the table has none. GeoJSON
  // exports and maps use them.
  std::string latitude, longitude;
  // A table loaded long from a wide one (LoadOptions::wide_to_long): the headers of the file's
  // key columns and of the year columns it was turned from; both empty for any other table.
  std::vector<std::string> pivot_keys, pivot_columns;
  // When `fields` is a narrowed view of the stored table (a grant's, api/grant_reads.h): the
  // stored table's text columns in order, whose folded text PostgreSQL keeps together in `_fold`
  // (filters find a column's part by its place among them). Empty: `fields` is the whole table.
  std::vector<std::string> stored_text_columns{};
  // Columns that hold personal data (datastore/personal_data.h), with their reviews: a table
  // with an unresolved one may not be published as open or registered data, and its rows are
  // served only to those who may edit its dataset (api/grant_reads.h).
  std::vector<PersonalFinding> personal_data{};
};

// Issue counts by their kinds' names (the API's `issue_counts`).
std::map<std::string, int64_t> IssueCountsByName(const TableInfo& t);

// How one version differs from an earlier one: by primary key when both declare the same one
// (a row with the same key and other values is "changed"), else as sets of whole rows.
struct VersionDiff {
  int from = 0, to = 0;
  std::vector<std::string> key;  // empty: compared as whole rows
  int64_t added = 0, removed = 0, changed = 0;
  std::vector<std::string> added_columns, removed_columns;
};

// Where the load of one resource version stands.
enum class JobState { kQueued, kRunning, kIndexing, kDone, kFailed, kCancelled };
// "queued", "running", "indexing", "done", "failed", "cancelled" (the API's and the job
// queue's spelling).
const char* ToString(JobState s);
std::optional<JobState> ParseJobState(std::string_view name);
// Still to finish: queued, running or indexing.
bool IsLoading(JobState s);

// The state of the load of one resource version.
struct IngestJob {
  std::string resource_id;
  int version = 0;
  JobState state = JobState::kQueued;
  std::string error_vi, error_en;
  int64_t bytes_done = 0, bytes_total = 0, rows_done = 0;
  int64_t updated = 0;
};

}  // namespace odp::datastore

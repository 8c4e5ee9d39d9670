// Reading JSON records as rows: a JSON array of objects ([{"a":1,"b":"x"}, …]), records nested
// in one JSON document (provinces → wards), or NDJSON (one object per line; blank lines
// skipped; CRLF or LF).
//
// Records in a document. A file that is one JSON value (an array of objects, or one object) is
// first walked once to find its arrays of records: arrays (at most kMaxRecordLevels deep, at
// most kMaxRecordArrays of them) whose elements are mostly objects, each named by a path in
// which "[]" stands for every element of an array and "." for a field:
//   "[]"                          the elements of the top-level array;
//   "[].Wards[]"                  the elements of the "Wards" array of each of those;
//   "data[].level2s[].merges[]"   likewise under the top-level object's "data".
// The records read are the array the publisher named (`records`), or by default the deepest
// one that repeats (more records than arrays: several per parent; ties go to the one with
// more records); with none, the top-level object is the one record. The scalar fields of
// every enclosing element (a province, a district) are carried down as the first columns of
// each record's row, in first-seen order, named by their key, or, when that key is also a
// record's or another level's, "<level>_<key>": <level> is the stem of the element's
// "…_id"/"…_code" key ("level1" for "level1_id") or else "level<N>" (from 1 at the top).
// Nothing is dropped silently: left_out() lists, with counts, the other arrays of records,
// the nested values of enclosing elements and of the top level that are not carried, and
// the nested values in records longer than kMaxNestedCellBytes (a record's smaller nested
// values stay as compact JSON, as below). The document is never rebuilt as a tree; the walk
// and every read only skip or copy bytes, with the nesting bounded as below.
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
//   - a nested array or object as its compact JSON text ({"a":[1,2]}) when it takes at most
//     kMaxNestedCellBytes in the file; a longer one is left out (an empty cell) and counted
//     in left_out(), never kept as a giant cell.
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
#include <map>
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
  // kArray: the file is one JSON array whose elements are the records (or, for a table of
  //   arrays, the rows).
  // kDocument: the file is one JSON object; the records are found in it (see above).
  // kLines: the file is a sequence of JSON values, normally one per line (NDJSON).
  enum class Kind { kArray, kDocument, kLines };

  // Nested arrays of records deeper than this are not offered (nor read).
  static constexpr int kMaxRecordLevels = 8;
  // At most this many different arrays of records are told apart in one file.
  static constexpr size_t kMaxRecordArrays = 256;
  // A nested value of a record longer than this (in the file's bytes) is left out, not kept as
  // a cell.
  static constexpr int64_t kMaxNestedCellBytes = 4096;
  // left_out() names at most this many places (and counts the others in one more note).
  static constexpr size_t kMaxNotes = 200;

  // An array of records found in a document.
  struct RecordArray {
    std::string path;      // "data[].level2s[]"
    int levels = 0;        // the "[]" in the path
    int64_t arrays = 0;    // how many such arrays the document holds
    int64_t records = 0;   // their elements that are objects, over all of them
    int64_t elements = 0;  // all their elements
  };

  // Opens the file at `path` and makes the first pass. The kind comes from the first non-space
  // byte (after a UTF-8 byte-order mark): '{' is one document when nothing but spaces follows
  // the first value, else NDJSON; '[' is a JSON array when the next non-space byte opens a
  // record ('{' or '[') or closes it, else NDJSON of arrays (its first line the header).
  // `records` names the array of records to read (see above; "" chooses). NotFound when there
  // is no such file; InvalidArgument when it is empty, does not start like JSON records, or
  // `records` is malformed or names no array of records of the file (the message lists
  // those it has). Problems further in are reported by status() once Next() reaches them.
  static Result<std::unique_ptr<JsonRowsReader>> Open(const std::string& path,
                                                      ReadLimits limits = {},
                                                      const std::string& records = "");
  // The same over a stream the reader then owns. REQUIRES: `in` can seek back to its start.
  static Result<std::unique_ptr<JsonRowsReader>> FromStream(std::unique_ptr<std::istream> in,
                                                            ReadLimits limits = {},
                                                            const std::string& records = "");
  ~JsonRowsReader() override;
  JsonRowsReader(const JsonRowsReader&) = delete;
  JsonRowsReader& operator=(const JsonRowsReader&) = delete;

  Kind kind() const { return kind_; }
  // The header row: the enclosing elements' carried fields then the records' keys, in
  // first-seen order, or a table's first array (up to a problem that stopped the first pass).
  const std::vector<std::string>& columns() const { return header_; }
  // The path of the records read ("" for NDJSON, a table of arrays, or a document that is one
  // record), and every array of records the document holds, in the order they were met.
  const std::string& records_path() const { return records_path_; }
  const std::vector<RecordArray>& record_arrays() const { return record_arrays_; }
  // What the rows do not hold, one note per kind and place, with counts (see above); known
  // once Open() returned.
  std::vector<SourceNote> left_out() const;

  // RowSource. line() is the line where the record starts (for the header of objects, the line
  // of the first record).
  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  int64_t bytes_read() const override;
  int64_t bytes_total() const override { return bytes_total_; }
  Status status() const override { return status_; }
  Status Rewind() override;
  bool typed_numbers() const override { return true; }
  // "JSON array", "JSON: <records path>" or "NDJSON".
  std::string describe() const override;

 private:
  class Scanner;
  // What the records are, known from the first one.
  enum class Shape { kUnknown, kObjects, kArrays };
  enum class Step { kRecord, kEnd, kError };

  // One array on the way to the records: the fields to follow from the enclosing element (or
  // the top level) to reach it.
  struct PathLevel {
    std::vector<std::string> keys;
  };
  // An array being read: its level, and its elements so far.
  struct Frame {
    size_t level = 0;
    int64_t elements = 0;
  };
  // Something the rows leave out, counted; "{n}" in the messages stands for the count.
  struct LeftOut {
    int64_t count = 0;
    int64_t line = 0;  // the first
    std::string en, vi;
  };

  JsonRowsReader(std::unique_ptr<std::istream> in, ReadLimits limits);
  Status DetectKind();
  // The walk that finds the arrays of records (into record_arrays_) and the top-level fields;
  // then the choice of `records` (or the default), into levels_.
  Status FindRecords(const std::string& records);
  bool Walk(std::string& path, bool addressable, int depth, int levels);
  // Reading a document's records (kDocument, or kArray of objects).
  Step NextInDocument(std::vector<std::string>& cells, bool first_pass);
  // At an object (or, for the top level, any value) that holds the array of `level` through
  // its keys: consumes up to that array's '[' and opens its frame, or, when the value does
  // not hold it, consumes the value. False on a syntax error (status_ set).
  bool Descend(size_t level, bool first_pass);
  // After a value inside `n` nested objects: consumes the rest of each.
  bool CloseObjects(size_t n, size_t level, bool first_pass);
  // At the '{' of an element of `level` (an enclosing one): its scalar fields, then back.
  bool CarryFields(size_t level, bool first_pass);
  // A record's nested value: compact JSON when short, else left out (""), then noted.
  bool ReadNestedCell(const std::string& key, bool first_pass);
  void Note(const std::string& where, int64_t line, std::string en, std::string vi);
  std::string LevelPath(size_t level) const;  // the path of the array of `level`
  size_t CarriedWidth() const;
  // Notes key_, a field at `depth` (0 the outermost) of the objects on the way to `level`'s
  // array, as not in the rows.
  void NoteField(size_t level, size_t depth, int64_t line);  // the carried fields, over all levels
  void BuildHeader();
  // Reads the next record into `cells`. In the first pass (`first_pass`) new keys are added
  // to the columns; afterwards the columns are fixed. On kError, status_ says why.
  Step ReadRecord(std::vector<std::string>& cells, bool first_pass);
  Step ReadObject(std::vector<std::string>& cells, bool first_pass);
  Step ReadArray(std::vector<std::string>& cells, bool first_pass);
  Step FinishArray();
  // Sets status_ from the scanner's syntax error, or to a problem at its current position.
  Step SyntaxError();
  bool SyntaxFailed();  // SyntaxError(), as false
  Step Fail(int64_t line, int64_t column, const std::string& problem,
            const std::string& problem_vi);
  void Restart();

  std::unique_ptr<std::istream> in_;
  std::unique_ptr<Scanner> scanner_;
  ReadLimits limits_;
  Kind kind_ = Kind::kLines;
  Shape shape_ = Shape::kUnknown;
  int64_t bytes_total_ = 0;

  // The records' place in a document (kDocument, kArray of objects); empty levels_ in a
  // document: the top-level object is the one record.
  bool document_ = false;
  std::vector<PathLevel> levels_;
  std::string records_path_;
  std::vector<RecordArray> record_arrays_;
  std::unordered_map<std::string, size_t> record_array_index_;

  // Learnt in the first pass.
  std::vector<std::string> columns_;  // the records' keys
  // The carried fields of each enclosing level (all but the last), their keys and names.
  std::vector<std::vector<std::string>> carried_;
  std::vector<std::unordered_map<std::string, size_t>> carried_index_;
  std::vector<std::string> header_;
  std::map<std::string, LeftOut> left_out_;
  std::unordered_map<std::string, size_t> column_index_;
  int64_t first_record_line_ = 1;
  std::optional<Status> first_pass_error_;  // met after first_pass_error_record_ records
  int64_t first_pass_error_record_ = 0;

  // The current pass.
  std::vector<Frame> frames_;                     // the arrays open, outermost first
  std::vector<std::vector<std::string>> values_;  // the current carried values, per level
  std::vector<std::string> record_;               // scratch: a record's own cells
  bool doc_started_ = false;
  bool doc_finished_ = false;
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

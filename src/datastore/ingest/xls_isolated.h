// An .xls workbook read in another process.
//
// FreeXL is C code parsing an old binary format, and fuzzing (fuzz/xls_fuzz.cpp) found crafted
// files that make the Debian 12 build write outside a stack buffer inside freexl_open(). So the
// portal never parses an .xls in its own address space: a helper process (the `odp` binary
// itself, `odp __read-xls`, see SetXlsHelper) reads every sheet with formats::XlsReader under a CPU
// limit and writes the rows to a dump file, and XlsDump reads that file. A helper that crashes
// or is killed gives a clear error about the file; the server goes on. Without a helper set
// (unit tests, tools) the dump is written in this process.
//
// XlsDump offers what formats::XlsReader does (sheet names, SelectSheet, the same rows, line
// numbers, errors, each cell's font and each formula's error), with the whole workbook converted
// when it opens.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "formats/rows.h"

namespace odp::datastore::ingest {

// The command that converts a workbook: `argv_prefix` followed by IN OUT MAX_COLUMNS
// MAX_CELL_BYTES MAX_ROWS. Empty: convert in this process.
void SetXlsHelper(std::vector<std::string> argv_prefix);

// The helper's side: reads the workbook `in` and writes the dump to `out`; returns the exit
// status (0 when the dump was written, whether or not the workbook could be read).
int RunXlsHelper(const std::string& in, const std::string& out, const formats::ReadLimits& limits);

class XlsDump : public formats::RowSource {
 public:
  // Converts the workbook at `path` (in the helper when one is set) and opens its dump with the
  // first sheet selected. The errors of formats::XlsReader::Open(), and InvalidArgument when the
  // helper stopped abnormally (the file is damaged in a way that is not safe to read).
  static Result<std::unique_ptr<XlsDump>> Open(const std::string& path,
                                               formats::ReadLimits limits = {});
  ~XlsDump() override;
  XlsDump(const XlsDump&) = delete;
  XlsDump& operator=(const XlsDump&) = delete;

  const std::vector<std::string>& sheet_names() const { return names_; }
  Status SelectSheet(size_t index);
  size_t selected_sheet() const { return sheet_; }

  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  int64_t bytes_read() const override;
  int64_t bytes_total() const override { return file_size_; }
  Status status() const override { return status_; }
  Status Rewind() override;
  bool typed_numbers() const override { return true; }
  std::string describe() const override { return "XLS sheet '" + names_[sheet_] + "'"; }

  // As formats::XlsReader gives them for the row last returned by Next().
  const std::vector<std::string>& fonts() const { return fonts_; }
  const std::string& default_font() const { return default_font_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  XlsDump() = default;

  std::string path_;  // the dump, removed with this object
  std::FILE* file_ = nullptr;
  std::vector<std::string> names_;
  std::string default_font_;
  std::vector<std::string> fonts_, errors_;  // of the row last returned
  std::vector<uint64_t> offsets_;  // where each sheet's part starts; then where the index starts
  int64_t file_size_ = 0;          // of the workbook
  size_t sheet_ = 0;
  uint64_t rows_start_ = 0;  // of the selected sheet's rows
  int64_t line_ = 0;
  bool done_ = false;
  Status status_;
};

}  // namespace odp::datastore::ingest

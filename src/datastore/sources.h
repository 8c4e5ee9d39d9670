// Opening an upload as rows: the format and text encoding detected (or as the publisher said),
// legacy encodings converted to UTF-8, spreadsheets' legacy-font text repaired.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "datastore/datastore.h"
#include "formats/rows.h"

namespace odp::datastore {

struct Source {
  std::unique_ptr<formats::RowSource> rows;
  std::string format;    // "csv", "xlsx", "xls", "json", "ndjson"
  std::string encoding;  // delimited text: the encoding found
  char delimiter = 0;    // delimited text
  std::string temp_file;  // a converted copy, removed with the Source
  Source() = default;
  Source(Source&&) = default;
  Source& operator=(Source&&) = default;
  ~Source();
};

// "csv", "xlsx", "xls", "json", "ndjson" from the first bytes of the file (zip → xlsx, OLE2 →
// xls, '[' or '{' → JSON), else delimited text.
std::string SniffFormat(const std::string& path);

// Finding the header in the first rows of a table (up to 50), shared by the loader and the
// reader that stacks a workbook's sheets.
size_t NonEmpty(const std::vector<std::string>& row);  // cells with more than spaces
// The header row: the first with at least 60% as many cells filled as the widest row (title
// rows above it have one or two).
size_t HeaderIndex(const std::vector<std::vector<std::string>>& head);
// Column labels from header row `h` and, when the header spans two rows (a group label over
// sub-labels: "Dân số" over "Nam" and "Nữ"), from both: "Dân số - Nam". Labels are trimmed,
// in NFC, empty ones named "Cột N", trailing empty columns dropped (none left: no header).
// Returns how many rows the header takes.
int HeaderLabels(const std::vector<std::vector<std::string>>& head, size_t h, std::vector<std::string>& labels);

Result<Source> OpenSource(const std::string& path, const LoadOptions& options, const formats::ReadLimits& limits);

}  // namespace odp::datastore

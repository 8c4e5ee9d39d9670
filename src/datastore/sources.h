// Opening an upload as rows: the format and text encoding detected (or as the publisher said),
// legacy encodings converted to UTF-8, spreadsheets' legacy-font text repaired.
#pragma once

#include <memory>
#include <string>

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

Result<Source> OpenSource(const std::string& path, const LoadOptions& options, const formats::ReadLimits& limits);

}  // namespace odp::datastore

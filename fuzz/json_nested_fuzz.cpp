// Nested JSON documents: finding the arrays of records, a publisher's records path (the
// input's first line, when it has one), carrying the enclosing fields down, the notes on what
// is left out. Rows read by a path are exactly as wide as the header.
#include <cstdlib>
#include <string>

#include "formats/json_rows.h"
#include "fuzz_file.h"

namespace {

void ReadChecked(odp::formats::JsonRowsReader& rows, const odp::formats::ReadLimits& limits) {
  std::vector<std::string> cells;
  // Records read by a path: every row is exactly as wide as the header.
  const bool by_path = !rows.records_path().empty();
  const size_t width = rows.columns().size();
  while (rows.Next(cells)) {
    if (by_path && cells.size() != width) std::abort();
  }
  (void)rows.left_out();
  odp::fuzz::ReadAll(rows, limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto limits = odp::fuzz::SmallLimits();
  // "path\n{...}": the path is asked for; the document follows.
  const size_t newline = input.find('\n');
  std::string records;
  std::string document = input;
  if (newline != std::string::npos && newline < 128 && !input.empty() && input[0] != '{' &&
      input[0] != '[') {
    records = input.substr(0, newline);
    document = input.substr(newline + 1);
  }
  const auto& path =
      odp::fuzz::WriteInput(reinterpret_cast<const uint8_t*>(document.data()), document.size());
  auto rows = odp::formats::JsonRowsReader::Open(path, limits, records);
  if (!rows.ok()) return 0;
  ReadChecked(**rows, limits);
  // Each array the document offers reads as well (the first few).
  const auto arrays = (*rows)->record_arrays();
  for (size_t i = 0; i < arrays.size() && i < 3; ++i) {
    auto other = odp::formats::JsonRowsReader::Open(path, limits, arrays[i].path);
    if (!other.ok()) std::abort();  // offered, so it must open
    ReadChecked(**other, limits);
  }
  return 0;
}

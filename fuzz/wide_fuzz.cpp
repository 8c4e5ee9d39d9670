// Wide statistics tables turned long (datastore/ingest/wide_to_long.h) over CSV. The first three
// bytes name the header, first and last data rows (0: found from the file); the rest is the CSV
// file. Promises checked: the long header is the key labels, then Năm, Chỉ tiêu, (Đơn vị,) Giá
// trị; every long row has its width, a year from 1900 to 2100 that a year column's label holds,
// and the line of a wide row at or after the header's; a second pass after Rewind gives the same
// rows; every label the header calls a year column parses as one.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "datastore/ingest/wide_to_long.h"
#include "datastore/sources.h"
#include "fuzz_file.h"

namespace {

using odp::datastore::ingest::ParseWideLabel;
using odp::datastore::ingest::WideToLongRows;

// A broken promise names itself on stderr, then aborts (libFuzzer keeps the input).
#define CHECK(promise)                                                                        \
  do {                                                                                        \
    if (!(promise)) {                                                                         \
      std::fprintf(stderr, "fuzz_wide: broken promise at line %d: %s\n", __LINE__, #promise); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

// Reads every row; false when the source stopped with an error (a bounded read: not a promise).
bool ReadAll(odp::formats::RowSource& rows, std::vector<std::vector<std::string>>& out,
             std::vector<int64_t>& lines) {
  std::vector<std::string> cells;
  while (rows.Next(cells)) {
    out.push_back(cells);
    lines.push_back(rows.line());
    if (out.size() > 100000) break;
  }
  return rows.status().ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  odp::datastore::LoadOptions options;
  options.format = "csv";
  options.header_row = data[0] % 16;
  options.first_row = data[1] % 32;
  options.last_row = data[2] % 64;
  options.wide_to_long = 1;
  const auto& path = odp::fuzz::WriteInput(data + 3, size - 3);
  auto limits = odp::fuzz::SmallLimits();
  auto src = odp::datastore::OpenSource(path, options, limits);
  if (!src.ok()) return 0;
  // The loader's own path: the source reads the wide table long (through its read-ahead).
  if (!src->pivot || src->pivot->rows == nullptr) return 0;
  const WideToLongRows& wide = *src->pivot->rows;
  odp::formats::RowSource& rows = *src->rows;

  const std::vector<std::string> years = wide.year_labels();
  CHECK(years.size() >= 2 && !wide.key_labels().empty());
  int min_year = 2101, max_year = 1899;
  for (const auto& label : years) {
    auto c = ParseWideLabel(label);
    CHECK(c.has_value() && c->year >= 1900 && c->year <= 2100);
    min_year = std::min(min_year, c->year);
    max_year = std::max(max_year, c->year);
  }
  for (const auto& label : wide.key_labels()) CHECK(!ParseWideLabel(label).has_value());

  std::vector<std::vector<std::string>> first, second;
  std::vector<int64_t> first_lines, second_lines;
  if (!ReadAll(rows, first, first_lines)) return 0;
  CHECK(!first.empty());
  const std::vector<std::string>& header = first[0];
  const size_t keys = wide.key_labels().size();
  CHECK(header.size() == keys + 3 || header.size() == keys + 4);
  CHECK(header[keys] == "Năm" && header[keys + 1] == "Chỉ tiêu" && header.back() == "Giá trị");
  if (header.size() == keys + 4) CHECK(header[keys + 2] == "Đơn vị");
  CHECK(first_lines[0] == wide.header_line() && wide.header_line() == src->pivot->header_line);
  for (size_t i = 1; i < first.size(); ++i) {
    CHECK(first[i].size() == header.size());
    CHECK(first_lines[i] > wide.header_line() && first_lines[i] >= first_lines[i - 1]);
    const std::string& year = first[i][keys];
    CHECK(!year.empty() && year.size() == 4);
    const int y = std::atoi(year.c_str());
    CHECK(y >= min_year && y <= max_year);
  }
  if (!rows.Rewind().ok()) return 0;
  if (!ReadAll(rows, second, second_lines)) return 0;
  CHECK(first == second && first_lines == second_lines);
  return 0;
}

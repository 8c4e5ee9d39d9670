// Header choice: finding the header (past titles, notes, merged cells; two rows) or taking the
// rows the publisher named, then profiling the rows and deciding the fields, as a load does.
// The first three bytes name the header, first and last data rows (0: found from the file);
// the rest is the CSV file. Promises checked: the header has at least one label, each non-empty
// UTF-8 text; the data starts after the header and at the named first row; no row read is past
// the named last row; one field per label, with unique ids.
#include <cstdlib>
#include <set>

#include "datastore/ingest/steps.h"
#include "datastore/sources.h"
#include "fuzz_file.h"
#include "text/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  odp::datastore::LoadOptions options;
  options.format = "csv";
  options.header_row = data[0] % 16;
  options.first_row = data[1] % 32;
  options.last_row = data[2] % 64;
  const auto& path = odp::fuzz::WriteInput(data + 3, size - 3);
  auto limits = odp::fuzz::SmallLimits();
  auto src = odp::datastore::OpenSource(path, options, limits);
  if (!src.ok()) return 0;
  auto header = odp::datastore::ingest::FindHeader(*src->rows, options);
  if (!header.ok()) return 0;
  const auto& h = *header;
  if (h.labels.empty() || h.skip > h.head.size() || h.skip == 0) std::abort();
  for (const auto& label : h.labels) {
    if (label.empty() || !odp::text::IsValidUtf8(label)) std::abort();
  }
  if (options.header_row > 0 && h.line < options.header_row) std::abort();
  if (options.first_row > 0 && h.skip < h.head.size() && h.head_lines[h.skip] < options.first_row) std::abort();
  odp::datastore::ingest::ColumnProfiler profiler(h.labels.size(), src->rows->typed_numbers());
  for (size_t i = h.skip; i < h.head.size(); ++i) {
    if (!profiler.Add(h.head[i], h.head_lines[i]).ok()) return 0;
  }
  std::vector<std::string> row;
  while (src->rows->Next(row)) {
    if (options.last_row > 0 && src->rows->line() > options.last_row) std::abort();
    if (!profiler.Add(row, src->rows->line()).ok()) return 0;
  }
  odp::datastore::TableInfo t;
  odp::datastore::ingest::DecideFields(h.labels, profiler.profiles(), options, t);
  if (t.fields.size() != h.labels.size()) std::abort();
  std::set<std::string> ids;
  for (const auto& f : t.fields) {
    if (!ids.insert(f.id).second) std::abort();
  }
  return 0;
}

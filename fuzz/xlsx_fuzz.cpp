// XLSX: the zip, content types, workbook and relationships, shared strings, styles, every
// sheet's cells and merged ranges, under the expansion limits.
#include "formats/xlsx.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = odp::fuzz::WriteInput(data, size);
  auto limits = odp::fuzz::SmallLimits();
  auto book = odp::formats::XlsxReader::Open(path, limits);
  if (!book.ok()) return 0;
  for (size_t i = 0; i < (*book)->sheet_names().size() && i < 8; ++i) {
    if (!(*book)->SelectSheet(i).ok()) continue;
    odp::fuzz::ReadAll(**book, limits);
    (void)(*book)->fonts();
  }
  return 0;
}

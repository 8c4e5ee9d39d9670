// JSON arrays of objects or lists, and NDJSON: the tokenizer, nesting, escapes, numbers.
#include "formats/json_rows.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = odp::fuzz::WriteInput(data, size);
  auto limits = odp::fuzz::SmallLimits();
  auto rows = odp::formats::JsonRowsReader::Open(path, limits);
  if (rows.ok()) odp::fuzz::ReadAll(**rows, limits);
  return 0;
}

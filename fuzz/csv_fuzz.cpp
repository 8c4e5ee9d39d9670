// CSV/TSV: delimiter detection, quoting, line ends, limits.
#include "formats/csv.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = odp::fuzz::WriteInput(data, size);
  auto limits = odp::fuzz::SmallLimits();
  for (char delim : {'\0', '\t'}) {
    auto src = odp::formats::CsvFileSource::Open(path, delim, limits);
    if (src.ok()) odp::fuzz::ReadAll(**src, limits);
  }
  return 0;
}

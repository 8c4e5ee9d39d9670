// XLS as the portal reads it: FreeXL parses the workbook in a helper process (xls_helper, built
// with AddressSanitizer), which writes the rows to a dump that XlsDump reads here. FreeXL's own
// memory errors end the helper (ASan aborts it) and must come back as a clean error; the dump
// reader, sheet selection and row decoding run in this process under the fuzzer.
#include <filesystem>
#include <string>

#include "datastore/ingest/xls_isolated.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  std::string self = (*argv)[0];
  auto helper = std::filesystem::path(self).parent_path() / "xls_helper";
  if (!std::filesystem::exists(helper)) helper = std::filesystem::absolute("xls_helper");
  odp::datastore::ingest::SetXlsHelper({std::filesystem::absolute(helper).string()});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& path = odp::fuzz::WriteInput(data, size);
  auto limits = odp::fuzz::SmallLimits();
  auto book = odp::datastore::ingest::XlsDump::Open(path, limits);
  if (!book.ok()) return 0;
  for (size_t i = 0; i < (*book)->sheet_names().size() && i < 8; ++i) {
    if (!(*book)->SelectSheet(i).ok()) continue;
    odp::fuzz::ReadAll(**book, limits);
  }
  return 0;
}

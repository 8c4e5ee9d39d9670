// The BIFF8 record scanner of the XLS reader (formats/internal/biff.h): the OLE2 container's
// sector chains, the workbook globals, each sheet's FORMULA, STRING and text cell records. It
// runs in the XLS helper process, whose sanitizer reports are discarded (FreeXL's are expected),
// so it is fuzzed here, in this process, on its own.
#include <string_view>

#include "formats/internal/biff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto book =
      odp::formats::internal::ScanBiff(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!book.ok()) return 0;
  for (uint16_t xf = 0; xf < 64; ++xf) (void)book->FontOfXf(xf);
  for (const auto& sheet : book->sheets) {
    for (const auto& [key, result] : sheet.formulas)
      (void)odp::formats::internal::ErrorText(result.error);
  }
  return 0;
}

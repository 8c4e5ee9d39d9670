// XLS as the portal reads it: FreeXL parses the workbook in a helper process (xls_helper, built
// with AddressSanitizer), which writes the rows to a dump that XlsDump reads here. FreeXL's own
// memory errors end the helper (ASan aborts it) and must come back as a clean error; the dump
// reader, sheet selection and row decoding run in this process under the fuzzer, and then the
// decoding of legacy Vietnamese text by font and content (datastore/ingest/workbook_text.h), in
// the mode the input's last byte picks, with its report. (The BIFF record scanner that runs in
// the helper has a target of its own, biff_fuzz.cpp.)
#include <filesystem>
#include <string>

#include "datastore/ingest/workbook_text.h"
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
  odp::datastore::ingest::XlsDump* raw = book->get();
  if (!raw->SelectSheet(0).ok()) return 0;
  namespace ingest = odp::datastore::ingest;
  ingest::WorkbookTextMode mode;
  mode.kind = static_cast<ingest::WorkbookTextMode::Kind>(size ? data[size - 1] % 3 : 0);
  ingest::WorkbookText::Cells cells;
  cells.fonts = [raw]() -> const std::vector<std::string>& { return raw->fonts(); };
  cells.default_font = [raw]() -> const std::string& { return raw->default_font(); };
  cells.errors = [raw]() -> const std::vector<std::string>* { return &raw->errors(); };
  cells.sheet = [raw]() { return raw->sheet_names()[raw->selected_sheet()]; };
  auto notes = std::make_shared<ingest::WorkbookNotes>();
  ingest::WorkbookText text(std::move(*book), std::move(cells), mode, notes);
  odp::fuzz::ReadAll(text, limits);
  odp::datastore::TableInfo report;
  notes->AddTo(report);
  return 0;
}

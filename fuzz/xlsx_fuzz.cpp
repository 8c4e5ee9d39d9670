// XLSX: the zip, content types, workbook and relationships, shared strings, styles, every
// sheet's cells and merged ranges, under the expansion limits; then the same sheets through
// the decoding of legacy Vietnamese text by font and content (datastore/ingest/workbook_text.h),
// in the mode the input's last byte picks (auto, forced TCVN3, off), and its report.
#include "datastore/ingest/workbook_text.h"
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
  odp::formats::XlsxReader* raw = book->get();
  if (raw->sheet_names().empty() || !raw->SelectSheet(0).ok()) return 0;
  namespace ingest = odp::datastore::ingest;
  ingest::WorkbookTextMode mode;
  mode.kind = static_cast<ingest::WorkbookTextMode::Kind>(size ? data[size - 1] % 3 : 0);
  ingest::WorkbookText::Cells cells;
  cells.fonts = [raw]() -> const std::vector<std::string>& { return raw->fonts(); };
  cells.default_font = [raw]() -> const std::string& { return raw->default_font(); };
  cells.sheet = [raw]() { return raw->sheet_names()[raw->selected_sheet()]; };
  auto notes = std::make_shared<ingest::WorkbookNotes>();
  ingest::WorkbookText text(std::move(*book), std::move(cells), mode, notes);
  odp::fuzz::ReadAll(text, limits);
  odp::datastore::TableInfo report;
  notes->AddTo(report);
  return 0;
}

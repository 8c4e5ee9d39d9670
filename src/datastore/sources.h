// Opening an upload as rows: the format and text encoding detected (or as the publisher said),
// legacy encodings converted to UTF-8, spreadsheets' legacy-font text repaired.
//
// Opening a file (`OpenSource` in `sources.cpp`). `LoadOptions` may name the format, the
// encoding and the sheet; what it leaves empty is detected:
//
// - The format comes from the file's first bytes (`SniffFormat`): a zip (`PK\3\4`) is XLSX,
//   an OLE2 header (`D0 CF 11 E0`) XLS, a first non-blank byte `[` or `{` JSON (the reader then
//   tells one document from NDJSON, and `Source::format` says which), anything else delimited
//   text. The resource's `format` only decides *whether* a file is loaded
//   (see the wiring below).
// - Delimited text: the encoding is the one named, or `text::DetectEncoding` of the first 64
//   KiB. A sample that is not valid UTF-8 but holds more well-formed UTF-8 sequences than broken
//   ones (`MostlyUtf8`) is taken for UTF-8 with a few bad bytes, not for a legacy encoding, so
//   that the load fails pointing at the bad cell instead of turning the whole file into nonsense.
//   A file in any other encoding is converted by a `text::Transcoder` into a UTF-8 copy in the
//   system's temporary directory (`odp-utf8-<uuid>.csv`, removed with the `Source` when the load
//   ends), which `CsvFileSource` then reads. `TableInfo::encoding` records what was found.
// - XLSX: `XlsxReader`; XLS: `ingest::XlsDump` (FreeXL in a helper process, formula results
//   and fonts from the BIFF records). Either with the chosen sheet, wrapped in
//   `ingest::WorkbookText` (datastore/ingest/workbook_text.h), which decodes TCVN3 and VNI text
//   by each cell's font (`.VnTime`, `VNI-Times`), by its content otherwise
//   (`text::LooksLikeLegacyText`), and reports what it decoded or left alone in
//   `Source::workbook_notes`. The `encoding` option of a workbook forces that decoding (TCVN3,
//   VNI, …) or turns it off (UTF-8); `TableInfo::encoding` then records it.
// - JSON, NDJSON: `JsonRowsReader`, with the records path of `LoadOptions::records`; what it
//   leaves out becomes `Source::notes`.
// - One sheet of a workbook: each other sheet is a note ("Trang tính 2 "…" không được nạp").
// - A sheet past the last one is "Tệp không có trang tính số 5 (chỉ có 2)", an unknown encoding
//   name "Bảng mã không được hỗ trợ: …".
//
// All sheets (`AllSheets` in `sources.cpp`): a `RowSource` over a workbook reader that, in
// `Prepare()`, selects each sheet, reads its first 50 rows and finds its header with the same
// `HeaderIndex`/`HeaderLabels` the loader uses (now in `sources.cpp`); the table's columns are the
// union of the labels in first-seen order, after a first column `Trang tính`. `Next()` emits that
// header once, then each sheet's data rows mapped onto it, with the sheet's name in front. The
// loader sees an ordinary source, so inference, issues and both passes work unchanged. A sheet
// without a header row is left out, and a note says so.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "datastore/datastore.h"
#include "formats/rows.h"

namespace odp::datastore {

namespace ingest {
class WorkbookNotes;   // datastore/ingest/workbook_text.h
class WideToLongRows;  // datastore/ingest/wide_to_long.h
}  // namespace ingest

struct Source {
  std::unique_ptr<formats::RowSource> rows;
  std::string format;     // "csv", "xlsx", "xls", "json", "ndjson"
  std::string encoding;   // delimited text: the encoding found
  char delimiter = 0;     // delimited text
  std::string temp_file;  // a converted copy, removed with the Source
  // What the rows leave out (JSON: other arrays, nested values; workbooks: the sheets not
  // read), for the load's report.
  std::vector<formats::SourceNote> notes;
  // Workbooks: legacy text decoded or left alone, formula errors; the loader adds them to the
  // table's issues after its first pass. Null for other formats.
  std::shared_ptr<ingest::WorkbookNotes> workbook_notes;
  // A wide table read long (LoadOptions::wide_to_long): where its long header is, the title rows
  // above the wide header, the wide headers it was turned from, and the reader (owned by `rows`,
  // possibly through wrappers that read ahead) whose notes list the rows that gave no long row.
  struct Pivot {
    int64_t header_line = 0;
    std::vector<std::string> caption, keys, columns;
    const ingest::WideToLongRows* rows = nullptr;
  };
  std::optional<Pivot> pivot;
  Source() = default;
  Source(Source&&) = default;
  Source& operator=(Source&&) = default;
  ~Source();
};

// "csv", "xlsx", "xls", "json", "ndjson" from the first bytes of the file (zip → xlsx, OLE2 →
// xls, '[' or '{' → JSON), else delimited text.
std::string SniffFormat(const std::string& path);

// Finding the header in the first rows of a table (up to 50), shared by the loader and the
// reader that stacks a workbook's sheets.
size_t NonEmpty(const std::vector<std::string>& row);  // cells with more than spaces
// Filled cells, a run of equal neighbours counted once: a workbook reads every cell of a merged
// range as its top-left one, so a title merged across the table ("Merge & Center") is one run.
size_t DistinctRuns(const std::vector<std::string>& row);
// The header row: the first with at least 60% as many distinct runs as the widest row has
// filled cells (title and notes rows above it have one or two, however far they are merged);
// or the row above it when that one is a group row over it (a header of two rows, see
// HeaderLabels).
size_t HeaderIndex(const std::vector<std::vector<std::string>>& head);
// Column labels from header row `h` and, when the header spans two rows (a group label over
// sub-labels: "Dân số" over "Nam" and "Nữ", or "2011" merged over "Diện tích (km²)" and "Dân
// số"), from both: "Dân số / Nam", "2011 / Diện tích (km²)". The group label is carried right
// over the empty (or, merged, repeated) cells after it. Labels are trimmed,
// in NFC, empty ones named "Cột N", trailing empty columns dropped (none left: no header).
// Returns how many rows the header takes.
int HeaderLabels(const std::vector<std::vector<std::string>>& head, size_t h,
                 std::vector<std::string>& labels);

// The names of a workbook's sheets, in order (XLSX, XLS); empty for other files.
Result<std::vector<std::string>> SheetNames(const std::string& path,
                                            const formats::ReadLimits& limits);

Result<Source> OpenSource(const std::string& path, const LoadOptions& options,
                          const formats::ReadLimits& limits);

}  // namespace odp::datastore

// The text of a workbook's cells as a reader should see it: legacy Vietnamese encodings decoded,
// and everything done or left undone reported.
//
// Spreadsheets keep text as Unicode, but files typed before Unicode hold TCVN3 (ABC) or VNI
// bytes shown through a legacy font: the cell says "N¨m" in ".VnTime" and means "Năm". A
// WorkbookText wraps a sheet reader (XLSX or XLS, both give each cell's font) and, for every
// cell with a character outside ASCII:
//   - auto mode (no encoding set): a cell in a TCVN3 font (".VnTime", ".VnArialH", …) or a VNI
//     font ("VNI-Times", …) is decoded with that encoding, unless it holds letters no legacy
//     font can show (ư, ạ, …: the text was already converted, only the font was kept); a cell
//     in another font is decoded when its text reads as Vietnamese only after decoding
//     (text::LooksLikeLegacyText);
//   - forced mode (the table's encoding set to TCVN3, VNI, …): every such cell is decoded with
//     it, except cells with letters no legacy font can show (they are Unicode already);
//   - off mode (the encoding set to UTF-8 or UTF-16): nothing is decoded, and every cell that
//     the auto mode would have decoded is reported as left alone.
// Decoded cells and cells left alone are reported per sheet and column as one range each
// (first and last row, how many cells, one example), and a formula whose cached result is an
// error (XLS: "#DIV/0!") as one issue per cell, in a WorkbookNotes shared with the loader.
// Rows read again (the loader's second pass, a sheet selected again) are not reported twice.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "datastore/table.h"
#include "formats/rows.h"
#include "text/legacy.h"

namespace odp::datastore::ingest {

struct WorkbookTextMode {
  enum class Kind { kAuto, kForce, kOff };
  Kind kind = Kind::kAuto;
  text::Encoding forced = text::Encoding::kTcvn3;  // kForce
};

// The mode a table's `encoding` option asks for: "" auto, "utf-8"/"utf-16" off, a legacy
// encoding forced. InvalidArgument (English and Vietnamese) for an unknown name.
Result<WorkbookTextMode> WorkbookTextModeFor(const std::string& encoding);

// What WorkbookText did, for the table's validation report. Safe to use from one thread at a
// time (the prefetching reader writes it during the load, the loader reads it after pass 1).
class WorkbookNotes {
 public:
  enum class Reason { kFont, kContent, kForced };
  void Decoded(const std::string& sheet, int64_t line, int column, text::Encoding enc,
               Reason reason, const std::string& font, const std::string& before,
               const std::string& after);
  void Kept(const std::string& sheet, int64_t line, int column, text::Encoding enc, Reason reason,
            const std::string& font, const std::string& before, const std::string& after);
  void FormulaError(const std::string& sheet, int64_t line, int column, const std::string& error);
  // Adds the issues to `t` (legacy_text_decoded, legacy_text_kept, formula_error), counted.
  void AddTo(TableInfo& t) const;

 private:
  struct Range {
    int64_t first = 0, last = 0, cells = 0;
    std::string font, before, after;
  };
  // (decoded?, sheet, column, encoding, reason)
  using Key = std::tuple<bool, std::string, int, int, int>;
  void Note(bool decoded, const std::string& sheet, int64_t line, int column, text::Encoding enc,
            Reason reason, const std::string& font, const std::string& before,
            const std::string& after);
  std::map<Key, Range> ranges_;
  std::vector<IngestIssue> errors_;  // the first kMaxIssues
  int64_t more_errors_ = 0;
};

class WorkbookText : public formats::RowSource {
 public:
  // What the wrapped reader says of the row it returned last (XlsxReader, ingest::XlsDump).
  struct Cells {
    std::function<const std::vector<std::string>&()> fonts;  // per cell, "" for the default font
    std::function<const std::string&()> default_font;
    std::function<const std::vector<std::string>*()> errors;  // per cell; null when not known
    std::function<std::string()> sheet;                       // the selected sheet's name
  };
  WorkbookText(std::unique_ptr<formats::RowSource> in, Cells cells, WorkbookTextMode mode,
               std::shared_ptr<WorkbookNotes> notes);

  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return in_->line(); }
  int64_t bytes_read() const override { return in_->bytes_read(); }
  int64_t bytes_total() const override { return in_->bytes_total(); }
  Status status() const override { return in_->status(); }
  Status Rewind() override { return in_->Rewind(); }
  bool typed_numbers() const override { return in_->typed_numbers(); }
  std::string describe() const override { return in_->describe(); }

 private:
  // text::LooksLikeLegacyText, remembered for the cells' recent values: a column of a few
  // values ("có", "không") repeated over many rows is examined once per value.
  std::optional<text::Encoding> LooksLegacy(const std::string& cell);
  static constexpr size_t kLooksLegacyCacheSize = 4096;

  std::unique_ptr<formats::RowSource> in_;
  Cells cells_;
  std::unordered_map<std::string, std::optional<text::Encoding>> looks_legacy_;
  WorkbookTextMode mode_;
  std::shared_ptr<WorkbookNotes> notes_;
  std::map<std::string, int64_t> reported_up_to_;  // per sheet: the last line reported
};

}  // namespace odp::datastore::ingest

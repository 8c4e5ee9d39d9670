#include "datastore/ingest/workbook_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "formats/excel.h"
#include "text/utf8.h"

namespace odp::datastore::ingest {
namespace {

// CP1252's characters above U+00FF: what legacy-font text shows besides Latin-1.
bool IsCp1252Extra(char32_t c) {
  static constexpr char32_t kExtras[] = {0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017D, 0x017E,
                                         0x0192, 0x02C6, 0x02DC, 0x2013, 0x2014, 0x2018, 0x2019,
                                         0x201A, 0x201C, 0x201D, 0x201E, 0x2020, 0x2021, 0x2022,
                                         0x2026, 0x2030, 0x2039, 0x203A, 0x20AC, 0x2122};
  return std::find(std::begin(kExtras), std::end(kExtras), c) != std::end(kExtras);
}

// What the characters of a cell say about legacy text, in one pass over it.
enum class Letters {
  kAscii,    // nothing to decode
  kLegacy,   // Latin-1 and CP1252 characters only: what legacy-font text looks like
  kUnicode,  // a character no legacy font's text has (ư, ạ, đ…), or not UTF-8: Unicode already
};

Letters Classify(std::string_view s) {
  Letters found = Letters::kAscii;
  for (size_t i = 0; i < s.size();) {
    // ASCII eight bytes at a time: most cells (numbers, dates, codes) are ASCII throughout.
    while (s.size() - i >= 8) {
      uint64_t w = 0;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    char32_t c = 0;
    size_t n = 0;
    if ((b & 0xE0) == 0xC0) {
      c = b & 0x1F;
      n = 1;
    } else if ((b & 0xF0) == 0xE0) {
      c = b & 0x0F;
      n = 2;
    } else if ((b & 0xF8) == 0xF0) {
      c = b & 0x07;
      n = 3;
    } else {
      return Letters::kUnicode;
    }
    if (i + n >= s.size()) return Letters::kUnicode;
    for (size_t k = 1; k <= n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (c > 0xFF && !IsCp1252Extra(c)) return Letters::kUnicode;
    found = Letters::kLegacy;
    i += n + 1;
  }
  return found;
}

// As the loader adds issues (datastore/internal.h AddIssue): all counted, the first kMaxIssues
// kept. Here so that this file needs nothing of the loader (the fuzz targets build it alone).
void Add(TableInfo& t, IngestIssue issue) {
  ++t.issue_counts[issue.kind];
  if (t.issues.size() < kMaxIssues) t.issues.push_back(std::move(issue));
}

std::string Example(const std::string& s) { return text::TruncateUtf8(s, 60); }

const char* ReasonVi(WorkbookNotes::Reason r) {
  switch (r) {
    case WorkbookNotes::Reason::kFont: return "theo phông chữ";
    case WorkbookNotes::Reason::kContent: return "nhận ra theo nội dung";
    case WorkbookNotes::Reason::kForced: return "theo bảng mã đã chọn cho bảng";
  }
  return "";
}
const char* ReasonEn(WorkbookNotes::Reason r) {
  switch (r) {
    case WorkbookNotes::Reason::kFont: return "by the font";
    case WorkbookNotes::Reason::kContent: return "recognised by the text";
    case WorkbookNotes::Reason::kForced: return "as the table's encoding says";
  }
  return "";
}

}  // namespace

Result<WorkbookTextMode> WorkbookTextModeFor(const std::string& encoding) {
  WorkbookTextMode mode;
  if (encoding.empty() || encoding == "auto") return mode;
  auto named = text::ParseEncodingName(encoding);
  if (!named) {
    return Status::InvalidArgument("unknown encoding: " + encoding,
                                   "Bảng mã không được hỗ trợ: " + encoding +
                                       " (UTF-8, UTF-16, Windows-1258, TCVN3, VNI, VISCII)");
  }
  if (*named == text::Encoding::kUtf8 || *named == text::Encoding::kUtf16Le ||
      *named == text::Encoding::kUtf16Be) {
    mode.kind = WorkbookTextMode::Kind::kOff;
  } else {
    mode.kind = WorkbookTextMode::Kind::kForce;
    mode.forced = *named;
  }
  return mode;
}

void WorkbookNotes::Decoded(const std::string& sheet, int64_t line, int column, text::Encoding enc,
                            Reason reason, const std::string& font, const std::string& before,
                            const std::string& after) {
  Note(true, sheet, line, column, enc, reason, font, before, after);
}

void WorkbookNotes::Kept(const std::string& sheet, int64_t line, int column, text::Encoding enc,
                         Reason reason, const std::string& font, const std::string& before,
                         const std::string& after) {
  Note(false, sheet, line, column, enc, reason, font, before, after);
}

void WorkbookNotes::Note(bool decoded, const std::string& sheet, int64_t line, int column,
                         text::Encoding enc, Reason reason, const std::string& font,
                         const std::string& before, const std::string& after) {
  Range& r = ranges_[Key{decoded, sheet, column, static_cast<int>(enc), static_cast<int>(reason)}];
  if (r.cells == 0) {
    r.first = line;
    r.font = font;
    r.before = Example(before);
    r.after = Example(after);
  }
  r.last = std::max(r.last, line);
  ++r.cells;
}

void WorkbookNotes::FormulaError(const std::string& sheet, int64_t line, int column,
                                 const std::string& error) {
  if (errors_.size() >= kMaxIssues) {
    ++more_errors_;
    return;
  }
  const std::string cell = formats::CellName(column - 1, line);  // 0-based column
  errors_.push_back({IssueKind::kFormulaError, line, column,
                     "Trang tính '" + sheet + "', ô " + cell + ": công thức cho kết quả lỗi " +
                         error +
                         " trong tệp, ô được để trống. Sửa công thức (hoặc dữ liệu nó dùng) trong "
                         "tệp rồi tải lên lại.",
                     "Sheet '" + sheet + "', cell " + cell +
                         ": the formula's result in the file is the error " + error +
                         "; the cell is left empty. Correct the formula (or the data it uses) in "
                         "the file and upload it again."});
}

void WorkbookNotes::AddTo(TableInfo& t) const {
  for (const auto& [key, r] : ranges_) {
    const auto& [decoded, sheet, column, enc_value, reason_value] = key;
    const auto enc = static_cast<text::Encoding>(enc_value);
    const auto reason = static_cast<Reason>(reason_value);
    const std::string name = text::EncodingName(enc);
    const std::string letters = formats::ColumnLetters(column - 1);  // 0-based column
    const std::string rows = r.first == r.last
                                 ? std::to_string(r.first)
                                 : std::to_string(r.first) + "–" + std::to_string(r.last);
    const std::string count = std::to_string(r.cells);
    const std::string font_vi = r.font.empty() ? "" : ", phông " + r.font;
    const std::string font_en = r.font.empty() ? "" : ", font " + r.font;
    const std::string where_vi =
        "Trang tính '" + sheet + "', cột " + letters + ", dòng " + rows + ": ";
    const std::string where_en =
        "Sheet '" + sheet + "', column " + letters + ", rows " + rows + ": ";
    IngestIssue issue;
    issue.line = r.first;
    issue.column = column;
    if (decoded) {
      issue.kind = IssueKind::kLegacyTextDecoded;
      issue.message_vi =
          where_vi + count + " ô chữ mã " + name + " (" + ReasonVi(reason) + font_vi +
          ") đã được chuyển sang Unicode, ví dụ \"" + r.before + "\" → \"" + r.after +
          "\". Nếu chữ bị chuyển sai, đặt bảng mã của bảng là UTF-8 (giữ nguyên) hoặc bảng mã "
          "đúng rồi nạp lại.";
      issue.message_en =
          where_en + count + " text cells in " + name + " (" + ReasonEn(reason) + font_en +
          ") were converted to Unicode, e.g. \"" + r.before + "\" → \"" + r.after +
          "\". If the text came out wrong, set the table's encoding to UTF-8 (keep as is) or "
          "to the right encoding and load it again.";
    } else {
      issue.kind = IssueKind::kLegacyTextKept;
      issue.message_vi =
          where_vi + count + " ô chữ trông như mã " + name + " (" + ReasonVi(reason) + font_vi +
          ") được giữ nguyên vì bảng mã của bảng đặt là UTF-8, ví dụ \"" + r.before +
          "\" (nếu chuyển sẽ là \"" + r.after + "\"). Nếu đó là chữ mã cũ, đặt bảng mã là " + name +
          " hoặc để trống (tự nhận) rồi nạp lại.";
      issue.message_en =
          where_en + count + " text cells that look like " + name + " (" + ReasonEn(reason) +
          font_en +
          ") were left as they are because the table's encoding is set to UTF-8, e.g. \"" +
          r.before + "\" (converted it would read \"" + r.after + "\"). If that is legacy text, " +
          "set the encoding to " + name + " or leave it empty (detect) and load it again.";
    }
    Add(t, std::move(issue));
  }
  for (const auto& e : errors_) Add(t, e);
  t.issue_counts[IssueKind::kFormulaError] += more_errors_;
  if (t.issue_counts[IssueKind::kFormulaError] == 0) t.issue_counts.erase(IssueKind::kFormulaError);
}

WorkbookText::WorkbookText(std::unique_ptr<formats::RowSource> in, Cells cells,
                           WorkbookTextMode mode, std::shared_ptr<WorkbookNotes> notes)
    : in_(std::move(in)), cells_(std::move(cells)), mode_(mode), notes_(std::move(notes)) {}

std::optional<text::Encoding> WorkbookText::LooksLegacy(const std::string& cell) {
  if (auto it = looks_legacy_.find(cell); it != looks_legacy_.end()) return it->second;
  std::optional<text::Encoding> enc = text::LooksLikeLegacyText(cell);
  if (looks_legacy_.size() >= kLooksLegacyCacheSize) looks_legacy_.clear();
  looks_legacy_.emplace(cell, enc);
  return enc;
}

bool WorkbookText::Next(std::vector<std::string>& cells) {
  if (!in_->Next(cells)) return false;
  const int64_t line = in_->line();
  std::string sheet;
  bool report = false;
  bool looked_up = false;
  auto sheet_name = [&]() -> const std::string& {
    if (!looked_up) {
      looked_up = true;
      sheet = cells_.sheet();
      int64_t& up_to = reported_up_to_[sheet];
      report = line > up_to;
      if (report) up_to = line;
    }
    return sheet;
  };
  if (const std::vector<std::string>* errors = cells_.errors ? cells_.errors() : nullptr) {
    for (size_t c = 0; c < errors->size(); ++c) {
      if ((*errors)[c].empty()) continue;
      sheet_name();
      if (report) notes_->FormulaError(sheet, line, static_cast<int>(c + 1), (*errors)[c]);
    }
  }
  const std::vector<std::string>* fonts = nullptr;  // asked for at the first cell that needs it
  for (size_t c = 0; c < cells.size(); ++c) {
    std::string& cell = cells[c];
    if (cell.empty()) continue;
    // ASCII (nothing to decode) or Unicode already (ư, ạ, …), whatever the font or the table's
    // encoding says: no legacy font's text has these letters. Checked first, as it is cheap and
    // true of almost every cell of a modern workbook.
    if (Classify(cell) != Letters::kLegacy) continue;
    if (fonts == nullptr) fonts = &cells_.fonts();
    const std::string& font =
        c < fonts->size() && !(*fonts)[c].empty() ? (*fonts)[c] : cells_.default_font();
    std::optional<text::Encoding> enc;
    bool upper = false;
    WorkbookNotes::Reason reason = WorkbookNotes::Reason::kFont;
    if (mode_.kind == WorkbookTextMode::Kind::kForce) {
      enc = mode_.forced;
      reason = WorkbookNotes::Reason::kForced;
      (void)text::EncodingOfFont(font, &upper);
    } else if (auto by_font = text::EncodingOfFont(font, &upper)) {
      enc = by_font;
    } else if (auto by_text = LooksLegacy(cell)) {
      enc = by_text;
      reason = WorkbookNotes::Reason::kContent;
    }
    if (!enc) continue;
    std::string decoded = text::FromLegacyFontText(cell, *enc, upper);
    if (decoded == cell) continue;
    sheet_name();
    const std::string& noted_font =
        reason == WorkbookNotes::Reason::kContent ? std::string() : font;
    if (mode_.kind == WorkbookTextMode::Kind::kOff) {
      if (report)
        notes_->Kept(sheet, line, static_cast<int>(c + 1), *enc, reason, noted_font, cell, decoded);
      continue;
    }
    if (report)
      notes_->Decoded(sheet, line, static_cast<int>(c + 1), *enc, reason, noted_font, cell,
                      decoded);
    cell = std::move(decoded);
  }
  return true;
}

}  // namespace odp::datastore::ingest

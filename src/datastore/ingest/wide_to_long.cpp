#include "datastore/ingest/wide_to_long.h"

#include <algorithm>
#include <cctype>

#include "datastore/sources.h"
#include "text/utf8.h"

namespace odp::datastore::ingest {

namespace {

constexpr size_t kMaxNotes = 100;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Spaces and the separators a header puts between its parts (" / " of a two-row header).
bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '/' || c == '-' || c == ':' || c == ',';
}

std::string Trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSeparator(s[b])) ++b;
  while (e > b && IsSeparator(s[e - 1])) --e;
  std::string out;
  for (size_t i = b; i < e; ++i) {
    if (s[i] == ' ' && !out.empty() && out.back() == ' ') continue;  // "Quang  Nam" → one space
    out += s[i];
  }
  return out;
}

// A footnote mark in brackets: "*", "**", "1", "a".
bool IsFootnoteMark(std::string_view inside) {
  if (inside.empty()) return true;
  if (std::all_of(inside.begin(), inside.end(), [](char c) { return c == '*'; })) return true;
  if (inside.size() <= 2 && std::all_of(inside.begin(), inside.end(), IsDigit)) return true;
  return inside.size() == 1 && inside[0] >= 'a' && inside[0] <= 'z';
}

std::string NormalUnit(std::string unit) {
  std::string lower;
  for (char c : unit) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (lower == "km2" || lower == "km^2") return "km²";
  if (lower == "m2" || lower == "m^2") return "m²";
  if (lower == "km 2") return "km²";
  return unit;
}

}  // namespace

std::optional<WideColumn> ParseWideLabel(std::string_view label) {
  // The year: four digits standing alone, 1900 to 2100.
  size_t at = std::string_view::npos;
  int year = 0;
  for (size_t i = 0; i + 4 <= label.size(); ++i) {
    if (!(IsDigit(label[i]) && IsDigit(label[i + 1]) && IsDigit(label[i + 2]) &&
          IsDigit(label[i + 3]))) {
      continue;
    }
    const bool alone_before = i == 0 || !(IsDigit(label[i - 1]) ||
                                          std::isalpha(static_cast<unsigned char>(label[i - 1])) ||
                                          label[i - 1] == '.' || label[i - 1] == ',');
    const bool alone_after =
        i + 4 == label.size() ||
        !(IsDigit(label[i + 4]) || std::isalpha(static_cast<unsigned char>(label[i + 4])) ||
          label[i + 4] == '.' || label[i + 4] == ',');
    const int y = (label[i] - '0') * 1000 + (label[i + 1] - '0') * 100 + (label[i + 2] - '0') * 10 +
                  (label[i + 3] - '0');
    if (alone_before && alone_after && y >= 1900 && y <= 2100) {
      at = i;
      year = y;
      break;
    }
  }
  if (at == std::string_view::npos) return std::nullopt;
  std::string rest = std::string(label.substr(0, at)) + " " + std::string(label.substr(at + 4));
  // Bracketed parts, from the last: footnote marks go, the last other one is the unit.
  WideColumn c;
  c.year = year;
  std::string unit;
  for (size_t close = rest.rfind(')'); close != std::string::npos; close = rest.rfind(')')) {
    const size_t open = rest.rfind('(', close);
    if (open == std::string::npos) break;
    std::string inside = Trimmed(std::string_view(rest).substr(open + 1, close - open - 1));
    if (!IsFootnoteMark(inside) && unit.empty()) {
      unit = inside;
    } else if (!IsFootnoteMark(inside)) {
      break;  // an earlier bracket that is part of the item's name: kept
    }
    rest.erase(open, close - open + 1);
  }
  // A footnote mark written without brackets: "Diện tích*".
  std::string item = Trimmed(rest);
  while (!item.empty() && item.back() == '*') item.pop_back();
  c.item = Trimmed(item);
  c.unit = NormalUnit(unit);
  return c;
}

Result<std::unique_ptr<WideToLongRows>> WideToLongRows::Open(std::unique_ptr<formats::RowSource> in,
                                                             const LoadOptions& where) {
  std::unique_ptr<WideToLongRows> w(new WideToLongRows(std::move(in)));
  ODP_ASSIGN_OR_RETURN(w->header_, FindHeader(*w->in_, where));
  const auto& labels = w->header_.labels;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (auto c = ParseWideLabel(labels[i])) {
      w->with_unit_ = w->with_unit_ || !c->unit.empty();
      w->years_.emplace_back(i, std::move(*c));
    } else {
      w->keys_.push_back(i);
      w->key_labels_.push_back(labels[i]);
    }
  }
  if (w->years_.size() < 2) {
    const std::string n = std::to_string(w->years_.size());
    return Status::InvalidArgument(
        "wide_to_long needs at least two columns with a year in their header (such as \"2011 "
        "Area (Km2)\"); this table has " +
            n,
        "Chỉ xoay được bảng rộng có ít nhất hai cột mang năm trong tiêu đề (như \"2011 Diện "
        "tích (km2)\"); bảng này có " +
            n + ". Hãy bỏ tuỳ chọn xoay bảng, hoặc chọn đúng dòng tiêu đề.");
  }
  if (w->keys_.empty()) {
    // Long rows would not say which row of the file they come from.
    return Status::InvalidArgument(
        "wide_to_long needs at least one column without a year in its header (such as "
        "\"Province\") to say which row each value belongs to; every column of this table has a "
        "year",
        "Chỉ xoay được bảng rộng có ít nhất một cột không mang năm trong tiêu đề (như \"Tỉnh\") "
        "để biết mỗi giá trị thuộc dòng nào; mọi cột của bảng này đều mang năm. Hãy bỏ tuỳ chọn "
        "xoay bảng, hoặc chọn đúng dòng tiêu đề.");
  }
  w->head_pos_ = w->header_.skip;
  w->next_year_ = w->years_.size();
  return w;
}

std::vector<std::string> WideToLongRows::year_labels() const {
  std::vector<std::string> out;
  for (const auto& [column, c] : years_) out.push_back(header_.labels[column]);
  return out;
}

std::vector<std::string> WideToLongRows::title_rows() const { return TitleRows(header_); }

std::string WideToLongRows::describe() const { return in_->describe() + ", wide to long"; }

bool WideToLongRows::NextWide() {
  for (;;) {
    if (head_pos_ < header_.head.size()) {
      row_ = header_.head[head_pos_];
      row_line_ = header_.head_lines[head_pos_];
      ++head_pos_;
    } else if (in_->Next(row_)) {
      row_line_ = in_->line();
    } else {
      return false;
    }
    if (NonEmpty(row_) == 0) continue;
    bool any = false;
    for (const auto& [column, c] : years_) {
      if (column < row_.size() && row_[column].find_first_not_of(" \t\r\n") != std::string::npos) {
        any = true;
        break;
      }
    }
    if (any) return true;
    // A note, a source or a label row: said once, on the first pass.
    if (row_line_ > last_noted_) {
      last_noted_ = row_line_;
      if (notes_.size() < kMaxNotes) {
        std::string text;
        for (const auto& cell : row_) {
          std::string t = Trimmed(cell);
          if (t.empty()) continue;
          if (!text.empty()) text += " ";
          text += t;
        }
        if (text.size() > 200) {
          size_t cut = 200;
          while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
          text = text.substr(0, cut) + "…";
        }
        notes_.push_back({row_line_,
                          "Dòng " + std::to_string(row_line_) +
                              " không có giá trị ở cột năm nào nên không thành dòng của bảng "
                              "xoay (ghi chú, nguồn hay nhãn nhóm?): \"" +
                              text + "\"",
                          "Row " + std::to_string(row_line_) +
                              " has no value in any year column, so it gives no row of the long "
                              "table (a note, a source or a group label?): \"" +
                              text + "\""});
      }
    }
  }
}

bool WideToLongRows::Next(std::vector<std::string>& cells) {
  cells.clear();
  if (!header_given_) {
    header_given_ = true;
    for (const auto& l : key_labels_) cells.push_back(l);
    cells.emplace_back("Năm");
    cells.emplace_back("Chỉ tiêu");
    if (with_unit_) cells.emplace_back("Đơn vị");
    cells.emplace_back("Giá trị");
    line_ = header_.line;
    return true;
  }
  if (next_year_ >= years_.size()) {
    if (!NextWide()) return false;
    next_year_ = 0;
  }
  const auto& [column, c] = years_[next_year_++];
  for (size_t k : keys_) cells.push_back(k < row_.size() ? row_[k] : std::string());
  cells.push_back(std::to_string(c.year));
  cells.push_back(c.item);
  if (with_unit_) cells.push_back(c.unit);
  cells.push_back(column < row_.size() ? row_[column] : std::string());
  line_ = row_line_;
  return true;
}

Status WideToLongRows::Rewind() {
  ODP_RETURN_IF_ERROR(in_->Rewind());
  std::vector<std::string> skipped;
  for (size_t i = 0; i < header_.head.size(); ++i) {
    if (!in_->Next(skipped)) return in_->status();
  }
  head_pos_ = header_.skip;
  header_given_ = false;
  next_year_ = years_.size();
  line_ = 0;
  return Status::Ok();
}

}  // namespace odp::datastore::ingest

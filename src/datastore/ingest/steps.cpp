#include "datastore/ingest/steps.h"

#include <algorithm>

#include "datastore/internal.h"
#include "datastore/sources.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::datastore::ingest {

namespace {

Status NotUtf8(int64_t line, size_t column) {
  return Status::InvalidArgument(
      "the file is not UTF-8 text (line " + std::to_string(line) + ", column " +
          std::to_string(column) + ")",
      "Tệp không phải văn bản UTF-8 (dòng " + std::to_string(line) + ", cột " +
          std::to_string(column) +
          "); hãy lưu lại dưới dạng CSV UTF-8 hoặc chọn bảng mã khi tải lên");
}

}  // namespace

Result<Header> FindHeader(formats::RowSource& rows, const LoadOptions& options) {
  const int64_t header_row = options.header_row, first_row = options.first_row;
  if (header_row > 0 && first_row > 0 && first_row <= header_row) {
    return Status::InvalidArgument("the first data row must be below the header row",
                                   "Dòng dữ liệu đầu tiên phải nằm dưới dòng tiêu đề");
  }
  if (options.last_row > 0 && options.last_row < std::max(header_row + 1, first_row)) {
    return Status::InvalidArgument("the last data row must not be above the first",
                                   "Dòng dữ liệu cuối cùng không được nằm trên dòng đầu tiên");
  }
  Header h;
  std::vector<std::string> row;
  // The first 50 rows, and on to the rows the publisher named (the header's second row, the
  // first data row).
  const int64_t named = std::max(header_row > 0 ? header_row + 1 : 0, first_row);
  auto wanted = [&] {
    if (h.head.size() < 50) return true;
    return h.head.size() < kMaxHeadRows && named > 0 && h.head_lines.back() < named;
  };
  while (wanted() && rows.Next(row)) {
    h.head.push_back(row);
    h.head_lines.push_back(rows.line());
  }
  ODP_RETURN_IF_ERROR(rows.status());
  if (h.head.empty()) return Status::InvalidArgument("the file is empty", "Tệp không có dữ liệu");
  if (named > 0 && h.head_lines.back() < named && h.head.size() >= kMaxHeadRows) {
    return Status::InvalidArgument("the header and the first data row must be within the first " +
                                       std::to_string(kMaxHeadRows) + " rows",
                                   "Dòng tiêu đề và dòng dữ liệu đầu tiên phải nằm trong " +
                                       std::to_string(kMaxHeadRows) + " dòng đầu");
  }
  // The rows that may hold the header: from the one the publisher named, or above the first data
  // row the publisher named.
  auto first_at = [&](int64_t line) {
    return static_cast<size_t>(std::lower_bound(h.head_lines.begin(), h.head_lines.end(), line) -
                               h.head_lines.begin());
  };
  size_t index = 0;
  size_t data = h.head.size();  // the first data row the publisher named (its position)
  if (first_row > 0) data = first_at(first_row);
  if (header_row > 0) {
    index = first_at(header_row);
    if (index >= h.head.size() || index >= data) {
      return Status::InvalidArgument(
          "the file has no row " + std::to_string(header_row) + " to be its header",
          "Tệp không có dòng " + std::to_string(header_row) + " để làm dòng tiêu đề");
    }
  } else {
    std::vector<std::vector<std::string>> above(h.head.begin(),
                                                h.head.begin() + static_cast<std::ptrdiff_t>(data));
    if (above.empty()) {
      return Status::InvalidArgument(
          "no row above the first data row to be the header",
          "Không có dòng nào trên dòng dữ liệu đầu tiên để làm dòng tiêu đề");
    }
    index = HeaderIndex(above);
  }
  for (size_t i = index; i < std::min(h.head.size(), index + 2); ++i) {
    for (size_t c = 0; c < h.head[i].size(); ++c) {
      if (!text::IsValidUtf8(h.head[i][c])) return NotUtf8(h.head_lines[i], c + 1);
    }
  }
  int header_rows = HeaderLabels(h.head, index, h.labels);
  // A header of two rows only when the publisher's first data row leaves room for them.
  if (header_rows == 2 && index + 1 >= data) {
    std::vector<std::vector<std::string>> one(
        h.head.begin() + static_cast<std::ptrdiff_t>(index),
        h.head.begin() + static_cast<std::ptrdiff_t>(index) + 1);
    header_rows = HeaderLabels(one, 0, h.labels);
  }
  if (h.labels.empty())
    return Status::InvalidArgument("no header row", "Không tìm thấy dòng tiêu đề");
  const size_t header_end = index + static_cast<size_t>(header_rows);
  h.line = h.head_lines[header_end - 1];
  h.index = index;
  h.skip = first_row > 0 ? std::max(header_end, data) : header_end;
  return h;
}

std::vector<std::string> TitleRows(const Header& header) {
  std::vector<std::string> lines;
  const size_t first = std::min(header.index, header.skip);
  for (size_t i = 0; i < first && i < header.head.size(); ++i) {
    std::string line;
    for (const auto& cell : header.head[i]) {
      size_t b = cell.find_first_not_of(" \t\r\n");
      if (b == std::string::npos) continue;
      size_t e = cell.find_last_not_of(" \t\r\n");
      if (!line.empty()) line += ' ';
      line.append(cell, b, e - b + 1);
    }
    if (!line.empty() && text::IsValidUtf8(line)) lines.push_back(std::move(line));
  }
  return lines;
}

bool IsNoteRow(const std::vector<std::string>& row, size_t columns, bool after_note) {
  if (columns < 2) return false;
  const std::string* text = nullptr;
  for (const auto& cell : row) {
    if (cell.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    if (text != nullptr) return false;  // a second filled cell: data
    text = &cell;
  }
  if (text == nullptr) return false;
  if (after_note) return true;
  const std::string folded = text::FoldVietnamese(*text);
  size_t b = folded.find_first_not_of(" \t\r\n");
  std::string_view t = std::string_view(folded).substr(b);
  for (std::string_view mark :
       {"nguon", "ghi chu", "chu thich", "chu y", "luu y", "source", "note", "(*", "*"}) {
    if (t.starts_with(mark)) return true;
  }
  if (t.size() >= 3 && t[0] == '(' && t[1] >= '0' && t[1] <= '9' && t[2] == ')') return true;
  size_t words = 0;
  bool in_word = false;
  for (char c : t) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words >= 6;
}

ColumnProfiler::ColumnProfiler(size_t columns, bool typed_numbers) : profiles_(columns) {
  for (auto& p : profiles_) p.set_typed_numbers(typed_numbers);
}

Status ColumnProfiler::Add(const std::vector<std::string>& r, int64_t line) {
  if (NonEmpty(r) == 0) return Status::Ok();
  for (size_t c = 0; c < r.size(); ++c) {
    if (!text::IsValidUtf8(r[c])) return NotUtf8(line, c + 1);
    if (c < profiles_.size()) profiles_[c].Add(r[c]);
  }
  for (size_t c = r.size(); c < profiles_.size(); ++c) profiles_[c].Add("");
  return Status::Ok();
}

void DecideFields(const std::vector<std::string>& labels, std::vector<ColumnProfile> profiles,
                  const LoadOptions& options, TableInfo& into) {
  std::vector<std::string> ids = ColumnIds(labels);
  if (auto ll = FindLatLon(ids, std::vector<ColumnType>(ids.size(), ColumnType::kNumber))) {
    profiles[ll->first].prefer_international();
    profiles[ll->second].prefer_international();
  }
  into.fields.clear();
  for (size_t c = 0; c < labels.size(); ++c) {
    into.fields.push_back({ids[c], labels[c], profiles[c].Decide(), profiles[c].style(), ""});
    const int column = static_cast<int>(c + 1);
    if (profiles[c].values() == 0) {
      AddIssue(
          into,
          {IssueKind::kEmptyColumn, 0, column,
           "Cột " + labels[c] +
               " không có giá trị nào (được giữ, kiểu văn bản); xoá cột trong tệp nếu không cần",
           "Column " + labels[c] +
               " has no value at all (kept, as text); remove it from the file if not needed"});
    } else if (auto d = profiles[c].demotion()) {
      AddIssue(
          into,
          {IssueKind::kTypeDemoted, 0, column,
           "Cột " + labels[c] + " được lưu là văn bản, không phải số: có " +
               std::to_string(d->strays) + (d->strays > 50 ? " (hoặc hơn)" : "") +
               " ô không phải số (ví dụ \"" + d->example + "\") bên cạnh " +
               std::to_string(d->numbers) +
               " số; sửa các ô đó trong tệp, hoặc đặt cột là số (các ô đó sẽ được để trống)",
           "Column " + labels[c] + " is stored as text, not numbers: " + std::to_string(d->strays) +
               (d->strays > 50 ? " (or more)" : "") + " cells are not numbers (for example \"" +
               d->example + "\") beside " + std::to_string(d->numbers) +
               " numbers; correct those cells in the file, or set the column to number (they will "
               "be left empty)"});
    }
  }
  // What the publisher said about the columns wins over what was inferred.
  for (const auto& o : options.fields) {
    auto f = std::find_if(into.fields.begin(), into.fields.end(),
                          [&](const Field& x) { return x.id == o.id; });
    if (f == into.fields.end()) {
      // Set for an earlier file (settings outlive their file): this one lacks the column.
      AddIssue(into, {IssueKind::kSchemaColumnMissing, 0, 0,
                      "Cột " + o.id +
                          " của cấu trúc đã lưu không có trong tệp này (thiết lập được bỏ qua)",
                      "Column " + o.id +
                          " of the saved schema is not in this file (its settings are ignored)"});
      continue;
    }
    if (o.type) f->type = *o.type;
    if (!o.label.empty()) f->label = o.label;
    if (o.description) f->description = *o.description;
  }
  into.primary_key = options.primary_key;
  for (const auto& k : options.primary_key) {
    if (std::none_of(into.fields.begin(), into.fields.end(),
                     [&](const Field& x) { return x.id == k; })) {
      AddIssue(into,
               {IssueKind::kSchemaColumnMissing, 0, 0,
                "Tệp không có cột " + k + " của khoá chính: bảng này không có khoá chính",
                "The file has no column " + k + " of the primary key: this table has no key"});
      into.primary_key.clear();
      break;
    }
  }
}

void ReplaceDecisionIssues(TableInfo& loaded, const TableInfo& decided) {
  auto of_decision = [](IssueKind k) {
    return k == IssueKind::kEmptyColumn || k == IssueKind::kTypeDemoted ||
           k == IssueKind::kSchemaColumnMissing;
  };
  std::erase_if(loaded.issues, [&](const IngestIssue& i) { return of_decision(i.kind); });
  std::erase_if(loaded.issue_counts, [&](const auto& kv) { return of_decision(kv.first); });
  for (const auto& i : decided.issues) {
    if (of_decision(i.kind)) AddIssue(loaded, i);
  }
}

}  // namespace odp::datastore::ingest

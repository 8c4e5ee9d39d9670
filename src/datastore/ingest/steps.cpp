#include "datastore/ingest/steps.h"

#include <algorithm>

#include "datastore/internal.h"
#include "datastore/sources.h"
#include "text/utf8.h"

namespace odp::datastore::ingest {

namespace {

Status NotUtf8(int64_t line, size_t column) {
  return Status::InvalidArgument(
      "the file is not UTF-8 text (line " + std::to_string(line) + ", column " + std::to_string(column) + ")",
      "Tệp không phải văn bản UTF-8 (dòng " + std::to_string(line) + ", cột " + std::to_string(column) +
          "); hãy lưu lại dưới dạng CSV UTF-8 hoặc chọn bảng mã khi tải lên");
}

}  // namespace

Result<Header> FindHeader(formats::RowSource& rows) {
  Header h;
  std::vector<std::string> row;
  while (h.head.size() < 50 && rows.Next(row)) {
    h.head.push_back(row);
    h.head_lines.push_back(rows.line());
  }
  ODP_RETURN_IF_ERROR(rows.status());
  if (h.head.empty()) return Status::InvalidArgument("the file is empty", "Tệp không có dữ liệu");
  const size_t index = HeaderIndex(h.head);
  for (size_t i = index; i < std::min(h.head.size(), index + 2); ++i) {
    for (size_t c = 0; c < h.head[i].size(); ++c) {
      if (!text::IsValidUtf8(h.head[i][c])) return NotUtf8(h.head_lines[i], c + 1);
    }
  }
  const int header_rows = HeaderLabels(h.head, index, h.labels);
  if (h.labels.empty()) return Status::InvalidArgument("no header row", "Không tìm thấy dòng tiêu đề");
  h.skip = index + static_cast<size_t>(header_rows);
  h.line = h.head_lines[h.skip - 1];
  return h;
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
  }
  // What the publisher said about the columns wins over what was inferred.
  for (const auto& o : options.fields) {
    auto f = std::find_if(into.fields.begin(), into.fields.end(), [&](const Field& x) { return x.id == o.id; });
    if (f == into.fields.end()) {
      // Set for an earlier file (settings outlive their file): this one lacks the column.
      AddIssue(into, {IssueKind::kSchemaColumnMissing, 0, 0,
                      "Cột " + o.id + " của cấu trúc đã lưu không có trong tệp này (thiết lập được bỏ qua)",
                      "Column " + o.id + " of the saved schema is not in this file (its settings are ignored)"});
      continue;
    }
    if (o.type) f->type = *o.type;
    if (!o.label.empty()) f->label = o.label;
    if (o.description) f->description = *o.description;
  }
  into.primary_key = options.primary_key;
  for (const auto& k : options.primary_key) {
    if (std::none_of(into.fields.begin(), into.fields.end(), [&](const Field& x) { return x.id == k; })) {
      AddIssue(into, {IssueKind::kSchemaColumnMissing, 0, 0,
                      "Tệp không có cột " + k + " của khoá chính: bảng này không có khoá chính",
                      "The file has no column " + k + " of the primary key: this table has no key"});
      into.primary_key.clear();
      break;
    }
  }
}

}  // namespace odp::datastore::ingest

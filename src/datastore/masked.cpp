#include "datastore/masked.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace odp::datastore::internal {

Query Unmasked(const Query& q) {
  Query out = q;
  out.masks.clear();
  out.mask_key.clear();
  return out;
}

void MaskResult(const Query& q, QueryResult& r) {
  if (q.masks.empty()) return;
  std::vector<const access::ColumnMask*> at(r.fields.size(), nullptr);
  for (size_t c = 0; c < r.fields.size(); ++c) {
    auto m = q.masks.find(r.fields[c].id);
    if (m == q.masks.end() || r.fields[c].id == "_id") continue;
    at[c] = &m->second;
    r.fields[c].type =
        m->second.kind == access::MaskKind::kYear ? ColumnType::kInteger : ColumnType::kString;
  }
  for (auto& row : r.rows) {
    for (size_t c = 0; c < row.size() && c < at.size(); ++c) {
      if (at[c] != nullptr) row[c] = access::MaskValue(*at[c], row[c], q.mask_key);
    }
  }
}

namespace {

// Column 0 is `_id`, then SelectedColumns(t, q) in order.
class MaskingCursor final : public Cursor {
 public:
  MaskingCursor(std::unique_ptr<Cursor> inner, std::vector<ColumnType> types,
                std::vector<std::optional<access::ColumnMask>> masks, std::string key)
      : Cursor(std::move(types)),
        inner_(std::move(inner)),
        masks_(std::move(masks)),
        key_(std::move(key)),
        text_(masks_.size()),
        year_(masks_.size(), 0),
        null_(masks_.size(), true) {}

  bool Next() override {
    if (!inner_->Next()) return false;
    ++rows_;
    for (size_t c = 0; c < masks_.size(); ++c) {
      if (!masks_[c]) continue;
      nlohmann::json v = access::MaskValue(*masks_[c], inner_->value(c), key_);
      null_[c] = v.is_null();
      if (v.is_number_integer()) {
        year_[c] = v.get<int64_t>();
        text_[c] = std::to_string(year_[c]);
      } else if (v.is_string()) {
        text_[c] = v.get<std::string>();
      } else {
        text_[c].clear();
      }
    }
    return true;
  }
  Status status() const override { return inner_->status(); }
  bool is_null(size_t c) const override { return masks_[c] ? null_[c] : inner_->is_null(c); }
  int64_t integer(size_t c) const override {
    return masks_[c] ? (null_[c] ? 0 : year_[c]) : inner_->integer(c);
  }
  double number(size_t c) const override {
    return masks_[c] ? static_cast<double>(integer(c)) : inner_->number(c);
  }
  std::string_view text(size_t c) const override {
    return masks_[c] ? std::string_view(text_[c]) : inner_->text(c);
  }
  nlohmann::json value(size_t c) const override {
    if (!masks_[c]) return inner_->value(c);
    if (null_[c]) return nullptr;
    if (types_[c] == ColumnType::kInteger) return year_[c];
    return text_[c];
  }
  size_t ReadRow(RowCell* cells, const char** texts) const override {
    size_t bytes = inner_->ReadRow(cells, texts);
    for (size_t c = 0; c < masks_.size(); ++c) {
      if (!masks_[c]) continue;
      const ColumnType inner = inner_->type(c);
      const bool inner_text = inner != ColumnType::kInteger && inner != ColumnType::kBoolean &&
                              inner != ColumnType::kNumber;
      if (inner_text && !cells[c].null) bytes -= std::min<size_t>(bytes, cells[c].len + 1);
      cells[c] = RowCell{};
      cells[c].null = null_[c];
      if (null_[c]) continue;
      if (types_[c] == ColumnType::kInteger) {
        cells[c].i = year_[c];
        cells[c].d = static_cast<double>(year_[c]);
      } else {
        cells[c].len = static_cast<uint32_t>(text_[c].size());
        texts[c] = text_[c].c_str();
        bytes += text_[c].size() + 1;
      }
    }
    return bytes;
  }
  Status Restart(int64_t first, int64_t last) override { return inner_->Restart(first, last); }

 private:
  std::unique_ptr<Cursor> inner_;
  // Per column, a copy (the cursor outlives the query that opened it: a streamed export or
  // dump); empty: not masked.
  std::vector<std::optional<access::ColumnMask>> masks_;
  std::string key_;
  std::vector<std::string> text_;  // the current row's masked text per masked column
  std::vector<int64_t> year_;      // … its year (kYear)
  std::vector<char> null_;         // … whether it is null
};

}  // namespace

std::unique_ptr<Cursor> MaskCursor(std::unique_ptr<Cursor> inner, const TableInfo& t,
                                   const Query& q) {
  if (q.masks.empty()) return inner;
  std::vector<Field> fields = {IdField()};
  for (auto& f : SelectedColumns(t, q)) fields.push_back(std::move(f));
  std::vector<ColumnType> types;
  std::vector<std::optional<access::ColumnMask>> masks;
  for (size_t c = 0; c < inner->columns(); ++c) {
    std::optional<access::ColumnMask> m;
    ColumnType type = inner->type(c);
    if (c > 0 && c < fields.size()) {
      auto it = q.masks.find(fields[c].id);
      if (it != q.masks.end()) {
        m = it->second;
        type = fields[c].type;
      }
    }
    types.push_back(type);
    masks.push_back(m);
  }
  return std::make_unique<MaskingCursor>(std::move(inner), std::move(types), std::move(masks),
                                         q.mask_key);
}

}  // namespace odp::datastore::internal

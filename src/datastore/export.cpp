#include "datastore/export.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>

#include <minizip/zip.h>

#include "datastore/delimited.h"
#include "formats/text_writers.h"
#include "formats/xlsx_writer.h"
#include "text/utf8.h"

namespace odp::datastore {

bool IsStreamFormat(const std::string& f) {
  return f == "csv" || f == "tsv" || f == "json" || f == "ndjson" || f == "geojson";
}

const char* ExportContentType(const std::string& f) {
  if (f == "csv") return "text/csv; charset=utf-8";
  if (f == "tsv") return "text/tab-separated-values; charset=utf-8";
  if (f == "json") return "application/json; charset=utf-8";
  if (f == "ndjson") return "application/x-ndjson; charset=utf-8";
  if (f == "geojson") return "application/geo+json; charset=utf-8";
  if (f == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  if (f == "datapackage") return "application/zip";
  return "application/octet-stream";
}

const char* CkanTypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger: return "int";
    case ColumnType::kNumber: return "numeric";
    case ColumnType::kBoolean: return "bool";
    case ColumnType::kDate: return "date";
    case ColumnType::kDatetime: return "timestamp";
    default: return "text";
  }
}

namespace {

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void AppendDouble(std::string& out, double v) {
  char buf[formats::kShortestNumberBound];
  out.append(buf, formats::WriteShortestNumber(buf, v));
}

}  // namespace

namespace {

// "\"id\":" for each field, written once per export rather than once per row.
std::vector<std::string> JsonKeys(const std::vector<Field>& fields) {
  std::vector<std::string> keys;
  for (const auto& f : fields) {
    std::string k;
    formats::AppendJsonString(k, f.id);
    keys.push_back(k + ":");
  }
  return keys;
}

template <typename Row>
void AppendJsonValue(std::string& out, const Row& c, size_t i) {
  if (c.is_null(i)) {
    out += "null";
    return;
  }
  switch (c.type(i)) {
    case ColumnType::kInteger: AppendInt(out, c.integer(i)); break;
    case ColumnType::kNumber: AppendDouble(out, c.number(i)); break;
    case ColumnType::kBoolean: out += c.integer(i) ? "true" : "false"; break;
    default: formats::AppendJsonString(out, c.text(i));
  }
}

}  // namespace

// Rows read from the cursor by a thread of their own, a batch at a time: the values copied out
// of SQLite (text NUL-terminated in one arena), so that reading the database and writing the
// file overlap on two cores.
struct ExportStream::Batch {
  using Cell = RowCell;
  std::vector<ColumnType> types;
  std::vector<Cell> cells;  // rows × columns
  std::string arena;
  size_t columns = 0, rows = 0;
  size_t max_row = 0;  // bytes that any row of the batch can take as delimited text
  bool last = false;
  Status status;
};

struct ExportStream::Range {
  std::string text;
  int64_t rows = 0;
  Status status;
};

namespace {

constexpr int64_t kRangeRows = 4096;  // about 1 MiB of text for a register's rows
constexpr int64_t kWindow = 4;        // ranges read ahead of the client

// One row of a batch, read like a Cursor.
class BatchRow {
 public:
  BatchRow(const ExportStream::Batch& b, size_t r) : b_(b), base_(r * b.columns) {}
  size_t columns() const { return b_.columns; }
  ColumnType type(size_t i) const { return b_.types[i]; }
  bool is_null(size_t i) const { return b_.cells[base_ + i].null; }
  int64_t integer(size_t i) const { return b_.cells[base_ + i].i; }
  double number(size_t i) const { return b_.cells[base_ + i].d; }
  std::string_view text(size_t i) const {
    const auto& c = b_.cells[base_ + i];
    return c.null ? std::string_view("", 0) : std::string_view(b_.arena.data() + c.off, c.len);
  }

 private:
  const ExportStream::Batch& b_;
  size_t base_;
};

// The most bytes a row of `columns` cells with `text` bytes of text (NULs included) takes as
// delimited text: every quote doubled and the cell quoted, numbers at their longest, the
// delimiters and the line end.
size_t RowBound(size_t columns, size_t text) { return 2 * text + columns * 34 + 2; }

// How the cells of a delimited row are written: the delimiter, the first column written (1 leaves
// `_id` out), and Excel's Vietnamese marks (decimal comma, a space before a datetime's time).
struct RowStyle {
  char delimiter = ',';
  size_t first = 0;
  bool excel_vietnamese = false;
};

// One row of delimited text at `p` (room for RowBound bytes); `text_of(i)` is the i-th cell's
// text (NUL-terminated, `len` bytes). Returns the end.
template <typename TextOf>
char* WriteRow(char* p, const ExportStream::Batch::Cell* row, const ColumnType* types, size_t n,
               const RowStyle& style, const TextOf& text_of) {
  const char d = style.delimiter;
  for (size_t i = style.first; i < n; ++i) {
    if (i > style.first) *p++ = d;
    const auto& c = row[i];
    if (c.null) continue;
    switch (types[i]) {
      case ColumnType::kInteger: p = std::to_chars(p, p + 24, c.i).ptr; break;
      case ColumnType::kNumber: {
        char* start = p;
        p = formats::WriteShortestNumber(p, c.d);
        if (style.excel_vietnamese) std::replace(start, p, '.', ',');
        break;
      }
      case ColumnType::kDatetime: {
        char* start = p;
        p = formats::WriteDelimitedCell(p, std::string_view(text_of(i), c.len), d);
        if (style.excel_vietnamese && p - start >= 19 && start[10] == 'T') start[10] = ' ';
        break;
      }
      case ColumnType::kBoolean:
        if (c.i) {
          std::memcpy(p, "true", 4);
          p += 4;
        } else {
          std::memcpy(p, "false", 5);
          p += 5;
        }
        break;
      default: p = formats::WriteDelimitedCell(p, std::string_view(text_of(i), c.len), d);
    }
  }
  *p++ = '\r';
  *p++ = '\n';
  return p;
}

// The current row of `st` into `cells` with one SQLite call per cell (the column_* calls
// each look the cell up and check for errors again); text cells point into SQLite's row
// (NUL-terminated, valid until the next step) through `texts`. Returns the text bytes, NULs
// included.

}  // namespace

// CSV or TSV rows of the current batch, written straight into `out`'s buffer until it holds
// `limit` bytes or the batch ends.
void ExportStream::WriteDelimitedRows(std::string& out, size_t limit) {
  const Batch& b = *batch_;
  const size_t n = b.columns;
  const RowStyle style{delimiter_, first_column_, excel_vietnamese_};
  size_t len = out.size();
  // The buffer grows 64 KiB at a time, whenever a row might not fit: every byte is zeroed by
  // resize() once, right before it is written.
  constexpr size_t kGrow = 64 * 1024;
  char* base = out.data();
  while (pos_ < b.rows && len < limit) {
    if (out.size() - len < b.max_row) {
      out.resize(len + b.max_row + kGrow);
      base = out.data();
    }
    const char* arena = b.arena.data();
    char* p = WriteRow(base + len, &b.cells[pos_ * n], b.types.data(), n, style,
                       [&](size_t i) { return arena + b.cells[pos_ * n + i].off; });
    len = static_cast<size_t>(p - base);
    ++pos_;
    ++rows_;
  }
  out.resize(len);
  first_ = false;
}

void ExportStream::Produce(size_t worker) {
  Cursor& c = *range_cursors_[worker];
  const size_t n = c.columns();
  const RowStyle style{delimiter_, first_column_, excel_vietnamese_};
  std::vector<ColumnType> types(n);
  for (size_t i = 0; i < n; ++i) types[i] = c.type(i);
  std::vector<Batch::Cell> cells(n);
  std::vector<const char*> texts(n, "");
  constexpr size_t kGrow = 64 * 1024;
  for (;;) {
    auto r = std::make_unique<Range>();
    int64_t k = 0;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] {
        return stop_ || next_claim_ >= ranges_ || next_claim_ < next_out_ + kWindow;
      });
      if (stop_ || next_claim_ >= ranges_) return;
      k = next_claim_++;
      if (!spare_.empty()) {
        r->text = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    std::string& text = r->text;
    text.clear();
    size_t len = 0;
    const int64_t first = k * kRangeRows;
    const int64_t last = k + 1 == ranges_ ? INT64_MAX : first + kRangeRows;
    r->status = c.Restart(first, last);
    while (r->status.ok() && c.Next()) {
      // The row's values, then its text straight into the buffer.
      const size_t text_bytes = c.ReadRow(cells.data(), texts.data());
      const size_t bound = RowBound(n, text_bytes);
      if (text.size() - len < bound) text.resize(len + bound + kGrow);
      char* p = WriteRow(text.data() + len, cells.data(), types.data(), n, style,
                         [&](size_t i) { return texts[i]; });
      len = static_cast<size_t>(p - text.data());
      ++r->rows;
    }
    text.resize(len);
    if (r->status.ok()) r->status = c.status();
    {
      std::lock_guard lock(mu_);
      produced_[k] = std::move(r);
    }
    cv_.notify_all();
  }
}

void ExportStream::Read() {
  constexpr size_t kRows = 1024;
  Cursor& c = *cursor_;
  const size_t n = c.columns();
  for (;;) {
    std::unique_ptr<Batch> b = batches_.TakeFree();
    if (!b) return;  // the stream is being destroyed
    b->columns = n;
    b->rows = 0;
    b->max_row = 0;
    b->arena.clear();
    if (b->types.empty()) {
      for (size_t i = 0; i < n; ++i) b->types.push_back(c.type(i));
    }
    b->cells.resize(kRows * n);
    std::vector<const char*> texts(n, "");
    while (b->rows < kRows) {
      if (!c.Next()) {
        b->last = true;
        b->status = c.status();
        break;
      }
      Batch::Cell* row = &b->cells[b->rows * n];
      const size_t arena_before = b->arena.size();
      c.ReadRow(row, texts.data());
      for (size_t i = 0; i < n; ++i) {
        const ColumnType ty = b->types[i];
        if (row[i].null || ty == ColumnType::kInteger || ty == ColumnType::kBoolean ||
            ty == ColumnType::kNumber) {
          continue;  // not text
        }
        row[i].off = static_cast<uint32_t>(b->arena.size());
        b->arena.append(texts[i], row[i].len + 1);  // with the terminating NUL
      }
      b->max_row = std::max(b->max_row, RowBound(n, b->arena.size() - arena_before));
      ++b->rows;
    }
    const bool last = b->last;
    batches_.PushFull(std::move(b));
    if (last) return;
  }
}

ExportStream::ExportStream() : batches_(3) {}

ExportStream::~ExportStream() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  batches_.Close();
  if (reader_.joinable()) reader_.join();
  for (auto& p : producers_) p.join();
}

Result<std::unique_ptr<ExportStream>> ExportStream::Open(const Datastore& ds, const TableInfo& t,
                                                         const Query& q,
                                                         const ExportOptions& options) {
  if (!IsStreamFormat(options.format)) {
    return Status::InvalidArgument(
        "format must be csv, tsv, json, ndjson, geojson, xlsx or datapackage",
        "Định dạng phải là csv, tsv, json, ndjson, geojson, xlsx hoặc datapackage");
  }
  std::unique_ptr<ExportStream> e(new ExportStream());
  e->options_ = options;
  e->fields_.push_back(IdField());
  for (auto& f : SelectedColumns(t, q)) e->fields_.push_back(std::move(f));
  const auto& f = options.format;
  e->kind_ = f == "csv"      ? kCsv
             : f == "tsv"    ? kTsv
             : f == "json"   ? kJson
             : f == "ndjson" ? kNdjson
                             : kGeojson;
  if (options.excel_vietnamese && e->kind_ != kCsv) {
    return Status::InvalidArgument("the Excel (Vietnamese) dialect is for CSV only",
                                   "Kiểu CSV cho Excel tiếng Việt chỉ dùng với định dạng csv");
  }
  e->excel_vietnamese_ = options.excel_vietnamese;
  if (options.excel_vietnamese) e->options_.bom = true;
  e->delimiter_ = e->kind_ == kTsv ? '\t' : options.excel_vietnamese ? ';' : ',';
  e->first_column_ = options.include_id || e->kind_ == kGeojson ? 0 : 1;
  if (e->kind_ == kGeojson) {
    auto at = [&](const std::string& id) {
      for (size_t i = 0; i < e->fields_.size(); ++i) {
        if (e->fields_[i].id == id) return i;
      }
      return size_t{0};
    };
    if (t.latitude.empty()) {
      return Status::InvalidArgument("the table has no latitude and longitude columns",
                                     "Bảng không có cột vĩ độ và kinh độ để tạo GeoJSON");
    }
    e->lat_ = at(t.latitude);
    e->lon_ = at(t.longitude);
    if (e->lat_ == 0 || e->lon_ == 0) {
      return Status::InvalidArgument(
          "GeoJSON needs the columns " + t.latitude + " and " + t.longitude,
          "GeoJSON cần các cột " + t.latitude + " và " + t.longitude);
    }
  }
  if ((e->kind_ == kCsv || e->kind_ == kTsv) && ds.reads_ranges_in_parallel() && q.sort.empty() &&
      q.limit <= 0 && q.offset == 0 && !q.after && !q.id_range) {
    Query ranged = q;
    ranged.id_range.emplace(0, 0);
    for (int w = 0; w < 2; ++w) {
      ODP_ASSIGN_OR_RETURN(auto c, ds.Open(t, ranged));
      e->range_cursors_.push_back(std::move(c));
    }
    // `_id` runs from 1 to the row count; the last range is open-ended all the same.
    e->ranges_ = t.rows / kRangeRows + 1;
  } else {
    ODP_ASSIGN_OR_RETURN(e->cursor_, ds.Open(t, q));
  }
  e->keys_ = JsonKeys(e->fields_);
  return e;
}

int64_t ExportStream::rows() const { return rows_; }

template <typename Row>
void ExportStream::AppendRow(std::string& out, const Row& c) {
  const size_t n = c.columns();
  switch (kind_) {
    case kCsv:
    case kTsv: break;  // written by WriteDelimitedRows
    case kJson:
      out += first_ ? "\n[" : ",\n[";
      for (size_t i = first_column_; i < n; ++i) {
        if (i > first_column_) out += ',';
        AppendJsonValue(out, c, i);
      }
      out += ']';
      break;
    case kNdjson:
      out += '{';
      for (size_t i = first_column_; i < n; ++i) {
        if (i > first_column_) out += ',';
        out += keys_[i];
        AppendJsonValue(out, c, i);
      }
      out += "}\n";
      break;
    case kGeojson:
      // RFC 7946: [longitude, latitude]; a row without both has no geometry.
      out += first_ ? "\n{\"type\":\"Feature\",\"id\":" : ",\n{\"type\":\"Feature\",\"id\":";
      AppendInt(out, c.integer(0));
      if (c.is_null(lat_) || c.is_null(lon_)) {
        out += ",\"geometry\":null";
      } else {
        out += ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[";
        AppendJsonValue(out, c, lon_);
        out += ',';
        AppendJsonValue(out, c, lat_);
        out += "]}";
      }
      out += ",\"properties\":{";
      for (size_t i = 1; i < n; ++i) {
        if (i > 1) out += ',';
        out += keys_[i];
        AppendJsonValue(out, c, i);
      }
      out += "}}";
      break;
  }
  first_ = false;
}

int ExportStream::Next(std::string& out) {
  constexpr size_t kPiece = 1024 * 1024;
  const auto& f = options_.format;
  if (state_ == 0) {
    if (f == "csv" || f == "tsv") {
      const char d = delimiter_;
      if (f == "csv" && options_.bom) out += "\xEF\xBB\xBF";
      for (size_t i = first_column_; i < fields_.size(); ++i) {
        if (i > first_column_) out += d;
        formats::AppendDelimitedCell(out, options_.header_labels ? fields_[i].label : fields_[i].id,
                                     d);
      }
      out += "\r\n";
    } else if (f == "json") {
      // CKAN's dump shape: {"fields": [{"id","type"}…], "records": [[…]…]}.
      out += "{\"fields\":[";
      for (size_t i = first_column_; i < fields_.size(); ++i) {
        if (i > first_column_) out += ',';
        out += "{\"id\":";
        formats::AppendJsonString(out, fields_[i].id);
        out += ",\"type\":\"";
        out += CkanTypeName(fields_[i].type);
        out += "\",\"info\":{\"label\":";
        formats::AppendJsonString(out, fields_[i].label);
        out += "}}";
      }
      out += "],\"records\":[";
    } else if (f == "geojson") {
      out += "{\"type\":\"FeatureCollection\",\"features\":[";
    }
    state_ = 1;
  }
  if (state_ == 1 && !range_cursors_.empty()) {
    if (producers_.empty()) {
      for (size_t w = 0; w < range_cursors_.size(); ++w)
        producers_.emplace_back([this, w] { Produce(w); });
    }
    for (;;) {
      std::unique_ptr<Range> r;
      {
        std::unique_lock lock(mu_);
        if (next_out_ >= ranges_) {
          state_ = 2;
          return 0;
        }
        cv_.wait(lock, [&] { return produced_.count(next_out_) > 0; });
        auto node = produced_.extract(next_out_);
        r = std::move(node.mapped());
        ++next_out_;
      }
      cv_.notify_all();
      if (!r->status.ok()) {
        status_ = r->status;
        return -1;
      }
      rows_ += r->rows;
      const bool had_rows = r->rows > 0;
      if (out.empty()) {
        out.swap(r->text);  // the caller's emptied buffer comes back for another range
      } else {
        out += r->text;
      }
      {
        std::lock_guard lock(mu_);
        if (spare_.size() < static_cast<size_t>(kWindow)) spare_.push_back(std::move(r->text));
      }
      if (had_rows && out.size() >= kPiece / 2) return 1;
    }
  }
  if (state_ == 1) {
    if (!reader_.joinable() && !batch_) reader_ = std::thread([this] { Read(); });
    while (out.size() < kPiece) {
      if (!batch_ || pos_ >= batch_->rows) {
        if (batch_ && batch_->last) {
          if (!batch_->status.ok()) {
            status_ = batch_->status;
            return -1;
          }
          if (f == "json" || f == "geojson") out += "\n]}\n";
          state_ = 2;
          return 0;
        }
        if (batch_) batches_.GiveBack(std::move(batch_));
        batch_ = batches_.TakeFull();  // only the destructor closes the queue
        pos_ = 0;
        continue;
      }
      if (kind_ == kCsv || kind_ == kTsv) {
        WriteDelimitedRows(out, kPiece);
        continue;
      }
      AppendRow(out, BatchRow(*batch_, pos_++));
      ++rows_;
    }
    return 1;
  }
  return 0;
}

Result<int64_t> AppendRecordsJson(const Datastore& ds, const TableInfo& t, const Query& q,
                                  bool objects, std::string& s) {
  std::vector<Field> fields = {IdField()};
  for (auto& f : SelectedColumns(t, q)) fields.push_back(std::move(f));
  const std::vector<std::string> keys = JsonKeys(fields);
  ODP_ASSIGN_OR_RETURN(auto cursor, ds.Open(t, q));
  const size_t n = cursor->columns();
  std::vector<ColumnType> types(n);
  size_t key_bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    types[i] = cursor->type(i);
    if (objects) key_bytes += keys[i].size();
  }
  std::vector<ExportStream::Batch::Cell> cells(n);
  std::vector<const char*> texts(n, "");
  int64_t rows = 0;
  // Each row is written straight into the buffer, which is made big enough for the row first:
  // every value at its longest (a string escaped byte by byte takes six bytes for one).
  const size_t start = s.size();
  size_t len = start;
  s.resize(len + 64 * 1024);
  s[len++] = '[';
  while (cursor->Next()) {
    const size_t text_bytes = cursor->ReadRow(cells.data(), texts.data());
    const size_t bound = key_bytes + n * 34 + 6 * text_bytes + 3;
    if (s.size() - len < bound) s.resize(std::max(2 * s.size(), len + bound));
    char* p = s.data() + len;
    if (rows++) *p++ = ',';
    *p++ = objects ? '{' : '[';
    for (size_t i = 0; i < n; ++i) {
      if (i) *p++ = ',';
      if (objects) {
        std::memcpy(p, keys[i].data(), keys[i].size());
        p += keys[i].size();
      }
      const auto& c = cells[i];
      if (c.null) {
        std::memcpy(p, "null", 4);
        p += 4;
        continue;
      }
      switch (types[i]) {
        case ColumnType::kInteger: p = std::to_chars(p, p + 24, c.i).ptr; break;
        case ColumnType::kNumber: p = formats::WriteShortestNumber(p, c.d); break;
        case ColumnType::kBoolean:
          std::memcpy(p, c.i ? "true" : "false", c.i ? 4 : 5);
          p += c.i ? 4 : 5;
          break;
        default: p = formats::WriteJsonString(p, std::string_view(texts[i], c.len));
      }
    }
    *p++ = objects ? '}' : ']';
    len = static_cast<size_t>(p - s.data());
  }
  if (!cursor->status().ok()) {
    s.resize(start);
    return cursor->status();
  }
  s.resize(len);
  s += ']';
  return rows;
}

Status WriteDataPackage(const Datastore& ds, const TableInfo& t, const Query& q,
                        const std::string& path, nlohmann::json package) {
  ExportOptions csv;
  csv.bom = false;
  csv.header_labels = false;  // the header names the schema's fields
  ODP_ASSIGN_OR_RETURN(auto rows, ExportStream::Open(ds, t, q, csv));
  std::vector<Field> fields = {IdField()};
  for (auto& f : SelectedColumns(t, q)) fields.push_back(std::move(f));
  std::string name = package.value("name", "");
  if (name.empty()) name = t.resource_id;
  nlohmann::json schema_fields = nlohmann::json::array();
  for (const auto& f : fields) {
    nlohmann::json x = {{"name", f.id}, {"title", f.label}, {"type", ToString(f.type)}};
    if (f.type == ColumnType::kDate) x["format"] = "%Y-%m-%d";
    if (!f.description.empty()) x["description"] = f.description;
    if (f.id == "_id") x["constraints"] = {{"required", true}, {"unique", true}};
    schema_fields.push_back(std::move(x));
  }
  nlohmann::json schema = {{"fields", schema_fields}};
  if (!t.primary_key.empty()) schema["primaryKey"] = t.primary_key;
  nlohmann::json resource = {
      {"name", name},
      {"path", name + ".csv"},
      {"profile", "tabular-data-resource"},
      {"format", "csv"},
      {"mediatype", "text/csv"},
      {"encoding", "utf-8"},
      {"dialect", {{"delimiter", ","}, {"lineTerminator", "\r\n"}, {"header", true}}},
      {"schema", schema}};
  if (!t.latitude.empty()) {
    resource["x-geopoint"] = {{"latitude", t.latitude}, {"longitude", t.longitude}};
  }
  package["name"] = name;
  package["profile"] = "tabular-data-package";
  package["resources"] = nlohmann::json::array({resource});

  zipFile zf = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (!zf) return Status::Internal("cannot create " + path);
  Status failed;
  auto add = [&](const std::string& entry, const std::function<Status()>& write) {
    zip_fileinfo info = {};
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    info.tmz_date = {static_cast<uInt>(tm.tm_sec),  static_cast<uInt>(tm.tm_min),
                     static_cast<uInt>(tm.tm_hour), static_cast<uInt>(tm.tm_mday),
                     static_cast<uInt>(tm.tm_mon),  static_cast<uInt>(tm.tm_year + 1900)};
    if (zipOpenNewFileInZip64(zf, entry.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                              6, 1) != ZIP_OK) {
      return Status::Internal("cannot add " + entry + " to " + path);
    }
    Status s = write();
    if (zipCloseFileInZip(zf) != ZIP_OK && s.ok()) s = Status::Internal("cannot write " + path);
    return s;
  };
  auto put = [&](std::string_view bytes) -> Status {
    if (zipWriteInFileInZip(zf, bytes.data(), static_cast<unsigned>(bytes.size())) != ZIP_OK) {
      return Status::Internal("cannot write " + path);
    }
    return Status::Ok();
  };
  failed = add(name + ".csv", [&]() -> Status {
    std::string piece;
    for (;;) {
      piece.clear();
      int more = rows->Next(piece);
      if (more < 0) return rows->status();
      ODP_RETURN_IF_ERROR(put(piece));
      if (more == 0) return Status::Ok();
    }
  });
  if (failed.ok()) failed = add("datapackage.json", [&]() { return put(package.dump(2) + "\n"); });
  if (zipClose(zf, nullptr) != ZIP_OK && failed.ok())
    failed = Status::Internal("cannot write " + path);
  if (!failed.ok()) std::remove(path.c_str());
  return failed;
}

Status WriteXlsx(const Datastore& ds, const TableInfo& t, const Query& q, const std::string& path,
                 const std::string& sheet_name, const ExportOptions& options) {
  ODP_ASSIGN_OR_RETURN(auto cursor, ds.Open(t, q));
  std::vector<Field> fields = {IdField()};
  for (auto& f : SelectedColumns(t, q)) fields.push_back(std::move(f));
  const size_t first = options.include_id ? 0 : 1;
  std::vector<std::string> header;
  for (size_t c = first; c < fields.size(); ++c)
    header.push_back(options.header_labels ? fields[c].label : fields[c].id);
  ODP_ASSIGN_OR_RETURN(auto sheet, formats::XlsxWriter::Create(path, sheet_name, header));
  // "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" as written by the loader.
  auto digits = [](std::string_view s, size_t at, size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  // Each row's cells are read at once (one call per row, as the CSV export reads them), not
  // one virtual call per cell and fact.
  const size_t n = cursor->columns();
  if (n != fields.size())
    return Status::Internal("export: the cursor's columns are not the fields");
  std::vector<RowCell> cells(n);
  std::vector<const char*> texts(n, "");
  while (cursor->Next()) {
    cursor->ReadRow(cells.data(), texts.data());
    ODP_RETURN_IF_ERROR(sheet->BeginRow());
    for (size_t c = first; c < n; ++c) {
      const RowCell& cell = cells[c];
      if (cell.null) {
        sheet->Empty();
        continue;
      }
      switch (fields[c].type) {
        case ColumnType::kInteger: sheet->Integer(cell.i); break;
        case ColumnType::kNumber: sheet->Number(cell.d); break;
        case ColumnType::kBoolean: sheet->Boolean(cell.i != 0); break;
        case ColumnType::kDate:
        case ColumnType::kDatetime: {
          const std::string_view v(texts[c], cell.len);
          int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
          bool date = v.size() >= 10 && v[4] == '-' && v[7] == '-' && digits(v, 0, 4, y) &&
                      digits(v, 5, 2, mo) && digits(v, 8, 2, d) && mo >= 1 && mo <= 12 && d >= 1 &&
                      d <= 31;
          bool time = date && v.size() >= 19 && v[10] == 'T' && digits(v, 11, 2, h) &&
                      digits(v, 14, 2, mi) && digits(v, 17, 2, se);
          if (time) {
            sheet->Datetime(y, mo, d, h, mi, se);
          } else if (date) {
            sheet->Date(y, mo, d);
          } else {
            sheet->Text(v);
          }
          break;
        }
        case ColumnType::kString: sheet->Text(std::string_view(texts[c], cell.len)); break;
      }
    }
    ODP_RETURN_IF_ERROR(sheet->EndRow());
  }
  ODP_RETURN_IF_ERROR(cursor->status());
  return sheet->Finish();
}

}  // namespace odp::datastore

#include "datastore/sources.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <type_traits>

#include "base/ids.h"
#include "datastore/infer.h"
#include "datastore/ingest/wide_to_long.h"
#include "datastore/ingest/workbook_text.h"
#include "datastore/ingest/xls_isolated.h"
#include "formats/csv.h"
#include "formats/json_rows.h"
#include "formats/xlsx.h"
#include "text/legacy.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::datastore {

Source::~Source() {
  rows.reset();
  if (!temp_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(temp_file, ec);
  }
}

std::string SniffFormat(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, sizeof head);
  auto n = in.gcount();
  if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return "xlsx";
  if (n >= 8 && static_cast<unsigned char>(head[0]) == 0xD0 &&
      static_cast<unsigned char>(head[1]) == 0xCF && static_cast<unsigned char>(head[2]) == 0x11 &&
      static_cast<unsigned char>(head[3]) == 0xE0) {
    return "xls";
  }
  // JSON: the first byte that is not white space (after a UTF-8 BOM).
  in.clear();
  in.seekg(0);
  std::string start(4096, '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  start.resize(static_cast<size_t>(in.gcount()));
  size_t i = start.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < start.size() &&
         (start[i] == ' ' || start[i] == '\t' || start[i] == '\r' || start[i] == '\n'))
    ++i;
  if (i < start.size() && start[i] == '[') return "json";
  if (i < start.size() && start[i] == '{') return "ndjson";
  return "csv";
}

namespace {

bool LooksNumeric(std::string_view s);

}  // namespace

size_t NonEmpty(const std::vector<std::string>& row) {
  size_t n = 0;
  for (const auto& f : row) {
    if (!Trim(f).empty()) ++n;
  }
  return n;
}

namespace {

bool LooksNumeric(std::string_view s) {
  s = Trim(s);
  return !s.empty() &&
         (ParseNumber(s, NumberStyle::kVietnamese) || ParseNumber(s, NumberStyle::kInternational));
}

int HeaderLabelsRaw(const std::vector<std::vector<std::string>>& head, size_t h,
                    std::vector<std::string>& labels) {
  labels = head[h];
  if (h + 2 < head.size()) {
    const auto& sub = head[h + 1];
    const auto& data = head[h + 2];
    // The second row is text only, and below it come values with numbers where it has text.
    bool text_only = NonEmpty(sub) > 0;
    bool numbers_below = false;
    bool spans =
        false;  // the first row leaves cells empty (or repeats a merged label) over the second's
    for (size_t c = 0; c < sub.size(); ++c) {
      if (Trim(sub[c]).empty()) continue;
      if (LooksNumeric(sub[c])) text_only = false;
      if (c < data.size() && LooksNumeric(data[c])) numbers_below = true;
      bool empty_above = c >= labels.size() || Trim(labels[c]).empty();
      bool repeated_above =
          c > 0 && c < labels.size() && !Trim(labels[c]).empty() && labels[c] == labels[c - 1];
      // The same sub-label under different group labels ("Diện tích" under "2011", "2012", …):
      // only the two rows together name the columns apart.
      bool repeated_below = c > 0 && c < labels.size() && Trim(sub[c]) == Trim(sub[c - 1]) &&
                            !Trim(labels[c]).empty() && Trim(labels[c]) != Trim(labels[c - 1]);
      if (empty_above || repeated_above || repeated_below) spans = true;
    }
    if (text_only && numbers_below && spans) {
      std::vector<std::string> out(std::max(labels.size(), sub.size()));
      std::string group;
      for (size_t c = 0; c < out.size(); ++c) {
        std::string top = c < labels.size() ? std::string(Trim(labels[c])) : "";
        std::string low = c < sub.size() ? std::string(Trim(sub[c])) : "";
        if (!top.empty()) group = top;
        if (low.empty()) {
          out[c] = top;
          group = top;
        } else if (top.empty() && !group.empty()) {
          out[c] = group + " / " + low;
        } else if (!top.empty() && top != low) {
          out[c] = top + " / " + low;
        } else {
          out[c] = low;
        }
      }
      labels = std::move(out);
      return 2;
    }
  }
  return 1;
}

}  // namespace

size_t DistinctRuns(const std::vector<std::string>& row) {
  size_t n = 0;
  std::string_view left;
  for (const auto& cell : row) {
    std::string_view v = Trim(cell);
    if (!v.empty() && v != left) ++n;
    left = v;
  }
  return n;
}

size_t HeaderIndex(const std::vector<std::vector<std::string>>& head) {
  size_t widest = 0;
  for (const auto& r : head) widest = std::max(widest, NonEmpty(r));
  for (size_t i = 0; i < head.size(); ++i) {
    if (DistinctRuns(head[i]) < std::max<size_t>(1, (widest * 6 + 9) / 10)) continue;
    // A group row just above (years over their items, "2011" over "Diện tích" and "Dân số"):
    // more than one label, spanning the cells below it, the two a header of two rows.
    std::vector<std::string> labels;
    if (i > 0 && DistinctRuns(head[i - 1]) >= 2 && HeaderLabelsRaw(head, i - 1, labels) == 2)
      return i - 1;
    return i;
  }
  return 0;
}

int HeaderLabels(const std::vector<std::vector<std::string>>& head, size_t h,
                 std::vector<std::string>& labels) {
  int n = HeaderLabelsRaw(head, h, labels);
  while (!labels.empty() && Trim(labels.back()).empty()) labels.pop_back();
  for (size_t c = 0; c < labels.size(); ++c) {
    labels[c] = text::Nfc(std::string(Trim(labels[c])));
    if (labels[c].empty()) labels[c] = "Cột " + std::to_string(c + 1);
  }
  return n;
}

namespace {

// Every sheet of a workbook read as one table: each sheet's header found as for a table of its
// own, columns matched by label (their union, in order of first appearance), and a first
// column naming the sheet. Sheets without a header row are left out.
class AllSheets : public formats::RowSource {
 public:
  AllSheets(std::unique_ptr<formats::RowSource> rows, std::function<Status(size_t)> select,
            std::vector<std::string> names, std::string kind)
      : rows_(std::move(rows)),
        select_(std::move(select)),
        names_(std::move(names)),
        kind_(std::move(kind)) {}

  // Reads the first rows of every sheet to find its header.
  Status Prepare() {
    header_ = {"Trang tính"};
    std::map<std::string, size_t> column_of = {{header_[0], 0}};
    for (size_t i = 0; i < names_.size(); ++i) {
      ODP_RETURN_IF_ERROR(select_(i));
      std::vector<std::vector<std::string>> head;
      std::vector<std::string> row;
      while (head.size() < 50 && rows_->Next(row)) head.push_back(row);
      ODP_RETURN_IF_ERROR(rows_->status());
      size_t h = head.empty() ? 0 : HeaderIndex(head);
      std::vector<std::string> labels;
      int header_rows = head.empty() ? 0 : HeaderLabels(head, h, labels);
      if (labels.empty()) {
        const std::string n = std::to_string(i + 1);
        notes_.push_back({0,
                          "Trang tính " + n + " \"" + names_[i] +
                              "\" không được gộp vì không có dòng tiêu đề (trang trống?).",
                          "sheet " + n + " \"" + names_[i] +
                              "\" is not stacked: it has no header row (an empty sheet?)"});
        continue;
      }
      Sheet sheet{i, h + static_cast<size_t>(header_rows), {}, rows_->bytes_total()};
      std::map<std::string, int> seen;  // a label twice in one sheet is two columns
      for (const auto& label : labels) {
        int k = ++seen[label];
        std::string key = k == 1 && label != header_[0]
                              ? label
                              : label + " (" + std::to_string(k + (label == header_[0])) + ")";
        auto [it, added] = column_of.emplace(key, header_.size());
        if (added) header_.push_back(key);
        sheet.column.push_back(it->second);
      }
      total_ += sheet.bytes;
      sheets_.push_back(std::move(sheet));
    }
    if (sheets_.empty())
      return Status::InvalidArgument("no sheet has a header row",
                                     "Không trang tính nào có dòng tiêu đề");
    return Status::Ok();
  }

  bool Next(std::vector<std::string>& cells) override {
    if (!status_.ok()) return false;
    if (!header_sent_) {
      header_sent_ = true;
      cells = header_;
      if (Status s = StartSheet(); !s.ok()) return Fail(s);
      return true;
    }
    while (current_ < sheets_.size()) {
      if (rows_->Next(raw_)) {
        if (to_skip_ > 0) {
          --to_skip_;
          continue;
        }
        if (NonEmpty(raw_) == 0) continue;
        const Sheet& sheet = sheets_[current_];
        cells.assign(header_.size(), std::string());
        cells[0] = names_[sheet.index];
        for (size_t c = 0; c < raw_.size(); ++c) {
          if (c < sheet.column.size()) {
            cells[sheet.column[c]] = std::move(raw_[c]);
          } else if (!raw_[c].empty()) {
            cells.push_back(
                std::move(raw_[c]));  // beyond the sheet's header: reported by the loader
          }
        }
        return true;
      }
      if (!rows_->status().ok()) return Fail(rows_->status());
      done_bytes_ += sheets_[current_].bytes;
      if (++current_ < sheets_.size()) {
        if (Status s = StartSheet(); !s.ok()) return Fail(s);
      }
    }
    return false;
  }
  int64_t line() const override {
    return header_sent_ && current_ < sheets_.size() ? rows_->line() : 0;
  }
  int64_t bytes_read() const override {
    return done_bytes_ + (current_ < sheets_.size() && header_sent_ ? rows_->bytes_read() : 0);
  }
  int64_t bytes_total() const override { return total_; }
  Status status() const override { return status_; }
  Status Rewind() override {
    current_ = 0;
    header_sent_ = false;
    done_bytes_ = 0;
    status_ = Status::Ok();
    return Status::Ok();
  }
  bool typed_numbers() const override { return rows_->typed_numbers(); }
  std::string describe() const override {
    return kind_ + ", " + std::to_string(sheets_.size()) + " sheets";
  }
  // The sheets left out by Prepare(), one note each.
  const std::vector<formats::SourceNote>& notes() const { return notes_; }

 private:
  struct Sheet {
    size_t index;                // into names_
    size_t skip;                 // title and header rows
    std::vector<size_t> column;  // the sheet's column c is the table's column[c]
    int64_t bytes;
  };
  Status StartSheet() {
    ODP_RETURN_IF_ERROR(select_(sheets_[current_].index));
    to_skip_ = sheets_[current_].skip;
    return Status::Ok();
  }
  bool Fail(Status s) {
    status_ = std::move(s);
    return false;
  }

  std::unique_ptr<formats::RowSource> rows_;
  std::function<Status(size_t)> select_;
  std::vector<std::string> names_;
  std::string kind_;
  std::vector<Sheet> sheets_;
  std::vector<std::string> header_;
  std::vector<formats::SourceNote> notes_;
  std::vector<std::string> raw_;
  size_t current_ = 0;
  size_t to_skip_ = 0;
  bool header_sent_ = false;
  int64_t done_bytes_ = 0;
  int64_t total_ = 0;
  Status status_;
};

Status SheetError(size_t index, size_t count) {
  return Status::InvalidArgument("the workbook has no sheet " + std::to_string(index + 1) +
                                     " (it has " + std::to_string(count) + ")",
                                 "Tệp không có trang tính số " + std::to_string(index + 1) +
                                     " (chỉ có " + std::to_string(count) + ")");
}

// The sheets of a workbook other than `read`, each a note for the load's report.
std::vector<formats::SourceNote> SheetsNotRead(const std::vector<std::string>& names, size_t read) {
  std::vector<formats::SourceNote> notes;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i == read) continue;
    const std::string n = std::to_string(i + 1);
    notes.push_back({0,
                     "Trang tính " + n + " \"" + names[i] + "\" không được nạp (chỉ nạp trang " +
                         std::to_string(read + 1) + "); để nạp, chọn trang " + n +
                         " hoặc mọi trang (\"all\").",
                     "sheet " + n + " \"" + names[i] + "\" is not loaded (only sheet " +
                         std::to_string(read + 1) + " is); to load it, choose sheet " + n +
                         " or every sheet (\"all\")"});
  }
  return notes;
}

// Delimited text in another encoding: converted to a UTF-8 copy, read from there.
Result<std::string> Transcode(const std::string& path, text::Encoding enc) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("file", path);
  std::string out_path =
      (std::filesystem::temp_directory_path() / ("odp-utf8-" + NewUuid() + ".csv")).string();
  std::ofstream out(out_path, std::ios::binary);
  if (!out) return Status::Internal("cannot write " + out_path);
  text::Transcoder tc(enc);
  std::string buf(1 << 16, '\0'), converted;
  for (;;) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<size_t>(in.gcount());
    bool last = n < buf.size();
    converted.clear();
    if (Status s = tc.Feed(std::string_view(buf.data(), n), converted, last); !s.ok()) {
      out.close();
      std::filesystem::remove(out_path);
      return s;
    }
    out.write(converted.data(), static_cast<std::streamsize>(converted.size()));
    if (last) break;
  }
  out.close();
  if (!out) return Status::Internal("cannot write " + out_path);
  return out_path;
}

// The rows of a source up to line `last` (the last data row the publisher named): the notes and
// totals below it are not read.
class RowsUpTo : public formats::RowSource {
 public:
  RowsUpTo(std::unique_ptr<formats::RowSource> in, int64_t last)
      : in_(std::move(in)), last_(last) {}
  bool Next(std::vector<std::string>& cells) override {
    if (done_ || !in_->Next(cells)) return false;
    if (in_->line() > last_) {
      done_ = true;
      return false;
    }
    return true;
  }
  int64_t line() const override { return in_->line(); }
  int64_t bytes_read() const override { return in_->bytes_read(); }
  int64_t bytes_total() const override { return in_->bytes_total(); }
  Status status() const override { return in_->status(); }
  Status Rewind() override {
    done_ = false;
    return in_->Rewind();
  }
  bool typed_numbers() const override { return in_->typed_numbers(); }
  std::string describe() const override { return in_->describe(); }

 private:
  std::unique_ptr<formats::RowSource> in_;
  int64_t last_;
  bool done_ = false;
};

Result<Source> OpenWhole(const std::string& path, const LoadOptions& options,
                         const formats::ReadLimits& limits);

}  // namespace

Result<std::vector<std::string>> SheetNames(const std::string& path,
                                            const formats::ReadLimits& limits) {
  const std::string format = SniffFormat(path);
  if (format == "xlsx") {
    ODP_ASSIGN_OR_RETURN(auto book, formats::XlsxReader::Open(path, limits));
    return book->sheet_names();
  }
  if (format == "xls") {
    ODP_ASSIGN_OR_RETURN(auto book, ingest::XlsDump::Open(path, limits));
    return book->sheet_names();
  }
  return std::vector<std::string>{};
}

Result<Source> OpenSource(const std::string& path, const LoadOptions& options,
                          const formats::ReadLimits& limits) {
  ODP_ASSIGN_OR_RETURN(Source src, OpenWhole(path, options, limits));
  if (options.last_row > 0 && !options.all_sheets) {
    src.rows = std::make_unique<RowsUpTo>(std::move(src.rows), options.last_row);
  }
  if (options.wide_to_long > 0) {
    LoadOptions where = options;
    if (options.all_sheets) where.header_row = where.first_row = where.last_row = 0;
    ODP_ASSIGN_OR_RETURN(auto wide, ingest::WideToLongRows::Open(std::move(src.rows), where));
    Source::Pivot pivot;
    pivot.header_line = wide->header_line();
    pivot.caption = wide->title_rows();
    pivot.keys = wide->key_labels();
    pivot.columns = wide->year_labels();
    pivot.rows = wide.get();
    src.pivot = std::move(pivot);
    src.rows = std::move(wide);
  }
  return src;
}

namespace {

Result<Source> OpenWhole(const std::string& path, const LoadOptions& options,
                         const formats::ReadLimits& limits) {
  Source src;
  src.format = options.format.empty() ? SniffFormat(path) : options.format;
  size_t sheet = options.sheet < 0 ? 0 : static_cast<size_t>(options.sheet);
  if (src.format == "csv" || src.format == "tsv" || src.format == "txt") {
    char delim = src.format == "tsv" ? '\t' : 0;
    src.format = "csv";
    text::Encoding enc = text::Encoding::kUtf8;
    if (!options.encoding.empty() && options.encoding != "auto") {
      auto named = text::ParseEncodingName(options.encoding);
      if (!named) {
        return Status::InvalidArgument("unknown encoding: " + options.encoding,
                                       "Bảng mã không được hỗ trợ: " + options.encoding +
                                           " (UTF-8, UTF-16, Windows-1258, TCVN3, VNI, VISCII)");
      }
      enc = *named;
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) return Status::NotFound("file", path);
      std::string sample(65536, '\0');
      in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
      sample.resize(static_cast<size_t>(in.gcount()));
      enc = text::DetectEncoding(sample);
    }
    src.encoding = text::EncodingName(enc);
    std::string readable = path;
    if (enc != text::Encoding::kUtf8) {
      ODP_ASSIGN_OR_RETURN(src.temp_file, Transcode(path, enc));
      readable = src.temp_file;
    }
    ODP_ASSIGN_OR_RETURN(auto csv, formats::CsvFileSource::Open(readable, delim, limits));
    src.delimiter = csv->delimiter();
    src.rows = std::move(csv);
    return src;
  }
  if (src.format == "xlsx" || src.format == "xls") {
    ODP_ASSIGN_OR_RETURN(ingest::WorkbookTextMode mode,
                         ingest::WorkbookTextModeFor(options.encoding));
    if (mode.kind == ingest::WorkbookTextMode::Kind::kForce)
      src.encoding = text::EncodingName(mode.forced);
    if (mode.kind == ingest::WorkbookTextMode::Kind::kOff)
      src.encoding = text::EncodingName(text::Encoding::kUtf8);
    src.workbook_notes = std::make_shared<ingest::WorkbookNotes>();
    // The reader, the workbook's own handle on it (to select sheets), and what the text
    // decoding needs to know about each row.
    auto wrap = [&](auto book) -> Result<std::unique_ptr<formats::RowSource>> {
      auto* raw = book.get();
      const std::vector<std::string> names = raw->sheet_names();
      ingest::WorkbookText::Cells cells;
      cells.fonts = [raw]() -> const std::vector<std::string>& { return raw->fonts(); };
      cells.default_font = [raw]() -> const std::string& { return raw->default_font(); };
      cells.sheet = [raw]() { return raw->sheet_names()[raw->selected_sheet()]; };
      // Formula errors, by cell, from both readers (XLS's through the isolated dump).
      cells.errors = [raw]() -> const std::vector<std::string>* { return &raw->errors(); };
      const std::string kind = src.format == "xlsx" ? "XLSX" : "XLS";
      auto text = std::make_unique<ingest::WorkbookText>(std::move(book), std::move(cells), mode,
                                                         src.workbook_notes);
      if (options.all_sheets) {
        auto all = std::make_unique<AllSheets>(
            std::move(text), [raw](size_t i) { return raw->SelectSheet(i); }, names, kind);
        ODP_RETURN_IF_ERROR(all->Prepare());
        src.notes = all->notes();
        return std::unique_ptr<formats::RowSource>(std::move(all));
      }
      if (sheet >= names.size()) return SheetError(sheet, names.size());
      if (sheet != 0) ODP_RETURN_IF_ERROR(raw->SelectSheet(sheet));
      src.notes = SheetsNotRead(names, sheet);
      return std::unique_ptr<formats::RowSource>(std::move(text));
    };
    if (src.format == "xlsx") {
      ODP_ASSIGN_OR_RETURN(auto book, formats::XlsxReader::Open(path, limits));
      ODP_ASSIGN_OR_RETURN(src.rows, wrap(std::move(book)));
    } else {
      ODP_ASSIGN_OR_RETURN(auto book, ingest::XlsDump::Open(path, limits));
      ODP_ASSIGN_OR_RETURN(src.rows, wrap(std::move(book)));
    }
    return src;
  }
  if (src.format == "json" || src.format == "ndjson") {
    ODP_ASSIGN_OR_RETURN(auto records,
                         formats::JsonRowsReader::Open(path, limits, options.records));
    // The first bytes cannot tell one object from NDJSON; the reader can.
    src.format = records->kind() == formats::JsonRowsReader::Kind::kLines ? "ndjson" : "json";
    src.notes = records->left_out();
    src.rows = std::move(records);
    return src;
  }
  return Status::InvalidArgument(
      "unsupported format: " + src.format,
      "Định dạng chưa được hỗ trợ: " + src.format + " (CSV, TSV, XLSX, XLS, JSON, NDJSON)");
}

}  // namespace

}  // namespace odp::datastore

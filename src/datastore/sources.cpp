#include "datastore/sources.h"

#include <filesystem>
#include <fstream>

#include "base/ids.h"
#include "formats/csv.h"
#include "formats/json_rows.h"
#include "formats/xls.h"
#include "formats/xlsx.h"
#include "text/legacy.h"

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
  if (n >= 8 && static_cast<unsigned char>(head[0]) == 0xD0 && static_cast<unsigned char>(head[1]) == 0xCF &&
      static_cast<unsigned char>(head[2]) == 0x11 && static_cast<unsigned char>(head[3]) == 0xE0) {
    return "xls";
  }
  // JSON: the first byte that is not white space (after a UTF-8 BOM).
  in.clear();
  in.seekg(0);
  std::string start(4096, '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  start.resize(static_cast<size_t>(in.gcount()));
  size_t i = start.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (i < start.size() && (start[i] == ' ' || start[i] == '\t' || start[i] == '\r' || start[i] == '\n')) ++i;
  if (i < start.size() && start[i] == '[') return "json";
  if (i < start.size() && start[i] == '{') return "ndjson";
  return "csv";
}

namespace {

// A workbook's text shown through a legacy Vietnamese font (".VnTime": TCVN3, "VNI-Times":
// VNI) is that encoding's bytes stored as Latin-1 letters: decoded back here, cell by cell.
class LegacyFontFix : public formats::RowSource {
 public:
  explicit LegacyFontFix(std::unique_ptr<formats::XlsxReader> in) : in_(std::move(in)) {}
  bool Next(std::vector<std::string>& cells) override {
    if (!in_->Next(cells)) return false;
    const auto& fonts = in_->fonts();
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      const std::string& font = c < fonts.size() && !fonts[c].empty() ? fonts[c] : in_->default_font();
      bool upper = false;
      if (auto enc = text::EncodingOfFont(font, &upper)) {
        cells[c] = text::FromLegacyFontText(cells[c], *enc, upper);
        ++fixed_;
      }
    }
    return true;
  }
  int64_t line() const override { return in_->line(); }
  int64_t bytes_read() const override { return in_->bytes_read(); }
  int64_t bytes_total() const override { return in_->bytes_total(); }
  Status status() const override { return in_->status(); }
  Status Rewind() override { return in_->Rewind(); }
  bool typed_numbers() const override { return true; }
  std::string describe() const override { return in_->describe(); }

 private:
  std::unique_ptr<formats::XlsxReader> in_;
  int64_t fixed_ = 0;
};

Status SheetError(size_t index, size_t count) {
  return Status::InvalidArgument(
      "the workbook has no sheet " + std::to_string(index + 1) + " (it has " + std::to_string(count) + ")",
      "Tệp không có trang tính số " + std::to_string(index + 1) + " (chỉ có " + std::to_string(count) + ")");
}

// Delimited text in another encoding: converted to a UTF-8 copy, read from there.
Result<std::string> Transcode(const std::string& path, text::Encoding enc) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("file", path);
  std::string out_path = (std::filesystem::temp_directory_path() / ("odp-utf8-" + NewUuid() + ".csv")).string();
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

}  // namespace

Result<Source> OpenSource(const std::string& path, const LoadOptions& options, const formats::ReadLimits& limits) {
  Source src;
  src.format = options.format.empty() ? SniffFormat(path) : options.format;
  size_t sheet = options.sheet < 0 ? 0 : static_cast<size_t>(options.sheet);
  if (src.format == "csv" || src.format == "tsv" || src.format == "txt") {
    char delim = src.format == "tsv" ? '\t' : 0;
    src.format = "csv";
    text::Encoding enc = text::Encoding::kUtf8;
    if (!options.encoding.empty()) {
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
  if (src.format == "xlsx") {
    ODP_ASSIGN_OR_RETURN(auto book, formats::XlsxReader::Open(path, limits));
    if (sheet >= book->sheet_names().size()) return SheetError(sheet, book->sheet_names().size());
    if (sheet != 0) ODP_RETURN_IF_ERROR(book->SelectSheet(sheet));
    src.rows = std::make_unique<LegacyFontFix>(std::move(book));
    return src;
  }
  if (src.format == "xls") {
    ODP_ASSIGN_OR_RETURN(auto book, formats::XlsReader::Open(path, limits));
    if (sheet >= book->sheet_names().size()) return SheetError(sheet, book->sheet_names().size());
    if (sheet != 0) ODP_RETURN_IF_ERROR(book->SelectSheet(sheet));
    src.rows = std::move(book);
    return src;
  }
  if (src.format == "json" || src.format == "ndjson") {
    ODP_ASSIGN_OR_RETURN(auto records, formats::JsonRowsReader::Open(path, limits));
    src.rows = std::move(records);
    return src;
  }
  return Status::InvalidArgument("unsupported format: " + src.format,
                                 "Định dạng chưa được hỗ trợ: " + src.format +
                                     " (CSV, TSV, XLSX, XLS, JSON, NDJSON)");
}

}  // namespace odp::datastore

#include "datastore/sources.h"

#include <filesystem>
#include <fstream>

#include "base/ids.h"
#include "formats/csv.h"

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

Result<Source> OpenSource(const std::string& path, const LoadOptions& options, const formats::ReadLimits& limits) {
  Source src;
  src.format = options.format.empty() ? SniffFormat(path) : options.format;
  if (src.format == "csv" || src.format == "tsv" || src.format == "txt") {
    char delim = src.format == "tsv" ? '\t' : 0;
    src.format = "csv";
    src.encoding = "UTF-8";
    ODP_ASSIGN_OR_RETURN(auto csv, formats::CsvFileSource::Open(path, delim, limits));
    src.delimiter = csv->delimiter();
    src.rows = std::move(csv);
    return src;
  }
  return Status::InvalidArgument("unsupported format: " + src.format,
                                 "Định dạng chưa được hỗ trợ: " + src.format);
}

}  // namespace odp::datastore

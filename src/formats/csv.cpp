#include "formats/csv.h"

#include <filesystem>
#include <map>

namespace odp::formats {

char DetectDelimiter(std::string_view sample) {
  const char candidates[] = {',', ';', '\t', '|'};
  char best = ',';
  int best_score = 0;
  for (char d : candidates) {
    // Fields per line (outside quotes), for the complete lines of the sample.
    std::map<int, int> lines_with;  // field count -> lines
    int fields = 1;
    bool quoted = false;
    bool any = false;
    for (size_t i = 0; i < sample.size(); ++i) {
      char c = sample[i];
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == d) {
        ++fields;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        if (c == '\r' && i + 1 < sample.size() && sample[i + 1] == '\n') ++i;
        if (fields > 1) ++lines_with[fields];
        any = true;
        fields = 1;
      }
    }
    if (!any && fields > 1) ++lines_with[fields];
    int score = 0;
    // Many lines agreeing on many fields: decimal commas ("7,5") split a line in two, a real
    // delimiter into as many fields as the header has.
    for (const auto& [count, lines] : lines_with) score = std::max(score, lines * (count - 1));
    if (score > best_score) {
      best_score = score;
      best = d;
    }
  }
  return best;
}

CsvReader::CsvReader(std::istream& in, char delimiter) : in_(in), delim_(delimiter) {}

int CsvReader::Get() {
  if (pending_ >= 0) {
    int c = pending_;
    pending_ = -1;
    return c;
  }
  if (buf_pos_ == buf_len_) {
    in_.read(buf_, sizeof buf_);
    buf_len_ = static_cast<size_t>(in_.gcount());
    buf_pos_ = 0;
    if (buf_len_ == 0) return -1;
  }
  ++bytes_;
  return static_cast<unsigned char>(buf_[buf_pos_++]);
}

void CsvReader::Unget(int c) { pending_ = c; }

bool CsvReader::Next(std::vector<std::string>& fields) {
  fields.clear();
  unterminated_ = false;
  if (!started_) {
    started_ = true;
    // Drop a UTF-8 byte-order mark.
    int a = Get();
    if (a == 0xEF) {
      int b = Get();
      int c = Get();
      if (!(b == 0xBB && c == 0xBF)) {
        // Not a BOM: keep the bytes as the start of the first field.
        std::string start(1, static_cast<char>(a));
        if (b >= 0) start += static_cast<char>(b);
        if (c >= 0) Unget(c);
        fields.push_back(start);
      }
    } else if (a >= 0) {
      Unget(a);
    }
  }
  int c = Get();
  if (c < 0 && fields.empty()) return false;
  record_line_ = line_;
  std::string field = fields.empty() ? std::string() : std::move(fields.back());
  if (!fields.empty()) fields.pop_back();
  bool quoted = false;
  bool was_quoted = false;
  for (;; c = Get()) {
    if (c < 0) {
      if (quoted) unterminated_ = true;
      fields.push_back(std::move(field));
      return true;
    }
    if (quoted) {
      if (c == '"') {
        int n = Get();
        if (n == '"') {
          field += '"';
        } else {
          quoted = false;
          if (n >= 0) Unget(n);
        }
      } else {
        if (c == '\n') ++line_;
        field += static_cast<char>(c);
        CopyRun(field, true);
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else if (c == delim_) {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r') {
        int n = Get();
        if (n != '\n' && n >= 0) Unget(n);
      }
      ++line_;
      fields.push_back(std::move(field));
      return true;
    } else {
      field += static_cast<char>(c);
      CopyRun(field, false);
    }
  }
}

void CsvReader::CopyRun(std::string& field, bool quoted) {
  if (pending_ >= 0) return;
  size_t end = buf_pos_;
  if (quoted) {
    while (end < buf_len_ && buf_[end] != '"' && buf_[end] != '\n') ++end;
  } else {
    while (end < buf_len_) {
      char ch = buf_[end];
      if (ch == delim_ || ch == '\n' || ch == '\r' || ch == '"') break;
      ++end;
    }
  }
  field.append(buf_ + buf_pos_, end - buf_pos_);
  bytes_ += static_cast<int64_t>(end - buf_pos_);
  buf_pos_ = end;
}

Result<std::unique_ptr<CsvFileSource>> CsvFileSource::Open(const std::string& path, char delimiter,
                                                           ReadLimits limits) {
  std::unique_ptr<CsvFileSource> src(new CsvFileSource());
  src->path_ = path;
  src->limits_ = limits;
  src->in_.open(path, std::ios::binary);
  if (!src->in_) return Status::NotFound("file", path);
  std::error_code ec;
  src->size_ = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (delimiter == 0) {
    std::string sample(65536, '\0');
    src->in_.read(sample.data(), static_cast<std::streamsize>(sample.size()));
    sample.resize(static_cast<size_t>(src->in_.gcount()));
    delimiter = DetectDelimiter(sample);
  }
  src->delim_ = delimiter;
  ODP_RETURN_IF_ERROR(src->Rewind());
  return src;
}

Status CsvFileSource::Rewind() {
  in_.clear();
  in_.seekg(0);
  if (!in_) return Status::Internal("cannot rewind " + path_);
  reader_ = std::make_unique<CsvReader>(in_, delim_);
  rows_ = 0;
  status_ = Status::Ok();
  return Status::Ok();
}

bool CsvFileSource::Next(std::vector<std::string>& cells) {
  if (!status_.ok() || !reader_->Next(cells)) return false;
  const std::string where_vi = "dòng " + std::to_string(reader_->line());
  const std::string where_en = "line " + std::to_string(reader_->line());
  if (++rows_ > limits_.max_rows) {
    status_ = Status::ResourceExhausted(
        "more than " + std::to_string(limits_.max_rows) + " rows (" + where_en + ")",
        "Tệp có quá " + std::to_string(limits_.max_rows) + " dòng (" + where_vi + ")");
    return false;
  }
  if (static_cast<int64_t>(cells.size()) > limits_.max_columns) {
    status_ = Status::ResourceExhausted(
        "more than " + std::to_string(limits_.max_columns) + " columns (" + where_en + ")",
        "Tệp có quá " + std::to_string(limits_.max_columns) + " cột (" + where_vi + ")");
    return false;
  }
  for (size_t c = 0; c < cells.size(); ++c) {
    if (static_cast<int64_t>(cells[c].size()) > limits_.max_cell_bytes) {
      status_ = Status::ResourceExhausted(
          "a cell longer than " + std::to_string(limits_.max_cell_bytes) + " bytes (" + where_en +
              ", column " + std::to_string(c + 1) + ")",
          "Ô dài quá " + std::to_string(limits_.max_cell_bytes) + " byte (" + where_vi + ", cột " +
              std::to_string(c + 1) + ")");
      return false;
    }
  }
  return true;
}

std::string CsvFileSource::describe() const {
  switch (delim_) {
    case '\t': return "TSV";
    case ',': return "CSV";
    default: return std::string("CSV ") + delim_;
  }
}

}  // namespace odp::formats

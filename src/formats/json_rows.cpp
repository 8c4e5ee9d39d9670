#include "formats/json_rows.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string_view>
#include <utility>

#include "formats/text_writers.h"
#include "text/utf8.h"

namespace odp::formats {
namespace {

constexpr size_t kBufferSize = 1 << 16;
// Deeper nesting than this inside one value is refused, which bounds the parser's stack.
constexpr int kMaxDepth = 128;

// A problem in two languages.
struct Problem {
  std::string en;
  std::string vi;
};

// How a byte met where it does not belong is named in a message.
Problem DescribeByte(int c) {
  if (c < 0) return {"the end of the file", "cuối tệp"};
  if (c >= 0x21 && c < 0x7F) {
    std::string quoted = "'?'";
    quoted[1] = static_cast<char>(c);
    return {quoted, quoted};
  }
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%02X", c);
  return {std::string("byte ") + hex, std::string("byte ") + hex};
}

Problem Unexpected(int c, const std::string& expected_en, const std::string& expected_vi) {
  Problem got = DescribeByte(c);
  return {expected_en + ", found " + got.en, expected_vi + ", nhưng gặp " + got.vi};
}

// The characters that JSON writes as a backslash and a letter, and those letters.
constexpr std::string_view kEscaped = "\"\\/\b\f\n\r\t";
constexpr std::string_view kEscapeLetters = "\"\\/bfnrt";

bool IsDigit(int c) { return c >= '0' && c <= '9'; }

// RFC 8259's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace

// A pull tokenizer over the stream: bytes through a 64 KB buffer, with the line and column of
// the next one. Its Parse functions read one JSON value each; on a malformed one they return
// false and error() says what and where.
class JsonRowsReader::Scanner {
 public:
  struct Position {
    int64_t line = 1;
    int64_t column = 1;
  };
  struct Error {
    Position at;
    Problem problem;
    bool syntax = true;  // false: a limit, not malformed JSON
  };

  Scanner(std::istream& in, int64_t max_value_bytes)
      : in_(in), max_value_bytes_(max_value_bytes), buf_(std::make_unique<char[]>(kBufferSize)) {}

  // Back to the start of the stream, past a UTF-8 byte-order mark. False if the stream cannot
  // seek.
  bool Restart() {
    in_.clear();
    in_.seekg(0);
    if (!in_) return false;
    pos_ = len_ = 0;
    offset_ = 0;
    at_ = Position{};
    if (Peek() == 0xEF && len_ - pos_ >= 3 && static_cast<unsigned char>(buf_[pos_ + 1]) == 0xBB &&
        static_cast<unsigned char>(buf_[pos_ + 2]) == 0xBF) {
      pos_ += 3;
      offset_ += 3;
    }
    return true;
  }

  Position position() const { return at_; }
  int64_t offset() const { return offset_; }

  // A place to come back to with Seek() (within the same pass).
  struct Mark {
    int64_t offset = 0;
    Position at;
  };
  Mark mark() const { return {offset_, at_}; }
  // Back (or on) to `m`: within the buffer when it still holds it, else through the stream.
  bool Seek(const Mark& m) {
    const int64_t buffer_start = offset_ - static_cast<int64_t>(pos_);
    if (m.offset >= buffer_start && m.offset <= buffer_start + static_cast<int64_t>(len_)) {
      pos_ = static_cast<size_t>(m.offset - buffer_start);
    } else {
      in_.clear();
      in_.seekg(m.offset);
      if (!in_) return false;
      pos_ = len_ = 0;
    }
    offset_ = m.offset;
    at_ = m.at;
    return true;
  }

  // Consumes the next value, checking it, without keeping it. `depth` counts the arrays and
  // objects around it.
  bool SkipValue(int depth = 1) {
    int c = Peek();
    if (c == '"') return ParseString(scratch_);
    if (c != '{' && c != '[') return ParseScalar(scratch_);
    if (depth > kMaxDepth) {
      return FailHere({"values nested more than " + std::to_string(kMaxDepth) + " levels deep",
                       "giá trị lồng nhau quá " + std::to_string(kMaxDepth) + " cấp"});
    }
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    Get();
    if (SkipSpace() == close) {
      Get();
      return true;
    }
    for (;;) {
      if (object) {
        if (Peek() != '"') {
          return FailHere(Unexpected(Peek(), "expected a field name in double quotes",
                                     "thiếu tên trường trong dấu nháy kép"));
        }
        if (!ParseString(scratch_)) return false;
        if (SkipSpace() != ':') {
          return FailHere(Unexpected(Peek(), "expected ':' after the field name",
                                     "thiếu dấu ':' sau tên trường"));
        }
        Get();
        SkipSpace();
      }
      if (!SkipValue(depth + 1)) return false;
      c = SkipSpace();
      if (c == ',') {
        Get();
        SkipSpace();
      } else if (c == close) {
        Get();
        return true;
      } else {
        return FailHere(object ? Unexpected(c, "expected ',' or '}'", "thiếu dấu ',' hoặc '}'")
                               : Unexpected(c, "expected ',' or ']'", "thiếu dấu ',' hoặc ']'"));
      }
    }
  }

  // A field name and its ':' (the next byte is the name's opening quote or not: then an
  // error), leaving the scanner at the value.
  bool ParseKey(std::string& key) {
    if (Peek() != '"') {
      return FailHere(Unexpected(Peek(), "expected a field name in double quotes",
                                 "thiếu tên trường trong dấu nháy kép"));
    }
    if (!ParseString(key)) return false;
    if (SkipSpace() != ':') {
      return FailHere(
          Unexpected(Peek(), "expected ':' after the field name", "thiếu dấu ':' sau tên trường"));
    }
    Get();
    SkipSpace();
    return true;
  }
  const Error& error() const { return error_; }

  // The next byte without consuming it; -1 at the end.
  int Peek() {
    if (pos_ == len_ && !Fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }

  int Get() {
    int c = Peek();
    if (c < 0) return c;
    ++pos_;
    ++offset_;
    if (c == '\n') {
      ++at_.line;
      at_.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++at_.column;
    }
    return c;
  }

  // Skips JSON whitespace; returns the next byte (not consumed), -1 at the end.
  int SkipSpace() {
    for (;;) {
      int c = Peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c;
      Get();
    }
  }

  // Records a problem at `at`; returns false.
  bool Fail(Position at, Problem problem, bool syntax = true) {
    error_ = Error{at, std::move(problem), syntax};
    return false;
  }
  bool FailHere(Problem problem) { return Fail(at_, std::move(problem)); }

  // A value as a cell's text (see the header): strings decoded, numbers as written,
  // true/false, null as "", arrays and objects as compact JSON.
  bool ParseCell(std::string& out) {
    out.clear();
    int c = Peek();
    if (c == '"') return ParseString(out);
    if (c == '{' || c == '[') return AppendCompact(out, 1, at_);
    if (!ParseScalar(out)) return false;
    if (out == "null") out.clear();
    return true;
  }

  // A string (the next byte is its opening quote), decoded into `out`.
  bool ParseString(std::string& out) {
    out.clear();
    const Position start = at_;
    Get();  // '"'
    for (;;) {
      // The common case: a run of plain ASCII straight from the buffer.
      size_t run = pos_;
      while (run < len_) {
        const auto b = static_cast<unsigned char>(buf_[run]);
        if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
        ++run;
      }
      out.append(buf_.get() + pos_, run - pos_);
      at_.column += static_cast<int64_t>(run - pos_);
      offset_ += static_cast<int64_t>(run - pos_);
      pos_ = run;
      if (!CheckLength(out, start)) return false;

      const Position here = at_;
      int c = Get();
      if (c < 0) {
        return Fail(start, {"the string is not closed with '\"'",
                            "chuỗi chưa được đóng bằng dấu nháy kép '\"'"});
      }
      if (c == '"') return true;
      if (c == '\\') {
        if (!ParseEscape(out, here)) return false;
      } else if (c < 0x20) {
        return Fail(here, {"a control character (such as a line break) inside a string",
                           "chuỗi chứa ký tự điều khiển (như xuống dòng) chưa được thoát"});
      } else if (c >= 0x80) {
        if (!CopyUtf8(out, c, here)) return false;
      } else {
        out += static_cast<char>(c);
      }
    }
  }

 private:
  bool Fill() {
    if (!in_) return false;
    in_.read(buf_.get(), kBufferSize);
    len_ = static_cast<size_t>(in_.gcount());
    pos_ = 0;
    return len_ > 0;
  }

  bool CheckLength(const std::string& out, Position start) {
    if (static_cast<int64_t>(out.size()) <= max_value_bytes_) return true;
    const std::string limit = std::to_string(max_value_bytes_);
    return Fail(start,
                {"a value longer than " + limit + " bytes", "giá trị dài quá " + limit + " byte"},
                /*syntax=*/false);
  }

  // A number or true/false/null, as written.
 public:
  bool ParseScalar(std::string& out) {
    int c = Peek();
    if (c == '-' || IsDigit(c)) return ParseNumber(out);
    if (c == 't' || c == 'f' || c == 'n') return ParseLiteral(out);
    return FailHere(Unexpected(c, "expected a value", "thiếu giá trị"));
  }

 private:
  bool ParseNumber(std::string& out) {
    const Position start = at_;
    out.clear();
    for (int c = Peek(); IsDigit(c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
         c = Peek()) {
      out += static_cast<char>(Get());
      if (!CheckLength(out, start)) return false;
    }
    if (!IsJsonNumber(out)) {
      return Fail(start, {"invalid number '" + out + "'", "số không hợp lệ '" + out + "'"});
    }
    return true;
  }

  bool ParseLiteral(std::string& out) {
    const Position start = at_;
    out.clear();
    for (int c = Peek(); c >= 'a' && c <= 'z' && out.size() < 6; c = Peek()) {
      out += static_cast<char>(Get());
    }
    if (out != "true" && out != "false" && out != "null") {
      return Fail(start, {"expected a value, found '" + out + "'",
                          "thiếu giá trị, nhưng gặp '" + out + "'"});
    }
    return true;
  }

  // After a backslash at `at`.
  bool ParseEscape(std::string& out, Position at) {
    int c = Get();
    if (c != 'u') {
      const size_t letter =
          c < 0 ? std::string_view::npos : kEscapeLetters.find(static_cast<char>(c));
      if (letter == std::string_view::npos) {
        Problem got = DescribeByte(c);
        return Fail(at, {"invalid escape \\" + got.en + " in a string",
                         "chuỗi có ký tự thoát không hợp lệ \\" + got.vi});
      }
      out += kEscaped[letter];
      return true;
    }
    uint32_t unit = 0;
    if (!ReadHex4(unit, at)) return false;
    for (;;) {
      if (unit < 0xD800 || unit > 0xDFFF) {
        text::AppendUtf8(out, unit);
        return true;
      }
      if (unit >= 0xDC00) {  // a low surrogate with no high one before it
        text::AppendUtf8(out, 0xFFFD);
        return true;
      }
      // A high surrogate: a low one should follow as another \u escape.
      if (Peek() != '\\') {
        text::AppendUtf8(out, 0xFFFD);
        return true;
      }
      const Position next = at_;
      Get();
      if (Peek() != 'u') {
        text::AppendUtf8(out, 0xFFFD);
        return ParseEscape(out, next);
      }
      Get();
      uint32_t low = 0;
      if (!ReadHex4(low, next)) return false;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        text::AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        return true;
      }
      text::AppendUtf8(out, 0xFFFD);
      unit = low;
    }
  }

  bool ReadHex4(uint32_t& unit, Position at) {
    unit = 0;
    for (int i = 0; i < 4; ++i) {
      int c = Get();
      int digit = IsDigit(c)               ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
      if (digit < 0) {
        return Fail(at, {"\\u must be followed by four hexadecimal digits",
                         "sau \\u phải có bốn chữ số thập lục phân"});
      }
      unit = unit * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  // Copies one UTF-8 encoded character whose first byte `lead` was read at `at`, checking it.
  bool CopyUtf8(std::string& out, int lead, Position at) {
    int more = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      more = 1, cp = static_cast<uint32_t>(lead & 0x1F), min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      more = 2, cp = static_cast<uint32_t>(lead & 0x0F), min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      more = 3, cp = static_cast<uint32_t>(lead & 0x07), min = 0x10000;
    } else {
      return FailUtf8(at);
    }
    const size_t start = out.size();
    out += static_cast<char>(lead);
    for (int i = 0; i < more; ++i) {
      int c = Peek();
      if (c < 0 || (c & 0xC0) != 0x80) return FailUtf8(at);
      Get();
      out += static_cast<char>(c);
      cp = (cp << 6) | static_cast<uint32_t>(c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.resize(start);
      return FailUtf8(at);
    }
    return true;
  }

  bool FailUtf8(Position at) {
    return Fail(at, {"text that is not valid UTF-8 (save the file as UTF-8)",
                     "văn bản không phải UTF-8 hợp lệ (hãy lưu tệp với bảng mã UTF-8)"});
  }

  // Appends the next value as compact JSON; `depth` counts the arrays and objects around it,
  // `start` is where the cell's value starts (for the length limit's message).
  bool AppendCompact(std::string& out, int depth, Position start) {
    int c = Peek();
    if (c == '"') {
      if (!ParseString(scratch_)) return false;
      AppendJsonString(out, scratch_);
      return CheckLength(out, start);
    }
    if (c != '{' && c != '[') {
      if (!ParseScalar(scratch_)) return false;
      out += scratch_;
      return CheckLength(out, start);
    }
    if (depth > kMaxDepth) {
      return FailHere({"values nested more than " + std::to_string(kMaxDepth) + " levels deep",
                       "giá trị lồng nhau quá " + std::to_string(kMaxDepth) + " cấp"});
    }
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    out += static_cast<char>(Get());
    if (SkipSpace() == close) {
      out += static_cast<char>(Get());
      return true;
    }
    for (;;) {
      if (object) {
        if (Peek() != '"') {
          return FailHere(Unexpected(Peek(), "expected a field name in double quotes",
                                     "thiếu tên trường trong dấu nháy kép"));
        }
        if (!ParseString(scratch_)) return false;
        AppendJsonString(out, scratch_);
        if (SkipSpace() != ':') {
          return FailHere(Unexpected(Peek(), "expected ':' after the field name",
                                     "thiếu dấu ':' sau tên trường"));
        }
        out += static_cast<char>(Get());
        SkipSpace();
      }
      if (!AppendCompact(out, depth + 1, start)) return false;
      c = SkipSpace();
      if (c == ',') {
        out += static_cast<char>(Get());
        SkipSpace();
      } else if (c == close) {
        out += static_cast<char>(Get());
        return CheckLength(out, start);
      } else {
        return FailHere(object ? Unexpected(c, "expected ',' or '}'", "thiếu dấu ',' hoặc '}'")
                               : Unexpected(c, "expected ',' or ']'", "thiếu dấu ',' hoặc ']'"));
      }
    }
  }

  std::istream& in_;
  const int64_t max_value_bytes_;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0;
  size_t len_ = 0;
  int64_t offset_ = 0;  // bytes consumed
  Position at_;         // of the next byte
  Error error_;
  std::string scratch_;  // strings and scalars inside nested values
};

Result<std::unique_ptr<JsonRowsReader>> JsonRowsReader::Open(const std::string& path,
                                                             ReadLimits limits,
                                                             const std::string& records) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!in->is_open()) return Status::NotFound("file", path);
  return FromStream(std::move(in), limits, records);
}

Result<std::unique_ptr<JsonRowsReader>> JsonRowsReader::FromStream(std::unique_ptr<std::istream> in,
                                                                   ReadLimits limits,
                                                                   const std::string& records) {
  std::unique_ptr<JsonRowsReader> reader(new JsonRowsReader(std::move(in), limits));
  ODP_RETURN_IF_ERROR(reader->DetectKind());
  if (reader->document_) {
    ODP_RETURN_IF_ERROR(reader->FindRecords(records));
  } else if (!records.empty()) {
    return Status::InvalidArgument("records (\"" + records +
                                       "\") applies to one JSON document, not to NDJSON or a table "
                                       "of arrays",
                                   "Tuỳ chọn mảng bản ghi (records = \"" + records +
                                       "\") chỉ dùng cho một tài liệu JSON, "
                                       "không dùng cho NDJSON hay bảng gồm các mảng.");
  }
  reader->Restart();
  if (!reader->status_.ok()) return reader->status_;

  // The first pass: the columns, and the first problem, which the reading pass will stop at.
  std::vector<std::string> cells;
  for (;;) {
    Step step = reader->ReadRecord(cells, /*first_pass=*/true);
    if (step == Step::kEnd) break;
    if (step == Step::kError) {
      reader->first_pass_error_ = reader->status_;
      reader->first_pass_error_record_ = reader->records_;
      break;
    }
    if (reader->records_ == 1) {
      reader->first_record_line_ = reader->line_;
      if (reader->shape_ == Shape::kArrays) reader->columns_ = cells;
    }
  }
  reader->BuildHeader();
  reader->Restart();
  if (!reader->status_.ok()) return reader->status_;
  return reader;
}

JsonRowsReader::JsonRowsReader(std::unique_ptr<std::istream> in, ReadLimits limits)
    : in_(std::move(in)),
      scanner_(std::make_unique<Scanner>(*in_, limits.max_cell_bytes)),
      limits_(limits) {}

JsonRowsReader::~JsonRowsReader() = default;

Status JsonRowsReader::DetectKind() {
  in_->seekg(0, std::ios::end);
  bytes_total_ = in_->good() ? static_cast<int64_t>(in_->tellg()) : 0;
  if (!scanner_->Restart()) return Status::Internal("JSON input cannot seek back to its start");
  Scanner& s = *scanner_;
  int c = s.SkipSpace();
  if (c == '{') {
    // One object and nothing after it is a document; more values are NDJSON (a malformed
    // first one too: reading it reports where).
    const bool one = s.SkipValue() && s.SkipSpace() < 0;
    kind_ = one ? Kind::kDocument : Kind::kLines;
    document_ = one;
  } else if (c == '[') {
    s.Get();
    c = s.SkipSpace();
    kind_ = (c == '{' || c == '[' || c == ']' || c < 0) ? Kind::kArray : Kind::kLines;
    document_ = kind_ == Kind::kArray && c != '[';
  } else {
    const Scanner::Position at = s.position();
    const std::string where =
        "line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
    const std::string where_vi =
        "dòng " + std::to_string(at.line) + ", cột " + std::to_string(at.column);
    if (c < 0) {
      return Status::InvalidArgument("invalid JSON: the file is empty",
                                     "JSON không hợp lệ: tệp trống.");
    }
    Problem got = DescribeByte(c);
    return Status::InvalidArgument(
        "invalid JSON at " + where + ": expected '[' or '{' to start the records, found " + got.en,
        "JSON không hợp lệ ở " + where_vi +
            ": tệp phải bắt đầu bằng '[' (mảng bản ghi) hoặc '{' (NDJSON), nhưng gặp " + got.vi +
            ".");
  }
  return Status::Ok();
}

void JsonRowsReader::Restart() {
  if (!scanner_->Restart()) {
    status_ = Status::Internal("JSON input cannot seek back to its start");
    return;
  }
  array_open_ = false;
  array_done_ = false;
  frames_.clear();
  values_.assign(carried_.size(), {});
  for (size_t l = 0; l < carried_.size(); ++l) values_[l].assign(carried_[l].size(), "");
  doc_started_ = false;
  doc_finished_ = false;
  at_end_ = false;
  header_pending_ = shape_ == Shape::kObjects;
  records_ = 0;
  line_ = 0;
  status_ = Status::Ok();
}

Status JsonRowsReader::Rewind() {
  Restart();
  return status_;
}

bool JsonRowsReader::Next(std::vector<std::string>& cells) {
  cells.clear();
  if (!status_.ok() || at_end_) return false;
  if (header_pending_) {
    header_pending_ = false;
    cells = header_;
    line_ = first_record_line_;
    return true;
  }
  if (first_pass_error_ && records_ == first_pass_error_record_) {
    status_ = *first_pass_error_;
    return false;
  }
  switch (ReadRecord(cells, /*first_pass=*/false)) {
    case Step::kRecord: return true;
    case Step::kEnd: at_end_ = true; return false;
    case Step::kError: cells.clear(); return false;
  }
  return false;
}

JsonRowsReader::Step JsonRowsReader::ReadRecord(std::vector<std::string>& cells, bool first_pass) {
  if (document_) return NextInDocument(cells, first_pass);
  Scanner& s = *scanner_;
  int c = s.SkipSpace();
  if (kind_ == Kind::kArray) {
    if (array_done_) return Step::kEnd;
    if (!array_open_) {
      s.Get();  // '[', as DetectKind() saw
      array_open_ = true;
      c = s.SkipSpace();
      if (c == ']') return FinishArray();
    } else if (c == ']') {
      return FinishArray();
    } else if (c == ',') {
      s.Get();
      c = s.SkipSpace();
    } else {
      scanner_->FailHere(Unexpected(c, "expected ',' or ']' after a record",
                                    "thiếu dấu ',' hoặc ']' sau một bản ghi"));
      return SyntaxError();
    }
  } else if (c < 0) {
    return Step::kEnd;
  }

  const Scanner::Position start = s.position();
  if (c != '{' && c != '[') {
    if (c == '"' || c == '-' || IsDigit(c) || c == 't' || c == 'f' || c == 'n') {
      return shape_ == Shape::kArrays
                 ? Fail(start.line, start.column,
                        "each row must be a JSON array [...] like the first one",
                        "mỗi dòng phải là một mảng JSON […] như dòng đầu")
                 : Fail(start.line, start.column, "each record must be a JSON object {...}",
                        "mỗi bản ghi phải là một đối tượng JSON {…}");
    }
    scanner_->FailHere(Unexpected(c, "expected a record", "thiếu bản ghi"));
    return SyntaxError();
  }
  if (shape_ == Shape::kUnknown) shape_ = c == '{' ? Shape::kObjects : Shape::kArrays;
  if (c == '{' && shape_ == Shape::kArrays) {
    return Fail(start.line, start.column,
                "each row must be a JSON array [...] like the first one, not an object",
                "mỗi dòng phải là một mảng JSON […] như dòng đầu, không phải đối tượng {…}");
  }
  if (c == '[' && shape_ == Shape::kObjects) {
    return Fail(start.line, start.column, "each record must be a JSON object {...}, not an array",
                "mỗi bản ghi phải là một đối tượng JSON {…}, không phải mảng […]");
  }

  // A table's header is not a record for the limit.
  const int64_t data_records = records_ + 1 - (shape_ == Shape::kArrays ? 1 : 0);
  if (data_records > limits_.max_rows) {
    const std::string limit = std::to_string(limits_.max_rows);
    return Fail(start.line, start.column, "more than " + limit + " records",
                "có quá " + limit + " bản ghi");
  }
  Step step = c == '{' ? ReadObject(cells, first_pass) : ReadArray(cells, first_pass);
  if (step != Step::kRecord) return step;
  ++records_;
  line_ = start.line;
  return Step::kRecord;
}

JsonRowsReader::Step JsonRowsReader::ReadObject(std::vector<std::string>& cells, bool first_pass) {
  Scanner& s = *scanner_;
  s.Get();  // '{'
  cells.assign(columns_.size(), std::string());
  int c = s.SkipSpace();
  if (c == '}') {
    s.Get();
    return Step::kRecord;
  }
  for (;;) {
    if (c != '"') {
      s.FailHere(Unexpected(c, "expected a field name in double quotes",
                            "thiếu tên trường trong dấu nháy kép"));
      return SyntaxError();
    }
    const Scanner::Position key_at = s.position();
    if (!s.ParseString(key_)) return SyntaxError();
    if (s.SkipSpace() != ':') {
      s.FailHere(Unexpected(s.Peek(), "expected ':' after the field name",
                            "thiếu dấu ':' sau tên trường"));
      return SyntaxError();
    }
    s.Get();
    const int v = s.SkipSpace();
    if (v == '{' || v == '[') {
      if (!ReadNestedCell(key_, first_pass)) return SyntaxError();
    } else if (!s.ParseCell(value_)) {
      return SyntaxError();
    }

    size_t index = 0;
    auto it = column_index_.find(key_);
    if (it != column_index_.end()) {
      index = it->second;
    } else if (!first_pass) {
      return Fail(key_at.line, key_at.column,
                  "field \"" + key_ + "\" was not there when the file was first read",
                  "trường \"" + key_ + "\" không có trong lần đọc đầu (tệp đã bị thay đổi?)");
    } else if (static_cast<int64_t>(columns_.size() + CarriedWidth()) >= limits_.max_columns) {
      const std::string limit = std::to_string(limits_.max_columns);
      return Fail(key_at.line, key_at.column,
                  "more than " + limit + " columns (field \"" + key_ + "\")",
                  "có quá " + limit + " cột (trường \"" + key_ + "\")");
    } else {
      index = columns_.size();
      columns_.push_back(key_);
      column_index_.emplace(key_, index);
    }
    if (index >= cells.size()) cells.resize(index + 1);
    cells[index] = std::move(value_);  // a repeated key: the last value wins

    c = s.SkipSpace();
    if (c == '}') {
      s.Get();
      return Step::kRecord;
    }
    if (c != ',') {
      s.FailHere(Unexpected(c, "expected ',' or '}' after a field",
                            "thiếu dấu ',' hoặc '}' sau một trường"));
      return SyntaxError();
    }
    s.Get();
    c = s.SkipSpace();
  }
}

JsonRowsReader::Step JsonRowsReader::ReadArray(std::vector<std::string>& cells, bool first_pass) {
  Scanner& s = *scanner_;
  s.Get();  // '['
  cells.clear();
  int c = s.SkipSpace();
  if (c == ']') {
    s.Get();
    return Step::kRecord;
  }
  for (;;) {
    const Scanner::Position at = s.position();
    const int v = s.Peek();
    if (v == '{' || v == '[') {
      if (!ReadNestedCell("#" + std::to_string(cells.size() + 1), first_pass)) return SyntaxError();
    } else if (!s.ParseCell(value_)) {
      return SyntaxError();
    }
    if (static_cast<int64_t>(cells.size()) >= limits_.max_columns) {
      const std::string limit = std::to_string(limits_.max_columns);
      return Fail(at.line, at.column, "more than " + limit + " columns",
                  "có quá " + limit + " cột");
    }
    cells.push_back(std::move(value_));
    c = s.SkipSpace();
    if (c == ']') {
      s.Get();
      return Step::kRecord;
    }
    if (c != ',') {
      s.FailHere(Unexpected(c, "expected ',' or ']'", "thiếu dấu ',' hoặc ']'"));
      return SyntaxError();
    }
    s.Get();
    s.SkipSpace();
  }
}

JsonRowsReader::Step JsonRowsReader::FinishArray() {
  Scanner& s = *scanner_;
  s.Get();  // ']'
  int c = s.SkipSpace();
  if (c >= 0) {
    s.FailHere(
        {"more after the end of the JSON array (one record per line is NDJSON, which "
         "starts with '{')",
         "còn nội dung sau khi mảng JSON đã đóng (nếu mỗi dòng là một bản ghi thì đó là "
         "NDJSON, phải bắt đầu bằng '{')"});
    return SyntaxError();
  }
  array_done_ = true;
  return Step::kEnd;
}

JsonRowsReader::Step JsonRowsReader::SyntaxError() {
  const Scanner::Error& e = scanner_->error();
  if (!e.syntax) return Fail(e.at.line, e.at.column, e.problem.en, e.problem.vi);
  const std::string line = std::to_string(e.at.line);
  const std::string column = std::to_string(e.at.column);
  status_ = Status::InvalidArgument(
      "invalid JSON at line " + line + ", column " + column + ": " + e.problem.en,
      "JSON không hợp lệ ở dòng " + line + ", cột " + column + ": " + e.problem.vi + ".");
  return Step::kError;
}

bool JsonRowsReader::SyntaxFailed() {
  SyntaxError();
  return false;
}

JsonRowsReader::Step JsonRowsReader::Fail(int64_t line, int64_t column, const std::string& problem,
                                          const std::string& problem_vi) {
  const std::string l = std::to_string(line);
  const std::string c = std::to_string(column);
  status_ =
      Status::InvalidArgument("JSON record at line " + l + ", column " + c + ": " + problem,
                              "Bản ghi JSON ở dòng " + l + ", cột " + c + ": " + problem_vi + ".");
  return Step::kError;
}

int64_t JsonRowsReader::bytes_read() const { return scanner_->offset(); }

namespace {

// "[]", "a[]", "a.b[].c[]": the levels of a records path, or why it is malformed.
Result<std::vector<std::vector<std::string>>> ParseRecordsPath(const std::string& path) {
  auto malformed = [&](const std::string& why_en, const std::string& why_vi) {
    return Status::InvalidArgument(
        "records path \"" + path + "\" is malformed: " + why_en +
            " (write it as \"data[].items[]\": \"[]\" for each element of an array)",
        "Đường dẫn mảng bản ghi \"" + path + "\" không hợp lệ: " + why_vi +
            " (viết như \"data[].items[]\": \"[]\" cho mỗi phần tử của một mảng).");
  };
  std::vector<std::vector<std::string>> levels;
  size_t i = 0;
  while (i < path.size()) {
    const size_t open = path.find("[]", i);
    if (open == std::string::npos) return malformed("it must end with []", "phải kết thúc bằng []");
    std::string_view segment(path.data() + i, open - i);
    if (!levels.empty()) {
      if (segment.empty() || segment[0] != '.') {
        return malformed("a field must follow each []", "sau mỗi [] phải là tên một trường");
      }
      segment.remove_prefix(1);
    }
    std::vector<std::string> keys;
    while (!segment.empty()) {
      const size_t dot = segment.find('.');
      std::string_view key = segment.substr(0, dot);
      if (key.empty() || key.find_first_of("[]") != std::string_view::npos) {
        return malformed("a field name is empty or holds [ or ]",
                         "tên trường trống hoặc chứa [ hay ]");
      }
      keys.emplace_back(key);
      if (dot == std::string_view::npos) break;
      segment.remove_prefix(dot + 1);
      if (segment.empty()) return malformed("a field name is empty", "tên trường trống");
    }
    if (!levels.empty() && keys.empty()) {
      return malformed("a field must follow each []", "sau mỗi [] phải là tên một trường");
    }
    levels.push_back(std::move(keys));
    if (static_cast<int>(levels.size()) > JsonRowsReader::kMaxRecordLevels) {
      return malformed("more than " + std::to_string(JsonRowsReader::kMaxRecordLevels) + " levels",
                       "quá " + std::to_string(JsonRowsReader::kMaxRecordLevels) + " cấp");
    }
    i = open + 2;
  }
  if (levels.empty()) return malformed("it is empty", "đường dẫn trống");
  return levels;
}

bool IsIdKey(const std::string& key, std::string& stem) {
  for (std::string_view tail : {"_id", "_code", "Id", "Code"}) {
    if (key.size() > tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0) {
      stem = key.substr(0, key.size() - tail.size());
      return true;
    }
  }
  return false;
}

void ReplaceCount(std::string& text, int64_t n) {
  const size_t at = text.find("{n}");
  if (at != std::string::npos) text.replace(at, 3, std::to_string(n));
}

}  // namespace

bool JsonRowsReader::Walk(std::string& path, bool addressable, int depth, int levels) {
  Scanner& s = *scanner_;
  const int c = s.Peek();
  if ((c != '{' && c != '[') || depth > kMaxDepth) return s.SkipValue(depth);
  s.Get();
  if (c == '{') {
    if (s.SkipSpace() == '}') {
      s.Get();
      return true;
    }
    for (;;) {
      if (!s.ParseKey(key_)) return false;
      const size_t keep = path.size();
      const bool named = addressable && !key_.empty() &&
                         key_.find_first_of(".[]") == std::string::npos &&
                         path.size() + key_.size() < 1024;
      if (named) {
        if (!path.empty()) path += '.';
        path += key_;
      }
      if (!Walk(path, named, depth + 1, levels)) return false;
      path.resize(keep);
      const int n = s.SkipSpace();
      if (n == '}') {
        s.Get();
        return true;
      }
      if (n != ',')
        return s.FailHere(Unexpected(n, "expected ',' or '}'", "thiếu dấu ',' hoặc '}'"));
      s.Get();
      s.SkipSpace();
    }
  }
  // An array: counted when a field (or the top level) holds it, not an array.
  const size_t keep = path.size();
  const bool ends_in_array = path.size() >= 2 && path.compare(path.size() - 2, 2, "[]") == 0;
  bool counted = addressable && !ends_in_array && levels < kMaxRecordLevels;
  size_t index = 0;
  if (counted) {
    path += "[]";
    auto it = record_array_index_.find(path);
    if (it != record_array_index_.end()) {
      index = it->second;
    } else if (record_arrays_.size() < kMaxRecordArrays) {
      index = record_arrays_.size();
      record_arrays_.push_back({path, levels + 1, 0, 0, 0});
      record_array_index_.emplace(path, index);
    } else {
      counted = false;
    }
  }
  if (counted) ++record_arrays_[index].arrays;
  int n = s.SkipSpace();
  while (n != ']') {
    if (counted) {
      ++record_arrays_[index].elements;
      if (n == '{') ++record_arrays_[index].records;
    }
    if (!Walk(path, counted, depth + 1, levels + 1)) return false;
    n = s.SkipSpace();
    if (n == ',') {
      s.Get();
      n = s.SkipSpace();
    } else if (n != ']') {
      return s.FailHere(Unexpected(n, "expected ',' or ']'", "thiếu dấu ',' hoặc ']'"));
    }
  }
  s.Get();
  path.resize(keep);
  return true;
}

Status JsonRowsReader::FindRecords(const std::string& records) {
  if (!scanner_->Restart()) return Status::Internal("JSON input cannot seek back to its start");
  std::string path;
  scanner_->SkipSpace();
  // A malformed document offers what was found before the problem; reading stops at it.
  (void)Walk(path, /*addressable=*/true, 1, 0);
  std::erase_if(record_arrays_,
                [](const RecordArray& a) { return a.records == 0 || a.records * 2 < a.elements; });
  record_array_index_.clear();
  for (size_t i = 0; i < record_arrays_.size(); ++i)
    record_array_index_[record_arrays_[i].path] = i;

  const RecordArray* chosen = nullptr;
  if (!records.empty()) {
    ODP_ASSIGN_OR_RETURN(auto levels, ParseRecordsPath(records));
    auto it = record_array_index_.find(records);
    if (it == record_array_index_.end()) {
      std::string list;
      for (const auto& a : record_arrays_) list += (list.empty() ? "" : ", ") + a.path;
      if (list.empty()) list = "-";
      return Status::InvalidArgument(
          "the file has no array of records at \"" + records + "\" (it has: " + list + ")",
          "Tệp không có mảng bản ghi ở \"" + records +
              "\" (các mảng bản ghi có trong tệp: " + list + ").");
    }
    chosen = &record_arrays_[it->second];
    for (auto& keys : levels) levels_.push_back({std::move(keys)});
  } else {
    // The deepest array of records that repeats (several records per array), else the one
    // with most records.
    for (const auto& a : record_arrays_) {
      const bool repeats = a.records >= 2 && a.records > a.arrays;
      if (!repeats) continue;
      if (!chosen || a.levels > chosen->levels ||
          (a.levels == chosen->levels && a.records > chosen->records)) {
        chosen = &a;
      }
    }
    if (!chosen) {
      for (const auto& a : record_arrays_) {
        if (!chosen || a.records > chosen->records) chosen = &a;
      }
    }
    if (chosen) {
      ODP_ASSIGN_OR_RETURN(auto levels, ParseRecordsPath(chosen->path));
      for (auto& keys : levels) levels_.push_back({std::move(keys)});
    } else if (kind_ == Kind::kArray) {
      levels_.push_back({});  // an empty top-level array
    }
  }
  if (chosen) records_path_ = chosen->path;
  if (kind_ == Kind::kArray && records_path_.empty()) records_path_ = "[]";
  if (kind_ == Kind::kArray && (levels_.empty() || !levels_[0].keys.empty())) {
    levels_.assign(1, {});
    records_path_ = "[]";
  }
  carried_.assign(levels_.empty() ? 0 : levels_.size() - 1, {});
  carried_index_.assign(carried_.size(), {});

  // The other arrays of records are left out, but for those the records sit in (carried).
  for (const auto& a : record_arrays_) {
    if (chosen && a.path == chosen->path) continue;
    if (chosen && chosen->path.compare(0, a.path.size(), a.path) == 0) continue;
    Note("array:" + a.path, 0,
         std::to_string(a.records) + " records in " + std::to_string(a.arrays) + " array(s) at \"" +
             a.path + "\" are not loaded; to load them, choose the records \"" + a.path + "\"",
         std::to_string(a.records) + " bản ghi trong " + std::to_string(a.arrays) + " mảng \"" +
             a.path + "\" không được nạp; để nạp chúng, hãy chọn mảng bản ghi \"" + a.path + "\".");
  }
  return Status::Ok();
}

void JsonRowsReader::NoteField(size_t level, size_t depth, int64_t line) {
  const bool top = level == 0 && depth == 0;
  const std::string path = "\"" + LevelPath(level) + "\"";
  Note("field:" + std::to_string(level) + ":" + std::to_string(depth) + ":" + key_, line,
       "field \"" + key_ + "\" " +
           (top ? std::string("at the top level") : "on the way to " + path) +
           " is not in the rows",
       "Trường \"" + key_ + "\" " +
           (top ? std::string("ở cấp trên cùng của tệp") : "trên đường tới " + path) +
           " không được đưa vào bảng.");
}

size_t JsonRowsReader::CarriedWidth() const {
  size_t width = 0;
  for (const auto& level : carried_) width += level.size();
  return width;
}

void JsonRowsReader::Note(const std::string& where, int64_t line, std::string en, std::string vi) {
  // A hostile file could name a new field at every turn: past kMaxNotes places, one note
  // counts the rest.
  if (left_out_.size() >= kMaxNotes && left_out_.find(where) == left_out_.end()) {
    auto [more, first] = left_out_.try_emplace("~more");
    if (first) {
      more->second.line = line;
      more->second.en = "{n} more things left out, not listed one by one";
      more->second.vi = "Còn {n} phần khác không được nạp (không liệt kê từng phần).";
    }
    ++more->second.count;
    return;
  }
  auto [it, inserted] = left_out_.try_emplace(where);
  if (inserted) {
    it->second.line = line;
    it->second.en = std::move(en);
    it->second.vi = std::move(vi);
  }
  ++it->second.count;
}

std::string JsonRowsReader::LevelPath(size_t level) const {
  std::string path;
  for (size_t l = 0; l <= level && l < levels_.size(); ++l) {
    for (const auto& k : levels_[l].keys) {
      if (!path.empty()) path += '.';
      path += k;
    }
    path += "[]";
  }
  return path;
}

std::vector<SourceNote> JsonRowsReader::left_out() const {
  std::vector<SourceNote> notes;
  for (const auto& [where, l] : left_out_) {
    SourceNote n{l.line, l.vi, l.en};
    ReplaceCount(n.message_vi, l.count);
    ReplaceCount(n.message_en, l.count);
    notes.push_back(std::move(n));
  }
  return notes;
}

void JsonRowsReader::BuildHeader() {
  if (!document_ || carried_.empty()) {
    header_ = columns_;
    return;
  }
  // How often each key is met, to name the carried fields that would clash.
  std::unordered_map<std::string, int> uses;
  for (const auto& c : columns_) ++uses[c];
  for (const auto& level : carried_) {
    for (const auto& c : level) ++uses[c];
  }
  header_.clear();
  for (size_t l = 0; l < carried_.size(); ++l) {
    std::string prefix = "level" + std::to_string(l + 1);
    for (const auto& key : carried_[l]) {
      std::string stem;
      if (IsIdKey(key, stem) && !stem.empty()) {
        prefix = stem;
        break;
      }
    }
    for (const auto& key : carried_[l]) {
      header_.push_back(
          uses[key] > 1 && key.compare(0, prefix.size(), prefix) != 0 ? prefix + "_" + key : key);
    }
  }
  header_.insert(header_.end(), columns_.begin(), columns_.end());
}

JsonRowsReader::Step JsonRowsReader::NextInDocument(std::vector<std::string>& cells,
                                                    bool first_pass) {
  Scanner& s = *scanner_;
  for (;;) {
    if (!doc_started_) {
      doc_started_ = true;
      const int c = s.SkipSpace();
      if (levels_.empty()) {  // the top-level object is the one record
        if (c != '{') return Step::kEnd;
        const Scanner::Position start = s.position();
        shape_ = Shape::kObjects;
        Step step = ReadObject(cells, first_pass);
        if (step != Step::kRecord) return step;
        ++records_;
        line_ = start.line;
        return step;
      }
      if (!Descend(0, first_pass)) return Step::kError;
      continue;
    }
    if (frames_.empty()) {  // the document is read: nothing may follow it
      if (!doc_finished_) {
        doc_finished_ = true;
        const int c = s.SkipSpace();
        if (c >= 0 && kind_ == Kind::kArray) {
          s.FailHere(
              {"more after the end of the JSON array (one record per line is NDJSON, which "
               "starts with '{')",
               "còn nội dung sau khi mảng JSON đã đóng (nếu mỗi dòng là một bản ghi thì đó là "
               "NDJSON, phải bắt đầu bằng '{')"});
          return SyntaxError();
        }
        if (c >= 0) {
          s.FailHere(Unexpected(c, "expected the end of the file after the JSON document",
                                "tài liệu JSON đã kết thúc nhưng tệp còn nội dung"));
          return SyntaxError();
        }
      }
      return Step::kEnd;
    }
    Frame& f = frames_.back();
    int c = s.SkipSpace();
    if (c == ']') {
      s.Get();
      const size_t level = f.level;
      frames_.pop_back();
      if (!CloseObjects(levels_[level].keys.size(), level, first_pass)) return SyntaxError();
      continue;
    }
    if (f.elements > 0) {
      if (c != ',') {
        s.FailHere(Unexpected(c, "expected ',' or ']'", "thiếu dấu ',' hoặc ']'"));
        return SyntaxError();
      }
      s.Get();
      c = s.SkipSpace();
    }
    ++f.elements;
    const size_t level = f.level;
    const Scanner::Position start = s.position();
    if (level + 1 == levels_.size()) {
      if (c != '{') {
        if (c == '"' || c == '-' || IsDigit(c) || c == 't' || c == 'f' || c == 'n' || c == '[') {
          return Fail(start.line, start.column, "each record must be a JSON object {...}",
                      "mỗi bản ghi phải là một đối tượng JSON {…}");
        }
        s.FailHere(Unexpected(c, "expected a record", "thiếu bản ghi"));
        return SyntaxError();
      }
      if (records_ + 1 > limits_.max_rows) {
        const std::string limit = std::to_string(limits_.max_rows);
        return Fail(start.line, start.column, "more than " + limit + " records",
                    "có quá " + limit + " bản ghi");
      }
      shape_ = Shape::kObjects;
      Step step = ReadObject(record_, first_pass);
      if (step != Step::kRecord) return step;
      ++records_;
      line_ = start.line;
      if (first_pass) return step;
      size_t width = record_.size();
      for (const auto& v : values_) width += v.size();
      cells.clear();
      cells.reserve(width);
      for (auto& v : values_) cells.insert(cells.end(), v.begin(), v.end());
      for (auto& v : record_) cells.push_back(std::move(v));
      return step;
    }
    if (c != '{') {  // an element of an enclosing array that is not an object
      if (first_pass) {
        const std::string where = LevelPath(level);
        Note("element:" + where, start.line,
             "{n} element(s) of \"" + where + "\" that are not objects were skipped",
             "{n} phần tử của \"" + where + "\" không phải đối tượng nên bị bỏ qua.");
      }
      if (!s.SkipValue()) return SyntaxError();
      continue;
    }
    if (!CarryFields(level, first_pass)) return SyntaxError();
    if (!Descend(level + 1, first_pass)) return Step::kError;
  }
}

bool JsonRowsReader::CarryFields(size_t level, bool first_pass) {
  Scanner& s = *scanner_;
  const Scanner::Mark start = s.mark();
  auto& values = values_[level];
  if (first_pass) values.assign(carried_[level].size(), "");
  for (auto& v : values) v.clear();
  const std::string& path_key = levels_[level + 1].keys.front();
  s.Get();  // '{'
  int c = s.SkipSpace();
  while (c != '}') {
    const Scanner::Position key_at = s.position();
    if (!s.ParseKey(key_)) return false;
    const int v = s.Peek();
    if (v == '{' || v == '[') {
      if (first_pass && key_ != path_key) {
        const std::string where = LevelPath(level);
        Note("nested:" + where + "." + key_, key_at.line,
             "field \"" + key_ + "\" of the elements of \"" + where +
                 "\" (a nested array or object) is not in the rows ({n} elements)",
             "Trường \"" + key_ + "\" của các phần tử \"" + where +
                 "\" (mảng hoặc đối tượng lồng nhau) không được đưa vào bảng ({n} phần tử).");
      }
      if (!s.SkipValue()) return false;
    } else {
      if (!s.ParseCell(value_)) return false;
      auto& index = carried_index_[level];
      auto it = index.find(key_);
      if (it != index.end()) {
        values[it->second] = std::move(value_);
      } else if (first_pass) {
        if (static_cast<int64_t>(columns_.size() + CarriedWidth()) >= limits_.max_columns) {
          const std::string limit = std::to_string(limits_.max_columns);
          s.Fail(key_at,
                 {"more than " + limit + " columns (field \"" + key_ + "\")",
                  "có quá " + limit + " cột (trường \"" + key_ + "\")"},
                 /*syntax=*/false);
          return false;
        }
        index.emplace(key_, carried_[level].size());
        carried_[level].push_back(key_);
        values.push_back(std::move(value_));
      } else {
        s.Fail(key_at,
               {"field \"" + key_ + "\" was not there when the file was first read",
                "trường \"" + key_ + "\" không có trong lần đọc đầu (tệp đã bị thay đổi?)"},
               /*syntax=*/false);
        return false;
      }
    }
    c = s.SkipSpace();
    if (c == ',') {
      s.Get();
      c = s.SkipSpace();
    } else if (c != '}') {
      return s.FailHere(Unexpected(c, "expected ',' or '}' after a field",
                                   "thiếu dấu ',' hoặc '}' sau một trường"));
    }
  }
  if (!s.Seek(start)) {
    return s.Fail(start.at, {"the input cannot seek back", "không đọc lại được tệp"}, false);
  }
  return true;
}

bool JsonRowsReader::Descend(size_t level, bool first_pass) {
  Scanner& s = *scanner_;
  const auto& keys = levels_[level].keys;
  if (keys.empty()) {  // the top-level array itself
    if (s.Peek() != '[') {
      if (!s.SkipValue()) return SyntaxFailed();
      return true;
    }
    s.Get();
    frames_.push_back({level, 0});
    return true;
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    if (s.Peek() != '{') {  // not an object: it holds no records
      if (!s.SkipValue()) return SyntaxFailed();
      return k == 0 || CloseObjects(k, level, first_pass) || SyntaxFailed();
    }
    s.Get();
    int c = s.SkipSpace();
    bool found = false;
    while (c != '}') {
      const Scanner::Position key_at = s.position();
      if (!s.ParseKey(key_)) return SyntaxFailed();
      const int v = s.Peek();
      const bool last = k + 1 == keys.size();
      if (key_ == keys[k] && ((last && v == '[') || (!last && v == '{'))) {
        found = true;
        break;
      }
      // The enclosing element's fields were carried; the top level's and those of objects
      // on the way are not.
      if (first_pass && (level == 0 || k > 0)) NoteField(level, k, key_at.line);
      if (!s.SkipValue()) return SyntaxFailed();
      c = s.SkipSpace();
      if (c == ',') {
        s.Get();
        c = s.SkipSpace();
      } else if (c != '}') {
        s.FailHere(Unexpected(c, "expected ',' or '}' after a field",
                              "thiếu dấu ',' hoặc '}' sau một trường"));
        return SyntaxFailed();
      }
    }
    if (!found) {  // this object does not hold the array
      s.Get();     // '}'
      return CloseObjects(k, level, first_pass) || SyntaxFailed();
    }
  }
  s.Get();  // '['
  frames_.push_back({level, 0});
  return true;
}

bool JsonRowsReader::CloseObjects(size_t n, size_t level, bool first_pass) {
  Scanner& s = *scanner_;
  for (size_t i = 0; i < n; ++i) {
    // The innermost first; the outermost (i == n - 1) is the enclosing element, whose fields
    // were carried, or the top level.
    const bool noted = first_pass && (level == 0 || i + 1 < n);
    for (;;) {
      int c = s.SkipSpace();
      if (c == '}') {
        s.Get();
        break;
      }
      if (c != ',') {
        return s.FailHere(Unexpected(c, "expected ',' or '}' after a field",
                                     "thiếu dấu ',' hoặc '}' sau một trường"));
      }
      s.Get();
      s.SkipSpace();
      const Scanner::Position key_at = s.position();
      if (!s.ParseKey(key_)) return false;
      if (noted) NoteField(level, n - 1 - i, key_at.line);
      if (!s.SkipValue()) return false;
    }
  }
  return true;
}

bool JsonRowsReader::ReadNestedCell(const std::string& key, bool first_pass) {
  Scanner& s = *scanner_;
  const Scanner::Mark start = s.mark();
  if (!s.SkipValue()) return false;
  if (s.offset() - start.offset <= kMaxNestedCellBytes) {
    if (!s.Seek(start)) {
      return s.Fail(start.at, {"the input cannot seek back", "không đọc lại được tệp"}, false);
    }
    return s.ParseCell(value_);
  }
  value_.clear();
  if (first_pass) {
    const std::string where = kind_ == Kind::kLines   ? std::string("NDJSON")
                              : records_path_.empty() ? std::string("JSON")
                                                      : records_path_;
    const std::string limit = std::to_string(kMaxNestedCellBytes);
    Note("long:" + key, start.at.line,
         "field \"" + key + "\" of the records (" + where + "): a nested value longer than " +
             limit +
             " bytes was left out of {n} record(s); to load what it holds, choose it as "
             "the records if it is an array of records",
         "Trường \"" + key + "\" của các bản ghi (" + where + "): giá trị lồng nhau dài hơn " +
             limit +
             " byte bị bỏ qua ở {n} bản ghi; để nạp nội dung đó, hãy chọn nó làm mảng "
             "bản ghi nếu đó là mảng các bản ghi.");
  }
  return true;
}

std::string JsonRowsReader::describe() const {
  if (kind_ == Kind::kLines) return "NDJSON";
  if (kind_ == Kind::kArray && (!document_ || records_path_ == "[]")) return "JSON array";
  return records_path_.empty() ? "JSON" : "JSON: " + records_path_;
}

}  // namespace odp::formats

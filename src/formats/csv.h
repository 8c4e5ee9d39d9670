// Reading delimited text (CSV, TSV, semicolon- or pipe-separated) as a stream of rows.
// RFC 4180 quoting ("" inside quotes, delimiters and line breaks inside quoted fields), any of
// CRLF / LF / CR line ends, a leading UTF-8 byte-order mark dropped. Pure: reads only the
// stream it is given. Not thread-safe; one reader per stream.
#pragma once

#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "formats/rows.h"

namespace odp::formats {

// The delimiter that splits `sample` (the first few KB of a file) most consistently: the
// candidate (',', ';', '\t', '|') for which the most lines agree on the same number of fields,
// weighted by that number (so that decimal commas lose to real delimiters), ignoring
// delimiters inside quotes. ',' when nothing fits better.
char DetectDelimiter(std::string_view sample);

class CsvReader {
 public:
  CsvReader(std::istream& in, char delimiter);

  // Reads the next record into `fields`; false at the end of the input. A record that ends
  // inside quotes at the end of the file is returned as it is and flagged by unterminated().
  bool Next(std::vector<std::string>& fields);

  // 1-based line number where the last record returned by Next() started.
  int64_t line() const { return record_line_; }
  // Bytes consumed so far (for progress).
  int64_t bytes_read() const { return bytes_; }
  bool unterminated() const { return unterminated_; }

 private:
  int Get();
  void Unget(int c);
  // Appends the rest of a run of ordinary characters straight from the buffer (up to the next
  // quote, line break or, outside quotes, delimiter).
  void CopyRun(std::string& field, bool quoted);

  std::istream& in_;
  const char delim_;
  int pending_ = -1;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
  int64_t bytes_ = 0;
  bool started_ = false;
  bool unterminated_ = false;
  char buf_[1 << 16];
  size_t buf_pos_ = 0;
  size_t buf_len_ = 0;
};

// A delimited UTF-8 text file as a RowSource, with the limits applied (columns, cell length,
// rows). Other encodings are converted to UTF-8 before (text::Transcoder).
class CsvFileSource : public RowSource {
 public:
  // `delimiter` 0: detected from the first 64 KB.
  static Result<std::unique_ptr<CsvFileSource>> Open(const std::string& path, char delimiter = 0,
                                                     ReadLimits limits = {});
  char delimiter() const { return delim_; }
  bool unterminated() const { return reader_->unterminated(); }

  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return reader_->line(); }
  int64_t bytes_read() const override { return reader_->bytes_read(); }
  int64_t bytes_total() const override { return size_; }
  Status status() const override { return status_; }
  Status Rewind() override;
  std::string describe() const override;

 private:
  CsvFileSource() = default;
  std::string path_;
  std::ifstream in_;
  std::unique_ptr<CsvReader> reader_;
  char delim_ = ',';
  int64_t size_ = 0;
  int64_t rows_ = 0;
  ReadLimits limits_;
  Status status_;
};

}  // namespace odp::formats

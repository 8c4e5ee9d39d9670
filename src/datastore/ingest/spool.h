// SpoolRows: a formats::RowSource that keeps the rows of its first reading in a temporary file, so
// that reading again (the datastore reads every file twice) replays that file instead of parsing
// the source again. Worth it where parsing is dear and the rows are plain: an XLSX sheet is
// inflated and parsed as XML, while its spool is lengths and bytes.
//
// Rewind() after the source was read to its end replays the spool; before that (or after an
// error) it rewinds the source and records afresh. Lines, progress and errors are those of the
// source.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "formats/rows.h"

namespace odp::datastore::ingest {

class SpoolRows : public formats::RowSource {
 public:
  // The spool is a new file in `dir`, removed with this object.
  SpoolRows(std::unique_ptr<formats::RowSource> in, const std::string& dir);
  ~SpoolRows() override;
  SpoolRows(const SpoolRows&) = delete;
  SpoolRows& operator=(const SpoolRows&) = delete;

  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  int64_t bytes_read() const override;
  int64_t bytes_total() const override { return in_->bytes_total(); }
  Status status() const override { return status_; }
  Status Rewind() override;
  bool typed_numbers() const override { return in_->typed_numbers(); }
  std::string describe() const override { return in_->describe(); }

 private:
  bool Record(std::vector<std::string>& cells);
  bool Replay(std::vector<std::string>& cells);

  std::unique_ptr<formats::RowSource> in_;
  std::string path_;
  std::FILE* file_ = nullptr;
  bool replaying_ = false;
  bool complete_ = false;  // the source was read to its end without an error
  int64_t spooled_ = 0;    // bytes in the spool
  int64_t replayed_ = 0;   // bytes of it replayed
  int64_t line_ = 0;
  Status status_;
};

}  // namespace odp::datastore::ingest

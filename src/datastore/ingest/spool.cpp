#include "datastore/ingest/spool.h"

#include <filesystem>

#include "base/ids.h"

namespace odp::datastore::ingest {

namespace {

Status SpoolError(const std::string& path) {
  return Status::Internal("cannot use the spool file " + path);
}

}  // namespace

SpoolRows::SpoolRows(std::unique_ptr<formats::RowSource> in, const std::string& dir)
    : in_(std::move(in)),
      path_((std::filesystem::path(dir) / ("odp-spool-" + NewUuid() + ".rows")).string()) {
  file_ = std::fopen(path_.c_str(), "w+b");
  if (!file_) status_ = SpoolError(path_);
}

SpoolRows::~SpoolRows() {
  if (file_) std::fclose(file_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

bool SpoolRows::Next(std::vector<std::string>& cells) {
  if (!status_.ok()) return false;
  return replaying_ ? Replay(cells) : Record(cells);
}

// A row in the spool: u64 line, u32 cell count, then each cell as u32 length and its bytes.
bool SpoolRows::Record(std::vector<std::string>& cells) {
  if (!in_->Next(cells)) {
    status_ = in_->status();
    complete_ = status_.ok();
    return false;
  }
  line_ = in_->line();
  auto line = static_cast<uint64_t>(line_);
  auto count = static_cast<uint32_t>(cells.size());
  bool ok = std::fwrite(&line, sizeof line, 1, file_) == 1 &&
            std::fwrite(&count, sizeof count, 1, file_) == 1;
  spooled_ += static_cast<int64_t>(sizeof line + sizeof count);
  for (const auto& c : cells) {
    auto n = static_cast<uint32_t>(c.size());
    ok = ok && std::fwrite(&n, sizeof n, 1, file_) == 1 &&
         (n == 0 || std::fwrite(c.data(), 1, n, file_) == n);
    spooled_ += static_cast<int64_t>(sizeof n + n);
  }
  if (!ok) status_ = SpoolError(path_);
  return ok;
}

bool SpoolRows::Replay(std::vector<std::string>& cells) {
  uint64_t line = 0;
  uint32_t count = 0;
  if (std::fread(&line, sizeof line, 1, file_) != 1) return false;  // the end
  if (std::fread(&count, sizeof count, 1, file_) != 1) {
    status_ = SpoolError(path_);
    return false;
  }
  cells.resize(count);
  replayed_ += static_cast<int64_t>(sizeof line + sizeof count);
  for (auto& c : cells) {
    uint32_t n = 0;
    if (std::fread(&n, sizeof n, 1, file_) != 1) {
      status_ = SpoolError(path_);
      return false;
    }
    c.resize(n);
    if (n != 0 && std::fread(c.data(), 1, n, file_) != n) {
      status_ = SpoolError(path_);
      return false;
    }
    replayed_ += static_cast<int64_t>(sizeof n + n);
  }
  line_ = static_cast<int64_t>(line);
  return true;
}

int64_t SpoolRows::bytes_read() const {
  if (!replaying_) return in_->bytes_read();
  if (spooled_ == 0) return bytes_total();
  return static_cast<int64_t>(static_cast<double>(replayed_) / static_cast<double>(spooled_) *
                              static_cast<double>(bytes_total()));
}

Status SpoolRows::Rewind() {
  line_ = 0;
  replayed_ = 0;
  if (!file_) return status_;
  if (complete_ || replaying_) {
    replaying_ = true;
    status_ = Status::Ok();
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) status_ = SpoolError(path_);
    return status_;
  }
  // Not read to the end: record again from the start.
  std::fclose(file_);
  file_ = std::fopen(path_.c_str(), "w+b");
  spooled_ = 0;
  status_ = file_ ? Status::Ok() : SpoolError(path_);
  if (!status_.ok()) return status_;
  return in_->Rewind();
}

}  // namespace odp::datastore::ingest

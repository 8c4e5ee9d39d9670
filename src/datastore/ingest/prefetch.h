// PrefetchRows: a formats::RowSource read ahead on a thread of its own.
//
// Loading a table is parsing (inflating, decoding, splitting cells) on one side and typing and
// inserting on the other. With the parser on a second thread the two overlap, on a machine with
// two cores or more: the loader reads rows that are already there. Rows come in batches through a
// small bounded queue (memory stays a few batches), and their strings are handed over by swap,
// so that a steady load allocates nothing.
//
// The wrapped source is only touched by the read-ahead thread while it runs; Rewind() stops the
// thread first, and the destructor stops it too (waiting for the batch being read).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "formats/rows.h"

namespace odp::datastore::ingest {

class PrefetchRows : public formats::RowSource {
 public:
  explicit PrefetchRows(std::unique_ptr<formats::RowSource> in, size_t batch_rows = 1024,
                        size_t batches = 3);
  ~PrefetchRows() override;
  PrefetchRows(const PrefetchRows&) = delete;
  PrefetchRows& operator=(const PrefetchRows&) = delete;

  bool Next(std::vector<std::string>& cells) override;
  int64_t line() const override { return line_; }
  int64_t bytes_read() const override { return bytes_read_; }
  int64_t bytes_total() const override { return total_; }
  Status status() const override { return status_; }
  Status Rewind() override;
  bool typed_numbers() const override { return typed_; }
  std::string describe() const override { return describe_; }

  // Applied to every row Next() hands out from now on (the load's masks of personal data, set
  // for pass 2 only); null for none. Only while no read-ahead runs, as inner().
  void SetRowFilter(std::function<void(std::vector<std::string>&)> filter) {
    filter_ = std::move(filter);
  }

  // The wrapped source, for what only it can tell; only while no read-ahead runs (before the
  // first Next(), or after Next() returned false).
  formats::RowSource& inner() { return *in_; }

 private:
  struct Batch {
    std::vector<std::vector<std::string>> rows;
    std::vector<int64_t> lines;
    size_t count = 0;
    int64_t bytes = 0;
    bool last = false;
    Status status;
  };
  void Produce();
  void Stop();

  std::unique_ptr<formats::RowSource> in_;
  const size_t batch_rows_;
  const int64_t total_;
  const bool typed_;
  const std::string describe_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> full_, empty_;  // guarded by mu_
  bool stop_ = false;                                // guarded by mu_
  std::thread thread_;

  std::function<void(std::vector<std::string>&)> filter_;  // SetRowFilter's
  std::unique_ptr<Batch> current_;                         // the batch Next() is handing out
  size_t pos_ = 0;
  int64_t line_ = 0;
  int64_t bytes_read_ = 0;
  bool done_ = false;
  Status status_;
};

}  // namespace odp::datastore::ingest

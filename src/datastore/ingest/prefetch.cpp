#include "datastore/ingest/prefetch.h"

namespace odp::datastore::ingest {

PrefetchRows::PrefetchRows(std::unique_ptr<formats::RowSource> in, size_t batch_rows,
                           size_t batches)
    : in_(std::move(in)),
      batch_rows_(batch_rows == 0 ? 1 : batch_rows),
      total_(in_->bytes_total()),
      typed_(in_->typed_numbers()),
      describe_(in_->describe()) {
  for (size_t i = 0; i < (batches < 2 ? 2 : batches); ++i)
    empty_.push_back(std::make_unique<Batch>());
}

PrefetchRows::~PrefetchRows() { Stop(); }

void PrefetchRows::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  stop_ = false;
  while (!full_.empty()) {
    empty_.push_back(std::move(full_.front()));
    full_.pop_front();
  }
  if (current_) empty_.push_back(std::move(current_));
}

void PrefetchRows::Produce() {
  for (;;) {
    std::unique_ptr<Batch> b;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !empty_.empty(); });
      if (stop_) return;
      b = std::move(empty_.front());
      empty_.pop_front();
    }
    b->count = 0;
    b->last = false;
    while (b->count < batch_rows_) {
      if (b->rows.size() <= b->count) {
        b->rows.emplace_back();
        b->lines.push_back(0);
      }
      if (!in_->Next(b->rows[b->count])) {
        b->last = true;
        b->status = in_->status();
        break;
      }
      b->lines[b->count] = in_->line();
      ++b->count;
    }
    b->bytes = in_->bytes_read();
    const bool last = b->last;
    {
      std::lock_guard lock(mu_);
      full_.push_back(std::move(b));
    }
    cv_.notify_all();
    if (last) return;
  }
}

bool PrefetchRows::Next(std::vector<std::string>& cells) {
  if (done_) return false;
  if (!thread_.joinable() && !current_) thread_ = std::thread([this] { Produce(); });
  while (!current_ || pos_ >= current_->count) {
    if (current_) {
      if (current_->last) {
        status_ = current_->status;
        done_ = true;
        if (thread_.joinable()) thread_.join();  // it returned after the last batch
        return false;
      }
      {
        std::lock_guard lock(mu_);
        empty_.push_back(std::move(current_));
      }
      cv_.notify_all();
    }
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !full_.empty(); });
    current_ = std::move(full_.front());
    full_.pop_front();
    pos_ = 0;
    bytes_read_ = current_->bytes;
  }
  cells.swap(current_->rows[pos_]);
  if (filter_) filter_(cells);
  line_ = current_->lines[pos_];
  ++pos_;
  return true;
}

Status PrefetchRows::Rewind() {
  Stop();
  pos_ = 0;
  line_ = 0;
  bytes_read_ = 0;
  done_ = false;
  status_ = Status::Ok();
  return in_->Rewind();
}

}  // namespace odp::datastore::ingest

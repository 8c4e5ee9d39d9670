#include "datastore/ingest/prefetch.h"

namespace odp::datastore::ingest {

PrefetchRows::PrefetchRows(std::unique_ptr<formats::RowSource> in, size_t batch_rows,
                           size_t batches)
    : in_(std::move(in)),
      batch_rows_(batch_rows == 0 ? 1 : batch_rows),
      total_(in_->bytes_total()),
      typed_(in_->typed_numbers()),
      describe_(in_->describe()),
      queue_(batches < 2 ? 2 : batches) {}

PrefetchRows::~PrefetchRows() { Stop(); }

void PrefetchRows::Stop() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
  queue_.Reset(std::move(current_));
}

void PrefetchRows::Produce() {
  for (;;) {
    std::unique_ptr<Batch> b = queue_.TakeFree();
    if (!b) return;  // stopped
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
    queue_.PushFull(std::move(b));
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
      queue_.GiveBack(std::move(current_));
    }
    current_ = queue_.TakeFull();  // never closed while Next runs: only Stop() closes
    pos_ = 0;
    bytes_read_ = current_->bytes;
  }
  if (current_->lines[pos_] > last_line_) {
    // The rest is below the table: the read-ahead stops, as at the end.
    Stop();
    done_ = true;
    cells.clear();
    return false;
  }
  cells.swap(current_->rows[pos_]);
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

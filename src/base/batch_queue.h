// BatchQueue: hands batches from one thread that fills them to one that uses them, through a
// fixed pool, so that a steady stream allocates nothing and memory stays `capacity` batches.
//
//   filler:  TakeFree() → fill → PushFull()      user: TakeFull() → use → GiveBack()
//
// The loader's read-ahead (datastore/ingest/prefetch), the export's read-ahead (datastore/export)
// and the PostgreSQL loader's sender (datastore/pg_backend) are the three users.
//
// Close() ends both sides at once (a load stopped or failed): every wait returns nullptr from
// then on. Finish() ends the stream from the filler's side: the user still gets what is queued,
// then nullptr. Reset() (with neither thread waiting) makes every batch free again and reopens.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

namespace odp {

template <class Batch>
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) {
    for (size_t i = 0; i < (capacity < 1 ? 1 : capacity); ++i)
      free_.push_back(std::make_unique<Batch>());
  }
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // A free batch to fill, waiting for one; nullptr once closed.
  std::unique_ptr<Batch> TakeFree() { return Take(free_, false); }
  void PushFull(std::unique_ptr<Batch> b) { Put(full_, std::move(b)); }
  // The next full batch, waiting for one; nullptr once closed, or finished and drained.
  std::unique_ptr<Batch> TakeFull() { return Take(full_, true); }
  void GiveBack(std::unique_ptr<Batch> b) { Put(free_, std::move(b)); }

  void Close() { End(closed_); }
  void Finish() { End(finished_); }
  // Every batch given back (`held`, if any, with them) is free again; open again. Only when no
  // thread uses the queue.
  void Reset(std::unique_ptr<Batch> held = nullptr) {
    std::lock_guard lock(mu_);
    if (held) free_.push_back(std::move(held));
    while (!full_.empty()) {
      free_.push_back(std::move(full_.front()));
      full_.pop_front();
    }
    closed_ = finished_ = false;
  }

 private:
  std::unique_ptr<Batch> Take(std::deque<std::unique_ptr<Batch>>& from, bool drains) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !from.empty() || (drains && finished_); });
    if (closed_ || from.empty()) return nullptr;
    std::unique_ptr<Batch> b = std::move(from.front());
    from.pop_front();
    return b;
  }
  void Put(std::deque<std::unique_ptr<Batch>>& to, std::unique_ptr<Batch> b) {
    {
      std::lock_guard lock(mu_);
      to.push_back(std::move(b));
    }
    cv_.notify_all();
  }
  void End(bool& flag) {
    {
      std::lock_guard lock(mu_);
      flag = true;
    }
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> free_, full_;  // guarded by mu_
  bool closed_ = false, finished_ = false;          // guarded by mu_
};

}  // namespace odp

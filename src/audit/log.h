// audit::Log: the tamper-evident log every server appends to (usage records of API calls and
// administrative events), its signed checkpoints, verification and the fail-closed gate.
//
// Writing. Append() queues a record and returns at once; one writer thread per Log writes the
// queue in batches (every `flush_interval`, or sooner when `batch` records wait), each batch one
// transaction that extends the one chain shared by every server (store/audit_store.h). A batch
// that fails stays queued and is retried (twice a second at most), with an "audit.outage" record
// noting the failure; while writes fail, Writable() is false, until a write succeeds. AppendNow()
// is for callers that must not go on unless their record is stored: it returns once the record
// (and everything queued before it) is committed, or with the failure.
//
// Fail closed. Requests that need audit (a consumer system's calls when the portal runs with
// `--audit-fail-closed`; services with personal data once grants mark them) call RequireWritable()
// before doing the work and AppendNow() for their record before answering; either failing gives
// kUnavailable, which the API answers with 503.
//
// Checkpoints. After a batch, when `checkpoint_every` records were appended since the newest
// checkpoint, or `checkpoint_interval` passed and the chain moved, the writer signs the head
// with the portal's audit key (Ed25519) and stores the checkpoint. The audit keys live in the
// database (`audit_keys`, made at the first Start()); a checkpoint's worth against an operator who
// can also read the secret key comes from copies kept elsewhere (ExportCheckpoints, `odp audit
// checkpoints`), which Verify() can be given instead of the stored ones.
//
// Thread-safe. Start() before use; Stop() writes what is queued and ends the writer (also run by
// the destructor). The store must outlive the Log.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/chain.h"
#include "base/status.h"
#include "base/time.h"
#include "store/audit_store.h"

namespace odp::audit {

struct LogOptions {
  int64_t checkpoint_every = 10000;             // N records
  Micros checkpoint_interval = 60LL * 1000000;  // T
  Micros flush_interval = 50LL * 1000;          // the writer's latency for Append()
  size_t batch = 2000;                          // at most this many records per transaction
  size_t max_queue = 200000;                    // beyond: Append() drops and counts
};

struct LogStats {
  int64_t written = 0;  // records committed by this Log
  int64_t dropped = 0;  // records refused because the queue was full
  int64_t failed_writes = 0;
  int64_t checkpoints = 0;  // checkpoints this Log made
  bool writable = true;
};

class Log final : public store::AuditSink {
 public:
  explicit Log(store::AuditStore& store, LogOptions options = {});
  ~Log();
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // Reads or makes the audit key and starts the writer thread.
  Status Start();
  // Writes what is queued (one attempt) and stops the writer. Idempotent.
  void Stop();

  // Queues `e` (its `at` is set to now when 0). Never blocks on the database.
  void Append(store::AuditEntry e);
  void Record(store::AuditEntry e) override { Append(std::move(e)); }
  // Queues `e` and waits until it is committed: OK, or kUnavailable with the store's failure.
  Status AppendNow(store::AuditEntry e);
  // Waits until everything queued before the call is committed (or a write failed).
  Status Flush();
  // OK while the log is writing; kUnavailable after a failed write, until one succeeds.
  Status RequireWritable() const;
  bool Writable() const;

  // Signs the head now (when the chain moved since the newest checkpoint) and returns the
  // newest checkpoint; nullopt when the log is empty.
  Result<std::optional<store::AuditCheckpoint>> CheckpointNow();

  LogStats stats() const;
  const LogOptions& options() const { return options_; }
  store::AuditStore& store() { return store_; }

 private:
  struct Pending {
    store::AuditEntry entry;
    std::shared_ptr<std::promise<Status>> done;  // set for AppendNow and Flush markers
    bool marker = false;                         // a Flush: no record
  };
  void Run();
  // Writes up to `batch` queued records; false when the write failed. REQUIRES: writer thread.
  bool WriteBatch();
  Status MaybeCheckpoint(const store::AuditRecord& head, bool force);

  store::AuditStore& store_;
  const LogOptions options_;
  SigningKey key_;  // set by Start, then read only

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  bool failing_ = false;       // guarded by mu_: the last write failed
  LogStats stats_;             // guarded by mu_
  std::thread writer_;

  // Writer thread only.
  int64_t last_checkpoint_seq_ = 0;
  Micros last_checkpoint_at_ = 0;
};

// Checks the chain from `from` to `to` (seq, inclusive; 0 = the whole log) with the store's keys
// and checkpoints, or with `external` (an exported file read by ParseCheckpointExport) instead.
struct CheckpointExport {
  std::vector<SigningKey> keys;  // public halves only
  std::vector<store::AuditCheckpoint> checkpoints;
};
Result<VerifyReport> VerifyLog(store::AuditStore& store, int64_t from, int64_t to,
                               const CheckpointExport* external = nullptr);

// The export: JSON lines, first every key {"type":"key","kid","public_key","created"}, then every
// checkpoint {"type":"checkpoint","seq","hash","at","kid","signature"}, by seq.
Result<std::string> ExportCheckpoints(store::AuditStore& store);
Result<CheckpointExport> ParseCheckpointExport(std::string_view text);

}  // namespace odp::audit

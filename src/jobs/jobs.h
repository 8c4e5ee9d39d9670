// The jobs layer: persisted background work shared by every server on one database.
//
// A job is a run of a *kind* ("datastore.load", "blob.gc", …) with a key and a JSON payload. A
// server registers a handler per kind; its worker threads claim due runs of the kinds it knows
// (JobStore::ClaimJobRun: exactly one server gets each run), hold them with a lease that a keeper
// thread renews every lease/5, and record how they ended. When a server dies its leases run
// out and another server claims the runs again (a take-over), from the start: handlers must be
// safe to run again. A handler that fails is retried after an exponential back-off until its
// kind's max_attempts; then the run is "failed" and stays so until a sysadmin retries it.
// Schedules (jobs/schedule.h) are kept in the database; each occurrence is fired by exactly one
// server (JobStore::FireJobSchedule). Finished runs are kept as history, pruned by age and count.
//
// Threads: Start() starts `workers` worker threads and one keeper thread (leases, cancellation,
// schedules, pruning); Stop() asks running handlers to stop (JobContext::stopping()), waits for
// them and joins every thread. A run a handler gives up at shutdown (returning kUnavailable) is
// handed back at once, its attempt not counted. Every public method is safe from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "jobs/schedule.h"
#include "store/job_store.h"

namespace odp::jobs {

// What a handler sees of its run. Owned by the worker running it; the flags may be set from
// other threads (the keeper, Cancel(), Stop()).
class JobContext {
 public:
  explicit JobContext(store::JobRun run) : run_(std::move(run)) {}
  const store::JobRun& run() const { return run_; }
  const std::string& payload() const { return run_.payload; }
  // A sysadmin (or a service) asked this run to stop, on this server or another one; also set
  // when the run starts (a take-over of a run whose server died while it was being cancelled):
  // a handler checks it first and records the cancellation.
  bool cancelled() const { return cancelled_; }
  // This server is stopping, or the kind was unregistered: give the run back (kUnavailable).
  bool stopping() const { return stopping_; }
  // The lease was lost (another server took the run over): stop, nothing written counts.
  bool lost() const { return lost_; }
  bool ShouldStop() const { return cancelled_ || stopping_ || lost_; }
  // The handler found its work cancelled by its own means (a service's record): the run ends
  // "cancelled" rather than "failed".
  void RecordCancelled() { cancelled_ = true; }
  // Progress shown to sysadmins: a fraction 0..1 and a short note (sent at the next renewal).
  void SetProgress(double fraction, std::string message);

 private:
  friend class Jobs;
  std::pair<double, std::string> Progress() const;
  const store::JobRun run_;
  std::atomic<bool> cancelled_{false}, stopping_{false}, lost_{false};
  mutable std::mutex mu_;
  double progress_ = 0;  // guarded by mu_
  std::string message_;  // guarded by mu_
};

// Returns OK when the work is done. An error retries the run (after back-off) or fails it; an
// error when the context was cancelled ends it "cancelled"; kUnavailable when stopping() hands
// it back. Exceptions are caught and count as errors.
using Handler = std::function<Status(JobContext&)>;

struct KindOptions {
  int max_attempts = 1;             // handler failures before "failed"
  Micros backoff = 30 * 1000000LL;  // delay before the first retry; doubles on each one
  Micros max_backoff = 3600 * 1000000LL;
  int concurrency = 0;  // runs of the kind at once on one server; 0: no limit
  // Called on the server that cancels a queued run of the kind (Cancel()), so that the service
  // can record it; a running run sees cancelled() instead.
  std::function<void(const store::JobRun&)> on_cancelled;
};

struct JobsOptions {
  int workers = 2;
  Micros lease = 30 * 1000000LL;  // renewed every lease/5; taken over when it runs out
  Micros poll = 500 * 1000LL;     // how often idle workers look for other servers' runs
  int takeover_allowance = 3;     // claims beyond max_attempts that a take-over may use
  Micros keep_history = 30LL * 86400 * 1000000;
  int keep_runs = 1000;
  int utc_offset_seconds = kPortalUtcOffsetSeconds;
  std::string owner;  // this server's name in the runs; "" for a random one
};

// What /admin shows.
struct JobsOverview {
  std::vector<store::JobRun> running, queued, failed, history;  // history: done and cancelled
  std::vector<store::JobSchedule> schedules;
  store::JobRunCounts counts;
};

class Jobs {
 public:
  Jobs(store::JobStore& store, JobsOptions options = {});
  ~Jobs();
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Adds (or replaces) the handler of `kind`; runs of it are claimed from now on.
  void Register(const std::string& kind, Handler handler, KindOptions options = {});
  // Stops claiming runs of `kind`, tells its running handlers here to stop and waits for them.
  void Unregister(const std::string& kind);

  void Start();
  void Stop();

  // Queues a run of `kind` at `run_at` (0: now). A non-empty `key` de-duplicates: a queued run
  // of the same kind and key is updated instead. Returns the run's id.
  Result<std::string> Enqueue(const std::string& kind, const std::string& key,
                              const std::string& payload, Micros run_at = 0);
  // Tells idle workers to look for due runs now (after runs were queued through the JobStore
  // directly, e.g. inside a caller's transaction).
  void Wake();
  // Keeps `kind` running on `spec` (schedule.h) under the name `id`, with `payload`. The next
  // occurrence is kept when the schedule exists unchanged (every server registers it at start).
  Status PutSchedule(const std::string& id, const std::string& kind, const std::string& spec,
                     const std::string& payload = "{}");
  Status RemoveSchedule(const std::string& id);
  // Queues a run of schedule `id`'s kind and payload now, outside its timetable (a sysadmin's
  // "run now"; tests that must not wait an hour), on whichever server claims it. The schedule's
  // next occurrence is unchanged. kNotFound when there is no such schedule. Returns the run's id.
  Result<std::string> RunScheduleNow(const std::string& id);

  // Cancels a run (queued: at once; running: its handler is told, on whichever server).
  Status Cancel(const std::string& id);
  // Cancels every queued or running run of `kind` with `key` or a key within it ("key/…");
  // returns how many.
  Result<int> CancelByKey(const std::string& kind, const std::string& key);
  // Queues a failed run again, with its attempts counted from zero (Conflict otherwise).
  Status Retry(const std::string& id);
  Result<store::JobRun> Get(const std::string& id);
  Result<JobsOverview> Overview(int history_limit = 50);

  // One step of the machinery on the calling thread (tests, commands without threads):
  // RunOnce claims one due run and runs it (true when it ran one); FireDueSchedules enqueues
  // what the schedules owe; RenewLeases renews this server's runs and reads cancellations;
  // PruneHistory forgets old finished runs.
  Result<bool> RunOnce();
  Status FireDueSchedules();
  void RenewLeases();
  Result<int64_t> PruneHistory();

  const std::string& owner() const { return options_.owner; }
  // Runs executing on this server now.
  int running_here() const { return running_here_; }
  // Runs that ended "failed" on this server since it started.
  int64_t failed_here() const { return failed_here_; }

 private:
  struct Kind {
    Handler handler;
    KindOptions options;
    int running = 0;  // runs on this server, and claims being made; guarded by mu_
  };
  void WorkerLoop();
  void KeeperLoop();
  std::vector<std::string> ClaimableKinds();  // REQUIRES: mu_ held
  // REQUIRES: a slot of run.kind is held (RunOnce); Execute gives it back.
  void Execute(store::JobRun run);
  Micros Backoff(const KindOptions& o, int attempts) const;

  store::JobStore& store_;
  JobsOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Kind> kinds_;                        // guarded by mu_
  std::map<std::string, std::shared_ptr<JobContext>> live_;  // run id -> context, guarded by mu_
  bool stopping_ = false;                                    // guarded by mu_
  bool wake_ = false;  // guarded by mu_: a run was queued here
  std::vector<std::thread> workers_;
  std::thread keeper_;
  std::atomic<int> running_here_{0};
  std::atomic<int64_t> failed_here_{0};
};

}  // namespace odp::jobs

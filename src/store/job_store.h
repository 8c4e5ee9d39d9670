// JobStore: where the jobs layer (jobs/jobs.h) keeps its runs and schedules, shared by every
// server on the database. One of the store's roles (store/store.h): `Store` includes it and
// SqlStore implements it with the others.
//
// The rules that make several servers safe live here, in single statements or transactions:
// a run is claimed by exactly one caller (ClaimJobRun), kept by renewing its lease (RenewJobRun),
// and finished only by its holder (FinishJobRun); a schedule's occurrence is fired by exactly one
// caller (FireJobSchedule). All methods are safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/transactions.h"

namespace odp::store {

// One run of a job. States: "queued" (waiting for `run_at`), "running" (held by `owner` until
// `lease_until`), "done", "failed", "cancelled". A run whose lease ran out is claimed again.
struct JobRun {
  std::string id;
  std::string kind;  // "datastore.load", "blob.gc", …: picks the handler
  // What it is about ("" when nothing): queued runs are de-duplicated by key, and cancelled by
  // key; "a/b" is within "a" (cancelling "a" cancels "a/b" too).
  std::string key;
  std::string payload;  // JSON, the handler's input
  std::string state = "queued";
  bool cancel_requested = false;  // asked to stop while running
  int attempts = 0;               // claims so far (a take-over counts)
  int max_attempts = 1;           // handler failures allowed before "failed"
  Micros run_at = 0;              // not before
  std::string owner;              // the server holding it; "" when none
  Micros lease_until = 0;
  double progress = 0;      // 0..1 as the handler reports it
  std::string message;      // the handler's short progress note
  std::string error;        // the last failure (kept on a retry)
  std::string schedule_id;  // the schedule that made it, or ""
  Micros created = 0, started = 0, finished = 0, updated = 0;
};

// A recurring job. `spec` is "every:SECONDS", "daily:HH:MM" (in the portal's time zone) or
// "once" (fires once at `next_run`, then stays with next_run 0). See jobs/schedule.h.
struct JobSchedule {
  std::string id;  // a stable name ("blob.gc")
  std::string kind;
  std::string payload;  // JSON
  std::string spec;
  int max_attempts = 1;
  Micros next_run = 0;  // 0: nothing due
  Micros last_run = 0;
  Micros updated = 0;
};

struct JobRunCounts {
  int64_t queued = 0, running = 0, failed = 0, done = 0, cancelled = 0;
};

class JobStore : public virtual Transactions {
 public:
  // Adds `run` as queued. When `run.key` is not empty and a queued run of the same kind and key
  // exists, that run gets the new payload and run_at instead (no duplicate). Returns the id of
  // the queued run.
  virtual Result<std::string> EnqueueJobRun(const JobRun& run) = 0;

  // Claims the oldest due run of one of `kinds`: a queued run whose run_at has come, or a
  // running run whose lease ended before `now` (its server died) while it has claims left
  // (attempts < max_attempts + `takeover_allowance`). It becomes "running", held by `owner`
  // until `lease_until`, with one more attempt. Exactly one caller gets a given run however
  // many servers ask at once. In the same transaction, expired runs with no claims left become
  // "failed". A run asked to stop is claimed like any other (its handler sees the request and
  // records the cancellation).
  virtual Result<std::optional<JobRun>> ClaimJobRun(const std::vector<std::string>& kinds,
                                                    const std::string& owner, Micros now,
                                                    Micros lease_until, int takeover_allowance) = 0;

  // Extends `owner`'s lease and records progress. Returns the run as it is now (its
  // cancel_requested flag), or nullopt when `owner` no longer holds it.
  virtual Result<std::optional<JobRun>> RenewJobRun(const std::string& id, const std::string& owner,
                                                    Micros lease_until, double progress,
                                                    const std::string& message, Micros now) = 0;

  // Ends `owner`'s hold: `state` "done", "failed", "cancelled", or "queued" again at `run_at`
  // (a retry after back-off, or handed back at shutdown; `count_attempt` false gives the claim
  // back). False when `owner` no longer held it.
  virtual Result<bool> FinishJobRun(const std::string& id, const std::string& owner,
                                    const std::string& state, const std::string& error,
                                    Micros run_at, bool count_attempt, Micros now) = 0;

  virtual Result<JobRun> GetJobRun(const std::string& id) = 0;
  // Runs in `state` ("" for all), newest first (by updated), at most `limit`.
  virtual Result<std::vector<JobRun>> ListJobRuns(const std::string& state, int limit) = 0;
  virtual Result<JobRunCounts> CountJobRuns() = 0;

  // A queued run becomes "cancelled"; a running one is asked to stop (cancel_requested: its
  // holder sees it at its next renewal). Returns the run's state before; NotFound when it does
  // not exist, Conflict when it is over.
  virtual Result<std::string> CancelJobRun(const std::string& id, Micros now) = 0;
  // Cancels every queued or running run of `kind` with `key` or a key within it ("key/…");
  // returns how many.
  virtual Result<int> CancelJobRunsByKey(const std::string& kind, const std::string& key,
                                         Micros now) = 0;
  // A failed run is queued again now, with its attempts counted from zero. Conflict when it
  // has not failed.
  virtual Status RetryJobRun(const std::string& id, Micros now) = 0;

  // Forgets finished runs that ended before `before`, and beyond the newest `keep` finished
  // ones. Returns how many went.
  virtual Result<int64_t> PruneJobRuns(Micros before, int keep) = 0;

  // Creates or replaces a schedule. `next_run` is kept when the schedule exists with the same
  // kind and spec (servers starting later do not move it), else set from `s.next_run`.
  virtual Status PutJobSchedule(const JobSchedule& s) = 0;
  virtual Result<std::vector<JobSchedule>> ListJobSchedules() = 0;
  virtual Status DeleteJobSchedule(const std::string& id) = 0;
  // Fires the occurrence of schedule `id` due at `due`: when its next_run is still `due`, moves
  // it to `next` and enqueues `run`, in one transaction; false when another server fired it
  // first (or the schedule changed). When a run of the schedule is still queued, the occurrence
  // joins it (no new run).
  virtual Result<bool> FireJobSchedule(const std::string& id, Micros due, Micros next,
                                       const JobRun& run) = 0;

 protected:
  ~JobStore() = default;
};

}  // namespace odp::store

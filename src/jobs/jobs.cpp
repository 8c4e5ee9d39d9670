#include "jobs/jobs.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "base/ids.h"
#include "base/log.h"

namespace odp::jobs {

void JobContext::SetProgress(double fraction, std::string message) {
  std::lock_guard lock(mu_);
  progress_ = std::clamp(fraction, 0.0, 1.0);
  message_ = std::move(message);
}

std::pair<double, std::string> JobContext::Progress() const {
  std::lock_guard lock(mu_);
  return {progress_, message_};
}

Jobs::Jobs(store::JobStore& store, JobsOptions options)
    : store_(store), options_(std::move(options)) {
  if (options_.owner.empty()) options_.owner = NewUuid();
  if (options_.workers < 1) options_.workers = 1;
  if (options_.lease < 5000) options_.lease = 5000;
}

Jobs::~Jobs() { Stop(); }

void Jobs::Register(const std::string& kind, Handler handler, KindOptions options) {
  {
    std::lock_guard lock(mu_);
    Kind& k = kinds_[kind];
    k.handler = std::move(handler);
    k.options = std::move(options);
    if (k.options.max_attempts < 1) k.options.max_attempts = 1;
    wake_ = true;
  }
  cv_.notify_all();
}

void Jobs::Unregister(const std::string& kind) {
  std::unique_lock lock(mu_);
  auto it = kinds_.find(kind);
  if (it == kinds_.end()) return;
  it->second.handler = nullptr;  // no more claims of it
  for (auto& [id, ctx] : live_) {
    if (ctx->run().kind == kind) ctx->stopping_ = true;
  }
  cv_.wait(lock, [&] { return kinds_[kind].running == 0; });
  kinds_.erase(kind);
}

void Jobs::Start() {
  std::lock_guard lock(mu_);
  if (keeper_.joinable()) return;
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  keeper_ = std::thread([this] { KeeperLoop(); });
}

void Jobs::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, ctx] : live_) ctx->stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  if (keeper_.joinable()) keeper_.join();
}

Result<std::string> Jobs::Enqueue(const std::string& kind, const std::string& key,
                                  const std::string& payload, Micros run_at) {
  store::JobRun r;
  r.id = NewUuid();
  r.kind = kind;
  r.key = key;
  r.payload = payload.empty() ? "{}" : payload;
  r.created = NowMicros();
  r.run_at = run_at > 0 ? run_at : r.created;
  {
    std::lock_guard lock(mu_);
    auto it = kinds_.find(kind);
    r.max_attempts = it != kinds_.end() ? it->second.options.max_attempts : 1;
  }
  ODP_ASSIGN_OR_RETURN(std::string id, store_.EnqueueJobRun(r));
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
  return id;
}

void Jobs::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

Status Jobs::PutSchedule(const std::string& id, const std::string& kind, const std::string& spec,
                         const std::string& payload) {
  ODP_ASSIGN_OR_RETURN(Schedule s, ParseSchedule(spec));
  const Micros now = NowMicros();
  store::JobSchedule j;
  j.id = id;
  j.kind = kind;
  j.payload = payload.empty() ? "{}" : payload;
  j.spec = ToSpec(s);
  j.next_run = s.kind == Schedule::Kind::kOnce
                   ? now
                   : NextOccurrence(s, now, now, options_.utc_offset_seconds);
  j.updated = now;
  {
    std::lock_guard lock(mu_);
    auto it = kinds_.find(kind);
    j.max_attempts = it != kinds_.end() ? it->second.options.max_attempts : 1;
  }
  return store_.PutJobSchedule(j);
}

Status Jobs::RemoveSchedule(const std::string& id) { return store_.DeleteJobSchedule(id); }

Result<std::string> Jobs::RunScheduleNow(const std::string& id) {
  ODP_ASSIGN_OR_RETURN(auto schedules, store_.ListJobSchedules());
  for (const store::JobSchedule& s : schedules) {
    if (s.id == id) return Enqueue(s.kind, "", s.payload);
  }
  return Status::NotFound("job schedule", id);
}

Status Jobs::Cancel(const std::string& id) {
  ODP_ASSIGN_OR_RETURN(store::JobRun run, store_.GetJobRun(id));
  ODP_ASSIGN_OR_RETURN(std::string before, store_.CancelJobRun(id, NowMicros()));
  std::function<void(const store::JobRun&)> hook;
  {
    std::lock_guard lock(mu_);
    auto live = live_.find(id);
    if (live != live_.end()) live->second->cancelled_ = true;  // ours: told at once
    auto k = kinds_.find(run.kind);
    if (before == "queued" && k != kinds_.end()) hook = k->second.options.on_cancelled;
  }
  if (hook) hook(run);
  return Status::Ok();
}

Result<int> Jobs::CancelByKey(const std::string& kind, const std::string& key) {
  ODP_ASSIGN_OR_RETURN(int n, store_.CancelJobRunsByKey(kind, key, NowMicros()));
  std::lock_guard lock(mu_);
  for (auto& [id, ctx] : live_) {
    const std::string& k = ctx->run().key;
    if (ctx->run().kind == kind && (k == key || k.rfind(key + "/", 0) == 0)) ctx->cancelled_ = true;
  }
  return n;
}

Status Jobs::Retry(const std::string& id) {
  ODP_RETURN_IF_ERROR(store_.RetryJobRun(id, NowMicros()));
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
  return Status::Ok();
}

Result<store::JobRun> Jobs::Get(const std::string& id) { return store_.GetJobRun(id); }

Result<JobsOverview> Jobs::Overview(int history_limit) {
  JobsOverview o;
  ODP_ASSIGN_OR_RETURN(o.running, store_.ListJobRuns("running", 200));
  ODP_ASSIGN_OR_RETURN(o.queued, store_.ListJobRuns("queued", 200));
  ODP_ASSIGN_OR_RETURN(o.failed, store_.ListJobRuns("failed", 200));
  ODP_ASSIGN_OR_RETURN(auto done, store_.ListJobRuns("done", history_limit));
  ODP_ASSIGN_OR_RETURN(auto cancelled, store_.ListJobRuns("cancelled", history_limit));
  o.history = std::move(done);
  o.history.insert(o.history.end(), cancelled.begin(), cancelled.end());
  std::sort(o.history.begin(), o.history.end(),
            [](const store::JobRun& a, const store::JobRun& b) { return a.finished > b.finished; });
  if (o.history.size() > static_cast<size_t>(std::max(0, history_limit)))
    o.history.resize(history_limit);
  std::sort(o.queued.begin(), o.queued.end(),
            [](const store::JobRun& a, const store::JobRun& b) { return a.run_at < b.run_at; });
  ODP_ASSIGN_OR_RETURN(o.schedules, store_.ListJobSchedules());
  ODP_ASSIGN_OR_RETURN(o.counts, store_.CountJobRuns());
  return o;
}

std::vector<std::string> Jobs::ClaimableKinds() {
  std::vector<std::string> out;
  for (const auto& [name, k] : kinds_) {
    if (!k.handler) continue;
    if (k.options.concurrency > 0 && k.running >= k.options.concurrency) continue;
    out.push_back(name);
  }
  return out;
}

Result<bool> Jobs::RunOnce() {
  // Every kind asked for holds a slot while the claim is made, so that two workers cannot both
  // claim the last free slot of a kind; the slots of the kinds not claimed are given back.
  std::vector<std::string> kinds;
  {
    std::lock_guard lock(mu_);
    kinds = ClaimableKinds();
    for (const auto& k : kinds) ++kinds_[k].running;
  }
  auto release = [&](const std::string& keep) {
    {
      std::lock_guard lock(mu_);
      for (const auto& k : kinds) {
        if (k != keep) --kinds_[k].running;
      }
    }
    cv_.notify_all();
  };
  if (kinds.empty()) return false;
  const Micros now = NowMicros();
  auto run = store_.ClaimJobRun(kinds, options_.owner, now, now + options_.lease,
                                options_.takeover_allowance);
  if (!run.ok() || !run->has_value()) {
    release("");
    if (!run.ok()) return run.status();
    return false;
  }
  release((*run)->kind);
  Execute(std::move(**run));
  return true;
}

Micros Jobs::Backoff(const KindOptions& o, int attempts) const {
  Micros d = std::max<Micros>(o.backoff, 0);
  for (int i = 1; i < attempts && d < o.max_backoff; ++i) d *= 2;
  return std::min(d, o.max_backoff);
}

void Jobs::Execute(store::JobRun run) {
  auto ctx = std::make_shared<JobContext>(run);
  Handler handler;
  KindOptions kopts;
  {
    std::lock_guard lock(mu_);
    auto it = kinds_.find(run.kind);
    if (!it->second.handler) {
      // Unregistered between the claim and now: hand it back untouched.
      --it->second.running;
      cv_.notify_all();
      (void)store_.FinishJobRun(run.id, options_.owner, "queued", "", NowMicros(), false,
                                NowMicros());
      return;
    }
    handler = it->second.handler;
    kopts = it->second.options;
    live_[run.id] = ctx;
    if (stopping_) ctx->stopping_ = true;
    if (run.cancel_requested) ctx->cancelled_ = true;
  }
  ++running_here_;
  Status s;
  try {
    s = handler(*ctx);
  } catch (const std::exception& e) {
    s = Status::Internal(std::string("job handler threw: ") + e.what());
  } catch (...) {
    s = Status::Internal("job handler threw");
  }
  const Micros now = NowMicros();
  std::string state, error;
  Micros run_at = now;
  bool count_attempt = true;
  if (ctx->lost()) {
    LogWarn("jobs: " + run.kind + " " + run.id + " was taken over by another server");
  } else if (s.ok()) {
    state = "done";  // finished before a late cancel could stop it
  } else if (ctx->cancelled()) {
    state = "cancelled";
    error = "cancelled on request";
  } else if (ctx->stopping() && s.code() == StatusCode::kUnavailable) {
    state = "queued";  // handed back at shutdown: the next server to claim it starts again
    count_attempt = false;
  } else if (run.attempts < kopts.max_attempts) {
    state = "queued";
    error = s.message();
    run_at = now + Backoff(kopts, run.attempts);
    LogWarn("jobs: " + run.kind + " " + run.id + " failed (attempt " +
            std::to_string(run.attempts) + " of " + std::to_string(kopts.max_attempts) +
            "), retried in " + std::to_string((run_at - now) / 1000000) + " s: " + s.message());
  } else {
    state = "failed";
    error = s.message();
    ++failed_here_;
    LogWarn("jobs: " + run.kind + " " + run.id + " failed: " + s.message());
  }
  if (!state.empty()) {
    auto finished =
        store_.FinishJobRun(run.id, options_.owner, state, error, run_at, count_attempt, now);
    if (!finished.ok())
      LogWarn("jobs: cannot record the end of " + run.id + ": " + finished.status().message());
  }
  {
    std::lock_guard lock(mu_);
    live_.erase(run.id);
    auto it = kinds_.find(run.kind);
    if (it != kinds_.end()) --it->second.running;
    wake_ = true;  // a slot of the kind is free again
  }
  --running_here_;
  cv_.notify_all();
}

void Jobs::WorkerLoop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto ran = RunOnce();
    if (!ran.ok()) LogWarn("jobs: cannot read the queue: " + ran.status().message());
    if (ran.ok() && *ran) continue;
    // Woken by our own queueing at once; other servers' runs (and taken-over ones) are polled.
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::microseconds(options_.poll),
                 [this] { return stopping_ || wake_; });
    wake_ = false;
  }
}

void Jobs::RenewLeases() {
  std::vector<std::shared_ptr<JobContext>> live;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, ctx] : live_) live.push_back(ctx);
  }
  for (auto& ctx : live) {
    auto [progress, message] = ctx->Progress();
    const Micros now = NowMicros();
    auto r = store_.RenewJobRun(ctx->run().id, options_.owner, now + options_.lease, progress,
                                message, now);
    if (!r.ok()) continue;  // the database is away: try again at the next renewal
    if (!r->has_value()) {
      ctx->lost_ = true;
    } else if ((*r)->cancel_requested) {
      ctx->cancelled_ = true;
    }
  }
}

Status Jobs::FireDueSchedules() {
  ODP_ASSIGN_OR_RETURN(auto schedules, store_.ListJobSchedules());
  const Micros now = NowMicros();
  for (const auto& sch : schedules) {
    if (sch.next_run <= 0 || sch.next_run > now) continue;
    auto parsed = ParseSchedule(sch.spec);
    if (!parsed.ok()) continue;
    store::JobRun run;
    run.id = NewUuid();
    run.kind = sch.kind;
    run.key = "schedule:" + sch.id;
    run.payload = sch.payload;
    run.max_attempts = sch.max_attempts;
    run.run_at = sch.next_run;
    run.schedule_id = sch.id;
    run.created = now;
    Micros next = NextOccurrence(*parsed, sch.next_run, now, options_.utc_offset_seconds);
    ODP_ASSIGN_OR_RETURN(bool fired, store_.FireJobSchedule(sch.id, sch.next_run, next, run));
    if (fired) {
      std::lock_guard lock(mu_);
      wake_ = true;
    }
  }
  cv_.notify_all();
  return Status::Ok();
}

Result<int64_t> Jobs::PruneHistory() {
  return store_.PruneJobRuns(NowMicros() - options_.keep_history, options_.keep_runs);
}

void Jobs::KeeperLoop() {
  const auto renew_every = std::chrono::microseconds(std::max<Micros>(options_.lease / 5, 1000));
  auto last_prune = std::chrono::steady_clock::now() - std::chrono::hours(1);
  auto last_fire = last_prune;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, renew_every, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    RenewLeases();
    auto now = std::chrono::steady_clock::now();
    if (now - last_fire >= std::chrono::microseconds(options_.poll)) {
      last_fire = now;
      if (Status s = FireDueSchedules(); !s.ok())
        LogWarn("jobs: cannot fire schedules: " + s.message());
    }
    if (now - last_prune >= std::chrono::minutes(10)) {
      last_prune = now;
      auto pruned = PruneHistory();
      if (!pruned.ok()) LogWarn("jobs: cannot prune the history: " + pruned.status().message());
    }
    lock.lock();
  }
}

}  // namespace odp::jobs

#include "audit/log.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include <nlohmann/json.hpp>

#include "access/jwt.h"
#include "base/log.h"

namespace odp::audit {

using json = nlohmann::json;

Log::Log(store::AuditStore& store, LogOptions options) : store_(store), options_(options) {}

Log::~Log() { Stop(); }

Status Log::Start() {
  ODP_ASSIGN_OR_RETURN(auto keys, store_.ListAuditKeys());
  if (keys.empty()) {
    SigningKey k = access::NewSigningKey(NowMicros());
    ODP_RETURN_IF_ERROR(store_.InsertAuditKey(k));
    // Another server may have made one at the same moment: both stay valid; use the newest.
    ODP_ASSIGN_OR_RETURN(keys, store_.ListAuditKeys());
  }
  if (keys.empty()) return Status::Internal("no audit key after making one");
  key_ = keys.back();
  ODP_ASSIGN_OR_RETURN(auto latest, store_.LatestAuditCheckpoint());
  if (latest) {
    last_checkpoint_seq_ = latest->seq;
    last_checkpoint_at_ = latest->at;
  } else {
    last_checkpoint_at_ = NowMicros();
  }
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  writer_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Log::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!writer_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void Log::Append(store::AuditEntry e) {
  if (e.at == 0) e.at = NowMicros();
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= options_.max_queue) {
      ++stats_.dropped;
      return;
    }
    queue_.push_back({std::move(e), nullptr, false});
    wake = queue_.size() >= options_.batch;
  }
  if (wake) wake_.notify_one();
}

Status Log::AppendNow(store::AuditEntry e) {
  if (e.at == 0) e.at = NowMicros();
  auto done = std::make_shared<std::promise<Status>>();
  auto result = done->get_future();
  {
    std::lock_guard lock(mu_);
    if (!writer_.joinable()) return Status::Unavailable("the audit log is not running");
    queue_.push_back({std::move(e), done, false});
  }
  wake_.notify_one();
  return result.get();
}

Status Log::Flush() {
  auto done = std::make_shared<std::promise<Status>>();
  auto result = done->get_future();
  {
    std::lock_guard lock(mu_);
    if (!writer_.joinable()) return Status::Unavailable("the audit log is not running");
    queue_.push_back({{}, done, true});
  }
  wake_.notify_one();
  return result.get();
}

Status Log::RequireWritable() const {
  std::lock_guard lock(mu_);
  if (failing_ || !writer_.joinable()) {
    return Status::Unavailable(
        "the audit log cannot be written; calls that must be logged are "
        "refused until it can");
  }
  return Status::Ok();
}

bool Log::Writable() const { return RequireWritable().ok(); }

LogStats Log::stats() const {
  std::lock_guard lock(mu_);
  LogStats s = stats_;
  s.writable = !failing_;
  return s;
}

void Log::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    bool stopping = stopping_;
    if (!stopping && (queue_.size() < options_.batch || failing_)) {
      // While writes fail, retry at most twice a second.
      Micros wait =
          failing_ ? std::max<Micros>(options_.flush_interval, 500000) : options_.flush_interval;
      wake_.wait_for(lock, std::chrono::microseconds(wait));
    }
    stopping = stopping_;
    // A failed batch is retried at the next tick; at Stop, once.
    bool progress = true;
    while (!queue_.empty() && progress) {
      lock.unlock();
      progress = WriteBatch();
      lock.lock();
      if (!progress) break;
    }
    // Idle: a checkpoint after T seconds, when the chain moved (here or on another server).
    if (queue_.empty() && NowMicros() - last_checkpoint_at_ >= options_.checkpoint_interval) {
      lock.unlock();
      auto head = store_.AuditHead();
      if (head.ok() && head->seq > last_checkpoint_seq_) {
        Status cp = MaybeCheckpoint(*head, false);
        if (!cp.ok()) LogError("audit checkpoint failed: " + cp.message());
      } else {
        last_checkpoint_at_ = NowMicros();  // nothing new: look again after T
      }
      lock.lock();
    }
    if (stopping) {
      // What could not be written is reported to those waiting.
      for (auto& p : queue_) {
        if (p.done) p.done->set_value(Status::Unavailable("the audit log stopped before writing"));
      }
      queue_.clear();
      return;
    }
  }
}

bool Log::WriteBatch() {
  std::vector<Pending> batch;
  {
    std::lock_guard lock(mu_);
    while (!queue_.empty() && batch.size() < options_.batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  std::vector<store::AuditEntry> entries;
  entries.reserve(batch.size());
  for (const auto& p : batch) {
    if (!p.marker) entries.push_back(p.entry);
  }
  auto head = store_.AppendAuditRecords(entries, RecordHash);
  std::unique_lock lock(mu_);
  if (!head.ok()) {
    ++stats_.failed_writes;
    if (!failing_) {
      LogError("audit log write failed: " + head.status().message());
      // The outage itself is recorded once writing works again; until then this record is
      // retried, and its success is what lifts the fail-closed refusal.
      store::AuditEntry outage;
      outage.at = NowMicros();
      outage.kind = "audit.outage";
      outage.actor = "system";
      outage.body = json{{"error", head.status().message()}}.dump(-1, ' ', false,
                                                                  json::error_handler_t::replace);
      queue_.push_back({std::move(outage), nullptr, false});
    }
    failing_ = true;
    Status failure =
        Status::Unavailable("the audit log cannot be written: " + head.status().message());
    // Waiting callers get the failure and their records are dropped (their requests are
    // refused); records queued with Append() go back to the front, in order, for a retry.
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
      if (it->done) {
        it->done->set_value(failure);
      } else {
        queue_.push_front(std::move(*it));
      }
    }
    return false;
  }
  failing_ = false;
  stats_.written += static_cast<int64_t>(entries.size());
  store::AuditRecord h = std::move(head).value();
  lock.unlock();
  // The checkpoint this batch makes due comes before the waiters hear of it (Flush then covers it).
  Status cp = MaybeCheckpoint(h, false);
  if (!cp.ok()) LogError("audit checkpoint failed: " + cp.message());
  for (auto& p : batch) {
    if (p.done) p.done->set_value(Status::Ok());
  }
  return true;
}

Status Log::MaybeCheckpoint(const store::AuditRecord& head, bool force) {
  if (head.seq == 0 || head.seq <= last_checkpoint_seq_) return Status::Ok();
  Micros now = NowMicros();
  bool due = force || head.seq - last_checkpoint_seq_ >= options_.checkpoint_every ||
             now - last_checkpoint_at_ >= options_.checkpoint_interval;
  if (!due) return Status::Ok();
  // Another server may have made a newer one.
  ODP_ASSIGN_OR_RETURN(auto latest, store_.LatestAuditCheckpoint());
  if (latest && latest->seq >= head.seq) {
    last_checkpoint_seq_ = latest->seq;
    last_checkpoint_at_ = latest->at;
    return Status::Ok();
  }
  if (!force && latest && head.seq - latest->seq < options_.checkpoint_every &&
      now - latest->at < options_.checkpoint_interval) {
    last_checkpoint_seq_ = latest->seq;
    last_checkpoint_at_ = latest->at;
    return Status::Ok();
  }
  ODP_ASSIGN_OR_RETURN(auto c, SignCheckpoint(head.seq, head.hash, now, key_));
  ODP_RETURN_IF_ERROR(store_.InsertAuditCheckpoint(c));
  last_checkpoint_seq_ = head.seq;
  last_checkpoint_at_ = now;
  std::lock_guard lock(mu_);
  ++stats_.checkpoints;
  return Status::Ok();
}

Result<std::optional<store::AuditCheckpoint>> Log::CheckpointNow() {
  ODP_RETURN_IF_ERROR(Flush());
  ODP_ASSIGN_OR_RETURN(auto head, store_.AuditHead());
  if (head.seq == 0) return std::optional<store::AuditCheckpoint>();
  ODP_ASSIGN_OR_RETURN(auto latest, store_.LatestAuditCheckpoint());
  if (!latest || latest->seq < head.seq) {
    ODP_ASSIGN_OR_RETURN(auto c, SignCheckpoint(head.seq, head.hash, NowMicros(), key_));
    ODP_RETURN_IF_ERROR(store_.InsertAuditCheckpoint(c));
    return std::optional<store::AuditCheckpoint>(c);
  }
  return latest;
}

Result<VerifyReport> VerifyLog(store::AuditStore& store, int64_t from, int64_t to,
                               const CheckpointExport* external) {
  from = std::max<int64_t>(from, 1);
  std::vector<SigningKey> keys;
  std::vector<store::AuditCheckpoint> checkpoints;
  if (external != nullptr) {
    keys = external->keys;
    for (const auto& c : external->checkpoints) {
      if (c.seq >= from && (to == 0 || c.seq <= to)) checkpoints.push_back(c);
    }
  } else {
    ODP_ASSIGN_OR_RETURN(keys, store.ListAuditKeys());
    ODP_ASSIGN_OR_RETURN(checkpoints, store.ListAuditCheckpoints(from, to));
  }
  ODP_ASSIGN_OR_RETURN(auto head, store.AuditHead());
  Verifier v(from, std::move(keys), std::move(checkpoints));
  constexpr int kPage = 10000;
  int64_t after = from - 1;
  for (;;) {
    ODP_ASSIGN_OR_RETURN(auto page, store.ListAuditRecords(after, to, kPage));
    if (page.empty()) break;
    for (const auto& r : page) {
      if (!v.Add(r)) return v.Finish(to);
    }
    after = page.back().seq;
    if (static_cast<int>(page.size()) < kPage) break;
  }
  // The chain must reach the head the database states (records removed from the end).
  int64_t end = to == 0 ? head.seq : std::min(to, head.seq);
  return v.Finish(end);
}

Result<std::string> ExportCheckpoints(store::AuditStore& store) {
  ODP_ASSIGN_OR_RETURN(auto keys, store.ListAuditKeys());
  ODP_ASSIGN_OR_RETURN(auto checkpoints, store.ListAuditCheckpoints(0, 0));
  std::string out;
  for (const auto& k : keys) {
    out += json{{"type", "key"},
                {"kid", k.kid},
                {"public_key", k.public_key},
                {"created", FormatIsoSeconds(k.created)}}
               .dump();
    out += '\n';
  }
  for (const auto& c : checkpoints) {
    out += json{{"type", "checkpoint"}, {"seq", c.seq}, {"hash", c.hash},
                {"at", c.at},           {"kid", c.kid}, {"signature", c.signature}}
               .dump();
    out += '\n';
  }
  return out;
}

Result<CheckpointExport> ParseCheckpointExport(std::string_view text) {
  CheckpointExport out;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j = json::parse(line, nullptr, false);
    auto bad = [&] {
      return Status::InvalidArgument("checkpoint file line " + std::to_string(line_no) +
                                     ": not a key or checkpoint line");
    };
    if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) return bad();
    try {
      if (j["type"] == "key") {
        SigningKey k;
        k.kid = j.at("kid").get<std::string>();
        k.public_key = j.at("public_key").get<std::string>();
        out.keys.push_back(std::move(k));
      } else if (j["type"] == "checkpoint") {
        out.checkpoints.push_back({j.at("seq").get<int64_t>(), j.at("hash").get<std::string>(),
                                   j.at("at").get<int64_t>(), j.at("kid").get<std::string>(),
                                   j.at("signature").get<std::string>()});
      } else {
        return bad();
      }
    } catch (const json::exception&) {
      return bad();
    }
  }
  std::sort(out.checkpoints.begin(), out.checkpoints.end(),
            [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return out;
}

}  // namespace odp::audit

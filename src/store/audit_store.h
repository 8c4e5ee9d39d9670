// AuditStore: where the tamper-evident log (audit/log.h) keeps its records, its signed
// checkpoints and the keys that sign them, shared by every server on the database. One of the
// store's roles (store/store.h): `Store` includes it and SqlStore implements it with the others.
//
// One chain for every server. The head of the chain (its last sequence number and hash) is one
// row, `audit_head`, read and moved in the same transaction as the records appended after it
// (PostgreSQL: SELECT … FOR UPDATE on that row; SQLite: BEGIN IMMEDIATE), so appends from any
// number of servers are serialised into one gap-free sequence 1, 2, 3, …
//
// Append only. The schema refuses UPDATE and DELETE on `audit_log` and `audit_checkpoints`
// with triggers; someone with the database's owner rights can drop them, which is what the
// chain and the signed checkpoints (checked by `odp audit verify`) make visible.
//
// All methods are safe to call from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/records.h"
#include "store/transactions.h"

namespace odp::store {

// What a caller appends: an administrative event or the usage record of one API call.
struct AuditEntry {
  Micros at = 0;
  std::string kind;          // "api.call", "consumer.approved", "login.failed", …
  std::string actor;         // "user:<id>", "consumer:<id>", "anonymous", "system"
  std::string organization;  // the organization concerned (an api.call: the data's provider)
  std::string subject;       // what it is about: a resource, a consumer system, a setting, …
  std::string request_id;    // the HTTP request it came from, or ""
  int64_t status = 0;        // api.call: the HTTP status; 0 for events
  int64_t rows = -1;         // api.call: rows answered, -1 when not known
  int64_t bytes = 0;         // api.call: body bytes answered
  int64_t duration_us = 0;   // api.call: time spent by the handler
  std::string body;          // a JSON object with the rest; hashed as the bytes given
};

// An entry in the chain. `prev_hash` and `hash` are lower-case hex SHA-256 (audit/chain.h says
// over which bytes); the first record's prev_hash is 64 zeros.
struct AuditRecord : AuditEntry {
  int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
};

// A signed statement "the chain's record `seq` has hash `hash`" (audit/chain.h).
struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;  // hex
  Micros at = 0;
  std::string kid;        // the audit key that signed it
  std::string signature;  // Ed25519, 64 bytes, URL-safe base64
};

// Filters of the log's views; empty strings and zeros match everything.
struct AuditQuery {
  std::string kind;          // exact kind, or a prefix ending in '.' ("consumer.")
  std::string actor;         // exact
  std::string organization;  // exact
  Micros from = 0;           // at >= from
  Micros to = 0;             // at < to (0: no end)
  int limit = 100;
  int64_t before_seq = 0;  // paging: seq < before_seq (0: from the newest)
};

// Calls summed per day (Viet Nam time, "2026-12-07") and provider organization.
struct AuditCallTotal {
  std::string day;
  std::string organization;
  int64_t calls = 0;
  int64_t errors = 0;  // status >= 400
  int64_t rows = 0;    // known rows only
  int64_t bytes = 0;
  int64_t duration_us = 0;
};

// An administrative event happening now; `details` is a JSON object's text.
inline AuditEntry AuditEvent(std::string kind, std::string actor, std::string organization,
                             std::string subject, std::string details) {
  AuditEntry e;
  e.at = NowMicros();
  e.kind = std::move(kind);
  e.actor = std::move(actor);
  e.organization = std::move(organization);
  e.subject = std::move(subject);
  e.body = std::move(details);
  return e;
}

// Where services below the audit layer (access, catalog) send their administrative events;
// audit::Log implements it. Record never blocks on the database and never fails the caller.
class AuditSink {
 public:
  virtual void Record(AuditEntry e) = 0;

 protected:
  ~AuditSink() = default;
};

class AuditStore : public virtual Transactions {
 public:
  // Computes a record's hash (hex) once its seq and prev_hash are set (audit::RecordHash).
  using AuditHasher = std::function<std::string(const AuditRecord&)>;

  // Appends `entries` in order after the head, in one transaction (joining the caller's, if
  // any), and returns the new head. An empty `entries` returns the head unchanged.
  virtual Result<AuditRecord> AppendAuditRecords(const std::vector<AuditEntry>& entries,
                                                 const AuditHasher& hash) = 0;
  // The head: seq 0 and an empty hash when the log is empty.
  virtual Result<AuditRecord> AuditHead() = 0;
  // Records with after_seq < seq <= to_seq (to_seq 0: no end), by seq, at most `limit`.
  virtual Result<std::vector<AuditRecord>> ListAuditRecords(int64_t after_seq, int64_t to_seq,
                                                            int limit) = 0;
  // Records matching `q`, newest first.
  virtual Result<std::vector<AuditRecord>> QueryAuditRecords(const AuditQuery& q) = 0;
  // "api.call" records matching `q` (kind ignored), summed per day and organization.
  virtual Result<std::vector<AuditCallTotal>> SumAuditCalls(const AuditQuery& q) = 0;

  // A checkpoint at a seq that already has one is dropped (another server made it).
  virtual Status InsertAuditCheckpoint(const AuditCheckpoint& c) = 0;
  // Checkpoints with from <= seq <= to (to 0: no end), by seq.
  virtual Result<std::vector<AuditCheckpoint>> ListAuditCheckpoints(int64_t from, int64_t to) = 0;
  virtual Result<std::optional<AuditCheckpoint>> LatestAuditCheckpoint() = 0;

  // The Ed25519 keys that sign checkpoints (kept forever: old checkpoints stay verifiable).
  virtual Status InsertAuditKey(const SigningKey& k) = 0;
  virtual Result<std::vector<SigningKey>> ListAuditKeys() = 0;  // oldest first

 protected:
  ~AuditStore() = default;
};

}  // namespace odp::store

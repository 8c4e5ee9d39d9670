// The tamper-evident log's arithmetic: the canonical bytes of a record and of a checkpoint, the
// hash chain, Ed25519 checkpoint signatures, and the check that finds the first bad record.
// Pure functions over store records; audit/log.h does the I/O.
//
// Canonical encoding, version 1 (what is hashed; JSON is never re-serialised to hash it, the
// body is hashed as the bytes stored). A sequence of fields, each either
//   - an integer: 8 bytes, big-endian two's complement, or
//   - a string: its length as 4 bytes big-endian, then its bytes (no terminator),
// so no two different records share an encoding. A record is:
//   string "odp.audit.record.v1", int seq, int at (µs since the epoch), string kind,
//   string actor, string organization, string subject, string request_id, int status, int rows,
//   int bytes, int duration_us, string body, string prev_hash (the 32 raw bytes of the previous
//   record's hash; 32 zero bytes for record 1)
// and its hash is SHA-256 of those bytes, stored as lower-case hex. A checkpoint is:
//   string "odp.audit.checkpoint.v1", int seq, string hash (32 raw bytes), int at, string kid
// signed with Ed25519 (detached, 64 bytes); anyone holding the public key (the `audit_keys`
// table, `odp audit checkpoints`) can check it.
//
// What the chain shows. Editing a record changes its hash (the stored hash no longer matches, or
// the next record's prev_hash does not); deleting, inserting or reordering breaks the sequence or
// a link. Someone who rewrites a record *and* every hash after it is caught by the first
// checkpoint after the change (its signature covers the old hash), and someone who can also sign
// is caught by a checkpoint kept outside the database (`odp audit verify --checkpoints FILE`).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "store/audit_store.h"
#include "store/records.h"

namespace odp::audit {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

std::string CanonicalRecordBytes(const store::AuditRecord& r);
// Lower-case hex SHA-256 of CanonicalRecordBytes(r). REQUIRES: r.prev_hash is 64 hex digits
// (a malformed one is hashed as 32 zero bytes, and verification reports it).
std::string RecordHash(const store::AuditRecord& r);

std::string CanonicalCheckpointBytes(const store::AuditCheckpoint& c);
// A checkpoint of record `seq` with `hash`, signed by `key` (an Ed25519 key of access/jwt.h's
// NewSigningKey form). kInternal when the key is unusable.
Result<store::AuditCheckpoint> SignCheckpoint(int64_t seq, const std::string& hash, Micros at,
                                              const SigningKey& key);
// True when `c`'s signature is valid under `key` (whose kid must match).
bool CheckpointSignatureValid(const store::AuditCheckpoint& c, const SigningKey& key);

// The outcome of a verification. `ok` false names the first problem: the record (`bad_seq`,
// 0 when the problem is not one record) and what is wrong, in English.
struct VerifyReport {
  bool ok = true;
  int64_t records = 0;      // records checked
  int64_t checkpoints = 0;  // checkpoints checked
  int64_t first_seq = 0, last_seq = 0;
  int64_t bad_seq = 0;
  std::string problem;
};

// Checks a stretch of the chain fed in order, record by record, and the checkpoints over it.
// Usage: Verifier v(from, keys, checkpoints); for each record (by seq) v.Add(r); then
// v.Finish(head_seq). The first record fed must be `from` (or the first after it); its own
// prev_hash is taken as given unless `from` is 1 (then it must be the genesis hash).
class Verifier {
 public:
  // `checkpoints` are those with seq in the stretch, by seq (the stored ones, or an exported
  // file's).
  Verifier(int64_t from, std::vector<SigningKey> keys,
           std::vector<store::AuditCheckpoint> checkpoints);
  // Returns false once a problem was found (the report says which); later calls do nothing.
  bool Add(const store::AuditRecord& r);
  // Ends the stretch at `to` (the last seq expected; 0: whatever was fed). Checkpoints beyond
  // the last record fed are a problem (records were removed from the end).
  VerifyReport Finish(int64_t to);

 private:
  bool Fail(int64_t seq, std::string problem);
  bool CheckCheckpoint(const store::AuditCheckpoint& c, const std::string& computed);

  std::vector<SigningKey> keys_;
  std::vector<store::AuditCheckpoint> checkpoints_;
  size_t next_checkpoint_ = 0;
  int64_t expected_seq_;
  std::string prev_hash_;  // the hash the next record must link to; "" = take it as given
  VerifyReport report_;
};

}  // namespace odp::audit

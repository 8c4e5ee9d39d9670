#include "audit/chain.h"

#include <utility>

#include <sodium.h>

#include "base/crypto.h"

namespace odp::audit {
namespace {

void PutInt(std::string& out, int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((u >> shift) & 0xff));
}

void PutString(std::string& out, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(s);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The 32 raw bytes of a lower-case hex SHA-256, or nullopt when `hex` is not one.
std::optional<std::string> RawHash(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::string raw(32, '\0');
  for (size_t i = 0; i < 32; ++i) {
    int hi = HexDigit(hex[2 * i]);
    int lo = HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    raw[i] = static_cast<char>(hi * 16 + lo);
  }
  return raw;
}

}  // namespace

std::string CanonicalRecordBytes(const store::AuditRecord& r) {
  std::string out;
  out.reserve(160 + r.kind.size() + r.actor.size() + r.organization.size() + r.subject.size() +
              r.request_id.size() + r.body.size());
  PutString(out, "odp.audit.record.v1");
  PutInt(out, r.seq);
  PutInt(out, r.at);
  PutString(out, r.kind);
  PutString(out, r.actor);
  PutString(out, r.organization);
  PutString(out, r.subject);
  PutString(out, r.request_id);
  PutInt(out, r.status);
  PutInt(out, r.rows);
  PutInt(out, r.bytes);
  PutInt(out, r.duration_us);
  PutString(out, r.body);
  PutString(out, RawHash(r.prev_hash).value_or(std::string(32, '\0')));
  return out;
}

std::string RecordHash(const store::AuditRecord& r) { return Sha256Hex(CanonicalRecordBytes(r)); }

std::string CanonicalCheckpointBytes(const store::AuditCheckpoint& c) {
  std::string out;
  PutString(out, "odp.audit.checkpoint.v1");
  PutInt(out, c.seq);
  PutString(out, RawHash(c.hash).value_or(std::string(32, '\0')));
  PutInt(out, c.at);
  PutString(out, c.kid);
  return out;
}

Result<store::AuditCheckpoint> SignCheckpoint(int64_t seq, const std::string& hash, Micros at,
                                              const SigningKey& key) {
  auto secret = Base64UrlDecode(key.secret_key);
  if (!secret || secret->size() != crypto_sign_SECRETKEYBYTES) {
    return Status::Internal("audit key " + key.kid + " has no usable secret half");
  }
  store::AuditCheckpoint c{seq, hash, at, key.kid, ""};
  std::string bytes = CanonicalCheckpointBytes(c);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size(), reinterpret_cast<const unsigned char*>(secret->data()));
  c.signature = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
  return c;
}

bool CheckpointSignatureValid(const store::AuditCheckpoint& c, const SigningKey& key) {
  if (c.kid != key.kid) return false;
  auto pub = Base64UrlDecode(key.public_key);
  auto sig = Base64UrlDecode(c.signature);
  if (!pub || pub->size() != crypto_sign_PUBLICKEYBYTES || !sig || sig->size() != crypto_sign_BYTES)
    return false;
  std::string bytes = CanonicalCheckpointBytes(c);
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig->data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     bytes.size(),
                                     reinterpret_cast<const unsigned char*>(pub->data())) == 0;
}

Verifier::Verifier(int64_t from, std::vector<SigningKey> keys,
                   std::vector<store::AuditCheckpoint> checkpoints)
    : keys_(std::move(keys)),
      checkpoints_(std::move(checkpoints)),
      expected_seq_(from < 1 ? 1 : from) {
  if (expected_seq_ == 1) prev_hash_ = std::string(kGenesisHash);
}

bool Verifier::Fail(int64_t seq, std::string problem) {
  if (!report_.ok) return false;
  report_.ok = false;
  report_.bad_seq = seq;
  report_.problem = std::move(problem);
  return false;
}

bool Verifier::CheckCheckpoint(const store::AuditCheckpoint& c, const std::string& computed) {
  ++report_.checkpoints;
  const SigningKey* key = nullptr;
  for (const auto& k : keys_) {
    if (k.kid == c.kid) key = &k;
  }
  if (key == nullptr) {
    return Fail(c.seq,
                "checkpoint at record " + std::to_string(c.seq) + " names unknown key " + c.kid);
  }
  if (!CheckpointSignatureValid(c, *key)) {
    return Fail(c.seq, "checkpoint at record " + std::to_string(c.seq) +
                           " has an invalid signature (forged or altered checkpoint)");
  }
  if (c.hash != computed) {
    return Fail(c.seq, "record " + std::to_string(c.seq) +
                           " does not match its signed checkpoint (history rewritten up to here)");
  }
  return true;
}

bool Verifier::Add(const store::AuditRecord& r) {
  if (!report_.ok) return false;
  if (r.seq != expected_seq_) {
    if (r.seq > expected_seq_) {
      return Fail(expected_seq_, "record " + std::to_string(expected_seq_) +
                                     " is missing (next present: " + std::to_string(r.seq) + ")");
    }
    return Fail(r.seq, "record " + std::to_string(r.seq) + " is out of sequence (expected " +
                           std::to_string(expected_seq_) + ")");
  }
  if (report_.records == 0) report_.first_seq = r.seq;
  if (!prev_hash_.empty() && r.prev_hash != prev_hash_) {
    return Fail(r.seq, "record " + std::to_string(r.seq) +
                           " does not link to the record before it (inserted, deleted, reordered "
                           "or the one before was edited)");
  }
  std::string computed = RecordHash(r);
  if (computed != r.hash) {
    return Fail(r.seq, "record " + std::to_string(r.seq) +
                           " was edited (its hash does not match "
                           "its contents)");
  }
  while (next_checkpoint_ < checkpoints_.size() && checkpoints_[next_checkpoint_].seq < r.seq) {
    // A checkpoint for a seq never fed: the stretch started after it; ignore it.
    if (checkpoints_[next_checkpoint_].seq >= report_.first_seq) {
      return Fail(checkpoints_[next_checkpoint_].seq,
                  "checkpoint names record " + std::to_string(checkpoints_[next_checkpoint_].seq) +
                      " which is missing");
    }
    ++next_checkpoint_;
  }
  while (next_checkpoint_ < checkpoints_.size() && checkpoints_[next_checkpoint_].seq == r.seq) {
    if (!CheckCheckpoint(checkpoints_[next_checkpoint_], computed)) return false;
    ++next_checkpoint_;
  }
  prev_hash_ = computed;
  ++report_.records;
  report_.last_seq = r.seq;
  ++expected_seq_;
  return true;
}

VerifyReport Verifier::Finish(int64_t to) {
  if (report_.ok && to > 0 && report_.last_seq < to) {
    Fail(expected_seq_, "record " + std::to_string(expected_seq_) +
                            " is missing (the chain ends before " + std::to_string(to) + ")");
  }
  if (report_.ok && next_checkpoint_ < checkpoints_.size()) {
    const auto& c = checkpoints_[next_checkpoint_];
    Fail(c.seq, "checkpoint names record " + std::to_string(c.seq) +
                    " which is missing (records were removed from the end)");
  }
  return report_;
}

}  // namespace odp::audit

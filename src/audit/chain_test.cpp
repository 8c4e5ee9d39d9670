#include "audit/chain.h"

#include <gtest/gtest.h>

#include "access/jwt.h"
#include "base/crypto.h"

namespace odp::audit {
namespace {

store::AuditRecord Record(int64_t seq, const std::string& prev, const std::string& body) {
  store::AuditRecord r;
  r.seq = seq;
  r.at = 1'765'000'000'000'000 + seq;
  r.kind = "api.call";
  r.actor = "consumer:c1";
  r.organization = "org1";
  r.subject = "res1";
  r.request_id = "req-" + std::to_string(seq);
  r.status = 200;
  r.rows = 3;
  r.bytes = 120;
  r.duration_us = 900;
  r.body = body;
  r.prev_hash = prev;
  r.hash = RecordHash(r);
  return r;
}

std::vector<store::AuditRecord> Chain(int n) {
  std::vector<store::AuditRecord> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    out.push_back(Record(i, prev, R"({"n":)" + std::to_string(i) + "}"));
    prev = out.back().hash;
  }
  return out;
}

VerifyReport Check(const std::vector<store::AuditRecord>& records,
                   const std::vector<SigningKey>& keys = {},
                   const std::vector<store::AuditCheckpoint>& cps = {}, int64_t to = 0) {
  Verifier v(1, keys, cps);
  for (const auto& r : records) {
    if (!v.Add(r)) break;
  }
  return v.Finish(to);
}

TEST(AuditChain, CanonicalBytesAreLengthPrefixedBigEndian) {
  store::AuditRecord r;
  r.seq = 1;
  r.kind = "k";
  r.prev_hash = std::string(kGenesisHash);
  std::string b = CanonicalRecordBytes(r);
  // Tag: 4-byte length 19 then "odp.audit.record.v1"; then seq 1 as 8 bytes big-endian.
  ASSERT_GE(b.size(), 31u);
  EXPECT_EQ(b.substr(0, 4), std::string("\0\0\0\x13", 4));
  EXPECT_EQ(b.substr(4, 19), "odp.audit.record.v1");
  EXPECT_EQ(b.substr(23, 8), std::string("\0\0\0\0\0\0\0\x01", 8));
  // at 0, then kind "k" as length 1 and its byte.
  EXPECT_EQ(b.substr(39, 5), std::string("\0\0\0\x01k", 5));
  // The previous hash is its 32 raw bytes, last.
  EXPECT_EQ(b.substr(b.size() - 36), std::string("\0\0\0\x20", 4) + std::string(32, '\0'));
}

TEST(AuditChain, FieldBoundariesCannotBeShifted) {
  store::AuditRecord a;
  a.actor = "ab";
  a.organization = "c";
  store::AuditRecord b = a;
  b.actor = "a";
  b.organization = "bc";
  EXPECT_NE(CanonicalRecordBytes(a), CanonicalRecordBytes(b));
  EXPECT_NE(RecordHash(a), RecordHash(b));
}

TEST(AuditChain, BodyIsHashedAsStoredBytes) {
  auto a = Record(1, std::string(kGenesisHash), R"({"a":1,"b":2})");
  auto b = Record(1, std::string(kGenesisHash), R"({"b":2,"a":1})");
  EXPECT_NE(a.hash, b.hash);  // the same JSON value, different bytes: different records
}

TEST(AuditChain, AnIntactChainVerifies) {
  auto report = Check(Chain(50));
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records, 50);
  EXPECT_EQ(report.last_seq, 50);
}

TEST(AuditChain, VerifyNamesAnEditedRecord) {
  auto chain = Chain(10);
  chain[4].body = R"({"n":999})";
  auto report = Check(chain);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 5);
  EXPECT_NE(report.problem.find("edited"), std::string::npos) << report.problem;
}

TEST(AuditChain, VerifyNamesAnEditWhoseHashWasRecomputed) {
  auto chain = Chain(10);
  chain[4].status = 500;
  chain[4].hash = RecordHash(chain[4]);
  auto report = Check(chain);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 6);  // the next record no longer links to it
}

TEST(AuditChain, VerifyNamesADeletedRecord) {
  auto chain = Chain(10);
  chain.erase(chain.begin() + 3);
  auto report = Check(chain);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 4);
  EXPECT_NE(report.problem.find("missing"), std::string::npos);
}

TEST(AuditChain, VerifyNamesAnInsertedRecord) {
  auto chain = Chain(10);
  // Inserted after record 3, the later ones renumbered to keep the sequence gap-free.
  auto extra = Record(4, chain[2].hash, R"({"forged":true})");
  chain.insert(chain.begin() + 3, extra);
  for (size_t i = 4; i < chain.size(); ++i) chain[i].seq = static_cast<int64_t>(i) + 1;
  auto report = Check(chain);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 5);
}

TEST(AuditChain, VerifyNamesReorderedRecords) {
  auto chain = Chain(10);
  std::swap(chain[6], chain[7]);
  std::swap(chain[6].seq, chain[7].seq);
  auto report = Check(chain);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 7);
}

TEST(AuditChain, VerifyFindsRecordsRemovedFromTheEnd) {
  auto chain = Chain(10);
  chain.resize(8);
  auto report = Check(chain, {}, {}, 10);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 9);
}

TEST(AuditChain, CheckpointSignatureVerifiesAndCatchesForgery) {
  ASSERT_TRUE(InitCrypto().ok());
  SigningKey key = access::NewSigningKey(1);
  auto chain = Chain(20);
  auto cp = SignCheckpoint(10, chain[9].hash, 5, key);
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE(CheckpointSignatureValid(*cp, key));
  EXPECT_TRUE(Check(chain, {key}, {*cp}).ok);

  store::AuditCheckpoint forged = *cp;
  forged.seq = 11;
  forged.hash = chain[10].hash;
  EXPECT_FALSE(CheckpointSignatureValid(forged, key));
  auto report = Check(chain, {key}, {forged});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 11);
  EXPECT_NE(report.problem.find("invalid signature"), std::string::npos);

  SigningKey other = access::NewSigningKey(2);
  other.kid = key.kid;
  auto by_other = SignCheckpoint(10, chain[9].hash, 5, other);
  ASSERT_TRUE(by_other.ok());
  EXPECT_FALSE(Check(chain, {key}, {*by_other}).ok);
}

TEST(AuditChain, CheckpointCatchesAWholeRewrittenTail) {
  ASSERT_TRUE(InitCrypto().ok());
  SigningKey key = access::NewSigningKey(1);
  auto chain = Chain(20);
  auto cp = SignCheckpoint(15, chain[14].hash, 5, key);
  ASSERT_TRUE(cp.ok());
  // Record 12 edited and every hash after it recomputed: the links hold, the checkpoint not.
  chain[11].body = R"({"rewritten":true})";
  for (size_t i = 11; i < chain.size(); ++i) {
    if (i > 11) chain[i].prev_hash = chain[i - 1].hash;
    chain[i].hash = RecordHash(chain[i]);
  }
  EXPECT_TRUE(Check(chain).ok);
  auto report = Check(chain, {key}, {*cp});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.bad_seq, 15);
}

}  // namespace
}  // namespace odp::audit

// Cost per appended audit record: appends N usage-sized records through audit::Log (batched
// writer, checkpoints every 10,000 records), then verifies the whole chain.
// Usage: odp_bench_audit DIR [N] [DB_URL]   (DB_URL default: sqlite DIR/audit.db; or
// postgresql://…) Prints records/s for appending and for verifying. Also run once as a test
// (bench_audit_smoke).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "audit/log.h"
#include "base/crypto.h"
#include "base/parse.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DIR [N] [DB_URL]\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  int64_t n = 200000;
  if (argc > 2) {
    auto parsed = odp::ParseInt(argv[2]);
    if (!parsed.ok() || *parsed < 1) {
      std::fprintf(stderr, "N must be a positive number\n");
      return 2;
    }
    n = *parsed;
  }
  std::filesystem::create_directories(dir);
  std::string url = argc > 3 ? argv[3] : dir + "/audit.db";
  if (!odp::InitCrypto().ok()) return 1;
  auto store = odp::store::OpenStore(url);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().message().c_str());
    return 1;
  }
  odp::audit::Log log(**store);
  if (!log.Start().ok()) return 1;
  odp::store::AuditEntry e;
  e.kind = "api.call";
  e.actor = "consumer:0b6c1f4e-6a43-4a55-9d1e-2a1c7e0c9f11";
  e.organization = "5d1f9a2e-0c3b-4c1e-9f2a-7b6e3d4c2a10";
  e.subject = "GET /api/v1/resources/{id}/rows";
  e.status = 200;
  e.rows = 100;
  e.bytes = 18000;
  e.duration_us = 2400;
  e.body =
      R"({"method":"GET","params_sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","end_user":"CCCD-001","purpose":"HS-2026-0042"})";
  auto start = Clock::now();
  for (int64_t i = 0; i < n; ++i) {
    e.request_id = std::to_string(i);
    log.Append(e);
    // Keep the queue bounded as a server would (its requests pace themselves).
    if (i % 50000 == 49999 && !log.Flush().ok()) return 1;
  }
  if (!log.Flush().ok()) return 1;
  double append_s = std::chrono::duration<double>(Clock::now() - start).count();
  log.Stop();
  start = Clock::now();
  auto report = odp::audit::VerifyLog(**store, 0, 0);
  double verify_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (!report.ok() || !report->ok) {
    std::fprintf(stderr, "verify failed\n");
    return 1;
  }
  auto stats = log.stats();
  std::printf(
      "audit append: %lld records in %.2f s = %.0f records/s (%.1f us each), %lld checkpoints\n",
      static_cast<long long>(n), append_s, static_cast<double>(n) / append_s,
      append_s * 1e6 / static_cast<double>(n), static_cast<long long>(stats.checkpoints));
  std::printf("audit verify: %lld records in %.2f s = %.0f records/s\n",
              static_cast<long long>(report->records), verify_s,
              static_cast<double>(report->records) / verify_s);
  return 0;
}

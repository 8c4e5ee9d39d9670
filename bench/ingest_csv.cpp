// odp_bench_ingest DIR FILE [--load-only]: loads FILE (any format the datastore reads) into a
// fresh datastore in DIR through Datastore::Load (the same code path as an upload), times a CSV
// export of the whole table in-process (ExportStream, no HTTP), then builds its indexes, and
// prints rows, seconds of each step and peak resident memory. --load-only stops after the load
// (the 10x memory check). odp_bench_ingest --scan FILE only reads every cell of FILE with the
// datastore's reader (what openpyxl's read-only iteration does), and prints rows and seconds.
// odp_bench_ingest --export DIR [TIMES]: exports the table loaded into DIR before as CSV,
// in-process, TIMES times (default 3), and prints each run's rows per second.
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "datastore/datastore.h"
#include "datastore/export.h"
#include "datastore/sources.h"

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--scan") {
    auto t0 = std::chrono::steady_clock::now();
    auto src = odp::datastore::OpenSource(argv[2], {}, {});
    if (!src.ok()) {
      std::cerr << src.status().message() << "\n";
      return 1;
    }
    std::vector<std::string> cells;
    int64_t rows = 0, bytes = 0;
    while (src->rows->Next(cells)) {
      ++rows;
      for (const auto& c : cells) bytes += static_cast<int64_t>(c.size());
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "scan rows " << rows << " seconds " << secs << " text_bytes " << bytes << "\n";
    return src->rows->status().ok() ? 0 : 1;
  }
  if ((argc == 3 || argc == 4) && std::string(argv[1]) == "--export") {
    const char* pg = std::getenv("ODP_BENCH_PG");
    auto ds = odp::datastore::Datastore::Open({.path = std::string(argv[2]) + "/datastore.db", .pg_url = pg ? pg : ""});
    if (!ds.ok()) {
      std::cerr << ds.status().message() << "\n";
      return 1;
    }
    auto t = (*ds)->Table("bench", 1);
    if (!t.ok()) {
      std::cerr << t.status().message() << "\n";
      return 1;
    }
    const int times = argc == 4 ? std::atoi(argv[3]) : 3;
    for (int i = 0; i < times; ++i) {
      odp::datastore::Query everything;
      everything.limit = 0;
      auto t0 = std::chrono::steady_clock::now();
      auto e = odp::datastore::ExportStream::Open(**ds, *t, everything, {});
      if (!e.ok()) {
        std::cerr << e.status().message() << "\n";
        return 1;
      }
      std::string piece;
      int more = 1;
      while (more > 0) {
        piece.clear();
        more = (*e)->Next(piece);
      }
      if (more < 0) {
        std::cerr << (*e)->status().message() << "\n";
        return 1;
      }
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cout << "export_csv seconds " << secs << " rows_per_s " << static_cast<int64_t>((*e)->rows() / secs) << "\n";
    }
    return 0;
  }
  const bool load_only = argc == 4 && std::string(argv[3]) == "--load-only";
  if (argc != 3 && !load_only) {
    std::cerr << "usage: odp_bench_ingest DIR FILE [--load-only]\n";
    return 2;
  }
  std::filesystem::remove_all(argv[1]);
  std::filesystem::create_directories(argv[1]);
  // ODP_BENCH_PG: load into that PostgreSQL database (schema "datastore") instead of SQLite.
  const char* pg = std::getenv("ODP_BENCH_PG");
  auto ds = odp::datastore::Datastore::Open({.path = std::string(argv[1]) + "/datastore.db", .pg_url = pg ? pg : ""});
  if (!ds.ok()) {
    std::cerr << ds.status().message() << "\n";
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto t = (*ds)->Load("bench", 1, argv[2]);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!t.ok()) {
    std::cerr << t.status().message() << "\n";
    return 1;
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::cout << "rows " << t->rows << " columns " << t->fields.size() << " seconds " << secs << " peak_rss_mb "
            << ru.ru_maxrss / 1024 << "\n";
  if (load_only) return 0;
  {
    odp::datastore::Query everything;
    everything.limit = 0;
    odp::datastore::ExportOptions csv;
    t0 = std::chrono::steady_clock::now();
    auto e = odp::datastore::ExportStream::Open(**ds, *t, everything, csv);
    if (!e.ok()) {
      std::cerr << e.status().message() << "\n";
      return 1;
    }
    std::string piece;
    int64_t bytes = 0;
    int more = 1;
    while (more > 0) {
      piece.clear();
      more = (*e)->Next(piece);
      bytes += static_cast<int64_t>(piece.size());
    }
    double esecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    odp::datastore::Query first = everything;
    first.limit = 200000;
    t0 = std::chrono::steady_clock::now();
    if (auto s = odp::datastore::WriteXlsx(**ds, *t, first, std::string(argv[1]) + "/first.xlsx", "bench"); !s.ok()) {
      std::cerr << s.message() << "\n";
      return 1;
    }
    double xsecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "export_xlsx_200000 seconds " << xsecs << "\n";
    std::cout << "export_csv seconds " << esecs << " rows_per_s " << static_cast<int64_t>((*e)->rows() / esecs)
              << " bytes " << bytes << "\n";
  }
  t0 = std::chrono::steady_clock::now();
  if (auto s = (*ds)->BuildIndexes("bench", 1); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  double isecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  getrusage(RUSAGE_SELF, &ru);
  std::cout << "indexes seconds " << isecs << " peak_rss_mb " << ru.ru_maxrss / 1024 << "\n";
  for (const auto& f : t->fields) std::cout << "  " << f.id << " " << odp::datastore::ToString(f.type) << "\n";
  return 0;
}

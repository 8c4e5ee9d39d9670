// What the reader fuzz targets share: the input written to a file of this process (the
// readers open paths, as the datastore does), and every row read, twice, as the loader reads.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/rows.h"

namespace odp::fuzz {

inline const std::string& InputPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/odp-fuzz-" + std::to_string(getpid());
  }();
  return path;
}

inline const std::string& WriteInput(const uint8_t* data, size_t size) {
  const std::string& path = InputPath();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

// Limits small enough that one input cannot take the fuzzer's whole time or memory.
inline formats::ReadLimits SmallLimits() {
  formats::ReadLimits l;
  l.max_columns = 200;
  l.max_cell_bytes = 1 << 16;
  l.max_rows = 20000;
  l.max_expanded_bytes = 32 << 20;
  l.max_expansion_ratio = 200;
  return l;
}

// Reads every row, checks what a reader promises (an error says so in status(); rows are
// never wider than the column limit), then reads again from the start.
inline void ReadAll(formats::RowSource& rows, const formats::ReadLimits& limits) {
  std::vector<std::string> cells;
  for (int pass = 0; pass < 2; ++pass) {
    while (rows.Next(cells)) {
      if (static_cast<int64_t>(cells.size()) > limits.max_columns) std::abort();
      (void)rows.line();
      (void)rows.bytes_read();
    }
    (void)rows.status();
    (void)rows.describe();
    if (!rows.Rewind().ok()) return;
  }
}

}  // namespace odp::fuzz

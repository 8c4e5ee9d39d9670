// Test support: every row a RowSource has left, for comparing with what a file holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/rows.h"

namespace odp::testing {

using Rows = std::vector<std::vector<std::string>>;

// Reads to the end (or the first error); `lines`, when given, receives each row's line().
inline Rows ReadAll(formats::RowSource& reader, std::vector<int64_t>* lines = nullptr) {
  Rows rows;
  std::vector<std::string> row;
  while (reader.Next(row)) {
    rows.push_back(row);
    if (lines != nullptr) lines->push_back(reader.line());
  }
  return rows;
}

}  // namespace odp::testing

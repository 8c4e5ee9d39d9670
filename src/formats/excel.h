// How Excel names and bounds a sheet, for every format that speaks of cells: the XLSX reader
// and writer and the XLS reader (whose messages name cells as Excel shows them).
#pragma once

#include <cstdint>
#include <string>

namespace odp::formats {

inline constexpr int64_t kExcelMaxRows = 1048576;   // rows of a sheet since Excel 2007
inline constexpr int32_t kExcelMaxColumns = 16384;  // columns of a sheet: A … XFD

// Excel's letters for the 0-based `column`: 0 → "A", 25 → "Z", 26 → "AA", 16383 → "XFD".
// REQUIRES: 0 <= column (any size: the letters simply grow).
std::string ColumnLetters(int64_t column);

// A cell's name as Excel shows it: the 0-based `column`'s letters and the 1-based `row` ("B12").
std::string CellName(int64_t column, int64_t row);

}  // namespace odp::formats

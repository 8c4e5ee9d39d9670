#include "formats/excel.h"

#include <charconv>

namespace odp::formats {

std::string ColumnLetters(int64_t column) {
  char buf[16];  // 14 letters reach past 2^63
  char* p = buf + sizeof buf;
  for (int64_t n = column + 1; n > 0; n = (n - 1) / 26)
    *--p = static_cast<char>('A' + (n - 1) % 26);
  return std::string(p, buf + sizeof buf);
}

std::string CellName(int64_t column, int64_t row) {
  std::string name = ColumnLetters(column);
  char buf[24];
  name.append(buf, std::to_chars(buf, buf + sizeof buf, row).ptr);
  return name;
}

}  // namespace odp::formats

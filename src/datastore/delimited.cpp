#include "datastore/delimited.h"

#include "formats/text_writers.h"

namespace odp::datastore {

using json = nlohmann::json;

void AppendDelimitedRow(std::string& out, const std::vector<json>& row, char delimiter) {
  for (size_t c = 0; c < row.size(); ++c) {
    if (c) out += delimiter;
    const json& v = row[c];
    if (v.is_null()) continue;
    if (v.is_string()) {
      formats::AppendDelimitedCell(out, v.get_ref<const std::string&>(), delimiter);
    } else {
      formats::AppendDelimitedCell(
          out, v.is_boolean() ? (v.get<bool>() ? "true" : "false") : v.dump(), delimiter);
    }
  }
  out += "\r\n";
}

std::string DelimitedRows(const std::vector<std::vector<json>>& rows, char delimiter) {
  std::string out;
  for (const auto& r : rows) AppendDelimitedRow(out, r, delimiter);
  return out;
}

}  // namespace odp::datastore

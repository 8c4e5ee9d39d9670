#include "datastore/delimited.h"

namespace odp::datastore {

using json = nlohmann::json;

void AppendDelimitedCell(std::string& out, std::string_view text, char delimiter) {
  bool quote = false;
  for (char ch : text) {
    if (ch == '"' || ch == '\r' || ch == '\n' || ch == delimiter) {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  // Runs between quotes are copied whole; each quote is doubled.
  for (size_t start = 0;;) {
    size_t q = text.find('"', start);
    if (q == std::string_view::npos) {
      out.append(text.data() + start, text.size() - start);
      break;
    }
    out.append(text.data() + start, q + 1 - start);
    out += '"';
    start = q + 1;
  }
  out += '"';
}

void AppendDelimitedRow(std::string& out, const std::vector<json>& row, char delimiter) {
  for (size_t c = 0; c < row.size(); ++c) {
    if (c) out += delimiter;
    const json& v = row[c];
    if (v.is_null()) continue;
    if (v.is_string()) {
      AppendDelimitedCell(out, v.get_ref<const std::string&>(), delimiter);
    } else {
      AppendDelimitedCell(out, v.is_boolean() ? (v.get<bool>() ? "true" : "false") : v.dump(), delimiter);
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
